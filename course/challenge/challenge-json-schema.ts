// The JSON Schema of challenge.yaml, generated from the zod schema so editors (VS Code YAML, Monaco) complete and validate it.
// Regenerate with `node course/challenge/challenge-json-schema.ts`; a unit test fails when the committed file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { challengeSchema } from './challenge-schema.ts';

export const CHALLENGE_SCHEMA_FILE = fileURLToPath(new URL('./challenge.schema.json', import.meta.url));

export function challengeJsonSchema(): Record<string, unknown> {
  // "input": the file authors write (timeouts as "10s", defaults optional), not the parsed result.
  const schema = z.toJSONSchema(challengeSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    title: 'packetwalk challenge.yaml',
    description: 'Auto-graded tasks for one lesson. Put "# yaml-language-server: $schema=<path to this file>" on the first line for editor completion.',
  };
}

export function challengeJsonSchemaText(): string {
  return JSON.stringify(challengeJsonSchema(), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(CHALLENGE_SCHEMA_FILE, challengeJsonSchemaText());
  console.log(`wrote ${CHALLENGE_SCHEMA_FILE}`);
}
