// Can a real kind cluster be created on this Docker host right now? Used by `npm run test:kind` and
// `npm run bench:kind` to run where the pinned node image is present and the host passes the preflight (kind's
// policy, and a privileged container actually starts), and otherwise say, in one line, why not.
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { evaluatePreflight, gatherHostFacts } from './host-preflight.ts';
import { kubernetesVersionOfImage } from '../../course/sandbox/kind/node-images.ts';
import { probePrivileged } from './privileged-probe.ts';

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
  const refused = evaluatePreflight(await gatherHostFacts(runtime), { nodeCount: 1, kubernetesMinor: kubernetesVersionOfImage(nodeImage)?.minor ?? 35 }).filter(
    (r) => r.status === 'fail',
  );
  if (refused.length) return { ok: false, reason: `the host is not ready for kind: ${refused.map((r) => `${r.name}: ${r.detail}`).join('; ')}` };
  const labRuntime = process.env.LAB_RUNTIME || undefined;
  const privileged = await probePrivileged(runtime, labRuntime && labRuntime !== 'runc' ? labRuntime : undefined);
  if (privileged.status === 'fail') return { ok: false, reason: `${privileged.name}: ${privileged.detail}` };
  return { ok: true };
}
