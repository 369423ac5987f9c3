// "Capture here" from the map: the interface the Capture tab should preselect. A tiny external store, so the map and
// the capture tab (separate tabs, both mounted) share it without a provider.
import { useSyncExternalStore } from 'react';

export const MAP_TAB_ID = 'map';
export const CAPTURE_TAB_ID = 'capture';

export interface CaptureTarget {
  target: string;
  ns: string;
  iface: string;
  /** Bumped on each request, so asking twice for the same interface still applies. */
  seq: number;
}

let current: CaptureTarget | undefined;
const listeners = new Set<() => void>();

export function requestCapture(t: Omit<CaptureTarget, 'seq'>): void {
  current = { ...t, seq: (current?.seq ?? 0) + 1 };
  for (const l of listeners) l();
}

export function useCaptureTarget(): CaptureTarget | undefined {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
    () => undefined,
  );
}
