// One capture from the browser: start it, follow its events (SSE), keep the newest rows, stop it. Closing the page
// closes the stream; the server stops a capture nobody watches after a short grace.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureView, PacketRow } from '../../../lab-runner/wire/network.ts';
import { captureEventsUrl, startCapture, stopCapture } from '../map/network-client.ts';
import type { CaptureStart } from '../map/network-client.ts';

/** Rows kept in the page (the pcapng download has everything the ring buffer holds). */
export const MAX_ROWS_IN_PAGE = 1_000;

export interface CaptureHandle {
  capture?: CaptureView;
  rows: PacketRow[];
  error?: string;
  busy: boolean;
  start(req: CaptureStart): Promise<void>;
  stop(): Promise<void>;
}

/** A batch appended to the rows; a batch that starts at or before the newest row (a reconnect replays the recent
 *  rows) replaces the rows from its first number on. */
export function mergeRows(old: PacketRow[], batch: PacketRow[]): PacketRow[] {
  const next = old.length && batch.length && batch[0]!.no <= old[old.length - 1]!.no ? old.filter((r) => r.no < batch[0]!.no) : old;
  const all = next.concat(batch);
  return all.length > MAX_ROWS_IN_PAGE ? all.slice(-MAX_ROWS_IN_PAGE) : all;
}

const ended = (v: CaptureView) => v.state === 'stopped' || v.state === 'failed';

/** The view to show next: a view never takes an ended capture back to running (a counters event that was sent
 *  before Stop took effect can be applied after Stop's answer). */
export function nextView(prev: CaptureView | undefined, view: CaptureView): CaptureView {
  return prev?.id === view.id && ended(prev) && !ended(view) ? prev : view;
}

/** `visible`: the Capture tab is shown (updates wait while it is not). */
export function useCapture(labId: string | undefined, visible = true): CaptureHandle {
  const [capture, setCapture] = useState<CaptureView | undefined>();
  const [rows, setRows] = useState<PacketRow[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const source = useRef<EventSource | undefined>(undefined);

  const close = useCallback(() => {
    source.current?.close();
    source.current = undefined;
  }, []);
  useEffect(() => close, [close, labId]);

  // SSE events arrive in pairs (rows, then the capture's counters) several times a second: they are gathered and
  // applied once per animation frame, so the list renders at most once a frame whatever the event rate; while the
  // Capture tab is hidden nothing is applied (the newest MAX_ROWS_IN_PAGE rows wait), so a running capture costs the
  // learner's terminal no rendering at all.
  const inbox = useRef<{ rows: PacketRow[]; view?: CaptureView; frame?: number }>({ rows: [] });
  const shown = useRef(visible);
  const deliver = useCallback(() => {
    const box = inbox.current;
    box.frame = undefined;
    if (!shown.current) return;
    const { rows: pending, view } = box;
    box.rows = [];
    box.view = undefined;
    if (view) setCapture((prev) => nextView(prev, view));
    if (pending.length) setRows((old) => mergeRows(old, pending));
  }, []);
  const schedule = useCallback(() => {
    inbox.current.frame ??= requestAnimationFrame(deliver);
  }, [deliver]);
  useEffect(() => {
    shown.current = visible;
    if (visible) schedule();
  }, [visible, schedule]);
  useEffect(() => () => cancelAnimationFrame(inbox.current.frame ?? 0), []);

  const follow = useCallback(
    (lab: string, id: string) => {
      close();
      const es = new EventSource(captureEventsUrl(lab, id));
      source.current = es;
      es.addEventListener('capture', (e) => {
        const view = JSON.parse((e as MessageEvent<string>).data) as CaptureView;
        inbox.current.view = view;
        schedule();
        if (ended(view)) close();
      });
      es.addEventListener('packets', (e) => {
        inbox.current.rows = mergeRows(inbox.current.rows, JSON.parse((e as MessageEvent<string>).data) as PacketRow[]);
        schedule();
      });
    },
    [close, schedule],
  );

  const start = useCallback(
    async (req: CaptureStart) => {
      if (!labId) return;
      setBusy(true);
      setError(undefined);
      try {
        const view = await startCapture(labId, req);
        inbox.current = { rows: [], frame: inbox.current.frame };
        setRows([]);
        setCapture(view);
        follow(labId, view.id);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        setBusy(false);
      }
    },
    [labId, follow],
  );

  const stop = useCallback(async () => {
    if (!labId || !capture) return;
    setBusy(true);
    try {
      setCapture(await stopCapture(labId, capture.id));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      close();
    }
  }, [labId, capture, close]);

  return { capture, rows, error, busy, start, stop };
}
