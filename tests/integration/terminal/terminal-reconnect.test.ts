// A dropped socket re-attaches to the same shell and gets its screen back; shells end after the grace period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../../lab-runner/wire/terminal-protocol.ts';
import { PROMPT, startTerminalHarness, type TerminalHarness } from './terminal-harness.ts';

let h: TerminalHarness;
beforeAll(async () => {
  h = await startTerminalHarness({ graceMs: 3000 });
});
afterAll(async () => {
  await h?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shellsIn = async (target: string) => Number((await h.sh(target, 'grep -lsa "PW_TERMINAL=" /proc/[0-9]*/environ | grep -v self | wc -l')).trim());

describe('terminal reconnect', () => {
  it('restores the prompt, earlier output and output produced while away after a forced socket close', async () => {
    const first = await h.connect({ render: true, cols: 90, rows: 20 });
    await first.waitFor(PROMPT);
    first.type('cd /tmp && echo before-drop-$((40+2))\r');
    await first.waitFor('before-drop-42');
    first.type('sleep 0.7; echo while-away-$((3*3))\r');
    await sleep(100);
    first.drop();
    await sleep(1200);

    const second = await h.connect({ render: true, cols: 90, rows: 20 });
    const ready = await second.waitForMessage('ready');
    expect(ready).toMatchObject({ resumed: true });
    await second.waitForMessage('replay-end');
    await second.settle();
    const screen = second.screenLines();
    expect(screen.some((l) => l.endsWith('echo before-drop-$((40+2))'))).toBe(true);
    expect(screen).toContain('before-drop-42');
    expect(screen).toContain('while-away-9');
    expect(screen.at(-1)).toMatch(/:\/tmp# $/);
    // Same shell: its working directory survived.
    second.type('pwd\r');
    await second.waitFor('/tmp\r\n');
    second.dispose();
    first.dispose();
  });

  it('restores a full-screen program on the alternate screen', async () => {
    const first = await h.connect({ render: true, claims: { target: 'node2' } });
    await first.waitFor(PROMPT);
    // A tiny full-screen "program": switch to the alternate screen, draw, wait for input.
    // (The marker is assembled by printf so the echoed command line never matches it.)
    first.type("printf '\\033[?1049h\\033[H\\033[2JFULLSCREEN-%s\\n' APP; read x; printf '\\033[?1049l'\r");
    await first.waitFor('FULLSCREEN-APP');
    first.drop();
    const second = await h.connect({ render: true, claims: { target: 'node2' } });
    await second.waitForMessage('replay-end');
    await second.settle();
    expect(second.screen!.buffer.active.type).toBe('alternate');
    expect(second.screenLines()[0]).toBe('FULLSCREEN-APP');
    second.type('\r');
    await second.waitFor(PROMPT);
    await second.settle();
    expect(second.screen!.buffer.active.type).toBe('normal');
    second.dispose();
  });

  it('hands the shell to the newest window and tells the old one not to reconnect', async () => {
    const a = await h.connect({ claims: { target: 'node2' } });
    await a.waitForMessage('ready');
    const b = await h.connect({ claims: { target: 'node2' } });
    await b.waitForMessage('ready');
    expect(await a.closed).toBe(CloseCode.takenOver);
    expect(a.messages.at(-1)).toMatchObject({ type: 'error' });
    b.type('echo still-$((0+1))-here\r');
    await b.waitFor('still-1-here');
    b.dispose();
  });

  it('ends the shell (and what it started) once the grace period passes without a browser', async () => {
    const c = await h.connect({ claims: { target: 'node1' } });
    await c.waitFor(PROMPT);
    c.type('sleep 1000 &\r');
    await c.waitFor(PROMPT);
    expect(await shellsIn('node1')).toBeGreaterThanOrEqual(2);
    c.drop();
    await sleep(4500);
    expect(h.gateway.stats().sessions).toBe(0);
    expect(await shellsIn('node1')).toBe(0);
    const fresh = await h.connect({ claims: { target: 'node1' } });
    expect(await fresh.waitForMessage('ready')).toMatchObject({ resumed: false });
    fresh.dispose();
  });

  it('reports the exit code when the shell exits', async () => {
    const c = await h.connect({ claims: { target: 'node2' } });
    await c.waitFor(PROMPT);
    c.type('exit 3\r');
    expect(await c.closed).toBe(CloseCode.exited);
    expect(c.messages.at(-1)).toEqual({ type: 'exit', code: 3 });
  });

  it('closes terminals of a lab that is reset (the typed reset event); a new one opens on the fresh lab', async () => {
    const c = await h.connect({ claims: { target: 'node1' } });
    await c.waitForMessage('ready');
    h.emit({ type: 'reset', labId: h.labId });
    expect(await c.closed).toBe(CloseCode.labGone);
    const again = await h.connect({ claims: { target: 'node1' } });
    expect(await again.waitForMessage('ready')).toMatchObject({ resumed: false });
    again.dispose();
  });

  it('closes terminals of a lab that is destroyed', async () => {
    const c = await h.connect({ claims: { target: 'node1' } });
    await c.waitForMessage('ready');
    h.emit({ type: 'state', labId: h.labId, state: 'destroyed' });
    expect(await c.closed).toBe(CloseCode.labGone);
    await expect(h.connect({ claims: { target: 'node1' } })).rejects.toMatchObject({ status: 404 });
  });
});
