// Runs a node-side check with fake node tools (crictl, ip, nsenter, iptables-save, nft, kubectl…) that print
// canned, realistic output, plus a scratch answers directory. This exercises the parsing in found-answer checks:
// the right answer passes, a wrong one fails with a FAIL line, a missing one fails — all without a node.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

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
