// Idle kind labs are frozen with `docker pause` (cgroup freezer: memory stays, CPU drops to zero) and thawed
// on return. All of a lab's containers move together so the API server never sees half a cluster.
import { Labels } from '../labels.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

export async function pauseCluster(runtime: ContainerRuntime, labId: string): Promise<number> {
  const containers = await runtime.listContainers({ [Labels.labId]: labId });
  await Promise.all(containers.filter((c) => c.state === 'running').map((c) => runtime.pauseContainer(c.id)));
  return containers.length;
}

export async function resumeCluster(runtime: ContainerRuntime, labId: string): Promise<number> {
  const containers = await runtime.listContainers({ [Labels.labId]: labId });
  await Promise.all(containers.filter((c) => c.state === 'paused').map((c) => runtime.unpauseContainer(c.id)));
  return containers.length;
}
