// Request bodies are read with a ceiling, before anything is buffered: a declared Content-Length over the limit
// is refused without reading a byte, and a chunked body is cut off (reader cancelled) as soon as it passes the
// limit. Unbounded request.text() let six concurrent 400 MB bodies push the server to 3.8 GB.

/** The most any packetwalk route accepts (a 1 MiB file saved from the editor, JSON-escaped, with room to spare). server.ts refuses bigger declared bodies for every path. */
export const MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;
/** Small JSON commands: start a lab, ask for a ticket, check a task. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** Its code has a row in the site's status table (app/api/_lib/error-status.ts): 413. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  readonly code = 'body-too-large';
  readonly limit: number;
  constructor(limit: number) {
    super(`The request body is larger than this endpoint accepts (${formatBytes(limit)}). Send a smaller body.`);
    this.limit = limit;
  }
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

/** The body as text, or BodyTooLargeError once it passes maxBytes (declared or counted). */
export async function readBoundedText(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
