// The challenge.yaml format. Strict: an unknown field is an error, so a typo never silently disables a check.
import { z } from 'zod';
import { artefactNames, LAB_ARTEFACTS_DIR } from '../artefacts/artefact-manifest.ts';

const id = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, { message: 'must be lowercase letters, digits and dashes, starting with a letter (max 48)' });

const targetName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'must name a lab target such as node1, node2 or jumpbox' });

const script = z.string().min(1, { message: 'must be a non-empty bash script' }).max(64_000, { message: 'must be under 64 KB' });

const CHECK_HELP =
  'Bash, run as root on the target through a non-TTY exec with the script on stdin (never copied into the lab). ' +
  'Passes on exit 0. Lines starting "FAIL:" are shown to the learner; a final JSON line {"observed","expected","hint"} becomes a structured verdict. ' +
  'Helpers available: fail MSG, verdict OBSERVED EXPECTED [HINT], expect_eq OBSERVED EXPECTED WHAT [HINT], answer NAME, retry SECONDS CMD... (see docs/challenges.md).';

/** "10s", "500ms", "1m" or a number of seconds. */
export const timeoutSchema = z
  .union([z.number().positive().max(600), z.string().regex(/^\d+(ms|s|m)$/, { message: 'must be like 500ms, 10s or 1m' })])
  .transform((v) => {
    if (typeof v === 'number') return Math.round(v * 1000);
    const n = Number.parseInt(v, 10);
    return v.endsWith('ms') ? n : v.endsWith('m') ? n * 60_000 : n * 1000;
  })
  .refine((ms) => ms >= 100 && ms <= 600_000, { message: 'must be between 100ms and 10m' });

export const stepSchema = z
  .strictObject({
    target: targetName.meta({ description: 'Lab target the step runs on, e.g. node1.' }),
    script: script.meta({
      description: 'Bash run as root with the script on stdin, under set -e: any failing command fails the step, and the lab is reported broken.',
    }),
    timeout: timeoutSchema.optional().meta({ description: 'Kill the step after this long (default 60s): 500ms, 10s, 1m or seconds.' }),
    artefacts: z
      .array(
        z.enum(artefactNames() as [string, ...string[]], {
          error: (issue) =>
            `unknown artefact "${String(issue.input)}" (known: ${artefactNames().join(', ')}; pins live in course/artefacts/artefact-manifest.ts)`,
        }),
      )
      .default([])
      .meta({
        description: `Pinned third-party files (CRDs, CNI manifests) this step needs, by name. Each is fetched on first use into DATA_DIR/artefacts, verified, and written to ${LAB_ARTEFACTS_DIR}/<file> on the step's target before the step runs.`,
      }),
  })
  .meta({ description: 'A hidden setup step, run right after the lab is created and before the learner sees it.' });

export const invariantSchema = z
  .strictObject({
    id: id.meta({ description: 'Unique within the task.' }),
    title: z.string().min(1).meta({ description: 'What must keep holding, shown when it breaks: "the NetworkPolicy still exists".' }),
    target: targetName.optional().meta({ description: "Defaults to the task's target." }),
    check: script.meta({ description: CHECK_HELP }),
    timeout: timeoutSchema.optional().meta({ description: "Defaults to the task's timeout." }),
  })
  .meta({ description: 'A check that must keep passing after the task passed, so "fix by deletion" fails and a passed task can un-pass.' });

export const variantSchema = z
  .strictObject({
    id: id.meta({ description: 'Unique within the task: what the learner did, e.g. host-route-32.' }),
    title: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: 'The mistake (or the alternative answer) in one line: "a /32 route to pod-b instead of the pod range".' }),
    target: targetName.optional().meta({ description: "Where the script runs; defaults to the task's target." }),
    script: script.meta({ description: 'Bash run as root after setup and the solutions of the tasks before this one; run by "npm run lab -- verify" only.' }),
    timeout: timeoutSchema.optional().meta({ description: 'Kill the script after this long (default 2m).' }),
  })
  .meta({ description: "A learner's answer run by lab verify: a near miss (wrong:) must make the check or an invariant fail; a variant (right:) must pass." });

