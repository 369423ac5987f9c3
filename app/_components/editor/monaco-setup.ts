'use client';
// Monaco, entirely from this site: the locally installed monaco-editor (never a CDN), its web workers bundled by
// Next from `new Worker(new URL(…, import.meta.url))`, and monaco-yaml for YAML syntax and Kubernetes schema checks.
// Nothing here fetches from another origin: the editor works in classrooms and air-gapped sites.
//
// Only the editor core, its features, the syntax colouring of every language and the JSON language service are
// loaded; the TypeScript/HTML/CSS services (and their large workers) are not needed for lab files.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/register.all';
import 'monaco-editor/languages/features/json/register';
import { loader } from '@monaco-editor/react';
import { configureMonacoYaml } from 'monaco-yaml';
import type { JSONSchema, MonacoYaml } from 'monaco-yaml';
import { currentSiteTheme, watchSiteTheme, type SiteTheme } from '../terminal/terminal-theme.ts';
import { KUBERNETES_SEGMENT } from './doc-model.ts';

export type Monaco = typeof monaco;

function createWorker(label: string): Worker {
  // Each `new URL(…)` must be a literal for the bundler to emit the worker as its own chunk.
  switch (label) {
    case 'yaml':
      return new Worker(new URL('monaco-yaml/yaml.worker.js', import.meta.url), { type: 'module', name: 'yaml' });
    case 'json':
      return new Worker(new URL('monaco-editor/languages/features/json/json.worker.js', import.meta.url), { type: 'module', name: 'json' });
    default:
      return new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), { type: 'module', name: label });
  }
}

type LegacyWorkerOptions = { moduleId?: string; label?: string; createData?: unknown; host?: unknown; keepIdleModels?: boolean; worker?: unknown };

/**
 * monaco-yaml still creates its worker the pre-0.53 way (createWebWorker({ moduleId, label, createData })), which
 * Monaco 0.57 no longer accepts without a `worker`. This adapter makes that worker itself and hands over the create
 * data the way Monaco's own language workers receive it (an "ignore" message, then the data).
 */
function monacoForYaml(m: Monaco): Monaco {
  const createWebWorker = (opts: LegacyWorkerOptions) => {
    if (opts.worker) return m.editor.createWebWorker(opts as Parameters<typeof m.editor.createWebWorker>[0]);
    const worker = Promise.resolve(createWorker(opts.label ?? 'editorWorkerService')).then((w) => {
      w.postMessage('ignore');
      w.postMessage(opts.createData);
      return w;
    });
    return m.editor.createWebWorker({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels } as Parameters<typeof m.editor.createWebWorker>[0]);
  };
  return { ...m, editor: { ...m.editor, createWebWorker } } as unknown as Monaco;
}

const THEMES: Record<SiteTheme, { name: string; base: 'vs' | 'vs-dark'; colors: Record<string, string> }> = {
  light: {
    name: 'packetwalk-light',
    base: 'vs',
    colors: {
      'editor.background': '#fbfcfd',
      'editor.foreground': '#16191f',
      'editorLineNumber.foreground': '#8c959f',
      'editorLineNumber.activeForeground': '#16191f',
      'editorCursor.foreground': '#1f5fd6',
      'editor.selectionBackground': '#1f5fd638',
      'editor.lineHighlightBackground': '#eef1f580',
      'editorWidget.background': '#ffffff',
      'editorWidget.border': '#dfe3e9',
      focusBorder: '#1f5fd6',
    },
  },
  dark: {
    name: 'packetwalk-dark',
    base: 'vs-dark',
    colors: {
      'editor.background': '#0d1117',
      'editor.foreground': '#e6ebf1',
      'editorLineNumber.foreground': '#6e7681',
      'editorLineNumber.activeForeground': '#e6ebf1',
      'editorCursor.foreground': '#6ea8ff',
      'editor.selectionBackground': '#6ea8ff4d',
      'editor.lineHighlightBackground': '#161c2580',
      'editorWidget.background': '#151b23',
      'editorWidget.border': '#262e3a',
      focusBorder: '#6ea8ff',
    },
  },
};

export function themeName(theme: SiteTheme = currentSiteTheme()): string {
  return THEMES[theme].name;
}

let setup: { monaco: Monaco; yaml: MonacoYaml } | undefined;

/** Configures Monaco once per page: workers, the @monaco-editor/react loader, themes, YAML. */
export function setupMonaco(): { monaco: Monaco; yaml: MonacoYaml } {
  if (setup) return setup;
  globalThis.MonacoEnvironment = { getWorker: (_workerId: string, label: string) => createWorker(label) };
  // @monaco-editor/react would otherwise fetch Monaco from a CDN.
  loader.config({ monaco });
  for (const t of Object.values(THEMES)) monaco.editor.defineTheme(t.name, { base: t.base, inherit: true, rules: [], colors: t.colors });
  monaco.editor.setTheme(themeName());
  watchSiteTheme((theme) => monaco.editor.setTheme(themeName(theme)));
  const yaml = configureMonacoYaml(monacoForYaml(monaco) as unknown as Parameters<typeof configureMonacoYaml>[0], {
    // The schema arrives from /api/manifests/schema; nothing is ever fetched by the YAML worker itself.
    enableSchemaRequest: false,
    // The schema chooses the kind with if/then; Kubernetes mode would drop the allowed values from enum messages.
    isKubernetes: false,
    completion: true,
    hover: true,
    validate: true,
    format: { enable: true },
    schemas: [],
  });
  setup = { monaco, yaml };
  return setup;
}

/** Validates and completes Kubernetes documents with the cluster's own schema (undefined: syntax only). */
export function setKubernetesSchema(schema: { kubernetesVersion: string; schema: Record<string, unknown> } | undefined): void {
  const { yaml } = setupMonaco();
  void yaml.update({
    schemas: schema
      ? [
          {
            // An identifier only (enableSchemaRequest is off): a file: URI so that no link in a hover leads off-site.
            uri: `file:///packetwalk/kubernetes-${schema.kubernetesVersion}.schema.json`,
            fileMatch: [`/${KUBERNETES_SEGMENT}/*`],
            schema: schema.schema as JSONSchema,
          },
        ]
      : [],
  });
}
