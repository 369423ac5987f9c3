// Which Node packetwalk needs (package.json "engines"), and whether the running one is enough.
// Plain JavaScript on purpose: this must run on the old Node it is about to refuse (Node 20 cannot load .ts files).
import fs from 'node:fs';
import path from 'node:path';

/** Major version required by package.json engines.node (">=24.0.0" → 24). */
export function requiredNodeMajor(repoRoot) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const m = /(\d+)/.exec(pkg.engines?.node ?? '');
  if (!m) throw new Error('package.json has no engines.node version');
  return Number(m[1]);
}

export function majorOf(version) {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

/** The one line printed when the Node found is too old and none can be fetched. */
export function nodeTooOldLine({ found, foundPath, needed, why }) {
  const how = `install Node ${needed} (nvm install ${needed}, or https://nodejs.org/en/download) and run the command again`;
  return `needs Node ${needed} or newer; found ${found} at ${foundPath}${why ? ` (${why})` : ''}: ${how}.`;
}
