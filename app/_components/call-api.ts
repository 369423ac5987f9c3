// One way browser code calls the site's JSON API: JSON in, JSON out, and a failed answer thrown as a LabApiError that
// carries the status and the server's message and code, read from the one error body (lab-runner/wire/error-body.ts).
import { parseErrorBody } from '../../lab-runner/wire/error-body.ts';
import { LabApiError } from './lab/lab-client.ts';

export async function callApi<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok) {
    const error = parseErrorBody(await res.json().catch(() => undefined), `The server answered ${res.status}.`);
    throw new LabApiError(res.status, error.error, error.code);
  }
  return (await res.json()) as T;
}
