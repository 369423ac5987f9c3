// Request readers shared by every route: a JSON body (bounded before it is buffered) or the query string, checked
// with a zod schema. They throw; the route wrapper turns that into the one error body (413 or 422).
import type { z } from 'zod';
import { SMALL_BODY_BYTES, readBoundedText } from '../../../lib/http/bounded-body.ts';
import { HttpError } from './http-error.ts';
import { invalidRequest } from './invalid-request.ts';

/** A JSON body of at most maxBytes; an empty body reads as {} (the schema then names what is missing). */
export async function readBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = SMALL_BODY_BYTES): Promise<z.output<S>> {
  let raw: unknown;
  try {
    const text = await readBoundedText(request, maxBytes);
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'body-too-large') throw err; // 413 by its code, with its message
    throw new HttpError('invalid-request', 'The request body must be JSON.', { fields: { body: 'not valid JSON' } });
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw invalidRequest(result.error, 'body');
  return result.data;
}

/** The query string's parameters (one value each) checked with a zod object schema. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const result = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!result.success) throw invalidRequest(result.error, 'query');
  return result.data;
}
