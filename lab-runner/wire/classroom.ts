// What the browser sees of classrooms: the trainer's grid and its live events, a learner's class page and banner
// events. JSON only; no secrets (a class's enroll token appears only in the trainer's view of their own class).

/** One learner on one task, as the trainer's grid shows it. */
export type CellState = 'not-started' | 'working' | 'stuck' | 'passed';

export interface GridCell {
  userId: string;
  lesson: string;
  taskId: string;
  state: CellState;
  firstSeenAt?: number;
  passedAt?: number;
  /** Since when the same check fails the same way. */
  failingSince?: number;
  timeOnTaskMs: number;
  attempts: number;
  hintsRevealed: number;
  solutionRevealed: boolean;
}

export interface GridLearner {
  userId: string;
  name: string;
  email: string;
  joinedAt: number;
  /** Pressed "Ask for help" and not yet answered. */
  help?: { askedAt: number; lesson?: string };
  /** Their newest live lab, if any. */
  lab?: { id: string; template: string; state: string; expiresAt: number; targets: string[] };
}

export interface GridLesson {
  lesson: string;
  title: string;
  href: string;
  tasks: { id: string; title: string }[];
}

export interface ClassSummary {
  id: string;
  name: string;
  lessons: string[];
  startsAt: number;
  endsAt: number;
  capacity: number;
  enrolled: number;
}

/** The trainer's view of their own class: with the enroll link's token and the short code. */
export interface TrainerClassView extends ClassSummary {
  enrollToken: string;
  shortCode: string;
  enrollExpiresAt: number;
  prewarm: boolean;
  prewarmedAt?: number;
}

export interface ClassGrid {
  classId: string;
  name: string;
  lessons: GridLesson[];
  learners: GridLearner[];
  cells: GridCell[];
  stuckAfterMs: number;
  serverNow: number;
}

export interface ClassMessageView {
  id: number;
  classId: string;
  body: string;
  sentAt: number;
  /** Class-wide (a banner) or to this learner only. */
  scope: 'class' | 'direct';
  from: string;
}

export type DashboardEvent =
  | { type: 'grid'; grid: ClassGrid }
  | { type: 'cell'; cell: GridCell }
  | { type: 'learner'; learner: GridLearner }
  | { type: 'message'; message: ClassMessageView };

/** A learner's view of one class they are in. */
export interface LearnerClassView extends ClassSummary {
  path: { lesson: string; title: string; href: string; passed: number; total: number; completedAt?: number }[];
  messages: ClassMessageView[];
}

export type LearnerEvent =
  | { type: 'hello'; classes: { id: string; name: string }[]; messages: ClassMessageView[] }
  | { type: 'message'; message: ClassMessageView }
  | { type: 'watching'; classId: string; watching: boolean; by?: string }
  | { type: 'lab'; action: 'reset' | 'extended'; labId: string; expiresAt?: number };

/** Read-only terminal view for a trainer: the screen now, then output as it comes. Data is base64 (raw bytes). */
export type WatchEvent =
  { type: 'screen'; screen: string; cols: number; rows: number; target: string } | { type: 'output'; data: string } | { type: 'ended'; reason: string };
