// The pre-flight behind `npm run up` / `npm start` / `npm test`, run for real in its own process with a made-up
// environment: old Node, no docker binary, no socket, a refused socket, a socket the user may not open, an
// unreachable remote engine, something that is not Docker, a Docker context. Each asserts the exact advice.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, REPO, runPreflight } from './run-preflight.ts';

const SYSTEM_NODE = '/usr/bin/node';
const systemNodeVersion = fs.existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
const systemNodeIsOld = /^v(\d+)/.test(systemNodeVersion) && Number(/^v(\d+)/.exec(systemNodeVersion)![1]) < 24;
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).status === 0;
const debianFamily = /^ID(_LIKE)?=.*(debian|ubuntu)/m.test(fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '');
const systemd = fs.existsSync('/run/systemd/system');
const startNow = systemd ? 'sudo systemctl enable --now docker' : 'sudo service docker start';
const dockerdInstalled = ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/sbin/dockerd', '/lib/systemd/system/docker.service'].some((p) =>
  fs.existsSync(p),
);

const NO_STACK = /^\s+at\s|Error:|node:internal/m;
const lines = (text: string) => text.trimEnd().split('\n');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-preflight-'));
  fs.chmodSync(tmp, 0o755);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('Node older than the project needs', () => {
  it.skipIf(!systemNodeIsOld)('stops before any work with one line: found, needed, how to get it (fetching turned off)', async () => {
    const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
    const r = await runPreflight(['preflight', '--for', 'up'], cleanEnv({ XDG_CACHE_HOME: cache, PACKETWALK_NODE_BOOTSTRAP: '0' }), SYSTEM_NODE);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `packetwalk: needs Node 24 or newer; found ${systemNodeVersion} at ${SYSTEM_NODE} (PACKETWALK_NODE_BOOTSTRAP=0: not fetching it): install Node 24 (nvm install 24, or https://nodejs.org/en/download) and run the command again.\n`,
    );
  });

  it.skipIf(!systemNodeIsOld)(
    'says why fetching Node failed when the registry does not answer, in one line',
    async () => {
      const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
      const r = await runPreflight(
        ['preflight', '--for', 'up'],
        cleanEnv({
          XDG_CACHE_HOME: cache,
          npm_config_registry: 'http://127.0.0.1:9/',
          npm_config_fetch_retries: '0',
          npm_config_cache: path.join(cache, 'npm'),
        }),
        SYSTEM_NODE,
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(`packetwalk: fetching Node 24 from the npm registry into ${cache}/packetwalk/node24 (once, about 50 MB)…\n`);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^packetwalk: needs Node 24 or newer; found ${systemNodeVersion} at /usr/bin/node \\(npm install node@24 failed: .*ECONNREFUSED.*\\): install Node 24 \\(nvm install 24, or https://nodejs.org/en/download\\) and run the command again\\.\\n$`,
        ),
      );
    },
    120_000,
  );

  it.skipIf(!systemNodeIsOld)('runs the command on the cached Node 24 (the layout .ci/run and the first `npm run up` leave)', async () => {
    const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
    const binDir = path.join(cache, 'packetwalk', 'node24', 'node_modules', 'node', 'bin');
    fs.mkdirSync(binDir, { recursive: true });
    fs.symlinkSync(process.execPath, path.join(binDir, 'node'));
    const r = await runPreflight(
      ['exec', '--', '-p', 'process.version + " " + process.env.PATH.split(":")[0]'],
      cleanEnv({ XDG_CACHE_HOME: cache }),
      SYSTEM_NODE,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([
      `packetwalk: using Node ${process.version} from ${cache}/packetwalk/node24/bin (the Node on PATH, ${systemNodeVersion}, is older than 24)`,
      `${process.version} ${cache}/packetwalk/node24/bin`,
    ]);
  });
});

