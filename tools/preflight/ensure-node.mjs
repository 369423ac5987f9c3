// A Node that can run packetwalk's TypeScript: this one when new enough, else the cached or freshly fetched one
// (node-bootstrap.mjs). PACKETWALK_NODE_BOOTSTRAP=0 turns the fetching off. Throws with the one line to print.
import { cachedNode, installNode } from './node-bootstrap.mjs';
import { majorOf, nodeTooOldLine, requiredNodeMajor } from './node-version.mjs';

/** @returns {{ binary: string, version: string, binDir?: string }} binDir is set when it is not the running Node. */
export async function ensureNode(repoRoot, env, say) {
  const needed = requiredNodeMajor(repoRoot);
  const found = process.version;
  if (majorOf(found) >= needed) return { binary: process.execPath, version: found };
  const cached = cachedNode(needed, env);
  if (cached) {
    say(`using Node ${cached.version} from ${cached.binDir} (the Node on PATH, ${found}, is older than ${needed})`);
    return cached;
  }
  const stop = (why) => {
    const err = new Error(nodeTooOldLine({ found, foundPath: process.execPath, needed, why }));
    err.name = 'Stop';
    throw err;
  };
  if (env.PACKETWALK_NODE_BOOTSTRAP === '0') stop('PACKETWALK_NODE_BOOTSTRAP=0: not fetching it');
  const installed = await installNode(needed, env, say);
  if ('error' in installed) stop(installed.error);
  say(`using Node ${installed.version} from ${installed.binDir}`);
  return installed;
}
