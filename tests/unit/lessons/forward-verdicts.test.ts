// Checks in network-policy-by-hand and troubleshooting-by-hand judge FORWARD rules by meaning: a bash function,
// verdicts, reads `iptables -S` and says what the chain would do with the first packet of a new connection (pods that
// do not exist yet included). The same function is pasted into every script that needs it (a check runs alone);
// here every copy is held identical and run against canned rule sets, so a near miss cannot slip through a
// misread option.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BY_HAND_LESSONS, loadChallenge, scriptsOf } from './by-hand-lessons.ts';

/** Every by-hand lesson; copies() keeps the scripts that define verdicts() (today network-policy- and troubleshooting-by-hand). */
const LESSONS = BY_HAND_LESSONS;

function copies(): { where: string; fn: string }[] {
  const out: { where: string; fn: string }[] = [];
  for (const l of LESSONS)
    for (const s of scriptsOf(loadChallenge(l))) {
      const m = /^verdicts\(\) \{\n[\s\S]*?\n\}\n/m.exec(s.script);
      if (m) out.push({ where: `${l} ${s.where}`, fn: m[0] });
    }
  return out;
}

/** verdicts over a fake `iptables -S` that prints `rules`. */
function verdicts(fn: string, rules: string, packets: string[]): string[] {
  const script = `iptables() { cat <<'RULES'\n${rules.trim()}\nRULES\n}\n${fn}\nverdicts "${packets.join(';')}"\n`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } as unknown as NodeJS.ProcessEnv });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n');
}

const BASE = `-P INPUT ACCEPT
-P FORWARD DROP
-P OUTPUT ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`;
const FRONTEND_8080 = '10.100.1.10 10.100.1.20 v-frontend v-backend tcp 8080';
const FRONTEND_9090 = '10.100.1.10 10.100.1.20 v-frontend v-backend tcp 9090';
const NEW_POD_8080 = '10.100.1.11 10.100.1.20 v-new v-backend tcp 8080';
const PING = '10.100.1.10 10.100.1.20 v-frontend v-backend icmp -';

describe('verdicts: FORWARD rules read as decisions on new connections', () => {
  const all = copies();
  const fn = all[0]?.fn ?? '';

  it('is pasted identically wherever it is used (network policy: 3 scripts, troubleshooting: 3)', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const c of all) expect(c.fn, c.where).toBe(fn);
  });

  it.each([
    ['the policy when nothing matches', '', [FRONTEND_8080], ['DROP']],
    ['an ESTABLISHED,RELATED accept does not take new connections', '', [FRONTEND_9090], ['DROP']],
    ['a bare accept takes everything', '-A FORWARD -j ACCEPT', [FRONTEND_8080, PING], ['ACCEPT', 'ACCEPT']],
    [
      'a /27 source covers a new pod next to frontend',
      '-A FORWARD -s 10.100.1.0/27 -p tcp -m tcp --dport 8080 -j ACCEPT',
      [FRONTEND_8080, NEW_POD_8080, FRONTEND_9090],
      ['ACCEPT', 'ACCEPT', 'DROP'],
    ],
    [
      'a /32 source and a port',
      '-A FORWARD -s 10.100.1.10/32 -d 10.100.1.20/32 -p tcp -m tcp --dport 8080 -j ACCEPT',
      [FRONTEND_8080, NEW_POD_8080, FRONTEND_9090, PING],
      ['ACCEPT', 'DROP', 'DROP', 'DROP'],
    ],
    [
      'interfaces and a + wildcard',
      '-A FORWARD -i v-front+ -o v-backend -p tcp -m multiport --dports 80,8000:8100 -j ACCEPT',
      [FRONTEND_8080, NEW_POD_8080, FRONTEND_9090],
      ['ACCEPT', 'DROP', 'DROP'],
    ],
    ['negation', '-A FORWARD ! -s 10.100.1.10/32 -p tcp -j ACCEPT', [FRONTEND_8080, NEW_POD_8080], ['DROP', 'ACCEPT']],
    ['a --ctstate NEW accept', '-A FORWARD -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT', [FRONTEND_8080], ['ACCEPT']],
    [
      'a comment with spaces does not confuse the reader',
      '-A FORWARD -s 10.100.1.10/32 -m comment --comment "allow -j ACCEPT to all" -p tcp --dport 8080 -j ACCEPT',
      [FRONTEND_8080, NEW_POD_8080],
      ['ACCEPT', 'DROP'],
    ],
    [
      'a user chain: allow-list, then DROP; later FORWARD rules are never reached',
      `-N POL
-A POL -s 10.100.1.10/32 -p tcp -m tcp --dport 8080 -j ACCEPT
-A POL -j DROP
-A FORWARD -o v-backend -j POL
-A FORWARD -j ACCEPT`,
      [FRONTEND_8080, NEW_POD_8080, '10.100.1.10 10.100.1.60 v-frontend v-ledger tcp 8080'],
      ['ACCEPT', 'DROP', 'ACCEPT'],
    ],
    [
      'RETURN goes back to the caller',
      `-N POL
-A POL -p udp -j RETURN
-A POL -j DROP
-A FORWARD -o v-backend -j POL
-A FORWARD -j ACCEPT`,
      [FRONTEND_8080, '10.100.1.10 10.100.1.20 v-frontend v-backend udp 53'],
      ['DROP', 'ACCEPT'],
    ],
    ['REJECT counts as a drop', '-A FORWARD -p tcp -j REJECT --reject-with tcp-reset\n-A FORWARD -j ACCEPT', [FRONTEND_8080, PING], ['DROP', 'ACCEPT']],
    [
      'an option it does not know makes an ACCEPT match (errs towards accepted)',
      '-A FORWARD -m set --match-set trusted src -j ACCEPT',
      [NEW_POD_8080],
      ['ACCEPT'],
    ],
    ['an option it does not know makes a DROP not match', '-A FORWARD -m set --match-set bad src -j DROP\n-A FORWARD -j ACCEPT', [NEW_POD_8080], ['ACCEPT']],
  ])('%s', (_name, rules, packets, want) => {
    expect(verdicts(fn, `${BASE}\n${rules}`, packets)).toEqual(want);
  });
});
