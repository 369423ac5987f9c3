// Runs a node-side check with fake node tools (crictl, ip, nsenter, iptables-save, nft, kubectl…) that print
// canned, realistic output, plus a scratch answers directory. This exercises the parsing in found-answer checks:
// the right answer passes, a wrong one fails with a FAIL line, a missing one fails — all without a node.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * `date` and `sleep` for checks that wait: the clock jumps 10 s per call and sleep returns at once, so a check's
 * `retry N` or grace period gives up after a few rounds instead of waiting for real.
 */
export const FAKE_CLOCK = {
  date: 'f="$(dirname "$0")/.t"; t=$(cat "$f" 2>/dev/null || echo 1700000000); echo $((t + 10)) > "$f"; echo "$t"',
  sleep: 'exit 0',
};

/** A `crictl` with one pod sandbox, as `crictl pods --label app=<app> -q` and `crictl inspectp <id>` print it. */
export function crictlWithSandbox(sandbox: { app: string; id: string; ip: string; pid: number; netns: string }): string {
  const { app, id, ip, pid, netns } = sandbox;
  return String.raw`case "$*" in
  *"pods --label app=${app}"*) echo ${id} ;;
  *"inspectp ${id}"*) cat <<'EOF'
{
  "status": {
    "id": "${id}",
    "state": "SANDBOX_READY",
    "network": {
      "additionalIps": [],
      "ip": "${ip}"
    }
  },
  "info": {
    "pid": ${pid},
    "runtimeSpec": {
      "linux": {
        "namespaces": [
          { "type": "pid" },
          { "type": "ipc", "path": "/proc/${pid}/ns/ipc" },
          { "type": "network", "path": "${netns}" }
        ]
      }
    }
  }
}
EOF
  ;;
esac`;
}

export interface NodeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `tools` maps a command name to the body of a bash script that prints its output (it sees the arguments as "$*").
 * `answers` maps answer names to file contents (written under PW_ANSWERS_DIR).
 */
export function runOnFakeNode(script: string, tools: Record<string, string>, answers: Record<string, string> = {}): NodeRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'pw-kind-node-'));
  try {
    const bin = path.join(dir, 'bin');
    const answersDir = path.join(dir, 'answers');
    mkdirSync(bin, { recursive: true });
    mkdirSync(answersDir, { recursive: true });
    mkdirSync(path.join(dir, 'home'), { recursive: true });
    // Network tools that must never run for real in a unit test.
    const inert = { curl: 'exit 7', ping: 'exit 1', dig: 'exit 9' };
    for (const [name, body] of Object.entries({ ...inert, ...tools })) {
      writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    }
    for (const [name, content] of Object.entries(answers)) writeFileSync(path.join(answersDir, name), content);
    const r = spawnSync('bash', ['-s'], {
      input: script,
      encoding: 'utf8',
      timeout: 20_000,
      // A clean environment: nothing from the test runner leaks into the script.
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: path.join(dir, 'home'), PW_ANSWERS_DIR: answersDir, LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
