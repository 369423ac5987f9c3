// The learner's lab choice per lesson (the default sandbox, or the lesson's kindSandbox), kept in localStorage
// and announced to every subscriber on the page (useSyncExternalStore in lab-session.tsx).

/** Which of the lesson's labs the learner chose: the default sandbox (bare nodes) or the lesson's kindSandbox. */
export type LabChoice = 'default' | 'kind';

/** localStorage key of the learner's lab choice for a lesson (only "kind" is stored; absent means default). */
export const labChoiceKey = (lesson: string | undefined) => `packetwalk.lab-choice.${lesson ?? '-'}`;

const CHOICE_EVENT = 'pw-lab-choice';
/** Private mode without storage: the choice still applies while the page is open. */
const unstoredChoices = new Map<string, LabChoice>();

export function readChoice(lesson: string | undefined, kindSandbox: string | undefined): LabChoice {
  if (!kindSandbox) return 'default';
  try {
    return localStorage.getItem(labChoiceKey(lesson)) === 'kind' ? 'kind' : 'default';
  } catch {
    return unstoredChoices.get(labChoiceKey(lesson)) ?? 'default'; // storage blocked
  }
}

export function writeChoice(lesson: string | undefined, choice: LabChoice): void {
  unstoredChoices.set(labChoiceKey(lesson), choice);
  try {
    if (choice === 'kind') localStorage.setItem(labChoiceKey(lesson), 'kind');
    else localStorage.removeItem(labChoiceKey(lesson));
    unstoredChoices.delete(labChoiceKey(lesson));
  } catch {
    // Not persisted; unstoredChoices carries it.
  }
  window.dispatchEvent(new Event(CHOICE_EVENT));
}

export function subscribeChoice(onChange: () => void): () => void {
  window.addEventListener(CHOICE_EVENT, onChange);
  return () => window.removeEventListener(CHOICE_EVENT, onChange);
}
