'use client';
// Asks /api/host once per page load (every marked lesson on the catalog shares the answer). Undefined until it
// answers, and when it cannot: then nothing is marked, and Start says what is wrong as before.
import { useEffect, useState } from 'react';
import { hostSupportSchema, type HostSupportView } from '../../../lab-runner/wire/host-support.ts';

let pending: Promise<HostSupportView | undefined> | undefined;

function fetchHostSupport(): Promise<HostSupportView | undefined> {
  pending ??= fetch('/api/host', { cache: 'no-store' })
    .then(async (r) => (r.ok ? hostSupportSchema.parse(await r.json()) : undefined))
    .catch(() => undefined);
  return pending;
}

export function useHostSupport(): HostSupportView | undefined {
  const [view, setView] = useState<HostSupportView | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void fetchHostSupport().then((v) => {
      if (live) setView(v);
    });
    return () => {
      live = false;
    };
  }, []);
  return view;
}
