// The kind CLI, where it is on PATH (.ci/kind-cli.sh fetches the pinned release into the cache, and .ci/run and the
// kind workflow put it there). The lab-runner never runs kind; these tests run it to check that a user's kind
// works on the clusters packetwalk makes. Without it they skip and say why.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { KIND_RELEASE } from '../../../course/sandbox/kind/node-images.ts';

const probe = spawnSync('kind', ['version'], { encoding: 'utf8' });

/** "kind v0.33.0 go1.27.2 linux/amd64", or undefined without a kind CLI. */
export const kindCliVersion: string | undefined = probe.status === 0 ? probe.stdout.trim() : undefined;

export const KIND_CLI_MISSING = `no kind CLI on PATH (.ci/kind-cli.sh fetches kind ${KIND_RELEASE}, the release packetwalk pins)`;

const run = promisify(execFile);

/** Runs kind with args; rejects with its stderr when it fails. */
export async function kindCli(args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    return (await run('kind', args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`kind ${args.join(' ')} failed: ${err.stderr?.trim() || err.message}`);
  }
}

/** Non-empty output lines, sorted. */
export const lines = (out: string) =>
  out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
