// Browser calls to /api/labs. Errors come back as LabApiError with the server's message (written for learners).
import { parseErrorBody } from '../../../lab-runner/wire/error-body.ts';
import type { LabStartLine, LabView } from '../../../lab-runner/wire/lab.ts';

export type { LabView };

export class LabApiError extends Error {
  readonly status: number;
  readonly code?: string;
  constructor(status: number, message: string, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function failure(res: Response): Promise<LabApiError> {
  const body = parseErrorBody(await res.json().catch(() => undefined), `The lab server answered ${res.status}.`);
  return new LabApiError(res.status, body.error, body.code);
}

/**
 * On a laptop the browser runs where Docker runs, and Chromium aborts every request in flight with
 * ERR_NETWORK_CHANGED whenever a bridge network appears or goes (a lab starting). fetch() then rejects, or a body
 * read fails, with a TypeError; requests that are safe to repeat are repeated after a short pause instead.
 */
const NETWORK_RETRY_DELAYS_MS = [150, 400, 1000, 2000, 4000];

export async function withNetworkRetry<T>(attempt: () => Promise<T>, delays: readonly number[] = NETWORK_RETRY_DELAYS_MS): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof TypeError) || i >= delays.length) throw err;
      await new Promise((r) => setTimeout(r, delays[i]));
    }
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  // GET and DELETE are safe to repeat; a reset is not (it would reset twice).
  return method === 'GET' || method === 'DELETE' ? withNetworkRetry(() => callOnce<T>(method, url, body)) : callOnce<T>(method, url, body);
}

async function callOnce<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** The learner's lab for a sandbox; lab.preparedFor names the lesson it was set up for (maybe not `lesson`, the page's). */
export async function findLab(sandbox: string, lesson?: string): Promise<LabView | null> {
  const query = `sandbox=${encodeURIComponent(sandbox)}${lesson ? `&lesson=${encodeURIComponent(lesson)}` : ''}`;
  return (await call<{ lab: LabView | null }>('GET', `/api/labs?${query}`)).lab;
}

/**
 * Starts (or joins) the learner's lab for a sandbox; onUpdate sees every progress step. Resolves when ready.
 * With the lesson the page shows, the server runs that lesson's challenge setup before it reports the lab ready.
 */
export async function startLab(sandbox: string, onUpdate: (lab: LabView) => void, lesson?: string): Promise<LabView> {
  // "Start or join": asking again after a dropped connection joins the lab the first request started.
  return withNetworkRetry(() => startLabOnce(sandbox, onUpdate, lesson));
}

async function startLabOnce(sandbox: string, onUpdate: (lab: LabView) => void, lesson?: string): Promise<LabView> {
  const res = await fetch('/api/labs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(lesson ? { sandbox, lesson } : { sandbox }),
    cache: 'no-store',
  });
  if (!res.ok || !res.body) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  let last: LabView | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += value;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      const update = JSON.parse(line) as LabStartLine;
      if (update.type === 'error') throw new LabApiError(update.status, update.error, update.code);
      last = update.lab;
      onUpdate(update.lab);
    }
    if (done) break;
  }
  if (last && last.state !== 'pending') return last;
  // The stream ended early (proxy timeout, server restart): the lab may still come up; ask again.
  const again = await findLab(sandbox);
  if (again && again.state !== 'pending') return again;
  throw new LabApiError(502, 'Lost contact with the lab server while the lab was starting. Reload the page to see where it got to.');
}

/** Fresh nodes for the lab; with the lesson, its challenge setup has run again on them when this resolves. */
export async function resetLab(labId: string, lesson?: string): Promise<LabView> {
  return (await call<{ lab: LabView }>('POST', `/api/labs/${encodeURIComponent(labId)}/reset`, lesson ? { lesson } : undefined)).lab;
}

export async function stopLab(labId: string): Promise<void> {
  await call('DELETE', `/api/labs/${encodeURIComponent(labId)}`);
}
