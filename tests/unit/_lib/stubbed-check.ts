// Runs a challenge check on this machine against a pretend lab: small bash stubs stand in for the commands the check
// calls (iptables, ip, curl…), so a unit test can hold a check to what it must accept and reject without Docker.
// The stubs are written per test; the rest of the toolbox (grep, awk, sort…) is the real one.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CHECK_PREAMBLE } from '../../../lab-runner/grader/check-preamble.ts';

export interface StubbedRun {
  code: number;
  stdout: string;
}

/**
 * Runs SCRIPT with the grader's preamble, with STUBS (command name -> bash body) first on PATH and FILES (name ->
 * content) in the directory $STUB_DIR that the stubs read.
 */
export function runWithStubs(script: string, stubs: Record<string, string>, files: Record<string, string> = {}): StubbedRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'pw-stubbed-check-'));
  try {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const [name, body] of Object.entries(stubs)) {
      const file = path.join(bin, name);
      writeFileSync(file, `#!/bin/bash\n${body}\n`);
      chmodSync(file, 0o755);
    }
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const r = spawnSync('bash', ['-c', 'eval "$(cat)"'], {
      input: `${CHECK_PREAMBLE}\n${script}\n`,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, STUB_DIR: dir, LANG: 'C.UTF-8', HOME: dir },
      timeout: 30_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `iptables [-t nat] -S [CHAIN]` over the rules in $STUB_DIR/<table>.rules (iptables -S lines, -N lines included). */
export const IPTABLES_S_STUB = String.raw`
table=filter; chain=""
while [ $# -gt 0 ]; do
  case "$1" in -t) table=$2; shift 2 ;; -S) shift; [ $# -gt 0 ] && case "$1" in -*) ;; *) chain=$1; shift ;; esac ;; *) exit 2 ;; esac
done
f="$STUB_DIR/$table.rules"
[ -f "$f" ] || exit 0
if [ -z "$chain" ]; then cat "$f"; exit 0; fi
grep -qx -- "-[NP] $chain.*" "$f" || { echo "iptables: No chain/target/match by that name." >&2; exit 1; }
grep -- "^-[NP] $chain\( \|$\)" "$f"
grep -- "^-A $chain " "$f"
exit 0
`;
