'use client';
// The Editor tab: Monaco beside the terminals, wired to the lab. Opens and saves files on any lab target (with
// conflict detection against changes made in the lab), browses the learner's home, and keeps a manifest
// scratchpad per lesson with schema checks from the learner's own cluster, Apply and Diff.
// Loaded only when the tab is first opened (editor-tab.tsx); Monaco and its workers come from this site.
import Editor from '@monaco-editor/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/editor';
import type { LabView } from '../lab/lab-client.ts';
import { clusterSchema, EditorApiError, fileVersion, openFile as fetchFile, runManifest, saveFile } from './editor-api.ts';
import { onEditorRequest } from './editor-bus.ts';
import type { EditorRequest } from './editor-bus.ts';
import { fileDraftKey, loadDraft, loadOpenDocs, manifestDraftKey } from './drafts.ts';
import { FileBrowser } from './file-browser.tsx';
import { ManifestOutput, type ManifestOutcome } from './manifest-output.tsx';
import { setKubernetesSchema, setupMonaco, themeName } from './monaco-setup.ts';
import { fileDocKey, SCRATCHPAD_KEY, SCRATCHPAD_TEMPLATE, useEditorDocs, type Doc, type Notice, type NoticeAction } from './use-editor-docs.ts';
import styles from './editor.module.css';

export interface LabEditorProps {
  lessonId: string;
  /** Sandbox name: drafts of lab files are kept per sandbox, target and path. */
  sandbox: string;
  /** The learner's lab, or null before one is started. */
  lab: LabView | null;
  /** The Editor tab is the visible one (change polling runs only then). */
  visible: boolean;
  startLab(): void;
}

const POLL_MS = 4000;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/** A stable document key for a lesson manifest: its title, else its first object. */
function manifestKey(yaml: string, title?: string): { key: string; title: string } {
  const kind = /^kind:\s*(\S+)/m.exec(yaml)?.[1];
  const name = /^\s+name:\s*(\S+)/m.exec(yaml)?.[1];
  const label = title ?? (kind && name ? `${kind}/${name}` : kind ?? 'manifest');
  return { key: `manifest:${label.toLowerCase().replace(/[^a-z0-9/-]+/g, '-')}`, title: label };
}

const ACTION_LABELS: Record<NoticeAction, string> = {
  reload: 'Reload from the lab',
  overwrite: 'Overwrite with mine',
  recreate: 'Save as a new file',
  'keep-mine': 'Keep mine',
};

