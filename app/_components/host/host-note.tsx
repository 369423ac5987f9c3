'use client';
// "Not on this server": a lesson whose runtime this host cannot provide, marked before Start with the one-line
// reason, the way to the fix (/host, one anchor per check) and, where there is one, the by-hand lesson that teaches
// the same plumbing on bare nodes.
import Link from 'next/link';
import { checkAnchor, lessonBlock } from '../../../lab-runner/wire/host-support.ts';
import { useHostSupport } from './use-host-support.ts';
import styles from './host-note.module.css';

export interface ByHandLesson {
  href: string;
  title: string;
}

export interface HostNoteProps {
  lessonId: string;
  runtime: 'nodes' | 'kind';
  byHand?: ByHandLesson;
  /** "catalog": one compact line in a lesson row; "lab": the note on the lab's start card. */
  variant?: 'catalog' | 'lab';
}

export function HostNote({ lessonId, runtime, byHand, variant = 'catalog' }: HostNoteProps) {
  const block = lessonBlock(useHostSupport(), lessonId, runtime);
  // Bare-node labs already explain an absent lab runner on their start card; the catalog marks only kind lessons.
  if (!block || runtime !== 'kind') return null;
  return (
    <p className={`${styles.note} ${variant === 'lab' ? styles.lab : ''}`} data-testid="host-note" data-check={block.check} role="note">
      <span className={styles.label}>Not on this server:</span> {block.reason}. <a href={`/host#${checkAnchor(block.check)}`}>How to fix</a>
      {byHand ? (
        <>
          {' · '}By hand: <Link href={byHand.href}>{byHand.title}</Link>
        </>
      ) : null}
    </p>
  );
}
