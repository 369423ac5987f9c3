// The two front doors: createPlatform (what server.ts starts) and "npm run lab" (what operators type).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config.ts';
import { Labels } from '../../../lab-runner/labels.ts';
import { teardownByLabel } from '../../../lab-runner/lab/teardown-by-label.ts';
import { createPlatform } from '../../../lab-runner/platform.ts';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import { SqliteLabStore } from '../../../lab-runner/store/sqlite-lab-store.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const tmpDataDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-front-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  const runtime = new DockerRuntime();
  for (const d of dirs) {
    const store = new SqliteLabStore(d);
    await teardownByLabel(runtime, { [Labels.storeId]: store.storeId });
    await store.close();
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe('createPlatform', () => {
  it('starts (images checked, one reaper pass), serves a lab, and closes', async () => {
    const dataDir = tmpDataDir();
    const platform = await createPlatform(loadConfig({ DATA_DIR: dataDir, WARM_POOL: 'nodes-1=0' } as unknown as NodeJS.ProcessEnv));
    try {
      await platform.start();
      const lab = await platform.labs.create({ template: 'nodes-1', learnerId: 'learner-platform-test' });
      const r = await platform.labs.exec(lab.id, 'node1', { cmd: ['hostname'] });
      expect(r.stdout).toBe('node1\n');
      expect((await platform.store.get(lab.id))?.state).toBe('ready');
      await platform.labs.destroy(lab.id, 'test');
    } finally {
      await platform.close();
    }
  });
});

function lab(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['lab-runner/cli/lab.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run lab', () => {
  const dataDir = tmpDataDir();

  it('create, list, exec (exit code passed through), destroy, reap', () => {
    const created = lab(dataDir, 'create', 'nodes-2', '--learner', 'cli-test', '--json');
    expect(created.code, created.err).toBe(0);
    const labJson = JSON.parse(created.out) as { id: string; targets: { name: string }[] };
    expect(labJson.targets.map((t) => t.name)).toEqual(['node1', 'node2']);

    const listed = lab(dataDir, 'list');
    expect(listed.out).toMatch(new RegExp(`${labJson.id}\\s+nodes-2\\s+ready\\s+cli-test\\s+node1,node2`));

    const ok = lab(dataDir, 'exec', labJson.id, 'node1', '--', 'ping', '-c1', '-W2', 'node2');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/1 received/);
    const failing = lab(dataDir, 'exec', labJson.id, 'node2', '--', 'sh', '-c', 'echo nope >&2; exit 4');
    expect(failing).toMatchObject({ code: 4, err: expect.stringContaining('nope') });

    const destroyed = lab(dataDir, 'destroy', labJson.id);
    expect(destroyed).toMatchObject({ code: 0, out: `destroyed ${labJson.id}\n` });
    expect(lab(dataDir, 'reap').out).toMatch(/Nothing to reap/);
  });

  it('explains mistakes: unknown command, unknown template, missing arguments, unknown lab', () => {
    expect(lab(dataDir, 'frobnicate')).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown command "frobnicate". Commands: create, destroy, exec/) });
    expect(lab(dataDir, 'create', 'nodes-9')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/Unknown sandbox template "nodes-9". Available: .*nodes-2/),
    });
    expect(lab(dataDir, 'exec', 'lab-xxxxxxxx')).toMatchObject({ code: 2, err: expect.stringMatching(/Name the lab and the target/) });
    expect(lab(dataDir, 'exec', 'lab-xxxxxxxx', 'node1', '--', 'true')).toMatchObject({ code: 1, err: expect.stringMatching(/No lab with id lab-xxxxxxxx/) });
    expect(lab(dataDir, 'help').out).toMatch(/create\s+Create a lab from a sandbox template/);
  });

  it('says how to reach Docker when it cannot', () => {
    const r = spawnSync(process.execPath, ['lab-runner/cli/lab.ts', 'create', 'nodes-1'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DOCKER_HOST: 'unix:///tmp/packetwalk-no-docker.sock', LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Cannot reach the Docker engine at unix:\/\/\/tmp\/packetwalk-no-docker.sock.*DOCKER_HOST/s);
  });
});

describe('npm run lab -- verify', () => {
  // Each run provisions under learner ids of its own: LAB_MAX_PER_LEARNER is counted in the store every process on
  // the host shares, so runs that named the same learner ('lab-verify') failed a sound lesson with "You already have
  // 1 running lab" when they overlapped. The lesson's setup holds its lab for 4 s, so the two runs surely overlap.
  it('two runs side by side on one DATA_DIR, with one lab per learner, both pass', async () => {
    const dataDir = tmpDataDir();
    const content = path.join(dataDir, 'content');
    fs.cpSync(path.join(ROOT, 'tests/fixtures/content/good'), content, { recursive: true });
    const challenge = path.join(content, '01-basics/01-first-lesson/challenge.yaml');
    fs.writeFileSync(challenge, `setup:\n  - target: node1\n    script: sleep 4\n${fs.readFileSync(challenge, 'utf8')}`);
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['lab-runner/cli/lab.ts', 'verify', 'basics/first-lesson', '--skip-variants'], {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR: dataDir, CONTENT_DIR: content, LAB_MAX_PER_LEARNER: '1', LOG_LEVEL: 'error' },
        });
        let out = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.stderr.on('data', (b: Buffer) => (out += b.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    const [a, b] = await Promise.all([run(), run()]);
    for (const r of [a, b]) {
      expect(r.out).not.toMatch(/could not provision/);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/1 passed, 0 failed/);
    }
  }, 120_000);
});
