// Issue #21: troubleshooting-by-hand teaches "read the symptom first" with a table (symptom -> layer -> fault). Each
// of the setup's five faults is planted here on a healthy web path of a real nodes-1 lab, with the setup's own fault
// line, and `curl -v` from c-web must show the symptom the solution's table gives for that layer. The table used to
// promise "Connection refused, at once" for the port fault while the lab's FORWARD rule (port 8080 only) silently
// dropped the SYN to the wrong port: a timeout, the filter fault's symptom.
import { describe, expect, it } from 'vitest';
import type { Challenge } from '../../../course/challenge/challenge-schema.ts';
import { lessonChallengeLab } from './lesson-challenge-lab.ts';

const lab = lessonChallengeLab('content/06-troubleshooting/01-troubleshooting-by-hand/challenge.yaml', 'troubleshooting-symptoms');
const { run } = lab;
// route first: node1 rate-limits the ICMP errors it sends to one client (a small burst, then one a second), and the
// dns fault's queries to the unrouted 10.100.1.54 spend that burst; a quick retry of an unreachable route then times
// out, as the table's row says.
const FAULTS = ['route', 'port', 'filter', 'mtu', 'dns'] as const;
type Fault = (typeof FAULTS)[number];
// The table's "layer" column, per fault.
const LAYER: Record<Fault, string> = { dns: 'name', port: 'Service', route: 'node route', filter: 'filter', mtu: 'MTU' };

/** The setup's own command for each fault: the `case "$f" in` arm. */
function faultLines(c: Challenge): Record<string, string> {
  const setup = c.setup.map((s) => s.script).join('\n');
  return Object.fromEntries([...setup.matchAll(/^\s*(dns|route|port|filter|mtu)\)\s+(.+?)\s*;;\s*$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The solution table's symptom cell for a layer, e.g. "`Connection refused`, at once". */
function tableSymptom(c: Challenge, layer: string): string {
  const text = c.tasks.find((x) => x.id === 'path-web')!.solution.text;
  const row = text.split('\n').find((l) => l.split('|').map((x) => x.trim())[2] === layer);
  return row?.split('|')[1]?.trim() ?? '';
}

// What each symptom looks like in `curl -v` output, and how long it may take (refused and unreachable are at once).
const SEEN: Record<Fault, { re: RegExp; fast: boolean }> = {
  dns: { re: /Could not resolve host/, fast: false },
  port: { re: /connect to [0-9.]+ port 80 failed: Connection refused/, fast: true },
  route: { re: /Network is unreachable/, fast: true },
  filter: { re: /Connection timed out after/, fast: false },
  mtu: { re: /Connected to [\s\S]*Operation timed out after \d+ milliseconds with 0 bytes received/, fast: false },
};

describe('troubleshooting-by-hand: each fault shows the symptom its table row teaches', () => {
  it('plants each of the five faults on a healthy web path and reads curl -v', async () => {
    const { challenge } = lab;
    const lines = faultLines(challenge);
    expect(Object.keys(lines).sort()).toEqual([...FAULTS].sort());
    const heal = challenge.tasks.find((x) => x.id === 'path-web')!.solution.script;
    const seen: string[] = [];
    for (const f of FAULTS) {
      expect((await run(heal, `heal before ${f}`)).verdict.outcome, `heal before ${f}`).toBe('passed');
      const plant = `p=web
b=$(ip -n "$p-pod" -o -4 addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)
c=$(ip -n "c-$p" -o -4 addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)
: "$b" "$c"
${lines[f]}
conntrack -D -s "$c" >/dev/null 2>&1 || true
start=$(date +%s%N)
ip netns exec c-web curl -sS -v -m 3 -o /dev/null http://web/ 2>&1 | grep -E '^\\* |^curl'
echo "ELAPSED_MS $(( ($(date +%s%N) - start) / 1000000 ))"
true`;
      const r = await run(plant, `plant ${f}`);
      const out = r.stdout;
      const ms = Number(/ELAPSED_MS (\d+)/.exec(out)?.[1] ?? NaN);
      seen.push(`${f}: ${ms} ms: ${out.replace(/\n/g, ' | ').slice(0, 300)}`);
      expect(out, `${f}: curl -v shows its symptom (so far: ${seen.join(' || ')})`).toMatch(SEEN[f].re);
      if (SEEN[f].fast) expect(ms, `${f}: the symptom comes at once`).toBeLessThan(1000);
      // The table agrees: the quoted error of the row for this layer appears in what curl printed.
      const cell = tableSymptom(challenge, LAYER[f]);
      expect(cell, `the table has a row for ${LAYER[f]}`).not.toBe('');
      const quoted = /`([^`]+)`/.exec(cell)?.[1];
      if (quoted) expect(out, `${f}: the table says ${cell}`).toContain(quoted);
      else expect(cell).toMatch(/connected, then 0 bytes/);
    }
    expect((await run(heal, 'heal at the end')).verdict.outcome).toBe('passed');
    expect(seen).toHaveLength(5);
  }, 240_000);
});
