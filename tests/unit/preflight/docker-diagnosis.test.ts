// The advice for hosts these machines are not: macOS, WSL2, Docker Desktop, native Windows. The Linux cases run for
// real in tests/integration/preflight/; here the same pure diagnosis gets the facts those hosts would show.
import { describe, expect, it } from 'vitest';
import { diagnoseDocker, type DockerFacts } from '../../../tools/preflight/docker-diagnosis.mjs';
import { hostPlatform, linuxFamily } from '../../../tools/preflight/host-platform.mjs';

const base: DockerFacts = {
  platform: 'linux',
  family: 'debian',
  host: 'unix:///var/run/docker.sock',
  source: 'default',
  code: 'ENOENT',
  message: 'connect ENOENT /var/run/docker.sock',
  socket: { kind: 'absent' },
  dockerCli: true,
  engineInstalled: true,
  desktopInstalled: false,
};

describe('diagnoseDocker', () => {
  it('macOS, Docker Desktop installed but stopped (the socket link dangles): start Docker Desktop', () => {
    const d = diagnoseDocker({
      ...base,
      platform: 'macos',
      family: undefined,
      socket: { kind: 'dangling-link', target: '/Users/a/.docker/run/docker.sock' },
      desktopInstalled: true,
      engineInstalled: false,
    });
    expect(d).toEqual({
      problem: 'desktop-stopped',
      headline: 'Docker Desktop is not running (nothing answers at /var/run/docker.sock)',
      fix: ['start Docker Desktop (open -a Docker) and wait until it shows "Engine running"; colima users: colima start'],
    });
  });

  it('macOS without Docker Desktop: install Docker Desktop or colima', () => {
    const d = diagnoseDocker({ ...base, platform: 'macos', dockerCli: false, engineInstalled: false });
    expect(d.problem).toBe('not-installed');
    expect(d.fix).toEqual([
      'install Docker Desktop (https://docs.docker.com/desktop/setup/install/mac-install/) and start it, or colima: brew install colima docker && colima start',
    ]);
  });

  it('WSL2 with Docker Desktop stopped (socket links into /mnt/wsl/docker-desktop): start it, check WSL integration', () => {
    const d = diagnoseDocker({
      ...base,
      platform: 'wsl',
      code: 'ECONNREFUSED',
      socket: { kind: 'dangling-link', target: '/mnt/wsl/docker-desktop/shared-sockets/guest-services/docker.proxy.sock' },
      engineInstalled: false,
      desktopInstalled: true,
    });
    expect(d.problem).toBe('desktop-stopped');
    expect(d.fix).toEqual([
      'start Docker Desktop on Windows and wait for "Engine running"; if it runs, turn on Settings › Resources › WSL integration for this distribution',
    ]);
  });

  it('WSL2 with nothing installed: Docker Desktop with WSL integration, or the engine inside the distribution', () => {
    const d = diagnoseDocker({ ...base, platform: 'wsl', dockerCli: false, engineInstalled: false });
    expect(d.problem).toBe('not-installed');
    expect(d.fix).toEqual([
      'install Docker Desktop for Windows (https://docs.docker.com/desktop/setup/install/windows-install/) and turn on Settings › Resources › WSL integration for this distribution,',
      'or install the engine inside this distribution: sudo apt-get install -y docker.io && sudo service docker start',
    ]);
  });

  it('WSL2 with the engine installed in the distribution but stopped: service docker start', () => {
    expect(diagnoseDocker({ ...base, platform: 'wsl' }).fix).toEqual(['sudo service docker start (or use Docker Desktop with WSL integration)']);
  });

  it('Linux with Docker Desktop for Linux (its context socket): start Docker Desktop', () => {
    const d = diagnoseDocker({ ...base, host: 'unix:///home/a/.docker/desktop/docker.sock', source: 'context', engineInstalled: false });
    expect(d.headline).toBe('Docker Desktop is not running (nothing answers at unix:///home/a/.docker/desktop/docker.sock (current Docker context))');
    expect(d.fix).toEqual(['start Docker Desktop (systemctl --user start docker-desktop) and wait for "Engine running"']);
  });

  it("Linux with only the docker CLI (this project's fresh machines): install the engine for the distribution", () => {
    const fedora = diagnoseDocker({ ...base, family: 'fedora', engineInstalled: false });
    expect(fedora.problem).toBe('engine-not-installed');
    expect(fedora.fix[0]).toMatch(/^sudo dnf install -y moby-engine && sudo systemctl enable --now docker, then let your user reach it: /);
  });

  it('a TLS engine whose certificates do not match', () => {
    const d = diagnoseDocker({
      ...base,
      host: 'tcp://build:2376',
      source: 'DOCKER_HOST',
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      message: 'unable to verify the first certificate',
    });
    expect(d.problem).toBe('tls-failed');
    expect(d.fix[0]).toContain('DOCKER_CERT_PATH');
  });

  it('native Windows: use WSL2', () => {
    expect(diagnoseDocker({ ...base, platform: 'windows' }).problem).toBe('native-windows');
  });
});

describe('start commands follow the init system', () => {
  it('systemd hosts enable the service; hosts without systemd (containers, some WSL) use its init script', () => {
    expect(diagnoseDocker({ ...base, systemd: true }).fix[0]).toBe('sudo systemctl start docker (to start it at boot: sudo systemctl enable docker)');
    expect(diagnoseDocker({ ...base, systemd: false }).fix).toEqual([
      'sudo service docker start (or, with no init script: sudo dockerd >/var/log/dockerd.log 2>&1 &)',
    ]);
    expect(diagnoseDocker({ ...base, systemd: false, engineInstalled: false }).fix[0]).toMatch(
      /^sudo apt-get install -y docker\.io && sudo service docker start, then /,
    );
  });
});

describe('host facts', () => {
  it('tells WSL2 from Linux by the kernel release, and macOS/Windows by the platform', () => {
    expect(hostPlatform('linux', '5.15.153.1-microsoft-standard-WSL2')).toBe('wsl');
    expect(hostPlatform('linux', '6.1.0-18-amd64')).toBe('linux');
    expect(hostPlatform('darwin', '')).toBe('macos');
    expect(hostPlatform('win32', '')).toBe('windows');
  });

  it('reads the distribution family from os-release', () => {
    expect(linuxFamily('ID=ubuntu\nID_LIKE=debian\n')).toBe('debian');
    expect(linuxFamily('ID="fedora"\n')).toBe('fedora');
    expect(linuxFamily('ID=rocky\nID_LIKE="rhel centos fedora"\n')).toBe('fedora');
    expect(linuxFamily('ID=alpine\n')).toBe('other');
  });
});

describe('disk check', () => {
  it('passes with room to spare and fails with the free and needed amounts and the fix', async () => {
    const { diskCheck, GiB } = await import('../../../tools/preflight/disk-space.mjs');
    expect(diskCheck({ what: 'Disk (lab images)', dir: '/tmp', neededBytes: 1, fix: 'free space' })?.status).toBe('ok');
    const full = diskCheck({ what: 'Disk (lab images)', dir: '/tmp/not/yet/created', neededBytes: 1e9 * GiB, fix: 'free space' });
    expect(full).toMatchObject({ status: 'fail', fix: 'free space' });
    expect(full?.line).toMatch(/^Disk \(lab images\): only \d+\.\d GB free at \/tmp\/not\/yet\/created, 1000000000\.0 GB needed$/);
  });
});
