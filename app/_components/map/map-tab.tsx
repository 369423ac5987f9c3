'use client';
// The Map tab of the lab pane: a live drawing of the lab's network. Costs nothing until first opened (React Flow
// and ELK load then); reads the lab only while visible.
import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { LabTab } from '../lab-pane/lab-pane.tsx';
import { useLabState } from '../lab/lab-session.tsx';
import { MAP_TAB_ID } from './capture-target-store.ts';
import styles from './map.module.css';

const MapPanel = dynamic(() => import('./map-panel.tsx'), { ssr: false, loading: () => <p className={styles.muted}>Loading the map…</p> });

export function mapTab(): LabTab {
  return { id: MAP_TAB_ID, title: 'Map', render: () => <MapTabBody /> };
}

function MapTabBody() {
  const visible = useLabState()?.state.activeTab === MAP_TAB_ID;
  const [opened, setOpened] = useState(false);
  if (visible && !opened) setOpened(true);
  if (!opened) return <p className={styles.muted}>A live drawing of your lab: nodes, namespaces, cables, tunnels and Services.</p>;
  return <MapPanel visible={visible} />;
}
