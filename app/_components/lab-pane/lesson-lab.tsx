'use client';
// The lab pane as mounted on a lesson page: the single place where lab features plug in.
// Terminal and challenge code add entries to `tabs` with next/dynamic (ssr: false), so xterm.js and
// Monaco load only when a lab is open, and provide LabCommands (lab-commands.tsx) for <Run>. For example:
//   const Terminal = dynamic(() => import('../terminal/terminal-view.tsx'), { ssr: false });
//   tabs.push({ id: 'node1', title: 'node1', render: () => <Terminal target="node1" /> });
import type { ReactNode } from 'react';
import { ChallengeTab } from '../challenge/challenge-tab.tsx';
import { captureTab } from '../capture/capture-tab.tsx';
import { mapTab } from '../map/map-tab.tsx';
import { editorTab } from '../editor/editor-tab.tsx';
import { LabSessionPane } from '../lab/lab-session-pane.tsx';
import { LabSessionProvider, useLabState } from '../lab/lab-session.tsx';
import type { ByHandLesson } from '../host/host-note.tsx';
import type { SandboxSummary } from './sandbox-summary.ts';

export interface LessonLabProps {
  /** "pods/pods-and-network-namespaces" */
  lessonId: string;
  sandbox: SandboxSummary;
  kindSandbox?: SandboxSummary;
  header?: ReactNode;
  /** The lesson has a challenge.yaml: show the Challenge tab. */
  hasChallenge?: boolean;
  /** A kind lesson's by-hand counterpart, offered when this server cannot run kind. */
  byHand?: ByHandLesson;
}

export function LessonLab({ lessonId, sandbox, kindSandbox, header, hasChallenge, byHand }: LessonLabProps) {
  const badge = header ?? (
    <span className="badge badge-mono" title={sandbox.line}>
      {sandbox.name}
    </span>
  );
  // Terminal tabs, lab controls and the start card come from the lab session (app/_components/lab/).
  // The page mounts <LabSessionProvider> around the article too, so <Run> buttons reach the terminals.
  const extraTabs = [
    ...(hasChallenge ? [{ id: 'challenge', title: 'Challenge', render: () => <ChallengeTab lessonId={lessonId} /> }] : []),
    editorTab(lessonId),
    mapTab(),
    captureTab(),
  ];
  const pane = <LabSessionPane sandbox={sandbox} kindSandbox={kindSandbox} header={badge} extraTabs={extraTabs} lessonId={lessonId} byHand={byHand} />;
  return useLabState() ? (
    pane
  ) : (
    <LabSessionProvider sandbox={sandbox.name} lesson={lessonId} targets={sandbox.targets} kindSandbox={kindSandbox?.name} kindTargets={kindSandbox?.targets}>
      {pane}
    </LabSessionProvider>
  );
}
