// A hostile client is cut off with a clear close code; the server and other terminals keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../../lab-runner/wire/terminal-protocol.ts';
import { startTerminalHarness, type TerminalHarness } from './terminal-harness.ts';

let h: TerminalHarness;
beforeAll(async () => {
  h = await startTerminalHarness({ maxPayloadBytes: 64 * 1024 });
});
afterAll(async () => {
  await h?.close();
});

describe('hostile terminal clients', () => {
  it.each([
    ['an oversize binary frame', (ws: WebSocket) => ws.send(Buffer.alloc(65 * 1024, 0x61), { binary: true }), CloseCode.tooBig],
    ['an oversize text frame', (ws: WebSocket) => ws.send('x'.repeat(70 * 1024)), CloseCode.tooBig],
    ['a text frame that is not JSON', (ws: WebSocket) => ws.send('hello'), CloseCode.invalidMessage],
    ['an unknown control message', (ws: WebSocket) => ws.send('{"type":"exec","container":"host"}'), CloseCode.invalidMessage],
    ['a text frame with invalid UTF-8', (ws: WebSocket) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }), 1007],
  ])('%s closes only that socket', async (_name, attack, code) => {
    // The victim's shell lives on between cases (re-attached, its prompt arrives as a replay), so wait for ready.
    const victim = await h.connect({ claims: { target: 'node2' } });
    await victim.waitForMessage('ready');
    const attacker = await h.connect({ claims: { target: 'node1' } });
    await attacker.waitForMessage('ready');
    attack(attacker.ws);
    expect(await attacker.closed).toBe(code);
    victim.clearText();
    victim.type('echo alive-$((2*21))\r');
    await victim.waitFor('alive-42');
    victim.dispose();
  });

  it('drops a raw connection that sends garbage instead of a handshake', async () => {
    const net = await import('node:net');
    const url = new URL(h.wsBase);
    const sock = net.connect(Number(url.port), url.hostname);
    await new Promise((r) => sock.once('connect', r));
    sock.write('GET /api/terminal?ticket=x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    const reply = await new Promise<string>((r) => sock.once('data', (d) => r(d.toString())));
    expect(reply).toMatch(/^HTTP\/1.1 403/);
    sock.destroy();
    const ok = await h.connect({ claims: { target: 'node1' } });
    await ok.waitForMessage('ready');
    ok.dispose();
  });
});
