'use client';
// Lab files in the editor: open (restoring this browser's draft), save with conflict detection against changes
// made in the lab, reload, follow a file that changes in the lab while it is in front, and reload clean files
// when the learner gets a new lab. Work that needs the lab waits in the editor's ReadyQueue.
import { useCallback, useEffect, useRef, useState } from 'react';
import { EditorApiError, fileVersion, openFile as fetchFile, saveFile } from './editor-api.ts';
import { fileDraftKey, loadDraft, type OpenDocRef } from './drafts.ts';
import { fileDocKey, newFileDoc, openedFileDoc, saveExpectation, type Notice, type NoticeAction } from './doc-model.ts';
import type { ReadyQueue } from './ready-queue.ts';
import type { EditorDocs } from './use-editor-docs.ts';

/** How often the file in front is compared with the lab while the Editor tab shows. */
const POLL_MS = 4000;

/** A message above the documents; `create` offers to create the file that was not found. */
export type FileBanner = Notice & { create?: { target: string; path: string } };

export interface FileDocsOptions {
  docs: EditorDocs;
  labId: string | undefined;
  lessonId: string;
  sandbox: string;
  /** The Editor tab is the visible one (change polling runs only then). */
  visible: boolean;
  startLab(): void;
  ready: ReadyQueue<string>;
}

function apiError(err: unknown): EditorApiError {
  return err instanceof EditorApiError ? err : new EditorApiError(0, err instanceof Error ? err.message : String(err), undefined, {});
}