describe('Docker engine problems, detected before the build', () => {
  const installFix = debianFamily
    ? `packetwalk:     fix: sudo apt-get install -y docker.io && ${startNow}, then let your user reach it: sudo usermod -aG docker "$USER", then log out and back in (or run "newgrp docker" in this shell)`
    : expect.stringMatching(/^packetwalk: {5}fix: /);

  it('no docker binary and no socket: Docker is not installed, with the install command', async () => {
    const emptyBin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    const sock = path.join(tmp, 'absent.sock');
    const r = await runPreflight(['preflight', '--for', 'up', '--only', 'docker'], cleanEnv({ PATH: emptyBin, DOCKER_HOST: `unix://${sock}` }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      `packetwalk: ✗ Docker: Docker is not installed (no docker command on PATH, nothing answers at DOCKER_HOST=unix://${sock})`,
      installFix,
      'packetwalk:     (to read the lessons without labs meanwhile: npm run up -- --no-labs)',
    ]);
  });

  it('docker command present, nothing at the socket: not running (or only the CLI installed)', async () => {
    const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    fs.writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const sock = path.join(tmp, 'absent.sock');
    const r = await runPreflight(
      ['preflight', '--for', 'start', '--only', 'docker'],
      cleanEnv({ PATH: `${bin}:/usr/bin:/bin`, DOCKER_HOST: `unix://${sock}` }),
    );
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual(
      dockerdInstalled
        ? [
            `packetwalk: ✗ Docker: the Docker engine is installed but not running (nothing answers at DOCKER_HOST=unix://${sock}: ENOENT)`,
            ...(systemd
              ? [
                  'packetwalk:     fix: sudo systemctl start docker (to start it at boot: sudo systemctl enable docker)',
                  'packetwalk:     fix: rootless Docker: systemctl --user start docker',
                ]
              : ['packetwalk:     fix: sudo service docker start (or, with no init script: sudo dockerd >/var/log/dockerd.log 2>&1 &)']),
            'packetwalk:     (to read the lessons without labs meanwhile: npm start -- --no-labs)',
          ]
        : [
            `packetwalk: ✗ Docker: the docker command is installed, but no Docker engine (nothing answers at DOCKER_HOST=unix://${sock}, no dockerd)`,
            installFix,
            'packetwalk:     (to read the lessons without labs meanwhile: npm start -- --no-labs)',
          ],
    );
  });

  describe('a socket that refuses connections (engine stopped, socket left behind)', () => {
    let holder: ChildProcess;
    let sock: string;
    beforeAll(async () => {
      sock = path.join(tmp, 'stale.sock');
      // A process that listens, then dies without unlinking: the file stays, connecting gives ECONNREFUSED.
      holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => console.log('up'))`], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    });

    it('is an engine that is not running, with the start command', async () => {
      expect(fs.lstatSync(sock).isSocket()).toBe(true);
      const r = await runPreflight(['preflight', '--for', 'test', '--only', 'docker'], cleanEnv({ DOCKER_HOST: `unix://${sock}` }));
      expect(r.code).toBe(1);
      expect(lines(r.stderr)[0]).toBe(
        dockerdInstalled
          ? `packetwalk: ✗ Docker: the Docker engine is installed but not running (nothing answers at DOCKER_HOST=unix://${sock}: ECONNREFUSED)`
          : `packetwalk: ✗ Docker: the docker command is installed, but no Docker engine (nothing answers at DOCKER_HOST=unix://${sock}, no dockerd)`,
      );
      expect(r.stderr).not.toMatch(NO_STACK);
    });
  });

  describe('a socket this user may not open', () => {
    let server: net.Server;
    let sock: string;
    beforeAll(async () => {
      sock = path.join(tmp, 'private.sock');
      server = net.createServer((c) => c.end());
      await new Promise<void>((resolve) => server.listen(sock, resolve));
      fs.chmodSync(sock, 0o660);
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it.skipIf(!isRoot || !hasSetpriv || !fs.existsSync(SYSTEM_NODE))(
      'as a user outside the socket group (run as nobody, on the system Node): permission denied, join the docker group',
      async () => {
        const r = await runPreflight(['preflight', '--for', 'up', '--only', 'docker'], cleanEnv({ HOME: tmp, DOCKER_HOST: `unix://${sock}` }), SYSTEM_NODE, [
          'setpriv',
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
        ]);
        const group = spawnSync('stat', ['-c', '%G', sock], { encoding: 'utf8' }).stdout.trim();
        expect(r.code).toBe(1);
        expect(lines(r.stderr)).toEqual([
          `packetwalk: ✗ Docker: permission denied on DOCKER_HOST=unix://${sock} (the socket belongs to group "${group}", and your user is not in it)`,
          'packetwalk:     fix: sudo usermod -aG docker "$USER", then log out and back in (or run "newgrp docker" in this shell)',
          'packetwalk:     fix: or run the engine rootless for your user: https://docs.docker.com/engine/security/rootless/',
          'packetwalk:     (to read the lessons without labs meanwhile: npm run up -- --no-labs)',
        ]);
      },
    );
  });

  it('a remote DOCKER_HOST that does not answer: check the remote, or unset DOCKER_HOST', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await runPreflight(['preflight', '--for', 'up', '--only', 'docker'], cleanEnv({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }));
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      `packetwalk: ✗ Docker: no Docker engine answers at DOCKER_HOST=tcp://127.0.0.1:${port} (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})`,
      'packetwalk:     fix: check that the remote machine is up, its engine listens on that address and the port is open to you',
      'packetwalk:     fix: or unset DOCKER_HOST to use the engine on this machine',
      'packetwalk:     (to read the lessons without labs meanwhile: npm run up -- --no-labs)',
    ]);
  });

  it('something that answers but is not Docker', async () => {
    const web = http.createServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const port = (web.address() as net.AddressInfo).port;
    try {
      const r = await runPreflight(['preflight', '--for', 'up', '--only', 'docker'], cleanEnv({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }));
      expect(r.code).toBe(1);
      expect(lines(r.stderr).slice(0, 2)).toEqual([
        `packetwalk: ✗ Docker: something answers at DOCKER_HOST=tcp://127.0.0.1:${port}, but it is not a Docker engine (HTTP 404 not here)`,
        'packetwalk:     fix: point DOCKER_HOST at the engine (unix:///var/run/docker.sock, tcp://host:2376 with DOCKER_TLS_VERIFY=1, or ssh://user@host)',
      ]);
    } finally {
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
  });
});

