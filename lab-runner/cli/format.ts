// Small text helpers for CLI output.
import type { Lab } from '../lab/lab.ts';

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function ago(date: Date, now = new Date()): string {
  const s = Math.round((+now - +date) / 1000);
  if (s < 0) return `in ${until(date, now)}`;
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)}m ago`;
  return `${(s / 3600).toFixed(1)}h ago`;
}

export function until(date: Date, now = new Date()): string {
  const s = Math.round((+date - +now) / 1000);
  if (s <= 0) return 'expired';
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

export function describeLab(lab: Lab): string {
  const lines = [`${lab.id}  ${lab.template}  ${lab.state}  learner=${lab.learnerId}`];
  if (lab.state === 'ready' || lab.state === 'paused') {
    for (const t of lab.targets) lines.push(`  ${t.name.padEnd(10)} ${t.containerName}${t.ipv4 ? `  ${t.ipv4}` : ''}`);
  }
  if (lab.state === 'failed') lines.push(`  error: ${lab.error}`);
  return lines.join('\n');
}
