'use client';
// <Predict question options answer> — commit to a prediction before the explanation (and the command that
// reveals the answer, which the MDX pipeline moves inside) is shown. The choice is kept per lesson + question.
import { usePathname } from 'next/navigation';
import { useId, useState, useSyncExternalStore } from 'react';
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import styles from './predict.module.css';

function storageKey(path: string, question: string): string {
  let h = 0;
  for (const ch of question) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return `pw-predict:${path}:${(h >>> 0).toString(36)}`;
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function useStoredChoice(key: string): [number | undefined, (v: number | undefined) => void] {
  const raw = useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => {
      try {
        return localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    () => null,
  );
  const set = (v: number | undefined) => {
    try {
      if (v === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, String(v));
    } catch {
      // Storage unavailable: the answer still shows, it just is not remembered.
    }
    notify();
  };
  const n = raw === null ? undefined : Number(raw);
  return [n !== undefined && Number.isInteger(n) ? n : undefined, set];
}

export function Predict({ question, options, answer, children }: MdxProps<'Predict'>) {
  const path = usePathname();
  const [committed, commit] = useStoredChoice(storageKey(path, question));
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const id = useId();
  const done = committed !== undefined && committed < options.length;
  const choice = done ? committed : selected;
  const right = done && committed === answer;

  return (
    <section className={styles.predict} data-testid="predict" data-state={done ? (right ? 'right' : 'wrong') : 'open'} aria-labelledby={`${id}-q`}>
      <div className={styles.kicker}>Predict</div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (selected !== undefined) commit(selected);
        }}
      >
        <fieldset className={styles.fieldset} disabled={done}>
          <legend id={`${id}-q`} className={styles.question}>
            {question}
          </legend>
          <div className={styles.options}>
            {options.map((option, i) => {
              const state = done ? (i === answer ? 'answer' : i === committed ? 'chosen-wrong' : 'other') : i === selected ? 'selected' : 'other';
              return (
                <label key={option} className={styles.option} data-state={state}>
                  <input type="radio" name={`${id}-choice`} value={i} checked={choice === i} onChange={() => setSelected(i)} className={styles.radio} />
                  <span>{option}</span>
                  {done && i === answer ? <span className={styles.tag}>answer</span> : null}
                  {done && i === committed && i !== answer ? <span className={styles.tag}>your pick</span> : null}
                </label>
              );
            })}
          </div>
          {!done ? (
            <button type="submit" className="button button-primary" disabled={selected === undefined}>
              Lock in my prediction
            </button>
          ) : null}
        </fieldset>
      </form>
      {done ? (
        <div className={styles.reveal}>
          <p className={styles.verdict} role="status" data-testid="predict-verdict">
            {right ? 'Right — now see it for yourself.' : `Not quite: the answer is “${options[answer]}”. Run it and see why.`}
          </p>
          <div className={styles.explanation}>{children}</div>
          <button type="button" className={styles.again} onClick={() => commit(undefined)}>
            Ask me again
          </button>
        </div>
      ) : (
        <p className={styles.locked}>The explanation and the command to check it appear once you commit to an answer.</p>
      )}
    </section>
  );
}
