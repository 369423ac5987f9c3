// Who may open a terminal: tickets (signature, expiry, single use, binding) and Origin, checked before upgrading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { issueTicket } from '../../../lab-runner/terminal/ticket.ts';
import { TerminalClient } from '../../../lab-runner/terminal/terminal-client.ts';
import { LEARNER_A, LEARNER_B, PROMPT, startTerminalHarness, type TerminalHarness } from './terminal-harness.ts';

let h: TerminalHarness;
beforeAll(async () => {
  h = await startTerminalHarness();
});
afterAll(async () => {
  await h?.close();
});

const open = (ticket: string, extra = '', origin?: string) =>
  TerminalClient.connect({ url: `${h.wsBase}?ticket=${encodeURIComponent(ticket)}${extra}`, origin: origin ?? h.origin });

describe('terminal authentication', () => {
  it('accepts a fresh ticket from the site origin', async () => {
    const c = await open(h.ticket());
    await c.waitFor(PROMPT);
    c.dispose();
  });

  it('refuses a forged ticket (401)', async () => {
    const forged = issueTicket(randomBytes(32), { learner: LEARNER_A, lab: h.labId, target: 'node1' }).ticket;
    await expect(open(forged)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('signature') });
  });

  it('refuses an expired ticket (401)', async () => {
    const old = issueTicket(h.ticketKey, { learner: LEARNER_A, lab: h.labId, target: 'node1' }, Date.now() - 61_000).ticket;
    await expect(open(old)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('expired') });
  });

  it('refuses a replayed ticket (401)', async () => {
    const t = h.ticket({ target: 'node2' });
    const first = await open(t);
    await first.waitForMessage('ready');
    await expect(open(t)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('already used') });
    // The first terminal is unaffected by the refused replay.
    first.type('echo ok-$((1+1))\r');
    await first.waitFor('ok-2');
    first.dispose();
  });

  it('refuses a ticket for a lab the learner does not own (403)', async () => {
    const crossLab = issueTicket(h.ticketKey, { learner: LEARNER_A, lab: h.otherLabId, target: 'node1' }).ticket;
    await expect(open(crossLab)).rejects.toMatchObject({ status: 403 });
  });

  it('refuses a ticket presented for a different lab or target than it names (403)', async () => {
    await expect(open(h.ticket(), `&lab=${h.otherLabId}`)).rejects.toMatchObject({ status: 403 });
    await expect(open(h.ticket(), '&target=node2')).rejects.toMatchObject({ status: 403 });
    // Learner B's own ticket for their lab works: the refusals above are about binding, not the lab.
    const own = await open(issueTicket(h.ticketKey, { learner: LEARNER_B, lab: h.otherLabId, target: 'node1' }).ticket, `&lab=${h.otherLabId}`);
    await own.waitForMessage('ready');
    own.dispose();
  });

  it('refuses unknown labs and targets (404) and missing tickets (401)', async () => {
    await expect(open(h.ticket({ lab: 'no-such-lab' }))).rejects.toMatchObject({ status: 404 });
    await expect(open(h.ticket({ target: 'node9' }))).rejects.toMatchObject({ status: 404 });
    await expect(TerminalClient.connect({ url: h.wsBase, origin: h.origin })).rejects.toMatchObject({ status: 401 });
  });

  it('refuses other origins (403) even with a valid ticket, without spending the ticket', async () => {
    const t = h.ticket();
    await expect(open(t, '', 'https://evil.example')).rejects.toMatchObject({ status: 403 });
    await expect(open(t, '', 'null')).rejects.toMatchObject({ status: 403 });
    const c = await open(t);
    await c.waitForMessage('ready');
    c.dispose();
  });
});
