// The commands of a task's written solution (the first ```bash block of solution.text, the block a learner reads when
// they reveal the solution), as a learner would type them into a terminal:
// - comments are not typed (a trailing "# node2: …" sends that line to node2's tab instead of the task's target);
// - a "# or …" comment starts an alternative way to the same result: only the first way is typed;
// - "# terminal 1" / "# terminal 2": the lab has one shell per target, so terminal 1's commands run in the background;
// - here-document bodies are typed verbatim.
// Pure functions; the walk-through (bench/lesson-walkthrough.ts) does the typing.
import type { Task } from '../course/challenge/challenge-schema.ts';

export interface SolutionLine {
  /** What is typed, without comment or indentation (here-document bodies keep theirs). */
  text: string;
  target: string;
  /** Typed with " &" appended: the first of two terminals in the written solution. */
  background: boolean;
}

/** A learner's stand-in for a value they must find first: <node2-ip>, vethXXXXXXXX, LAB-SEP-YYYY, :PPPP, 10.100.6.1x. */
export const PLACEHOLDER = /<[A-Za-z][^<>]*>|X{4,}|Y{4,}|P{4}|\b\d+\.\d+\.\d+\.1x\b/;

/** The first ```bash block of the written solution, or undefined when it has none. */
export function bashBlock(task: Task): string | undefined {
  return /```bash\n([\s\S]*?)```/.exec(task.solution.text ?? '')?.[1];
}

/** Splits one line into code and trailing comment, given the quote state carried over from earlier lines. */
function splitComment(line: string, state: { quote: '' | "'" | '"' }): { code: string; comment?: string } {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (state.quote === "'") {
      if (c === "'") state.quote = '';
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (state.quote === '"') {
      if (c === '"') state.quote = '';
      continue;
    }
    if (c === "'" || c === '"') state.quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return { code: line.slice(0, i), comment: line.slice(i + 1).trim() };
  }
  return { code: line };
}

export function writtenLines(task: Task, targets: readonly string[]): SolutionLine[] | undefined {
  const block = bashBlock(task);
  if (block === undefined) return undefined;
  const out: (SolutionLine & { terminal: number })[] = [];
  const state = { quote: '' as '' | "'" | '"' };
  let heredoc: string | undefined;
  let terminal = 0;
  for (const raw of block.split('\n')) {
    if (heredoc !== undefined) {
      out.push({ text: raw, target: out.at(-1)?.target ?? task.target, background: false, terminal });
      if (raw.trim() === heredoc) heredoc = undefined;
      continue;
    }
    const { code, comment } = splitComment(raw, state);
    const text = code.trim();
    if (!text) {
      if (comment === undefined) continue;
      const term = /^terminal\s*(\d+)/i.exec(comment);
      if (term) terminal = Number(term[1]);
      else if (/^or\b/i.test(comment)) break;
      continue;
    }
    const named = comment ? /^([\w-]+)(?::|\s*$)/.exec(comment)?.[1] : undefined;
    const target = named && targets.includes(named) ? named : task.target;
    out.push({ text, target, background: false, terminal });
    const start = /<<-?\s*['"]?(\w+)['"]?/.exec(text);
    if (start) heredoc = start[1];
  }
  const terminals = new Set(out.map((l) => l.terminal));
  return out.map(({ terminal: t, ...l }) => ({ ...l, background: terminals.size > 1 && t === Math.min(...terminals) && t > 0 }));
}

/** Solution script lines, typed as they are (the fallback when a written solution cannot be typed). */
export function scriptLines(task: Task): string[] {
  return (task.solution.script ?? '').split('\n').filter((l) => l.trim() !== '');
}
