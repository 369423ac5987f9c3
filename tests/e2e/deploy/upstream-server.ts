// The production server (node server.ts) as the upstream of a rehearsal's nginx: started with the spec's settings,
// ready once its lab platform has started, stopped with SIGTERM; and the labs of its store removed afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { expect } from '@playwright/test';

export interface UpstreamServer {
  /** Everything it printed so far (stdout and stderr), for assertions and for a failed test's attachment. */
  output(): string;
  /** SIGTERM, then waits for the exit; resolves at once when it already ended. */
  stop(): Promise<void>;
}

export async function startUpstreamServer(env: Record<string, string>): Promise<UpstreamServer> {
  const child = spawn(process.execPath, ['server.ts'], { env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', ...env } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const server: UpstreamServer = {
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  await expect
    .poll(() => output, { timeout: 150_000, message: 'the server starts its lab platform' })
    .toMatch(/lab platform started|labs are unavailable|failed to start/);
  expect(output, 'the rehearsal needs labs (Docker)').toContain('lab platform started');
  return server;
}

/** Learners' labs outlive the server by design: removes this store's. */
export function removeStoreLabs(dataDir: string): void {
  const cleanup = spawnSync(process.execPath, ['tests/e2e/remove-store-labs.ts', dataDir], { encoding: 'utf8', timeout: 120_000 });
  if (cleanup.status !== 0) throw new Error(`lab cleanup failed: ${cleanup.stderr}`);
}
