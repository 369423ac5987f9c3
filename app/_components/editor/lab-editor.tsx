'use client';
// The Editor tab: Monaco beside the terminals, wired to the lab. A layout over the documents (use-editor-docs.ts),
// lab files (use-file-docs.ts), manifests with Apply and Diff (use-manifest-docs.ts), the work that waits for the
// lab (use-lab-ready.ts) and the Monaco surface (monaco-surface.tsx).
// Loaded only when the tab is first opened (editor-tab.tsx); Monaco and its workers come from this site.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LabView } from '../lab/lab-client.ts';
import { docLocation, docSaveState, isReadOnly, SCRATCHPAD_KEY, type NoticeAction } from './doc-model.ts';
import { DocTabs } from './doc-tabs.tsx';
import { loadOpenDocs } from './drafts.ts';
import { onEditorRequest } from './editor-bus.ts';
import { FileBrowser } from './file-browser.tsx';
import { ManifestOutput } from './manifest-output.tsx';
import { MonacoSurface } from './monaco-surface.tsx';
import { setupMonaco } from './monaco-setup.ts';
import { NoticeBar } from './notice-bar.tsx';
import { useEditorDocs } from './use-editor-docs.ts';
import { useFileDocs } from './use-file-docs.ts';
import { useLabReady } from './use-lab-ready.ts';
import { useLatest } from './use-latest.ts';
import { useManifestDocs } from './use-manifest-docs.ts';
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

