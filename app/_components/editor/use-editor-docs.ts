'use client';
// The editor's documents: lab files (with the lab version each is based on) and manifests (kept only in this
// browser). Monaco models hold the text; this hook holds everything else and keeps drafts in localStorage so
// unsaved text survives a reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/editor';
import type { FileVersion } from './editor-api.ts';
import { dropDraft, fileDraftKey, loadDraft, manifestDraftKey, saveDraft, saveOpenDocs, type OpenDocRef } from './drafts.ts';
import { languageForPath } from './languages.ts';
import { KUBERNETES_SEGMENT, type Monaco } from './monaco-setup.ts';

export type NoticeAction = 'reload' | 'overwrite' | 'recreate' | 'keep-mine';

export interface Notice {
  tone: 'info' | 'ok' | 'warn' | 'error';
  text: string;
  actions?: NoticeAction[];
}

export interface Doc {
  key: string;
  kind: 'file' | 'manifest';
  title: string;
  /** Files: lab target and path. */
  target?: string;
  path?: string;
  uri: string;
  language: string;
  /** The lab version the text is based on; null for a file that does not exist in the lab yet. */
  base: FileVersion | null;
  /** The text that equals `base` (the document is dirty when the model differs). */
  savedText: string;
  /** Files: whether the lesson lets the editor save it (else read-only). Manifests: always. */
  savable: boolean;
  realPath?: string;
  busy?: 'loading' | 'saving' | 'applying' | 'diffing';
  notice?: Notice;
  /** The learner chose to keep their text over a change in the lab: the next save overwrites. */
  overwrite?: boolean;
}

export const SCRATCHPAD_KEY = 'manifest:scratchpad';

export const SCRATCHPAD_TEMPLATE = `# Scratchpad: Kubernetes manifests for this lesson. Kept in this browser, never lost on reload.
# Apply (Ctrl+Enter) sends them to your lab's cluster with server-side apply; Diff shows what would change.
`;

export function fileDocKey(target: string, path: string): string {
  return `file:${target}:${path}`;
}

/** YAML on the jumpbox (where kubectl runs) and manifests get the Kubernetes schema; other lab files do not. */
function modelUri(doc: Pick<Doc, 'kind' | 'target' | 'path' | 'key'>, lessonId: string): string {
  if (doc.kind === 'manifest') return `file:///${KUBERNETES_SEGMENT}/${lessonId}/${encodeURIComponent(doc.key)}.yaml`;
  const isYaml = /\.ya?ml$/i.test(doc.path ?? '');
  const root = doc.target === 'jumpbox' && isYaml ? `${KUBERNETES_SEGMENT}/jumpbox` : `lab/${doc.target}`;
  return `file:///${root}${(doc.path ?? '').split('/').map(encodeURIComponent).join('/')}`;
}

