// The "load images" step of a finished cluster: a template's workload images go into every node, as a separate
// `kind load docker-image` would. A failure here never destroys the cluster: the cluster works, and a pod that
// needs a missing image says ImagePullBackOff. Each image that did not make it is reported with how to get it.
import { ProvisionError } from '../errors.ts';
import type { EngineInfo } from '../runtime/container-runtime.ts';
import { loadImages, preloadPlan, type LoadReport } from './image-loader.ts';
import type { NodeExecContext, NodeRef } from './node-exec.ts';

export interface PreloadProblem {
  image: string;
  /** What went wrong, one line. */
  reason: string;
  /** What a person does about it. */
  fix: string;
}

export interface PreloadOutcome {
  loaded: LoadReport[];
  /** Images that are not on the Docker host, or that failed to load. */
  problems: PreloadProblem[];
}

export function missingImageFix(image: string, clusterName: string): string {
  return `run "docker pull ${image}" (offline: "docker save" it where a registry is reachable, "docker load" it here), then "kind load docker-image ${image} --name ${clusterName}" or recreate the lab`;
}

export interface PreloadInput {
  ctx: NodeExecContext;
  nodes: NodeRef[];
  images: string[];
  clusterName: string;
  engine?: Pick<EngineInfo, 'apiVersion' | 'platform'>;
  onDetail?: (line: string) => void;
}

export async function preloadWorkloadImages(i: PreloadInput): Promise<PreloadOutcome> {
  const out: PreloadOutcome = { loaded: [], problems: [] };
  const plan = i.engine ? preloadPlan(i.engine) : undefined;
  for (const image of i.images) {
    if (!(await i.ctx.runtime.inspectImage(image))) {
      out.problems.push({ image, reason: 'not on the Docker host', fix: missingImageFix(image, i.clusterName) });
      continue;
    }
    try {
      out.loaded.push(...(await loadImages({ ctx: i.ctx, nodes: i.nodes, images: [image], onProgress: i.onDetail, plan })));
    } catch (e) {
      // ctr's own words (e.g. "content digest … not found") are the useful part: the last line of its output.
      const tail = e instanceof ProvisionError ? e.outputTail?.trim().split('\n').pop() : undefined;
      const reason = (tail || ((e as Error).message.split('\n')[0] ?? '')).slice(0, 300);
      out.problems.push({ image, reason: `loading failed: ${reason}`, fix: missingImageFix(image, i.clusterName) });
    }
  }
  for (const p of out.problems) i.onDetail?.(`warning: ${p.image} was not preloaded (${p.reason}); pods using it will try to pull it. To fix: ${p.fix}.`);
  return out;
}
