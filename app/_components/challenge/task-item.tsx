'use client';
// One task of the challenge: status, description, verdict, hints (one at a time) and the solution (after confirming).
import { useState } from 'react';
import type { TaskView } from '../../../lab-runner/wire/challenge.ts';
import styles from './challenge-panel.module.css';
import { RewindButton } from '../practice/rewind-button.tsx';

const STATUS_TEXT: Record<TaskView['status'], string> = {
  blocked: 'Blocked',
  pending: 'Not checked yet',
  checking: 'Checking',
  passed: 'Passed',
  failed: 'Not yet',
};
const STATUS_ICON: Record<TaskView['status'], string> = { blocked: '🔒', pending: '○', checking: '◌', passed: '✓', failed: '✗' };

export function TaskItem(props: {
  task: TaskView;
  number: number;
  titles: Map<string, string>;
  onHint: (taskId: string) => Promise<void>;
  onSolution: (taskId: string) => Promise<void>;
  /** "Rewind to before this task" (practice/rewind): the lab is rebuilt as it was when this task began. */
  onRewind?: (taskId: string) => Promise<void>;
}) {
  const { task, number } = props;
  const [confirming, setConfirming] = useState(false);
  const headingId = `task-${task.id}-title`;
  const hintsLeft = task.hintsTotal - task.hintsHtml.length;
  return (
    <li
      className={`${styles.task} ${styles[task.status]}`}
      aria-labelledby={headingId}
      data-testid="challenge-task"
      data-task-id={task.id}
      data-status={task.status}
    >
      <div className={styles.taskHead}>
        <span className={styles.statusIcon} aria-hidden="true">
          {STATUS_ICON[task.status]}
        </span>
        <h3 id={headingId} className={styles.taskTitle}>
          <span className="visually-hidden">Task {number}: </span>
          {task.title}
        </h3>
        <span className={styles.statusText} data-testid="task-status">
          {STATUS_TEXT[task.status]}
        </span>
      </div>
      {task.status === 'blocked' ? (
        <p className={styles.muted}>Finish first: {task.blockedBy.map((id) => props.titles.get(id) ?? id).join(', ')}.</p>
      ) : (
        <>
          <div className={styles.description} dangerouslySetInnerHTML={{ __html: task.descriptionHtml }} />
          {task.verdict && task.status !== 'passed' && (
            <div className={styles.verdict} data-testid="task-verdict">
              <p className={styles.verdictSummary}>{task.verdict.summary}</p>
              {task.verdict.structured && (task.verdict.structured.expected !== undefined || task.verdict.structured.observed !== undefined) && (
                <dl className={styles.verdictFields}>
                  {task.verdict.structured.expected !== undefined && (
                    <>
                      <dt>expected</dt>
                      <dd>{task.verdict.structured.expected}</dd>
                    </>
                  )}
                  {task.verdict.structured.observed !== undefined && (
                    <>
                      <dt>found</dt>
                      <dd>{task.verdict.structured.observed}</dd>
                    </>
                  )}
                </dl>
              )}
              {task.verdict.structured?.hint && <p className={styles.muted}>Try: {task.verdict.structured.hint}</p>}
              {task.verdict.failLines.length > 1 && (
                <ul className={styles.failLines}>
                  {task.verdict.failLines.slice(1).map((l, i) => (
                    <li key={i}>{l}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </>
      )}
      {task.hintsHtml.length > 0 && (
        <ol className={styles.hints} aria-label={`Hints for ${task.title}`}>
          {task.hintsHtml.map((h, i) => (
            <li key={i} className={styles.hint} data-testid="task-hint" dangerouslySetInnerHTML={{ __html: h }} />
          ))}
        </ol>
      )}
      {task.solutionHtml && <div className={styles.solution} data-testid="task-solution" dangerouslySetInnerHTML={{ __html: task.solutionHtml }} />}
      {props.onRewind && task.status !== 'blocked' && <RewindButton taskId={task.id} onRewind={props.onRewind} />}
      {task.status !== 'blocked' && (hintsLeft > 0 || !task.solutionRevealed) && (
        <div className={styles.taskActions}>
          {hintsLeft > 0 && (
            <button type="button" className={styles.linkButton} onClick={() => void props.onHint(task.id)}>
              {task.hintsHtml.length === 0 ? 'Hint' : 'Next hint'} ({task.hintsHtml.length + 1}/{task.hintsTotal})
            </button>
          )}
          {!task.solutionRevealed &&
            (confirming ? (
              <span role="group" aria-label="Confirm showing the solution" className={styles.confirm}>
                <span>Show the solution? This is noted in your progress.</span>
                <button
                  type="button"
                  className={`${styles.button} ${styles.danger}`}
                  autoFocus
                  onClick={() => {
                    setConfirming(false);
                    void props.onSolution(task.id);
                  }}
                >
                  Show solution
                </button>
                <button type="button" className={styles.button} onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className={styles.linkButton} onClick={() => setConfirming(true)}>
                Show solution
              </button>
            ))}
        </div>
      )}
    </li>
  );
}
