// Drives the real yaml-language-server that runs in the browser's YAML worker (monaco-yaml's yaml.worker.js),
// in Node, so schema tests check what a learner will see rather than what another validator thinks.
// The worker's only browser dependency is monaco-worker-manager/worker (it wires the factory to postMessage);
// a resolve hook swaps that one module for a stub that hands the factory back to the test.
import { registerHooks } from 'node:module';

interface Position {
  line: number;
  character: number;
}
export interface Diagnostic {
  message: string;
  severity: number;
  range: { start: Position; end: Position };
}
interface CompletionList {
  items: { label: string; documentation?: unknown }[];
}
interface Hover {
  contents: { kind?: string; value: string } | string;
}

interface YamlWorker {
  doValidation(uri: string): Promise<Diagnostic[]>;
  doComplete(uri: string, position: Position): Promise<CompletionList | undefined>;
  doHover(uri: string, position: Position): Promise<Hover | null | undefined>;
}
type WorkerFactory = (ctx: unknown, createData: unknown) => YamlWorker;

const FACTORY_KEY = '__packetwalkYamlWorkerFactory';
const STUB = `data:text/javascript,export function initialize(fn) { globalThis.${FACTORY_KEY} = fn; }`;

let factoryPromise: Promise<WorkerFactory> | undefined;

function loadFactory(): Promise<WorkerFactory> {
  factoryPromise ??= (async () => {
    registerHooks({
      resolve(specifier, context, nextResolve) {
        if (specifier === 'monaco-worker-manager/worker') return { url: STUB, shortCircuit: true };
        // path-browserify is CommonJS assigned to module.exports, which Node's ESM namespace import cannot name; bundlers can.
        if (specifier === 'path-browserify') return { url: 'node:path/posix', shortCircuit: true };
        return nextResolve(specifier, context);
      },
    });
    await import('monaco-yaml/yaml.worker.js');
    const factory = (globalThis as Record<string, unknown>)[FACTORY_KEY];
    if (typeof factory !== 'function') throw new Error('monaco-yaml/yaml.worker.js did not register its worker factory');
    return factory as WorkerFactory;
  })();
  return factoryPromise;
}

/** A language service for one YAML text checked against one JSON Schema, configured as the editor configures monaco-yaml. */
export async function yamlLanguageService(schema: object) {
  const factory = await loadFactory();
  const uri = 'file:///scratch/manifest.yaml';
  let text = '';
  let version = 0;
  const ctx = {
    getMirrorModels: () => [{ uri: { toString: () => uri }, version, getValue: () => text }],
  };
  const worker = factory(ctx, {
    completion: true,
    customTags: [],
    enableSchemaRequest: false,
    format: true,
    hover: true,
    // The editor leaves isKubernetes off: the schema picks the kind with if/then itself, and the Kubernetes mode
    // drops the allowed values from enum messages ("Valid values: .").
    isKubernetes: false,
    validate: true,
    yamlVersion: '1.2',
    schemas: [{ uri: 'file:///packetwalk/kubernetes.json', fileMatch: ['*'], schema }],
  });
  const set = (next: string) => {
    text = next;
    version += 1;
  };
  /** Position of the first occurrence of `marker` in the text (the marker text is kept). */
  const at = (marker: string, offset = 0): Position => {
    const index = text.indexOf(marker);
    if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} not in text`);
    const before = text.slice(0, index + offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1]!.length };
  };
  return {
    async validate(yaml: string): Promise<Diagnostic[]> {
      set(yaml);
      return worker.doValidation(uri);
    },
    async complete(yaml: string, marker: string, offset = 0): Promise<string[]> {
      set(yaml);
      const list = await worker.doComplete(uri, at(marker, offset));
      return (list?.items ?? []).map((i) => i.label);
    },
    async hover(yaml: string, marker: string): Promise<string> {
      set(yaml);
      const h = await worker.doHover(uri, at(marker, 1));
      if (!h) return '';
      return typeof h.contents === 'string' ? h.contents : h.contents.value;
    },
  };
}
