// The anonymous learner id travels in a signed cookie: "<id>.<base64url HMAC-SHA256(id)>".
// httpOnly (scripts never see it), SameSite=Lax (not sent on cross-site subrequests), one year.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const LEARNER_COOKIE = 'pw_learner';
const MAX_AGE_SECONDS = 365 * 24 * 3600;
const LEARNER_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function isLearnerId(value: string): boolean {
  return LEARNER_ID.test(value);
}

export function newLearnerId(): string {
  return randomBytes(16).toString('base64url');
}

function mac(key: Buffer, id: string): string {
  return createHmac('sha256', key).update(id).digest('base64url');
}

export function signLearnerCookie(key: Buffer, learnerId: string): string {
  return `${learnerId}.${mac(key, learnerId)}`;
}

/** The learner id in a cookie value, or undefined when it is malformed or its signature does not match. */
export function verifyLearnerCookie(key: Buffer, value: string): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = value.slice(0, dot);
  if (!isLearnerId(id)) return undefined;
  const given = Buffer.from(value.slice(dot + 1), 'utf8');
  const expected = Buffer.from(mac(key, id), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return id;
}

/** One cookie's value from a Cookie header (RFC 6265 pairs separated by "; "). */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function serializeLearnerCookie(value: string, opts: { secure: boolean }): string {
  const parts = [`${LEARNER_COOKIE}=${encodeURIComponent(value)}`, 'Path=/', `Max-Age=${MAX_AGE_SECONDS}`, 'HttpOnly', 'SameSite=Lax'];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
