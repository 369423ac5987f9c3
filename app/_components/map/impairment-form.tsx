'use client';
// Delay, loss or a rate limit on one interface (tc netem / tbf in the lab), and removing it. A reset removes it too.
import { useState } from 'react';
import type { MapInterface } from '../../../lab-runner/wire/network.ts';
import { clearImpairment, impair } from './network-client.ts';
import styles from './map.module.css';

export function ImpairmentForm({ labId, iface, onChanged }: { labId: string; iface: MapInterface; onChanged(): void }) {
  const [delay, setDelay] = useState('');
  const [loss, setLoss] = useState('');
  const [rate, setRate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const where = { target: iface.node, ns: iface.ns, iface: iface.name };
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  return (
    <form
      className={styles.impairForm}
      aria-label={`Impair ${iface.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => impair(labId, { ...where, delayMs: num(delay), lossPercent: num(loss), rateKbit: num(rate) }));
      }}
    >
      <label>
        delay ms <input inputMode="numeric" value={delay} onChange={(e) => setDelay(e.target.value)} size={5} />
      </label>
      <label>
        loss % <input inputMode="decimal" value={loss} onChange={(e) => setLoss(e.target.value)} size={4} />
      </label>
      <label>
        rate kbit/s <input inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} size={7} aria-label="rate kbit/s" />
      </label>
      <button type="submit" disabled={busy || (!delay && !loss && !rate)}>
        Impair
      </button>
      {iface.impairment ? (
        <button type="button" disabled={busy} onClick={() => void run(() => clearImpairment(labId, where))}>
          Remove {iface.impairment.summary}
        </button>
      ) : null}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