export const taskSchema = z.strictObject({
  id: id.meta({ description: 'Unique task id: lowercase letters, digits and dashes.' }),
  title: z.string().min(1).max(120).meta({ description: 'Short imperative title shown in the challenge panel.' }),
  /** Markdown shown in the challenge panel. */
  description: z.string().min(1).meta({ description: 'Markdown shown in the challenge panel.' }),
  target: targetName.meta({ description: 'Lab target the check runs on, e.g. node1, node2 or jumpbox.' }),
  check: script.meta({ description: CHECK_HELP }),
  timeout: timeoutSchema.default(10_000).meta({ description: 'Kill the check after this long (default 10s): 500ms, 10s, 1m or seconds.' }),
  needs: z.array(id).default([]).meta({ description: 'Ids of tasks that must pass first; until then this task is blocked and not checked.' }),
  hints: z.array(z.string().min(1)).default([]).meta({ description: 'Progressive Markdown hints, revealed one at a time: a nudge first, the answer last.' }),
  solution: z
    .strictObject({
      /** Markdown for people. */
      text: z.string().min(1).meta({ description: 'Markdown for people, shown after a confirmation.' }),
      /** Run by "lab verify" and by nobody else; defaults to the task's target. */
      script: script.meta({ description: 'Bash that solves the task; run by "npm run lab -- verify" in CI, never in a learner\'s lab.' }),
      target: targetName.optional().meta({ description: "Target for the solution script; defaults to the task's target." }),
    })
    .meta({ description: 'The worked answer: text for people plus a script the machine can run.' }),
  invariants: z.array(invariantSchema).default([]).meta({ description: 'Checks that must keep passing once the task passed.' }),
  wrong: z
    .array(variantSchema)
    .default([])
    .meta({ description: 'Near misses: plausible wrong answers a learner really makes. lab verify requires the check (or an invariant) to FAIL after each.' }),
  right: z
    .array(variantSchema)
    .default([])
    .meta({ description: 'Right answers written another way. lab verify requires the check and every invariant to PASS after each.' }),
});

export const challengeSchema = z
  .strictObject({
    /** Optional: hidden steps run before the learner starts (break-fix faults go here). */
    setup: z.array(stepSchema).default([]).meta({ description: 'Hidden steps run before the learner starts; break-fix faults go here.' }),
    tasks: z
      .array(taskSchema)
      .min(1, { message: 'a challenge needs at least one task' })
      .meta({ description: 'The tasks, in the order the panel shows them.' }),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.tasks.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'id'], message: `duplicate task id "${t.id}"` });
      ids.add(t.id);
    });
    c.tasks.forEach((t, i) =>
      t.needs.forEach((n, j) => {
        if (!ids.has(n)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'needs', j], message: `needs unknown task "${n}" (known: ${[...ids].join(', ')})` });
      }),
    );
    c.tasks.forEach((t, i) => {
      // A near miss and a variant may share an id (they are different lists), two entries of one list may not.
      for (const kind of ['wrong', 'right'] as const) {
        const seen = new Set<string>();
        t[kind].forEach((v, j) => {
          if (seen.has(v.id)) ctx.addIssue({ code: 'custom', path: ['tasks', i, kind, j, 'id'], message: `duplicate ${kind} id "${v.id}" in task ${t.id}` });
          seen.add(v.id);
        });
      }
      const inv = new Set<string>();
      t.invariants.forEach((v, j) => {
        if (inv.has(v.id))
          ctx.addIssue({ code: 'custom', path: ['tasks', i, 'invariants', j, 'id'], message: `duplicate invariant id "${v.id}" in task ${t.id}` });
        inv.add(v.id);
      });
    });
    const cycle = findCycle(c.tasks);
    if (cycle) {
      // Point at the needs of the first task in the cycle, where the author will edit.
      const at = c.tasks.findIndex((t) => t.id === cycle[0]);
      ctx.addIssue({ code: 'custom', path: ['tasks', at, 'needs'], message: `tasks' needs form a cycle: ${cycle.join(' -> ')}` });
    }
  });

export type Challenge = z.output<typeof challengeSchema>;
export type Task = Challenge['tasks'][number];
export type Invariant = Task['invariants'][number];
export type Variant = Task['wrong'][number];
export type SetupStep = Challenge['setup'][number];

/** Returns one cycle in the needs graph, or undefined. */
export function findCycle(tasks: { id: string; needs: string[] }[]): string[] | undefined {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (taskId: string): string[] | undefined => {
    if (state.get(taskId) === 'done') return undefined;
    if (state.get(taskId) === 'visiting') return [...stack.slice(stack.indexOf(taskId)), taskId];
    state.set(taskId, 'visiting');
    stack.push(taskId);
    for (const n of byId.get(taskId)?.needs ?? []) {
      if (!byId.has(n)) continue;
      const found = visit(n);
      if (found) return found;
    }
    stack.pop();
    state.set(taskId, 'done');
    return undefined;
  };
  for (const t of tasks) {
    const found = visit(t.id);
    if (found) return found;
  }
  return undefined;
}
