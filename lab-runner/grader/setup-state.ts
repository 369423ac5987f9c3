// Where a lab's challenge setup stands, as one union: which lesson it is for, whether that lesson owns the lab yet,
// and how its run went. Pure; lab-setups.ts moves a lab through these phases.
//
//   claiming ──(store has a record)──────────────────────────────► done | failed   (possibly another lesson's)
//      │ └────(no record: this lesson claims the lab)──► running ──► done | failed
//      └──(failed before claiming: challenge unloadable, store down)──► unclaimed
import type { SetupStatus } from '../wire/challenge.ts';

export type Setup =
  /** A lesson asked; the store is being read, so whether the lab is already some lesson's is not known yet. */
  | { phase: 'claiming'; lesson: string }
  /** Failed before anything was recorded or run: the lab is nobody's, and another lesson may prepare it. */
  | { phase: 'unclaimed'; lesson: string; error: string }
  /** The lab is `lesson`'s (recorded in the store); its setup steps run now. */
  | { phase: 'running'; lesson: string }
  | { phase: 'done'; lesson: string }
  | { phase: 'failed'; lesson: string; error: string };

/** A setup that owns the lab: no other lesson's setup may run on it until it is reset. */
export type ClaimedSetup = Extract<Setup, { phase: 'running' | 'done' | 'failed' }>;

export function isClaimed(setup: Setup): setup is ClaimedSetup {
  return setup.phase === 'running' || setup.phase === 'done' || setup.phase === 'failed';
}

/** The lesson that owns the lab, when it is not `lesson`. */
export function otherLesson(setup: Setup | undefined, lesson: string): string | undefined {
  return setup && isClaimed(setup) && setup.lesson !== lesson ? setup.lesson : undefined;
}

/** What prepareLab found or did, for the lesson that asked. */
export interface SetupOutcome {
  /** 'other-lesson': the lab was prepared for `lesson`, another lesson; nothing ran for the asking one. */
  status: Exclude<SetupStatus, 'running'>;
  /** The lesson the lab is prepared for. */
  lesson: string;
  error?: string;
}

/** The outcome for `lesson` of a finished setup (one that is no longer 'claiming' or 'running'). */
export function outcomeFor(setup: Setup, lesson: string): SetupOutcome {
  const other = otherLesson(setup, lesson);
  if (other !== undefined) return { status: 'other-lesson', lesson: other };
  if (setup.phase === 'failed' || setup.phase === 'unclaimed') return { status: 'failed', lesson, ...(setup.error ? { error: setup.error } : {}) };
  return { status: 'done', lesson };
}

/** The setup status a page of the owning (or asking) lesson shows; nothing known yet reads as running. */
export function setupStatus(setup: Setup | undefined): { status: Exclude<SetupStatus, 'other-lesson'>; error?: string } {
  switch (setup?.phase) {
    case undefined:
    case 'claiming':
    case 'running':
      return { status: 'running' };
    case 'done':
      return { status: 'done' };
    case 'failed':
    case 'unclaimed':
      return { status: 'failed', error: setup.error };
  }
}
