'use client';
// The Editor tab of the lab pane. The tab itself costs nothing: Monaco, its workers and monaco-yaml are fetched
// (from this site) the first time the learner opens it, by a click or by a lesson's <Edit>/<Manifest> action,
// and it stays mounted afterwards so open files and undo history survive switching to a terminal and back.
import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { LabTab } from '../lab-pane/lab-pane.tsx';
import { labOf } from '../lab/lab-session-state.ts';
import { useLabActions, useLabState } from '../lab/lab-session.tsx';
import { EDITOR_TAB_ID } from './editor-bus.ts';
import styles from './editor.module.css';

const LabEditor = dynamic(() => import('./lab-editor.tsx'), {
  ssr: false,
  loading: () => <p className={styles.placeholder}>Loading the editor…</p>,
});

/** The tab to add to the lab pane's tabs, after the terminals. */
export function editorTab(lessonId: string): LabTab {
  return { id: EDITOR_TAB_ID, title: 'Editor', render: () => <EditorPanel lessonId={lessonId} /> };
}

function EditorPanel({ lessonId }: { lessonId: string }) {
  const session = useLabState();
  const actions = useLabActions();
  const visible = session?.state.activeTab === EDITOR_TAB_ID;
  const [opened, setOpened] = useState(false);
  // Derived during render (not in an effect): the first time the tab shows, the editor starts loading.
  if (visible && !opened) setOpened(true);
  if (!session || !actions || !opened) return <p className={styles.placeholder}>Open files from your lab and write Kubernetes manifests here.</p>;
  return <LabEditor lessonId={lessonId} sandbox={session.sandbox} lab={labOf(session.state.status)} visible={visible} startLab={() => void actions.start()} />;
}
