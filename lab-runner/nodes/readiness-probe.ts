// A node is ready when its init has finished (written /run/packetwalk/ready) and exec works: probed, not slept.
// A node that stops while we wait fails at once with its exit code and whether the OOM killer got it.
import { ProvisionError } from '../errors.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { exponentialBackoff } from '../util/backoff.ts';
import { done, notYet, pollUntil } from '../util/poll-until.ts';

export const READY_MARKER = '/run/packetwalk/ready';

export async function waitUntilNodeReady(
  runtime: ContainerRuntime,
  containerId: string,
  node: string,
  timeoutMs = 30_000,
  signal?: AbortSignal,
): Promise<void> {
  await pollUntil(
    async () => {
      try {
        const r = await runtime.exec(containerId, { cmd: ['test', '-e', READY_MARKER], timeoutMs: 5_000 });
        if (r.exitCode === 0) return done(undefined);
        return notYet(`readiness marker ${READY_MARKER} not there yet (exit ${r.exitCode}) ${r.stderr}`.trim());
      } catch (err) {
        const last = (err as Error).message;
        const info = await runtime.inspectContainer(containerId);
        if (!info) throw new ProvisionError('readiness', `node ${node} disappeared while starting`, last, err);
        if (info.state !== 'running') {
          throw new ProvisionError(
            'readiness',
            `node ${node} stopped while starting (state ${info.state}, exit code ${info.exitCode}${info.oomKilled ? ', killed for using too much memory' : ''})`,
            last,
            err,
          );
        }
        return notYet(last);
      }
    },
    {
      what: `node ${node} to become ready`,
      timeoutMs,
      // From 10 ms to 200 ms between probes: fast when the node is quick, cheap when it is not.
      backoff: exponentialBackoff({ initialMs: 10, maxMs: 200 }),
      signal,
      giveUp: (o) => new ProvisionError('readiness', `node ${node} did not become ready within ${timeoutMs / 1000} s`, o.detail ?? ''),
    },
  );
}
