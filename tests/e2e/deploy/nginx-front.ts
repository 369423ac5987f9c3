// nginx in front of packetwalk exactly as docs/deploy/nginx.conf says, run as a plain child process with its own
// config, pid, logs and temp directories (never the system service): the docs' file is loaded as it is, and only
// its host-specific values (ports, certificate paths, the upstream) are substituted.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const DOCS_NGINX_CONF = path.resolve('docs/deploy/nginx.conf');

/** The nginx binary, or undefined when none is installed (Debian puts it in /usr/sbin, often outside PATH). */
export function findNginx(): string | undefined {
  for (const candidate of ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx']) {
    if (spawnSync(candidate, ['-v'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  return undefined;
}

export interface NginxFrontOptions {
  nginx: string;
  dir: string;
  httpsPort: number;
  httpPort: number;
  upstream: string;
  cert: string;
  key: string;
}

/** The docs' config with this machine's values in place of the example's; throws if the docs stopped naming one. */
export function siteConfig(o: Pick<NginxFrontOptions, 'httpsPort' | 'httpPort' | 'upstream' | 'cert' | 'key'>): string {
  const substitutions: [string, string][] = [
    ['listen 443 ssl;', `listen 127.0.0.1:${o.httpsPort} ssl;`],
    ['listen 80;', `listen 127.0.0.1:${o.httpPort};`],
    ['/etc/letsencrypt/live/labs.example.org/fullchain.pem', o.cert],
    ['/etc/letsencrypt/live/labs.example.org/privkey.pem', o.key],
    ['proxy_pass http://127.0.0.1:3000;', `proxy_pass http://${o.upstream};`],
  ];
  let text = fs.readFileSync(DOCS_NGINX_CONF, 'utf8');
  for (const [from, to] of substitutions) {
    if (!text.includes(from)) throw new Error(`${DOCS_NGINX_CONF} no longer contains "${from}": update the test's substitutions with the docs`);
    text = text.split(from).join(to);
  }
  return text;
}

export class NginxFront {
  readonly #child: ChildProcess;
  #output = '';
  readonly errorLog: string;

  private constructor(child: ChildProcess, errorLog: string) {
    this.#child = child;
    this.errorLog = errorLog;
    child.stdout!.on('data', (d) => (this.#output += d));
    child.stderr!.on('data', (d) => (this.#output += d));
  }

  static async start(o: NginxFrontOptions): Promise<NginxFront> {
    // Started as root, nginx's workers run as nobody: they must be able to reach their temp directories.
    fs.chmodSync(o.dir, 0o755);
    const site = path.join(o.dir, 'packetwalk.conf');
    fs.writeFileSync(site, siteConfig(o));
    const errorLog = path.join(o.dir, 'error.log');
    const main = [
      'daemon off;',
      'worker_processes 1;',
      `pid ${path.join(o.dir, 'nginx.pid')};`,
      `error_log ${errorLog} info;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${path.join(o.dir, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(o.dir, `${t}_temp`)};`),
      `  include ${site};`,
      '}',
    ].join('\n');
    const conf = path.join(o.dir, 'nginx.conf');
    fs.writeFileSync(conf, main);
    const test = spawnSync(o.nginx, ['-t', '-p', o.dir, '-e', errorLog, '-c', conf], { encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`nginx refuses the docs' config:\n${test.stderr}`);
    const front = new NginxFront(spawn(o.nginx, ['-p', o.dir, '-e', errorLog, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] }), errorLog);
    await front.#waitForPort(o.httpsPort);
    return front;
  }

  async #waitForPort(port: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) throw new Error(`nginx exited (${this.#child.exitCode}): ${this.#output}${this.log()}`);
      const open = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
        s.on('error', () => resolve(false));
      });
      if (open) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nginx did not listen on ${port} within 15 s: ${this.#output}${this.log()}`);
  }

  log(): string {
    return fs.existsSync(this.errorLog) ? fs.readFileSync(this.errorLog, 'utf8') : '';
  }

  /** Fast shutdown; resolves when the master (and so its workers) has exited. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
