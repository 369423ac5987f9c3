// The seeded draw of an exam attempt: which tasks, in which order. Deterministic from the seed (a reload, a restart or
// an audit draws the same), different across attempts (a new seed each), so answers cannot be shared.
import { createHash } from 'node:crypto';
import type { Exam, ExamItem } from '../../course/exam/exam-schema.ts';

export interface DrawnTask extends ExamItem {
  /** Index of the pool it came from. */
  pool: number;
  /** The seed the task's lab setup runs with (derived from the attempt's seed). */
  seed: string;
}

/** A deterministic stream of numbers in [0, 1) from a seed (SHA-256 in counter mode). */
export function seededRandom(seed: string): () => number {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      offset = 0;
    }
    const n = block.readUInt32BE(offset);
    offset += 4;
    return n / 2 ** 32;
  };
}

/** Draws `count` tasks from each pool (Fisher–Yates on a copy), pools in order; each task gets its own setup seed. */
export function drawExam(exam: Exam, seed: string): DrawnTask[] {
  const random = seededRandom(seed);
  const drawn: DrawnTask[] = [];
  exam.pools.forEach((pool, p) => {
    const items = [...pool.tasks];
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    for (const item of items.slice(0, pool.count)) {
      drawn.push({ ...item, pool: p, seed: createHash('sha256').update(`${seed}:task:${drawn.length}`).digest('hex').slice(0, 16) });
    }
  });
  return drawn;
}
