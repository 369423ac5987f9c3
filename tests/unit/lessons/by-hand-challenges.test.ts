// Script-level tests for the nine by-hand lessons' challenges. `npm run lab -- verify` proves them on real labs;
// these catch what a lab run would only show late or not at all: a script that does not parse or lint, a check that
// changes the lab, a target the sandbox lacks, an address outside the by-hand plan, a missing found-answer or
// break-fix task, hints that do not escalate.
import { describe, expect, it } from 'vitest';
import {
  BY_HAND_LESSONS,
  MUTATING,
  SANDBOX_TARGETS,
  answersRead,
  bashParses,
  codeOnly,
  loadChallenge,
  sandboxOf,
  scriptsOf,
  shellcheck,
  shellcheckAvailable,
} from './by-hand-lessons.ts';
import type { Challenge } from '../../../course/challenge/challenge-schema.ts';

const haveShellcheck = shellcheckAvailable();

describe.each(BY_HAND_LESSONS)('%s', (lesson) => {
  let challenge: Challenge = { setup: [], tasks: [] };
  let loadError = '';
  try {
    challenge = loadChallenge(lesson);
  } catch (err) {
    loadError = (err as Error).message;
  }
  const scripts = scriptsOf(challenge);
  const sandbox = sandboxOf(lesson);

  it('matches the challenge schema', () => {
    expect(loadError).toBe('');
  });

  it('has 3–6 tasks, a hidden setup, three escalating hints and a written solution per task', () => {
    expect(challenge.tasks.length).toBeGreaterThanOrEqual(3);
    expect(challenge.tasks.length).toBeLessThanOrEqual(6);
    expect(challenge.setup.length).toBeGreaterThan(0);
    for (const t of challenge.tasks) {
      expect(t.hints, `${t.id}: nudge, concept, answer`).toHaveLength(3);
      expect(t.hints[2], `${t.id}: the last hint gives commands`).toMatch(/`/);
      expect(t.solution.text.trim().length, `${t.id} needs a written solution`).toBeGreaterThan(60);
    }
  });

  it('runs on bare-node sandboxes only, on targets they have', () => {
    expect(Object.keys(SANDBOX_TARGETS)).toContain(sandbox);
    for (const s of scripts) expect(SANDBOX_TARGETS[sandbox], `${s.where} targets "${s.target}"`).toContain(s.target);
  });

  it('has a found-answer task whose check, description and solution agree on the file', () => {
    const found = challenge.tasks.filter((t) => answersRead(t.check).length > 0);
    expect(found.length, 'at least one task grades a file in ~/answers').toBeGreaterThan(0);
    for (const t of found) {
      for (const name of answersRead(t.check)) {
        expect(t.description, `${t.id} tells the learner to write ~/answers/${name}`).toContain(`~/answers/${name}`);
        expect(t.solution.script, `${t.id}'s solution writes /root/answers/${name}`).toContain(`/root/answers/${name}`);
      }
    }
  });

  it('has a break-fix task guarded by invariants, and the fault comes from setup', () => {
    expect(challenge.tasks.some((t) => t.invariants.length > 0)).toBe(true);
  });

  it('keeps to the by-hand address plan (10.100/16 pods, 10.101/16 Services; never the lab LAN pool or kind ranges)', () => {
    for (const s of scripts) {
      const code = s.script;
      expect(code, `${s.where} uses 10.200.x (LAB_SUBNET_POOL, the lab LAN itself)`).not.toMatch(/\b10\.200\.\d/);
      expect(code, `${s.where} uses kind's pod range`).not.toMatch(/\b10\.244\.\d/);
      expect(code, `${s.where} uses kind's Service range`).not.toMatch(/\b10\.96\.\d/);
    }
  });

  it("never flushes the nat table (Docker's DNS rules for the lab live there)", () => {
    for (const s of scripts) expect(codeOnly(s.script), s.where).not.toMatch(/iptables\s+-t\s+nat\s+-F\s*($|[;&|])/m);
  });

  it.each(scripts.filter((s) => s.kind === 'check' || s.kind === 'invariant').map((s) => [s.where, s] as const))('%s is read-only', (_where, s) => {
    const code = codeOnly(s.script);
    for (const m of MUTATING) expect(code, `${s.where} looks like it runs: ${m.what}`).not.toMatch(m.re);
  });

  it.each(scripts.map((s) => [s.where, s] as const))('%s parses as bash', (_where, s) => {
    const r = bashParses(s.script);
    expect(r.ok, r.output).toBe(true);
  });

  it.skipIf(!haveShellcheck).each(scripts.map((s) => [s.where, s] as const))('%s is shellcheck-clean', (_where, s) => {
    const r = shellcheck(s.script);
    expect(r.ok, r.output).toBe(true);
  });
});

describe('the read-only rules', () => {
  // The detector must catch the usual suspects, or the read-only test above proves nothing.
  it.each([
    'ip link add v0 type veth peer name v1',
    'ip -n pod-a route add default via 10.100.1.1',
    'iptables -t nat -A POSTROUTING -j MASQUERADE',
    'iptables -I FORWARD 1 -j ACCEPT',
    'sysctl -qw net.ipv4.ip_forward=1',
    'conntrack -D -d 10.101.0.10',
    'echo x > /root/answers/veth',
    'rm -f /var/lib/cni/networks/lab/10.100.6.12',
    'setsid -f socat TCP-LISTEN:80,fork SYSTEM:true',
  ])('flags %s', (line) => {
    expect(MUTATING.some((m) => m.re.test(codeOnly(line)))).toBe(true);
  });

  it.each([
    'ip -n pod-a -o -4 addr show dev eth0',
    'ip route get 10.100.2.2',
    'iptables -t nat -S LAB-SERVICES',
    'iptables -L FORWARD -v -n',
    'curl -s -m 1 -o /dev/null http://10.101.0.10/ 2>&1',
    'no "nothing listens on 8080 > expected" "x" "y"',
  ])('lets %s through', (line) => {
    expect(MUTATING.some((m) => m.re.test(codeOnly(line)))).toBe(false);
  });
});
