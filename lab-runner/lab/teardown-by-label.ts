// Removes every container (with its anonymous volumes) and then every network carrying a label selector.
// Used by destroy, by failed provisioning and by the reaper. Repeats until a listing comes back empty, because a
// container still being created by a crashed or racing process can appear after the first listing, and a
// network cannot be removed while something is attached to it.
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError } from '../errors.ts';
import type { ContainerRuntime, LabelFilter } from '../runtime/container-runtime.ts';

const log = createLogger('teardown');
const ROUNDS = 4;

export async function teardownByLabel(runtime: ContainerRuntime, filter: LabelFilter): Promise<{ containers: number; networks: number }> {
  let containers = 0;
  let networks = 0;
  let lastError: unknown;
  for (let round = 1; round <= ROUNDS; round++) {
    const found = await runtime.listContainers(filter);
    await Promise.all(found.map((c) => runtime.removeContainer(c.id)));
    containers += found.length;
    const nets = await runtime.listNetworks(filter);
    const results = await Promise.allSettled(nets.map((n) => runtime.removeNetwork(n.id)));
    networks += results.filter((r) => r.status === 'fulfilled').length;
    lastError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason ?? lastError;
    const [again, againNets] = await Promise.all([runtime.listContainers(filter), runtime.listNetworks(filter)]);
    if (again.length === 0 && againNets.length === 0) {
      if (containers || networks) log.debug('removed', { filter: JSON.stringify(filter), containers, networks });
      return { containers, networks };
    }
  }
  throw new LabRunnerError('teardown-failed', `Could not remove everything labelled ${JSON.stringify(filter)} after ${ROUNDS} rounds: ${(lastError as Error | undefined)?.message ?? 'objects keep reappearing'}`, { cause: lastError });
}
