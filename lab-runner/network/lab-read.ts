// The raw reads behind the map, shared by the map service (lab-network.ts) and the kind recorder (kube-record.ts), so
// that what is recorded for the tests is exactly what the map reads: the collector per node, as root, and kubectl on
// the jumpbox as the jumpbox's own user (a kind jumpbox's ~/.kube belongs to "learner").
import type { LabManager } from '../lab/lab-manager.ts';
import { collectScript, newSectionToken } from './collect-script.ts';

export type LabExec = Pick<LabManager, 'exec'>;

const READ_TIMEOUT_MS = 5_000;
/** The map refuses more than this per exec (a node's network state, or the cluster's objects). */
export const READ_MAX_BYTES = 4 * 1024 * 1024;

/** What the kind views read: one List with every kind mixed (kube-views.ts splits it). */
export const KUBE_VIEW_QUERY: readonly string[] = ['kubectl', 'get', 'nodes,pods,services,endpointslices', '-A', '-o', 'json'];

export interface RawNodeRead {
  target: string;
  /** The per-read section token the collector's headers carry. */
  token: string;
  stdout: string;
  execMs: number;
  truncated: boolean;
  /** The read was cut short by its timeout: what came so far is in stdout (the map shows it; a recording retries). */
  timedOut: boolean;
}

/** One node's network state: the collector script, run once. Throws when the exec cannot run. */
export async function readNodeRaw(labs: LabExec, labId: string, target: string, opts: { routes: boolean }): Promise<RawNodeRead> {
  const token = newSectionToken();
  const r = await labs.exec(labId, target, {
    cmd: ['bash', '-s'],
    stdin: collectScript(token, opts),
    timeoutMs: READ_TIMEOUT_MS,
    maxOutputBytes: READ_MAX_BYTES,
    user: 'root',
  });
  return { target, token, stdout: r.stdout, execMs: r.durationMs, truncated: r.truncated, timedOut: r.timedOut };
}

/** The cluster's objects as kubectl prints them, or undefined when kubectl failed (no cluster yet, API down). */
export async function readKubeRaw(labs: LabExec, labId: string, jumpbox: string): Promise<string | undefined> {
  const r = await labs.exec(labId, jumpbox, { cmd: [...KUBE_VIEW_QUERY], timeoutMs: READ_TIMEOUT_MS, maxOutputBytes: READ_MAX_BYTES });
  return r.exitCode === 0 && !r.truncated ? r.stdout : undefined;
}
