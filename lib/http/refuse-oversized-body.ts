// server.ts's first look at every request: a body that no packetwalk route accepts is refused before a byte of it
// is read (413), and a body that does not declare its length (chunked upload) gets 411: no page or route of this
// site needs one, and a declared length is what lets the server refuse early. Route handlers still count what
// they read (bounded-body.ts), so this is the outer of two walls.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_REQUEST_BODY_BYTES, formatBytes } from './bounded-body.ts';

export function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, maxBytes = MAX_REQUEST_BODY_BYTES): boolean {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (chunked && declared === undefined) {
    reply(req, res, 411, 'length-required', 'Send the request body with a Content-Length header; chunked uploads are not accepted.');
    return true;
  }
  if (declared !== undefined && Number(declared) > maxBytes) {
    reply(req, res, 413, 'body-too-large', `The request body is larger than this server accepts (${formatBytes(maxBytes)}). Send a smaller body.`);
    return true;
  }
  return false;
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, code: string, error: string): void {
  const body = JSON.stringify({ error, code });
  // The unread body is never read (TCP flow control holds the sender back); the connection is dropped shortly
  // after the answer is out, which leaves the client a moment to read it before the close.
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  const socket = req.socket;
  res.end(body, () => setTimeout(() => socket.destroy(), 1000).unref());
}
