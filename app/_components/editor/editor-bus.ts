// How lesson prose reaches the editor: <Edit> and <Manifest> post a request here; the Editor tab (loaded lazily,
// maybe not yet mounted) takes it when it subscribes. Requests made before then wait, in order.
export type EditorRequest = { kind: 'file'; target: string; path: string } | { kind: 'manifest'; yaml: string; title?: string; apply?: boolean };

type Listener = (request: EditorRequest) => void;

const listeners = new Set<Listener>();
let waiting: EditorRequest[] = [];

export function requestEditor(request: EditorRequest): void {
  if (listeners.size === 0) {
    waiting.push(request);
    return;
  }
  for (const l of listeners) l(request);
}

/** Subscribes the editor; requests that arrived before any editor existed are delivered at once. */
export function onEditorRequest(listener: Listener): () => void {
  listeners.add(listener);
  const pending = waiting;
  waiting = [];
  for (const r of pending) listener(r);
  return () => {
    listeners.delete(listener);
  };
}

/** The lab pane's id for the Editor tab (LabSession.setActiveTab). */
export const EDITOR_TAB_ID = 'editor';
