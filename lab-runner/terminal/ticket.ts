// Terminal tickets: what a browser shows the gateway to open one terminal.
// Format: base64url(JSON payload) "." base64url(HMAC-SHA256(key, first part)).
// Short-lived (60 s), bound to learner + lab + target, and single use (the nonce is consumed on accept).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const TICKET_TTL_MS = 60_000;

const payloadSchema = z.strictObject({
  /** Version, so the format can change without old tickets being misread. */
  v: z.literal(1),
  learner: z.string().min(1).max(128),
  lab: z.string().min(1).max(128),
  target: z.string().min(1).max(64),
  /** Expiry, ms since epoch. */
  exp: z.number().int().positive(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});
export type TicketPayload = z.infer<typeof payloadSchema>;
export type TicketClaims = Pick<TicketPayload, 'learner' | 'lab' | 'target'>;

export type TicketCheck = { ok: true; payload: TicketPayload } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'replayed'; message: string };

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

export function issueTicket(key: Buffer, claims: TicketClaims, now = Date.now(), ttlMs = TICKET_TTL_MS): { ticket: string; expiresAt: number } {
  const payload: TicketPayload = { v: 1, ...claims, exp: now + ttlMs, nonce: randomBytes(16).toString('base64url') };
  const body = Buffer.from(JSON.stringify(payloadSchema.parse(payload)), 'utf8').toString('base64url');
  return { ticket: `${body}.${sign(key, body)}`, expiresAt: payload.exp };
}

/** Checks the signature and expiry only. Single use is the NonceStore's job (see verifyAndConsume). */
export function verifyTicket(key: Buffer, ticket: string, now = Date.now()): TicketCheck {
  if (ticket.length > 2048) return { ok: false, reason: 'malformed', message: 'ticket is too long' };
  const parts = ticket.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed', message: 'ticket is not "<payload>.<signature>"' };
  const [body, sig] = parts as [string, string];
  const given = Buffer.from(sig, 'utf8');
  const expected = Buffer.from(sign(key, body), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature', message: 'ticket signature does not match' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', message: 'ticket payload is not JSON' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed', message: 'ticket payload has the wrong shape' };
  if (parsed.data.exp <= now) return { ok: false, reason: 'expired', message: 'ticket has expired; ask for a new one' };
  return { ok: true, payload: parsed.data };
}

/**
 * Remembers used nonces until their ticket would have expired anyway.
 * In memory: correct for the single-process server. Several gateway processes behind a load balancer
 * need a shared store (e.g. SQLite or Redis SET NX with TTL), or a ticket could be used once per process.
 */
export class NonceStore {
  readonly #used = new Map<string, number>();
  #lastSweep = 0;

  /** True the first time a nonce is seen; false on replay. */
  consume(nonce: string, exp: number, now = Date.now()): boolean {
    this.#sweep(now);
    if (this.#used.has(nonce)) return false;
    this.#used.set(nonce, exp);
    return true;
  }

  get size(): number {
    return this.#used.size;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 5_000) return;
    this.#lastSweep = now;
    for (const [nonce, exp] of this.#used) if (exp <= now) this.#used.delete(nonce);
  }
}

export function verifyAndConsume(key: Buffer, nonces: NonceStore, ticket: string, now = Date.now()): TicketCheck {
  const check = verifyTicket(key, ticket, now);
  if (!check.ok) return check;
  if (!nonces.consume(check.payload.nonce, check.payload.exp, now)) {
    return { ok: false, reason: 'replayed', message: 'ticket was already used; ask for a new one' };
  }
  return check;
}
