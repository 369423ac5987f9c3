// Builds packetwalk/<name>:latest from sandboxes/images/<name>/ unless the image on the host already carries the
// same content hash. BASE is debian:bookworm-slim when the host has it or can pull it, otherwise a debootstrap
// base built from the image's packages.txt (which makes the Dockerfile's install step a no-op: no network needed).
import path from 'node:path';
import { createLogger } from '../../lib/log.ts';
import { Labels } from '../labels.ts';
import type { ContainerRuntime, ProgressFn } from '../runtime/container-runtime.ts';
import { hashDirectory } from './content-hash.ts';
import { ensureDebootstrapBase, readPackageList } from './debootstrap-base.ts';

const log = createLogger('images');
export const REGISTRY_BASE = 'debian:bookworm-slim';
/** Packages every debootstrap base gets, on top of the image's own packages.txt. */
const ALWAYS = ['ca-certificates', 'procps'];

export type BaseStrategy = 'auto' | 'registry' | 'debootstrap';

export interface BuildLocalImageOptions {
  ref: string;
  dir: string;
  base?: BaseStrategy;
  force?: boolean;
  cacheDir?: string;
  onProgress?: ProgressFn;
}

export type BuildOutcome = { action: 'up-to-date' | 'built'; hash: string; base?: string; seconds: number };

export async function buildLocalImage(runtime: ContainerRuntime, o: BuildLocalImageOptions): Promise<BuildOutcome> {
  const started = performance.now();
  const say = o.onProgress ?? (() => undefined);
  const hash = hashDirectory(o.dir);
  const existing = await runtime.inspectImage(o.ref);
  if (!o.force && existing?.labels[Labels.contentHash] === hash) {
    return { action: 'up-to-date', hash, seconds: (performance.now() - started) / 1000 };
  }
  say(existing ? `${o.ref}: sources changed (hash ${hash}), rebuilding` : `${o.ref}: not on this host, building`);
  const base = await chooseBase(runtime, o, say);
  say(`${o.ref}: docker build FROM ${base}`);
  await runtime.buildImage({ contextDir: o.dir, tag: o.ref, buildArgs: { BASE: base }, labels: { [Labels.contentHash]: hash } }, (line) => say(`  ${line}`));
  const seconds = (performance.now() - started) / 1000;
  log.info('image built', { image: o.ref, hash, base, seconds: seconds.toFixed(1) });
  return { action: 'built', hash, base, seconds };
}

/** The packages of an image's offline base: its packages.txt and the ones every base gets. */
export function debootstrapBasePackages(imageDir: string): string[] {
  return [...ALWAYS, ...readPackageList(path.join(imageDir, 'packages.txt'))];
}

async function chooseBase(runtime: ContainerRuntime, o: BuildLocalImageOptions, say: ProgressFn): Promise<string> {
  const strategy = o.base ?? 'auto';
  if (strategy !== 'debootstrap') {
    if (await runtime.inspectImage(REGISTRY_BASE)) return REGISTRY_BASE;
    try {
      say(`pulling ${REGISTRY_BASE}`);
      await runtime.pullImage(REGISTRY_BASE, (line) => say(`  ${line}`));
      return REGISTRY_BASE;
    } catch (err) {
      if (strategy === 'registry') throw err;
      say(`no registry reachable (${(err as Error).message.split('\n')[0]}); building an offline base with debootstrap`);
    }
  }
  const name = path.basename(o.dir);
  return ensureDebootstrapBase(runtime, {
    repository: `packetwalk/${name}-base`,
    packages: debootstrapBasePackages(o.dir),
    cacheDir: o.cacheDir,
    onProgress: say,
  });
}
