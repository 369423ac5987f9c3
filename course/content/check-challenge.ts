// Validates a lesson's challenge.yaml with the grader's own loader (same messages as `lab verify`),
// adds what would be valid, and checks that every target it names exists in the lesson's sandbox.
import fs from 'node:fs';
import { checkTargets, parseChallenge } from '../challenge/challenge-loader.ts';
import type { ChallengeIssue } from '../challenge/challenge-loader.ts';
import type { ContentIssue } from './content-issue.ts';
import type { SandboxInfo } from '../sandbox/describe-sandbox.ts';
import { locate, parseYamlSource } from './yaml-source.ts';

const help: Record<string, string> = {
  setup: 'a list of hidden steps {target, script, timeout?} run before the learner starts',
  tasks: 'a list of at least one task {id, title, description, target, check, solution, …}',
  id: 'lowercase letters, digits and dashes, starting with a letter, e.g. id: create-netns',
  title: 'a short title of at most 120 characters',
  description: 'Markdown shown in the challenge panel',
  target: 'a target of the lesson sandbox, e.g. target: node1',
  check: 'a bash script that exits 0 when the task is done',
  script: 'a non-empty bash script',
  timeout: 'a duration like 500ms, 10s or 1m, or a number of seconds (100ms to 10m)',
  needs: 'a list of ids of tasks that must pass first',
  hints: 'a list of Markdown strings, from a nudge to the answer',
  solution: 'an object {text, script, target?}: the Markdown solution and the script "lab verify" runs',
  text: 'Markdown explaining the solution',
  invariants: 'a list of {id, title, check, target?, timeout?} that must keep holding',
  wrong: 'a list of near misses {id, title, script, target?, timeout?}: plausible wrong answers the check must reject',
  right: 'a list of right variants {id, title, script, target?, timeout?}: other right answers the check must accept',
};

/** "tasks[2].solution.target" -> ["tasks", 2, "solution", "target"] */
function pathOf(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function validFor(field: string, sandbox: SandboxInfo | undefined): string | undefined {
  const last = [...pathOf(field)].reverse().find((s): s is string => typeof s === 'string');
  if (last === 'target' && sandbox?.targets) return `one of ${sandbox.targets.join(', ')} (targets of sandbox ${sandbox.name})`;
  return last ? help[last] : undefined;
}

export interface ChallengeCheck {
  /** What must be fixed: content:check fails. */
  errors: ContentIssue[];
  /** What an author should add (a task without near misses): printed, not failing. */
  warnings: ContentIssue[];
}

export function checkChallenge(file: string, sandbox: SandboxInfo | undefined): ChallengeCheck {
  const text = fs.readFileSync(file, 'utf8');
  const result = parseChallenge(text, file);
  let issues: ChallengeIssue[];
  if (!result.ok) issues = result.issues;
  else if (sandbox?.targets) issues = checkTargets(result.challenge, sandbox.targets, file);
  else issues = [];
  // A task with no near misses has never been shown to reject a wrong answer (docs/challenges.md, "Near misses").
  const warnings: ChallengeIssue[] = result.ok
    ? result.challenge.tasks.flatMap((t, i) =>
        t.wrong.length > 0
          ? []
          : [{ file, field: `tasks[${i}].id`, message: `task ${t.id} has no near misses (wrong:): nothing proves its check rejects a wrong answer` }],
      )
    : [];
  const needsLines = [...issues, ...warnings].some((i) => i.line === undefined && i.field);
  const src = needsLines ? parseYamlSource(file, text) : undefined;
  const toContent = (i: ChallengeIssue, valid: string | undefined): ContentIssue => ({
    file,
    ...(i.line === undefined && src && i.field ? locate(src, pathOf(i.field)) : { line: i.line, column: i.column }),
    field: i.field || undefined,
    message: i.message,
    valid,
  });
  return {
    errors: issues.map((i) => toContent(i, i.field ? validFor(i.field, sandbox) : undefined)),
    // Pinned at the task's id (its wrong: list does not exist yet), named as the field to add.
    warnings: warnings.map((w) => ({ ...toContent(w, undefined), field: w.field!.replace(/\.id$/, '.wrong') })),
  };
}
