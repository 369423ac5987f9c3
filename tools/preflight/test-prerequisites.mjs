// What `npm test` needs beyond Docker: Chromium for the e2e tests, and debootstrap when lab images must be built and
// no base image can be pulled. Each missing piece comes with its install command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineGet } from './docker-probe.mjs';
import { findOnPath } from './host-platform.mjs';

/** Where playwright.config.ts finds Chromium: CHROMIUM_PATH, /usr/bin/chromium, else Playwright's own download. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return fs.existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const cache =
    env.PLAYWRIGHT_BROWSERS_PATH || path.join(os.homedir(), process.platform === 'darwin' ? 'Library/Caches/ms-playwright' : '.cache/ms-playwright');
  try {
    const dir = fs.readdirSync(cache).find((d) => /^chromium(_headless_shell)?-\d+$/.test(d));
    return dir ? path.join(cache, dir) : undefined;
  } catch {
    return undefined;
  }
}

export function chromiumCheck(env = process.env) {
  const found = findChromium(env);
  if (found) return { status: 'ok', line: `Chromium: ${found}` };
  return {
    status: 'fail',
    line: env.CHROMIUM_PATH ? `Chromium: CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist` : 'Chromium: not found (the e2e tests drive it)',
    fix: 'sudo apt-get install -y chromium (Debian; Ubuntu: npx playwright install --with-deps chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary',
  };
}

const imageExists = async (endpoint, ref) => (await engineGet(endpoint, `/images/${encodeURIComponent(ref)}/json`)).status === 200;

/**
 * Lab images are built FROM debian:bookworm-slim when it is present or can be pulled; otherwise from a debootstrap
 * root filesystem (needs debootstrap and root). Needed only when no base is available at all.
 */
export async function baseImageCheck(endpoint, env = process.env) {
  if (await imageExists(endpoint, 'debian:bookworm-slim')) return { status: 'ok', line: 'Base image: debian:bookworm-slim present' };
  const images = await engineGet(endpoint, `/images/json?filters=${encodeURIComponent(JSON.stringify({ reference: ['packetwalk/*-base'] }))}`);
  const bases = images.ok && images.status === 200 ? JSON.parse(images.body) : [];
  if (bases.length)
    return {
      status: 'ok',
      line: `Base image: offline base${bases.length === 1 ? '' : 's'} already built (${bases.flatMap((b) => b.RepoTags ?? []).join(', ')})`,
    };
  // Ask the registry through the engine, without pulling: answers in a second where Docker Hub is reachable.
  const registry = await engineGet(endpoint, '/distribution/debian:bookworm-slim/json');
  if (registry.ok && registry.status === 200) return { status: 'ok', line: 'Base image: debian:bookworm-slim will be pulled from the registry' };
  const debootstrap = findOnPath('debootstrap', env, ['/usr/sbin', '/sbin']);
  if (!debootstrap) {
    return {
      status: 'fail',
      line: 'Base image: no registry answers for debian:bookworm-slim and debootstrap is not installed to build an offline base',
      fix: 'sudo apt-get install -y debootstrap (or load the base by other means: docker load -i debian-bookworm-slim.tar)',
    };
  }
  if (process.getuid?.() !== 0) {
    return {
      status: 'fail',
      line: 'Base image: no registry answers; the offline base is built with debootstrap, which needs root',
      fix: 'run "sudo npm run images" once (later runs use the cached root filesystem)',
    };
  }
  return { status: 'ok', line: `Base image: no registry; will build an offline base with ${debootstrap} (about a minute, once)` };
}
