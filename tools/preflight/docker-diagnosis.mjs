// From what the probe saw to one diagnosis with the fix for this host (Linux, macOS, WSL2). Pure: unit-tested
// case by case; docker-check.mjs gathers the facts.

/**
 * @typedef {'not-installed' | 'engine-not-installed' | 'not-running' | 'desktop-stopped' | 'permission-denied'
 *   | 'remote-unreachable' | 'tls-failed' | 'not-docker' | 'native-windows'} DockerProblem
 * @typedef {{
 *   platform: 'linux' | 'macos' | 'wsl' | 'windows',
 *   family?: 'debian' | 'fedora' | 'arch' | 'suse' | 'other',
 *   host: string,
 *   source: string,
 *   code: string,
 *   message: string,
 *   socket?: { kind: 'socket' | 'dangling-link' | 'absent' | 'other', target?: string },
 *   dockerCli: boolean,
 *   engineInstalled: boolean,
 *   desktopInstalled: boolean,
 *   systemd?: boolean,
 *   socketGroup?: string,
 *   inSocketGroup?: boolean,
 * }} DockerFacts
 */

const TLS_CODES = /^(CERT_|ERR_TLS|ERR_SSL|EPROTO|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/;

/** @param {DockerFacts} f @returns {DockerProblem} */
export function classify(f) {
  if (f.platform === 'windows') return 'native-windows';
  if (f.code === 'NOTDOCKER') return 'not-docker';
  if (!f.host.startsWith('unix://')) return TLS_CODES.test(f.code) ? 'tls-failed' : 'remote-unreachable';
  if (f.code === 'EACCES' || f.code === 'EPERM') return 'permission-denied';
  const desktopSocket = /docker-desktop|\.docker\/(run|desktop)\//.test(`${f.host} ${f.socket?.target ?? ''}`);
  if (f.platform === 'macos') return f.desktopInstalled || desktopSocket ? 'desktop-stopped' : 'not-installed';
  if (desktopSocket || (f.platform === 'wsl' && f.desktopInstalled && !f.engineInstalled)) return 'desktop-stopped';
  // No docker command at all: whatever else lies around, Docker was never set up for this user.
  if (!f.dockerCli) return 'not-installed';
  return f.engineInstalled ? 'not-running' : 'engine-not-installed';
}

/** How services start here: systemd, or the init scripts of hosts without it (containers, WSL without systemd). */
const startNow = (f) => (f.systemd === false ? 'sudo service docker start' : 'sudo systemctl enable --now docker');

const ENGINE_INSTALL = {
  debian: (f) => `sudo apt-get install -y docker.io && ${startNow(f)}`,
  fedora: (f) => `sudo dnf install -y moby-engine && ${startNow(f)}`,
  arch: (f) => `sudo pacman -S --needed docker && ${startNow(f)}`,
  suse: (f) => `sudo zypper install -y docker && ${startNow(f)}`,
  other: (f) => `install Docker Engine for your distribution (https://docs.docker.com/engine/install/), then ${startNow(f)}`,
};
const JOIN_GROUP = 'sudo usermod -aG docker "$USER", then log out and back in (or run "newgrp docker" in this shell)';

function where(f) {
  return f.source === 'DOCKER_HOST'
    ? `DOCKER_HOST=${f.host}`
    : f.source === 'context'
      ? `${f.host} (current Docker context)`
      : f.host.replace(/^unix:\/\//, '');
}

/**
 * The headline and the fix lines for this host.
 * @param {DockerFacts} f
 * @returns {{ problem: DockerProblem, headline: string, fix: string[] }}
 */
export function diagnoseDocker(f) {
  const problem = classify(f);
  const at = where(f);
  const installFix = () =>
    f.platform === 'macos'
      ? [
          'install Docker Desktop (https://docs.docker.com/desktop/setup/install/mac-install/) and start it, or colima: brew install colima docker && colima start',
        ]
      : f.platform === 'wsl'
        ? [
            'install Docker Desktop for Windows (https://docs.docker.com/desktop/setup/install/windows-install/) and turn on Settings › Resources › WSL integration for this distribution,',
            'or install the engine inside this distribution: sudo apt-get install -y docker.io && sudo service docker start',
          ]
        : [`${ENGINE_INSTALL[f.family ?? 'other'](f)}, then let your user reach it: ${JOIN_GROUP}`];
  switch (problem) {
    case 'native-windows':
      return {
        problem,
        headline: 'packetwalk runs inside WSL2 on Windows, not in a Windows shell',
        fix: ['wsl --install (Ubuntu), install Docker Desktop with WSL integration for it, then run npm run up inside WSL'],
      };
    case 'not-docker':
      return {
        problem,
        headline: `something answers at ${at}, but it is not a Docker engine (${f.message})`,
        fix: ['point DOCKER_HOST at the engine (unix:///var/run/docker.sock, tcp://host:2376 with DOCKER_TLS_VERIFY=1, or ssh://user@host)'],
      };
    case 'tls-failed':
      return {
        problem,
        headline: `the TLS handshake with ${at} failed (${f.code}: ${f.message})`,
        fix: ["set DOCKER_CERT_PATH to the directory holding that engine's ca.pem, cert.pem and key.pem, and DOCKER_TLS_VERIFY=1"],
      };
    case 'remote-unreachable':
      return {
        problem,
        headline: `no Docker engine answers at ${at} (${f.code}: ${f.message})`,
        fix: [
          'check that the remote machine is up, its engine listens on that address and the port is open to you',
          'or unset DOCKER_HOST to use the engine on this machine',
        ],
      };
    case 'permission-denied':
      return {
        problem,
        headline: `permission denied on ${at}${f.socketGroup ? ` (the socket belongs to group "${f.socketGroup}"${f.inSocketGroup === false ? ', and your user is not in it' : ''})` : ''}`,
        fix:
          f.platform === 'macos'
            ? ['restart Docker Desktop (it owns the socket), and check that DOCKER_HOST, if set, points at your own socket']
            : [JOIN_GROUP, 'or run the engine rootless for your user: https://docs.docker.com/engine/security/rootless/'],
      };
    case 'desktop-stopped':
      return {
        problem,
        headline: `Docker Desktop is not running (nothing answers at ${at})`,
        fix:
          f.platform === 'macos'
            ? ['start Docker Desktop (open -a Docker) and wait until it shows "Engine running"; colima users: colima start']
            : f.platform === 'wsl'
              ? [
                  'start Docker Desktop on Windows and wait for "Engine running"; if it runs, turn on Settings › Resources › WSL integration for this distribution',
                ]
              : ['start Docker Desktop (systemctl --user start docker-desktop) and wait for "Engine running"'],
      };
    case 'not-running':
      return {
        problem,
        headline: `the Docker engine is installed but not running (nothing answers at ${at}: ${f.code})`,
        fix:
          f.platform === 'wsl'
            ? ['sudo service docker start (or use Docker Desktop with WSL integration)']
            : f.systemd === false
              ? ['sudo service docker start (or, with no init script: sudo dockerd >/var/log/dockerd.log 2>&1 &)']
              : ['sudo systemctl start docker (to start it at boot: sudo systemctl enable docker)', 'rootless Docker: systemctl --user start docker'],
      };
    case 'engine-not-installed':
      return { problem, headline: `the docker command is installed, but no Docker engine (nothing answers at ${at}, no dockerd)`, fix: installFix() };
    case 'not-installed':
      return { problem, headline: `Docker is not installed (no docker command on PATH, nothing answers at ${at})`, fix: installFix() };
  }
  throw new Error(`unhandled Docker problem ${problem}`);
}
