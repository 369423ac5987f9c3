// The lab lifecycle API (Next route handlers, called directly) on the real platform: real lab manager,
// real containers, the real terminal gateway. Learners are told apart by their signed cookies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { setPlatform } from '../../../app/_server/platform-handle.ts';
import { createPlatform, type Platform } from '../../../lab-runner/platform.ts';
import { TerminalClient } from '../../../lab-runner/terminal/terminal-client.ts';
import { CloseCode } from '../../../lab-runner/wire/terminal-protocol.ts';
import * as labsRoute from '../../../app/api/labs/route.ts';
import * as labRoute from '../../../app/api/labs/[labId]/route.ts';
import * as resetRoute from '../../../app/api/labs/[labId]/reset/route.ts';
import * as ticketRoute from '../../../app/api/labs/[labId]/ticket/route.ts';
import type { LabView } from '../../../lab-runner/wire/lab.ts';

let platform: Platform;
let dataDir: string;
let server: http.Server;
let origin: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-lab-api-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, WARM_POOL: '', LAB_MAX_PER_LEARNER: '1', LOG_LEVEL: 'warn' });
  platform = await createPlatform(config);
  await platform.start();
  setPlatform(platform);
  server = http.createServer((_q, r) => r.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!platform.terminals.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const lab of (await platform?.labs.list()) ?? []) await platform.labs.destroy(lab.id, 'test over');
  await platform?.close();
  setPlatform(undefined);
  await new Promise<void>((r) => server?.close(() => r()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** A browser: keeps the learner cookie the server sets. */
class Browser {
  cookie = '';
  request(url: string, init: RequestInit = {}): Request {
    return new Request(new URL(url, origin), {
      ...init,
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}) },
    });
  }
  keep(res: Response): Response {
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return res;
  }
}

const params = (labId: string) => ({ params: Promise.resolve({ labId }) });

