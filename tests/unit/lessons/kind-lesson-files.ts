// The in-cluster (kind) lessons and helpers to pull every bash script out of their challenge.yaml files.
// Shared by the script-level tests in this folder.
import { spawnSync } from 'node:child_process';
import type { ToolResult } from '../_lib/challenge-scripts.ts';
import { challengeLessonsOn } from '../_lib/course-lessons.ts';

export { REPO, challengeTask, loadChallenge, scriptsOf, shellcheckAvailable, type LessonScript, type ToolResult } from '../_lib/challenge-scripts.ts';

/** The in-cluster lessons: every lesson with a challenge whose sandbox is a kind one (from frontmatter). */
export const KIND_LESSONS = challengeLessonsOn('kind');

/** The lesson-facing targets every kind sandbox offers (the kind engineer maps them to nodes). */
export const KIND_TARGETS = ['jumpbox', 'control-plane', 'worker', 'worker2'] as const;

/** `bash -n`: the script parses. */
export function bashParses(script: string): ToolResult {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * shellcheck as bash, reading the script from stdin. SC2317 ("command appears to be unreachable") is excluded:
 * checks define small predicates and hand them to `retry NAME`, which shellcheck cannot follow.
 */
export function shellcheck(script: string): ToolResult {
  const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '--exclude=SC2317', '-'], { input: script, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * Longest wait a script can sit in by design: `retry N …` loops plus `--timeout=Ns` waits.
 * The step's timeout must cover it, or the runner kills a check that was about to pass.
 */
export function designedWaitSeconds(script: string): number {
  let total = 0;
  // Calls only: the helper's own definition ("retry() { … $1 …") has no number after the name.
  for (const m of script.matchAll(/\bretry\s+(\d+)\s/g)) total += Number(m[1]);
  for (const m of script.matchAll(/--timeout[= ](\d+)s\b/g)) total += Number(m[1]);
  return total;
}

/** Names read with `$(answer NAME …)` (first line) or `$(answer_all NAME …)` (every line) in a check script. */
export function answersRead(script: string): string[] {
  return [...script.matchAll(/\$\(\s*answer(?:_all)?\s+([a-z0-9][a-z0-9-]*)\s*[|)]/g)].map((m) => m[1]!);
}

/** The script with the contents of quoted strings blanked, so messages and hints don't look like commands. */
export function withoutQuotedText(script: string): string {
  return script.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/'[^']*'/g, "''");
}
