// The one script the map runs in a lab node per refresh (one exec per node): everything it needs about the node's
// networking, each part in a structured format, framed by a per-refresh token so nothing a learner names (a
// namespace, an interface) can forge a section. Structured sources only: `ip -j -d`, `bridge -j`, `tc -j`,
// `nft -j`. One exception: rules made with iptables-nft (what kube-proxy and the lessons use) show in `nft -j` as
// opaque `xt` expressions without their DNAT destination, so the nat table is also read with `iptables-save`, whose
// output is the restore format (an argv per rule), not a display.
//
// Cost: one `ip` per namespace (addresses carry the link details with -d), one for the host; routes only on demand
// (ip -batch: the same process). Everything runs with LC_ALL=C and stderr dropped.
import { randomBytes } from 'node:crypto';

export interface CollectOptions {
  /** Also read every namespace's routes (the map asks for them when the learner opens a routes view). */
  routes: boolean;
}

/** A fresh per-refresh token: section headers carry it. */
export function newSectionToken(): string {
  return `__pwmap_${randomBytes(9).toString('hex')}`;
}

/** The collector, as a bash script for stdin. Section header: "<token> <kind> [<namespace>]". */
export function collectScript(token: string, opts: CollectOptions): string {
  const ipCmds = opts.routes ? String.raw`'addr show\nroute show table main'` : String.raw`'addr show'`;
  return (
    [
      'export LC_ALL=C',
      'exec 2>/dev/null',
      `T=${token}`,
      'sec() { printf "\\n%s %s\\n" "$T" "$*"; }',
      `sec ip; printf ${ipCmds} | ip -j -d -batch -`,
      'sec netns; ip -j netns list',
      'sec bridge; bridge -j link show',
      'sec vlan; bridge -j vlan show',
      'sec qdisc; tc -j qdisc show',
      'sec nft; nft -j list ruleset',
      'sec iptables-nat; iptables-save -t nat',
      // Namespace names come from the lab: read as data, passed quoted, never evaluated.
      'ip netns list | while read -r ns _; do',
      `  sec ns-ip "$ns"; printf ${ipCmds} | ip -n "$ns" -j -d -batch -`,
      'done',
      'sec end',
    ].join('\n') + '\n'
  );
}

export interface RawSection {
  kind: string;
  /** The namespace, for ns-* sections. */
  ns?: string;
  body: string;
}

/** Splits the collector's stdout into sections (text outside any section is ignored). */
export function splitSections(stdout: string, token: string): RawSection[] {
  const out: RawSection[] = [];
  let current: RawSection | undefined;
  const body: string[] = [];
  const flush = () => {
    if (current) out.push({ ...current, body: body.join('\n').trim() });
    body.length = 0;
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${token} `)) {
      flush();
      const rest = line.slice(token.length + 1);
      const sp = rest.indexOf(' ');
      current = sp < 0 ? { kind: rest, body: '' } : { kind: rest.slice(0, sp), ns: rest.slice(sp + 1), body: '' };
      if (current.kind === 'end') current = undefined;
      continue;
    }
    if (current) body.push(line);
  }
  flush();
  return out;
}
