// Escape preconditions, per isolation mode, on whatever engine DOCKER_HOST names (npm test runs this file against
// the default engine and again against the user-namespace engine started by .ci/userns-engine.sh). A real lab node
// runs escape-probes.sh, which checks each known escape's PRECONDITION (can a named cgroup v1 hierarchy be mounted,
// can kernel.core_pattern be opened for writing...) and never triggers a payload. Each mode is held to what
// docs/architecture/isolation.md says it promises; "none" promises only what Docker's defaults give, and its
// open doors are asserted open so the docs cannot quietly become wrong in either direction.
// PACKETWALK_EXPECT_ISOLATION=<mode> makes the run fail when the engine resolves to another mode (CI sets it, so a
// misconfigured user-namespace engine cannot pass as "none").
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsolationMode } from '../../../lab-runner/isolation/isolation-mode.ts';
import type { ResolvedIsolation } from '../../../lab-runner/isolation/isolation-policy.ts';
import { isolationPolicyFor } from '../../../lab-runner/lab/lab-engine.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

const PROBES = readFileSync(path.join(import.meta.dirname, 'escape-probes.sh'), 'utf8');

type Probe =
  | 'cgroup-v1-mount'
  | 'proc-mount'
  | 'core-pattern-after-remount'
  | 'core-pattern-via-fresh-proc'
  | 'sysrq-trigger'
  | 'sysrq-trigger-via-fresh-proc'
  | 'host-pid1'
  | 'host-root-uid'
  | 'device-node'
  | 'host-block-device'
  | 'module-load';
type Outcome = 'open' | 'closed' | 'absent';
/** closed: must be closed (or absent from the kernel); open: must be open (the docs say so); any: not promised either way. */
type Expectation = 'closed' | 'open' | 'any';

const DOCKER_DEFAULTS: Record<'host-pid1' | 'device-node' | 'host-block-device' | 'module-load', Expectation> = {
  'host-pid1': 'closed',
  'device-node': 'closed',
  'host-block-device': 'closed',
  'module-load': 'closed',
};
const USER_NAMESPACE: Record<Probe, Expectation> = {
  ...DOCKER_DEFAULTS,
  'cgroup-v1-mount': 'closed',
  // A fresh procfs of the node's own PID namespace is allowed in a user namespace; what it would unmask stays closed.
  'proc-mount': 'any',
  'core-pattern-after-remount': 'closed',
  'core-pattern-via-fresh-proc': 'closed',
  'sysrq-trigger': 'closed',
  'sysrq-trigger-via-fresh-proc': 'closed',
  'host-root-uid': 'closed',
};
export const PROMISES: Record<IsolationMode, Record<Probe, Expectation>> = {
  userns: USER_NAMESPACE,
  rootless: USER_NAMESPACE,
  sysbox: USER_NAMESPACE,
  apparmor: {
    ...DOCKER_DEFAULTS,
    'cgroup-v1-mount': 'closed',
    'proc-mount': 'closed',
    'core-pattern-after-remount': 'closed',
    'core-pattern-via-fresh-proc': 'closed',
    'sysrq-trigger': 'closed',
    'sysrq-trigger-via-fresh-proc': 'closed',
    'host-root-uid': 'open',
  },
  none: {
    ...DOCKER_DEFAULTS,
    // Where no LSM confines the node (this project's CI machines): the doors the docs say are open.
    'cgroup-v1-mount': 'any',
    'proc-mount': 'open',
    'core-pattern-after-remount': 'open',
    'core-pattern-via-fresh-proc': 'open',
    'sysrq-trigger': 'any',
    'sysrq-trigger-via-fresh-proc': 'any',
    'host-root-uid': 'open',
  },
};

describe('escape preconditions on this engine', () => {
  let t: TestEngine;
  let lab: ReadyLab;
  let isolation: ResolvedIsolation;
  let observed: Map<string, Outcome>;

  beforeAll(async () => {
    t = makeTestEngine({ LAB_ISOLATION: 'auto', HOST: '127.0.0.1' });
    isolation = await isolationPolicyFor(t.engine.runtime, t.config).nodeIsolation();
    lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'escapes' });
    const r = await t.engine.labs.exec(lab.id, lab.targets[0]!.name, { cmd: ['bash', '-s'], stdin: PROBES, timeoutMs: 60_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    observed = new Map(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, Outcome]),
    );
    process.stdout.write(
      `[escapes] mode ${isolation.mode} (${isolation.securityOpt.join(' ') || 'no extra security options'}): ${[...observed].map(([k, v]) => `${k}=${v}`).join(' ')}\n`,
    );
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('resolves to the isolation mode this run expects', () => {
    const expected = process.env.PACKETWALK_EXPECT_ISOLATION;
    if (expected) expect(isolation.mode).toBe(expected);
    expect(Object.keys(PROMISES)).toContain(isolation.mode);
  });

  it('every probe reported an outcome', () => {
    expect([...observed.keys()].sort()).toEqual(Object.keys(PROMISES.none).sort());
  });

  for (const probe of Object.keys(PROMISES.none) as Probe[]) {
    it(`${probe}: as the mode promises`, () => {
      const promise = PROMISES[isolation.mode][probe];
      const got = observed.get(probe);
      if (promise === 'closed') expect(got, `${probe} must be closed under ${isolation.mode}`).toMatch(/^(closed|absent)$/);
      else if (promise === 'open') expect(got, `${probe} is documented as open under ${isolation.mode}`).toBe('open');
      else expect(got).toMatch(/^(open|closed|absent)$/);
    });
  }
});
