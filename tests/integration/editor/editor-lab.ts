// A real lab for editor tests: node1 built from the nodes-2 template's own container spec (same capabilities,
// tmpfs, limits; the node image when it is built, else the test base image) and, when its image exists, a jumpbox
// built from the kind jumpbox spec (unprivileged learner user). Both on an internal network this test creates.
// File operations go through the same exec the LabManager uses (DockerRuntime.exec); nothing is mocked.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import { jumpboxContainerSpec, JUMPBOX_IMAGE } from '../../../lab-runner/kind/jumpbox.ts';
import { Labels, labLabels } from '../../../lab-runner/labels.ts';
import type { LabManager } from '../../../lab-runner/lab/lab-manager.ts';
import type { LabTarget } from '../../../lab-runner/lab/lab.ts';
import { teardownByLabel } from '../../../lab-runner/lab/teardown-by-label.ts';
import { labNetworkSpec } from '../../../lab-runner/nodes/lab-network-spec.ts';
import { nodeContainerSpec } from '../../../lab-runner/nodes/node-container-spec.ts';
import { loadSandboxFile } from '../../../course/sandbox/load-sandbox.ts';
import type { NodesSandbox } from '../../../course/sandbox/nodes-sandbox-schema.ts';

const NODE_IMAGE = 'packetwalk/node:latest';
const FALLBACK_IMAGE = 'pw-test/base:1';

export interface EditorLab {
  runtime: DockerRuntime;
  labId: string;
  node1: LabTarget;
  /** Present when packetwalk/jumpbox:latest is built. */
  jumpbox?: LabTarget;
  /** What LabFiles / ManifestCommands call: exec by lab id and target name, like LabManager.exec. */
  labs: Pick<LabManager, 'exec'>;
  /** Runs a shell script on a target and returns stdout; throws on a non-zero exit. */
  sh(target: string, script: string, user?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startEditorLab(): Promise<EditorLab> {
  const runtime = new DockerRuntime();
  await runtime.ping();
  const labId = `edit-${randomBytes(4).toString('hex')}`;
  const labels = labLabels({ labId, learnerId: 'learner-editor-tests-0001', template: 'nodes-2', expiresAt: new Date(Date.now() + 3_600_000) });
  const sandbox = loadSandboxFile(path.resolve(import.meta.dirname, '../../../sandboxes/nodes-2/sandbox.yaml')) as NodesSandbox;
  const network = await runtime.createNetwork(labNetworkSpec({ labId, name: sandbox.networks[0]!.name, egress: false, labels }));
  const targets: LabTarget[] = [];
  try {
    const hasNodeImage = Boolean(await runtime.inspectImage(NODE_IMAGE));
    const spec = nodeContainerSpec({ labId, sandbox, node: sandbox.nodes[0]!, labels });
    const { id } = await runtime.createContainer(
      hasNodeImage ? spec : { ...spec, image: FALLBACK_IMAGE, entrypoint: ['sleep', 'infinity'], init: true },
    );
    await runtime.startContainer(id);
    targets.push({ name: 'node1', kind: 'node', title: 'node1', containerId: id, containerName: spec.name });

    if (await runtime.inspectImage(JUMPBOX_IMAGE)) {
      const jb = jumpboxContainerSpec({ clusterName: `pw-${labId}`, network: network.name, labLabels: labels });
      const created = await runtime.createContainer(jb);
      await runtime.startContainer(created.id);
      targets.push({ name: 'jumpbox', kind: 'jumpbox', title: 'jumpbox', containerId: created.id, containerName: jb.name });
    }
  } catch (err) {
    await teardownByLabel(runtime, { [Labels.labId]: labId });
    throw err;
  }

  const containerOf = (target: string) => {
    const t = targets.find((x) => x.name === target);
    if (!t) throw new Error(`Lab ${labId} has no target "${target}"`);
    return t.containerId;
  };
  return {
    runtime,
    labId,
    node1: targets[0]!,
    jumpbox: targets.find((t) => t.kind === 'jumpbox'),
    labs: {
      exec: async (id, target, opts) => {
        if (id !== labId) throw new Error(`unknown lab ${id}`);
        return runtime.exec(containerOf(target), opts);
      },
    },
    sh: async (target, script, user) => {
      const r = await runtime.exec(containerOf(target), { cmd: ['sh', '-c', script], user });
      if (r.exitCode !== 0) throw new Error(`${script} on ${target} failed (${r.exitCode}): ${r.stderr}`);
      return r.stdout;
    },
    close: async () => {
      await teardownByLabel(runtime, { [Labels.labId]: labId });
    },
  };
}
