// In-process fan-out of lab events (progress, state changes, targets going down) to subscribers.
import { createLogger } from '../../lib/log.ts';
import type { LabEvent } from './lab.ts';

const log = createLogger('lab-events');

export class LabEventBus {
  private readonly listeners = new Set<(e: LabEvent) => void>();

  subscribe(listener: (e: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: LabEvent, extra?: (e: LabEvent) => void): void {
    for (const l of [...this.listeners, ...(extra ? [extra] : [])]) {
      try {
        l(event);
      } catch (err) {
        // A broken listener must not break provisioning.
        log.warn('lab event listener threw', { error: (err as Error).message });
      }
    }
  }
}
