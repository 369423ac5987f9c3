// Step "wait for ready": every node registered, and Ready unless the cluster has no CNI yet. A slow host is not a
// failed cluster: past warnAfterMs the wait says so and keeps going; only the hard limit ends it (and the cluster).
import { ProvisionError } from '../errors.ts';
import type { NodeExecContext, NodeRef } from './node-exec.ts';

export interface WaitForReadyOptions {
  /** After this long, report once that the nodes are slow (with their state) and keep waiting. */
  warnAfterMs?: number;
  onWarn?: (line: string) => void;
  pollMs?: number;
}

export async function waitForNodesReady(ctx: NodeExecContext, cp: NodeRef, expected: number, timeoutMs: number, requireReady: boolean, o: WaitForReadyOptions = {}): Promise<void> {
  const t0 = Date.now();
  const deadline = t0 + timeoutMs;
  let warned = false;
  let last = '';
  const jsonpath = '{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}';
  while (Date.now() < deadline) {
    const r = await ctx.runtime.exec(cp.id, { privileged: ctx.privileged, cmd: ['kubectl', '--kubeconfig=/etc/kubernetes/admin.conf', 'get', 'nodes', `-o=jsonpath=${jsonpath}`], timeoutMs: 15_000 });
    last = (r.stdout + r.stderr).trim();
    if (r.exitCode === 0) {
      const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' '));
      if (rows.length >= expected && (!requireReady || rows.every((row) => row[1] === 'True'))) return;
    }
    if (!warned && o.warnAfterMs !== undefined && Date.now() - t0 >= o.warnAfterMs) {
      warned = true;
      o.onWarn?.(
        `warning: nodes are still not ${requireReady ? 'Ready' : 'registered'} after ${Math.round((Date.now() - t0) / 1000)} s (${last.replace(/\n/g, '; ') || 'no answer yet'}); this host is slow, still waiting up to ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    await new Promise((res) => setTimeout(res, o.pollMs ?? 1000));
  }
  throw new ProvisionError('wait for ready', `nodes were not ${requireReady ? 'Ready' : 'registered'} within ${timeoutMs / 1000} s`, last);
}
