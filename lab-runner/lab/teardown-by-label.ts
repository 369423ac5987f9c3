// Removes every container (with its anonymous volumes) and then every network carrying a label selector.
// Used by destroy, by failed provisioning and by the reaper. Repeats until a listing comes back empty, because a
// container still being created by a crashed or racing process can appear after the first listing, and a
// network cannot be removed while something is attached to it.
// When a removed network was a lab bridge, the host agent then sweeps the host rules whose bridge is gone, so
// removing labs by label (the reaper's orphans, a test's cleanup by store id) leaves no host rule behind either.
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError } from '../errors.ts';
import { LAB_BRIDGE_PREFIX } from '../host-agent/bridge-rules.ts';
import { hostAgentFor } from '../host-agent/host-agent.ts';
import type { ContainerRuntime, LabelFilter } from '../runtime/container-runtime.ts';

const log = createLogger('teardown');
const ROUNDS = 4;

export interface TeardownOptions {
  /** Sweep host rules of removed lab bridges afterwards (default true). The nodes provisioner removes its lab's rules itself, concurrently. */
  sweepHostRules?: boolean;
}

export async function teardownByLabel(
  runtime: ContainerRuntime,
  filter: LabelFilter,
  opts: TeardownOptions = {},
): Promise<{ containers: number; networks: number }> {
  let containers = 0;
  let networks = 0;
  let labBridges = false;
  let lastError: unknown;
  for (let round = 1; round <= ROUNDS; round++) {
    const found = await runtime.listContainers(filter);
    await Promise.all(found.map((c) => runtime.removeContainer(c.id)));
    containers += found.length;
    const nets = await runtime.listNetworks(filter);
    labBridges ||= nets.some((n) => n.bridgeName?.startsWith(LAB_BRIDGE_PREFIX));
    const results = await Promise.allSettled(nets.map((n) => runtime.removeNetwork(n.id)));
    networks += results.filter((r) => r.status === 'fulfilled').length;
    lastError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason ?? lastError;
    const [again, againNets] = await Promise.all([runtime.listContainers(filter), runtime.listNetworks(filter)]);
    if (again.length === 0 && againNets.length === 0) {
      if (containers || networks) log.debug('removed', { filter: JSON.stringify(filter), containers, networks });
      if (labBridges && opts.sweepHostRules !== false) await hostAgentFor(runtime).sweepStaleRules();
      return { containers, networks };
    }
  }
  throw new LabRunnerError(
    'teardown-failed',
    `Could not remove everything labelled ${JSON.stringify(filter)} after ${ROUNDS} rounds: ${(lastError as Error | undefined)?.message ?? 'objects keep reappearing'}`,
    { cause: lastError },
  );
}
