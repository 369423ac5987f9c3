// A setup step that declares artefacts gets them on its target before its script runs, and a lab whose artefact
// cannot be had fails setup with the artefact's name and the command to run, without running the step at all.
// The exec is a real bash on this machine rooted in a scratch directory, so the install command itself is exercised.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArtefactSource } from '../../../lab-runner/artefacts/artefact-store.ts';
import type { Artefact } from '../../../course/artefacts/artefact-manifest.ts';
import { ArtefactMissingError } from '../../../lab-runner/errors.ts';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { LabExec } from '../../../lab-runner/grader/check-runner.ts';
import { runSetup } from '../../../lab-runner/grader/setup-runner.ts';

const CONTENT = Buffer.from('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n');
const ARTEFACT: Artefact = {
  name: 'gateway-api-standard',
  version: 'v1.4.0',
  url: 'https://example.invalid/standard-install.yaml',
  fileName: 'gateway-api-v1.4.0-standard-install.yaml',
  maxBytes: 1024 * 1024,
  trust: 'pinned',
  sha256: createHash('sha256').update(CONTENT).digest('hex'),
};

const challenge = (() => {
  const r = parseChallenge(
    [
      'setup:',
      '  - target: jumpbox',
      '    artefacts: [gateway-api-standard]',
      '    script: |',
      '      test -r /opt/packetwalk/artefacts/gateway-api-v1.4.0-standard-install.yaml',
      '      echo step-ran',
      'tasks:',
      '  - {id: t, title: T, description: d, target: jumpbox, check: "true", solution: {text: s, script: "true"}}',
    ].join('\n'),
    'challenge.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.challenge;
})();

let root = '';
const calls: { target: string; cmd: string[] }[] = [];
// Runs the command with bash, with absolute paths under /opt/packetwalk redirected into the scratch root.
const exec: LabExec = async (_lab, target, opts) => {
  calls.push({ target, cmd: opts.cmd });
  const script = opts.cmd[0] === 'sh' ? opts.cmd[2]! : String(opts.stdin);
  const input = opts.cmd[0] === 'sh' ? opts.stdin : undefined;
  const r = spawnSync('bash', ['-c', script.replaceAll('/opt/packetwalk', `${root}/opt/packetwalk`)], { input, encoding: 'utf8' });
  return { exitCode: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, durationMs: 1, timedOut: false, truncated: false };
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'pw-setup-artefacts-'));
  calls.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('setup steps with artefacts', () => {
  it("writes the artefact on the step's target before the step runs", async () => {
    const source: ArtefactSource = { read: async () => ({ artefact: ARTEFACT, content: CONTENT }) };
    const r = await runSetup(exec, 'lab-1', challenge, { artefacts: source });
    expect(r.ok, r.error).toBe(true);
    expect(calls.map((c) => c.target)).toEqual(['jumpbox', 'jumpbox']);
    expect(calls[0]!.cmd.join(' ')).toContain('/opt/packetwalk/artefacts/gateway-api-v1.4.0-standard-install.yaml');
    expect(readFileSync(path.join(root, 'opt/packetwalk/artefacts', ARTEFACT.fileName)).equals(CONTENT)).toBe(true);
    expect(r.steps[0]!.stdout).toContain('step-ran');
  });

  it('fails with the artefact and the command to run when it is missing, and never runs the step', async () => {
    const offline: ArtefactSource = {
      read: async (name) => {
        throw new ArtefactMissingError(name, 'https://example.invalid: getaddrinfo ENOTFOUND');
      },
    };
    const r = await runSetup(exec, 'lab-1', challenge, { artefacts: offline });
    expect(r.ok).toBe(false);
    expect(r.error).toContain('gateway-api-standard');
    expect(r.error).toContain('npm run images -- --pull');
    expect(calls).toEqual([]);
  });

  it('fails clearly when the runner was given no artefact store', async () => {
    const r = await runSetup(exec, 'lab-1', challenge);
    expect(r.ok).toBe(false);
    expect(r.error).toContain('no artefact store');
  });

  it('rejects an unknown artefact name when the challenge is loaded', () => {
    const r = parseChallenge(
      'setup:\n  - {target: jumpbox, artefacts: [calico-v9], script: "true"}\ntasks:\n  - {id: t, title: T, description: d, target: jumpbox, check: "true", solution: {text: s, script: "true"}}\n',
      'c.yaml',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message).join('\n')).toContain('unknown artefact "calico-v9"');
  });
});
