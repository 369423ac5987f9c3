// Requests as a browser behind the proxy makes them, from a chosen loopback address (127.0.0.2, …: Linux routes all
// of 127/8 to lo), so the server's idea of the client's address can be told apart from the proxy's (127.0.0.1).
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface Target {
  /** 'https' through the proxy (trusting `ca`), or 'http' straight to the upstream. */
  scheme: 'https' | 'http';
  port: number;
  ca?: string;
  /** The local address the connection comes from. */
  from: string;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

function decoded(res: http.IncomingMessage): Readable {
  const encoding = res.headers['content-encoding'];
  const decoder =
    encoding === 'gzip' ? zlib.createGunzip() : encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'deflate' ? zlib.createInflate() : undefined;
  return decoder ? res.pipe(decoder) : res;
}

function open(t: Target, path: string, o: RequestOptions): http.ClientRequest {
  const options: https.RequestOptions = {
    host: '127.0.0.1',
    port: t.port,
    path,
    method: o.method ?? 'GET',
    localAddress: t.from,
    headers: { 'accept-encoding': 'gzip, deflate, br', ...o.headers, ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}) },
    agent: false,
  };
  return t.scheme === 'https' ? https.request({ ...options, ca: t.ca, servername: 'localhost' }) : http.request(options);
}

/** One request, its whole answer. */
export function request(t: Target, path: string, o: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = open(t, path, o);
    req.setTimeout(60_000, () => req.destroy(new Error(`no answer to ${o.method ?? 'GET'} ${path} within 60 s`)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const body =
          encoding === 'gzip'
            ? zlib.gunzipSync(raw)
            : encoding === 'br'
              ? zlib.brotliDecompressSync(raw)
              : encoding === 'deflate'
                ? zlib.inflateSync(raw)
                : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

export interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every chunk as it arrived through the socket, in order. */
  chunks: string[];
  /** Resolves with all text so far once `pattern` appears in it; rejects after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves when the answer has ended. */
  ended: Promise<void>;
  close(): void;
}

/** A streamed answer (NDJSON, Server-Sent Events), read chunk by chunk as the proxy passes it on. */
export function stream(t: Target, path: string, o: RequestOptions = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = open(t, path, o);
    req.on('response', (res) => {
      const chunks: string[] = [];
      const waiters = new Set<() => void>();
      // Decoded as a browser does, as it comes: the server compresses streams too (flushing each event).
      const body = decoded(res);
      body.setEncoding('utf8');
      body.on('data', (c: string) => {
        chunks.push(c);
        for (const w of waiters) w();
      });
      body.on('error', () => undefined); // a stream the test closes ends mid-frame
      const ended = new Promise<void>((r) => res.on('close', r));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        chunks,
        ended,
        close: () => req.destroy(),
        waitFor: (pattern, timeoutMs) =>
          new Promise((ok, fail) => {
            const check = () => {
              const text = chunks.join('');
              if (!pattern.test(text)) return false;
              waiters.delete(check);
              clearTimeout(timer);
              ok(text);
              return true;
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`${pattern} did not arrive within ${timeoutMs} ms; got: ${chunks.join('').slice(0, 2000)}`));
            }, timeoutMs);
            if (!check()) waiters.add(check);
          }),
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
