// Makes sure every image the sandboxes use is on the Docker host: builds packetwalk/* images whose sources
// changed (or that are missing), optionally pulls the others. Used by "npm run images", the integration tests'
// global setup and server start-up.
import type { ContainerRuntime, ProgressFn } from '../runtime/container-runtime.ts';
import { SandboxCatalog } from '../../course/sandbox/sandbox-catalog.ts';
import { DEFAULT_SANDBOXES_DIR } from '../../course/sandbox/sandboxes-dir.ts';
import { sandboxImages } from '../../course/sandbox/sandbox-targets.ts';
import { buildLocalImage, type BaseStrategy } from './build-local-image.ts';
import { DEFAULT_IMAGES_DIR, imageSource } from './image-sources.ts';

export interface EnsureImagesOptions {
  onProgress?: ProgressFn;
  /** Only these images (default: every image used by a sandbox template). */
  images?: string[];
  /** Only templates of these runtimes (e.g. ["nodes"] at server start, so kind images are not pulled). */
  runtimes?: string[];
  /** Pull missing non-packetwalk images (kindest/node…). Default false: kind pulls on first use, with progress. */
  pull?: boolean;
  force?: boolean;
  base?: BaseStrategy;
  sandboxesDir?: string;
  imagesDir?: string;
  cacheDir?: string;
}

export interface ImageReport {
  image: string;
  action: 'up-to-date' | 'built' | 'present' | 'pulled' | 'missing' | 'failed';
  seconds: number;
  detail?: string;
}

/** Images used by the templates, with a warning line for any template that does not load. */
export function imagesUsedBySandboxes(catalog: SandboxCatalog, runtimes?: string[], warn?: ProgressFn): string[] {
  const refs = new Set<string>();
  for (const name of catalog.names()) {
    try {
      const s = catalog.get(name);
      if (runtimes && !runtimes.includes(s.runtime)) continue;
      for (const ref of sandboxImages(s)) refs.add(ref);
    } catch (err) {
      warn?.(`warning: skipping sandbox ${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return [...refs].sort();
}

export async function ensureImages(runtime: ContainerRuntime, o: EnsureImagesOptions = {}): Promise<ImageReport[]> {
  const say = o.onProgress ?? (() => undefined);
  await runtime.ping();
  const refs = o.images ?? imagesUsedBySandboxes(new SandboxCatalog(o.sandboxesDir ?? DEFAULT_SANDBOXES_DIR), o.runtimes, say);
  const reports: ImageReport[] = [];
  for (const ref of refs) {
    const source = imageSource(ref, o.imagesDir ?? DEFAULT_IMAGES_DIR);
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    if (source.kind === 'local') {
      try {
        const r = await buildLocalImage(runtime, { ref, dir: source.dir, base: o.base, force: o.force, cacheDir: o.cacheDir, onProgress: say });
        reports.push({ image: ref, action: r.action, seconds: r.seconds, detail: r.base ? `from ${r.base}` : undefined });
        say(`${ref}: ${r.action}${r.action === 'built' ? ` in ${r.seconds.toFixed(1)} s` : ''}`);
      } catch (err) {
        reports.push({ image: ref, action: 'failed', seconds: elapsed(), detail: (err as Error).message });
        say(`${ref}: FAILED — ${(err as Error).message}`);
      }
      continue;
    }
    if (await runtime.inspectImage(ref)) {
      reports.push({ image: ref, action: 'present', seconds: elapsed() });
      continue;
    }
    if (!o.pull) {
      reports.push({
        image: ref,
        action: 'missing',
        seconds: elapsed(),
        detail: 'not on this host; "npm run images -- --pull" fetches it where a registry is reachable',
      });
      say(`${ref}: not on this host (pulled on first use, or "npm run images -- --pull")`);
      continue;
    }
    try {
      say(`${ref}: pulling`);
      await runtime.pullImage(ref, (line) => say(`  ${line}`));
      reports.push({ image: ref, action: 'pulled', seconds: elapsed() });
    } catch (err) {
      reports.push({ image: ref, action: 'failed', seconds: elapsed(), detail: (err as Error).message });
      say(`${ref}: pull FAILED — ${(err as Error).message}`);
    }
  }
  return reports;
}
