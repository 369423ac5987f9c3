// Runs several checks on one target in ONE exec, one after the other, each under its own timeout.
// Why: a Docker exec costs ~100 ms of daemon work; a lesson open for an hour with five tasks would otherwise pay that
// five times every few seconds. Batching keeps a round to one exec per target (fast "Check" answers, little CPU)
// while keeping every property of a single check: the scripts travel on stdin and stay out of argv and the disk
// (each check is piped from the batch shell's memory into `bash -c <fixed wrapper>`), one check runs at a time, and a
// check that hangs is killed with its whole process group by GNU timeout.
import { randomBytes } from 'node:crypto';
import { CHECK_PREAMBLE } from './check-preamble.ts';
import { runScript } from './check-runner.ts';
import type { LabExec } from './check-runner.ts';
import { errorVerdict, parseVerdict } from './verdict.ts';
import type { Verdict } from './verdict.ts';

export interface BatchItem {
  key: string;
  script: string;
  timeoutMs: number;
  env?: Record<string, string>;
}

/** Per-check output cap inside the batch (the verdict parser reads at most 64 KiB anyway). */
const ITEM_OUTPUT_BYTES = 64 * 1024;
/** What the batch shell itself may take beyond the checks' own timeouts. */
const BATCH_SLACK_MS = 5_000;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The batch script: helper preamble once as text, then each check piped into its own timed bash. */
export function batchScript(items: BatchItem[], token: string): string {
  const lines = [
    'set +e',
    `__pw_pre=${shellQuote(CHECK_PREAMBLE)}`,
    // The same wrapper as a single check: read the script from stdin, then run it with stdin at EOF.
    `__pw_wrap='__pw_script=$(cat) && exec </dev/null && eval "unset __pw_script; $__pw_script"'`,
  ];
  items.forEach((item, i) => {
    // "VAR=value cmd" assignments: no extra `env` process (every process counts at one round every few seconds).
    const env = Object.entries(item.env ?? {})
      .filter(([k]) => /^[A-Z_][A-Z0-9_]*$/.test(k))
      .map(([k, v]) => `${k}=${shellQuote(v)}`)
      .join(' ');
    const secs = Math.max(0.1, item.timeoutMs / 1000).toFixed(3);
    lines.push(
      `__pw_s=${shellQuote(item.script)}`,
      `__pw_t0=\${EPOCHREALTIME/./}`,
      // printf is a builtin: the script goes from this shell's memory into the pipe, never into an argv.
      `__pw_out=$(printf '%s\\n%s\\n' "$__pw_pre" "$__pw_s" | ${env} timeout -k 1 ${secs}s bash -c "$__pw_wrap" 2>/dev/null | head -c ${ITEM_OUTPUT_BYTES}; exit "\${PIPESTATUS[1]}")`,
      `__pw_rc=$?`,
      `__pw_ms=$(( (\${EPOCHREALTIME/./} - __pw_t0) / 1000 ))`,
      // Framed by a random per-round token that exists only in this shell's memory, so check output cannot forge a
      // frame; no encoder process per check (every process counts at one round every few seconds).
      `printf '%s B %d\\n%s\\n%s E %d %d %d\\n' ${token} ${i} "$__pw_out" ${token} ${i} "$__pw_rc" "$__pw_ms"`,
    );
  });
  return lines.join('\n') + '\n';
}

/** Runs the items in order on one target; every item gets a verdict (an "error" one if the batch itself failed). */
export async function runBatch(exec: LabExec, labId: string, target: string, items: BatchItem[]): Promise<Map<string, Verdict>> {
  const results = new Map<string, Verdict>();
  if (items.length === 0) return results;
  if (items.length === 1) {
    // Nothing to amortise: a single check takes the plain path.
    const [item] = items as [BatchItem];
    const r = await runScript(exec, { labId, target, script: item.script, timeoutMs: item.timeoutMs, label: item.key, env: item.env });
    results.set(item.key, r.verdict);
    return results;
  }
  const token = `__pw_${randomBytes(12).toString('hex')}`;
  const started = Date.now();
  const totalTimeout = items.reduce((n, i) => n + i.timeoutMs + 1_000, BATCH_SLACK_MS);
  let stdout = '';
  try {
    const r = await exec(labId, target, {
      cmd: ['bash', '-c', '__pw_batch=$(cat) && exec </dev/null && eval "unset __pw_batch; $__pw_batch"'],
      stdin: batchScript(items, token),
      timeoutMs: totalTimeout,
      maxOutputBytes: items.length * (ITEM_OUTPUT_BYTES * 2 + 256),
      env: { LANG: 'C.UTF-8' },
    });
    stdout = r.stdout;
  } catch (err) {
    const v = errorVerdict(`The checks could not run on ${target}: ${err instanceof Error ? err.message : String(err)}`, Date.now() - started);
    for (const item of items) results.set(item.key, v);
    return results;
  }
  // Frames: "<token> B <i>", the check's stdout, "<token> E <i> <exit> <ms>".
  const frame = new RegExp(`^${token} B (\\d+)\\n([\\s\\S]*?)\\n${token} E \\1 (\\d+) (\\d+)$`, 'gm');
  for (const m of stdout.matchAll(frame)) {
    const item = items[Number(m[1])];
    if (!item) continue;
    const out = m[2] ?? '';
    const exitCode = Number(m[3]);
    const durationMs = Number(m[4]);
    // GNU timeout: 124 after TERM, 137 after the KILL that follows; only believe it when the clock agrees.
    const timedOut = (exitCode === 124 || exitCode === 137) && durationMs >= item.timeoutMs - 50;
    results.set(item.key, parseVerdict({ exitCode, stdout: out, timedOut, truncated: Buffer.byteLength(out) >= ITEM_OUTPUT_BYTES, durationMs }, item.timeoutMs));
  }
  for (const item of items) {
    if (!results.has(item.key)) results.set(item.key, errorVerdict(`The check did not report back from ${target} (the batch ended early).`, Date.now() - started));
  }
  return results;
}
