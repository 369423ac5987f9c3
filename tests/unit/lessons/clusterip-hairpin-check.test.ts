// The hairpin task of "A ClusterIP by hand" (issue #21): its check must see the learner's own 0x4000 mark on the
// Service's path. Setup's LAB-SEP chains already set that mark for the other Services, so a check that greps the whole
// nat table for it passes before the learner marks anything. Run here against a pretend node (stubbed iptables, ip
// and curl) so the rule is pinned without a lab; `npm run lab -- verify` proves the same check on a real one.
import { describe, expect, it } from 'vitest';
import { loadChallenge } from './by-hand-lessons.ts';
import { IPTABLES_S_STUB, runWithStubs } from '../_lib/stubbed-check.ts';

const hairpin = loadChallenge('content/03-services/01-a-clusterip-by-hand').tasks.find((t) => t.id === 'hairpin')!;

/** What setup leaves in the nat table (two Services under LAB-*, their endpoint chains marking 0x4000) plus task 1's SVC-WEB. */
const SETUP_AND_TASK1 = `-P PREROUTING ACCEPT
-P INPUT ACCEPT
-P OUTPUT ACCEPT
-P POSTROUTING ACCEPT
-N LAB-SEP-API1
-N LAB-SEP-API2
-N LAB-SERVICES
-N LAB-SVC-API
-N SVC-WEB
-A PREROUTING -m comment --comment "lab service portals" -j LAB-SERVICES
-A PREROUTING -d 10.101.0.10/32 -p tcp -m tcp --dport 80 -j SVC-WEB
-A OUTPUT -m comment --comment "lab service portals" -j LAB-SERVICES
-A OUTPUT -d 10.101.0.10/32 -p tcp -m tcp --dport 80 -j SVC-WEB
-A LAB-SEP-API1 -s 10.100.1.31/32 -m comment --comment "shop/api:http" -j MARK --set-xmark 0x4000/0x4000
-A LAB-SEP-API1 -p tcp -m comment --comment "shop/api:http" -j DNAT --to-destination 10.100.1.31:8080
-A LAB-SEP-API2 -s 10.100.1.32/32 -m comment --comment "shop/api:http" -j MARK --set-xmark 0x4000/0x4000
-A LAB-SEP-API2 -p tcp -m comment --comment "shop/api:http" -j DNAT --to-destination 10.100.1.32:8080
-A LAB-SERVICES -d 10.101.0.30/32 -p tcp -m tcp --dport 80 -m comment --comment "shop/api:http cluster IP" -j LAB-SVC-API
-A LAB-SVC-API -m statistic --mode random --probability 0.50000000000 -j LAB-SEP-API1
-A LAB-SVC-API -j LAB-SEP-API2
`;

const FLAT_SVC_WEB = `-A SVC-WEB -p tcp -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.100.1.11:8080
-A SVC-WEB -p tcp -j DNAT --to-destination 10.100.1.12:8080
`;

const PER_ENDPOINT = (mark: string) => `-N SEP-BE1
-N SEP-BE2
-A SVC-WEB -m statistic --mode random --probability 0.50000000000 -j SEP-BE1
-A SVC-WEB -j SEP-BE2
-A SEP-BE1 -s 10.100.1.11/32 -j MARK --set-xmark ${mark}
-A SEP-BE1 -p tcp -j DNAT --to-destination 10.100.1.11:8080
-A SEP-BE2 -s 10.100.1.12/32 -j MARK --set-xmark ${mark}
-A SEP-BE2 -p tcp -j DNAT --to-destination 10.100.1.12:8080
`;

const STUBS = {
  iptables: IPTABLES_S_STUB,
  // ip netns exec NS CMD...: run CMD with the namespace in NETNS, which the curl stub reads.
  ip: 'if [ "$1 $2" = "netns exec" ]; then ns=$3; shift 3; NETNS=$ns exec "$@"; fi; exit 1',
  // The Service, as the pretend node answers it: backends alternate, each reply names the backend and the source it saw
  // (from $STUB_DIR/seen: lines "CALLER BACKEND SOURCE").
  curl: [
    'n=$(cat "$STUB_DIR/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$STUB_DIR/count"',
    'be=be-$((n % 2 + 1))',
    'src=$(awk -v c="$NETNS" -v b="$be" \'$1 == c && $2 == b {print $3}\' "$STUB_DIR/seen")',
    '[ -n "$src" ] || exit 28',
    'echo "$be $src"',
  ].join('\n'),
};

/** Hairpin works for both backends and only a caller's requests to itself are masqueraded (each backend sees node1's
 * 10.100.1.1 when it called itself, and the other backend's own address otherwise). */
const SELECTIVE = 'be-1 be-1 10.100.1.1\nbe-1 be-2 10.100.1.11\nbe-2 be-2 10.100.1.1\nbe-2 be-1 10.100.1.12\n';

function check(nat: string, seen = SELECTIVE) {
  return runWithStubs(hairpin.check, STUBS, { 'nat.rules': nat, seen });
}

describe('the hairpin check of a-clusterip-by-hand', () => {
  it("does not count setup's own 0x4000 marks: masquerading the backends by address passes no mark of the learner's", () => {
    const r = check(
      SETUP_AND_TASK1 +
        FLAT_SVC_WEB +
        '-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE\n-A POSTROUTING -s 10.100.1.11/32 -d 10.100.1.11/32 -j MASQUERADE\n',
    );
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/FAIL: no rule on 10\.101\.0\.10.s path .*sets the mark 0x4000/);
  });

  it("passes kube-proxy's layout: a mark in each endpoint chain, a masquerade on the mark", () => {
    const r = check(SETUP_AND_TASK1 + PER_ENDPOINT('0x4000/0x4000') + '-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE\n');
    expect(r.code, r.stdout).toBe(0);
  });

  it('passes the same written without masks (--set-mark 0x4000, -m mark --mark 0x4000)', () => {
    const r = check(SETUP_AND_TASK1 + PER_ENDPOINT('0x4000/0xffffffff') + '-A POSTROUTING -m mark --mark 0x4000 -j MASQUERADE\n');
    expect(r.code, r.stdout).toBe(0);
  });

  it("fails when only be-1's endpoint chain marks: be-2 calling itself still hangs", () => {
    const r = check(
      SETUP_AND_TASK1 +
        PER_ENDPOINT('0x4000/0x4000').replace('-A SEP-BE2 -s 10.100.1.12/32 -j MARK --set-xmark 0x4000/0x4000\n', '') +
        '-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE\n',
      'be-1 be-1 10.100.1.1\nbe-1 be-2 10.100.1.11\nbe-2 be-1 10.100.1.12\n',
    );
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/FAIL: request \d+ from be-2 to 10\.101\.0\.10 got no answer/);
  });

  it('fails when the masquerade matches a different mark than the one set', () => {
    const r = check(SETUP_AND_TASK1 + PER_ENDPOINT('0x8000/0x8000') + '-A POSTROUTING -m mark --mark 0x8000/0x8000 -j MASQUERADE\n');
    expect(r.code, r.stdout).toBe(1);
  });

  it("fails when be-1's requests that land on be-2 are masqueraded too (marked before the backend was chosen)", () => {
    const r = check(
      SETUP_AND_TASK1 +
        '-A SVC-WEB -s 10.100.1.11/32 -j MARK --set-xmark 0x4000/0x4000\n' +
        FLAT_SVC_WEB +
        '-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE\n',
      'be-1 be-1 10.100.1.1\nbe-1 be-2 10.100.1.1\n',
    );
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/be-2 saw/);
  });
});
