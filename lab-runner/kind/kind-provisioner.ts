// Creates a kind cluster through the ContainerRuntime, step for step as `kind create cluster` does, so the
// result is a real kind cluster (`kind get clusters`, `kind export kubeconfig`, `kind load`, `kind delete` work).
// The steps are a table (provision-steps.ts); each reports progress; a failed step tears everything down (unless
// retain) and the error names the step and shows the tail of its output.
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError, ProvisionError } from '../errors.ts';
import { teardownCluster } from './cluster-teardown.ts';
import { PreflightError } from './host-preflight.ts';
import { DEFAULT_KIND_OPTIONS, type KindCluster, type KindProvisionOptions, type ProvisionKindRequest } from './kind-provision-types.ts';
import { controlPlaneOf, internalApiEndpoint, planNodes } from '../../course/sandbox/kind/node-plan.ts';
import { KIND_PROVISION_STEPS, type ProvisionStepId } from './provision-steps.ts';
import type { KindStart } from './steps/step-context.ts';

export { waitForNodesReady } from './wait-for-ready.ts';
export { SYSTEMD_READY } from './steps/node-steps.ts';
export { issueJumpboxCredentials, publishedPort } from './steps/access-steps.ts';
export { DEFAULT_KIND_OPTIONS, optionsForLabRuntime } from './kind-provision-types.ts';
export type { KindCluster, KindProvisionOptions, ProvisionedNode, ProvisionKindRequest } from './kind-provision-types.ts';

const log = createLogger('kind');

/** Provisions a kind cluster; on failure removes everything it created unless options.retain. */
export async function provisionKindCluster(req: ProvisionKindRequest): Promise<KindCluster> {
  const o: KindProvisionOptions = { ...DEFAULT_KIND_OPTIONS, ...req.options };
  const { runtime, template, clusterName } = req;
  const plan = planNodes(clusterName, template.cluster, template.nodeImage);
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    req.onDetail?.(line);
  };
  const start: KindStart = {
    req,
    o,
    runtime,
    template,
    cfg: template.cluster,
    clusterName,
    plan,
    cpPlan: controlPlaneOf(plan),
    nodeCtx: { runtime, privileged: o.privileged },
    jumpCtx: { runtime, privileged: false },
    warn,
    detail: (line) => (line.startsWith('warning:') ? warn(line) : req.onDetail?.(line)),
  };
  const timings: Partial<Record<ProvisionStepId, number>> = {};
  log.info('creating kind cluster', { lab: req.labId, cluster: clusterName, nodes: plan.length, image: template.nodeImage });
  try {
    const c = await KIND_PROVISION_STEPS.run(start, {
      onProgress: req.onProgress,
      signal: req.signal,
      timings,
      passThrough: (e) => e instanceof ProvisionError || e instanceof PreflightError,
    });
    log.info('kind cluster ready', { lab: req.labId, cluster: clusterName, timings });
    const { controlPlane, network } = c;
    return {
      labId: req.labId,
      clusterName,
      kubernetesVersion: c.kubernetesVersion,
      network: { id: network.id, name: network.name, removeOnTeardown: network.removeOnTeardown },
      nodes: c.nodes.map(({ id, name, suffix, role, ipv4 }) => ({ id, name, suffix, role, ipv4 })),
      controlPlane: { id: controlPlane.id, name: controlPlane.name, suffix: controlPlane.suffix, role: controlPlane.role, ipv4: controlPlane.ipv4 },
      jumpbox: c.jumpbox,
      toolboxes: c.toolboxes,
      apiServer: { hostAddress: c.cfg.networking.apiServerAddress, hostPort: c.hostPort, internalEndpoint: internalApiEndpoint(plan) },
      kubeconfig: c.kubeconfig,
      timings,
      host: c.host,
      preload: c.preload,
      warnings,
    };
  } catch (e) {
    const err = e instanceof LabRunnerError ? e : new ProvisionError('unknown', (e as Error).message, undefined, e);
    if (o.retain) {
      log.warn('kind cluster failed; retaining its containers for debugging', { lab: req.labId, cluster: clusterName, error: err.message });
    } else {
      log.warn('kind cluster failed; removing it', { lab: req.labId, cluster: clusterName, error: err.message });
      await teardownCluster(runtime, { labId: req.labId, clusterName }).catch((te: unknown) =>
        log.error('teardown after failure also failed', { lab: req.labId, error: (te as Error).message }),
      );
    }
    throw err;
  }
}
