import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { issueTicket, NonceStore, TICKET_TTL_MS, verifyAndConsume, verifyTicket } from '../../../lab-runner/terminal/ticket.ts';

const key = randomBytes(32);
const claims = { learner: 'learner-aaaaaaaaaaaaaaaa', lab: 'lab-1', target: 'node1' };

describe('terminal tickets', () => {
  it('verify and carry learner, lab, target and a 60 s expiry', () => {
    const now = 1_700_000_000_000;
    const { ticket, expiresAt } = issueTicket(key, claims, now);
    expect(expiresAt).toBe(now + TICKET_TTL_MS);
    const check = verifyTicket(key, ticket, now + 1000);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.payload).toMatchObject({ ...claims, exp: now + 60_000 });
  });

  it('expire', () => {
    const now = 1_700_000_000_000;
    const { ticket } = issueTicket(key, claims, now);
    expect(verifyTicket(key, ticket, now + TICKET_TTL_MS)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('are refused when signed with another key or when the payload is edited', () => {
    const { ticket } = issueTicket(key, claims);
    expect(verifyTicket(randomBytes(32), ticket)).toMatchObject({ ok: false, reason: 'bad-signature' });
    const [body, sig] = ticket.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    payload.lab = 'lab-2';
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    expect(verifyTicket(key, forged)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it.each(['', 'abc', 'a.b.c', '.sig', 'x'.repeat(5000)])('reject malformed input %#', (t) => {
    expect(verifyTicket(key, t).ok).toBe(false);
  });

  it('work exactly once', () => {
    const nonces = new NonceStore();
    const { ticket } = issueTicket(key, claims);
    expect(verifyAndConsume(key, nonces, ticket).ok).toBe(true);
    expect(verifyAndConsume(key, nonces, ticket)).toMatchObject({ ok: false, reason: 'replayed' });
    const other = issueTicket(key, claims).ticket;
    expect(verifyAndConsume(key, nonces, other).ok).toBe(true);
  });

  it('forget used nonces once their tickets have expired', () => {
    const nonces = new NonceStore();
    const now = 1_700_000_000_000;
    expect(nonces.consume('n'.repeat(16), now + 100, now)).toBe(true);
    expect(nonces.consume('m'.repeat(16), now + 100_000, now + 10)).toBe(true);
    expect(nonces.size).toBe(2);
    expect(nonces.consume('o'.repeat(16), now + 200_000, now + 10_000)).toBe(true);
    expect(nonces.size).toBe(2);
  });

  it('does not consume the nonce of a ticket that fails verification', () => {
    const nonces = new NonceStore();
    const { ticket } = issueTicket(key, claims);
    expect(verifyAndConsume(randomBytes(32), nonces, ticket).ok).toBe(false);
    expect(nonces.size).toBe(0);
  });
});
