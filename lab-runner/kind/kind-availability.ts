// Can a real kind cluster be created on this Docker host right now? Used by `npm run test:kind` and
// `npm run bench:kind` to run where the pinned node image is present and otherwise say, in one line, why not.
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

export type KindAvailability = { ok: true } | { ok: false; reason: string };

export async function kindAvailability(runtime: ContainerRuntime, nodeImage: string, workloadImages: string[] = []): Promise<KindAvailability> {
  try {
    await runtime.ping();
  } catch (e) {
    return { ok: false, reason: `no Docker engine answers (${(e as Error).message.split('\n')[0]})` };
  }
  if (!(await runtime.inspectImage(nodeImage))) {
    return { ok: false, reason: `${nodeImage} is not present on this Docker host (pull it where a registry is reachable)` };
  }
  for (const image of workloadImages) {
    if (!(await runtime.inspectImage(image))) {
      return { ok: false, reason: `workload image ${image} is not present on this Docker host (pull it where a registry is reachable; labs never pull)` };
    }
  }
  return { ok: true };
}
