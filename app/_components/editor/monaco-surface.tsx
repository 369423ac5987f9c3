'use client';
// The Monaco editor itself: shows the model of the document in front, remembers where the cursor was in each
// document, and binds the lab's keys (Ctrl+S save, Ctrl+Enter apply, Ctrl+Shift+Enter diff).
import Editor from '@monaco-editor/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/editor';
import { themeName, type Monaco } from './monaco-setup.ts';
import { useLatest } from './use-latest.ts';
import styles from './editor.module.css';

export interface MonacoSurfaceProps {
  monaco: Monaco;
  /** The document in front and its model (null: none). */
  docKey: string | undefined;
  model: MonacoApi.editor.ITextModel | null;
  readOnly: boolean;
  onSave(): void;
  onApply(): void;
  onDiff(): void;
}

/** A view state belongs to the model it was saved from: a document closed and opened again starts at the top. */
interface SavedView {
  model: MonacoApi.editor.ITextModel | null;
  view: MonacoApi.editor.ICodeEditorViewState | null;
}

export function MonacoSurface({ monaco, docKey, model, readOnly, onSave, onApply, onDiff }: MonacoSurfaceProps) {
  const editorRef = useRef<MonacoApi.editor.IStandaloneCodeEditor | null>(null);
  const [mounted, setMounted] = useState(false);
  const views = useRef(new Map<string, SavedView>());
  const shownKey = useRef<string | undefined>(undefined);
  // Monaco's keybindings are registered once, at mount; they call the latest handlers through this ref.
  const commands = useLatest({ onSave, onApply, onDiff });

  const onMount = useCallback(
    (editor: MonacoApi.editor.IStandaloneCodeEditor) => {
      editorRef.current = editor;
      const { KeyMod, KeyCode } = monaco;
      editor.addAction({ id: 'packetwalk.save', label: 'Save to the lab', keybindings: [KeyMod.CtrlCmd | KeyCode.KeyS], run: () => commands.current.onSave() });
      editor.addAction({
        id: 'packetwalk.apply',
        label: 'Apply this manifest to the cluster',
        keybindings: [KeyMod.CtrlCmd | KeyCode.Enter],
        run: () => commands.current.onApply(),
      });
      editor.addAction({
        id: 'packetwalk.diff',
        label: 'Diff this manifest against the cluster',
        keybindings: [KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.Enter],
        run: () => commands.current.onDiff(),
      });
      setMounted(true);
    },
    [monaco, commands],
  );

  // Show the document's model; remember where the cursor was in the one we leave.
  useEffect(() => {
    const editor = editorRef.current;
    if (!mounted || !editor) return;
    if (shownKey.current && shownKey.current !== docKey) views.current.set(shownKey.current, { model: editor.getModel(), view: editor.saveViewState() });
    if (editor.getModel() !== model) {
      editor.setModel(model);
      const saved = docKey ? views.current.get(docKey) : undefined;
      if (saved?.view && saved.model === model) editor.restoreViewState(saved.view);
    }
    shownKey.current = docKey;
    for (const [key, saved] of views.current) if (saved.model?.isDisposed()) views.current.delete(key);
    editor.updateOptions({
      readOnly,
      readOnlyMessage: { value: 'This lesson does not let the editor save this file; change it in the terminal.' },
    });
  }, [mounted, docKey, model, readOnly]);

  const fontFamily = useMemo(() => getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace', []);

  return (
    <div className={styles.monaco}>
      <Editor
        theme={themeName()}
        keepCurrentModel
        loading={<p className={styles.loading}>Loading the editor…</p>}
        onMount={onMount}
        options={{
          automaticLayout: true,
          fontFamily,
          fontSize: 13,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          tabSize: 2,
          renderWhitespace: 'selection',
          unicodeHighlight: { ambiguousCharacters: true, invisibleCharacters: true },
          ariaLabel: 'Editor. Press Ctrl+M, then Tab, to move focus out of the editor.',
          fixedOverflowWidgets: true,
        }}
      />
    </div>
  );
}
