// The terminal wire. Binary frames carry raw terminal bytes both ways (never text: browsers close a socket on
// invalid UTF-8 in a text frame, and a multibyte character may be split across chunks). Text frames carry
// small JSON control messages, validated here on both ends. The browser imports this file too, so it
// depends on nothing but zod.
import { z } from 'zod';

/** Terminal sizes are clamped to this range (a 0x0 or 10000-column PTY helps no one). */
export const MIN_SIZE = 1;
export const MAX_SIZE = 500;

export const clampSize = (n: number): number => Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(n)));

// 0 is accepted (a hidden terminal can measure 0 rows) and clamped like any other out-of-range size.
const dimension = z.number().int().nonnegative().max(100_000);

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** The browser's terminal changed size; the server resizes the PTY (values are clamped to 1..500). */
  z.strictObject({ type: z.literal('resize'), cols: dimension, rows: dimension }),
  /** The browser has rendered this many more bytes (sent from the term.write callback). */
  z.strictObject({
    type: z.literal('ack'),
    bytes: z
      .number()
      .int()
      .positive()
      .max(64 * 1024 * 1024),
  }),
  /** Application-level heartbeat: browsers cannot see WebSocket pings, so their watchdog needs an answer it can see. */
  z.strictObject({ type: z.literal('ping'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  /** The shell is attached. resumed: an existing shell was re-attached (a replay follows). */
  z.strictObject({ type: z.literal('ready'), resumed: z.boolean(), target: z.string(), ackEvery: z.number().int().positive() }),
  /** The binary frames until replay-end are a serialized screen: reset the terminal, then write them. */
  z.strictObject({ type: z.literal('replay-start'), bytes: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal('replay-end') }),
  /** The shell ended; the socket closes next. */
  z.strictObject({ type: z.literal('exit'), code: z.number().int() }),
  z.strictObject({ type: z.literal('error'), message: z.string() }),
  z.strictObject({ type: z.literal('pong'), id: z.number().int().nonnegative() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** WebSocket close codes used by the gateway (4000-4999 are for applications). */
export const CloseCode = {
  normal: 1000,
  /** The server is shutting down; the client may reconnect later. */
  goingAway: 1001,
  /** ws closes with 1009 itself when a frame exceeds maxPayload. */
  tooBig: 1009,
  /** A text frame that is not a valid control message. */
  invalidMessage: 4400,
  /** The same terminal was opened in another window; do not reconnect automatically. */
  takenOver: 4409,
  /** The shell exited. */
  exited: 4000,
  /** The lab is gone (destroyed or reset). */
  labGone: 4404,
  /** No pong within the heartbeat window. */
  timeout: 4408,
  /** Starting the shell failed. */
  execFailed: 4500,
  /** The socket asked more of the server than its budget allows (e.g. a resize flood); the shell stays, reconnect later. */
  overBudget: 4429,
  /** Too many terminals are open on this server right now; try again later. */
  serverFull: 4503,
} as const;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'control message is not JSON' };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'message';
    return { ok: false, error: `invalid control message at ${where}: ${issue.message}` };
  }
  return { ok: true, message: result.data };
}

export const parseClientMessage = (text: string): ParseResult<ClientMessage> => parseWith(clientMessageSchema, text);
export const parseServerMessage = (text: string): ParseResult<ServerMessage> => parseWith(serverMessageSchema, text);

export const encodeMessage = (m: ClientMessage | ServerMessage): string => JSON.stringify(m);

/** The WebSocket path the gateway answers. */
export const TERMINAL_PATH = '/api/terminal';
