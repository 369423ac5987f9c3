// The ten in-cluster (kind) lessons and helpers to pull every bash script out of their challenge.yaml files.
// Shared by the script-level tests in this folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseChallenge } from '../../../lab-runner/grader/challenge-loader.ts';
import type { Challenge } from '../../../lab-runner/grader/challenge-schema.ts';

export const REPO = path.resolve(import.meta.dirname, '../../..');

export const KIND_LESSONS = [
  'content/01-pods/03-a-pods-plumbing-in-kind',
  'content/02-between-nodes/04-kindnet-and-cni',
  'content/03-services/02-services-and-kube-proxy',
  'content/03-services/03-nodeport-loadbalancer',
  'content/03-services/04-endpointslices-and-readiness',
  'content/04-dns-and-policy/02-coredns',
  'content/04-dns-and-policy/04-network-policy',
  'content/05-edge-and-dataplane/01-ingress-and-gateway-api',
  'content/05-edge-and-dataplane/02-dataplanes',
  'content/06-troubleshooting/02-capstone',
] as const;

/** The lesson-facing targets every kind sandbox offers (the kind engineer maps them to nodes). */
export const KIND_TARGETS = ['jumpbox', 'control-plane', 'worker', 'worker2'] as const;

export interface LessonScript {
  /** Where it sits, e.g. "tasks[2].check" or "tasks[0].invariants[1].check". */
  where: string;
  kind: 'setup' | 'check' | 'solution' | 'invariant';
  target: string;
  script: string;
  /** Milliseconds the runner allows, when the file says (defaults applied by the schema). */
  timeoutMs?: number;
}

export function loadChallenge(lessonDir: string): Challenge {
  const file = path.join(REPO, lessonDir, 'challenge.yaml');
  const result = parseChallenge(readFileSync(file, 'utf8'), file);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.file}:${i.line ?? '?'} ${i.field}: ${i.message}`).join('\n'));
  return result.challenge;
}

export function scriptsOf(c: Challenge): LessonScript[] {
  const out: LessonScript[] = [];
  c.setup.forEach((s, i) => out.push({ where: `setup[${i}]`, kind: 'setup', target: s.target, script: s.script, timeoutMs: s.timeout }));
  c.tasks.forEach((t, i) => {
    out.push({ where: `tasks[${i}] ${t.id} check`, kind: 'check', target: t.target, script: t.check, timeoutMs: t.timeout });
    out.push({ where: `tasks[${i}] ${t.id} solution`, kind: 'solution', target: t.solution.target ?? t.target, script: t.solution.script });
    t.invariants.forEach((inv, j) =>
      out.push({ where: `tasks[${i}] ${t.id} invariants[${j}] ${inv.id}`, kind: 'invariant', target: inv.target ?? t.target, script: inv.check, timeoutMs: inv.timeout ?? t.timeout }),
    );
  });
  return out;
}

export interface ToolResult {
  ok: boolean;
  output: string;
}

/** `bash -n`: the script parses. */
export function bashParses(script: string): ToolResult {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export function shellcheckAvailable(): boolean {
  return spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
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
