// Steps "kubeconfig", "load images" and "start jumpbox": how the learner and the site reach the cluster.
import { ProvisionError } from '../../errors.ts';
import { allSettledOrThrow } from '../../util/all-settled-or-throw.ts';
import { copyKubectl, jumpboxContainerSpec, writeJumpboxKubeconfig } from '../jumpbox.ts';
import { ADMIN_CONF_PATH, kubeconfigsFor } from '../kubeconfig.ts';
import { ensureLearnerAccount, issueLearnerToken, tokenKubeconfig } from '../learner-credentials.ts';
import { readFileOnNode, type NodeExecContext, type NodeRef } from '../node-exec.ts';
import { API_SERVER_INTERNAL_PORT } from '../../../course/sandbox/kind/node-plan.ts';
import { startToolbox, toolboxContainerSpec } from '../node-toolbox.ts';
import { preloadWorkloadImages } from '../preload.ts';
import { copySandboxFiles } from '../copy-sandbox-files.ts';
import type { HelpersStarted, HostChecked, ImagesPreloaded, KindStart, KubeconfigExported, NetworkReady, NodesConfigured } from './step-context.ts';

/** The host port a container port is published on; ContainerInfo.hostPorts holds "hostIp:hostPort" ("" when unpublished). */
export function publishedPort(hostPorts: Record<string, string> | undefined, containerPort: string): string {
  const binding = hostPorts?.[containerPort];
  return binding ? (binding.split(':').pop() ?? '') : '';
}

export async function exportKubeconfig(c: KindStart & NodesConfigured): Promise<KubeconfigExported> {
  const adminConf = await readFileOnNode(c.nodeCtx, c.controlPlane, 'kubeconfig', ADMIN_CONF_PATH);
  if (!adminConf) throw new ProvisionError('kubeconfig', `${ADMIN_CONF_PATH} is missing on ${c.controlPlane.name}`);
  const info = await c.runtime.inspectContainer(c.controlPlane.id);
  const hostPort = publishedPort(info?.hostPorts, `${API_SERVER_INTERNAL_PORT}/tcp`);
  const kubeconfig = kubeconfigsFor(adminConf, c.clusterName, { address: c.cfg.networking.apiServerAddress, port: hostPort || '0' }, c.controlPlane.name);
  return { adminConf, kubeconfig, hostPort };
}

/** Never fails the cluster: a missing or unloadable image is a warning with its fix (as a later `kind load` would be). */
export async function preloadImages(c: KindStart & HostChecked & NodesConfigured): Promise<ImagesPreloaded> {
  const preload = await preloadWorkloadImages({
    ctx: c.nodeCtx,
    nodes: c.nodes,
    images: c.template.preloadImages,
    clusterName: c.clusterName,
    engine: c.engine,
    onDetail: c.detail,
  });
  return { preload };
}

/** The template's toolbox targets, when toolboxes are started at all. */
export function toolboxTargetsOf(c: KindStart) {
  return c.o.startToolboxes ? c.template.targets.flatMap((t) => (t.kind === 'toolbox' ? [t] : [])) : [];
}

/** Progress text for "start jumpbox" when it starts toolboxes too (or only them). */
export function helpersLabel(c: KindStart): string | undefined {
  const toolboxes = toolboxTargetsOf(c).length;
  return toolboxes && c.o.startJumpbox ? 'Starting the jumpbox and node toolboxes' : toolboxes ? 'Starting node toolboxes' : undefined;
}

/** The jumpbox (kubectl, the template's files, the learner's credentials) and the toolboxes, started together. */
export async function startHelpers(c: KindStart & NetworkReady & NodesConfigured & KubeconfigExported): Promise<HelpersStarted> {
  const { o, network, controlPlane } = c;
  const startingJumpbox = (async () => {
    if (!o.startJumpbox) return undefined;
    const spec = jumpboxContainerSpec({
      clusterName: c.clusterName,
      network: network.name,
      labLabels: c.req.labLabels,
      image: c.template.jumpbox.image,
      runtime: o.containerRuntime,
    });
    const { id } = await c.runtime.createContainer(spec);
    await c.runtime.startContainer(id);
    const ref = { id, name: spec.name };
    await Promise.all([
      copyKubectl(c.nodeCtx, controlPlane, c.jumpCtx, ref),
      c.template.files.length ? copySandboxFiles(c.jumpCtx, ref, c.template.dir, c.template.files, 'start jumpbox') : undefined,
    ]);
    await ensureLearnerAccount(c.nodeCtx, controlPlane);
    await issueJumpboxCredentials(
      { runtime: c.runtime, privileged: o.privileged },
      controlPlane,
      ref,
      c.adminConf,
      c.clusterName,
      o.credentialsValidForSeconds,
    );
    const info = await c.runtime.inspectContainer(id);
    return { ...ref, ipv4: info?.ipv4[network.name] };
  })();
  const startingToolboxes = allSettledOrThrow(
    toolboxTargetsOf(c).map(async (t) => {
      const node = c.nodes.find((n) => n.suffix === t.node);
      if (!node) throw new ProvisionError('start jumpbox', `target ${t.name} maps to kind node "${t.node}", which the cluster does not have`);
      const spec = toolboxContainerSpec({
        clusterName: c.clusterName,
        node,
        target: t.name,
        image: c.template.toolbox.image,
        labLabels: c.req.labLabels,
        runtime: o.containerRuntime,
      });
      const started = await startToolbox({ runtime: c.runtime, nodeCtx: c.nodeCtx, spec, node, step: 'start jumpbox' });
      return { id: started.id, name: started.name, target: t.name, node: node.suffix };
    }),
  );
  const [jumpbox, toolboxes] = await allSettledOrThrow([startingJumpbox, startingToolboxes] as const);
  return { jumpbox, toolboxes };
}

/** New learner credentials: a fresh token written as the jumpbox's kubeconfig (provisioning and warm-pool claims). */
export async function issueJumpboxCredentials(
  nodeCtx: NodeExecContext,
  controlPlane: NodeRef,
  jumpbox: NodeRef,
  adminConf: string,
  clusterName: string,
  validForSeconds: number,
): Promise<void> {
  const token = await issueLearnerToken(nodeCtx, controlPlane, validForSeconds);
  const kubeconfig = tokenKubeconfig(adminConf, clusterName, `https://${controlPlane.name}:${API_SERVER_INTERNAL_PORT}`, token);
  await writeJumpboxKubeconfig({ runtime: nodeCtx.runtime, privileged: false }, jumpbox, kubeconfig);
}
