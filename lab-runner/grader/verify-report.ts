// Renders `lab verify` results: a per-task table per lesson, the reasons for every failure, and one summary line.
import type { LessonVerification, StepResult } from './verify-lesson.ts';
import type { VariantVerification } from './verify-variants.ts';

const mark = (s: StepResult | undefined) => (!s || s.outcome === 'skipped' ? '–' : s.outcome === 'ok' ? '✓' : '✗');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatLessonVerification(v: LessonVerification): string {
  const lines = [`${v.lesson}  (sandbox ${v.sandbox})`];
  if (v.outcome === 'skipped') {
    lines.push(`  skipped: ${v.reason}`);
    return lines.join('\n');
  }
  if (v.setup) lines.push(`  ${mark(v.setup)} setup${v.setup.detail ? `: ${v.setup.detail}` : ''}  (${secs(v.setup.durationMs)})`);
  if (v.tasks.length > 0) {
    const w = Math.max(4, ...v.tasks.map((t) => t.taskId.length)) + 2;
    const cols = ['fails before', 'solution', 'passes after', 'invariants', 'final re-check'];
    lines.push(`  ${'task'.padEnd(w)}${cols.map((c) => c.padEnd(c.length + 2)).join('')}`);
    for (const t of v.tasks) {
      const steps = [t.failsBefore, t.solution, t.passesAfter, t.invariants, t.finalCheck];
      lines.push(`  ${t.taskId.padEnd(w)}${steps.map((s, i) => mark(s).padEnd(cols[i]!.length + 2)).join('')}`);
    }
    for (const t of v.tasks) {
      const named: [string, StepResult][] = [
        ['fails before', t.failsBefore],
        ['solution', t.solution],
        ['passes after', t.passesAfter],
        ['invariants', t.invariants],
        ['final re-check', t.finalCheck],
      ];
      for (const [name, s] of named) if (s.outcome === 'failed') lines.push(`  ✗ ${t.taskId} / ${name}: ${s.detail}`);
    }
  }
  if (v.variants?.length) lines.push(...formatVariants(v.variants));
  if (v.reason && v.outcome === 'failed') lines.push(`  ✗ ${v.reason}`);
  lines.push(`${v.outcome === 'passed' ? '✓ passed' : '✗ FAILED'} in ${secs(v.durationMs)}`);
  return lines.join('\n');
}

/** One line per near miss and variant: what rejected a near miss, or why an entry failed verification. */
function formatVariants(variants: VariantVerification[]): string[] {
  const c = countVariants(variants);
  const lines = [`  near misses: ${c.wrongRejected} rejected, ${c.wrongAccepted} not rejected; right variants: ${c.rightPassed} pass, ${c.rightFailed} fail`];
  for (const x of variants) {
    const name = `${x.taskId} ${x.kind === 'wrong' ? 'wrong' : 'right'} ${x.id}`;
    const why = x.outcome === 'ok' ? (x.kind === 'wrong' ? `rejected by ${x.verdict}` : 'passes') : x.detail;
    const took = x.prepareMs !== undefined ? `${secs(x.durationMs)}, ${secs(x.prepareMs)} to prepare` : secs(x.durationMs);
    lines.push(`  ${x.outcome === 'ok' ? '✓' : '✗'} ${name}: ${why}  (${took})`);
  }
  return lines;
}

export interface VariantCounts {
  /** Near misses the check (or an invariant) rejected with a helpful verdict. */
  wrongRejected: number;
  /** Near misses that passed, were rejected without saying why, or could not be run. */
  wrongAccepted: number;
  rightPassed: number;
  rightFailed: number;
}

export function countVariants(variants: VariantVerification[]): VariantCounts {
  const n = (kind: string, outcome: string) => variants.filter((v) => v.kind === kind && v.outcome === outcome).length;
  return { wrongRejected: n('wrong', 'ok'), wrongAccepted: n('wrong', 'failed'), rightPassed: n('right', 'ok'), rightFailed: n('right', 'failed') };
}

export interface VerifySummary {
  passed: number;
  failed: number;
  skipped: number;
  /** Over every lesson; absent when near misses and variants were skipped. */
  variants?: VariantCounts;
  lessons: LessonVerification[];
}

export function summarise(results: LessonVerification[]): VerifySummary {
  return {
    passed: results.filter((r) => r.outcome === 'passed').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
    variants: results.some((r) => r.variants?.length) ? countVariants(results.flatMap((r) => r.variants ?? [])) : undefined,
    lessons: results,
  };
}

/** "N passed, N failed" (+ ", N skipped" when some were, + the near-miss counts): the last line of the run. */
export function summaryLine(s: VerifySummary): string {
  const v = s.variants;
  const variants = v ? ` (near misses: ${v.wrongRejected} rejected, ${v.wrongAccepted} not; right variants: ${v.rightPassed} pass, ${v.rightFailed} fail)` : '';
  return `${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}${variants}`;
}
