// Builds the platform's classroom from what createPlatform already has (config, database, labs, grader, terminals).
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from '../../lib/config.ts';
import { contentRootsFromEnv } from '../../course/content/content-paths.ts';
import type { Grader } from '../grader/grader.ts';
import { contentLessonChallenges } from '../../course/challenge/lesson-challenges.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { LabLifecycle } from '../lab/lab-lifecycle.ts';
import type { LabStore } from '../store/lab-store.ts';
import { SqliteProgressStore } from '../store/progress-store-sqlite.ts';
import type { TerminalGateway } from '../terminal/terminal-gateway.ts';
import { Classroom } from './classroom.ts';

export function createClassroom(deps: {
  config: Config;
  db: DatabaseSync;
  labs: LabManager;
  lifecycle: LabLifecycle;
  store: LabStore;
  grader: Grader;
  terminals: TerminalGateway;
  contentDir?: string;
}): Classroom {
  return new Classroom({
    config: deps.config,
    db: deps.db,
    labs: deps.labs,
    lifecycle: deps.lifecycle,
    store: deps.store,
    grader: deps.grader,
    terminals: deps.terminals,
    lessons: contentLessonChallenges(deps.contentDir ?? contentRootsFromEnv().contentDir),
    progress: new SqliteProgressStore(deps.db),
  });
}
