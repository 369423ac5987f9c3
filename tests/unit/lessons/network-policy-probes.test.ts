// network-policy-by-hand's allow-list check proves "everything else stays denied" with connections that must fail.
// A probe from a pod whose own egress policy already drops the connection fails whatever backend's policy says, so it
// can never observe the learner's change: `ok reports 8080` was such a probe (reports' egress allows only ledger).
// Every must-fail probe has to start from a pod the setup leaves free to send.
import { describe, expect, it } from 'vitest';
import { loadChallenge } from './by-hand-lessons.ts';

const LESSON = 'content/04-dns-and-policy/03-network-policy-by-hand';

/** Pods the setup puts under an egress policy: a FORWARD rule for packets coming in from their veth. */
function egressConfined(setup: string): Set<string> {
  return new Set([...setup.matchAll(/iptables\s+-[AI]\s+FORWARD\b[^\n]*\s-i\s+v-([a-z0-9-]+)\b[^\n]*-j\s+POL-/g)].map((m) => m[1]!));
}

/** Pods the check expects to be refused: `if ok <pod> <port>; then no …`. */
function mustFailSources(check: string): string[] {
  return [...check.matchAll(/if\s+ok\s+([a-z0-9-]+)\s+(\d+);\s*then\s+no\b/g)].map((m) => m[1]!);
}

describe('network-policy-by-hand allow-list: probes that must fail', () => {
  const c = loadChallenge(LESSON);
  const setup = c.setup.map((s) => s.script).join('\n');
  const task = c.tasks.find((t) => t.id === 'allow-list')!;

  it("the setup confines reports, the lesson's egress example", () => {
    expect([...egressConfined(setup)]).toContain('reports');
  });

  it('probes from at least two pods that are not on the allow-list', () => {
    const others = new Set(mustFailSources(task.check).filter((p) => p !== 'frontend' && p !== 'monitoring'));
    expect(others.size).toBeGreaterThanOrEqual(2);
  });

  it("starts every must-fail probe from a pod whose own egress is open, so the probe sees backend's policy", () => {
    const confined = egressConfined(setup);
    const blind = mustFailSources(task.check).filter((p) => confined.has(p));
    expect(blind, "probes that fail because of the source pod's own egress policy").toEqual([]);
  });
});
