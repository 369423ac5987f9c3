// Kernel features some kind lessons need beyond what `kind create cluster` needs. kind nodes share the host's
// kernel, so a module the host lacks is missing in every node: the cluster starts, and the lesson that relies on it
// fails halfway through. Doctor and the preflight name those lessons up front instead.
import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** loaded: in /proc/modules; builtin: compiled in; loadable: a module file the kernel can load on first use. */
export type ModuleState = 'loaded' | 'builtin' | 'loadable' | 'missing';

export interface KernelFeature {
  id: 'nfqueue' | 'xt_recent';
  title: string;
  /** Every one of these modules is needed. */
  modules: string[];
  /** Lesson ids (module slug/lesson slug) that cannot be finished without the feature. */
  lessons: string[];
  why: string;
}

export const KERNEL_FEATURES: readonly KernelFeature[] = [
  {
    id: 'nfqueue',
    title: 'NFQUEUE',
    modules: ['nfnetlink_queue', 'nft_queue'],
    lessons: ['dns-and-policy/network-policy'],
    why: 'kindnetd enforces NetworkPolicy by queueing new connections to a user-space agent (nftables queue); without it policies are not enforced',
  },
  {
    id: 'xt_recent',
    title: 'xt_recent',
    modules: ['xt_recent'],
    lessons: ['services/services-and-kube-proxy'],
    why: 'kube-proxy (iptables mode) implements sessionAffinity: ClientIP with the "recent" match',
  },
];

/** The module name of a path in modules.builtin / modules.dep ("kernel/net/netfilter/xt_recent.ko.zst" → "xt_recent"). */
function moduleNameOf(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.replace(/\.ko(\.[a-z0-9]+)?$/, '').replace(/-/g, '_');
}

/** Pure: the state of each wanted module from the texts of /proc/modules, modules.builtin and modules.dep. */
export function moduleStates(wanted: string[], texts: { procModules?: string; builtin?: string; dep?: string }): Record<string, ModuleState> | undefined {
  if (texts.procModules === undefined && texts.builtin === undefined && texts.dep === undefined) return undefined;
  const loaded = new Set(
    (texts.procModules ?? '')
      .split('\n')
      .map((l) => l.split(' ')[0]!)
      .filter(Boolean),
  );
  const builtin = new Set((texts.builtin ?? '').split('\n').filter(Boolean).map(moduleNameOf));
  const loadable = new Set(
    (texts.dep ?? '')
      .split('\n')
      .map((l) => l.split(':')[0]!)
      .filter(Boolean)
      .map(moduleNameOf),
  );
  const out: Record<string, ModuleState> = {};
  for (const m of wanted) out[m] = loaded.has(m) ? 'loaded' : builtin.has(m) ? 'builtin' : loadable.has(m) ? 'loadable' : 'missing';
  return out;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads this machine's module lists; undefined when none of them can be read (no /proc, no /lib/modules). */
export async function readModuleStates(release = os.release()): Promise<Record<string, ModuleState> | undefined> {
  const wanted = [...new Set(KERNEL_FEATURES.flatMap((f) => f.modules))];
  const [procModules, builtin, dep] = await Promise.all([
    readOptional('/proc/modules'),
    readOptional(`/lib/modules/${release}/modules.builtin`),
    readOptional(`/lib/modules/${release}/modules.dep`),
  ]);
  // Without the module lists only loaded modules are known; "missing" would then be a guess.
  if (builtin === undefined || dep === undefined) return undefined;
  return moduleStates(wanted, { procModules, builtin, dep });
}
