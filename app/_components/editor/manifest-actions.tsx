'use client';
// The buttons of a lesson's <Manifest> block: open it in the editor (as its own document, kept in this browser)
// or apply it to the learner's cluster right away (the editor shows kubectl's answer).
import { labOf } from '../lab/lab-session-state.ts';
import { useLabActions, useLabState } from '../lab/lab-session.tsx';
import { EDITOR_TAB_ID, requestEditor } from './editor-bus.ts';
import styles from './mdx-actions.module.css';

export function ManifestActions({ yaml, title }: { yaml: string; title?: string }) {
  const session = useLabState();
  const actions = useLabActions();
  if (!session || !actions) return null;
  const unavailable = session.state.status.phase === 'unavailable';
  const open = (apply: boolean) => {
    requestEditor({ kind: 'manifest', yaml, title, apply });
    actions.setActiveTab(EDITOR_TAB_ID);
  };
  return (
    <span className={styles.manifestActions}>
      <button type="button" className={styles.action} onClick={() => open(false)} title="Open this manifest in the lab pane's editor">
        Open in editor
      </button>
      <button
        type="button"
        className={styles.primaryAction}
        onClick={() => open(true)}
        disabled={unavailable}
        title={unavailable ? 'Labs are not available on this server' : 'kubectl apply --server-side on your lab'}
      >
        Apply
      </button>
    </span>
  );
}

/** <Edit>'s button: opens a lab file in the editor, starting the lab first when there is none. */
export function EditAction({ target, file, label }: { target: string; file: string; label?: string }) {
  const session = useLabState();
  const actions = useLabActions();
  const open = () => {
    requestEditor({ kind: 'file', target, path: file });
    actions?.setActiveTab(EDITOR_TAB_ID);
    if (session && actions && !labOf(session.state.status)) void actions.start();
  };
  const unavailable = !session || session.state.status.phase === 'unavailable';
  return (
    <button
      type="button"
      className={styles.edit}
      onClick={open}
      disabled={unavailable}
      data-target={target}
      title={unavailable ? `Edit ${file} on ${target} (labs are not available here)` : `Open ${file} on ${target} in the editor`}
    >
      <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M4 20h4l10-10-4-4L4 16v4zm12.5-13.5 4 4 1.5-1.5-4-4z" fill="currentColor" />
      </svg>
      {label ? <span>{label}</span> : null}
      <code className={styles.editPath}>{file}</code>
      <span className={styles.editTarget}>{target}</span>
    </button>
  );
}
