'use client';
// A READ-ONLY view of a learner's terminal for their trainer: xterm with input disabled, fed from the watch stream
// (the screen as it is, then output). Nothing typed here reaches the learner's shell: there is no channel for it.
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import type { WatchEvent } from '../../../lab-runner/wire/classroom.ts';
import styles from './classroom.module.css';

export function TerminalWatch({ classId, userId, target }: { classId: string; userId: string; target: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState('connecting');
  useEffect(() => {
    const term = new Terminal({
      disableStdin: true,
      cursorBlink: false,
      convertEol: false,
      fontSize: 13,
      scrollback: 1000,
    });
    term.open(box.current!);
    const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const es = new EventSource(`/api/classes/${classId}/learners/${userId}/terminal?target=${encodeURIComponent(target)}`);
    const on = (e: MessageEvent<string>) => {
      const ev = JSON.parse(e.data) as WatchEvent;
      if (ev.type === 'screen') {
        term.resize(ev.cols, ev.rows);
        term.reset();
        term.write(ev.screen);
        setStatus('live');
      } else if (ev.type === 'output') term.write(decode(ev.data));
      else {
        setStatus('ended');
        es.close();
      }
    };
    for (const t of ['screen', 'output', 'ended']) es.addEventListener(t, on as EventListener);
    es.onerror = () => setStatus((s) => (s === 'live' ? 'reconnecting' : 'no terminal open'));
    return () => {
      es.close();
      term.dispose();
    };
  }, [classId, userId, target]);
  return (
    <div>
      <p>
        Read-only view of <strong>{target}</strong>: <span data-testid="watch-status">{status}</span>
      </p>
      <div ref={box} className={styles.terminal} data-testid="watch-terminal" />
    </div>
  );
}
