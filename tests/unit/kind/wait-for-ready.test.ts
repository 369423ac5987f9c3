// Step "wait for ready": all nodes Ready, except without a CNI (kind-no-cni), where nodes can only register.
import { describe, expect, it } from 'vitest';
import { ProvisionError } from '../../../lab-runner/errors.ts';
import { waitForNodesReady } from '../../../lab-runner/kind/kind-provisioner.ts';
import type { ContainerRuntime, ExecOptions, ExecResult } from '../../../lab-runner/runtime/container-runtime.ts';

/** A control plane whose `kubectl get nodes` answers from a script of outputs (the last one repeats). */
function controlPlane(outputs: string[]): { runtime: ContainerRuntime; calls: ExecOptions[] } {
  const calls: ExecOptions[] = [];
  const exec = async (_id: string, opts: ExecOptions): Promise<ExecResult> => {
    calls.push(opts);
    const stdout = outputs[Math.min(calls.length - 1, outputs.length - 1)]!;
    return { exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false, truncated: false };
  };
  return { runtime: { exec } as unknown as ContainerRuntime, calls };
}

const cp = { id: 'cp', name: 'pw-lab-x-control-plane' };
const notReady = 'pw-lab-x-control-plane False\npw-lab-x-worker False\npw-lab-x-worker2 False\n';

describe('waiting for nodes', () => {
  it('without a CNI: done as soon as every node has registered, NotReady or not', async () => {
    const { runtime, calls } = controlPlane(['pw-lab-x-control-plane False\n', notReady]);
    await waitForNodesReady({ runtime, privileged: true }, cp, 3, 10_000, false);
    // The first answer listed one node of three: it asked again.
    expect(calls).toHaveLength(2);
    expect(calls[0]!.cmd.slice(0, 4)).toEqual(['kubectl', '--kubeconfig=/etc/kubernetes/admin.conf', 'get', 'nodes']);
    expect(calls[0]!.privileged).toBe(true);
  });

  it('with a CNI: NotReady nodes are not enough; the step fails with the last answer when they never get Ready', async () => {
    const { runtime } = controlPlane([notReady]);
    const err = await waitForNodesReady({ runtime, privileged: true }, cp, 3, 1_200, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).message).toMatch(/nodes were not Ready within 1.2 s/);
    expect((err as ProvisionError).outputTail).toContain('pw-lab-x-worker2 False');
  });

  it('with a CNI: done once every node is Ready', async () => {
    const { runtime, calls } = controlPlane([notReady, notReady.replaceAll('False', 'True')]);
    await waitForNodesReady({ runtime, privileged: false }, cp, 3, 10_000, true);
    expect(calls).toHaveLength(2);
  });
});
