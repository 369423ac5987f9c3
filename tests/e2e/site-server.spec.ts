// server.ts as an operator meets it: clear failures on a taken port or bad configuration, WebSocket upgrades
// routed (terminal path answered, never left hanging), and dev-mode HMR working through the custom server.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';

const PORT = Number(process.env.E2E_PORT ?? 3100);

/** Send a raw upgrade request and return the status line of whatever comes back (or "closed"). */
function rawUpgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.setTimeout(10_000, () => reject(new Error(`no answer to an upgrade on ${path} within 10 s`)));
    req.on('response', (res) => {
      resolve(`HTTP ${res.statusCode}`);
      res.resume();
    });
    req.on('upgrade', (res, socket) => {
      resolve(`HTTP ${res.statusCode}`);
      socket.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve('closed') : reject(err)));
    req.on('close', () => resolve('closed'));
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test('a second server on a taken port says so and exits 1', () => {
  const run = spawnSync(process.execPath, ['server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT), HOST: '127.0.0.1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`Port ${PORT} on 127.0.0.1 is already in use: stop the other process or set PORT=`);
});

test('bad configuration is refused with the variable, the reason and exit 1', () => {
  const run = spawnSync(process.execPath, ['server.ts'], { env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'loud' }, encoding: 'utf8', timeout: 30_000 });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('PORT: PORT must be a whole number (got "eighty")');
  expect(run.stderr).toContain('LOG_LEVEL: LOG_LEVEL must be one of debug, info, warn, error');
});

test('WebSocket upgrades are answered: the terminal path by the gateway, unknown paths with 404, none left hanging', async () => {
  // Without a ticket the terminal gateway refuses (401/403), or the server answers 503 when labs are unavailable.
  expect(await rawUpgrade(PORT, '/api/terminal')).toMatch(/^HTTP (401|403|503)$/);
  // Next closes upgrades on its own routes; anything else gets a 404 from server.ts.
  expect(await rawUpgrade(PORT, '/some/page')).toMatch(/^(HTTP 404|closed)$/);
  expect(await rawUpgrade(PORT, '/')).toMatch(/^(HTTP 404|closed)$/);
});

test.describe('development mode', () => {
  let dev: ChildProcess | undefined;
  // The dev server starts the lab platform (and its warm pool): give it a store of its own, not the checkout's data/,
  // so that whatever labs it leaves are found and removed by its store id below.
  let dataDir = '';
  test.beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-e2e-dev-'));
  });
  test.afterEach(async () => {
    if (dev && dev.exitCode === null && dev.signalCode === null) {
      const exited = new Promise((resolve) => dev!.once('exit', resolve));
      dev.kill('SIGTERM');
      await exited;
    }
    const cleanup = spawnSync(process.execPath, ['tests/e2e/remove-store-labs.ts', dataDir], { encoding: 'utf8', timeout: 120_000 });
    expect(cleanup.status, cleanup.stderr).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('HMR connects through the custom server, and SIGTERM shuts it down cleanly', async () => {
    test.setTimeout(180_000);
    const port = await freePort();
    let output = '';
    dev = spawn(process.execPath, ['server.ts'], {
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1', DATA_DIR: dataDir },
    });
    dev.stdout!.on('data', (d) => (output += d));
    dev.stderr!.on('data', (d) => (output += d));
    await expect.poll(() => output, { timeout: 120_000 }).toContain('site ready');

    const ws = new WebSocket(`ws://127.0.0.1:${port}/_next/hmr?id=e2e`, { headers: { Origin: `http://127.0.0.1:${port}` } });
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
      setTimeout(() => reject(new Error(`no HMR message; server output:\n${output}`)), 60_000);
    });
    ws.close();
    expect(first.length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => dev!.once('exit', (code) => resolve(code)));
    dev.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down signal=SIGTERM');
  });
});
