'use client';
// A ref that always holds the latest value: for callbacks registered once (Monaco keybindings, the editor bus)
// that must call the handlers of the latest render.
import { useLayoutEffect, useRef, type RefObject } from 'react';

export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
