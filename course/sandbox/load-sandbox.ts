// Reads and validates sandboxes/<name>/sandbox.yaml, dispatching on "runtime".
// Errors name the file, the field and what would be valid.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { KindTemplateError, validateKindTemplate } from './kind/kind-sandbox-schema.ts';
import { nodesSandboxSchema } from './nodes-sandbox-schema.ts';
import { SandboxError } from './sandbox-error.ts';
import { SANDBOX_RUNTIMES, type Sandbox } from './sandbox-schema.ts';

export const SANDBOX_FILE = 'sandbox.yaml';

/** Parse and validate one template; `expectedName` (the folder name) must equal its "name". */
export function parseSandbox(text: string, file: string, expectedName?: string): Sandbox {
  let raw: unknown;
  try {
    raw = YAML.parse(text, { prettyErrors: true });
  } catch (err) {
    throw new SandboxError(file, `${file} is not valid YAML: ${(err as Error).message}`);
  }
  const runtime = (raw as { runtime?: unknown } | null)?.runtime;
  let sandbox: Sandbox;
  if (runtime === 'nodes') {
    const result = nodesSandboxSchema.safeParse(raw);
    if (!result.success) {
      throw new SandboxError(
        file,
        `${file} is not a valid sandbox template:\n${z.prettifyError(result.error)}\n(See sandboxes/sandbox.schema.json for every field.)`,
      );
    }
    sandbox = result.data;
  } else if (runtime === 'kind') {
    const kindConfig = (raw as { kindConfig?: unknown }).kindConfig;
    const kindFile = path.join(path.dirname(file), typeof kindConfig === 'string' ? kindConfig : 'kind.yaml');
    if (!fs.existsSync(kindFile))
      throw new SandboxError(file, `${file}: kindConfig ${kindFile} does not exist; put the kind Cluster config next to sandbox.yaml.`);
    try {
      sandbox = validateKindTemplate(raw, fs.readFileSync(kindFile, 'utf8'), file);
    } catch (err) {
      if (err instanceof KindTemplateError) throw new SandboxError(file, err.message);
      throw err;
    }
  } else {
    throw new SandboxError(file, `${file}: "runtime" must be one of ${SANDBOX_RUNTIMES.join(', ')} (got ${JSON.stringify(runtime)}).`);
  }
  if (expectedName !== undefined && sandbox.name !== expectedName) {
    throw new SandboxError(file, `${file}: name "${sandbox.name}" must equal its folder name "${expectedName}". Rename one of them.`);
  }
  return sandbox;
}

export function loadSandboxFile(file: string): Sandbox {
  if (!fs.existsSync(file)) throw new SandboxError(file, `${file} does not exist.`);
  return parseSandbox(fs.readFileSync(file, 'utf8'), file, path.basename(path.dirname(file)));
}
