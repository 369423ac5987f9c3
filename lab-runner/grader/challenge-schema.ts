// The challenge.yaml format. Strict: an unknown field is an error, so a typo never silently disables a check.
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,47}$/, { message: 'must be lowercase letters, digits and dashes, starting with a letter (max 48)' });

const targetName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'must name a lab target such as node1, node2 or jumpbox' });

const script = z
  .string()
  .min(1, { message: 'must be a non-empty bash script' })
  .max(64_000, { message: 'must be under 64 KB' });

/** "10s", "500ms", "1m" or a number of seconds. */
export const timeoutSchema = z
  .union([z.number().positive().max(600), z.string().regex(/^\d+(ms|s|m)$/, { message: 'must be like 500ms, 10s or 1m' })])
  .transform((v) => {
    if (typeof v === 'number') return Math.round(v * 1000);
    const n = Number.parseInt(v, 10);
    return v.endsWith('ms') ? n : v.endsWith('m') ? n * 60_000 : n * 1000;
  })
  .refine((ms) => ms >= 100 && ms <= 600_000, { message: 'must be between 100ms and 10m' });

export const stepSchema = z.strictObject({
  target: targetName,
  script,
  timeout: timeoutSchema.optional(),
});

export const invariantSchema = z.strictObject({
  id,
  title: z.string().min(1),
  target: targetName.optional(),
  check: script,
  timeout: timeoutSchema.optional(),
});

export const taskSchema = z.strictObject({
  id,
  title: z.string().min(1).max(120),
  /** Markdown shown in the challenge panel. */
  description: z.string().min(1),
  target: targetName,
  check: script,
  timeout: timeoutSchema.default(10_000),
  needs: z.array(id).default([]),
  hints: z.array(z.string().min(1)).default([]),
  solution: z.strictObject({
    /** Markdown for people. */
    text: z.string().min(1),
    /** Run by "lab verify" and by nobody else; defaults to the task's target. */
    script,
    target: targetName.optional(),
  }),
  invariants: z.array(invariantSchema).default([]),
});

export const challengeSchema = z
  .strictObject({
    /** Optional: hidden steps run before the learner starts (break-fix faults go here). */
    setup: z.array(stepSchema).default([]),
    tasks: z.array(taskSchema).min(1, { message: 'a challenge needs at least one task' }),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.tasks.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'id'], message: `duplicate task id "${t.id}"` });
      ids.add(t.id);
    });
    c.tasks.forEach((t, i) =>
      t.needs.forEach((n, j) => {
        if (!ids.has(n))
          ctx.addIssue({ code: 'custom', path: ['tasks', i, 'needs', j], message: `needs unknown task "${n}" (known: ${[...ids].join(', ')})` });
      }),
    );
    const cycle = findCycle(c.tasks);
    if (cycle) ctx.addIssue({ code: 'custom', path: ['tasks'], message: `tasks' needs form a cycle: ${cycle.join(' -> ')}` });
  });

export type Challenge = z.output<typeof challengeSchema>;
export type Task = Challenge['tasks'][number];
export type Invariant = Task['invariants'][number];
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
