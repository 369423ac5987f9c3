// What a learner's page receives about a challenge (GET /api/challenge/state, the stream's "state" events, the
// answers to check, hint and solution). The types are defined beside the view builder in the grader
// (grader/challenge-view.ts), which owns what is and is not revealed; this is the browser's door to them.
export type { ChallengeView, SetupLesson, SetupStatus, TaskView } from '../grader/challenge-view.ts';
export type { TaskStatus } from '../grader/grading-state.ts';
export type { StructuredVerdict } from '../grader/verdict.ts';
