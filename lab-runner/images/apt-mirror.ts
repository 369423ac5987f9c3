// The Debian mirror debootstrap should use: the machine's own apt configuration first (a classroom or CI mirror
// is usually configured there), then deb.debian.org.
import fs from 'node:fs';
import path from 'node:path';

export const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

/** Mirrors from one-line ("deb URL suite ...") and deb822 ("URIs: URL") sources, skipping security/updates repos. */
export function mirrorsFromSources(texts: string[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const oneLine = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      if (oneLine && !/security|updates|backports/.test(oneLine[2]!)) found.push(oneLine[1]!);
      const deb822 = /^\s*URIs:\s*(.+)$/i.exec(line);
      if (deb822) found.push(...deb822[1]!.trim().split(/\s+/));
    }
  }
  return [...new Set(found.filter((u) => /^https?:\/\//.test(u) && !/security/.test(u)).map((u) => u.replace(/\/+$/, '')))];
}

export function debianMirror(root = '/etc/apt'): string {
  const files = [path.join(root, 'sources.list')];
  const dir = path.join(root, 'sources.list.d');
  if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir).sort()) if (/\.(list|sources)$/.test(f)) files.push(path.join(dir, f));
  const texts = files.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8'));
  return mirrorsFromSources(texts)[0] ?? FALLBACK_MIRROR;
}
