// Is a Docker engine reachable, and if not, why (docker-diagnosis.mjs says what to do)? When the engine is only
// found through a Docker context or a well-known socket, `exportHost` is the DOCKER_HOST the lab runner must get.
import fs from 'node:fs';
import os from 'node:os';
import { resolveEndpoint, socketPathOf, wellKnownSockets } from './docker-endpoint.mjs';
import { diagnoseDocker } from './docker-diagnosis.mjs';
import { probeEngine, socketState } from './docker-probe.mjs';
import { findOnPath, hostPlatform, linuxFamily } from './host-platform.mjs';

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin'];
const ENGINE_UNITS = ['/lib/systemd/system/docker.service', '/usr/lib/systemd/system/docker.service', '/etc/systemd/system/docker.service'];

function groupName(gid) {
  try {
    const line = fs
      .readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(gid));
    return line?.split(':')[0];
  } catch {
    return undefined;
  }
}

function socketOwnership(socketPath) {
  try {
    const st = fs.statSync(socketPath);
    const groups = process.getgroups?.() ?? [];
    return { socketGroup: groupName(st.gid), inSocketGroup: groups.includes(st.gid) || process.getuid?.() === 0 };
  } catch {
    return {};
  }
}

function desktopInstalled(platform) {
  if (platform === 'macos') return fs.existsSync('/Applications/Docker.app') || fs.existsSync(`${os.homedir()}/Applications/Docker.app`);
  if (platform === 'wsl') return fs.existsSync('/mnt/wsl/docker-desktop') || /docker-desktop/.test(realpathOrEmpty(findOnPath('docker') ?? ''));
  return fs.existsSync(`${os.homedir()}/.docker/desktop`);
}

function realpathOrEmpty(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return '';
  }
}

/**
 * @returns {Promise<{ ok: true, host: string, source: string, serverVersion: string, apiVersion: string, rootDir?: string, exportHost?: string }
 *   | { ok: false, problem: string, headline: string, fix: string[] }>}
 */
export async function checkDocker(env = process.env) {
  const platform = hostPlatform();
  const endpoint = resolveEndpoint(env);
  if (platform === 'windows')
    return {
      ok: false,
      ...diagnoseDocker({
        platform,
        host: endpoint.host,
        source: endpoint.source,
        code: '',
        message: '',
        dockerCli: false,
        engineInstalled: false,
        desktopInstalled: false,
      }),
    };
  const probe = await probeEngine(endpoint);
  if (probe.ok)
    return { ok: true, host: endpoint.host, source: endpoint.source, ...probe, ...(endpoint.source === 'context' ? { exportHost: endpoint.host } : {}) };

  const socketPath = socketPathOf(endpoint.host);
  const socket = socketPath ? socketState(socketPath) : undefined;
  // The default socket is absent: rootless Docker, Docker Desktop, colima and OrbStack listen elsewhere.
  if (endpoint.source === 'default' && (socket?.kind === 'absent' || socket?.kind === 'dangling-link')) {
    for (const candidate of wellKnownSockets(env)) {
      if (socketState(candidate).kind !== 'socket') continue;
      const found = { host: `unix://${candidate}`, source: 'found' };
      const p = await probeEngine(found);
      if (p.ok) return { ok: true, ...found, ...p, exportHost: found.host };
    }
  }
  const engineInstalled =
    !!findOnPath('dockerd', env, SBIN) ||
    !!findOnPath('dockerd-rootless.sh', env) ||
    ENGINE_UNITS.some((u) => fs.existsSync(u)) ||
    fs.existsSync('/snap/bin/docker');
  return {
    ok: false,
    ...diagnoseDocker({
      platform,
      family: platform === 'linux' || platform === 'wsl' ? linuxFamily() : undefined,
      host: endpoint.host,
      source: endpoint.source,
      code: probe.code,
      message: probe.message,
      socket,
      dockerCli: !!findOnPath('docker', env),
      systemd: platform === 'linux' || platform === 'wsl' ? fs.existsSync('/run/systemd/system') : undefined,
      engineInstalled,
      desktopInstalled: desktopInstalled(platform),
      ...(socketPath && probe.code === 'EACCES' ? socketOwnership(socketPath) : {}),
    }),
  };
}
