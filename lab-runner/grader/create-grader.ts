// Builds the platform's grader from what createPlatform already has: config, the LabManager and the shared database.
//   const grader = createGrader({ config, labs, db });   // in createPlatform; grader.close() in Platform.close()
import type { DatabaseSync } from 'node:sqlite';
import { ArtefactStore, artefactsDir } from '../artefacts/artefact-store.ts';
import type { Config } from '../../lib/config.ts';
import { contentRootsFromEnv } from '../../course/content/content-paths.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import { SqliteProgressStore } from '../store/progress-store-sqlite.ts';
import { Grader } from './grader.ts';
import { contentLessonChallenges } from '../../course/challenge/lesson-challenges.ts';
import { SetupSeeds } from '../practice/setup-seed.ts';

export function createGrader(deps: { config: Config; labs: LabManager; db: DatabaseSync; contentDir?: string }): Grader {
  return new Grader({
    labs: deps.labs,
    progress: new SqliteProgressStore(deps.db),
    lessons: contentLessonChallenges(deps.contentDir ?? contentRootsFromEnv().contentDir),
    intervalMs: deps.config.GRADER_INTERVAL,
    artefacts: new ArtefactStore({ dir: artefactsDir(deps.config.DATA_DIR) }),
    seeds: new SetupSeeds(deps.db),
  });
}
