'use client';
// The challenge view for one lab + lesson, live: an EventSource on /api/challenge/stream (the server grades while it is
// open), plus the actions. EventSource reconnects by itself after a network blip; the first event restores everything.
import { useCallback, useEffect, useState } from 'react';
import { parseErrorBody } from '../../../lab-runner/wire/error-body.ts';
import type { ChallengeView } from '../../../lab-runner/wire/challenge.ts';

export interface ChallengeApi {
  view?: ChallengeView;
  /** Why the stream or an action failed, for the panel's alert. */
  error?: string;
  connected: boolean;
  /** A Check click is in flight. */
  checking: boolean;
  /** Offset between the server clock and ours, so "checked 2 s ago" is right even with a skewed client clock. */
  clockSkewMs: number;
  check(): Promise<void>;
  hint(taskId: string): Promise<void>;
  solution(taskId: string): Promise<void>;
}

async function post(path: string, body: object): Promise<ChallengeView> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(parseErrorBody(data, `HTTP ${res.status}`).error);
  return data as ChallengeView;
}

export function useChallenge(lesson: string, labId: string | undefined, generation = 0): ChallengeApi {
  const [view, setView] = useState<ChallengeView>();
  const [error, setError] = useState<string>();
  const [connected, setConnected] = useState(false);
  const [checking, setChecking] = useState(false);
  const [clockSkewMs, setSkew] = useState(0);

  const accept = useCallback((v: ChallengeView) => {
    setSkew(v.serverNow - Date.now());
    // Ignore a view older than the one shown (an SSE event overtaken by a POST answer).
    setView((prev) => (prev && prev.labId === v.labId && prev.serverNow > v.serverNow ? prev : v));
  }, []);

  useEffect(() => {
    if (!labId) return;
    const es = new EventSource(`/api/challenge/stream?labId=${encodeURIComponent(labId)}&lesson=${encodeURIComponent(lesson)}`);
    es.addEventListener('open', () => setConnected(true));
    es.addEventListener('state', (e) => {
      setError(undefined);
      accept(JSON.parse((e as MessageEvent<string>).data) as ChallengeView);
    });
    es.addEventListener('error', (e) => {
      const data = (e as MessageEvent<string>).data;
      if (data) {
        // A server-sent "error" event: the lab or lesson is not gradable; do not hammer the server with retries.
        setError(parseErrorBody(JSON.parse(data), 'The challenge is not available.').error);
        es.close();
      }
      setConnected(false);
    });
    return () => es.close();
  }, [lesson, labId, generation, accept]);

  const run = useCallback(
    async (fn: () => Promise<ChallengeView>) => {
      try {
        accept(await fn());
        setError(undefined);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      }
    },
    [accept],
  );

  // A view or error from a previous lab (before a reset) is never shown for the new one.
  return {
    view: view?.labId === labId ? view : undefined,
    error: labId ? error : undefined,
    connected,
    checking,
    clockSkewMs,
    check: useCallback(async () => {
      if (!labId) return;
      setChecking(true);
      await run(() => post('/api/challenge/check', { labId, lesson }));
      setChecking(false);
    }, [labId, lesson, run]),
    hint: useCallback(
      async (taskId: string) => {
        if (labId) await run(() => post('/api/challenge/hint', { labId, lesson, taskId }));
      },
      [labId, lesson, run],
    ),
    solution: useCallback(
      async (taskId: string) => {
        if (labId) await run(() => post('/api/challenge/solution', { labId, lesson, taskId, confirm: true }));
      },
      [labId, lesson, run],
    ),
  };
}
