// Renders `lab verify` results: a per-task table per lesson, the reasons for every failure, and one summary line.
import type { LessonVerification, StepResult } from './verify-lesson.ts';

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
  if (v.reason && v.outcome === 'failed') lines.push(`  ✗ ${v.reason}`);
  lines.push(`${v.outcome === 'passed' ? '✓ passed' : '✗ FAILED'} in ${secs(v.durationMs)}`);
  return lines.join('\n');
}

export interface VerifySummary {
  passed: number;
  failed: number;
  skipped: number;
  lessons: LessonVerification[];
}

export function summarise(results: LessonVerification[]): VerifySummary {
  return {
    passed: results.filter((r) => r.outcome === 'passed').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
    lessons: results,
  };
}

/** "N passed, N failed" (+ ", N skipped" when some were): the last line of the run. */
export function summaryLine(s: VerifySummary): string {
  return `${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`;
}
