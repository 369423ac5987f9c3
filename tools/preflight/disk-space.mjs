// Enough disk for what comes next? Checked before npm install + next build (about 1 GB in the checkout) and before
// the first image build or pull (about 1 GB in Docker's data root, more with kind's node image).
import fs from 'node:fs';

export const GiB = 1024 ** 3;

/** Free bytes for this user on the filesystem holding `dir` (its nearest existing parent), or undefined. */
export function freeBytes(dir) {
  let d = dir;
  while (d && !fs.existsSync(d)) d = d.replace(/\/[^/]*$/, '') || '/';
  try {
    const s = fs.statfsSync(d);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/**
 * @returns {{ status: 'ok' | 'fail', line: string, fix?: string } | undefined} undefined when it cannot be measured
 */
export function diskCheck({ what, dir, neededBytes, fix }) {
  const free = freeBytes(dir);
  if (free === undefined) return undefined;
  const gb = (n) => `${(n / GiB).toFixed(1)} GB`;
  return free >= neededBytes
    ? { status: 'ok', line: `${what}: ${gb(free)} free at ${dir}` }
    : { status: 'fail', line: `${what}: only ${gb(free)} free at ${dir}, ${gb(neededBytes)} needed`, fix };
}
