// The JSON Schema of exam.yaml, generated from the zod schema so editors (VS Code YAML, Monaco) complete and validate it.
// Regenerate with `node course/exam/exam-json-schema.ts`; a unit test fails when the committed file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { examSchema } from './exam-schema.ts';

export const EXAM_SCHEMA_FILE = fileURLToPath(new URL('./exam.schema.json', import.meta.url));

export function examJsonSchemaText(): string {
  const schema = z.toJSONSchema(examSchema, { io: 'input', target: 'draft-2020-12' });
  const doc = {
    ...schema,
    title: 'packetwalk exam.yaml',
    description:
      'A practice exam: pools of lessons\' tasks drawn per attempt, and the time allowed (docs/practice.md). Put "# yaml-language-server: $schema=<path to this file>" on the first line for editor completion.',
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(EXAM_SCHEMA_FILE, examJsonSchemaText());
  console.log(`wrote ${EXAM_SCHEMA_FILE}`);
}
