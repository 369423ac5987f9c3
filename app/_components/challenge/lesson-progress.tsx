'use client';
// A lesson's progress in the catalog ("3/5", "done"). One request for the whole catalog, shared by every row;
// the catalog page itself stays static, so this is filled in after load.
import { useEffect, useState } from 'react';
import type { LessonProgressSummary as Summary, ProgressCatalogView } from '../../../lab-runner/wire/challenge.ts';
import styles from './lesson-progress.module.css';

let request: Promise<Map<string, Summary>> | undefined;
let requestedAt = 0;
/** Every row of one catalog render shares one request; a later visit (client navigation) asks again. */
function loadProgress(): Promise<Map<string, Summary>> {
  if (request && Date.now() - requestedAt < 2_000) return request;
  requestedAt = Date.now();
  request = fetch('/api/challenge/progress', { cache: 'no-store' })
    .then((r) => (r.ok ? (r.json() as Promise<ProgressCatalogView>) : { lessons: [] }))
    .then((d) => new Map(d.lessons.map((l) => [l.lesson, l])))
    .catch(() => new Map<string, Summary>());
  return request;
}

export function LessonProgress({ lessonId }: { lessonId: string }) {
  const [summary, setSummary] = useState<Summary>();
  useEffect(() => {
    let live = true;
    void loadProgress().then((m) => live && setSummary(m.get(lessonId)));
    return () => {
      live = false;
    };
  }, [lessonId]);
  if (!summary || (summary.passed === 0 && summary.completedAt === undefined)) return null;
  const done = summary.completedAt !== undefined;
  return (
    <span
      className={`${styles.badge} ${done ? styles.done : ''}`}
      data-testid="lesson-progress"
      title={done ? 'Challenge complete' : `${summary.passed} of ${summary.total} tasks passed`}
    >
      {done ? '✓ done' : `${summary.passed}/${summary.total}`}
      <span className="visually-hidden">{done ? ' (challenge complete)' : ' tasks passed'}</span>
    </span>
  );
}
