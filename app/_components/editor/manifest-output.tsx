'use client';
// What kubectl said after Apply or Diff: the command as typed, a verdict, and its output (diff lines coloured).
import type { KubectlRun } from './editor-api.ts';
import styles from './editor.module.css';

export interface ManifestOutcome {
  action: 'apply' | 'diff';
  /** kubectl ran (possibly failing); absent when the request itself was refused. */
  run?: KubectlRun;
  /** A refusal before kubectl ran: invalid YAML, no cluster in this lab, lab not ready. */
  error?: string;
}

function verdict(o: ManifestOutcome): { tone: 'ok' | 'warn' | 'error'; text: string } {
  if (o.error || !o.run) return { tone: 'error', text: o.action === 'apply' ? 'Not applied' : 'No diff' };
  if (o.action === 'apply')
    return o.run.ok ? { tone: 'ok', text: `Applied ${o.run.objects.join(', ')}` } : { tone: 'error', text: `kubectl apply failed (exit ${o.run.exitCode})` };
  if (!o.run.ok) return { tone: 'error', text: `kubectl diff failed (exit ${o.run.exitCode})` };
  return o.run.differs ? { tone: 'warn', text: 'The cluster differs from this manifest' } : { tone: 'ok', text: 'No differences: the cluster already matches' };
}

function lineClass(line: string): string | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return styles.diffFile;
  if (line.startsWith('+')) return styles.diffAdd;
  if (line.startsWith('-')) return styles.diffDel;
  if (line.startsWith('@@')) return styles.diffHunk;
  return undefined;
}

export function ManifestOutput({ outcome, onClose, onForceApply }: { outcome: ManifestOutcome; onClose(): void; onForceApply?: () => void }) {
  const v = verdict(outcome);
  const run = outcome.run;
  const conflict = outcome.action === 'apply' && run && !run.ok && /conflict/i.test(run.stderr);
  return (
    <section className={styles.output} aria-label={`kubectl ${outcome.action} output`} data-testid="manifest-output">
      <div className={styles.outputHead}>
        <span className={styles.verdict} data-tone={v.tone} role="status">
          {v.text}
        </span>
        {run ? <code className={styles.command}>$ {run.command}</code> : null}
        {conflict && onForceApply ? (
          <button type="button" className={styles.smallButton} onClick={onForceApply} title="Take over the fields another manager owns (--force-conflicts)">
            Apply anyway
          </button>
        ) : null}
        <button type="button" className={styles.iconButton} onClick={onClose} aria-label="Close the kubectl output">
          ×
        </button>
      </div>
      <pre className={styles.outputText} tabIndex={0}>
        {outcome.error ? <span className={styles.diffDel}>{outcome.error}</span> : null}
        {run
          ? (run.stdout + (run.stderr ? (run.stdout ? '\n' : '') + run.stderr : '')).split('\n').map((line, i) => (
              <span key={i} className={outcome.action === 'diff' ? lineClass(line) : undefined}>
                {line}
                {'\n'}
              </span>
            ))
          : null}
      </pre>
    </section>
  );
}
