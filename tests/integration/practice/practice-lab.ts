// A real two-node lab (tests/integration/grader/grader-lab.ts) with the platform's wiring for instant feedback: a
// terminal gateway on a loopback server whose finished commands reach a Grader through a CheckTrigger, exactly as
// lab-runner/platform.ts connects them. Nothing is mocked: shells are real `docker exec` TTYs, checks real execs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CheckTrigger } from '../../../lab-runner/grader/command-trigger.ts';
import type { Challenge } from '../../../course/challenge/challenge-schema.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge, LessonChallengeSource } from '../../../course/challenge/lesson-challenges.ts';
import { SetupSeeds } from '../../../lab-runner/practice/setup-seed.ts';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { createTerminalGateway } from '../../../lab-runner/terminal/terminal-gateway.ts';
import { issueTicket } from '../../../lab-runner/terminal/ticket.ts';
import { TerminalClient } from '../../../lab-runner/terminal/terminal-client.ts';
import { startGraderLab, type GraderLab } from '../grader/grader-lab.ts';

export interface PracticeLab {
  lab: GraderLab;
  seeds: SetupSeeds;
  lessons: LessonChallengeSource;
  db: DatabaseSync;
  grader: Grader;
  progress: SqliteProgressStore;
  trigger: CheckTrigger;
  /** Registers a lesson (sandbox nodes-2) the grader can find. */
  addLesson(id: string, challenge: Challenge): LessonChallenge;
  /** A terminal on a target of the lab, as the browser opens it. */
  terminal(target?: string): Promise<TerminalClient>;
  close(): Promise<void>;
}

export async function startPracticeLab(opts: { intervalMs?: number } = {}): Promise<PracticeLab> {
  const lab = await startGraderLab({ template: 'nodes-2' });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pw-practice-'));
  const db = openDatabase(dataDir);
  const progress = new SqliteProgressStore(db);
  const lessons = new Map<string, LessonChallenge>();
  const seeds = new SetupSeeds(db);
  const lessonSource = { get: async (id: string) => lessons.get(id), list: async () => [...lessons.values()] };
  const grader = new Grader({
    labs: lab.labs,
    progress,
    lessons: lessonSource,
    intervalMs: opts.intervalMs ?? 3000,
    seeds,
  });
  const trigger = new CheckTrigger({ run: (labId) => grader.commandFinished(labId) });
  const ticketKey = randomBytes(32);
  const gateway = createTerminalGateway({
    labs: {
      get: lab.labs.get,
      exec: lab.labs.exec,
      execTty: async (_id, target, o) => lab.runtime.execTty(lab.containers.get(target)!, o),
      touch: async () => {
        lab.lastActiveAt = new Date();
      },
      resume: async () => {
        throw new Error('the practice lab is never paused');
      },
      subscribe: () => () => {},
    },
    ticketKey,
    graceMs: 60_000,
    onCommandDone: (done) => trigger.commandDone(done),
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: TerminalClient[] = [];
  return {
    lab,
    seeds,
    lessons: lessonSource,
    db,
    grader,
    progress,
    trigger,
    addLesson: (id, challenge) => {
      const l: LessonChallenge = { lesson: id, title: id, href: `/learn/${id}`, sandbox: 'nodes-2', challengeFile: `${id}.yaml`, challenge };
      lessons.set(id, l);
      return l;
    },
    terminal: async (target = 'node1') => {
      const ticket = issueTicket(ticketKey, { learner: lab.learnerId, lab: lab.labId, target }).ticket;
      const c = await TerminalClient.connect({ url: `${origin.replace('http', 'ws')}${gateway.path}?ticket=${encodeURIComponent(ticket)}`, origin });
      clients.push(c);
      return c;
    },
    close: async () => {
      for (const c of clients) c.dispose();
      trigger.close();
      await grader.close();
      await gateway.close();
      await new Promise<void>((r) => server.close(() => r()));
      db.close();
      await lab.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
