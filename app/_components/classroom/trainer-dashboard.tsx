'use client';
// The trainer's live dashboard: learners x tasks (state, time on task, attempts, hints, solution, stuck, help), fed by
// the dashboard stream; click a learner for their lab, a read-only view of their terminal and actions (reset, extend,
// message). Class message, enroll link and code, export.
import dynamic from 'next/dynamic';
import { useEffect, useMemo, useState } from 'react';
import type { ClassGrid, DashboardEvent, GridCell, GridLearner, TrainerClassView } from '../../../lab-runner/wire/classroom.ts';
import { api, formatDuration } from './api.ts';
import styles from './classroom.module.css';

// xterm touches the DOM at import: load the viewer only in the browser, only when a learner is opened.
const TerminalWatch = dynamic(() => import('./terminal-watch.tsx').then((m) => m.TerminalWatch), { ssr: false });

const SYMBOL: Record<GridCell['state'], string> = {
  passed: '✓',
  stuck: '!',
  working: '…',
  'not-started': '·',
};

function cellTitle(c: GridCell): string {
  return [
    c.state,
    `time on task ${formatDuration(c.timeOnTaskMs)}`,
    `${c.attempts} attempt${c.attempts === 1 ? '' : 's'}`,
    `${c.hintsRevealed} hint${c.hintsRevealed === 1 ? '' : 's'}`,
    c.solutionRevealed ? 'solution revealed' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

export function TrainerDashboard({ c }: { c: TrainerClassView }) {
  const [grid, setGrid] = useState<ClassGrid | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [target, setTarget] = useState('node1');
  const [status, setStatus] = useState<string | undefined>();
  const [live, setLive] = useState(false);

  useEffect(() => {
    const es = new EventSource(`/api/classes/${c.id}/dashboard`);
    const on = (e: MessageEvent<string>) => {
      const ev = JSON.parse(e.data) as DashboardEvent;
      setGrid((g) => {
        if (ev.type === 'grid') return ev.grid;
        if (!g) return g;
        if (ev.type === 'cell') {
          const i = g.cells.findIndex((x) => x.userId === ev.cell.userId && x.lesson === ev.cell.lesson && x.taskId === ev.cell.taskId);
          const cells = [...g.cells];
          if (i >= 0) cells[i] = ev.cell;
          else cells.push(ev.cell);
          return { ...g, cells };
        }
        if (ev.type === 'learner') {
          const i = g.learners.findIndex((l) => l.userId === ev.learner.userId);
          const learners = [...g.learners];
          if (i >= 0)
            learners[i] = {
              ...learners[i],
              ...ev.learner,
              // A row without a lab (join, help) keeps the lab the grid knew; one with a lab (reset, extend) brings the new one.
              ...(ev.learner.lab ? {} : learners[i]!.lab ? { lab: learners[i]!.lab } : {}),
            };
          else learners.push(ev.learner);
          return { ...g, learners };
        }
        return g;
      });
    };
    for (const t of ['grid', 'cell', 'learner', 'message']) es.addEventListener(t, on as EventListener);
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    return () => es.close();
  }, [c.id]);

  const cellAt = useMemo(() => {
    const m = new Map<string, GridCell>();
    for (const cell of grid?.cells ?? []) m.set(`${cell.userId}/${cell.lesson}/${cell.taskId}`, cell);
    return m;
  }, [grid]);
  const learner: GridLearner | undefined = grid?.learners.find((l) => l.userId === selected);
  const enrollUrl = typeof window === 'undefined' ? `/join/${c.enrollToken}` : `${window.location.origin}/join/${c.enrollToken}`;

  const act = async (body: unknown, done: string) => {
    setStatus(undefined);
    try {
      await api(`/api/classes/${c.id}/learners/${selected}`, { body });
      setStatus(done);
    } catch (e) {
      setStatus((e as Error).message);
    }
  };

  return (
    <>
      <h1>{c.name}</h1>
      <div className={styles.card}>
        <p>
          Enroll link: <code data-testid="enroll-link">{enrollUrl}</code>
        </p>
        <p>
          Code:{' '}
          <span className={styles.code} data-testid="enroll-code">
            {c.shortCode}
          </span>{' '}
          · {c.enrolled}/{c.capacity} learners · link valid until {new Date(c.enrollExpiresAt).toLocaleString()}
        </p>
        <div className={styles.row}>
          <a className={styles.secondary} href={`/api/classes/${c.id}/export?format=csv`}>
            Export CSV
          </a>
          <a className={styles.secondary} href={`/api/classes/${c.id}/export?format=json`}>
            Export JSON
          </a>
          <button
            className={styles.secondary}
            type="button"
            onClick={() =>
              api(`/api/classes/${c.id}/prewarm`, { method: 'POST' }).then(
                () => setStatus('Labs are starting.'),
                (e: Error) => setStatus(e.message),
              )
            }
          >
            Start everyone&apos;s lab now
          </button>
        </div>
        <form
          className={styles.row}
          aria-label="Message the class"
          action={async (form) => {
            try {
              await api(`/api/classes/${c.id}/messages`, {
                body: { body: String(form.get('body')) },
              });
              setStatus('Sent to the class.');
            } catch (e) {
              setStatus((e as Error).message);
            }
          }}
        >
          <label>
            Message to the class <input name="body" required maxLength={500} />
          </label>
          <button className={styles.button} type="submit">
            Send to all
          </button>
        </form>
        {status && <p role="status">{status}</p>}
      </div>
      <p data-testid="dashboard-live">{live ? 'Live' : 'Connecting…'}</p>
      <div className={styles.layout}>
        <div style={{ overflowX: 'auto' }}>
          {grid && (
            <table className={styles.grid} data-testid="class-grid">
              <thead>
                <tr>
                  <th scope="col">Learner</th>
                  {grid.lessons.flatMap((l) =>
                    l.tasks.map((t, i) => (
                      <th key={`${l.lesson}/${t.id}`} scope="col" title={`${l.title}: ${t.title}`}>
                        {i === 0 ? `${l.title.slice(0, 12)} ` : ''}
                        {i + 1}
                      </th>
                    )),
                  )}
                </tr>
              </thead>
              <tbody>
                {grid.learners.map((l) => (
                  <tr key={l.userId} data-testid={`learner-row-${l.email}`}>
                    <th scope="row">
                      <button type="button" className={styles.learnerButton} onClick={() => setSelected(l.userId)}>
                        {l.name}
                      </button>
                      {l.help && (
                        <span className={styles.help} title="Asked for help">
                          {' '}
                          ✋
                        </span>
                      )}
                    </th>
                    {grid.lessons.flatMap((les) =>
                      les.tasks.map((t) => {
                        const cell = cellAt.get(`${l.userId}/${les.lesson}/${t.id}`);
                        const state = cell?.state ?? 'not-started';
                        return (
                          <td
                            key={`${les.lesson}/${t.id}`}
                            className={styles.cell}
                            data-state={state}
                            data-task={t.id}
                            title={cell ? cellTitle(cell) : 'not started'}
                          >
                            {SYMBOL[state]}
                            {cell && cell.hintsRevealed > 0 ? ` h${cell.hintsRevealed}` : ''}
                            {cell?.solutionRevealed ? ' S' : ''}
                          </td>
                        );
                      }),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {learner && (
          <aside className={styles.card} aria-label={`Learner ${learner.name}`} data-testid="learner-panel">
            <h2>{learner.name}</h2>
            <p>{learner.email}</p>
            {learner.help && <p className={styles.help}>Asked for help at {new Date(learner.help.askedAt).toLocaleTimeString()}</p>}
            <p>
              Lab:{' '}
              {learner.lab ? `${learner.lab.template}, ${learner.lab.state}, expires ${new Date(learner.lab.expiresAt).toLocaleTimeString()}` : 'none running'}
            </p>
            <div className={styles.row}>
              <button className={styles.secondary} type="button" onClick={() => act({ action: 'reset' }, 'Lab reset.')}>
                Reset lab
              </button>
              <button className={styles.secondary} type="button" onClick={() => act({ action: 'extend', minutes: 30 }, 'Lab extended by 30 minutes.')}>
                Extend 30 min
              </button>
              {learner.help && (
                <button className={styles.secondary} type="button" onClick={() => act({ action: 'clear-help' }, 'Help request answered.')}>
                  Mark helped
                </button>
              )}
            </div>
            <form
              className={styles.row}
              aria-label={`Message ${learner.name}`}
              action={(form) => act({ action: 'message', body: String(form.get('body')) }, 'Message sent.')}
            >
              <input name="body" required maxLength={500} aria-label="Message" />
              <button className={styles.button} type="submit">
                Send
              </button>
            </form>
            <label>
              Terminal{' '}
              <select value={target} onChange={(e) => setTarget(e.target.value)}>
                {(learner.lab?.targets.length ? learner.lab.targets : ['node1']).map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
            <TerminalWatch key={`${learner.userId}/${target}`} classId={c.id} userId={learner.userId} target={target} />
          </aside>
        )}
      </div>
    </>
  );
}
