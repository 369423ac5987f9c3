'use client';
// The Capture tab of the lab pane: costs nothing until first opened.
import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { LabTab } from '../lab-pane/lab-pane.tsx';
import { useLabState } from '../lab/lab-session.tsx';
import { CAPTURE_TAB_ID } from '../map/capture-target-store.ts';
import styles from './capture.module.css';

const CapturePanel = dynamic(() => import('./capture-panel.tsx'), { ssr: false, loading: () => <p className={styles.muted}>Loading…</p> });

export function captureTab(): LabTab {
  return { id: CAPTURE_TAB_ID, title: 'Capture', render: () => <CaptureTabBody /> };
}

function CaptureTabBody() {
  const visible = useLabState()?.state.activeTab === CAPTURE_TAB_ID;
  const [opened, setOpened] = useState(false);
  if (visible && !opened) setOpened(true);
  if (!opened) return <p className={styles.muted}>Capture packets on any interface of your lab, decoded by tshark.</p>;
  return <CapturePanel visible={visible} />;
}
