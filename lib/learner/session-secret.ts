// The one secret behind learner cookies and terminal tickets.
// SESSION_SECRET wins; otherwise a random secret is generated once and kept in DATA_DIR/secret (mode 0600),
// so cookies survive restarts on a single machine without any setup.
import { randomBytes, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { createLogger } from '../log.ts';

const log = createLogger('learner');
// Route handlers are bundled separately from server.ts: share the cache through globalThis so both see one secret.
const KEY = Symbol.for('packetwalk.session-secret');
type Holder = { [KEY]?: Map<string, Buffer> };

function cache(): Map<string, Buffer> {
  const g = globalThis as Holder;
  return (g[KEY] ??= new Map());
}

function readOrCreateSecretFile(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret');
  try {
    return parseSecretFile(file, readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // "wx": if two processes race, exactly one writes and the other reads the winner's secret.
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    log.info('generated session secret', { file });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseSecretFile(file, readFileSync(file, 'utf8'));
}

function parseSecretFile(file: string, text: string): Buffer {
  const value = text.trim();
  if (value.length < 32) {
    throw new Error(`${file} holds a session secret shorter than 32 characters. Delete the file to generate a new one, or set SESSION_SECRET.`);
  }
  return Buffer.from(value, 'utf8');
}

/** The raw session secret for this configuration (cached per DATA_DIR / SESSION_SECRET). */
export function getSessionSecret(config: Pick<Config, 'SESSION_SECRET' | 'DATA_DIR'> = loadConfig()): Buffer {
  const cacheKey = config.SESSION_SECRET ? `env:${config.SESSION_SECRET}` : `dir:${path.resolve(config.DATA_DIR)}`;
  const hit = cache().get(cacheKey);
  if (hit) return hit;
  const secret = config.SESSION_SECRET ? Buffer.from(config.SESSION_SECRET, 'utf8') : readOrCreateSecretFile(config.DATA_DIR);
  cache().set(cacheKey, secret);
  return secret;
}

/**
 * A key for one purpose, derived from the session secret, so a learner cookie can never
 * be replayed as a terminal ticket signature (or the other way round).
 */
export function deriveKey(secret: Buffer, purpose: 'learner-cookie' | 'terminal-ticket' | 'account-session'): Buffer {
  return createHmac('sha256', secret).update(`packetwalk:${purpose}`).digest();
}
