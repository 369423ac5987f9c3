// The JSON Schema editors use for sandbox.yaml (sandboxes/sandbox.schema.json), generated from the zod schema.
// Regenerate with: node course/sandbox/write-json-schema.ts (a unit test fails when the committed file is stale).
import { z } from 'zod';
import { sandboxFileSchema } from './sandbox-schema.ts';

export function sandboxJsonSchema(): string {
  const schema = z.toJSONSchema(sandboxFileSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ ...schema, title: 'packetwalk sandbox.yaml' }, null, 2) + '\n';
}
