// Offline base image: debootstrap a Debian minbase rootfs with the image's packages.txt, then "docker import" it.
// Needs no container registry, only a Debian mirror (apt's configured one) — classrooms behind a proxy, CI.
// The rootfs tarball is cached under ~/.cache/packetwalk/, keyed by the package list, so reruns take seconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabRunnerError } from '../errors.ts';
import type { ContainerRuntime, ProgressFn } from '../runtime/container-runtime.ts';
import { debianMirror } from './apt-mirror.ts';
import { hashText } from './content-hash.ts';
import { commandExists, runCommand } from './run-command.ts';

export const DEBIAN_SUITE = 'bookworm';

export function defaultCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'packetwalk');
}

/** Package names from a packages.txt: one per line, "#" comments and blank lines ignored. */
export function readPackageList(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export interface DebootstrapBaseOptions {
  /** e.g. "packetwalk/node-base"; the tag becomes the package-list hash. */
  repository: string;
  packages: string[];
  cacheDir?: string;
  mirror?: string;
  onProgress?: ProgressFn;
}

/** The package list's key: the base image's tag and its cached rootfs tarball's name. */
function baseKey(packages: string[]): { packages: string[]; key: string } {
  const sorted = [...new Set(packages)].sort();
  return { packages: sorted, key: hashText(DEBIAN_SUITE, ...sorted) };
}

/** Where the debootstrapped rootfs for these packages is cached (whether or not it exists yet). */
export function cachedRootfsTarball(packages: string[], cacheDir: string = defaultCacheDir()): string {
  return path.join(cacheDir, `rootfs-${DEBIAN_SUITE}-${baseKey(packages).key}.tar`);
}

/** Returns a local image reference to use as BASE, building it first if needed. */
export async function ensureDebootstrapBase(runtime: ContainerRuntime, o: DebootstrapBaseOptions): Promise<string> {
  const { packages, key } = baseKey(o.packages);
  const tag = `${o.repository}:${key}`;
  const say = o.onProgress ?? (() => undefined);
  if (await runtime.inspectImage(tag)) {
    say(`base ${tag} already present`);
    return tag;
  }
  const tarball = cachedRootfsTarball(packages, o.cacheDir);
  if (fs.existsSync(tarball)) say(`using cached rootfs ${tarball}`);
  else await buildRootfsTarball(tarball, packages, o.mirror ?? debianMirror(), say);
  say(`importing ${tarball} as ${tag}`);
  const started = performance.now();
  await runtime.importImage(fs.createReadStream(tarball), tag);
  say(`imported ${tag} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return tag;
}

async function buildRootfsTarball(tarball: string, packages: string[], mirror: string, say: ProgressFn): Promise<void> {
  if (!(await commandExists('debootstrap'))) {
    throw new LabRunnerError(
      'images-offline',
      'No registry is reachable for debian:bookworm-slim and debootstrap is not installed. Install it ("sudo apt-get install -y debootstrap") ' +
        'or load the base image by other means ("docker load -i debian-bookworm-slim.tar"), then run "npm run images" again.',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new LabRunnerError(
      'images-offline',
      'Building the offline base image runs debootstrap, which needs root: run "sudo npm run images" once (later runs use the cached rootfs).',
    );
  }
  fs.mkdirSync(path.dirname(tarball), { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-rootfs-'));
  const started = performance.now();
  try {
    say(`debootstrap ${DEBIAN_SUITE} (minbase + ${packages.length} packages) from ${mirror} — about a minute`);
    let steps = 0;
    await runCommand('debootstrap', ['--variant=minbase', `--include=${packages.join(',')}`, DEBIAN_SUITE, root, mirror], (line) => {
      steps++;
      // debootstrap prints hundreds of lines; show the phases and a heartbeat.
      if (
        /^I: (Retrieving Release|Base system installed|Configuring the base|Installing core|Unpacking the base|Resolving|Checking component)/.test(line) ||
        steps % 100 === 0
      ) {
        say(`debootstrap: ${line.trim()}`);
      }
    });
    // Slim like debian:*-slim: no package caches, docs, man pages or translations.
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale']) {
      const full = path.join(root, dir);
      if (!fs.existsSync(full)) continue;
      for (const entry of fs.readdirSync(full))
        if (entry !== 'partial' && entry !== 'lock') fs.rmSync(path.join(full, entry), { recursive: true, force: true });
    }
    const partial = `${tarball}.partial`;
    await runCommand('tar', ['--numeric-owner', '-C', root, '-cf', partial, '.']);
    fs.renameSync(partial, tarball);
    say(
      `rootfs ready in ${((performance.now() - started) / 1000).toFixed(0)} s (${(fs.statSync(tarball).size / 1024 / 1024).toFixed(0)} MB, cached at ${tarball})`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
