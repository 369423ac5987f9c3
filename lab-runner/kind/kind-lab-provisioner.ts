// The kind runtime as the LabManager sees it (lab-runner/lab/provisioner.ts): provision a cluster for a lab,
// map the template's targets (jumpbox, worker → kind-worker, node1 → a toolbox in kind-worker's network) to containers, tear down / pause / resume by label,
// and hand a claimed warm-pool cluster fresh learner credentials.
import { Labels } from '../labels.ts';
import type { LabTarget, ProvisionProgress } from '../lab/lab.ts';
import type { ProvisionRequest, ProvisionResult, Provisioner, ProvisionerContext } from '../lab/provisioner.ts';
import { LabRunnerError } from '../errors.ts';
import { clusterNameForLab } from './cluster-name.ts';
import { pauseCluster, resumeCluster } from './cluster-pause.ts';
import { teardownCluster } from './cluster-teardown.ts';
import { jumpboxName } from './jumpbox.ts';
import type { KindTemplate } from '../../course/sandbox/kind/kind-sandbox-schema.ts';
import { issueJumpboxCredentials, optionsForLabRuntime, provisionKindCluster, type KindCluster, type KindProvisionOptions } from './kind-provisioner.ts';
import { ADMIN_CONF_PATH } from './kubeconfig.ts';
import { readFileOnNode } from './node-exec.ts';

export function kindTargets(template: KindTemplate, cluster: KindCluster): LabTarget[] {
  return template.targets.map((t): LabTarget => {
    const user = t.user ? { user: t.user } : {};
    if (t.kind === 'jumpbox') {
      if (!cluster.jumpbox) throw new LabRunnerError('provision-failed', `template ${template.name} has a jumpbox target but no jumpbox was started`);
      return {
        name: t.name,
        kind: 'jumpbox',
        title: t.title ?? t.name,
        containerId: cluster.jumpbox.id,
        containerName: cluster.jumpbox.name,
        ipv4: cluster.jumpbox.ipv4,
        ...user,
      };
    }
    const node = cluster.nodes.find((n) => n.suffix === t.node);
    if (!node)
      throw new LabRunnerError(
        'provision-failed',
        `template ${template.name}: target ${t.name} maps to kind node "${t.node}", which the cluster does not have`,
      );
    if (t.kind === 'toolbox') {
      const toolbox = cluster.toolboxes.find((x) => x.target === t.name);
      if (!toolbox)
        throw new LabRunnerError(
          'provision-failed',
          `template ${template.name}: target ${t.name} is a toolbox on ${node.name}, but no toolbox was started for it`,
        );
      // A node shell as far as lessons and the UI are concerned; its address is the node's (shared namespace).
      return {
        name: t.name,
        kind: 'node',
        title: t.title ?? `${t.name} (${node.name}'s network)`,
        containerId: toolbox.id,
        containerName: toolbox.name,
        ipv4: node.ipv4,
        ...user,
      };
    }
    return {
      name: t.name,
      kind: 'node',
      title: t.title ?? `${cluster.clusterName}-${t.node}`,
      containerId: node.id,
      containerName: node.name,
      ipv4: node.ipv4,
      ...user,
    };
  });
}

function secondsUntil(iso: string | undefined, fallback: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? Math.max(600, (t - Date.now()) / 1000) : fallback;
}

export class KindLabProvisioner implements Provisioner<KindTemplate> {
  readonly runtime = 'kind' as const;
  private readonly ctx: ProvisionerContext;
  private readonly options: Partial<KindProvisionOptions>;

  constructor(ctx: ProvisionerContext, options: Partial<KindProvisionOptions> = {}) {
    this.ctx = ctx;
    this.options = { ...optionsForLabRuntime(ctx.containerRuntime), ...options };
  }

  async provision(req: ProvisionRequest<KindTemplate>): Promise<ProvisionResult> {
    // Sub-step lines (image pull layers, preload sizes, warnings) reach the page as the current step's label.
    let current: ProvisionProgress = { step: 0, totalSteps: 1, label: '' };
    const cluster = await provisionKindCluster({
      runtime: this.ctx.runtime,
      labId: req.labId,
      clusterName: clusterNameForLab(req.labId),
      labLabels: req.labels,
      template: req.sandbox,
      signal: req.signal,
      onProgress: (p) => {
        current = p;
        req.onProgress(p);
      },
      onDetail: (line) => req.onProgress({ ...current, label: `${current.label} ${line}` }),
      options: { credentialsValidForSeconds: secondsUntil(req.labels[Labels.expiresAt], 4 * 3600), ...this.options },
    });
    return { networkId: cluster.network.id, targets: kindTargets(req.sandbox, cluster) };
  }

  async teardown(labId: string): Promise<void> {
    await teardownCluster(this.ctx.runtime, { labId, clusterName: clusterNameForLab(labId) });
  }

  async pause(labId: string): Promise<void> {
    await pauseCluster(this.ctx.runtime, labId);
  }

  async resume(labId: string): Promise<void> {
    await resumeCluster(this.ctx.runtime, labId);
  }

  /**
   * A warm-pool cluster handed to a learner: a new ServiceAccount token, valid until the lab expires, replaces
   * the jumpbox kubeconfig. (Docker labels are immutable; the store records the new owner.)
   */
  async claim(labId: string, expiresAt: Date): Promise<void> {
    const rt = this.ctx.runtime;
    const clusterName = clusterNameForLab(labId);
    const privileged = this.options.privileged ?? true;
    const [cp] = await rt.listContainers({ 'io.x-k8s.kind.cluster': clusterName, 'io.x-k8s.kind.role': 'control-plane' });
    const [jb] = await rt.listContainers({ [Labels.labId]: labId, [Labels.role]: 'jumpbox' });
    if (!cp || !jb) throw new LabRunnerError('lab-state', `kind lab ${labId} has no ${cp ? 'jumpbox' : 'control-plane'} container to hand credentials to`);
    const nodeCtx = { runtime: rt, privileged };
    const cpRef = { id: cp.id, name: cp.name };
    const adminConf = await readFileOnNode(nodeCtx, cpRef, 'claim', ADMIN_CONF_PATH);
    if (!adminConf) throw new LabRunnerError('lab-state', `${cp.name} has no ${ADMIN_CONF_PATH}`);
    await issueJumpboxCredentials(
      nodeCtx,
      cpRef,
      { id: jb.id, name: jumpboxName(clusterName) },
      adminConf,
      clusterName,
      (expiresAt.getTime() - Date.now()) / 1000,
    );
  }
}
