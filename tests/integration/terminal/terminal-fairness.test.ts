// Every per-terminal action is bounded (#22, #13 items 6 and 8), on real shells through the real gateway:
// resize floods are coalesced into a few Docker calls (the latest size wins), a socket that sends more than any
// browser would is closed with 4429 while its shell lives on, junk upgrades from one address never lock out a
// valid ticket from the same address (a class behind one NAT), and the server's terminal count has a ceiling.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../../lab-runner/wire/terminal-protocol.ts';
import { OVER_BUDGET_COOLDOWN_MS, RESIZE_INTERVAL_MS } from '../../../lab-runner/terminal/terminal-session.ts';
import { PROMPT, startTerminalHarness, type TerminalHarness } from './terminal-harness.ts';

/** A raw upgrade request; resolves with the HTTP status the gateway answered (101 when it upgraded). */
function upgradeStatus(h: TerminalHarness, ticket: string): Promise<number> {
  const url = new URL(h.wsBase);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: `${url.pathname}?ticket=${encodeURIComponent(ticket)}`,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        Origin: h.origin,
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('resize floods', () => {
  let h: TerminalHarness;
  beforeAll(async () => {
    // A budget no test below exhausts, to see the coalescing on its own.
    h = await startTerminalHarness({ budgets: { resizePerSecond: 100_000, resizeBurst: 100_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('1,000 resize messages in a second become a handful of Docker calls, and the last size wins', async () => {
    const t = await h.connect({ claims: { target: 'node1' } });
    await t.waitForMessage('ready');
    await t.waitFor(PROMPT);
    const before = h.dockerResizes.count;
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      t.resize(60 + (i % 100), 20 + (i % 30));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 50));
    }
    t.resize(123, 45);
    const seconds = (performance.now() - started) / 1000;
    // Typed right after the flood: waits for the last size to reach the PTY, then sees it.
    t.clearText();
    t.type('stty size\r');
    await t.waitFor('45 123');
    const calls = h.dockerResizes.count - before;
    // At most one call per RESIZE_INTERVAL_MS while the flood lasted, plus the first and the last.
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / RESIZE_INTERVAL_MS) + 3);
    expect(h.gateway.stats().dockerCallsPeak).toBeLessThanOrEqual(32);
    t.dispose();
  });
});

describe('per-socket budgets and server-wide ceilings', () => {
  let h: TerminalHarness;
  beforeAll(async () => {
    h = await startTerminalHarness({ maxSessions: 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a socket that floods resizes is closed with 4429; its shell lives on and a reconnect gets it back', async () => {
    const t = await h.connect({ claims: { target: 'node1' } });
    await t.waitForMessage('ready');
    t.type('export MARK=still-$((6*7))\r');
    await t.waitFor(PROMPT);
    for (let i = 0; i < 500; i++) t.resize(80 + (i % 50), 24);
    expect(await t.closed).toBe(CloseCode.overBudget);
    expect(t.messages).toContainEqual({ type: 'error', message: 'Too many resize messages from this terminal.' });
    // Coming straight back to flood again is refused for a while (cheaply, before any replay is built).
    expect(await upgradeStatus(h, h.ticket({ target: 'node1' }))).toBe(429);
    await new Promise((r) => setTimeout(r, OVER_BUDGET_COOLDOWN_MS));
    const again = await h.connect({ claims: { target: 'node1' } });
    expect(await again.waitForMessage('ready')).toMatchObject({ resumed: true });
    again.clearText();
    again.type('echo $MARK\r');
    await again.waitFor('still-42');
    again.dispose();
  });

  it('a second shell beyond TERMINAL_MAX_SESSIONS is refused with 503, not opened', async () => {
    // node1's shell from the test above is still there (grace period): the server holds its one session.
    expect(await upgradeStatus(h, h.ticket({ target: 'node2' }))).toBe(503);
  });
});

describe('upgrade limits never lock out honest learners', () => {
  let h: TerminalHarness;
  beforeAll(async () => {
    h = await startTerminalHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('600 junk upgrades from one address get 429 in the end, yet a valid ticket from the same address connects', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 600; i += 20) {
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => upgradeStatus(h, `junk-${i + j}.AAAA`)))));
    }
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(-100).every((s) => s === 429)).toBe(true);
    const t = await h.connect({ claims: { target: 'node2' } });
    await t.waitForMessage('ready');
    t.type('echo ok-$((40+2))\r');
    await t.waitFor('ok-42');
    t.dispose();
  });
});
