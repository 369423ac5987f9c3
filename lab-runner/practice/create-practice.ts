// The practice services (#19) as the Platform builds them: the lab's time left and Extend, rewind, exams.
//   const practice = createPractice({ config, store, labs, grader, terminals, db });   // platform.practice
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from '../../lib/config.ts';
import { contentRootsFromEnv } from '../../course/content/content-paths.ts';
import type { Grader } from '../grader/grader.ts';
import { contentLessonChallenges } from '../../course/challenge/lesson-challenges.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { LabStore } from '../store/lab-store.ts';
import { SqliteProgressStore } from '../store/progress-store-sqlite.ts';
import type { TerminalGateway } from '../terminal/terminal-gateway.ts';
import { LabTimeService } from './lab-time.ts';
import { RewindService } from './rewind.ts';
import { SetupSeeds } from './setup-seed.ts';
import { contentExams, ExamService } from './exam-service.ts';
import { ExamStore } from './exam-store.ts';

export interface Practice {
  /** Time left on a lab, and Extend. */
  time: LabTimeService;
  /** Rebuild a lab to the state before a task. */
  rewind: RewindService;
  /** Practice exams: attempts, timer, grading. */
  exams: ExamService;
  /** Stops exam timers (attempts stay in the store; the next start resumes them). */
  close(): void;
}

export interface PracticeDeps {
  config: Pick<Config, 'LAB_HARD_EXPIRY' | 'LAB_MAX_LIFETIME' | 'LAB_IDLE_DESTROY'>;
  store: LabStore;
  labs: LabManager;
  grader: Grader;
  terminals: Pick<TerminalGateway, 'endLab' | 'issueTicket' | 'path'>;
  db: DatabaseSync;
  contentDir?: string;
}

export function createPractice(deps: PracticeDeps): Practice {
  const { config } = deps;
  const contentDir = deps.contentDir ?? contentRootsFromEnv().contentDir;
  const lessons = contentLessonChallenges(contentDir);
  const seeds = new SetupSeeds(deps.db);
  const exams = new ExamService({
    labs: deps.labs,
    grader: deps.grader,
    seeds,
    lessons,
    exams: contentExams(contentDir),
    store: new ExamStore(deps.db),
    terminals: deps.terminals,
  });
  exams.resumeTimers();
  return {
    time: new LabTimeService({
      store: deps.store,
      limits: { hardExpiryMs: config.LAB_HARD_EXPIRY, maxLifetimeMs: config.LAB_MAX_LIFETIME, idleDestroyMs: config.LAB_IDLE_DESTROY },
    }),
    rewind: new RewindService({
      labs: deps.labs,
      grader: deps.grader,
      progress: new SqliteProgressStore(deps.db),
      seeds,
      lessons,
      endTerminals: (labId) => deps.terminals.endLab(labId),
    }),
    exams,
    close: () => exams.close(),
  };
}
