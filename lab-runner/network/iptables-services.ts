// Services from the iptables nat table (iptables-save's restore format: one argv per rule), the kube-proxy layout
// and anything like it: a rule matching a destination address (and port) jumps, maybe through a chain of chains
// (KUBE-SVC-* with statistic splits), to rules that DNAT. Docker's own DNS rules (DOCKER_*) are left out.
import type { MapService } from '../wire/network.ts';

interface IptRule {
  chain: string;
  args: Map<string, string>;
  target?: string;
}

/** Splits one rule line like a shell would (iptables-save quotes comments with double quotes). */
function argv(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

function parseRule(line: string): IptRule | undefined {
  const a = argv(line);
  if (a[0] !== '-A' || !a[1]) return undefined;
  const args = new Map<string, string>();
  for (let i = 2; i < a.length; i++) {
    const k = a[i]!;
    if (!k.startsWith('-')) continue;
    const v = a[i + 1] && !a[i + 1]!.startsWith('-') ? a[i + 1]! : '';
    if (!args.has(k)) args.set(k, v);
  }
  return { chain: a[1], args, target: args.get('-j') };
}

const MAX_DEPTH = 5;
const stripHost = (cidr: string) => cidr.replace(/\/32$/, '');

function parseEndpoint(dest: string): { address: string; port?: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?(?:-[\d.]+)?$/.exec(dest) ?? /^\[([^\]]+)\](?::(\d+))?$/.exec(dest);
  return m ? { address: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) } : { address: dest };
}

export function iptablesServices(node: string, lines: string[]): MapService[] {
  const rules = lines.map(parseRule).filter((r): r is IptRule => !!r && !r.chain.startsWith('DOCKER'));
  const byChain = new Map<string, IptRule[]>();
  for (const r of rules) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r]);
  const endpointsFrom = (chain: string, depth: number, seen: Set<string>): { address: string; port?: number }[] => {
    if (depth > MAX_DEPTH || seen.has(chain)) return [];
    seen.add(chain);
    return (byChain.get(chain) ?? []).flatMap((r) => {
      if (r.target === 'DNAT') return r.args.get('--to-destination') ? [parseEndpoint(r.args.get('--to-destination')!)] : [];
      return r.target && byChain.has(r.target) ? endpointsFrom(r.target, depth + 1, seen) : [];
    });
  };
  const services: MapService[] = [];
  for (const r of rules) {
    const dst = r.args.get('-d');
    if (!dst || !/\/32$|^\d+\.\d+\.\d+\.\d+$/.test(dst) || !r.target) continue;
    const to = r.args.get('--to-destination');
    if (r.target === 'DNAT' ? !to : !byChain.has(r.target)) continue;
    // A portal with no endpoints (yet) still shows: the learner sees the VIP before the backends.
    const endpoints = r.target === 'DNAT' ? [parseEndpoint(to!)] : endpointsFrom(r.target, 1, new Set());
    const vip = stripHost(dst);
    const port = r.args.has('--dport') ? Number(r.args.get('--dport')) : undefined;
    const protocol = r.args.get('-p') || undefined;
    const name = r.args.get('--comment')?.replace(/ cluster IP$/, '') || undefined;
    const id = `${node}/ipt/${vip}:${port ?? '*'}/${protocol ?? 'all'}`;
    if (services.some((s) => s.id === id)) continue; // PREROUTING and OUTPUT both jump to the same portal
    services.push({
      id,
      node,
      vip,
      ...(port !== undefined && Number.isFinite(port) ? { port } : {}),
      ...(protocol ? { protocol } : {}),
      ...(name ? { name } : {}),
      endpoints: dedupe(endpoints),
      source: 'iptables',
    });
  }
  return services;
}

function dedupe(eps: { address: string; port?: number }[]) {
  const seen = new Set<string>();
  return eps.filter((e) => {
    const k = `${e.address}:${e.port ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
