// What identifies one state of a file in the lab. The sha256 of the bytes decides conflicts (a `touch` that changes
// nothing is not a conflict); size and mtime are shown to the learner.
export interface FileVersion {
  /** Hex sha256 of the file's bytes. */
  sha256: string;
  size: number;
  /** Modification time, milliseconds since the epoch. */
  mtimeMs: number;
}

/** What a save expects to find: a version's sha256, "absent" (creating a new file) or "any" (overwrite regardless). */
export type ExpectedVersion = string;

export const EXPECT_ABSENT = 'absent';
export const EXPECT_ANY = 'any';

export function isExpectedVersion(v: string): boolean {
  return v === EXPECT_ABSENT || v === EXPECT_ANY || /^[0-9a-f]{64}$/.test(v);
}

/** "1795273257.459885982" (stat %.9Y) -> milliseconds. */
export function parseStatMtime(text: string): number {
  const n = Number(text);
  return Number.isFinite(n) ? Math.round(n * 1000) : 0;
}
