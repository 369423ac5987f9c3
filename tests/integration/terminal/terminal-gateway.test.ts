// The terminal gateway against real shells in real containers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { TerminalClient } from '../../../lab-runner/terminal/terminal-client.ts';
import { DEFAULT_FLOW_LIMITS } from '../../../lab-runner/terminal/flow-control.ts';
import { PROMPT, startTerminalHarness, type TerminalHarness } from './terminal-harness.ts';

let h: TerminalHarness;
beforeAll(async () => {
  h = await startTerminalHarness({ maxPayloadBytes: 64 * 1024 });
});
afterAll(async () => {
  await h?.close();
});

async function shell(opts: Parameters<TerminalHarness['connect']>[0] = {}): Promise<TerminalClient> {
  const c = await h.connect(opts);
  await c.waitFor(PROMPT);
  return c;
}

describe('terminal gateway with a real lab', () => {
  it('echoes typed commands through a real shell', async () => {
    const c = await shell();
    const ready = c.messages.find((m) => m.type === 'ready');
    expect(ready).toMatchObject({ type: 'ready', resumed: false, target: 'node1' });
    c.type('echo pw-$((6*7)) && hostname\r');
    await c.waitFor(/pw-42\r\nnode1\r\n/);
    c.type('echo "ünï ✓ $LANG"\r');
    await c.waitFor('ünï ✓ C.UTF-8');
    expect(h.touches).toContain(h.labId);
    c.dispose();
  });

  it('follows browser resizes with the PTY size (stty size)', async () => {
    const c = await shell({ cols: 100, rows: 30, claims: { target: 'node2' } });
    c.type('stty size\r');
    await c.waitFor('30 100');
    c.resize(132, 43);
    c.clearText();
    c.type('stty size\r');
    await c.waitFor('43 132');
    c.resize(9999, 0);
    c.clearText();
    // Out-of-range sizes are clamped rather than passed to the kernel.
    c.type('stty size\r');
    await c.waitFor('1 500');
    c.dispose();
  });

  it('delivers 20 MB of output intact while server-side buffering stays bounded', async () => {
    const expected = (await h.sh('node1', 'head -c 15000000 /dev/urandom | base64 -w 76 > /tmp/big && sha256sum < /tmp/big && wc -c < /tmp/big')).split(/\s+/);
    expect(Number(expected[2])).toBeGreaterThanOrEqual(20_000_000);
    const chunks: Buffer[] = [];
    let maxBacklog = 0;
    const c = await shell({ cols: 200, keepOutput: false, onData: (chunk) => chunks.push(chunk) });
    const sampler = setInterval(() => {
      const s = h.gateway.stats();
      maxBacklog = Math.max(maxBacklog, s.mirrorBacklogBytes);
    }, 5);
    c.type("printf '\\x3c\\x3cSTART\\x3e\\x3e\\n'; cat /tmp/big; printf '\\x3c\\x3cEND\\x3e\\x3e\\n'\r");
    await c.waitFor('<<END>>', 120_000);
    clearInterval(sampler);
    const all = Buffer.concat(chunks).toString('latin1');
    const body = all.slice(all.indexOf('<<START>>\r\n') + '<<START>>\r\n'.length, all.indexOf('<<END>>'));
    const text = body.replaceAll('\r\n', '\n');
    expect(text.length).toBe(Number(expected[2]));
    expect(createHash('sha256').update(text, 'latin1').digest('hex')).toBe(expected[0]);
    // The screen mirror never holds more than its high watermark plus one read from the exec stream.
    expect(maxBacklog).toBeLessThanOrEqual(DEFAULT_FLOW_LIMITS.mirrorHigh + 1024 * 1024);
    c.dispose();
  });

  it('stops sending to a browser that does not ack, and Ctrl-C still stops `yes` at once', async () => {
    const c = await shell({ noAck: true, keepOutput: false, claims: { target: 'node2' } });
    c.type('yes\r');
    // Wait until output stops arriving: the gateway has filled the window and paused the shell.
    let stalledAt = -1;
    for (let i = 0; i < 100 && c.receivedBytes !== stalledAt; i++) {
      stalledAt = c.receivedBytes;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(c.receivedBytes).toBe(stalledAt);
    expect(stalledAt).toBeGreaterThan(DEFAULT_FLOW_LIMITS.unackedHigh / 2);
    expect(stalledAt).toBeLessThanOrEqual(DEFAULT_FLOW_LIMITS.unackedHigh + 256 * 1024);
    expect(h.gateway.stats().paused).toBeGreaterThanOrEqual(1);
    // Ctrl-C reaches the program even while its output is held back; the browser then catches up and the
    // prompt follows a bounded tail (what was already in flight plus the PTY's buffer).
    c.type('\x03');
    await new Promise((r) => setTimeout(r, 200));
    c.acking = true;
    await c.waitFor(/\^C\r\n(\x1b\[\?2004h)?[^\r\n]*[#$] $/, 20_000);
    expect(c.receivedBytes - stalledAt).toBeLessThan(4 * 1024 * 1024);
    c.dispose();
  });
  it('wakes a lab paused for idleness when the learner types', async () => {
    const c = await h.connect({ claims: { target: 'node1' } });
    await c.waitForMessage('ready');
    await h.pause(h.labId);
    c.clearText();
    c.type('echo awake-$((2+2))\r');
    await c.waitFor('awake-4', 20_000);
    expect(h.resumes).toContain(h.labId);
    c.dispose();
  });
});
