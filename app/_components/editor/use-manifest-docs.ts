'use client';
// Manifests in the editor: the lesson's scratchpad and the lesson's <Manifest> blocks, each kept in this browser;
// Apply and Diff of any YAML document against the learner's cluster (an Apply asked before the lab is ready runs
// once it is), and the cluster's own schema for checking manifests as they are typed.
import { useCallback, useEffect, useState } from 'react';
import { clusterSchema, runManifest } from './editor-api.ts';
import { loadDraft, manifestDraftKey, type OpenDocRef } from './drafts.ts';
import { manifestDocKey, SCRATCHPAD_KEY, SCRATCHPAD_TEMPLATE, type NoticeAction } from './doc-model.ts';
import type { ManifestOutcome } from './manifest-output.tsx';
import { setKubernetesSchema } from './monaco-setup.ts';
import type { ReadyQueue } from './ready-queue.ts';
import type { EditorDocs } from './use-editor-docs.ts';

export type ManifestAction = 'apply' | 'diff';

/** The schema line of the status bar: none without a cluster, else loading, ready or failed. */
export type SchemaStatus = { status: 'none' } | { status: 'loading' | 'ready' | 'error'; text: string };

export interface ManifestDocsOptions {
  docs: EditorDocs;
  labId: string | undefined;
  /** A lab exists (maybe still starting): what to say when Apply has to wait. */
  hasLab: boolean;
  /** The lab has a Kubernetes cluster (a jumpbox target). */
  hasCluster: boolean;
  lessonId: string;
  startLab(): void;
  ready: ReadyQueue<string>;
}

export function useManifestDocs({ docs: d, labId, hasLab, hasCluster, lessonId, startLab, ready }: ManifestDocsOptions) {
  const [outcome, setOutcome] = useState<ManifestOutcome | undefined>();

  const ensure = useCallback(
    (key: string, title: string, lessonText: string) => {
      const draft = loadDraft(manifestDraftKey(lessonId, key));
      return d.ensure({ key, kind: 'manifest', title, savedText: lessonText }, draft?.content ?? lessonText);
    },
    [d, lessonId],
  );

  /** Opens a lesson's manifest (the learner's edited copy when there is one) and brings it in front. */
  const open = useCallback(
    (yaml: string, title?: string): string => {
      const m = manifestDocKey(yaml, title);
      const existing = d.get(m.key);
      ensure(m.key, m.title, yaml);
      if (existing && d.textOf(m.key) !== yaml) {
        d.update(m.key, { savedText: yaml, notice: { tone: 'info', text: `This is your edited copy of ${m.title}.`, actions: ['reload'] } });
      }
      d.setActiveKey(m.key);
      return m.key;
    },
    [d, ensure],
  );

  /** The scratchpad always; other manifests that were open before a reload, from their drafts. */
  const restore = useCallback(
    (refs: readonly OpenDocRef[]) => {
      ensure(SCRATCHPAD_KEY, 'Scratchpad', SCRATCHPAD_TEMPLATE);
      for (const ref of refs) {
        if (ref.kind === 'manifest' && ref.key !== SCRATCHPAD_KEY && loadDraft(manifestDraftKey(lessonId, ref.key)))
          ensure(ref.key, ref.title ?? 'Manifest', '');
      }
    },
    [ensure, lessonId],
  );

  const runIn = useCallback(
    async (lab: string, action: ManifestAction, key: string, forceConflicts: boolean) => {
      if (!d.get(key)) return;
      d.update(key, { busy: action === 'apply' ? 'applying' : 'diffing' });
      try {
        setOutcome({ action, run: await runManifest(action, lab, d.textOf(key), forceConflicts) });
      } catch (err) {
        setOutcome({ action, error: err instanceof Error ? err.message : String(err) });
      } finally {
        d.update(key, { busy: undefined });
      }
    },
    [d],
  );

  /** kubectl apply or diff of a YAML document (a manifest or a lab file) against the learner's cluster. */
  const run = useCallback(
    (action: ManifestAction, key: string, forceConflicts = false) => {
      if (!d.get(key)) return;
      if (labId) {
        void runIn(labId, action, key, forceConflicts);
        return;
      }
      // Only the latest Apply waits for the lab; a Diff of a lab that is not there has nothing to compare.
      if (action === 'apply') void ready.whenReady((lab) => runIn(lab, 'apply', key, false), { key: 'apply' });
      setOutcome({
        action,
        error: hasLab ? 'Your lab is still starting; this runs once it is ready.' : 'Starting your lab first; this runs once it is ready.',
      });
      startLab();
    },
    [d, labId, hasLab, startLab, ready, runIn],
  );

  /** Back to the lesson's version; Ctrl+Z undoes it. */
  const onNoticeAction = useCallback(
    (key: string, action: NoticeAction) => {
      const doc = d.get(key);
      if (doc?.kind !== 'manifest' || action !== 'reload') return;
      d.setText(key, doc.savedText);
      d.update(key, { notice: { tone: 'info', text: 'Back to the lesson’s version (Ctrl+Z undoes this).' } });
    },
    [d],
  );

  // The cluster's own schema for manifests; labs without a cluster check YAML syntax only.
  const [loadedSchema, setLoadedSchema] = useState<{ labId: string; status: 'ready' | 'error'; text: string } | undefined>();
  useEffect(() => {
    if (!labId || !hasCluster) {
      setKubernetesSchema(undefined);
      return;
    }
    let cancelled = false;
    clusterSchema(labId).then(
      (s) => {
        if (cancelled) return;
        setKubernetesSchema(s);
        setLoadedSchema({ labId, status: 'ready', text: `Checked against Kubernetes ${s.kubernetesVersion} (${s.kinds.length} kinds)` });
      },
      (err: unknown) => {
        if (!cancelled)
          setLoadedSchema({
            labId,
            status: 'error',
            text: `Schema unavailable (YAML syntax is still checked): ${err instanceof Error ? err.message : String(err)}`,
          });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [labId, hasCluster]);
  const schema: SchemaStatus =
    !labId || !hasCluster ? { status: 'none' } : loadedSchema?.labId === labId ? loadedSchema : { status: 'loading', text: 'Loading the cluster’s schema…' };

  return { outcome, closeOutcome: () => setOutcome(undefined), open, restore, run, onNoticeAction, schema };
}
