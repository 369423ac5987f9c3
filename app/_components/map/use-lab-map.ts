// The map's data once its tab has been opened: read on every show, again shortly after terminal activity (debounced,
// with a ceiling so a chatty terminal still refreshes; also while the learner is on a terminal tab, so the map is
// current the moment they switch back: the pane shows one tab at a time), and on a slow poll while visible as a
// fallback (changes made outside a terminal: the grader's setup). One read in flight; a trigger during a read queues
// one more.
import { useEffect, useRef, useState } from 'react';
import type { LabMap } from '../../../lab-runner/wire/network.ts';
import { onTerminalActivity } from '../terminal/terminal-activity.ts';
import { fetchMap } from './network-client.ts';

/** Quiet time after terminal output before the map is read. */
export const ACTIVITY_DEBOUNCE_MS = 120;
/** Most time a stream of output may hold a read back. */
const ACTIVITY_MAX_WAIT_MS = 800;
export const FALLBACK_POLL_MS = 10_000;
/**
 * The fallback poll stops this long after the last terminal activity (or show, or Refresh): an idle lab is paused by
 * the reaper after LAB_IDLE_PAUSE (15 min by default), and an exec starting while a container is being paused can
 * leave `docker unpause` hanging on cgroup v1. Terminal activity, showing the tab or Refresh start it again.
 */
export const POLL_IDLE_STOP_MS = 5 * 60_000;

export interface LabMapState {
  map?: LabMap;
  error?: string;
  loading: boolean;
  refresh(): void;
}

export function useLabMap(labId: string | undefined, visible: boolean, routes: boolean): LabMapState {
  const [map, setMap] = useState<LabMap | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const inflight = useRef(false);
  const again = useRef(false);
  const latest = useRef({ labId, routes });
  const lastActivity = useRef(0);
  useEffect(() => {
    latest.current = { labId, routes };
  });

  // Reads refs only when called (never during render); effects reach the newest one through readRef.
  const read = async (): Promise<void> => {
    const { labId: id, routes: r } = latest.current;
    if (!id) return;
    if (inflight.current) {
      again.current = true;
      return;
    }
    inflight.current = true;
    setLoading(true);
    try {
      const m = await fetchMap(id, r);
      if (latest.current.labId === id) {
        setMap(m);
        setError(undefined);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      inflight.current = false;
      setLoading(false);
      if (again.current) {
        again.current = false;
        void readRef.current();
      }
    }
  };
  const readRef = useRef(read);
  useEffect(() => {
    readRef.current = read;
  });

  useEffect(() => {
    if (!labId) return;
    let debounce: ReturnType<typeof setTimeout> | undefined;
    let firstPending = 0;
    const off = onTerminalActivity(labId, () => {
      const now = Date.now();
      lastActivity.current = now;
      if (!debounce) firstPending = now;
      clearTimeout(debounce);
      const wait = Math.max(0, Math.min(ACTIVITY_DEBOUNCE_MS, firstPending + ACTIVITY_MAX_WAIT_MS - now));
      debounce = setTimeout(() => {
        debounce = undefined;
        void readRef.current();
      }, wait);
    });
    return () => {
      off();
      clearTimeout(debounce);
    };
  }, [labId]);

  useEffect(() => {
    if (!labId || !visible) return;
    lastActivity.current = Date.now();
    void readRef.current();
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible' && Date.now() - lastActivity.current < POLL_IDLE_STOP_MS) void readRef.current();
    }, FALLBACK_POLL_MS);
    return () => clearInterval(poll);
  }, [labId, visible, routes]);

  return {
    map,
    error,
    loading,
    refresh: () => {
      lastActivity.current = Date.now();
      void readRef.current();
    },
  };
}
