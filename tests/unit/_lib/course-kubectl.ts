// Every kubectl call the course makes or shows, read once for the tests that judge them (kubectl-usage,
// manifest-fields, template-fields): the shell of each lesson (tests/unit/_lib/lesson-commands.ts) parsed by shfmt
// (shell-calls.ts), each call's arguments after "kubectl", its heredoc, and where it is written.
import path from 'node:path';
import { loadContent } from '../../../course/content/load-content.ts';
import { REPO } from './challenge-scripts.ts';
import { lessonShell, withoutPlaceholders, type LessonShell } from './lesson-commands.ts';
import { shellCalls } from './shell-calls.ts';

export interface CourseKubectlCall {
  /** The arguments after "kubectl". */
  args: string[];
  heredoc?: string;
  /** "content/…/challenge.yaml tasks[1] web check script line 4", "content/…/index.mdx:52". */
  where: string;
  kind: LessonShell['kind'];
}

/** Commands that run the one after their own arguments: `timeout 5 kubectl …`. */
const WRAPPERS = new Set(['timeout', 'sudo', 'command', 'exec', 'nice']);

/** The lesson directories, in course order ("content/01-pods/01-pods-and-network-namespaces"). */
export function courseLessonDirs(): string[] {
  const { index } = loadContent(path.join(REPO, 'content'));
  return index.lessons.map((l) => path.relative(REPO, path.dirname(l.file)).split(path.sep).join('/'));
}

/**
 * The calls, and the scripts or shown commands that do not parse as shell (inline code in a sentence may be a
 * fragment and is passed over). A call that passes its own arguments on ("$@") has none to judge and is left out.
 */
export function courseKubectlCalls(): { calls: CourseKubectlCall[]; unparsed: string[] } {
  const calls: CourseKubectlCall[] = [];
  const unparsed: string[] = [];
  for (const dir of courseLessonDirs()) {
    for (const shell of lessonShell(dir)) {
      if (!/\bkubectl\b/.test(shell.text)) continue;
      let parsed;
      try {
        // A placeholder (<pod IP>) stands for a name or an address: "x" is one kubectl reads as either.
        parsed = shellCalls(shell.kind === 'script' ? shell.text : withoutPlaceholders(shell.text, 'x'));
      } catch (err) {
        if (shell.kind !== 'prose') unparsed.push(`${shell.where}: ${(err as Error).message}`);
        continue;
      }
      for (const call of parsed) {
        const where = `${shell.where}${shell.kind === 'script' ? ` script line ${call.line}` : ''}`;
        const hint = shell.kind === 'script' ? hintOf(call.args) : undefined;
        if (hint?.includes('kubectl')) calls.push(...hintCalls(hint, `${where} (the hint a failed check shows)`));
        const at = call.args[0] === 'kubectl' ? 0 : WRAPPERS.has(call.args[0]!) ? call.args.indexOf('kubectl') : -1;
        if (at < 0 || call.forwards) continue;
        calls.push({ args: call.args.slice(at + 1), heredoc: call.heredoc, where, kind: shell.kind });
      }
    }
  }
  return { calls, unparsed };
}

/**
 * The hint a check hands the learner with its verdict: `verdict OBSERVED EXPECTED HINT`, `expect_eq OBSERVED
 * EXPECTED WHAT HINT` (lab-runner/grader/check-preamble.sh) and the kind lessons' `fail MSG OBSERVED EXPECTED HINT`.
 */
function hintOf(args: string[]): string | undefined {
  const position: Record<string, number> = { verdict: 3, expect_eq: 4, fail: 4 };
  const at = position[args[0]!];
  return at === undefined ? undefined : args[at];
}

/** A hint is prose that often is, or ends in, a command: read as inline code is ("…: kubectl get pods -o wide"). */
function hintCalls(hint: string, where: string): CourseKubectlCall[] {
  const from = hint.search(/\bkubectl\b/);
  try {
    return shellCalls(withoutPlaceholders(hint.slice(from), 'x'))
      .filter((c) => c.args[0] === 'kubectl' && !c.forwards)
      .map((c) => ({ args: c.args.slice(1), where, kind: 'prose' as const }));
  } catch {
    return [];
  }
}
