// JSON the browser sees for the practice features (#19): the lab's time left, rewinds and exams.
// Types only: app/ imports them from here, never the engine's internals.

/** What ends a live lab first: its hard expiry or idle destruction. */
export type LabEnd = 'expiry' | 'idle';

/** GET /api/labs/:id/time and POST /api/labs/:id/extend. Times are epoch ms on the server's clock (serverNow). */
export type LabTimeView =
  | {
      state: 'live';
      labId: string;
      serverNow: number;
      expiresAt: number;
      idleDestroyAt: number;
      /** The earlier of the two, and which one it is. */
      endsAt: number;
      endsBy: LabEnd;
      /** Show the warning (with Extend) from this moment: WARN_BEFORE_MS before endsAt. */
      warnFrom: number;
      /** Extend would move endsAt later (the hard expiry is below the configured maximum, or the lab is idle). */
      canExtend: boolean;
      /** The latest the hard expiry can ever be (createdAt + LAB_MAX_LIFETIME). */
      maxExpiresAt: number;
    }
  | { state: 'pending'; labId: string; serverNow: number }
  | {
      state: 'gone';
      labId: string;
      serverNow: number;
      /** Why the lab is gone, for the learner: "expired" (time limit), "idle", "stopped", "failed", other. */
      why: 'expired' | 'idle' | 'stopped' | 'failed' | 'other';
      /** The engine's own words (the destroy reason or the failure). */
      detail: string;
      at?: number;
    };

/** POST /api/challenge/rewind: the rebuilt lab and what was replayed. */
export interface RewindView {
  labId: string;
  lesson: string;
  /** The task the learner rewound to (the lab is in the state from just before it); absent when every task was replayed. */
  taskId?: string;
  /** Solutions replayed, in order. */
  replayed: string[];
  seed: string;
}

/** An exam in the list (GET /api/exams). */
export interface ExamSummaryView {
  slug: string;
  title: string;
  description?: string;
  minutes: number;
  tasks: number;
}

/** A verdict as the results page shows it: what the check observed against what it expected. */
export interface ExamVerdictView {
  passed: boolean;
  summary?: string;
  observed?: string;
  expected?: string;
  failLines: string[];
  brokenInvariant?: string;
}

export interface ExamTaskView {
  index: number;
  title: string;
  descriptionHtml: string;
  flagged: boolean;
  /** The task's lab and its targets (terminal tabs); tickets come from the attempt's ticket route. */
  labId: string;
  targets: { name: string; title: string }[];
  /** After grading only: */
  verdict?: ExamVerdictView;
  solutionHtml?: string;
  lesson?: { id: string; title: string; href: string };
}

/** GET /api/exams/attempts/:id. No hints, no solutions and no lesson names until it is graded. */
export interface ExamAttemptView {
  id: string;
  exam: { slug: string; title: string; minutes: number };
  state: 'running' | 'graded';
  serverNow: number;
  startedAt: number;
  endsAt: number;
  tasks: ExamTaskView[];
  gradedAt?: number;
  endedBy?: 'submitted' | 'timeout';
  score?: number;
  total: number;
}

/** A past attempt in the exam list. */
export interface ExamAttemptSummaryView {
  id: string;
  exam: string;
  state: 'running' | 'graded';
  startedAt: number;
  score?: number;
  total: number;
}
