// Deterministic challenge setups: every setup runs with a seed (stored per lab), and the same seed replays the same
// random draw, so "rewind" rebuilds the faults the learner had, not new ones.
//
// What is replayed: bash's $RANDOM in the step's own shell (RANDOM=<n> seeds it) and every `shuf` (a function that
// calls shuf with --random-source, a byte stream derived from the seed and a per-step counter, so successive shuf calls
// differ and the same script replays the same sequence). Not replayed: /dev/urandom reads (random payloads, container
// ids) and $RANDOM inside subshells (bash reseeds it there): setups use those only for values no check compares with
// a constant, because checks compute the truth from the live lab.
import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

/** A new seed: 16 hex characters. */
export function newSeed(): string {
  return randomBytes(8).toString('hex');
}

const SEED = /^[0-9a-f]{8,64}$/;

/** Bash put before a setup step's script (after `set -e`) so its randomness follows the seed. */
export function seedPrelude(seed: string, stepIndex: number): string {
  if (!SEED.test(seed)) throw new Error(`invalid setup seed "${seed}"`);
  const key = createHash('sha256').update(`${seed}:${stepIndex}`).digest('hex');
  const n = Number.parseInt(key.slice(0, 8), 16) % 32768;
  return [
    `# --- packetwalk: seeded setup (seed ${seed}, step ${stepIndex}) ---`,
    `RANDOM=${n}`,
    `export PW_SEED=${key.slice(0, 32)}`,
    // One counter file per step run, shared by the subshells of $(...) and pipelines (a shell variable would not be).
    // The byte stream is AES-CTR keyed by the seed (openssl is in the node image); without openssl shuf stays unseeded.
    `if command -v openssl >/dev/null 2>&1; then`,
    `  __pw_shuf_n=$(mktemp /tmp/.pw-seed.XXXXXX)`,
    `  trap 'rm -f "$__pw_shuf_n"' EXIT`,
    `  __pw_bytes() { openssl enc -aes-128-ctr -nosalt -pbkdf2 -iter 1 -pass "pass:$1" </dev/zero 2>/dev/null | head -c 262144; }`,
    `  shuf() { local n; n=$(( $(wc -c <"$__pw_shuf_n") + 1 )); printf x >>"$__pw_shuf_n"; command shuf --random-source=<(__pw_bytes "$PW_SEED-$n") "$@"; }`,
    `fi`,
    `# --- end of seeded setup ---`,
  ].join('\n');
}

/** Where seeds live: the setup_seeds table (store migration 004-practice). */
export class SetupSeeds {
  readonly #db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** The lab's seed for this lesson, created (and stored) on first use. */
  async ensure(labId: string, lesson: string): Promise<string> {
    const found = await this.get(labId);
    if (found && found.lesson === lesson) return found.seed;
    const seed = newSeed();
    await this.set(labId, lesson, seed);
    return seed;
  }

  async get(labId: string): Promise<{ lesson: string; seed: string } | undefined> {
    const row = this.#db.prepare('SELECT lesson, seed FROM setup_seeds WHERE lab_id = ?').get(labId) as { lesson: string; seed: string } | undefined;
    return row ? { lesson: row.lesson, seed: row.seed } : undefined;
  }

  /** Rewind: the next setup of this lab replays `seed`. */
  async set(labId: string, lesson: string, seed: string): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO setup_seeds (lab_id, lesson, seed, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (lab_id) DO UPDATE SET lesson = excluded.lesson, seed = excluded.seed, created_at = excluded.created_at',
      )
      .run(labId, lesson, seed, Date.now());
  }

  /** A plain reset: the next setup draws anew. */
  async forget(labId: string): Promise<void> {
    this.#db.prepare('DELETE FROM setup_seeds WHERE lab_id = ?').run(labId);
  }
}
