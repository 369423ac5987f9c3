'use client';
// The right-hand pane of a lesson: a resizable, keyboard-accessible column with a header and a tab strip.
// It knows nothing about terminals or challenges: those arrive as `tabs` (lazy components, see lesson-lab.tsx).
// The width lives in the CSS variable --lab-width (vw) on <html>, restored before paint by the head script.
import { useCallback, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode } from 'react';
import { LAB_WIDTH_STORAGE_KEY } from '../site/theme-script.ts';
import styles from './lab-pane.module.css';

export interface LabTab {
  id: string;
  title: string;
  /** Shown after the title, e.g. a status dot or a count. */
  badge?: ReactNode;
  render: () => ReactNode;
}

export interface LabPaneProps {
  title?: string;
  /** Right side of the header: lab status, reset button… */
  header?: ReactNode;
  tabs: LabTab[];
  /** Shown instead of the tab strip while there are no tabs (before a lab starts). */
  empty: ReactNode;
  /** Controlled active tab (optional): lets the lab code focus a terminal when <Run> is used. */
  activeTab?: string;
  onActiveTabChange?: (id: string) => void;
}

export const LAB_WIDTH = { min: 24, max: 70, initial: 44, step: 2 } as const;

const clamp = (v: number) => Math.min(LAB_WIDTH.max, Math.max(LAB_WIDTH.min, v));

function readWidth(): number {
  const v = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--lab-width'));
  return Number.isFinite(v) ? clamp(v) : LAB_WIDTH.initial;
}

const WIDTH_EVENT = 'pw-lab-width';

function subscribeWidth(onChange: () => void): () => void {
  window.addEventListener(WIDTH_EVENT, onChange);
  return () => window.removeEventListener(WIDTH_EVENT, onChange);
}

function applyWidth(vw: number, persist: boolean): void {
  document.documentElement.style.setProperty('--lab-width', `${vw}vw`);
  window.dispatchEvent(new Event(WIDTH_EVENT));
  if (!persist) return;
  try {
    localStorage.setItem(LAB_WIDTH_STORAGE_KEY, String(vw));
  } catch {
    // Not persisted in private mode; the width still applies.
  }
}

export function LabPane({ title = 'Lab', header, tabs, empty, activeTab, onActiveTabChange }: LabPaneProps) {
  const paneId = useId();
  // The width is the CSS variable itself (set before paint from localStorage); React only mirrors it for ARIA.
  const width = useSyncExternalStore(subscribeWidth, readWidth, () => LAB_WIDTH.initial);
  const [dragging, setDragging] = useState(false);
  const [ownActive, setOwnActive] = useState<string | undefined>(undefined);
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());

  const setAndApply = useCallback((vw: number, persist: boolean) => {
    applyWidth(Math.round(clamp(vw) * 10) / 10, persist);
  }, []);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    setDragging(true);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    setAndApply(((window.innerWidth - e.clientX) / window.innerWidth) * 100, false);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    e.currentTarget.releasePointerCapture(e.pointerId);
    setDragging(false);
    setAndApply(width, true);
  };
  // The separator's value is the lab pane's share of the window: Left widens the pane, Right narrows it.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? LAB_WIDTH.step * 4 : LAB_WIDTH.step;
    const keys: Record<string, number> = {
      ArrowLeft: width + step,
      ArrowUp: width + step,
      ArrowRight: width - step,
      ArrowDown: width - step,
      Home: LAB_WIDTH.min,
      End: LAB_WIDTH.max,
    };
    const next = keys[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setAndApply(next, true);
  };

  const active = tabs.find((t) => t.id === (activeTab ?? ownActive)) ?? tabs[0];
  const select = (id: string) => {
    setOwnActive(id);
    onActiveTabChange?.(id);
  };
  const onTabKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const jump = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : undefined;
    if (!delta && jump === undefined) return;
    e.preventDefault();
    const next = tabs[jump ?? (index + delta + tabs.length) % tabs.length]!;
    select(next.id);
    tabRefs.current.get(next.id)?.focus();
  };

  return (
    <>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the lab pane"
        aria-controls={paneId}
        aria-valuemin={LAB_WIDTH.min}
        aria-valuemax={LAB_WIDTH.max}
        aria-valuenow={Math.round(width)}
        aria-valuetext={`Lab pane ${Math.round(width)}% of the window`}
        tabIndex={0}
        className={styles.separator}
        data-dragging={dragging || undefined}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
        onDoubleClick={() => setAndApply(LAB_WIDTH.initial, true)}
      >
        <span className={styles.grip} aria-hidden="true" />
      </div>
      <aside id={paneId} className={styles.pane} aria-label={title} data-testid="lab-pane">
        <div className={styles.header}>
          <span className={styles.title}>{title}</span>
          <div className={styles.headerSlot}>{header}</div>
        </div>
        {tabs.length > 0 && active ? (
          <>
            <div role="tablist" aria-label="Lab views" className={styles.tabs}>
              {tabs.map((tab, i) => (
                <button
                  key={tab.id}
                  ref={(el) => {
                    if (el) tabRefs.current.set(tab.id, el);
                    else tabRefs.current.delete(tab.id);
                  }}
                  role="tab"
                  type="button"
                  id={`${paneId}-tab-${tab.id}`}
                  aria-selected={tab.id === active.id}
                  aria-controls={`${paneId}-panel-${tab.id}`}
                  tabIndex={tab.id === active.id ? 0 : -1}
                  className={styles.tab}
                  onClick={() => select(tab.id)}
                  onKeyDown={(e) => onTabKeyDown(e, i)}
                >
                  {tab.title}
                  {tab.badge}
                </button>
              ))}
            </div>
            {tabs.map((tab) => (
              // Inactive panels stay mounted (hidden) so terminals keep their state when switching tabs.
              <div
                key={tab.id}
                role="tabpanel"
                id={`${paneId}-panel-${tab.id}`}
                aria-labelledby={`${paneId}-tab-${tab.id}`}
                hidden={tab.id !== active.id}
                className={styles.panel}
              >
                {tab.render()}
              </div>
            ))}
          </>
        ) : (
          <div className={styles.panel}>{empty}</div>
        )}
      </aside>
    </>
  );
}