export function useEditorDocs(monaco: Monaco, lessonId: string, sandbox: string) {
  const [docs, setDocs] = useState<Doc[]>([]);
  const [activeKey, setActiveKey] = useState<string | undefined>();
  const [dirty, setDirty] = useState<Record<string, boolean>>({});
  const dirtyRef = useRef<Record<string, boolean>>({});
  // The documents as of the last change (state lags a render behind; async handlers read this).
  const docsRef = useRef<Doc[]>([]);
  const listeners = useRef(new Map<string, MonacoApi.IDisposable>());
  const draftTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const draftKeyOf = useCallback(
    (doc: Doc) => (doc.kind === 'file' ? fileDraftKey(sandbox, doc.target!, doc.path!) : manifestDraftKey(lessonId, doc.key)),
    [sandbox, lessonId],
  );

  const get = useCallback((key: string) => docsRef.current.find((d) => d.key === key), []);
  const modelOf = useCallback((doc: Doc | undefined) => (doc ? monaco.editor.getModel(monaco.Uri.parse(doc.uri)) : null), [monaco]);

  const update = useCallback((key: string, patch: Partial<Doc> | ((d: Doc) => Partial<Doc>)) => {
    docsRef.current = docsRef.current.map((d) => (d.key === key ? { ...d, ...(typeof patch === 'function' ? patch(d) : patch) } : d));
    setDocs(docsRef.current);
  }, []);

  /** Dirty state and the draft in localStorage follow every edit (the draft a quarter-second later). */
  const recompute = useCallback(
    (key: string) => {
      const doc = get(key);
      const model = modelOf(doc);
      if (!doc || !model) return;
      const text = model.getValue();
      const isDirty = doc.kind === 'manifest' ? false : text !== doc.savedText;
      if (dirtyRef.current[key] !== isDirty) {
        dirtyRef.current = { ...dirtyRef.current, [key]: isDirty };
        setDirty(dirtyRef.current);
      }
      clearTimeout(draftTimers.current.get(key));
      draftTimers.current.set(
        key,
        setTimeout(() => {
          const current = get(key);
          if (!current) return;
          if (current.kind === 'manifest') saveDraft(draftKeyOf(current), { content: text, baseSha: 'absent', savedAt: Date.now() });
          else if (text !== current.savedText || current.base === null) saveDraft(draftKeyOf(current), { content: text, baseSha: current.base?.sha256 ?? 'absent', savedAt: Date.now() });
          else dropDraft(draftKeyOf(current));
        }, 250),
      );
    },
    [get, modelOf, draftKeyOf],
  );

  /** Creates the document (and its model) or returns the existing one. */
  const ensure = useCallback(
    (init: Omit<Doc, 'uri' | 'language'> & { language?: string }, text: string): Doc => {
      const existing = get(init.key);
      if (existing) return existing;
      const doc: Doc = { ...init, uri: '', language: init.language ?? (init.kind === 'manifest' ? 'yaml' : languageForPath(init.path ?? '')) };
      doc.uri = modelUri(doc, lessonId);
      const uri = monaco.Uri.parse(doc.uri);
      const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, doc.language, uri);
      if (model.getValue() !== text) model.setValue(text);
      listeners.current.get(doc.key)?.dispose();
      listeners.current.set(doc.key, model.onDidChangeContent(() => recompute(doc.key)));
      docsRef.current = [...docsRef.current, doc];
      setDocs(docsRef.current);
      return doc;
    },
    [get, monaco, lessonId, recompute],
  );

  /** Replaces a document's text (a reload from the lab), keeping undo history: Ctrl+Z brings the old text back. */
  const setText = useCallback(
    (key: string, text: string) => {
      const model = modelOf(get(key));
      if (!model || model.getValue() === text) {
        recompute(key);
        return;
      }
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      model.pushStackElement();
    },
    [get, modelOf, recompute],
  );

  const textOf = useCallback((key: string) => modelOf(get(key))?.getValue() ?? '', [get, modelOf]);

  const close = useCallback(
    (key: string) => {
      const doc = get(key);
      if (!doc) return;
      listeners.current.get(key)?.dispose();
      listeners.current.delete(key);
      clearTimeout(draftTimers.current.get(key));
      // Closing discards unsaved text on purpose (the UI asks first); manifests keep theirs for next time.
      if (doc.kind === 'file') dropDraft(draftKeyOf(doc));
      modelOf(doc)?.dispose();
      docsRef.current = docsRef.current.filter((d) => d.key !== key);
      setDocs(docsRef.current);
      const { [key]: _gone, ...rest } = dirtyRef.current;
      dirtyRef.current = rest;
      setDirty(rest);
      setActiveKey((a) => (a === key ? docsRef.current[docsRef.current.length - 1]?.key : a));
    },
    [get, modelOf, draftKeyOf],
  );

  // Which documents are open (and which is in front) survives a reload too.
  useEffect(() => {
    const refs: OpenDocRef[] = docs.map((d) => (d.kind === 'file' ? { kind: 'file', target: d.target, path: d.path } : { kind: 'manifest', key: d.key, title: d.title }));
    if (refs.length) saveOpenDocs(lessonId, refs, activeKey);
  }, [docs, activeKey, lessonId]);

  useEffect(
    () => () => {
      for (const l of listeners.current.values()) l.dispose();
      for (const t of draftTimers.current.values()) clearTimeout(t);
    },
    [],
  );

  return { docs, docsRef, activeKey, setActiveKey, dirty, dirtyRef, get, update, ensure, setText, textOf, close, modelOf, recompute, draftKeyOf, loadDraft };
}
