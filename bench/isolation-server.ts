// Child process of bench/isolation.ts: the real lab platform (lab engine, terminal gateway, grader) with two real
// labs, serving terminals on loopback, alone in its process so the parent can watch its descriptors and CPU.
// Only Next is missing: the attacks measured here go through the terminal gateway.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config.ts';
import { deriveKey, getSessionSecret } from '../lib/learner/session-secret.ts';
import { setLogLevel } from '../lib/log.ts';
import { createPlatform } from '../lab-runner/platform.ts';

setLogLevel('error');
const dataDir = mkdtempSync(path.join(tmpdir(), 'pw-bench-isolation-'));
const config = loadConfig({
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  WARM_POOL: 'nodes-2=0',
  BUILD_IMAGES_ON_START: 'false',
  LOG_LEVEL: 'error',
  LAB_HARD_EXPIRY: '30m',
});
const platform = await createPlatform(config);
await platform.start();
const template = process.env.BENCH_TEMPLATE ?? 'nodes-1';
const attacker = await platform.labs.create({ template, learnerId: 'bench-attacker-0000000' });
const neighbour = await platform.labs.create({ template, learnerId: 'bench-neighbour-000000' });

const server = http.createServer((_q, r) => r.writeHead(404).end());
server.on('upgrade', (req, socket, head) => {
  if (!platform.terminals.handleUpgrade(req, socket, head)) socket.destroy();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;

async function close(): Promise<void> {
  server.closeAllConnections();
  server.close();
  for (const lab of [attacker, neighbour]) await platform.labs.destroy(lab.id, 'bench over').catch(() => undefined);
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') {
    process.send!({ type: 'stats', rss: process.memoryUsage().rss, gateway: platform.terminals.stats() });
  } else if (m.type === 'close') {
    void close().then(() => process.exit(0));
  }
});

process.send!({
  type: 'ready',
  wsBase: `ws://127.0.0.1:${port}${platform.terminals.path}`,
  origin: `http://127.0.0.1:${port}`,
  ticketKey: deriveKey(getSessionSecret(config), 'terminal-ticket').toString('hex'),
  attacker: { lab: attacker.id, learner: attacker.learnerId, target: attacker.targets[0]!.name },
  neighbour: { lab: neighbour.id, learner: neighbour.learnerId, target: neighbour.targets[0]!.name },
});