describe('a reachable engine', () => {
  it('is reported with its version and where it was found', async () => {
    const r = await runPreflight(['preflight', '--for', 'start', '--only', 'docker'], cleanEnv({ DOCKER_HOST: process.env.DOCKER_HOST }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^packetwalk: ✓ Docker: engine \S+ \(API 1\.\d+\) at \S+\npacketwalk: all checks passed\n$/);
  });

  it.skipIf(!!process.env.DOCKER_HOST)('found through the current Docker context, and handed to the lab runner as DOCKER_HOST', async () => {
    const config = fs.mkdtempSync(path.join(tmp, 'docker-config-'));
    const name = 'pw-test-context';
    const meta = path.join(config, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    fs.mkdirSync(meta, { recursive: true });
    fs.writeFileSync(path.join(config, 'config.json'), JSON.stringify({ currentContext: name }));
    fs.writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: 'unix:///var/run/docker.sock' } } }));
    const r = await runPreflight(['exec', '--', '-p', 'process.env.DOCKER_HOST'], cleanEnv({ DOCKER_CONFIG: config }));
    expect(r.code).toBe(0);
    // exec checks only Node; the context is read by the commands that need Docker:
    expect(r.stdout.trim()).toBe('undefined');
    const up = await runPreflight(['preflight', '--for', 'start', '--only', 'docker'], cleanEnv({ DOCKER_CONFIG: config }));
    expect(up.code).toBe(0);
    expect(lines(up.stdout)[1]).toBe('packetwalk:   using DOCKER_HOST=unix:///var/run/docker.sock for packetwalk (the current Docker context)');
  });
});

describe('npm test prerequisites', () => {
  it('names a missing Chromium with its install command before the long run starts', async () => {
    const r = await runPreflight(
      ['preflight', '--for', 'test'],
      cleanEnv({ DOCKER_HOST: process.env.DOCKER_HOST, CHROMIUM_PATH: path.join(tmp, 'no-chromium') }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`packetwalk: ✗ Chromium: CHROMIUM_PATH=${path.join(tmp, 'no-chromium')} does not exist\n`);
    expect(r.stderr).toContain(
      'packetwalk:     fix: sudo apt-get install -y chromium (Debian; Ubuntu: npx playwright install --with-deps chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary\n',
    );
  });

  it('refuses a too-old Node before running any test (npm test goes through the same launcher)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const script of ['up', 'start', 'test', 'dev']) expect(pkg.scripts[script]).toMatch(/^node tools\/packetwalk\.mjs /);
  });
});
