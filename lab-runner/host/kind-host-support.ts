// Can this server run kind labs, in one verdict the site can show before Start? An adapter over the kind host
// preflight (host-preflight.ts: engine, cgroups, user namespaces, inotify, memory, kernel features) and the
// privileged-container probe (privileged-probe.ts): it only reduces their CheckResults, it decides nothing itself.
// A failed check stops every kind lab; a check that names lessons (kernel features) stops only those lessons.
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { evaluatePreflight, gatherHostFacts, type CheckResult } from '../kind/host-preflight.ts';
import { DEFAULT_NODE_IMAGE, kubernetesVersionOfImage } from '../../course/sandbox/kind/node-images.ts';
import { probePrivileged } from '../kind/privileged-probe.ts';

/** Why something cannot run here, in one line, with the fix and the check it came from (the /host page's anchor). */
export interface HostBlock {
  check: string;
  reason: string;
  fix?: string;
}

export type KindHostSupport =
  /** kind labs can start; `lessons` lists kind lessons that still cannot be finished here (a missing kernel feature). */
  | { status: 'ready'; lessons: Record<string, HostBlock>; checks: CheckResult[] }
  | { status: 'unavailable'; block: HostBlock; lessons: Record<string, HostBlock>; checks: CheckResult[] };

/** A check result as host-preflight may return it: some name the lessons they concern. */
type LessonCheck = CheckResult & { lessons?: readonly string[] };

const blockOf = (r: CheckResult): HostBlock => ({ check: r.name, reason: `${r.name}: ${r.detail}`, ...(r.fix ? { fix: r.fix } : {}) });

/** Pure: the verdict from the checks (unit-tested with made-up results). */
export function kindSupportFrom(checks: CheckResult[]): KindHostSupport {
  const lessons: Record<string, HostBlock> = {};
  for (const r of checks as LessonCheck[]) {
    // "not checked" warnings (remote engine, unreadable module lists) do not mark lessons: we do not know.
    if (r.status === 'ok' || !r.lessons?.length || r.detail.startsWith('not checked')) continue;
    for (const lesson of r.lessons) lessons[lesson] ??= blockOf(r);
  }
  const failed = (checks as LessonCheck[]).find((r) => r.status === 'fail' && !r.lessons?.length);
  return failed ? { status: 'unavailable', block: blockOf(failed), lessons, checks } : { status: 'ready', lessons, checks };
}

export interface KindSupportOptions {
  /** LAB_RUNTIME (e.g. sysbox-runc): probe with it instead of --privileged. */
  labRuntime?: string;
  /** Nodes of the largest kind sandbox (memory check). */
  nodeCount?: number;
  env?: Record<string, string | undefined>;
}

/** Looks at the host (engine facts, /proc, one probe container) and returns the verdict. */
export async function kindHostSupport(runtime: ContainerRuntime, o: KindSupportOptions = {}): Promise<KindHostSupport> {
  const minor = kubernetesVersionOfImage(DEFAULT_NODE_IMAGE)?.minor ?? 35;
  const checks = evaluatePreflight(await gatherHostFacts(runtime, o.env), { nodeCount: o.nodeCount ?? 3, kubernetesMinor: minor });
  // The probe needs an engine; without one the preflight has already failed "Docker reachable".
  if (checks[0]?.status === 'ok') checks.push(await probePrivileged(runtime, o.labRuntime));
  return kindSupportFrom(checks);
}