async function ndjson(res: Response): Promise<Array<{ type: string; lab?: LabView; error?: string; status?: number }>> {
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('lab API', () => {
  const alice = new Browser();
  const bob = new Browser();
  let labId: string;

  it('rejects bad bodies with 422 and a message per field', async () => {
    const res = alice.keep(await labsRoute.POST(alice.request('/api/labs', { method: 'POST', body: JSON.stringify({ sandbox: 'Nodes 2!', extra: 1 }) })));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(Object.keys(body.fields)).toEqual(expect.arrayContaining(['sandbox']));
    expect(alice.cookie).toMatch(/^pw_learner=/);
    const unknown = await labsRoute.POST(alice.request('/api/labs', { method: 'POST', body: JSON.stringify({ sandbox: 'no-such-sandbox' }) }));
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error).toMatch(/Unknown sandbox template "no-such-sandbox"/);
  });

  it('starts a lab with progress steps, and a reload finds the same lab', async () => {
    const res = await labsRoute.POST(alice.request('/api/labs', { method: 'POST', body: JSON.stringify({ sandbox: 'nodes-2' }) }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/ndjson/);
    const updates = await ndjson(res);
    const last = updates.at(-1)!;
    expect(last.lab?.state).toBe('ready');
    expect(last.lab?.targets.map((t) => t.name)).toEqual(['node1', 'node2']);
    expect(updates.some((u) => u.lab?.state === 'pending' && (u.lab.progress?.totalSteps ?? 0) > 1)).toBe(true);
    // The browser never learns container ids or names.
    expect(JSON.stringify(updates)).not.toMatch(/containerId|containerName/);
    labId = last.lab!.id;

    const found = await (await labsRoute.GET(alice.request('/api/labs?sandbox=nodes-2'))).json();
    expect(found.lab.id).toBe(labId);
    const again = await ndjson(await labsRoute.POST(alice.request('/api/labs', { method: 'POST', body: JSON.stringify({ sandbox: 'nodes-2' }) })));
    expect(again.map((u) => u.lab?.id)).toEqual([labId]);
  });

  it('keeps other learners out (403) and tells them the lab limit (429)', async () => {
    const theirs = bob.keep(await labRoute.GET(bob.request(`/api/labs/${labId}`), params(labId)));
    expect(theirs.status).toBe(403);
    expect((await ticketRoute.POST(bob.request(`/api/labs/${labId}/ticket`, { method: 'POST', body: '{"target":"node1"}' }), params(labId))).status).toBe(403);
    expect((await resetRoute.POST(bob.request(`/api/labs/${labId}/reset`, { method: 'POST' }), params(labId))).status).toBe(403);
    expect((await labRoute.DELETE(bob.request(`/api/labs/${labId}`, { method: 'DELETE' }), params(labId))).status).toBe(403);
    expect((await (await labsRoute.GET(bob.request('/api/labs?sandbox=nodes-2'))).json()).lab).toBeNull();
    // LAB_MAX_PER_LEARNER=1 here: Alice's second lab is refused with the reason.
    const second = await labsRoute.POST(alice.request('/api/labs', { method: 'POST', body: JSON.stringify({ sandbox: 'nodes-1' }) }));
    expect(second.status).toBe(429);
    expect((await second.json()).error).toMatch(/You already have 1 running lab/);
  });

  it('issues tickets that open a terminal on the named target', async () => {
    const res = await ticketRoute.POST(alice.request(`/api/labs/${labId}/ticket`, { method: 'POST', body: '{"target":"node2"}' }), params(labId));
    expect(res.status).toBe(200);
    const { path: wsPath, expiresAt } = await res.json();
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    const c = await TerminalClient.connect({ url: `${origin.replace('http', 'ws')}${wsPath}`, origin });
    c.type('hostname\r');
    await c.waitFor(/\rnode2\r\n/);
    c.dispose();
    const bad = await ticketRoute.POST(alice.request(`/api/labs/${labId}/ticket`, { method: 'POST', body: '{"target":"node7"}' }), params(labId));
    expect(bad.status).toBe(404);
    const noBody = await ticketRoute.POST(alice.request(`/api/labs/${labId}/ticket`, { method: 'POST', body: '{}' }), params(labId));
    expect(noBody.status).toBe(422);
  });

  it('reset gives fresh nodes and closes terminals on the old ones', async () => {
    const { path: wsPath } = await (
      await ticketRoute.POST(alice.request(`/api/labs/${labId}/ticket`, { method: 'POST', body: '{"target":"node1"}' }), params(labId))
    ).json();
    const c = await TerminalClient.connect({ url: `${origin.replace('http', 'ws')}${wsPath}`, origin });
    await c.waitForMessage('ready');
    c.type('touch /root/was-here && echo made-$((1+1))\r');
    await c.waitFor('made-2');
    const res = await resetRoute.POST(alice.request(`/api/labs/${labId}/reset`, { method: 'POST' }), params(labId));
    expect(res.status).toBe(200);
    expect((await res.json()).lab.state).toBe('ready');
    expect(await c.closed).toBe(CloseCode.labGone);
    const { path: fresh } = await (
      await ticketRoute.POST(alice.request(`/api/labs/${labId}/ticket`, { method: 'POST', body: '{"target":"node1"}' }), params(labId))
    ).json();
    const d = await TerminalClient.connect({ url: `${origin.replace('http', 'ws')}${fresh}`, origin });
    d.type('ls /root/was-here 2>&1 | grep -c "No such"\r');
    await d.waitFor(/\r1\r\n/);
    d.dispose();
  });

  it('stop destroys the lab; afterwards it is 404 and the learner can start again', async () => {
    const res = await labRoute.DELETE(alice.request(`/api/labs/${labId}`, { method: 'DELETE' }), params(labId));
    expect(res.status).toBe(200);
    expect((await labRoute.GET(alice.request(`/api/labs/${labId}`), params(labId))).status).toBe(404);
    expect((await (await labsRoute.GET(alice.request('/api/labs?sandbox=nodes-2'))).json()).lab).toBeNull();
  });
});
