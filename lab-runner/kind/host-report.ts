// A shareable description of the Docker host for kind labs: what doctor prints, what `npm run test:kind -- --report`
// and `npm run lab -- verify kind --report=` put at the top of their reports, so a report from somebody's machine
// says which host it is about and what packetwalk derived from it.
import os from 'node:os';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { hostAdaptations, type HostAdaptations } from './host-adaptations.ts';
import { engineWithFilesystem, evaluatePreflight, gatherHostFacts, lessonsBlockedBy, type CheckResult, type HostFacts } from './host-preflight.ts';
import { preloadPlan, type PreloadPlan } from './image-loader.ts';

export interface HostReport {
  generatedAt: string;
  machine: { hostname: string; platform: string; release: string; node: string; cpus: number; memTotalBytes: number };
  facts: HostFacts;
  preflight: CheckResult[];
  verdict: 'ready' | 'ready with warnings' | 'not ready';
  /** Lessons that need a kernel feature this host lacks. */
  blockedLessons: { lesson: string; check: string }[];
  adaptations?: HostAdaptations;
  preload?: PreloadPlan;
}

export function verdictOf(results: CheckResult[]): HostReport['verdict'] {
  return results.some((r) => r.status === 'fail') ? 'not ready' : results.some((r) => r.status === 'warn') ? 'ready with warnings' : 'ready';
}

/** Pure: the report from facts already gathered (checks beyond preflight, e.g. doctor's probes, appended). */
export function hostReportFrom(facts: HostFacts, req: { nodeCount: number; kubernetesMinor: number }, extraChecks: CheckResult[] = []): HostReport {
  const preflight = [...evaluatePreflight(facts, req), ...extraChecks];
  const engine = engineWithFilesystem(facts);
  return {
    generatedAt: new Date().toISOString(),
    machine: {
      hostname: os.hostname(),
      platform: os.platform(),
      release: os.release(),
      node: process.version,
      cpus: os.cpus().length,
      memTotalBytes: os.totalmem(),
    },
    facts,
    preflight,
    verdict: verdictOf(preflight),
    blockedLessons: lessonsBlockedBy(preflight),
    ...(engine ? { adaptations: hostAdaptations(engine), preload: preloadPlan(engine) } : {}),
  };
}

export async function describeHost(
  runtime: ContainerRuntime,
  req: { nodeCount: number; kubernetesMinor: number },
  env: Record<string, string | undefined> = process.env,
): Promise<HostReport> {
  return hostReportFrom(await gatherHostFacts(runtime, env), req);
}
