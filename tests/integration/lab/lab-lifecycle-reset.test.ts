// LabLifecycle on real parts: a real nodes-2 lab (real provisioner, Docker), the real terminal gateway with a learner's
// shell attached over a WebSocket, and the real grader with a challenge whose setup leaves a marker. A reset through
// the service closes the shell, gives fresh nodes (the learner's file is gone) and runs the setup again on them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config.ts';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { LabLifecycle } from '../../../lab-runner/lab/lab-lifecycle.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { createTerminals } from '../../../lab-runner/terminal/create-terminals.ts';
import { CloseCode } from '../../../lab-runner/wire/terminal-protocol.ts';
import { TerminalClient } from '../../../lab-runner/terminal/terminal-client.ts';
import type { TerminalGateway } from '../../../lab-runner/terminal/terminal-gateway.ts';
import { makeTestEngine, type TestEngine } from './lab-engine-fixture.ts';

const LESSON = 'test/lifecycle';
const LEARNER = 'learner-lifecycle-0001';

function markerChallenge(): LessonChallenge {
  const r = parseChallenge(
    `
setup:
  - target: node1
    script: echo planted >> /root/setup-runs
tasks:
  - id: t
    title: T
    description: Create /root/done.
    target: node1
    check: '[ -e /root/done ] || fail "no /root/done"'
    solution: { text: "touch /root/done", script: "touch /root/done" }
`,
    'challenge.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { lesson: LESSON, title: 'Lifecycle', href: `/learn/${LESSON}`, sandbox: 'nodes-2', challengeFile: 'challenge.yaml', challenge: r.challenge };
}

describe('LabLifecycle on a real lab', () => {
  let t: TestEngine;
  let terminals: TerminalGateway;
  let grader: Grader;
  let lifecycle: LabLifecycle;
  let server: http.Server;
  let origin: string;
  let db: ReturnType<typeof openDatabase>;

  beforeAll(async () => {
    t = makeTestEngine();
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: t.dataDir, LOG_LEVEL: 'warn' });
    terminals = createTerminals(config, t.engine.labs);
    db = openDatabase(t.dataDir);
    const lesson = markerChallenge();
    grader = new Grader({
      labs: t.engine.labs,
      progress: new SqliteProgressStore(db),
      lessons: { get: async (l) => (l === LESSON ? lesson : undefined), list: async () => [lesson] },
      intervalMs: 60_000,
    });
    lifecycle = new LabLifecycle({ labs: t.engine.labs, terminals, grader });
    server = http.createServer((_q, r) => r.writeHead(404).end());
    server.on('upgrade', (req, socket, head) => {
      if (!terminals.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await terminals?.close();
    await grader?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (db?.isOpen) db.close();
    await t?.cleanup();
  });

  const shell = async (lab: ReadyLab) => {
    const { ticket } = terminals.issueTicket({ learner: LEARNER, lab: lab.id, target: 'node1' });
    const query = new URLSearchParams({ ticket, lab: lab.id, target: 'node1' });
    const c = await TerminalClient.connect({ url: `${origin.replace('http', 'ws')}${terminals.path}?${query}`, origin });
    await c.waitForMessage('ready');
    return c;
  };
  const sh = async (labId: string, script: string) => (await t.engine.labs.exec(labId, 'node1', { cmd: ['sh', '-c', script] })).stdout.trim();
  const cat = (labId: string, file: string) => sh(labId, `cat ${file} 2>/dev/null || true`);

  it('reset closes the terminals, gives fresh nodes and runs the setup again; stop destroys the lab', async () => {
    const lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: LEARNER });
    expect(await grader.prepareLab(lab.id, LESSON)).toEqual({ status: 'done', lesson: LESSON });
    expect(await cat(lab.id, '/root/setup-runs')).toBe('planted');

    const c = await shell(lab);
    c.type('touch /root/was-here && echo made-$((1+1))\r');
    await c.waitFor('made-2');
    const oldContainer = lab.targets.find((x) => x.name === 'node1')!.containerId;

    const fresh = await lifecycle.reset(lab, { lesson: LESSON });
    expect(fresh).toMatchObject({ id: lab.id, state: 'ready' });
    expect(await c.closed).toBe(CloseCode.labGone);
    expect((fresh as ReadyLab).targets.find((x) => x.name === 'node1')!.containerId).not.toBe(oldContainer);
    expect(await sh(lab.id, '[ -e /root/was-here ] && echo kept || echo gone')).toBe('gone');
    // Fresh nodes, one setup run on them (not two: the old run's marker went with the old container).
    expect(await cat(lab.id, '/root/setup-runs')).toBe('planted');
    expect(await grader.preparedLesson(lab.id)).toBe(LESSON);

    const d = await shell(fresh as ReadyLab);
    await lifecycle.stop(lab.id);
    expect(await d.closed).toBe(CloseCode.labGone);
    expect((await t.engine.labs.get(lab.id))?.state).toBe('destroyed');
    expect((await t.labelled()).containers).toEqual([]);
  });
});
