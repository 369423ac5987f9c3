// The artefact cache against a real HTTP server on loopback serving a fake artefact: first download with progress,
// cache hit without a request, a pinned checksum that does not match is refused (nothing cached), trust-on-first-use
// records the digest and then holds later downloads to it, a corrupted cache is fetched again, and an offline host
// gets an error naming the artefact and the command to run.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArtefactStore } from '../../../lab-runner/artefacts/artefact-store.ts';
import type { Artefact } from '../../../course/artefacts/artefact-manifest.ts';
import { ArtefactChecksumError, ArtefactMissingError } from '../../../lab-runner/errors.ts';

// ~2.5 MiB, so the download reports progress more than once.
const BODY = Buffer.from('kind: CustomResourceDefinition\n'.repeat(90_000));
const DIGEST = createHash('sha256').update(BODY).digest('hex');

let server: Server;
let base = '';
let requests = 0;
let served: Buffer = BODY;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/fake.yaml' });
      res.end();
      return;
    }
    if (req.url !== '/fake.yaml') {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/yaml', 'content-length': String(served.byteLength) });
    res.end(served);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pw-artefacts-'));
  requests = 0;
  served = BODY;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function pinned(sha256: string, url = `${base}/fake.yaml`): Artefact {
  return { name: 'fake-crds', version: 'v0.0.1', url, fileName: 'fake-crds.yaml', maxBytes: 8 * 1024 * 1024, trust: 'pinned', sha256 };
}
function firstUse(url = `${base}/fake.yaml`): Artefact {
  return { name: 'fake-crds', version: 'v0.0.1', url, fileName: 'fake-crds.yaml', maxBytes: 8 * 1024 * 1024, trust: 'first-use' };
}

describe('ArtefactStore', () => {
  it('downloads a pinned artefact with progress, verifies it, and serves the next call from the cache', async () => {
    const store = new ArtefactStore({ dir, artefacts: [pinned(DIGEST)] });
    const lines: string[] = [];
    const first = await store.ensure('fake-crds', { onProgress: (l) => lines.push(l) });
    expect(first.action).toBe('downloaded');
    expect(first.sha256).toBe(DIGEST);
    expect(readFileSync(first.path).equals(BODY)).toBe(true);
    expect(
      lines.some((l) => /MiB of 2\.\d MiB/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(requests).toBe(1);

    const again = await store.ensure('fake-crds');
    expect(again.action).toBe('cached');
    expect(requests).toBe(1);
    const { content } = await store.read('fake-crds');
    expect(content.equals(BODY)).toBe(true);
  });

  it('follows a redirect, as GitHub release downloads do', async () => {
    const store = new ArtefactStore({ dir, artefacts: [pinned(DIGEST, `${base}/redirect`)] });
    expect((await store.ensure('fake-crds')).action).toBe('downloaded');
  });

  it('refuses a download whose sha256 differs from the pin and caches nothing', async () => {
    const store = new ArtefactStore({ dir, artefacts: [pinned('0'.repeat(64))] });
    const err = await store.ensure('fake-crds').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtefactChecksumError);
    expect((err as Error).message).toContain(DIGEST);
    expect(existsSync(path.join(dir, 'fake-crds.yaml'))).toBe(false);
    // No partial download is left behind either.
    expect(readdirSync(dir).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('records the digest on first use and refuses a later download that differs from it', async () => {
    const store = new ArtefactStore({ dir, artefacts: [firstUse()] });
    const lines: string[] = [];
    await store.ensure('fake-crds', { onProgress: (l) => lines.push(l) });
    expect(readFileSync(path.join(dir, 'fake-crds.yaml.sha256'), 'utf8')).toContain(DIGEST);
    expect(lines.some((l) => l.includes('recorded sha256'))).toBe(true);

    // Upstream "re-publishes" the asset, and the cached copy is gone: the new bytes are refused.
    rmSync(path.join(dir, 'fake-crds.yaml'));
    served = Buffer.from('something else entirely\n');
    await expect(store.ensure('fake-crds')).rejects.toBeInstanceOf(ArtefactChecksumError);
    expect(existsSync(path.join(dir, 'fake-crds.yaml'))).toBe(false);
  });

  it('downloads again when the cached file was corrupted', async () => {
    const store = new ArtefactStore({ dir, artefacts: [pinned(DIGEST)] });
    await store.ensure('fake-crds');
    writeFileSync(path.join(dir, 'fake-crds.yaml'), 'truncated');
    const lines: string[] = [];
    const r = await store.ensure('fake-crds', { onProgress: (l) => lines.push(l) });
    expect(r.action).toBe('downloaded');
    expect(lines[0]).toContain('does not match');
    expect(readFileSync(r.path).equals(BODY)).toBe(true);
  });

  it('on an offline host, names the artefact and the command that fetches it', async () => {
    // A port nothing listens on: connection refused, as on a host without a route out.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const store = new ArtefactStore({ dir, artefacts: [pinned(DIGEST, `http://127.0.0.1:${port}/fake.yaml`)] });
    const err = await store.ensure('fake-crds').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtefactMissingError);
    expect((err as ArtefactMissingError).code).toBe('artefact-missing');
    expect((err as Error).message).toContain('fake-crds');
    expect((err as Error).message).toContain('npm run images -- --pull');
  });

  it('reports an HTTP error as missing, and refuses a file larger than its limit', async () => {
    const notFound = new ArtefactStore({ dir, artefacts: [pinned(DIGEST, `${base}/nope.yaml`)] });
    await expect(notFound.ensure('fake-crds')).rejects.toThrow(/HTTP 404/);
    const small = new ArtefactStore({ dir, artefacts: [{ ...pinned(DIGEST), maxBytes: 1024 }] });
    await expect(small.ensure('fake-crds')).rejects.toThrow(/more than the 1024/);
  });

  it('shares one download between concurrent callers', async () => {
    const store = new ArtefactStore({ dir, artefacts: [pinned(DIGEST)] });
    const [a, b] = await Promise.all([store.ensure('fake-crds'), store.ensure('fake-crds')]);
    expect(a.sha256).toBe(b.sha256);
    expect(requests).toBe(1);
  });

  it('rejects a name it does not know', async () => {
    const store = new ArtefactStore({ dir, artefacts: [pinned(DIGEST)] });
    await expect(store.ensure('calico')).rejects.toThrow(/No artefact named "calico"/);
  });
});
