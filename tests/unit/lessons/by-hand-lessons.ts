// The by-hand lessons (bare Linux nodes) and helpers to pull every bash script out of their challenge.yaml.
// Their scripts run as root on lab nodes, so the tests here hold them to the course's contract without a lab:
// parse, lint, stay read-only in checks, and keep to the by-hand address plan.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { CHECK_PREAMBLE } from '../../../lab-runner/grader/check-preamble.ts';
import { REPO, type ToolResult } from '../_lib/challenge-scripts.ts';
import { challengeLessonsOn } from '../_lib/course-lessons.ts';

export { REPO, loadChallenge, scriptsOf, shellcheckAvailable, type LessonScript, type ToolResult } from '../_lib/challenge-scripts.ts';

/** The by-hand lessons: every lesson with a challenge whose sandbox is a bare-nodes one (from frontmatter). */
export const BY_HAND_LESSONS = challengeLessonsOn('nodes');

/** Targets of the bare-node sandboxes; on kind the same names are mapped to the two workers. */
export const SANDBOX_TARGETS: Record<string, string[]> = { 'nodes-1': ['node1'], 'nodes-2': ['node1', 'node2'] };

/** The lesson's frontmatter sandbox (nodes-1 or nodes-2). */
export function sandboxOf(lessonDir: string): string {
  const mdx = readFileSync(path.join(REPO, lessonDir, 'index.mdx'), 'utf8');
  const fm = /^---\n([\s\S]*?)\n---/.exec(mdx);
  return String((parse(fm?.[1] ?? '') as { sandbox?: unknown } | null)?.sandbox ?? '');
}

/** The script as the grader runs it: the helper preamble first. */
export function asRun(script: string): string {
  return `${CHECK_PREAMBLE}\n${script}\n`;
}

export function bashParses(script: string): ToolResult {
  const r = spawnSync('bash', ['-n'], { input: asRun(script), encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * shellcheck as bash at warning level, with the preamble prepended so its helpers (verdict, answer…) are defined.
 * Excluded on purpose: SC2088 (the "~/answers/…" in messages is text for the learner, not a path to expand) and
 * SC1007 (`CNI_NETNS= plugin` passes an empty variable, as the CNI spec allows for DEL).
 */
export function shellcheck(script: string): ToolResult {
  const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '--severity=warning', '--exclude=SC2317,SC2088,SC1007', '-'], {
    input: asRun(script),
    encoding: 'utf8',
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** Answer files a check reads, with the preamble's `answer NAME` or directly from /root/answers/NAME. */
export function answersRead(script: string): string[] {
  const viaHelper = [...script.matchAll(/\$\(\s*answer\s+([a-z0-9][a-z0-9-]*)\s*[|)]/g)].map((m) => m[1]!);
  const direct = [...script.matchAll(/\/root\/answers\/([a-z0-9][a-z0-9-]*)/g)].map((m) => m[1]!);
  return [...new Set([...viaHelper, ...direct])];
}

/** The script with quoted strings blanked and comments dropped, so messages and hints don't look like commands. */
export function codeOnly(script: string): string {
  return script
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/'[^']*'/g, "''")
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, ''))
    .join('\n');
}

/** Commands that change a node. A check or an invariant must never run one. */
export const MUTATING: { what: string; re: RegExp }[] = [
  {
    what: 'ip … add/del/set/replace/flush',
    re: /\bip\s+(-\S+\s+)*(-n\s+\S+\s+)?(link|addr|address|route|neigh|rule|netns)\s+(add|del|delete|set|replace|flush|change)\b/,
  },
  { what: 'iptables that writes', re: /\biptables\s+(-t\s+\S+\s+)?-[AIDRFNXPZ]\b/ },
  { what: 'bridge fdb add/del', re: /\bbridge\s+fdb\s+(add|append|del|replace)\b/ },
  { what: 'sysctl -w', re: /\bsysctl\s+(-\S+\s+)*-[a-z]*w[a-z]*\b/ },
  { what: 'conntrack -D/-F', re: /\bconntrack\s+-[DF]\b/ },
  { what: 'kill', re: /\b(kill|pkill|killall)\b/ },
  { what: 'rm', re: /(^|[;&|]\s*|\s)rm\s/ },
  { what: 'a write redirect to a file', re: /(^|[^0-9&])>>?\s*(?!\/dev\/null\b)(?!&)[~/$\w]/ },
  { what: 'starting a server', re: /\b(setsid|socat|dnsmasq|nohup)\b/ },
];
