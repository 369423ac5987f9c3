// packetwalk's HTTP server: owns the Node http.Server so WebSocket upgrades can be routed — /api/terminal to
// the terminal gateway, everything else to Next (dev-mode HMR) — and builds the lab platform once per process.
//   npm start    NODE_ENV=production node server.ts   (runs `next build` first when there is no build yet)
//   npm run dev  node --watch-path=server.ts --watch-path=lab-runner server.ts
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import next from 'next';
import type { Platform } from './lab-runner/platform.ts';
import { ConfigError, loadConfig } from './lib/config.ts';
import type { Config } from './lib/config.ts';
import { createLogger, setLogLevel } from './lib/log.ts';
import { setPlatform, setPlatformUnavailable } from './app/_server/platform-handle.ts';
import { refuseOversizedBody } from './lib/http/refuse-oversized-body.ts';
import { AddressSet } from './lib/net/cidr.ts';
import { CLIENT_ADDRESS_HEADER, clientAddress } from './lib/net/client-address.ts';
import { dropUntrustedForwarding } from './lib/net/forwarded-headers.ts';
import { proxySetupWarning } from './lib/net/proxy-setup-warning.ts';
import { firstPageLearner } from './lib/learner/first-page-learner.ts';

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const TERMINAL_PATH = '/api/terminal';
/** SIGTERM ends the process within this long whatever it is doing (terminals and pool labs are cleaned up first when they can be). */
const SHUTDOWN_GRACE_MS = 4_000;
const log = createLogger('server');

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nFix the variables above (see lib/config.ts for every setting) and start again.\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** `npm start` on a fresh clone: build first, with the build's own output visible. */
function ensureProductionBuild(): void {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (fs.existsSync(path.join(distDir, 'BUILD_ID'))) return;
  log.info('no production build found: running "next build" first', { distDir });
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) {
    process.stderr.write(`"next build" failed (exit ${result.status ?? result.signal}): fix the errors above, then run "npm start" again.\n`);
    process.exit(1);
  }
}

/** The lab platform needs Docker; without it the site still serves every lesson and labs explain why they cannot start. */
async function startPlatform(config: Config): Promise<Platform | undefined> {
  try {
    const { createPlatform } = await import('./lab-runner/platform.ts');
    const platform = await createPlatform(config);
    setPlatform(platform);
    setPlatformUnavailable(undefined);
    await platform.start();
    log.info('lab platform started');
    return platform;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    setPlatform(undefined);
    setPlatformUnavailable(reason);
    log.warn('labs are unavailable; lessons are still served', { reason });
    return undefined;
  }
}

function listen(server: http.Server, config: Config): Promise<void> {
  return new Promise((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        process.stderr.write(`Port ${config.PORT} on ${config.HOST} is already in use: stop the other process or set PORT=<another port>.\n`);
      } else if (err.code === 'EACCES') {
        process.stderr.write(`Not allowed to listen on ${config.HOST}:${config.PORT}: choose PORT above 1024 or run with the needed rights.\n`);
      } else if (err.code === 'EADDRNOTAVAIL') {
        process.stderr.write(`HOST=${config.HOST} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its addresses.\n`);
      } else {
        process.stderr.write(`Cannot listen on ${config.HOST}:${config.PORT}: ${err.message}\n`);
      }
      process.exit(1);
    });
    server.listen(config.PORT, config.HOST, resolve);
  });
}

function refuseUpgrade(socket: Duplex, status: number, text: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

async function main(): Promise<void> {
  const config = readConfig();
  setLogLevel(config.LOG_LEVEL);
  const proxyWarning = proxySetupWarning(config);
  if (proxyWarning) log.warn(proxyWarning);
  const dev = process.env.NODE_ENV !== 'production';
  if (!dev) ensureProductionBuild();

  // Next attaches its own 'upgrade' listener to whatever server it is given (or finds on the first request).
  // Give it a decoy so that every upgrade is routed here, once, and /api/terminal never reaches Next.
  const decoy = new EventEmitter() as unknown as http.Server;
  const app = next({ dev, hostname: config.HOST, port: config.PORT, httpServer: decoy });
  const nextRequest = app.getRequestHandler();

  let ready: () => void = () => {};
  const whenReady = new Promise<void>((resolve) => (ready = resolve));

  const trusted = new AddressSet(config.TRUSTED_PROXY);
  const server = http.createServer((req, res) => {
    // Before Next sees the request: a body too big for any route is refused unread, and the client's address
    // (TRUSTED_PROXY-aware) is stamped for route handlers, replacing whatever the client wrote in that header.
    if (refuseOversizedBody(req, res)) return;
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);
    dropUntrustedForwarding(req, trusted);
    // A new visitor's learner id comes with the first page, so the page's own requests all carry one learner.
    const learner = firstPageLearner(req, config);
    if (learner) {
      req.headers.cookie = learner.cookieHeader;
      res.appendHeader('set-cookie', learner.setCookie);
    }
    whenReady.then(
      () => nextRequest(req, res),
      () => undefined,
    );
  });

  // The terminal gateway's hook: set once the platform is up; until then terminal upgrades get 503.
  let terminalUpgrade: UpgradeHandler | undefined;
  let unavailableReason = 'the lab platform is still starting';
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    dropUntrustedForwarding(req, trusted); // the terminal's Origin check reads X-Forwarded-Host
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === TERMINAL_PATH || pathname?.startsWith(`${TERMINAL_PATH}/`)) {
      if (terminalUpgrade) terminalUpgrade(req, socket, head);
      else refuseUpgrade(socket, 503, 'Service Unavailable', `Terminals are unavailable: ${unavailableReason}\n`);
      return;
    }
    // Next's router-level handler serves dev HMR (/_next/hmr…); getUpgradeHandler() is the documented fallback.
    // Next leaves upgrades it does not handle open (for a custom WS server): nothing else listens here, so
    // those get a 404 instead of hanging. (This site configures no rewrites that proxy WebSockets.)
    void whenReady.then(async () => {
      const routerUpgrade = (app as unknown as { upgradeHandler?: (...a: Parameters<UpgradeHandler>) => unknown }).upgradeHandler;
      try {
        await (routerUpgrade ?? app.getUpgradeHandler())(req, socket, head);
      } finally {
        if (!socket.destroyed && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0 && !pathname?.startsWith('/_next/')) {
          refuseUpgrade(socket, 404, 'Not Found', `No WebSocket endpoint at ${pathname}\n`);
        }
      }
    });
  });

  // Signals are handled from the start: a stop during Next's preparation or the platform's start is still clean.
  const platformStart: { promise?: Promise<Platform | undefined> } = {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.warn('shutdown took too long; exiting now', { afterMs: SHUTDOWN_GRACE_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close();
    server.closeIdleConnections();
    try {
      await (await platformStart.promise)?.close();
    } catch (err) {
      log.warn('platform did not close cleanly', { error: err instanceof Error ? err.message : String(err) });
    }
    await app.close().catch(() => undefined);
    server.closeAllConnections();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await listen(server, config);
  log.info(`packetwalk listening on http://${config.HOST}:${config.PORT}`, { mode: dev ? 'development' : 'production' });

  await app.prepare();
  ready();
  log.info('site ready');

  platformStart.promise = startPlatform(config);
  const platform = await platformStart.promise;
  if (stopping) return;
  if (platform) {
    terminalUpgrade = (req, socket, head) => {
      if (!platform.terminals.handleUpgrade(req, socket, head)) refuseUpgrade(socket, 404, 'Not Found', 'No such terminal endpoint\n');
    };
  } else {
    unavailableReason = 'labs could not start on this server (see the server log)';
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`packetwalk failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
