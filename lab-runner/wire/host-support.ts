// What GET /api/host tells the browser about this server's labs: the catalog and lesson pages are prerendered,
// so whether this host can run a lesson's runtime is asked at run time. One zod schema for both ends.
import { z } from 'zod';

export const hostBlockSchema = z.strictObject({
  /** The check's name; /host#<slug> explains it. */
  check: z.string(),
  /** One line: "cgroups: cgroup v1 (cgroupfs driver): Kubernetes 1.37's kubelet refuses cgroup v1". */
  reason: z.string(),
  fix: z.string().optional(),
});
export type HostBlockView = z.infer<typeof hostBlockSchema>;

/** One check of the host, as the /host page lists it (the engine's CheckResult). */
export interface HostCheckView {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
  /** Lesson ids this check's problem stops; absent when it concerns every kind lab or none. */
  lessons?: string[];
}

export const hostSupportSchema = z.strictObject({
  /** Bare-node labs: the lab runner is up (Docker reachable), or why not. */
  nodes: z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('ready') }),
    z.strictObject({ status: z.literal('unavailable'), block: hostBlockSchema }),
  ]),
  /** kind labs: ready (some lessons may still be blocked), unavailable for all, or unknown (no lab runner to ask). */
  kind: z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('ready'), lessons: z.record(z.string(), hostBlockSchema) }),
    z.strictObject({ status: z.literal('unavailable'), block: hostBlockSchema, lessons: z.record(z.string(), hostBlockSchema) }),
    z.strictObject({ status: z.literal('unknown'), reason: z.string() }),
  ]),
});
export type HostSupportView = z.infer<typeof hostSupportSchema>;

/** The anchor of a check on the /host page ("Privileged containers" → "privileged-containers"). */
export function checkAnchor(check: string): string {
  return check
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Why a lesson of this runtime cannot run here, or undefined when it can (or when nobody knows yet). */
export function lessonBlock(view: HostSupportView | undefined, lessonId: string, runtime: 'nodes' | 'kind'): HostBlockView | undefined {
  if (!view) return undefined;
  if (runtime === 'nodes') return view.nodes.status === 'unavailable' ? view.nodes.block : undefined;
  if (view.kind.status === 'unknown') return undefined;
  return view.kind.status === 'unavailable' ? view.kind.block : view.kind.lessons[lessonId];
}
