// Which Docker engine to check, resolved the way the Docker CLI does: DOCKER_HOST, then the current context
// (DOCKER_CONTEXT or ~/.docker/config.json), then the default socket. The lab runner's client (dockerode) reads
// only DOCKER_HOST, so when the engine comes from a context or a well-known socket, the launcher exports it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * @typedef {{ host: string, source: 'DOCKER_HOST' | 'context' | 'default' | 'found', context?: string, tls?: { certPath?: string, verify: boolean } }} Endpoint
 */

function dockerConfigDir(env) {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The endpoint of a named Docker context, from the CLI's context store. */
export function contextEndpoint(name, env = process.env) {
  const id = createHash('sha256').update(name).digest('hex');
  const dir = dockerConfigDir(env);
  const meta = readJson(path.join(dir, 'contexts', 'meta', id, 'meta.json'));
  const host = meta?.Endpoints?.docker?.Host;
  if (typeof host !== 'string' || !host) return undefined;
  const tlsDir = path.join(dir, 'contexts', 'tls', id, 'docker');
  const tls = fs.existsSync(path.join(tlsDir, 'ca.pem')) ? { certPath: tlsDir, verify: !meta.Endpoints.docker.SkipTLSVerify } : undefined;
  return { host, source: 'context', context: name, ...(tls ? { tls } : {}) };
}

/** @returns {Endpoint} */
export function resolveEndpoint(env = process.env) {
  if (env.DOCKER_HOST) {
    const verify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
    const certPath = env.DOCKER_CERT_PATH || (verify ? dockerConfigDir(env) : undefined);
    return { host: env.DOCKER_HOST, source: 'DOCKER_HOST', ...(verify || env.DOCKER_CERT_PATH ? { tls: { certPath, verify } } : {}) };
  }
  const name = env.DOCKER_CONTEXT || readJson(path.join(dockerConfigDir(env), 'config.json'))?.currentContext;
  if (name && name !== 'default') {
    const fromContext = contextEndpoint(name, env);
    if (fromContext) return fromContext;
  }
  return { host: `unix://${DEFAULT_SOCKET}`, source: 'default' };
}

/** Sockets other engines listen on when the default one is absent: rootless Docker, Docker Desktop, colima, OrbStack. */
export function wellKnownSockets(env = process.env) {
  const home = os.homedir();
  return [
    env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
    path.join(home, '.colima', 'default', 'docker.sock'),
    path.join(home, '.orbstack', 'run', 'docker.sock'),
  ].filter((p) => p !== undefined && p !== DEFAULT_SOCKET);
}

/** The socket path of a unix:// host, else undefined. */
export function socketPathOf(host) {
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}