export function useFileDocs({ docs: d, labId, lessonId, sandbox, visible, startLab, ready }: FileDocsOptions) {
  const [banner, setBanner] = useState<FileBanner | undefined>();

  /** Opens a file from the lab `lab` (a new document when it does not exist and `create` or a draft says so). */
  const openIn = useCallback(
    async (lab: string, target: string, path: string, create: boolean) => {
      const key = fileDocKey(target, path);
      if (d.get(key)) {
        d.setActiveKey(key);
        return;
      }
      setBanner({ tone: 'info', text: `Opening ${target}:${path}…` });
      const draft = loadDraft(fileDraftKey(sandbox, target, path));
      try {
        const { file } = await fetchFile(lab, target, path, lessonId);
        const opened = openedFileDoc(key, target, file, draft);
        d.ensure(opened.init, opened.text);
      } catch (err) {
        const e = apiError(err);
        if (e.code !== 'file-not-found' || !(create || draft)) {
          setBanner({ tone: 'error', text: e.message, ...(e.code === 'file-not-found' ? { create: { target, path } } : {}) });
          return;
        }
        // A lesson names the file on purpose (or the learner has a draft of it): it opens as a new file.
        const created = newFileDoc(key, target, path, draft);
        d.ensure(created.init, created.text);
      }
      d.recompute(key);
      d.setActiveKey(key);
      setBanner(undefined);
    },
    [d, lessonId, sandbox],
  );

  const open = useCallback(
    (target: string, path: string, create = false): Promise<void> => {
      const key = fileDocKey(target, path);
      if (d.get(key)) {
        d.setActiveKey(key);
        return Promise.resolve();
      }
      if (!labId) {
        setBanner({ tone: 'info', text: `${target}:${path} opens as soon as your lab is ready.` });
        startLab();
      }
      return ready.whenReady((lab) => openIn(lab, target, path, create));
    },
    [d, labId, startLab, ready, openIn],
  );

  /** Files that were open before a reload open again once the lab is up (without starting it). */
  const restore = useCallback(
    (refs: readonly OpenDocRef[]) => {
      for (const ref of refs) if (ref.kind === 'file') void ready.whenReady((lab) => openIn(lab, ref.target, ref.path, false));
    },
    [ready, openIn],
  );

  const reload = useCallback(
    async (key: string, message = 'Reloaded from the lab.') => {
      const doc = d.get(key);
      if (doc?.kind !== 'file' || !labId) return;
      d.update(key, { busy: 'loading' });
      try {
        const { file } = await fetchFile(labId, doc.target, doc.path, lessonId);
        d.updateFile(key, {
          busy: undefined,
          base: file.version,
          savedText: file.content,
          savable: file.savable,
          realPath: file.realPath,
          overwrite: false,
          notice: { tone: 'info', text: message },
        });
        d.setText(key, file.content);
      } catch (err) {
        const e = apiError(err);
        if (e.code === 'file-not-found') {
          d.updateFile(key, {
            busy: undefined,
            base: null,
            notice: { tone: 'warn', text: `${doc.path} no longer exists on ${doc.target}. Your text is still here; Save creates the file again.` },
          });
        } else {
          d.update(key, { busy: undefined, notice: { tone: 'error', text: e.message } });
        }
      }
    },
    [d, labId, lessonId],
  );

  const save = useCallback(
    async (key: string, mode?: 'overwrite' | 'recreate') => {
      const doc = d.get(key);
      if (doc?.kind !== 'file' || doc.busy) return;
      if (!doc.savable) {
        d.update(key, {
          notice: {
            tone: 'error',
            text: `${doc.path} is read-only here: this lesson does not let the editor save it. Your text is kept; use the terminal to change the file.`,
          },
        });
        return;
      }
      if (!labId) {
        d.update(key, { notice: { tone: 'error', text: 'Your lab is not running. Your text is kept in this browser: start the lab, then save again.' } });
        return;
      }
      const content = d.textOf(key);
      d.update(key, { busy: 'saving' });
      try {
        const saved = await saveFile({ lab: labId, target: doc.target, path: doc.path, content, expected: saveExpectation(doc, mode), lesson: lessonId });
        const where = saved.realPath !== doc.path ? `${doc.path} (→ ${saved.realPath})` : doc.path;
        d.updateFile(key, {
          busy: undefined,
          base: saved.version,
          savedText: content,
          overwrite: false,
          notice: { tone: 'ok', text: `Saved to ${doc.target}:${where}.` },
        });
        d.recompute(key);
      } catch (err) {
        const e = apiError(err);
        const notice: Notice =
          e.code === 'file-conflict'
            ? { tone: 'warn', text: e.message, actions: ['reload', 'overwrite'] }
            : e.code === 'file-gone'
              ? { tone: 'warn', text: e.message, actions: ['recreate'] }
              : { tone: 'error', text: e.message };
        d.update(key, { busy: undefined, notice });
      }
    },
    [d, labId, lessonId],
  );

  const onNoticeAction = useCallback(
    (key: string, action: NoticeAction) => {
      const doc = d.get(key);
      if (doc?.kind !== 'file') return;
      switch (action) {
        case 'reload':
          if (d.dirtyRef.current[key] && !window.confirm(`Replace your unsaved text in ${doc.title} with the lab's version?`)) return;
          void reload(key);
          return;
        case 'overwrite':
        case 'recreate':
          void save(key, action);
          return;
        case 'keep-mine':
          d.updateFile(key, { overwrite: true, notice: { tone: 'info', text: 'Keeping your text: the next save replaces the lab’s version.' } });
          return;
      }
    },
    [d, reload, save],
  );

  // A new lab (after a reset or a stop and start): clean files follow it; files with unsaved text keep it.
  const previousLab = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!labId) return;
    if (previousLab.current && previousLab.current !== labId) {
      for (const doc of d.docsRef.current) if (doc.kind === 'file' && !d.dirtyRef.current[doc.key]) void reload(doc.key, 'Reloaded from your new lab.');
    }
    previousLab.current = labId;
  }, [labId, d, reload]);

  // Notice the lab changing the open file: a clean buffer follows it, a dirty one asks.
  useEffect(() => {
    if (!visible || !labId) return;
    const timer = setInterval(async () => {
      if (document.visibilityState !== 'visible') return;
      const doc = d.get(d.activeKey ?? '');
      if (doc?.kind !== 'file' || !doc.base || doc.busy || doc.overwrite || doc.notice?.actions?.length) return;
      try {
        const v = await fileVersion(labId, doc.target, doc.path);
        const now = d.get(doc.key);
        if (now?.kind !== 'file' || !now.base || v.sha256 === now.base.sha256 || now.busy) return;
        if (!d.dirtyRef.current[doc.key]) await reload(doc.key, `Reloaded: ${doc.path} changed on ${doc.target}.`);
        else
          d.update(doc.key, { notice: { tone: 'warn', text: `${doc.path} changed on ${doc.target} since you opened it.`, actions: ['reload', 'keep-mine'] } });
      } catch (err) {
        const now = d.get(doc.key);
        if (apiError(err).code === 'file-not-found' && now?.kind === 'file' && now.base) {
          d.updateFile(doc.key, {
            base: null,
            notice: { tone: 'warn', text: `${doc.path} was deleted on ${doc.target}. Your text is still here; Save creates the file again.` },
          });
        }
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [visible, labId, d, reload]);

  return { banner, dismissBanner: () => setBanner(undefined), open, restore, reload, save, onNoticeAction };
}