export default function LabEditor({ lessonId, sandbox, lab, visible, startLab }: LabEditorProps) {
  const { monaco } = useMemo(() => setupMonaco(), []);
  const d = useEditorDocs(monaco, lessonId, sandbox);
  const [showBrowser, setShowBrowser] = useState(true);
  const [browserTarget, setBrowserTarget] = useState<string | undefined>();

  const labReady = !!lab && (lab.state === 'ready' || lab.state === 'paused');
  const labId = labReady ? lab.id : undefined;
  const targets = useMemo(() => (labReady ? lab.targets : []), [labReady, lab]);
  const hasCluster = targets.some((t) => t.kind === 'jumpbox');
  const target =
    browserTarget && targets.some((t) => t.name === browserTarget) ? browserTarget : (targets.find((t) => t.kind === 'jumpbox') ?? targets[0])?.name;

  const ready = useLabReady(labId);
  const files = useFileDocs({ docs: d, labId, lessonId, sandbox, visible, startLab, ready });
  const manifests = useManifestDocs({ docs: d, labId, hasLab: !!lab, hasCluster, lessonId, startLab, ready });
  const { active } = d;

  const onNoticeAction = useCallback(
    (key: string, action: NoticeAction) => (d.get(key)?.kind === 'manifest' ? manifests.onNoticeAction(key, action) : files.onNoticeAction(key, action)),
    [d, manifests, files],
  );

  const closeDoc = useCallback(
    (key: string) => {
      const doc = d.get(key);
      if (!doc) return;
      if (d.dirtyRef.current[key] && !window.confirm(`Close ${doc.title} and discard your unsaved changes?`)) return;
      d.close(key);
    },
    [d],
  );

  // Restore what was open before a reload: the scratchpad always, manifests from their drafts, files (and the
  // document that was in front, after them) once the lab is up.
  useEffect(() => {
    const saved = loadOpenDocs(lessonId);
    manifests.restore(saved.docs);
    files.restore(saved.docs);
    d.setActiveKey(saved.active && d.get(saved.active) ? saved.active : SCRATCHPAD_KEY);
    const restoredActive = saved.active;
    if (restoredActive) {
      void ready.whenReady(() => {
        if (d.get(restoredActive)) d.setActiveKey(restoredActive);
      });
    }
    // Runs once per mount: the editor's documents are per lesson page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Lesson prose (<Edit>, <Manifest>) asks through the editor bus; the subscription, made once, calls the latest handlers.
  const handlers = useLatest({ openFile: files.open, openManifest: manifests.open, run: manifests.run });
  useEffect(
    () =>
      onEditorRequest((r) => {
        // A lesson names the file on purpose: if it does not exist yet, it opens as a new file that Save creates.
        if (r.kind === 'file') void handlers.current.openFile(r.target, r.path, true);
        else {
          const key = handlers.current.openManifest(r.yaml, r.title);
          if (r.apply) handlers.current.run('apply', key);
        }
      }),
    [handlers],
  );

  const isYaml = active?.language === 'yaml';
  const banner = files.banner;
  const bannerCreate = banner?.create;

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
        <DocTabs docs={d.docs} activeKey={d.activeKey} dirty={d.dirty} onSelect={d.setActiveKey} onClose={closeDoc} />
        <div className={styles.actions}>
          {active?.kind === 'file' ? (
            <button
              type="button"
              className={styles.primaryButton}
              onClick={() => void files.save(active.key)}
              disabled={!!active.busy || !active.savable}
              data-testid="editor-save"
              title="Save to the lab (Ctrl+S)"
            >
              {active.busy === 'saving' ? 'Saving…' : 'Save'}
            </button>
          ) : null}
          {isYaml && active ? (
            <>
              <button
                type="button"
                className={styles.button}
                onClick={() => manifests.run('diff', active.key)}
                disabled={!!active.busy}
                title="kubectl diff (Ctrl+Shift+Enter)"
                data-testid="manifest-diff"
              >
                {active.busy === 'diffing' ? 'Diffing…' : 'Diff'}
              </button>
              <button
                type="button"
                className={styles.primaryButton}
                onClick={() => manifests.run('apply', active.key)}
                disabled={!!active.busy}
                title="kubectl apply --server-side (Ctrl+Enter)"
                data-testid="manifest-apply"
              >
                {active.busy === 'applying' ? 'Applying…' : 'Apply'}
              </button>
            </>
          ) : null}
        </div>
      </div>

      <div className={styles.body}>
        {showBrowser ? (
          labId && target ? (
            <FileBrowser
              key={`${labId}:${target}`}
              labId={labId}
              targets={targets}
              target={target}
              onTargetChange={setBrowserTarget}
              onOpen={(t, p, create) => void files.open(t, p, create)}
            />
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
          {banner ? (
            <NoticeBar
              notice={banner}
              onDismiss={files.dismissBanner}
              onCreate={bannerCreate ? () => void files.open(bannerCreate.target, bannerCreate.path, true) : undefined}
            />
          ) : null}
          {active?.notice ? (
            <NoticeBar notice={active.notice} onAction={(a) => onNoticeAction(active.key, a)} onDismiss={() => d.update(active.key, { notice: undefined })} />
          ) : null}
          <MonacoSurface
            monaco={monaco}
            docKey={d.activeKey}
            model={d.modelOf(active)}
            readOnly={isReadOnly(active)}
            onSave={() => d.activeKey && void files.save(d.activeKey)}
            onApply={() => d.activeKey && manifests.run('apply', d.activeKey)}
            onDiff={() => d.activeKey && manifests.run('diff', d.activeKey)}
          />
          {manifests.outcome ? (
            <ManifestOutput
              outcome={manifests.outcome}
              onClose={manifests.closeOutcome}
              onForceApply={active ? () => manifests.run('apply', active.key, true) : undefined}
            />
          ) : null}
        </div>
      </div>

      <div className={styles.status} aria-live="polite">
        <span className={styles.statusPath}>{docLocation(active)}</span>
        <span data-testid="editor-state">{docSaveState(active, !!(active && d.dirty[active.key]))}</span>
        {isYaml ? (
          <span className={styles.schema} data-status={manifests.schema.status}>
            {labReady && !hasCluster
              ? `No Kubernetes cluster in this lab (${lab.sandbox}): YAML syntax only`
              : manifests.schema.status !== 'none'
                ? manifests.schema.text
                : labReady
                  ? ''
                  : 'Schema loads with your lab'}
          </span>
        ) : null}
        <span className={styles.hint}>Ctrl+S save{isYaml ? ' · Ctrl+Enter apply' : ''} · F1 commands</span>
      </div>
    </div>
  );
}
