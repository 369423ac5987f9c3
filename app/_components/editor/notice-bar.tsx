'use client';
// A message above the editor: what happened to a document (saved, conflict, read-only…) with the actions it offers.
import type { Notice, NoticeAction } from './doc-model.ts';
import styles from './editor.module.css';

const ACTION_LABELS: Record<NoticeAction, string> = {
  reload: 'Reload from the lab',
  overwrite: 'Overwrite with mine',
  recreate: 'Save as a new file',
  'keep-mine': 'Keep mine',
};

export function NoticeBar({
  notice,
  onAction,
  onDismiss,
  onCreate,
}: {
  notice: Notice;
  onAction?: (a: NoticeAction) => void;
  onDismiss(): void;
  onCreate?: () => void;
}) {
  return (
    <div
      className={styles.notice}
      data-tone={notice.tone}
      role={notice.tone === 'error' || notice.tone === 'warn' ? 'alert' : 'status'}
      data-testid="editor-notice"
    >
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
