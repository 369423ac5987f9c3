// Brings the Node packetwalk needs when the one on PATH is older: the registry's "node" package (the npm registry
// ships Node binaries) installed into ~/.cache/packetwalk/node<major>. The same place and layout as .ci/run, so a
// machine that ran CI, or ran `npm run up` once, has it already. Nothing outside that directory is touched.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { majorOf } from './node-version.mjs';

export function nodeCacheDir(major, env = process.env) {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'packetwalk', `node${major}`);
}

/** Version string of a node binary, or undefined when it does not run. */
export function nodeVersionOf(binary) {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The cached node's bin directory when it holds a working Node of at least `major`. */
export function cachedNode(major, env = process.env) {
  const dir = nodeCacheDir(major, env);
  const binary = path.join(dir, 'node_modules', 'node', 'bin', 'node');
  if (!fs.existsSync(binary)) return undefined;
  const version = nodeVersionOf(binary);
  if (!version || majorOf(version) < major) return undefined;
  return linkBin(dir, binary, version);
}

function linkBin(dir, binary, version) {
  const binDir = path.join(dir, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, 'node');
  if (!fs.existsSync(link)) fs.symlinkSync(binary, link);
  return { binDir, binary: link, version };
}

/**
 * Installs node@<major> from the npm registry into the cache, saying every 20 s that it is still at it. Resolves to
 * { binDir, binary, version } or { error } with the telling line of what went wrong (offline, registry refused,
 * unsupported platform…).
 */
export async function installNode(major, env = process.env, say = () => undefined) {
  const dir = nodeCacheDir(major, env);
  fs.mkdirSync(dir, { recursive: true });
  say(`fetching Node ${major} from the npm registry into ${dir} (once, about 50 MB)…`);
  const started = Date.now();
  const heartbeat = setInterval(() => say(`  still fetching Node ${major} (${Math.round((Date.now() - started) / 1000)} s)…`), 20_000);
  const r = await new Promise((resolve) => {
    const child = spawn('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `node@${major}`], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', (error) => resolve({ error }));
    child.on('close', (status) => resolve({ status, out }));
  }).finally(() => clearInterval(heartbeat));
  if (r.error) return { error: `npm could not be run: ${r.error.message}` };
  if (r.status !== 0) {
    const lines = r.out
      .split('\n')
      .map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim())
      .filter((l) => l && !/^(code|path|command|errno|syscall|A complete log)\b/.test(l));
    const telling = lines.find((l) => /E[A-Z]{3,}|network|registry|permission|denied|not found|404|unsupported/i.test(l)) ?? lines[0];
    return { error: `npm install node@${major} failed: ${telling ?? `exit ${r.status}`}` };
  }
  const found = cachedNode(major, env);
  return (
    found ?? {
      error: `npm installed node@${major} but ${path.join(dir, 'node_modules', 'node', 'bin', 'node')} does not run (is this platform supported by the registry's node package?)`,
    }
  );
}
