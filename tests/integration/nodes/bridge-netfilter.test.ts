// A bare-node lab's nodes have net.bridge.bridge-nf-call-iptables, which the pod-to-pod lesson's setup sets and
// Kubernetes needs, on any Docker: where the host had not loaded br_netfilter (Docker 28 and later load it only for
// networks with inter-container traffic off), the engine had Docker load it (lab-runner/nodes/bridge-netfilter.ts).
// PACKETWALK_EXPECT_BR_NETFILTER=docker|host says which must have happened: the stock-kernel VM sets it to docker
// when its Docker 28 booted without the module, and runs this file before anything else makes a lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { BRIDGE_NF_NETWORK, bridgeNetfilterFor } from '../../../lab-runner/nodes/bridge-netfilter.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

const expected = process.env.PACKETWALK_EXPECT_BR_NETFILTER;

describe('br_netfilter for bare-node labs', () => {
  let t: TestEngine;
  let lab: ReadyLab;

  beforeAll(async () => {
    t = makeTestEngine();
    lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'br-netfilter' });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('a node can read and set net.bridge.bridge-nf-call-iptables, as the pod-to-pod lesson does', async () => {
    const r = await t.engine.labs.exec(lab.id, 'node1', {
      cmd: ['bash', '-c', 'sysctl -qw net.bridge.bridge-nf-call-iptables=0 && sysctl -n net.bridge.bridge-nf-call-iptables'],
      timeoutMs: 15_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0');
  });

  it('the engine found it loaded or had Docker load it, and left no network behind', async () => {
    const state = await bridgeNetfilterFor(t.engine.runtime).ensure(lab.targets[0]!.containerId);
    expect(state.kind).toBe('loaded');
    if (expected) expect(state).toEqual({ kind: 'loaded', by: expected });
    expect(await t.engine.runtime.inspectNetwork(BRIDGE_NF_NETWORK)).toBeUndefined();
  });
});
