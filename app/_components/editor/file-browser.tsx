'use client';
// The learner's working directory on a lab target: folders to walk into, files to open, a path box for anything
// else (e.g. /etc/cni/net.d/10-kindnet.conflist) and "New file". Plain buttons and a form: fully keyboard-usable.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { EditorApiError, listDirectory, type DirectoryListing } from './editor-api.ts';
import styles from './editor.module.css';

export interface FileBrowserProps {
  labId: string;
  targets: { name: string; title: string }[];
  target: string;
  onTargetChange(target: string): void;
  onOpen(target: string, path: string, create?: boolean): void;
}

function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function parent(dir: string): string {
  const i = dir.lastIndexOf('/');
  return i <= 0 ? '/' : dir.slice(0, i);
}

export function FileBrowser({ labId, targets, target, onTargetChange, onOpen }: FileBrowserProps) {
  // Each navigation is a numbered request; the listing shown is the newest answer (older ones are ignored).
  const [request, setRequest] = useState<{ dir?: string; n: number }>({ n: 0 });
  const [answer, setAnswer] = useState<{ n: number; listing?: DirectoryListing; error?: string } | undefined>();
  const [pathInput, setPathInput] = useState('');
  const ids = useId();

  // The parent keys this component by lab and target: it starts from that target's home directory.
  useEffect(() => {
    let cancelled = false;
    listDirectory(labId, target, request.dir).then(
      (listing) => !cancelled && setAnswer({ n: request.n, listing }),
      (err: unknown) =>
        !cancelled && setAnswer((a) => ({ n: request.n, listing: a?.listing, error: err instanceof EditorApiError ? err.message : String(err) })),
    );
    return () => {
      cancelled = true;
    };
  }, [labId, target, request]);

  const load = (dir: string | undefined) => setRequest((r) => ({ dir, n: r.n + 1 }));
  const listing = answer?.listing;
  const dir = listing?.dir;
  const error = answer?.n === request.n ? answer.error : undefined;
  const loading = answer?.n !== request.n;

  const submitPath = (e: FormEvent<HTMLFormElement>, create: boolean) => {
    e.preventDefault();
    const raw = pathInput.trim();
    if (!raw) return;
    const path = raw.startsWith('/') ? raw : `${dir ?? ''}/${raw}`;
    onOpen(target, path, create);
    setPathInput('');
  };

  return (
    <nav className={styles.browser} aria-label="Lab files">
      <div className={styles.browserHead}>
        <label className="visually-hidden" htmlFor={`${ids}-target`}>
          Lab target
        </label>
        <select id={`${ids}-target`} className={styles.select} value={target} onChange={(e) => onTargetChange(e.target.value)}>
          {targets.map((t) => (
            <option key={t.name} value={t.name}>
              {t.title}
            </option>
          ))}
        </select>
        <button type="button" className={styles.iconButton} onClick={() => load(dir)} aria-label="Refresh the file list" title="Refresh">
          ↻
        </button>
      </div>
      <div className={styles.crumbs} aria-live="polite">
        <span className={styles.dir} title={dir}>
          {dir ?? '…'}
        </span>
        {dir && dir !== '/' ? (
          <button type="button" className={styles.linkButton} onClick={() => load(parent(dir))}>
            Up
          </button>
        ) : null}
      </div>
      {error ? (
        <p className={styles.browserError} role="alert">
          {error}
        </p>
      ) : null}
      <ul className={styles.entries} aria-busy={loading} data-testid="editor-file-list">
        {listing?.entries.map((entry) => (
          <li key={entry.path}>
            <button
              type="button"
              className={styles.entry}
              data-type={entry.type}
              onClick={() => (entry.type === 'directory' ? load(entry.path) : onOpen(target, entry.path))}
              title={entry.type === 'directory' ? `Open folder ${entry.path}` : `Open ${entry.path} (${formatSize(entry.size)})`}
            >
              <span aria-hidden="true" className={styles.entryIcon}>
                {entry.type === 'directory' ? '▸' : '·'}
              </span>
              <span className={styles.entryName}>{entry.name}</span>
              {entry.type === 'directory' ? <span className="visually-hidden">(folder)</span> : null}
            </button>
          </li>
        ))}
        {listing && listing.entries.length === 0 ? <li className={styles.emptyDir}>Empty folder</li> : null}
        {listing?.truncated ? <li className={styles.emptyDir}>Only the first {listing.entries.length} entries are shown.</li> : null}
      </ul>
      <form className={styles.pathForm} onSubmit={(e) => submitPath(e, false)}>
        <label htmlFor={`${ids}-path`} className={styles.pathLabel}>
          Open a path on {target}
        </label>
        <input
          id={`${ids}-path`}
          className={styles.pathInput}
          value={pathInput}
          onChange={(e) => setPathInput(e.target.value)}
          placeholder="/etc/resolv.conf"
          spellCheck={false}
          autoComplete="off"
        />
        <div className={styles.pathButtons}>
          <button type="submit" className={styles.smallButton}>
            Open
          </button>
          <button type="button" className={styles.smallButton} onClick={(e) => submitPath(e as unknown as FormEvent<HTMLFormElement>, true)}>
            New file
          </button>
        </div>
      </form>
    </nav>
  );
}
