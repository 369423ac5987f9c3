// Runs `npm run up`'s pre-flight (tools/packetwalk.mjs) as a new user would meet it: its own process, a chosen Node
// binary and a made-up environment (PATH, DOCKER_HOST, cache directory).
import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../../..');

export interface PreflightRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runPreflight(args: string[], env: Record<string, string | undefined>, node = process.execPath, wrap: string[] = []): Promise<PreflightRun> {
  return new Promise((resolve, reject) => {
    const [cmd, ...pre] = wrap.length ? wrap : [node];
    const child = spawn(cmd!, [...pre, ...(wrap.length ? [node] : []), path.join(REPO, 'tools/packetwalk.mjs'), ...args], {
      cwd: REPO,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A minimal environment: nothing from the test runner's own (no DOCKER_HOST, no CI cache) unless given. */
export function cleanEnv(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  return { HOME: process.env.HOME, PATH: process.env.PATH, LANG: 'C.UTF-8', ...extra };
}
