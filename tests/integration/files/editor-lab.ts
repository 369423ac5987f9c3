// A real lab for editor tests: a nodes-2 lab created by the production lab engine (createLabEngine on a throwaway
// DATA_DIR, so its store id and labels are its own; node1 is used) and, when its image exists, a jumpbox built from
// the kind jumpbox spec (unprivileged learner user) on the lab's network, labelled as the lab's. There is no kind
// cluster here, so the jumpbox alone is made by hand. File operations go through the same exec the LabManager uses
// (LabManager.exec for node1, the runtime's exec for the jumpbox); nothing is mocked.
import { jumpboxContainerSpec, JUMPBOX_IMAGE } from '../../../lab-runner/kind/jumpbox.ts';
import { labLabels } from '../../../lab-runner/labels.ts';
import type { LabManager } from '../../../lab-runner/lab/lab-manager.ts';
import type { LabTarget } from '../../../lab-runner/lab/lab.ts';
import { labNetworkName } from '../../../lab-runner/nodes/node-container-spec.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { makeTestEngine } from '../lab/lab-engine-fixture.ts';

export interface EditorLab {
  runtime: ContainerRuntime;
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
  const t = makeTestEngine();
  const runtime = t.engine.runtime;
  let node1: LabTarget;
  let jumpbox: LabTarget | undefined;
  let labId: string;
  try {
    const lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: 'learner-editor-tests-0001', usePool: false });
    labId = lab.id;
    node1 = lab.targets.find((x) => x.name === 'node1')!;
    if (await runtime.inspectImage(JUMPBOX_IMAGE)) {
      const labels = labLabels({ labId, learnerId: lab.learnerId, template: lab.template, expiresAt: lab.expiresAt, storeId: t.engine.store.storeId });
      const jb = jumpboxContainerSpec({ clusterName: `pw-${labId}`, network: labNetworkName(labId, 'lan'), labLabels: labels });
      const created = await runtime.createContainer(jb);
      await runtime.startContainer(created.id);
      jumpbox = { name: 'jumpbox', kind: 'jumpbox', title: 'jumpbox', containerId: created.id, containerName: jb.name };
    }
  } catch (err) {
    await t.cleanup();
    throw err;
  }

  const exec: LabManager['exec'] = async (id, target, opts) => {
    if (id !== labId) throw new Error(`unknown lab ${id}`);
    if (target === 'jumpbox' && jumpbox) return runtime.exec(jumpbox.containerId, opts);
    return t.engine.labs.exec(id, target, opts);
  };
  return {
    runtime,
    labId,
    node1,
    jumpbox,
    labs: { exec },
    sh: async (target, script, user) => {
      const r = await exec(labId, target, { cmd: ['sh', '-c', script], user });
      if (r.exitCode !== 0) throw new Error(`${script} on ${target} failed (${r.exitCode}): ${r.stderr}`);
      return r.stdout;
    },
    close: () => t.cleanup(),
  };
}
