// troubleshooting-by-hand's hidden setup draws three backend addresses at random. A draw that hits an address the
// lab already uses (the DNS pod's 10.100.1.53) made `wire` add the same /32 route twice: "RTNETLINK answers: File
// exists", and the learner's lab start failed (about 3.4 % of fresh labs). Here the real setup script runs against
// fake node tools that keep the routes and addresses it adds and refuse a duplicate as the kernel does, once for
// every third rotation of the draw's domain, so each possible backend address is drawn in one run or another;
// the domain itself is checked against every address the lab reserves, which covers all draws.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadChallenge } from './by-hand-lessons.ts';

const LESSON = 'content/06-troubleshooting/01-troubleshooting-by-hand';

// Fake node tools (bash functions): see the file's header.
const FAKE_TOOLS = readFileSync(path.join(import.meta.dirname, 'troubleshooting-fake-tools.sh'), 'utf8');

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

interface Draw {
  status: number;
  stderr: string;
  pods: Map<string, string>;
}

/**
 * The setup as written (its absolute paths moved under a scratch root), once per PW_DRAW in `draws`, each in its own
 * subshell of one bash process. Returns the result of each draw and the domains shuf was asked to draw from.
 */
function runSetup(draws: number[]): { runs: Map<number, Draw>; domains: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'pw-ts-setup-'));
  roots.push(root);
  const setup = loadChallenge(LESSON)
    .setup.map((s) => s.script)
    .join('\n');
  const moved = setup.replaceAll('/root/answers', `${root}/root/answers`).replaceAll('/srv/', `${root}/srv/`).replaceAll('/etc/netns', `${root}/etc/netns`);
  const script = `${FAKE_TOOLS}
for PW_DRAW in ${draws.join(' ')}; do
  ( exec 2> "$ROOT/stderr-$PW_DRAW"
${moved}
pw_dump_pods
  ); echo "END $PW_DRAW $?"
done`;
  const r = spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: '/usr/bin:/bin', ROOT: root, LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv,
  });
  const runs = new Map<number, Draw>();
  let pods = new Map<string, string>();
  for (const line of (r.stdout ?? '').split('\n')) {
    const pod = /^POD (\S+) (\S+)$/.exec(line);
    if (pod) pods.set(pod[1]!, pod[2]!);
    const end = /^END (\d+) (\d+)$/.exec(line);
    if (end) {
      const k = Number(end[1]);
      runs.set(k, { status: Number(end[2]), stderr: readFileSync(path.join(root, `stderr-${k}`), 'utf8'), pods });
      pods = new Map();
    }
  }
  let domains: string[] = [];
  try {
    domains = readFileSync(path.join(root, 'shuf-domains'), 'utf8').trim().split('\n');
  } catch {
    /* no draw made */
  }
  return { runs, domains };
}

describe('troubleshooting-by-hand setup: backend address draws', () => {
  const first = runSetup([0]);
  // The first draw is the backend addresses (shuf's first call), over this domain.
  const hostDomain = (first.domains[0] ?? '').split(' ').filter(Boolean).map(Number);

  it('draws the backend addresses from a domain without any address the lab already uses', () => {
    expect(first.runs.get(0)?.status, first.runs.get(0)?.stderr).toBe(0);
    expect(hostDomain.length).toBeGreaterThanOrEqual(3);
    const reserved = [1, 53, 54, 101, 102, 103]; // node end, DNS pod, the dns fault's dead nameserver, the clients
    for (const r of reserved) expect(hostDomain, `10.100.1.${r} can be drawn`).not.toContain(r);
  });

  it('the invariants\' made-up pods ("a new pod") use addresses no draw can give a real one', () => {
    // A made-up address inside the draw's domain is a real backend in some labs: its "new pod" probe then tests
    // that backend's own allow rule and fails a right answer (seen in lab verify at about 3 % of runs).
    const made = new Set<number>();
    for (const t of loadChallenge(LESSON).tasks)
      for (const inv of t.invariants) for (const m of inv.check.matchAll(/a new pod \(10\.100\.1\.(\d+)\)/g)) made.add(Number(m[1]));
    expect(made.size).toBeGreaterThan(0);
    for (const a of made) expect(hostDomain, `10.100.1.${a} can be a backend`).not.toContain(a);
    for (const a of made) expect([1, 53, 54, 101, 102, 103], `10.100.1.${a} is a pod of the lab`).not.toContain(a);
  });

  it('starts cleanly whichever addresses are drawn: every address of the domain in one run or another', () => {
    // Rotation k draws domain[k], domain[k+1], domain[k+2]: every third rotation covers each address once.
    const draws: number[] = [];
    for (let k = 0; k < Math.max(hostDomain.length, 89); k += 3) draws.push(k);
    const { runs } = runSetup(draws);
    expect(runs.size).toBe(draws.length);
    const failures: string[] = [];
    for (const [k, r] of runs) {
      if (r.status !== 0) {
        failures.push(`draw ${k}: exit ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
        continue;
      }
      const addrs = [...r.pods.values()];
      if (new Set(addrs).size !== addrs.length) failures.push(`draw ${k}: two pods share an address: ${[...r.pods].join(', ')}`);
      if (r.pods.size !== 7) failures.push(`draw ${k}: ${r.pods.size} pods, expected dns + 3 backends + 3 clients`);
      if (addrs.includes('10.100.1.54')) failures.push(`draw ${k}: a pod has 10.100.1.54, where the dns fault points resolvers`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
