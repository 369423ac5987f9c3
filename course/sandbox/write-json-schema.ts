// Writes sandboxes/sandbox.schema.json from the zod schema: node course/sandbox/write-json-schema.ts
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SANDBOXES_DIR } from './sandboxes-dir.ts';
import { sandboxJsonSchema } from './sandbox-json-schema.ts';

const file = path.join(DEFAULT_SANDBOXES_DIR, 'sandbox.schema.json');
fs.writeFileSync(file, sandboxJsonSchema());
console.log(`wrote ${file}`);
