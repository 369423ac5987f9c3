'use client';
// <Run target="node1" interrupt?>command</Run> — a command for the learner to run on a lab target.
// Always copyable. When a lab is attached (useLabCommands() from the lab pane's context), it also offers
// "Run": the terminal/lab code implements LabCommands; this file only asks for it.
// Rendered with phrasing elements only (span, code, button), so it is valid inline in a paragraph too.
import type { ReactNode } from 'react';
import { isValidElement } from 'react';
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import { useLabCommands } from '../lab-pane/lab-commands.tsx';
import { CopyButton } from './copy-button.tsx';
import styles from './run.module.css';

/** The command text from MDX children (a string, or a paragraph wrapping one). */
export function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

export function Run({ target, interrupt, children }: MdxProps<'Run'>) {
  const command = textOf(children).trim();
  const lab = useLabCommands();
  const runnable = lab?.canRun(target) ?? false;
  return (
    <span className={styles.run} data-target={target}>
      <span className={styles.head}>
        <span className={styles.target} title={`Runs on ${target}`}>
          {target}
        </span>
        {interrupt ? <span className={styles.interrupt}>Ctrl-C first</span> : null}
        <span className={styles.actions}>
          <CopyButton text={command} label={`Copy command for ${target}`} />
          {lab ? (
            <button
              type="button"
              className={styles.runButton}
              disabled={!runnable}
              onClick={() => lab.run(target, command, { interrupt })}
              title={runnable ? `Type it into ${target}'s terminal` : `Start the lab to run this on ${target}`}
            >
              <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M7 4v16l13-8z" fill="currentColor" />
              </svg>
              Run
            </button>
          ) : null}
        </span>
      </span>
      <code className={styles.command}>
        <span className={styles.prompt} aria-hidden="true">
          ${' '}
        </span>
        {command}
      </code>
    </span>
  );
}
