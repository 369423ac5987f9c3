// A round's checks on one target as ONE batch script, run one after the other, each under its own timeout; the batch
// goes through the target's check channel (check-channel.ts: no exec per round) or, as its fallback, one exec (runBatch).
// Why batch: every exec, and every process, costs at one round every few seconds. The batch keeps every property of a
// single check: the scripts travel on stdin and stay out of argv and the disk (each check is piped from the batch
// shell's memory into `bash -c <fixed wrapper>`), one check runs at a time, and a check that hangs is killed with its
// whole process group by GNU timeout. Both paths read the answer with parseBatchOutput.
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

/** How long a whole batch may take: every check's own timeout (+ its 1 s kill grace), plus slack for the batch shell. */
export function batchDeadlineMs(items: BatchItem[]): number {
  return items.reduce((n, i) => n + i.timeoutMs + 1_000, BATCH_SLACK_MS);
}

/** The most a batch may print: every frame at its per-check cap, plus the frame lines. */
export function batchOutputCap(items: BatchItem[]): number {
  return items.length * (ITEM_OUTPUT_BYTES * 2 + 256);
}

/** A fresh per-round token: frames carry it, and check output cannot know it. */
export function newBatchToken(): string {
  return `__pw_${randomBytes(12).toString('hex')}`;
}

export interface ParsedBatch {
  /** A verdict for every item that reported back. */
  verdicts: Map<string, Verdict>;
  /** Items without a frame (the batch ended early, or was killed). */
  missing: BatchItem[];
  /** Bytes of output outside any frame (never produced by the batch itself: a sign someone wrote into the stream). */
  strayBytes: number;
}

/**
 * The one parser of batch output, for the one-shot exec and the check channel alike.
 * Frames: "<token> B <i>", the check's stdout, "<token> E <i> <exit> <ms>".
 */
export function parseBatchOutput(stdout: string, items: BatchItem[], token: string): ParsedBatch {
  const verdicts = new Map<string, Verdict>();
  const frame = new RegExp(`^${token} B (\\d+)\\n([\\s\\S]*?)\\n${token} E \\1 (\\d+) (\\d+)$`, 'gm');
  let strayBytes = 0;
  let at = 0;
  for (const m of stdout.matchAll(frame)) {
    strayBytes += stdout.slice(at, m.index).replace(/\n/g, '').length;
    at = m.index + m[0].length;
    const item = items[Number(m[1])];
    if (!item || verdicts.has(item.key)) continue;
    const out = m[2] ?? '';
    const exitCode = Number(m[3]);
    const durationMs = Number(m[4]);
    // GNU timeout: 124 after TERM, 137 after the KILL that follows; only believe it when the clock agrees.
    const timedOut = (exitCode === 124 || exitCode === 137) && durationMs >= item.timeoutMs - 50;
    verdicts.set(item.key, parseVerdict({ exitCode, stdout: out, timedOut, truncated: Buffer.byteLength(out) >= ITEM_OUTPUT_BYTES, durationMs }, item.timeoutMs));
  }
  strayBytes += stdout.slice(at).replace(/\n/g, '').length;
  return { verdicts, missing: items.filter((i) => !verdicts.has(i.key)), strayBytes };
}

/**
 * Runs the items in order on one target in one exec (the one-shot path: the check channel's fallback); every item gets
 * a verdict (an "error" one if the batch itself failed).
 */
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
  const token = newBatchToken();
  const started = Date.now();
  let stdout = '';
  try {
    const r = await exec(labId, target, {
      cmd: ['bash', '-c', '__pw_batch=$(cat) && exec </dev/null && eval "unset __pw_batch; $__pw_batch"'],
      stdin: batchScript(items, token),
      timeoutMs: batchDeadlineMs(items),
      maxOutputBytes: batchOutputCap(items),
      env: { LANG: 'C.UTF-8' },
    });
    stdout = r.stdout;
  } catch (err) {
    const v = errorVerdict(`The checks could not run on ${target}: ${err instanceof Error ? err.message : String(err)}`, Date.now() - started);
    for (const item of items) results.set(item.key, v);
    return results;
  }
  const parsed = parseBatchOutput(stdout, items, token);
  for (const item of parsed.missing) parsed.verdicts.set(item.key, errorVerdict(`The check did not report back from ${target} (the batch ended early).`, Date.now() - started));
  for (const item of items) results.set(item.key, parsed.verdicts.get(item.key)!);
  return results;
}
