// On a host that refuses --privileged (this development machine), provisioning stops at the first node with the
// host's state and the fix, and leaves nothing behind — instead of a raw runc error. Where the engine allows
// privileged containers this test has nothing to show and skips, saying so. The stand-in image is not a kind node.
import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lab-runner/labels.ts';
import { PreflightError } from '../../../lab-runner/kind/host-preflight.ts';
import { provisionKindCluster } from '../../../lab-runner/kind/kind-provisioner.ts';
import { validateKindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import { probePrivileged } from '../../../lab-runner/kind/privileged-probe.ts';
import { runtime, standinImage, testLab } from './standin.ts';

const rt = runtime();
const probe = await probePrivileged(rt);
if (probe.status !== 'fail') process.stdout.write(`privileged-refused: skipped — this engine allows privileged containers (${probe.detail})\n`);

describe.skipIf(probe.status !== 'fail')('a host that refuses --privileged (stand-in node image, not a kind test)', () => {
  it("fails as the host's state, naming the check and its fix, and removes what it created", async () => {
    const image = await standinImage(rt);
    const t = validateKindTemplate(
      { name: 'kind-standin', title: 'stand-in', runtime: 'kind', nodeImage: DEFAULT_NODE_IMAGE, targets: [{ name: 'jumpbox', kind: 'jumpbox' }] },
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n',
      '/virtual/kind-standin/sandbox.yaml',
    );
    const { labId, labels } = testLab('kind-priv');
    const clusterName = `pw-priv-${process.pid}`;
    const err = await provisionKindCluster({
      runtime: rt,
      labId,
      clusterName,
      labLabels: labels,
      template: { ...t, nodeImage: image },
      options: { preflight: false, allowPull: false, internalNetwork: true, privileged: true, mountHostModules: false, startJumpbox: false, env: {} },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    const pe = err as PreflightError;
    expect(pe.code).toBe('host-not-ready');
    expect(pe.results).toEqual([expect.objectContaining({ name: 'Privileged containers', status: 'fail', fix: expect.stringContaining('Sysbox') })]);
    expect(await rt.listContainers({ [Labels.labId]: labId })).toEqual([]);
    expect(await rt.listNetworks({ [Labels.labId]: labId })).toEqual([]);
  });
});
