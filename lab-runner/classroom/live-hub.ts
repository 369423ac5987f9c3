// In-process publish/subscribe for the classroom's live streams: dashboards per class, learners per account.
// Listeners are called synchronously; a throwing one is dropped rather than allowed to stop the others.
import type { DashboardEvent, LearnerEvent } from '../wire/classroom.ts';

type Listener<E> = (event: E) => void;

class Topics<E> {
  readonly #topics = new Map<string, Set<Listener<E>>>();

  subscribe(topic: string, l: Listener<E>): () => void {
    let set = this.#topics.get(topic);
    if (!set) this.#topics.set(topic, (set = new Set()));
    set.add(l);
    return () => {
      set.delete(l);
      if (set.size === 0) this.#topics.delete(topic);
    };
  }

  publish(topic: string, event: E): void {
    for (const l of [...(this.#topics.get(topic) ?? [])]) {
      try {
        l(event);
      } catch {
        this.#topics.get(topic)?.delete(l);
      }
    }
  }

  has(topic: string): boolean {
    return (this.#topics.get(topic)?.size ?? 0) > 0;
  }

  count(): number {
    let n = 0;
    for (const s of this.#topics.values()) n += s.size;
    return n;
  }
}

export class LiveHub {
  /** Topic: class id. */
  readonly dashboards = new Topics<DashboardEvent>();
  /** Topic: user id. */
  readonly learners = new Topics<LearnerEvent>();
  /** Who watches whose terminal: learner user id -> count per class. */
  readonly #watching = new Map<string, number>();

  watchStarted(classId: string, userId: string, by: string): void {
    const key = `${classId}\u0000${userId}`;
    this.#watching.set(key, (this.#watching.get(key) ?? 0) + 1);
    this.learners.publish(userId, { type: 'watching', classId, watching: true, by });
  }

  watchEnded(classId: string, userId: string): void {
    const key = `${classId}\u0000${userId}`;
    const n = (this.#watching.get(key) ?? 1) - 1;
    if (n <= 0) this.#watching.delete(key);
    else this.#watching.set(key, n);
    if (n <= 0) this.learners.publish(userId, { type: 'watching', classId, watching: false });
  }

  isWatched(classId: string, userId: string): boolean {
    return (this.#watching.get(`${classId}\u0000${userId}`) ?? 0) > 0;
  }
}
