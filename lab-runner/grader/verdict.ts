// Turns a check's raw output into what the learner sees. The contract (docs/challenges.md):
//   exit 0 = pass; stdout lines "FAIL: ..." are shown; a final JSON line {"observed","expected","hint"} is a structured verdict.
// Output comes from a lab the learner controls, so everything here is bounded and sanitised: no size, byte or shape
// of output may break the page or the grader.
import { z } from 'zod';
import type { StructuredVerdict } from '../wire/challenge.ts';

export type VerdictOutcome = 'passed' | 'failed' | 'timeout' | 'error';

export interface Verdict {
  outcome: VerdictOutcome;
  /** One-line summary for the task row: "expected 2 ports on br0, found 1". */
  summary: string;
  /** FAIL: lines, in order, prefix removed. */
  failLines: string[];
  structured?: StructuredVerdict;
  /** Output was cut (by the exec or by us) before it was parsed. */
  truncated: boolean;
  exitCode?: number;
  durationMs: number;
}

/** The parts of an exec result a verdict depends on (matches ExecResult from the container runtime). */
export interface CheckOutput {
  exitCode: number;
  stdout: string;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
}

export const LIMITS = {
  /** Only this much stdout is parsed: the head for FAIL lines, the tail for the JSON line. */
  parseBytes: 64 * 1024,
  failLines: 10,
  lineChars: 300,
  fieldChars: 300,
} as const;

const verdictLine = z
  .object({
    observed: z.unknown().optional(),
    expected: z.unknown().optional(),
    hint: z.unknown().optional(),
  })
  .refine((v) => v.observed !== undefined || v.expected !== undefined || v.hint !== undefined);

export function parseVerdict(out: CheckOutput, timeoutMs?: number): Verdict {
  const { text, cut } = bound(out.stdout);
  const lines = text.split(/\r?\n/);
  const failLines: string[] = [];
  let failLinesDropped = 0;
  for (const raw of lines) {
    if (!raw.startsWith('FAIL:')) continue;
    const line = clean(raw.slice(5).trim(), LIMITS.lineChars);
    if (!line) continue;
    if (failLines.length < LIMITS.failLines) failLines.push(line);
    else failLinesDropped++;
  }
  if (failLinesDropped > 0) failLines.push(`… and ${failLinesDropped} more`);

  const structured = parseStructured(lines);
  const truncated = out.truncated || cut;
  const base = { failLines, structured, truncated, exitCode: out.exitCode, durationMs: out.durationMs };

  if (out.timedOut) {
    const secs = timeoutMs ? ` after ${formatSeconds(timeoutMs)}` : '';
    return { ...base, outcome: 'timeout', summary: `The check did not finish${secs} and was stopped.` };
  }
  if (out.exitCode === 0) return { ...base, outcome: 'passed', summary: 'Passed' };
  return { ...base, outcome: 'failed', summary: summarise(structured, failLines) };
}

/** A check that could not run at all (lab gone, target down): not the learner's fault, so say so. */
export function errorVerdict(message: string, durationMs = 0): Verdict {
  return { outcome: 'error', summary: clean(message, LIMITS.lineChars * 2), failLines: [], truncated: false, durationMs };
}

function summarise(structured: StructuredVerdict | undefined, failLines: string[]): string {
  if (structured?.expected !== undefined && structured.observed !== undefined) return `expected ${structured.expected}, found ${structured.observed}`;
  if (structured?.expected !== undefined) return `expected ${structured.expected}`;
  if (failLines[0]) return failLines[0];
  if (structured?.observed !== undefined) return `found ${structured.observed}`;
  return 'Not done yet.';
}

/** The last non-empty line, when it is a JSON object with at least one of the verdict fields. */
function parseStructured(lines: string[]): StructuredVerdict | undefined {
  let last: string | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    if (l) {
      last = l;
      break;
    }
  }
  if (!last || !last.startsWith('{') || !last.endsWith('}')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(last);
  } catch {
    return undefined;
  }
  const parsed = verdictLine.safeParse(json);
  if (!parsed.success) return undefined;
  const out: StructuredVerdict = {};
  for (const key of ['observed', 'expected', 'hint'] as const) {
    const v = parsed.data[key];
    if (v === undefined || v === null) continue;
    const s = clean(typeof v === 'string' ? v : JSON.stringify(v), LIMITS.fieldChars);
    if (s) out[key] = s;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Keep the head (FAIL lines come early) and the tail (the JSON line comes last) of oversized output. */
function bound(stdout: string): { text: string; cut: boolean } {
  const half = LIMITS.parseBytes / 2;
  if (stdout.length <= LIMITS.parseBytes) return { text: stdout, cut: false };
  // Cut on line boundaries so a half line never looks like a FAIL line or a JSON line.
  const head = stdout.slice(0, half);
  const tail = stdout.slice(-half);
  return { text: head.slice(0, head.lastIndexOf('\n') + 1) + tail.slice(tail.indexOf('\n') + 1), cut: true };
}

/** Strip terminal escapes and control bytes, collapse whitespace, cap the length (by code point, so no split surrogate). */
export function clean(s: string, max: number): string {
  // A lone surrogate would become U+FFFD somewhere downstream anyway; do it here, once. (ES2024, Node >= 20.)
  const plain = (s as string & { toWellFormed(): string })
    .toWellFormed()
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '') // CSI sequences (colours, cursor moves)
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g, '') // OSC sequences (titles, hyperlinks)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(plain);
  return chars.length <= max ? plain : chars.slice(0, max - 1).join('') + '…';
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
