'use client';
// The open documents as tabs: a file shows its target, unsaved text a dot; every document but the scratchpad closes.
import { docTabLabel, SCRATCHPAD_KEY, type Doc } from './doc-model.ts';
import styles from './editor.module.css';

export interface DocTabsProps {
  docs: readonly Doc[];
  activeKey: string | undefined;
  dirty: Record<string, boolean>;
  onSelect(key: string): void;
  onClose(key: string): void;
}

export function DocTabs({ docs, activeKey, dirty, onSelect, onClose }: DocTabsProps) {
  return (
    <div role="tablist" aria-label="Open documents" className={styles.docTabs}>
      {docs.map((doc) => (
        <span key={doc.key} className={styles.docTab} data-active={doc.key === activeKey || undefined}>
          <button
            type="button"
            role="tab"
            aria-selected={doc.key === activeKey}
            className={styles.docTabButton}
            title={doc.kind === 'file' ? `${doc.target}:${doc.path}` : doc.title}
            aria-label={docTabLabel(doc, !!dirty[doc.key])}
            onClick={() => onSelect(doc.key)}
            data-testid="editor-doc-tab"
          >
            {doc.kind === 'file' ? <span className={styles.docTarget}>{doc.target}</span> : null}
            {doc.title}
            {dirty[doc.key] ? (
              <span className={styles.dirtyDot} aria-hidden="true" title="Unsaved changes">
                ●
              </span>
            ) : null}
          </button>
          {doc.key !== SCRATCHPAD_KEY ? (
            <button type="button" className={styles.closeDoc} aria-label={`Close ${doc.title}`} onClick={() => onClose(doc.key)}>
              ×
            </button>
          ) : null}
        </span>
      ))}
    </div>
  );
}
