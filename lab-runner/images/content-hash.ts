// Content hash of an image's build context (every file's path, mode and bytes). Stored as the image label
// io.packetwalk.content-hash, so "npm run images" rebuilds only images whose sources changed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function walk(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((d) => {
      const r = rel ? `${rel}/${d.name}` : d.name;
      return d.isDirectory() ? walk(dir, r) : [r];
    });
}

export function hashDirectory(dir: string): string {
  const h = createHash('sha256');
  for (const rel of walk(dir)) {
    const full = path.join(dir, rel);
    const executable = (fs.statSync(full).mode & 0o111) !== 0;
    h.update(`${rel}\0${executable ? 'x' : '-'}\0`);
    h.update(fs.readFileSync(full));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 24);
}

export function hashText(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 24);
}
