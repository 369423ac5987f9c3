// A round's checks on one target as ONE batch script, run one after the other, each under its own timeout; the batch
// goes through the target's check channel (check-channel.ts: no exec per round) or, as its fallback, one exec (runBatch).
// Why batch: every exec, and every process, costs at one round every few seconds. The batch keeps every property of a
// single check: the scripts travel on stdin and stay out of argv and the disk (each check runs from the batch shell's
// memory in a forked subshell), one check runs at a time, and a check that hangs is killed with its whole process
// group at its timeout. Both paths read the answer with parseBatchOutput.
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

/**
 * The batch runner, defined once per batch. Each check runs in ONE forked subshell (a coproc) and nothing else: no
 * `timeout`, no fresh bash, no `cat`/`head` per check (each process costs a lab node a few milliseconds of CPU, every
 * few seconds). `set -m` gives every coproc its own process group, so a check past its timeout is killed together with
 * everything it started. The script reaches the subshell in a variable (it was read from stdin), so it is never in an
 * argv or on disk; the subshell drops the batch's own variables before it runs the script. Output is read with
 * `read -N` up to the cap; a check that prints more keeps running (the rest is discarded) until it ends or times out.
 * Arguments: timeout in ms, the same in seconds (for `read -t`). Sets __pw_out, __pw_rc, __pw_ms.
 */
const RUNNER = [
  'set -m',
  '__pw_run() {',
  '  local __pw_t0=${EPOCHREALTIME/./} __pw_fd __pw_w __pw_pid __pw_rr __pw_x',
  '  local __pw_end=$(( __pw_t0 + $1 * 1000 ))',
  '  coproc __pw_c { exec 2>/dev/null </dev/null; eval "$__pw_env"; unset __pw_env __pw_out; eval "unset __pw_s; $__pw_s"; }',
  '  __pw_pid=$__pw_c_PID; __pw_w=${__pw_c[1]}',
  '  exec {__pw_fd}<&"${__pw_c[0]}" {__pw_w}>&-',
  '  __pw_out=',
  `  IFS= read -r -N ${ITEM_OUTPUT_BYTES} -t "$2" -u "$__pw_fd" __pw_out; __pw_rr=$?`,
  // More than the cap: keep reading (and discarding) until the check ends or its time is up.
  '  while (( __pw_rr == 0 )); do',
  '    (( ${EPOCHREALTIME/./} < __pw_end )) || { __pw_rr=142; break; }',
  '    IFS= read -r -N 65536 -t 0.5 -u "$__pw_fd" __pw_x; __pw_rr=$?',
  '    (( __pw_rr > 128 && ${EPOCHREALTIME/./} < __pw_end )) && __pw_rr=0',
  '  done',
  '  if (( __pw_rr > 128 )); then',
  '    kill -KILL -- "-$__pw_pid" "$__pw_pid" 2>/dev/null; wait "$__pw_pid" 2>/dev/null; __pw_rc=124',
  '  else',
  // A check that closed its stdout but kept running is waited for; the round's own deadline bounds that case.
  '    wait "$__pw_pid" 2>/dev/null; __pw_rc=$?',
  '  fi',
  '  exec {__pw_fd}<&-',
  // Trailing newlines dropped, as command substitution would.
  `  __pw_out=\${__pw_out%"\${__pw_out##*[!$'\\n']}"}`,
  '  __pw_ms=$(( (${EPOCHREALTIME/./} - __pw_t0) / 1000 ))',
  '}',
].join('\n');

/** The batch script: the helper preamble and the runner once, then each check run by __pw_run and framed. */
export function batchScript(items: BatchItem[], token: string): string {
  const lines = ['set +e', CHECK_PREAMBLE, RUNNER];
  items.forEach((item, i) => {
    // Exported inside the check's subshell only: no `env` process, nothing leaks into the next check.
    const env = Object.entries(item.env ?? {})
      .filter(([k]) => /^[A-Z_][A-Z0-9_]*$/.test(k))
      .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
      .join('; ');
    const ms = Math.max(100, Math.round(item.timeoutMs));
    lines.push(
      `__pw_s=${shellQuote(item.script)}`,
      `__pw_env=${shellQuote(env)}`,
      `__pw_run ${ms} ${(ms / 1000).toFixed(3)}`,
      // Framed by a random per-round token that exists only in this shell's memory, so check output cannot forge a
      // frame; printf is a builtin (no encoder process per check).
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
    verdicts.set(
      item.key,
      parseVerdict({ exitCode, stdout: out, timedOut, truncated: Buffer.byteLength(out) >= ITEM_OUTPUT_BYTES, durationMs }, item.timeoutMs),
    );
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
  for (const item of parsed.missing)
    parsed.verdicts.set(item.key, errorVerdict(`The check did not report back from ${target} (the batch ended early).`, Date.now() - started));
  for (const item of items) results.set(item.key, parsed.verdicts.get(item.key)!);
  return results;
}