export default function LabEditor({ lessonId, sandbox, lab, visible, startLab }: LabEditorProps) {
  const { monaco } = useMemo(() => setupMonaco(), []);
  const d = useEditorDocs(monaco, lessonId, sandbox);
  const editorRef = useRef<MonacoApi.editor.IStandaloneCodeEditor | null>(null);
  const viewStates = useRef(new Map<string, MonacoApi.editor.ICodeEditorViewState | null>());
  const [mounted, setMounted] = useState(false);
  const [showBrowser, setShowBrowser] = useState(true);
  const [browserTarget, setBrowserTarget] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<ManifestOutcome | undefined>();
  const [banner, setBanner] = useState<(Notice & { create?: { target: string; path: string } }) | undefined>();
  const pendingFiles = useRef<{ target: string; path: string; create?: boolean }[]>([]);
  const pendingApply = useRef<string | undefined>(undefined);
  const restoredActive = useRef<string | undefined>(undefined);

  const labReady = !!lab && (lab.state === 'ready' || lab.state === 'paused');
  const labId = labReady ? lab.id : undefined;
  const targets = useMemo(() => (labReady ? lab.targets : []), [labReady, lab]);
  const hasCluster = targets.some((t) => t.kind === 'jumpbox');
  const target = browserTarget && targets.some((t) => t.name === browserTarget) ? browserTarget : (targets.find((t) => t.kind === 'jumpbox') ?? targets[0])?.name;
  const active = d.docs.find((doc) => doc.key === d.activeKey);

  // ---- manifests -------------------------------------------------------------------------------------------

  const ensureManifest = useCallback(
    (key: string, title: string, lessonText: string): Doc => {
      const draft = loadDraft(manifestDraftKey(lessonId, key));
      return d.ensure({ key, kind: 'manifest', title, base: null, savedText: lessonText, savable: true }, draft?.content ?? lessonText);
    },
    [d, lessonId],
  );

  const openManifest = useCallback(
    (yaml: string, title?: string): string => {
      const m = manifestKey(yaml, title);
      const existing = d.get(m.key);
      ensureManifest(m.key, m.title, yaml);
      if (existing && d.textOf(m.key) !== yaml) {
        d.update(m.key, { savedText: yaml, notice: { tone: 'info', text: `This is your edited copy of ${m.title}.`, actions: ['reload'] } });
      }
      d.setActiveKey(m.key);
      return m.key;
    },
    [d, ensureManifest],
  );

  const runAction = useCallback(
    async (action: 'apply' | 'diff', key: string, forceConflicts = false) => {
      const doc = d.get(key);
      if (!doc) return;
      if (!labId) {
        if (action === 'apply') pendingApply.current = key;
        setOutcome({ action, error: lab ? 'Your lab is still starting; this runs once it is ready.' : 'Starting your lab first; this runs once it is ready.' });
        startLab();
        return;
      }
      d.update(key, { busy: action === 'apply' ? 'applying' : 'diffing' });
      try {
        setOutcome({ action, run: await runManifest(action, labId, d.textOf(key), forceConflicts) });
      } catch (err) {
        setOutcome({ action, error: err instanceof Error ? err.message : String(err) });
      } finally {
        d.update(key, { busy: undefined });
      }
    },
    [d, labId, lab, startLab],
  );

  // ---- files -----------------------------------------------------------------------------------------------

  const openFile = useCallback(
    async (fileTarget: string, path: string, create = false) => {
      const key = fileDocKey(fileTarget, path);
      if (d.get(key)) {
        d.setActiveKey(key);
        return;
      }
      if (!labId) {
        pendingFiles.current.push({ target: fileTarget, path, create });
        setBanner({ tone: 'info', text: `${fileTarget}:${path} opens as soon as your lab is ready.` });
        startLab();
        return;
      }
      setBanner({ tone: 'info', text: `Opening ${fileTarget}:${path}…` });
      const draft = loadDraft(fileDraftKey(sandbox, fileTarget, path));
      try {
        const { file } = await fetchFile(labId, fileTarget, path, lessonId);
        const restored = draft && draft.content !== file.content ? draft : undefined;
        const stale = restored && restored.baseSha !== file.version.sha256;
        d.ensure(
          {
            key,
            kind: 'file',
            title: baseName(file.path),
            target: fileTarget,
            path: file.path,
            // A restored draft made against another version keeps that base, so saving it asks before overwriting.
            base: stale ? (restored.baseSha === 'absent' ? null : { ...file.version, sha256: restored.baseSha }) : file.version,
            savedText: file.content,
            savable: file.savable,
            realPath: file.realPath,
            notice: !file.savable
              ? { tone: 'info', text: `Read-only: this lesson does not let the editor save ${file.realPath !== file.path ? `${file.path} (→ ${file.realPath})` : file.path}. Change it in the terminal if you need to.` }
              : stale
                ? { tone: 'warn', text: 'Restored your unsaved text from this browser, but the file has changed in the lab since.', actions: ['reload', 'keep-mine'] }
                : restored
                  ? { tone: 'info', text: 'Restored your unsaved text from this browser.' }
                  : undefined,
          },
          restored ? restored.content : file.content,
        );
        d.recompute(key);
        d.setActiveKey(key);
        setBanner(undefined);
      } catch (err) {
        const e = err as EditorApiError;
        if (e.code === 'file-not-found' && (create || draft)) {
          d.ensure(
            {
              key,
              kind: 'file',
              title: baseName(path),
              target: fileTarget,
              path,
              base: null,
              savedText: '',
              savable: true,
              notice: { tone: 'info', text: `New file: ${path} does not exist on ${fileTarget} yet. Save creates it.` },
            },
            draft?.content ?? '',
          );
          d.recompute(key);
          d.setActiveKey(key);
          setBanner(undefined);
          return;
        }
        setBanner({ tone: 'error', text: e.message, ...(e.code === 'file-not-found' ? { create: { target: fileTarget, path } } : {}) });
      }
    },
    [d, labId, lessonId, sandbox, startLab],
  );

  const reload = useCallback(
    async (key: string, message = 'Reloaded from the lab.') => {
      const doc = d.get(key);
      if (!doc) return;
      if (doc.kind === 'manifest') {
        d.setText(key, doc.savedText);
        d.update(key, { notice: { tone: 'info', text: 'Back to the lesson’s version (Ctrl+Z undoes this).' } });
        return;
      }
      if (!labId) return;
      d.update(key, { busy: 'loading' });
      try {
        const { file } = await fetchFile(labId, doc.target!, doc.path!, lessonId);
        d.update(key, { busy: undefined, base: file.version, savedText: file.content, savable: file.savable, realPath: file.realPath, overwrite: false, notice: { tone: 'info', text: message } });
        d.setText(key, file.content);
      } catch (err) {
        const e = err as EditorApiError;
        if (e.code === 'file-not-found') {
          d.update(key, { busy: undefined, base: null, notice: { tone: 'warn', text: `${doc.path} no longer exists on ${doc.target}. Your text is still here; Save creates the file again.` } });
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
      if (!doc || doc.kind !== 'file' || doc.busy) return;
      if (!doc.savable) {
        d.update(key, { notice: { tone: 'error', text: `${doc.path} is read-only here: this lesson does not let the editor save it. Your text is kept; use the terminal to change the file.` } });
        return;
      }
      if (!labId) {
        d.update(key, { notice: { tone: 'error', text: 'Your lab is not running. Your text is kept in this browser: start the lab, then save again.' } });
        return;
      }
      const content = d.textOf(key);
      const expected = mode === 'overwrite' || doc.overwrite ? 'any' : mode === 'recreate' || !doc.base ? 'absent' : doc.base.sha256;
      d.update(key, { busy: 'saving' });
      try {
        const saved = await saveFile({ lab: labId, target: doc.target!, path: doc.path!, content, expected, lesson: lessonId });
        const where = saved.realPath !== doc.path ? `${doc.path} (→ ${saved.realPath})` : doc.path;
        d.update(key, { busy: undefined, base: saved.version, savedText: content, overwrite: false, notice: { tone: 'ok', text: `Saved to ${doc.target}:${where}.` } });
        d.recompute(key);
      } catch (err) {
        const e = err as EditorApiError;
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
      if (action === 'reload') {
        const doc = d.get(key);
        if (doc?.kind === 'file' && d.dirtyRef.current[key] && !window.confirm(`Replace your unsaved text in ${doc.title} with the lab's version?`)) return;
        void reload(key);
      } else if (action === 'overwrite') void save(key, 'overwrite');
      else if (action === 'recreate') void save(key, 'recreate');
      else d.update(key, { overwrite: true, notice: { tone: 'info', text: 'Keeping your text: the next save replaces the lab’s version.' } });
    },
    [d, reload, save],
  );

  const closeDoc = useCallback(
    (key: string) => {
      const doc = d.get(key);
      if (!doc) return;
      if (d.dirtyRef.current[key] && !window.confirm(`Close ${doc.title} and discard your unsaved changes?`)) return;
      viewStates.current.delete(key);
      d.close(key);
    },
    [d],
  );

  // ---- lesson actions, restore, lab changes ------------------------------------------------------------

  // Subscriptions made once (the editor bus) call the latest handlers through this ref.
  const handlers = useRef({ openFile, openManifest, runAction });
  useLayoutEffect(() => {
    handlers.current = { openFile, openManifest, runAction };
  });

  // Restore what was open before a reload: the scratchpad always, manifests from their drafts, files once the lab is up.
  useEffect(() => {
    ensureManifest(SCRATCHPAD_KEY, 'Scratchpad', SCRATCHPAD_TEMPLATE);
    const saved = loadOpenDocs(lessonId);
    for (const ref of saved.docs) {
      if (ref.kind === 'manifest' && ref.key && ref.key !== SCRATCHPAD_KEY && loadDraft(manifestDraftKey(lessonId, ref.key))) ensureManifest(ref.key, ref.title ?? 'Manifest', '');
      else if (ref.kind === 'file' && ref.target && ref.path) pendingFiles.current.push({ target: ref.target, path: ref.path });
    }
    restoredActive.current = saved.active;
    d.setActiveKey(saved.active && d.get(saved.active) ? saved.active : SCRATCHPAD_KEY);
    // Runs once per mount: the editor's documents are per lesson page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(
    () =>
      onEditorRequest((r: EditorRequest) => {
        // A lesson names the file on purpose: if it does not exist yet, it opens as a new file that Save creates.
        if (r.kind === 'file') void handlers.current.openFile(r.target, r.path, true);
        else {
          const key = handlers.current.openManifest(r.yaml, r.title);
          if (r.apply) void handlers.current.runAction('apply', key);
        }
      }),
    [],
  );

  // When the lab becomes ready: open what was waiting for it, run a queued Apply, refresh clean files of an older lab.
  const previousLab = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!labId) return;
    const waiting = pendingFiles.current;
    pendingFiles.current = [];
    void (async () => {
      for (const f of waiting) await handlers.current.openFile(f.target, f.path, f.create);
      if (restoredActive.current && d.get(restoredActive.current)) d.setActiveKey(restoredActive.current);
      restoredActive.current = undefined;
    })();
    if (pendingApply.current) {
      const key = pendingApply.current;
      pendingApply.current = undefined;
      void handlers.current.runAction('apply', key);
    }
    if (previousLab.current && previousLab.current !== labId) {
      for (const doc of d.docsRef.current) if (doc.kind === 'file' && !d.dirtyRef.current[doc.key]) void reload(doc.key, 'Reloaded from your new lab.');
    }
    previousLab.current = labId;
  }, [labId, d, reload]);

  // The cluster's own schema for manifests; labs without a cluster check YAML syntax only.
  const [loadedSchema, setLoadedSchema] = useState<{ labId: string; status: 'ready' | 'error'; text: string } | undefined>();
  useEffect(() => {
    if (!labId || !hasCluster) {
      setKubernetesSchema(undefined);
      return;
    }
    let cancelled = false;
    clusterSchema(labId).then(
      (s) => {
        if (cancelled) return;
        setKubernetesSchema(s);
        setLoadedSchema({ labId, status: 'ready', text: `Checked against Kubernetes ${s.kubernetesVersion} (${s.kinds.length} kinds)` });
      },
      (err: unknown) => {
        if (!cancelled) setLoadedSchema({ labId, status: 'error', text: `Schema unavailable (YAML syntax is still checked): ${(err as Error).message}` });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [labId, hasCluster]);
  const schema: { status: 'none' | 'loading' | 'ready' | 'error'; text?: string } =
    !labId || !hasCluster ? { status: 'none' } : loadedSchema?.labId === labId ? loadedSchema : { status: 'loading', text: 'Loading the cluster’s schema…' };

  // Notice the lab changing the open file: a clean buffer follows it, a dirty one asks.
  useEffect(() => {
    if (!visible || !labId) return;
    const timer = setInterval(async () => {
      if (document.visibilityState !== 'visible') return;
      const doc = d.get(d.activeKey ?? '');
      if (!doc || doc.kind !== 'file' || !doc.base || doc.busy || doc.overwrite || doc.notice?.actions?.length) return;
      try {
        const v = await fileVersion(labId, doc.target!, doc.path!);
        const now = d.get(doc.key);
        if (!now?.base || v.sha256 === now.base.sha256 || now.busy) return;
        if (!d.dirtyRef.current[doc.key]) await reload(doc.key, `Reloaded: ${doc.path} changed on ${doc.target}.`);
        else d.update(doc.key, { notice: { tone: 'warn', text: `${doc.path} changed on ${doc.target} since you opened it.`, actions: ['reload', 'keep-mine'] } });
      } catch (err) {
        if ((err as EditorApiError).code === 'file-not-found' && d.get(doc.key)?.base) {
          d.update(doc.key, { base: null, notice: { tone: 'warn', text: `${doc.path} was deleted on ${doc.target}. Your text is still here; Save creates the file again.` } });
        }
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [visible, labId, d, reload]);

  // "Saved" fades after a few seconds; warnings and errors stay until acted on.
  useEffect(() => {
    if (active?.notice?.tone !== 'ok') return;
    const key = active.key;
    const t = setTimeout(() => d.update(key, (doc) => (doc.notice?.tone === 'ok' ? { notice: undefined } : {})), 5000);
    return () => clearTimeout(t);
  }, [active?.notice, active?.key, d]);

  // ---- Monaco ----------------------------------------------------------------------------------------------

  // Monaco's keybindings are registered once, at mount; they call the latest save/apply/diff through this ref.
  const commands = useRef({ save: () => {}, apply: () => {}, diff: () => {} });
  useLayoutEffect(() => {
    commands.current = {
      save: () => d.activeKey && void save(d.activeKey),
      apply: () => d.activeKey && void runAction('apply', d.activeKey),
      diff: () => d.activeKey && void runAction('diff', d.activeKey),
    };
  });

  const onMount = useCallback(
    (editor: MonacoApi.editor.IStandaloneCodeEditor) => {
      editorRef.current = editor;
      const { KeyMod, KeyCode } = monaco;
      editor.addAction({ id: 'packetwalk.save', label: 'Save to the lab', keybindings: [KeyMod.CtrlCmd | KeyCode.KeyS], run: () => commands.current.save() });
      editor.addAction({ id: 'packetwalk.apply', label: 'Apply this manifest to the cluster', keybindings: [KeyMod.CtrlCmd | KeyCode.Enter], run: () => commands.current.apply() });
      editor.addAction({ id: 'packetwalk.diff', label: 'Diff this manifest against the cluster', keybindings: [KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.Enter], run: () => commands.current.diff() });
      setMounted(true);
    },
    [monaco],
  );

  // Show the active document's model; remember where the cursor was in the one we leave.
  const shownKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    const editor = editorRef.current;
    if (!mounted || !editor) return;
    const model = d.modelOf(active);
    if (shownKey.current && shownKey.current !== d.activeKey) viewStates.current.set(shownKey.current, editor.saveViewState());
    if (editor.getModel() !== model) {
      editor.setModel(model);
      const view = d.activeKey ? viewStates.current.get(d.activeKey) : undefined;
      if (view) editor.restoreViewState(view);
    }
    shownKey.current = d.activeKey;
    editor.updateOptions({
      readOnly: !!active && !active.savable,
      readOnlyMessage: { value: 'This lesson does not let the editor save this file; change it in the terminal.' },
    });
  }, [mounted, active, d]);

  const fontFamily = useMemo(() => getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace', []);
  const isYaml = active?.language === 'yaml';
  const isDirty = !!(active && d.dirty[active.key]);

  return (
    <div className={styles.editor} data-testid="editor">
      <div className={styles.toolbar}>
        <button
          type="button"
          className={styles.iconButton}
          aria-pressed={showBrowser}
          aria-label={showBrowser ? 'Hide the file browser' : 'Show the file browser'}
          title="Files"
          onClick={() => setShowBrowser((s) => !s)}
        >
          ☰
        </button>
        <div role="tablist" aria-label="Open documents" className={styles.docTabs}>
          {d.docs.map((doc) => (
            <span key={doc.key} className={styles.docTab} data-active={doc.key === d.activeKey || undefined}>
              <button
                type="button"
                role="tab"
                aria-selected={doc.key === d.activeKey}
                className={styles.docTabButton}
                title={doc.kind === 'file' ? `${doc.target}:${doc.path}` : doc.title}
                aria-label={`${doc.title}${doc.kind === 'file' ? ` on ${doc.target}` : ''}${d.dirty[doc.key] ? ' (unsaved)' : ''}`}
                onClick={() => d.setActiveKey(doc.key)}
                data-testid="editor-doc-tab"
              >
                {doc.kind === 'file' ? <span className={styles.docTarget}>{doc.target}</span> : null}
                {doc.title}
                {d.dirty[doc.key] ? (
                  <span className={styles.dirtyDot} aria-hidden="true" title="Unsaved changes">
                    ●
                  </span>
                ) : null}
              </button>
              {doc.key !== SCRATCHPAD_KEY ? (
                <button type="button" className={styles.closeDoc} aria-label={`Close ${doc.title}`} onClick={() => closeDoc(doc.key)}>
                  ×
                </button>
              ) : null}
            </span>
          ))}
        </div>
        <div className={styles.actions}>
          {active?.kind === 'file' ? (
            <button type="button" className={styles.primaryButton} onClick={() => void save(active.key)} disabled={!!active.busy || !active.savable} data-testid="editor-save" title="Save to the lab (Ctrl+S)">
              {active.busy === 'saving' ? 'Saving…' : 'Save'}
            </button>
          ) : null}
          {isYaml && active ? (
            <>
              <button type="button" className={styles.button} onClick={() => void runAction('diff', active.key)} disabled={!!active.busy} title="kubectl diff (Ctrl+Shift+Enter)" data-testid="manifest-diff">
                {active.busy === 'diffing' ? 'Diffing…' : 'Diff'}
              </button>
              <button type="button" className={styles.primaryButton} onClick={() => void runAction('apply', active.key)} disabled={!!active.busy} title="kubectl apply --server-side (Ctrl+Enter)" data-testid="manifest-apply">
                {active.busy === 'applying' ? 'Applying…' : 'Apply'}
              </button>
            </>
          ) : null}
        </div>
      </div>

      <div className={styles.body}>
        {showBrowser ? (
          labId && target ? (
            <FileBrowser key={`${labId}:${target}`} labId={labId} targets={targets} target={target} onTargetChange={setBrowserTarget} onOpen={(t, p, create) => void openFile(t, p, create)} />
          ) : (
            <div className={styles.browser}>
              <p className={styles.browserNote}>
                Lab files appear here once your lab is running.{' '}
                {!lab ? (
                  <button type="button" className={styles.linkButton} onClick={startLab}>
                    Start the lab
                  </button>
                ) : null}
              </p>
            </div>
          )
        ) : null}
        <div className={styles.main}>
          {banner ? <NoticeBar notice={banner} onDismiss={() => setBanner(undefined)} onCreate={banner.create ? () => void openFile(banner.create!.target, banner.create!.path, true) : undefined} /> : null}
          {active?.notice ? <NoticeBar notice={active.notice} onAction={(a) => onNoticeAction(active.key, a)} onDismiss={() => d.update(active.key, { notice: undefined })} /> : null}
          <div className={styles.monaco}>
            <Editor
              theme={themeName()}
              keepCurrentModel
              loading={<p className={styles.loading}>Loading the editor…</p>}
              onMount={onMount}
              options={{
                automaticLayout: true,
                fontFamily,
                fontSize: 13,
                minimap: { enabled: false },
                scrollBeyondLastLine: false,
                tabSize: 2,
                renderWhitespace: 'selection',
                unicodeHighlight: { ambiguousCharacters: true, invisibleCharacters: true },
                ariaLabel: 'Editor. Press Ctrl+M, then Tab, to move focus out of the editor.',
                fixedOverflowWidgets: true,
              }}
            />
          </div>
          {outcome ? <ManifestOutput outcome={outcome} onClose={() => setOutcome(undefined)} onForceApply={d.activeKey ? () => void runAction('apply', d.activeKey!, true) : undefined} /> : null}
        </div>
      </div>

      <div className={styles.status} aria-live="polite">
        <span className={styles.statusPath}>
          {active?.kind === 'file' ? `${active.target}:${active.realPath && active.realPath !== active.path ? `${active.path} → ${active.realPath}` : active.path}` : active ? `${active.title} (kept in this browser)` : ''}
        </span>
        <span data-testid="editor-state">{active?.kind === 'file' ? (active.busy === 'saving' ? 'Saving…' : isDirty ? 'Unsaved changes' : active.base ? 'Saved' : 'New file') : ''}</span>
        {isYaml ? (
          <span className={styles.schema} data-status={schema.status}>
            {labReady && !hasCluster ? `No Kubernetes cluster in this lab (${lab?.sandbox}): YAML syntax only` : schema.text ?? (labReady ? '' : 'Schema loads with your lab')}
          </span>
        ) : null}
        <span className={styles.hint}>Ctrl+S save{isYaml ? ' · Ctrl+Enter apply' : ''} · F1 commands</span>
      </div>
    </div>
  );
}

function NoticeBar({ notice, onAction, onDismiss, onCreate }: { notice: Notice; onAction?: (a: NoticeAction) => void; onDismiss(): void; onCreate?: () => void }) {
  return (
    <div className={styles.notice} data-tone={notice.tone} role={notice.tone === 'error' || notice.tone === 'warn' ? 'alert' : 'status'} data-testid="editor-notice">
      <span className={styles.noticeText}>{notice.text}</span>
      {notice.actions?.map((a) => (
        <button key={a} type="button" className={styles.smallButton} onClick={() => onAction?.(a)}>
          {ACTION_LABELS[a]}
        </button>
      ))}
      {onCreate ? (
        <button type="button" className={styles.smallButton} onClick={onCreate}>
          Create it
        </button>
      ) : null}
      <button type="button" className={styles.iconButton} aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
