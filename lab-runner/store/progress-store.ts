// Learner progress behind an interface: SQLite on disk by default (progress-store-sqlite.ts), something else for a
// multi-host deployment later. Times are epoch milliseconds. Lessons are content ids ("pods/pods-and-network-namespaces").
export interface TaskEvent {
  learnerId: string;
  lesson: string;
  labId: string;
  taskId: string;
  at: number;
}

export interface RevealEvent {
  learnerId: string;
  lesson: string;
  taskId: string;
  at: number;
}

export interface TaskProgress {
  taskId: string;
  /** Latest pass in any lab, unless that pass later regressed. */
  passedAt?: number;
  hintsRevealed: number;
  solutionRevealedAt?: number;
}

export interface LessonProgress {
  lesson: string;
  tasks: TaskProgress[];
  /** Most tasks passed (and not regressed) in one lab: the learner's best attempt. */
  bestPassed: number;
  completedAt?: number;
}

export interface SetupRecord {
  labId: string;
  lesson: string;
  startedAt: number;
  finishedAt?: number;
  /** Set when a setup step failed: the lab is not usable for this lesson. */
  error?: string;
}

export interface LearnerExport {
  format: 'packetwalk-progress/1';
  learnerId: string;
  createdAt: string;
  lastSeenAt: string;
  lessons: {
    lesson: string;
    completedAt?: string;
    tasks: { taskId: string; labId: string; passedAt: string; regressedAt?: string }[];
    hints: { taskId: string; index: number; revealedAt: string }[];
    solutions: { taskId: string; revealedAt: string }[];
  }[];
}

export interface ProgressStore {
  /** Creates the learner on first sight, updates last-seen otherwise. */
  touchLearner(learnerId: string, at: number): Promise<void>;
  recordTaskPassed(e: TaskEvent): Promise<void>;
  /** An invariant failed after the task passed. */
  recordTaskRegressed(e: TaskEvent): Promise<void>;
  recordLessonCompleted(e: Omit<TaskEvent, 'taskId'>): Promise<void>;
  /** Reveals the task's next hint (one at a time, never past `available`); returns how many are now revealed. */
  revealNextHint(e: RevealEvent & { available: number }): Promise<number>;
  recordSolutionRevealed(e: RevealEvent): Promise<void>;
  /** Tasks currently passed in one lab, with their pass time: restores edge-triggered passes after a reload or restart. */
  passedInLab(learnerId: string, lesson: string, labId: string): Promise<Map<string, number>>;
  lessonProgress(learnerId: string, lesson: string): Promise<LessonProgress>;
  /** Every lesson the learner has touched. */
  allLessonProgress(learnerId: string): Promise<LessonProgress[]>;
  exportLearner(learnerId: string): Promise<LearnerExport | undefined>;
  /** Setup bookkeeping, so a restart never re-runs (re-breaks) a lab's setup. */
  setupStarted(r: { labId: string; lesson: string; at: number }): Promise<void>;
  /** Records the end of the run that started at `startedAt`; a later run's record (after a reset) is left alone. */
  setupFinished(r: { labId: string; startedAt: number; at: number; error?: string }): Promise<void>;
  getSetup(labId: string): Promise<SetupRecord | undefined>;
  /**
   * The lab was reset in place (same id, fresh nodes): forget its setup and move its passes aside, so the fresh lab is
   * graded from scratch while the history (and the catalog's best attempt) keeps them.
   */
  archiveLab(labId: string, at: number): Promise<void>;
  close(): Promise<void>;
}
