// Reads challenge.yaml into a typed Challenge, or into issues that name the file, the line and the field.
// Shared by the grader, `lab verify` and the content check (course/content/), so an author sees the same message everywhere.
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { z } from 'zod';
import { challengeSchema, invariantSchema, stepSchema, taskSchema, variantSchema } from './challenge-schema.ts';
import type { Challenge } from './challenge-schema.ts';
import { editDistance } from '../../lib/edit-distance.ts';

export interface ChallengeIssue {
  file: string;
  /** 1-based; absent when the problem has no place in the file (e.g. the file is missing). */
  line?: number;
  column?: number;
  /** Dotted field path such as "tasks[2].timeout", or "" for the whole file. */
  field: string;
  message: string;
}

export type ChallengeResult = { ok: true; challenge: Challenge; file: string } | { ok: false; issues: ChallengeIssue[]; file: string };

/** Thrown by loadChallengeOrThrow; carries every issue, not just the first. */
export class ChallengeError extends Error {
  override name = 'ChallengeError';
  readonly issues: ChallengeIssue[];
  constructor(issues: ChallengeIssue[]) {
    super(`Invalid challenge:\n${issues.map((i) => '  ' + formatChallengeIssue(i)).join('\n')}`);
    this.issues = issues;
  }
}

/** "content/x/challenge.yaml:12:7 tasks[0].timeout: must be like 500ms, 10s or 1m" */
export function formatChallengeIssue(issue: ChallengeIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}${issue.column ? `:${issue.column}` : ''}` : issue.file;
  return `${where} ${issue.field ? issue.field + ': ' : ''}${issue.message}`;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function parseChallenge(text: string, file: string): ChallengeResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  if (doc.errors.length > 0) {
    return {
      ok: false,
      file,
      issues: doc.errors.map((e) => ({ file, ...at(e.pos[0]), field: '', message: `YAML syntax: ${firstLine(e.message)}` })),
    };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    return { ok: false, file, issues: [{ file, field: '', message: 'the file is empty: a challenge needs at least "tasks:"' }] };
  }
  const parsed = challengeSchema.safeParse(data);
  if (parsed.success) return { ok: true, challenge: parsed.data, file };
  const issues = parsed.error.issues.flatMap((issue) => toIssues(issue, doc, file, at));
  return { ok: false, file, issues: issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)) };
}

export async function loadChallenge(file: string): Promise<ChallengeResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, file, issues: [{ file, field: '', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` }] };
  }
  return parseChallenge(text, file);
}

export async function loadChallengeOrThrow(file: string): Promise<Challenge> {
  const result = await loadChallenge(file);
  if (!result.ok) throw new ChallengeError(result.issues);
  return result.challenge;
}

/**
 * Semantic checks that need to know the sandbox: every target named in the challenge must exist in it.
 * The schema alone cannot know that node3 does not exist in nodes-2.
 */
export function checkTargets(challenge: Challenge, targets: readonly string[], file: string): ChallengeIssue[] {
  const known = new Set(targets);
  const issues: ChallengeIssue[] = [];
  const want = (target: string | undefined, field: string) => {
    if (target !== undefined && !known.has(target))
      issues.push({ file, field, message: `unknown target "${target}": this lesson's sandbox has ${targets.join(', ')}` });
  };
  challenge.setup.forEach((s, i) => want(s.target, `setup[${i}].target`));
  challenge.tasks.forEach((t, i) => {
    want(t.target, `tasks[${i}].target`);
    want(t.solution.target, `tasks[${i}].solution.target`);
    t.invariants.forEach((inv, j) => want(inv.target, `tasks[${i}].invariants[${j}].target`));
    t.wrong.forEach((v, j) => want(v.target, `tasks[${i}].wrong[${j}].target`));
    t.right.forEach((v, j) => want(v.target, `tasks[${i}].right[${j}].target`));
  });
  return issues;
}

type At = (offset: number) => { line: number; column: number };

function toIssues(issue: z.core.$ZodIssue, doc: Document.Parsed, file: string, at: At): ChallengeIssue[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    // Point at each unknown key itself, and suggest the field the author probably meant.
    return issue.keys.map((key) => {
      const keyNode = findKeyNode(doc, path, key);
      const suggestion = closestKey(key, allowedKeysAt(path));
      return {
        file,
        ...(keyNode?.range ? at(keyNode.range[0]) : locate(doc, path, at)),
        field: fieldPath([...path, key]),
        message: `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: remove it or fix its name`,
      };
    });
  }
  return [{ file, ...locate(doc, path, at), field: fieldPath(path), message: describe(issue, doc, path) }];
}

function describe(issue: z.core.$ZodIssue, doc: Document.Parsed, path: (string | number)[]): string {
  // zod's message for a missing field is "Invalid input: expected string, received undefined": say what to add instead.
  if (issue.code === 'invalid_type' && !doc.hasIn(path)) return `required field is missing (expected ${issue.expected})`;
  return issue.message;
}

/** The nearest existing node along the path, so a missing field points at its parent object. */
function locate(doc: Document.Parsed, path: (string | number)[], at: At): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return at(node.range[0]);
  }
  return {};
}

function findKeyNode(doc: Document.Parsed, path: (string | number)[], key: string): Node | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return undefined;
}

// Derived from the schema so a new field never needs a second edit here.
const KEYS = {
  root: Object.keys(challengeSchema.shape),
  step: Object.keys(stepSchema.shape),
  task: Object.keys(taskSchema.shape),
  solution: Object.keys(taskSchema.shape.solution.shape),
  invariant: Object.keys(invariantSchema.shape),
  variant: Object.keys(variantSchema.shape),
};

function allowedKeysAt(path: (string | number)[]): readonly string[] {
  const names = path.filter((k) => typeof k === 'string');
  const last = names.at(-1);
  if (path.length === 0) return KEYS.root;
  if (last === 'setup') return KEYS.step;
  if (last === 'tasks') return KEYS.task;
  if (last === 'solution') return KEYS.solution;
  if (last === 'invariants') return KEYS.invariant;
  if (last === 'wrong' || last === 'right') return KEYS.variant;
  return [];
}

function closestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3; // farther than two edits is a different word, not a typo
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

// Re-exported so callers that only need the types import one module.
export type { Challenge };
