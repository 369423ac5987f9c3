// sandbox.yaml: one schema per runtime, chosen by the "runtime" field.
//  - nodes: bare Linux nodes (./nodes-sandbox-schema.ts)
//  - kind:  kind clusters (./kind/kind-sandbox-schema.ts, plus the kind.yaml it points at)
// To add a runtime: write its schema with runtime: z.literal('<runtime>'), add it to sandboxFileSchema, give
// load-sandbox.ts a case for it, and register a provisioner (lab-runner/lab/provisioners.ts).
import { z } from 'zod';
import { kindSandboxSchema, type KindTemplate } from './kind/kind-sandbox-schema.ts';
import { nodesSandboxSchema, type NodesSandbox } from './nodes-sandbox-schema.ts';

/** What a sandbox.yaml may contain (also the source of sandboxes/sandbox.schema.json). */
export const sandboxFileSchema = z.discriminatedUnion('runtime', [nodesSandboxSchema, kindSandboxSchema]);

/** A loaded, validated template. */
export type Sandbox = NodesSandbox | KindTemplate;
export type SandboxRuntime = Sandbox['runtime'];
export const SANDBOX_RUNTIMES = ['nodes', 'kind'] as const satisfies readonly SandboxRuntime[];
