'use client';
// The editor's open documents (doc-model.ts: FileDoc | ManifestDoc). Monaco models hold the text; this hook holds
// everything else, tracks which documents have unsaved text and keeps drafts in localStorage so unsaved text
// survives a reload. The file and manifest hooks (use-file-docs.ts, use-manifest-docs.ts) build on it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/editor';
import { dropDraft, saveDraft, saveOpenDocs } from './drafts.ts';
import {
  createDoc,
  docDraftKey,
  draftOf,
  isDirtyText,
  openDocRefs,
  patchDoc,
  patchFile,
  type Doc,
  type DocInit,
  type DocPatch,
  type FilePatch,
} from './doc-model.ts';
import type { Monaco } from './monaco-setup.ts';

export type { Doc, FileDoc, ManifestDoc, Notice, NoticeAction } from './doc-model.ts';

export function useEditorDocs(monaco: Monaco, lessonId: string, sandbox: string) {
  const [docs, setDocs] = useState<Doc[]>([]);
  const [activeKey, setActiveKey] = useState<string | undefined>();
  const [dirty, setDirty] = useState<Record<string, boolean>>({});
  const dirtyRef = useRef<Record<string, boolean>>({});
  // The documents as of the last change (state lags a render behind; async handlers read this).
  const docsRef = useRef<Doc[]>([]);
  const listeners = useRef(new Map<string, MonacoApi.IDisposable>());
  const draftTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const commit = useCallback((next: Doc[]) => {
    docsRef.current = next;
    setDocs(next);
  }, []);

  const get = useCallback((key: string) => docsRef.current.find((d) => d.key === key), []);
  const modelOf = useCallback((doc: Doc | undefined) => (doc ? monaco.editor.getModel(monaco.Uri.parse(doc.uri)) : null), [monaco]);

  const update = useCallback((key: string, patch: DocPatch | ((d: Doc) => DocPatch)) => commit(patchDoc(docsRef.current, key, patch)), [commit]);
  const updateFile = useCallback((key: string, patch: FilePatch) => commit(patchFile(docsRef.current, key, patch)), [commit]);

  /** Dirty state and the draft in localStorage follow every edit (the draft a quarter-second later). */
  const recompute = useCallback(
    (key: string) => {
      const doc = get(key);
      const model = modelOf(doc);
      if (!doc || !model) return;
      const text = model.getValue();
      const isDirty = isDirtyText(doc, text);
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
          const draft = draftOf(current, text, Date.now());
          if (draft) saveDraft(docDraftKey(current, sandbox, lessonId), draft);
          else dropDraft(docDraftKey(current, sandbox, lessonId));
        }, 250),
      );
    },
    [get, modelOf, sandbox, lessonId],
  );

  /** Creates the document (and its model) or returns the existing one. */
  const ensure = useCallback(
    (init: DocInit, text: string): Doc => {
      const existing = get(init.key);
      if (existing) return existing;
      const doc = createDoc(init, lessonId);
      const uri = monaco.Uri.parse(doc.uri);
      const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, doc.language, uri);
      if (model.getValue() !== text) model.setValue(text);
      listeners.current.get(doc.key)?.dispose();
      listeners.current.set(
        doc.key,
        model.onDidChangeContent(() => recompute(doc.key)),
      );
      commit([...docsRef.current, doc]);
      return doc;
    },
    [get, monaco, lessonId, recompute, commit],
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
      if (doc.kind === 'file') dropDraft(docDraftKey(doc, sandbox, lessonId));
      modelOf(doc)?.dispose();
      commit(docsRef.current.filter((d) => d.key !== key));
      const { [key]: _gone, ...rest } = dirtyRef.current;
      dirtyRef.current = rest;
      setDirty(rest);
      setActiveKey((a) => (a === key ? docsRef.current[docsRef.current.length - 1]?.key : a));
    },
    [get, modelOf, commit, sandbox, lessonId],
  );

  // Which documents are open (and which is in front) survives a reload too.
  useEffect(() => {
    if (docs.length) saveOpenDocs(lessonId, openDocRefs(docs), activeKey);
  }, [docs, activeKey, lessonId]);

  // "Saved" fades after a few seconds; warnings and errors stay until acted on.
  const active = docs.find((doc) => doc.key === activeKey);
  const okNotice = active?.notice?.tone === 'ok' ? active.notice : undefined;
  useEffect(() => {
    if (!okNotice || !activeKey) return;
    const t = setTimeout(() => update(activeKey, (doc) => (doc.notice?.tone === 'ok' ? { notice: undefined } : {})), 5000);
    return () => clearTimeout(t);
  }, [okNotice, activeKey, update]);

  useEffect(
    () => () => {
      for (const l of listeners.current.values()) l.dispose();
      for (const t of draftTimers.current.values()) clearTimeout(t);
    },
    [],
  );

  return useMemo(
    () => ({ docs, docsRef, active, activeKey, setActiveKey, dirty, dirtyRef, get, update, updateFile, ensure, setText, textOf, close, modelOf, recompute }),
    [docs, active, activeKey, dirty, get, update, updateFile, ensure, setText, textOf, close, modelOf, recompute],
  );
}

export type EditorDocs = ReturnType<typeof useEditorDocs>;
