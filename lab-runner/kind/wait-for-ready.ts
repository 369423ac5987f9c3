// Step "wait for ready": every node registered, and Ready unless the cluster has no CNI yet. A slow host is not a
// failed cluster: past warnAfterMs the wait says so and keeps going; only the hard limit ends it (and the cluster).
import { ProvisionError } from '../errors.ts';
import { constantBackoff } from '../util/backoff.ts';
import type { Clock } from '../util/clock.ts';
import { done, notYet, pollUntil } from '../util/poll-until.ts';
import type { NodeExecContext, NodeRef } from './node-exec.ts';

export interface WaitForReadyOptions {
  /** After this long, report once that the nodes are slow (with their state) and keep waiting. */
  warnAfterMs?: number;
  onWarn?: (line: string) => void;
  pollMs?: number;
  clock?: Clock;
}

/** One line per node, "name Ready-status"; tests/unit/lessons/kubectl-usage.test.ts has a real kubectl parse it. */
export const NODES_READY_JSONPATH = '{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}';

export async function waitForNodesReady(
  ctx: NodeExecContext,
  cp: NodeRef,
  expected: number,
  timeoutMs: number,
  requireReady: boolean,
  o: WaitForReadyOptions = {},
): Promise<void> {
  let warned = false;
  const wanted = requireReady ? 'Ready' : 'registered';
  await pollUntil(
    async ({ elapsedMs }) => {
      const r = await ctx.runtime.exec(cp.id, {
        privileged: ctx.privileged,
        cmd: ['kubectl', '--kubeconfig=/etc/kubernetes/admin.conf', 'get', 'nodes', `-o=jsonpath=${NODES_READY_JSONPATH}`],
        timeoutMs: 15_000,
      });
      const last = (r.stdout + r.stderr).trim();
      if (r.exitCode === 0) {
        const rows = r.stdout
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(' '));
        if (rows.length >= expected && (!requireReady || rows.every((row) => row[1] === 'True'))) return done(undefined);
      }
      if (!warned && o.warnAfterMs !== undefined && elapsedMs() >= o.warnAfterMs) {
        warned = true;
        o.onWarn?.(
          `warning: nodes are still not ${wanted} after ${Math.round(elapsedMs() / 1000)} s (${last.replace(/\n/g, '; ') || 'no answer yet'}); this host is slow, still waiting up to ${Math.round(timeoutMs / 1000)} s`,
        );
      }
      return notYet(last);
    },
    {
      what: `nodes to be ${wanted}`,
      timeoutMs,
      backoff: constantBackoff(o.pollMs ?? 1000),
      clock: o.clock,
      giveUp: (g) => new ProvisionError('wait for ready', `nodes were not ${wanted} within ${timeoutMs / 1000} s`, g.detail ?? ''),
    },
  );
}
