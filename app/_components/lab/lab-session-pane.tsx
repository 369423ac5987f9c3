'use client';
// The lab pane wired to the lab session: one terminal tab per lab target (status dot on each), the lab
// controls in the header, and the start card (with real provisioning steps) before a lab exists.
// LabTerminal is loaded with next/dynamic (ssr: false): xterm.js ships only once a lab is open.
import dynamic from 'next/dynamic';
import type { ReactNode } from 'react';
import { LabPane, type LabTab } from '../lab-pane/lab-pane.tsx';
import type { ByHandLesson } from '../host/host-note.tsx';
import { LabPlaceholder } from '../lab-pane/lab-placeholder.tsx';
import type { SandboxSummary } from '../lab-pane/sandbox-summary.ts';
import { TerminalStatusDot } from '../terminal/terminal-status-dot.tsx';
import { LabControls, LabProgress } from './lab-controls.tsx';
import { errorOf, usableLab } from './lab-session-state.ts';
import { useLabActions, useLabState } from './lab-session.tsx';
import styles from './lab-controls.module.css';
import { LabClock } from '../practice/lab-clock.tsx';

const LabTerminal = dynamic(() => import('../terminal/lab-terminal.tsx'), {
  ssr: false,
  loading: () => <p className={styles.stepLabel}>Loading the terminal…</p>,
});

export interface LabSessionPaneProps {
  sandbox: SandboxSummary;
  kindSandbox?: SandboxSummary;
  /** Extra header content (e.g. the sandbox badge). */
  header?: ReactNode;
  /**
   * Tabs after the terminals (e.g. the challenge panel; read the lab from useLabState(), reset from useLabActions()).
   * Before a lab exists they follow a "Lab" tab holding the start card.
   */
  extraTabs?: LabTab[];
  /** The lesson and its by-hand counterpart, for the start card's "not on this server" note. */
  lessonId?: string;
  byHand?: ByHandLesson;
}

export function LabSessionPane({ sandbox, kindSandbox, header, extraTabs = [], lessonId, byHand }: LabSessionPaneProps) {
  const session = useLabState();
  const actions = useLabActions();
  if (!session || !actions) throw new Error('LabSessionPane must be inside <LabSessionProvider>');
  const { status, terminals, generation } = session.state;
  const { phase } = status;
  const lab = usableLab(status);
  const showTerminals = !!lab;
  const terminalTabs: LabTab[] = lab
    ? lab.targets.map((t) => ({
        id: t.name,
        title: t.title,
        badge: <TerminalStatusDot status={terminals[t.name]?.status ?? 'connecting'} />,
        render: () => (
          <LabTerminal
            key={`${lab.id}:${generation}:${t.name}`}
            labId={lab.id}
            target={t.name}
            title={t.title}
            active={t.name === active}
            onStatus={actions.reportTerminal}
            register={actions.registerTerminal}
          />
        ),
      }))
    : [];
  const startCard = (
    <>
      <LabPlaceholder
        sandbox={sandbox}
        kindSandbox={kindSandbox}
        choice={session.choice}
        onChoose={actions.choose}
        onStart={phase === 'unavailable' ? undefined : () => void actions.start()}
        starting={phase === 'starting' || phase === 'resetting'}
        error={errorOf(status)}
        lessonId={lessonId}
        byHand={byHand}
      />
      <LabProgress status={status} />
    </>
  );
  const tabs: LabTab[] =
    terminalTabs.length > 0
      ? [...terminalTabs, ...extraTabs]
      : extraTabs.length > 0
        ? [{ id: 'lab', title: 'Lab', render: () => startCard }, ...extraTabs]
        : [];
  const active = tabs.some((t) => t.id === session.state.activeTab) ? session.state.activeTab : tabs[0]?.id;

  return (
    <LabPane
      header={
        <>
          <LabControls />
          <LabClock lessonId={lessonId} />
          {session.choice === 'kind' && showTerminals ? (
            <button
              type="button"
              className={styles.control}
              onClick={() => actions.choose('default')}
              title="Switch to the bare-node lab; the kind lab keeps running until it expires"
            >
              Use the bare-node lab
            </button>
          ) : null}
          {session.choice === 'kind' && kindSandbox ? (
            <span className="badge badge-mono" title={kindSandbox.line}>
              {kindSandbox.name}
            </span>
          ) : (
            header
          )}
        </>
      }
      tabs={tabs}
      activeTab={active}
      onActiveTabChange={actions.setActiveTab}
      empty={startCard}
    />
  );
}
