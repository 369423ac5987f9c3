// The table runner behind the kind provisioner: rows in order, each step's output handed to the later ones, progress
// text and budgets from the table, a stop when aborted, timings, and errors that name the step.
import { describe, expect, it } from 'vitest';
import { LabRunnerError, ProvisionError } from '../../../lab-runner/errors.ts';
import type { ProvisionProgress } from '../../../lab-runner/lab/lab.ts';
import { KIND_PROVISION_STEPS } from '../../../lab-runner/kind/provision-steps.ts';
import { StepTable } from '../../../lab-runner/kind/step-table.ts';

type Id = 'one' | 'two' | 'three';
interface Start {
  base: number;
  budget: number;
  skipTwo: boolean;
}

const calls: string[] = [];
const table = StepTable.begin<Id, Start>()
  .step({
    id: 'one',
    label: 'First',
    run: async (c) => {
      calls.push(`one(${c.base})`);
      return { doubled: c.base * 2 };
    },
  })
  .step({
    id: 'two',
    label: 'Second',
    labelFor: (c) => (c.skipTwo ? 'Skipping the second' : undefined),
    timeoutMs: (c) => c.budget,
    run: async (c, timeoutMs) => {
      calls.push(`two(${c.doubled}, ${timeoutMs})`);
    },
  })
  .step({
    id: 'three',
    label: 'Third',
    run: async (c) => {
      calls.push(`three(${c.doubled})`);
      return { total: c.doubled + 1 };
    },
  });

const hooks = (over: Partial<Parameters<typeof table.run>[1]> = {}) => ({ timings: {}, passThrough: (e: unknown) => e instanceof ProvisionError, ...over });

describe('StepTable', () => {
  it('runs the rows in order, each reading what earlier rows returned, with the budget the table gives', async () => {
    calls.length = 0;
    const progress: ProvisionProgress[] = [];
    const timings: Partial<Record<Id, number>> = {};
    const out = await table.run({ base: 5, budget: 1234, skipTwo: false }, hooks({ onProgress: (p) => progress.push(p), timings }));
    expect(out.total).toBe(11);
    expect(calls).toEqual(['one(5)', 'two(10, 1234)', 'three(10)']);
    expect(progress).toEqual([
      { step: 1, totalSteps: 3, label: 'First…' },
      { step: 2, totalSteps: 3, label: 'Second…' },
      { step: 3, totalSteps: 3, label: 'Third…' },
    ]);
    expect(Object.keys(timings)).toEqual(['one', 'two', 'three']);
    expect(table.ids).toEqual(['one', 'two', 'three']);
  });

  it("uses a row's label for this run when it has one", async () => {
    const progress: ProvisionProgress[] = [];
    await table.run({ base: 1, budget: 1, skipTwo: true }, hooks({ onProgress: (p) => progress.push(p) }));
    expect(progress[1]!.label).toBe('Skipping the second…');
  });

  it('an error becomes a ProvisionError naming its step; errors that already explain themselves pass unchanged', async () => {
    const failing = (err: Error) =>
      StepTable.begin<'only', object>().step({
        id: 'only',
        label: 'Only',
        run: async () => {
          throw err;
        },
      });
    const timings: Partial<Record<'only', number>> = {};
    const wrapped = await failing(new Error('boom'))
      .run({}, { timings, passThrough: (e) => e instanceof ProvisionError })
      .catch((e: unknown) => e);
    expect(wrapped).toBeInstanceOf(ProvisionError);
    expect((wrapped as ProvisionError).step).toBe('only');
    expect((wrapped as ProvisionError).message).toContain('boom');
    expect(timings.only).toBeGreaterThanOrEqual(0);
    const own = new LabRunnerError('host-not-ready', 'fix the host');
    expect(
      await failing(own)
        .run({}, { timings: {}, passThrough: (e) => e === own })
        .catch((e: unknown) => e),
    ).toBe(own);
  });

  it('an aborted signal stops before the next step, naming it', async () => {
    calls.length = 0;
    const controller = new AbortController();
    const err = await table
      .run({ base: 1, budget: 1, skipTwo: false }, hooks({ signal: controller.signal, onProgress: (p) => p.step === 2 && controller.abort() }))
      .catch((e: unknown) => e);
    // Progress for step 2 was shown and step 2 ran; step 3 never started.
    expect(calls).toEqual(['one(1)', 'two(2, 1)']);
    expect((err as ProvisionError).step).toBe('three');
    expect((err as ProvisionError).message).toMatch(/destroyed while it was being created/);
  });
});

describe('the kind provisioning table', () => {
  it('has the thirteen steps of `kind create cluster`, in order', () => {
    expect(KIND_PROVISION_STEPS.ids).toEqual([
      'preflight',
      'node image',
      'network',
      'create nodes',
      'kubeadm config',
      'kubeadm init',
      'install CNI',
      'install storage',
      'kubeadm join',
      'wait for ready',
      'kubeconfig',
      'load images',
      'start jumpbox',
    ]);
  });
});
