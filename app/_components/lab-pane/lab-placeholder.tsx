'use client';
// What the lab pane shows before a lab exists: the sandbox's machines, what it costs to start, and the button.
// A lesson with a kindSandbox also offers "Open on a kind cluster": the same tasks on kind worker nodes. Bare
// nodes stay the default because they are ready in about a second; a kind cluster takes about a minute.
import { HostNote, type ByHandLesson } from '../host/host-note.tsx';
import type { SandboxSummary } from './sandbox-summary.ts';
import styles from './lab-placeholder.module.css';

export type LabPlaceholderChoice = 'default' | 'kind';

export interface LabPlaceholderProps {
  /** The lesson's default sandbox (bare nodes). */
  sandbox: SandboxSummary;
  kindSandbox?: SandboxSummary;
  /** Which lab the learner chose; "kind" shows the kind sandbox's card and a way back. */
  choice?: LabPlaceholderChoice;
  /** Switch labs; choosing "kind" starts the kind lab. Absent: the kind choice is not offered. */
  onChoose?: (choice: LabPlaceholderChoice) => void;
  /** Provided by the lab code once labs can start; absent, the button explains that this server has no lab runner. */
  onStart?: () => void;
  starting?: boolean;
  /** e.g. "Docker is not reachable: …" */
  error?: string;
  /** The lesson: when this server cannot run kind, the card says so before Start (HostNote). */
  lessonId?: string;
  /** A kind lesson's by-hand counterpart, offered when kind cannot run here. */
  byHand?: ByHandLesson;
}

export function LabPlaceholder({
  sandbox: defaultSandbox,
  kindSandbox,
  choice = 'default',
  onChoose,
  onStart,
  starting,
  error,
  lessonId,
  byHand,
}: LabPlaceholderProps) {
  const onKind = choice === 'kind' && !!kindSandbox;
  const sandbox = onKind ? kindSandbox : defaultSandbox;
  return (
    <div className={styles.wrap} data-testid="lab-placeholder" data-lab-choice={onKind ? 'kind' : 'default'}>
      <div className={styles.card}>
        <Topology targets={onKind ? sandbox.targets.filter((t) => !/^node\d+$/.test(t)) : sandbox.targets} kind={sandbox.kind} />
        <h2 className={styles.heading}>{sandbox.title ?? `Lab: ${sandbox.name}`}</h2>
        <p className={styles.line}>{sandbox.line}</p>
        {sandbox.description ? <p className={styles.description}>{sandbox.description}</p> : null}
        <button
          type="button"
          className={`button button-primary ${styles.start}`}
          onClick={onStart}
          disabled={starting || !onStart}
          aria-describedby={!onStart ? 'lab-start-note' : undefined}
        >
          {starting ? <span className={styles.spinner} aria-hidden="true" /> : <PlayIcon />}
          {starting ? 'Starting…' : 'Start lab'}
        </button>
        {error ? (
          <p className={styles.error} role="alert">
            {error}
          </p>
        ) : !onStart ? (
          <p id="lab-start-note" className={styles.note}>
            Labs start here once this server&apos;s lab runner is available. The lesson works without one.
          </p>
        ) : onKind ? (
          <p className={styles.note}>{kindNote(sandbox)}</p>
        ) : sandbox.kind === 'kind' ? (
          <p className={styles.note}>A kind cluster on this server: the first start takes about a minute and needs a host that can run kind.</p>
        ) : (
          <p className={styles.note}>Real Linux machines in containers on this server: a shell on each, nothing to install.</p>
        )}
        {kindSandbox && onChoose && onStart ? (
          onKind ? (
            <div className={styles.kind}>
              <button type="button" className={`button ${styles.secondary}`} onClick={() => onChoose('default')} disabled={starting}>
                Use the bare-node lab
              </button>
              <p className={styles.kindNote}>
                <span className="badge badge-mono">{defaultSandbox.name}</span> ready in about a second.
              </p>
            </div>
          ) : (
            <div className={styles.kind}>
              <button
                type="button"
                className={`button ${styles.secondary}`}
                onClick={() => onChoose('kind')}
                disabled={starting}
                aria-describedby="lab-kind-note"
              >
                <ClusterIcon />
                Open on a kind cluster
              </button>
              <p id="lab-kind-note" className={styles.kindNote}>
                <span className="badge badge-mono">{kindSandbox.name}</span> {kindNote(kindSandbox)}
              </p>
            </div>
          )
        ) : kindSandbox ? (
          <p className={styles.kind}>
            Also available on a kind cluster: <span className="badge badge-mono">{kindSandbox.name}</span>
          </p>
        ) : null}
        {/* Last in the card: arriving after the first paint, it moves nothing above it. */}
        {lessonId && (defaultSandbox.kind === 'kind' || kindSandbox) ? (
          <HostNote lessonId={lessonId} runtime="kind" byHand={defaultSandbox.kind === 'kind' ? byHand : undefined} variant="lab" />
        ) : null}
      </div>
    </div>
  );
}

