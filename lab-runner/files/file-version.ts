// What a save expects to find, and stat's times. The version itself (FileVersion) is wire: lab-runner/wire/files.ts.
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
