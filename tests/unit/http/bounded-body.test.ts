// Bodies are bounded before they are buffered: a declared length over the limit is refused without reading, a
// streamed body is cut off as soon as it passes the limit, and route helpers answer 413 with a clear message.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBoundedText } from '../../../lib/http/bounded-body.ts';
import { refuseOversizedBody } from '../../../lib/http/refuse-oversized-body.ts';
import { readBody } from '../../../app/api/_lib/read-request.ts';
import { describeError } from '../../../app/api/_lib/error-response.ts';
import { z } from 'zod';

function streamedRequest(chunks: number, chunkBytes: number, pulled: { n: number }): Request {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.n >= chunks) return controller.close();
      pulled.n++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
  });
  return new Request('http://localhost/api/labs', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('bounded request bodies', () => {
  it('stops reading a streamed body as soon as it passes the limit', async () => {
    const pulled = { n: 0 };
    await expect(readBoundedText(streamedRequest(10_000, 64 * 1024, pulled), 256 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(pulled.n).toBeLessThanOrEqual(8); // 5 chunks passed the limit; a few more may be queued by the stream
  });

  it('refuses a declared length over the limit without reading', async () => {
    const pulled = { n: 0 };
    const req = streamedRequest(10, 1024, pulled);
    const declared = new Request(req.url, {
      method: 'POST',
      headers: { 'content-length': String(400 * 1024 * 1024) },
      body: req.body,
      duplex: 'half',
    } as RequestInit);
    await expect(readBoundedText(declared, 64 * 1024)).rejects.toThrow(/larger than this endpoint accepts \(64 KiB\)/);
    expect(pulled.n).toBeLessThanOrEqual(1);
  });

  it('route helpers answer 413 for a body over 64 KiB', async () => {
    const req = new Request('http://localhost/api/labs', { method: 'POST', body: JSON.stringify({ sandbox: 'x'.repeat(100_000) }) });
    const err = await readBody(req, z.object({ sandbox: z.string() })).catch((e: unknown) => e);
    expect(describeError(err)).toMatchObject({
      status: 413,
      body: { code: 'body-too-large', error: expect.stringMatching(/larger than this endpoint accepts \(64 KiB\)/) },
    });
  });

  it('server.ts answers 413 to a declared 400 MB body and 411 to a chunked one, before reading them', async () => {
    let reached = 0;
    const server = http.createServer((req, res) => {
      if (refuseOversizedBody(req, res)) return;
      reached++;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const ask = (headers: Record<string, string>, write?: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/labs', headers }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          if (write) req.write(write);
          // Never send the 400 MB: the server must answer from the header alone.
          if (!headers['content-length']?.startsWith('4194')) req.end();
        });
      const big = await ask({ 'content-length': String(400 * 1024 * 1024), 'content-type': 'application/json' }, '{"sandbox":');
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body)).toMatchObject({ code: 'body-too-large', error: expect.stringMatching(/larger than this server accepts \(8 MiB\)/) });
      const chunked = await ask({ 'transfer-encoding': 'chunked' }, 'abc');
      expect(chunked.status).toBe(411);
      const fine = await ask({ 'content-length': '2' }, '{}');
      expect(fine.status).toBe(200);
      expect(reached).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('same-site proof for lab changes', () => {
  it('refuses cross-site pages, accepts our own pages and header-less clients', async () => {
    const { crossSiteRefusal } = await import('../../../lib/http/same-site.ts');
    const req = (headers: Record<string, string>) =>
      new Request('http://learn.example/api/labs', { method: 'POST', headers: { host: 'learn.example', ...headers } });
    expect(crossSiteRefusal(req({}), undefined)).toBeUndefined();
    expect(crossSiteRefusal(req({ origin: 'http://learn.example', 'sec-fetch-site': 'same-origin' }), undefined)).toBeUndefined();
    expect(crossSiteRefusal(req({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), undefined)).toMatch(
      /this site's own pages \(this request came from a cross-site page\)/,
    );
    expect(crossSiteRefusal(req({ origin: 'https://evil.example' }), undefined)).toMatch(/not from https:\/\/evil.example/);
    expect(crossSiteRefusal(req({ origin: 'https://docs.example' }), ['https://docs.example'])).toBeUndefined();
  });
});