/** What choosing the kind lab means, in one sentence: size, where the tasks run, the cost of starting. */
function kindNote(kind: SandboxSummary): string {
  const toolboxes = kind.targets.filter((t) => /^node\d+$/.test(t));
  const where = toolboxes.length
    ? `the same tasks run on its workers (${toolboxes.join(', ')} are toolboxes in their network namespaces)`
    : 'the same tasks run on its nodes';
  return `A 3-node kind cluster (1 control plane, 2 workers): ${where}. The first start takes about a minute and needs a host that can run kind.`;
}

/**
 * Box widths from the label lengths: .pw-label is 13px semibold, at most ~7.6 units per character. The viewBox
 * widens when the labels need it (the picture then scales down as a whole), so labels never run into each other.
 */
const LABEL_CHAR_WIDTH = 7.6;
const MIN_BOX = 64;
const BOX_PADDING = 22;
const MIN_GAP = 10;
const MARGIN = 16;

export function topologyLayout(labels: string[]): { width: number; boxes: { label: string; x: number; width: number }[] } {
  const widths = labels.map((t) => Math.max(MIN_BOX, Math.ceil(t.length * LABEL_CHAR_WIDTH) + BOX_PADDING));
  const content = widths.reduce((a, b) => a + b, 0);
  const width = Math.max(300, content + (labels.length + 1) * MIN_GAP + 2 * MARGIN);
  const gap = (width - 2 * MARGIN - content) / (labels.length + 1);
  let x = MARGIN + gap;
  const boxes = labels.map((label, i) => {
    const box = { label, x, width: widths[i]! };
    x += widths[i]! + gap;
    return box;
  });
  return { width, boxes };
}

/** A small picture of the sandbox: its targets on one lab network. */
function Topology({ targets, kind }: { targets: string[]; kind: 'nodes' | 'kind' }) {
  const shown = targets.length ? targets.slice(0, 4) : ['node1'];
  const { width: w, boxes } = topologyLayout(shown);
  return (
    <svg className={`pw-diagram ${styles.topology}`} viewBox={`0 0 ${w} 104`} aria-hidden="true" focusable="false" data-testid="lab-topology">
      <line className="pw-link" x1="16" y1="86" x2={w - 16} y2="86" />
      <text className="pw-sublabel" x={w - 16} y="101" textAnchor="end">
        {kind === 'kind' ? 'kind network' : 'lab network'}
      </text>
      {boxes.map(({ label: t, x, width: boxW }) => (
        <g key={t}>
          <line className="pw-link" x1={x + boxW / 2} y1="62" x2={x + boxW / 2} y2="86" />
          <circle className="pw-if" cx={x + boxW / 2} cy="86" r="3.5" />
          <rect className="pw-host" x={x} y="14" width={boxW} height="48" rx="8" />
          <rect className="pw-ns" x={x + 10} y="24" width={boxW - 20} height="14" rx="3" />
          <text className="pw-label" x={x + boxW / 2} y="54" textAnchor="middle">
            {t}
          </text>
        </g>
      ))}
    </svg>
  );
}

function ClusterIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 2l8.7 5v10L12 22l-8.7-5V7z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
      <circle cx="12" cy="12" r="3" fill="currentColor" />
    </svg>
  );
}

function PlayIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M7 4v16l13-8z" fill="currentColor" />
    </svg>
  );
}
