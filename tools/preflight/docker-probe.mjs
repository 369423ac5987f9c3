// Asks an engine endpoint "are you a Docker engine?" (GET /_ping, then /version) with plain node:http, so it works
// before `npm install` and on old Node. Returns what happened; docker-diagnosis.mjs turns it into advice.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { socketPathOf } from './docker-endpoint.mjs';

const TIMEOUT_MS = 4000;

/**
 * @typedef {{ ok: true, serverVersion: string, apiVersion: string, os?: string, rootDir?: string }
 *   | { ok: false, code: string, message: string }} ProbeResult
 */

function requestOptions(endpoint, urlPath) {
  const socketPath = socketPathOf(endpoint.host);
  if (socketPath) return { transport: http, options: { socketPath, path: urlPath } };
  const m = /^(?:tcp|http|https):\/\/\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(endpoint.host);
  if (!m) return undefined;
  const tls = endpoint.tls && (endpoint.tls.verify || endpoint.tls.certPath);
  const read = (f) =>
    endpoint.tls?.certPath && fs.existsSync(path.join(endpoint.tls.certPath, f)) ? fs.readFileSync(path.join(endpoint.tls.certPath, f)) : undefined;
  return {
    transport: tls ? https : http,
    options: {
      host: m[1],
      port: Number(m[2] ?? (tls ? 2376 : 2375)),
      path: urlPath,
      ...(tls ? { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), rejectUnauthorized: endpoint.tls.verify } : {}),
    },
  };
}

/** GET on the engine API: { ok: true, status, headers, body } or { ok: false, code, message }. */
export function engineGet(endpoint, urlPath) {
  const req = requestOptions(endpoint, urlPath);
  if (!req) return Promise.resolve({ ok: false, code: 'BADHOST', message: `cannot read DOCKER_HOST=${endpoint.host}` });
  return new Promise((resolve) => {
    const r = req.transport.get({ ...req.options, timeout: TIMEOUT_MS, headers: { Host: 'docker' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    r.on('timeout', () => r.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    r.on('error', (e) => resolve({ ok: false, code: e.code ?? 'ERROR', message: e.message }));
  });
}

/** @returns {Promise<ProbeResult>} */
export async function probeEngine(endpoint) {
  if (endpoint.host.startsWith('ssh://')) return probeOverSsh(endpoint);
  const ping = await engineGet(endpoint, '/_ping');
  if (!ping.ok) return ping;
  if (ping.status !== 200 || !ping.headers['api-version']) {
    return { ok: false, code: 'NOTDOCKER', message: `HTTP ${ping.status} ${ping.body.slice(0, 120).trim()}` };
  }
  const version = await engineGet(endpoint, '/version');
  const info = await engineGet(endpoint, '/info');
  const v = version.ok ? safeJson(version.body) : undefined;
  const i = info.ok ? safeJson(info.body) : undefined;
  return {
    ok: true,
    serverVersion: v?.Version ?? '?',
    apiVersion: v?.ApiVersion ?? String(ping.headers['api-version']),
    os: i?.OperatingSystem,
    rootDir: i?.DockerRootDir,
  };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** ssh:// engines: the Docker CLI does the SSH (the lab runner's client does too, through ssh2 after npm install). */
function probeOverSsh(endpoint) {
  const r = spawnSync('docker', ['-H', endpoint.host, 'version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.error) return { ok: false, code: 'NOSSHCHECK', message: 'the docker CLI is needed to check an ssh:// engine before npm install' };
  if (r.status !== 0) return { ok: false, code: 'SSHFAILED', message: (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}` };
  const [serverVersion = '?', apiVersion = '?'] = r.stdout.trim().split(' ');
  return { ok: true, serverVersion, apiVersion };
}

/** Is there anything at the socket path: a socket, a dangling link (Docker Desktop stopped), or nothing? */
export function socketState(socketPath) {
  try {
    const st = fs.lstatSync(socketPath);
    if (st.isSymbolicLink()) {
      const target = fs.readlinkSync(socketPath);
      return fs.existsSync(socketPath) ? { kind: 'socket', target } : { kind: 'dangling-link', target };
    }
    return st.isSocket() ? { kind: 'socket' } : { kind: 'other' };
  } catch {
    return { kind: 'absent' };
  }
}
