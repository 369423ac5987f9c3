// Pulling every bash script out of a lesson's challenge.yaml, shared by the by-hand and kind script-level tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { Challenge } from '../../../course/challenge/challenge-schema.ts';

export const REPO = path.resolve(import.meta.dirname, '../../..');

export interface LessonScript {
  /** Where it sits, e.g. "tasks[2] veth check" or "tasks[0] veth invariants[1] sidecar". */
  where: string;
  kind: 'setup' | 'check' | 'solution' | 'invariant' | 'wrong' | 'right';
  target: string;
  script: string;
  /** Milliseconds the runner allows, when the file says (defaults applied by the schema). */
  timeoutMs?: number;
}

export interface ToolResult {
  ok: boolean;
  output: string;
}

/** The lesson's challenge, parsed with the grader's own loader; throws with file:line field messages. */
export function loadChallenge(lessonDir: string): Challenge {
  const file = path.join(REPO, lessonDir, 'challenge.yaml');
  const result = parseChallenge(readFileSync(file, 'utf8'), file);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.file}:${i.line ?? '?'} ${i.field}: ${i.message}`).join('\n'));
  return result.challenge;
}

/** One task of the lesson's challenge, by id; throws when the lesson has no such task. */
export function challengeTask(lessonDir: string, id: string): Challenge['tasks'][number] {
  const task = loadChallenge(lessonDir).tasks.find((t) => t.id === id);
  if (!task) throw new Error(`${lessonDir} has no task ${id}`);
  return task;
}

export function scriptsOf(c: Challenge): LessonScript[] {
  const out: LessonScript[] = [];
  c.setup.forEach((s, i) => out.push({ where: `setup[${i}]`, kind: 'setup', target: s.target, script: s.script, timeoutMs: s.timeout }));
  c.tasks.forEach((t, i) => {
    out.push({ where: `tasks[${i}] ${t.id} check`, kind: 'check', target: t.target, script: t.check, timeoutMs: t.timeout });
    out.push({ where: `tasks[${i}] ${t.id} solution`, kind: 'solution', target: t.solution.target ?? t.target, script: t.solution.script });
    t.invariants.forEach((inv, j) =>
      out.push({
        where: `tasks[${i}] ${t.id} invariants[${j}] ${inv.id}`,
        kind: 'invariant',
        target: inv.target ?? t.target,
        script: inv.check,
        timeoutMs: inv.timeout ?? t.timeout,
      }),
    );
    // Near misses and right variants run as root on lab nodes too (lab verify): same parse, lint and address rules.
    for (const kind of ['wrong', 'right'] as const)
      t[kind].forEach((v, j) =>
        out.push({ where: `tasks[${i}] ${t.id} ${kind}[${j}] ${v.id}`, kind, target: v.target ?? t.target, script: v.script, timeoutMs: v.timeout }),
      );
  });
  return out;
}

export function shellcheckAvailable(): boolean {
  return spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
}
