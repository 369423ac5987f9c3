// Unsaved text survives a reload (and a crashed tab) in localStorage: one entry per open file, per manifest,
// and the list of open documents. A draft remembers which lab version it was based on, so saving a restored
// draft over a file that changed meanwhile still asks first.
const PREFIX = 'pw-editor:v1';

export interface Draft {
  content: string;
  /** sha256 of the lab version the text started from; "absent" for a file not yet created. */
  baseSha: string;
  savedAt: number;
}

export interface OpenDocRef {
  kind: 'file' | 'manifest';
  target?: string;
  path?: string;
  /** Manifest documents: their key. */
  key?: string;
  title?: string;
}

function read<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): boolean {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    // Storage full or disabled (private mode): the text is still in the editor, just not across reloads.
    return false;
  }
}

export const fileDraftKey = (sandbox: string, target: string, path: string) => `${PREFIX}:file:${sandbox}:${target}:${path}`;
export const manifestDraftKey = (lesson: string, key: string) => `${PREFIX}:manifest:${lesson}:${key}`;
const openDocsKey = (lesson: string) => `${PREFIX}:open:${lesson}`;

export const loadDraft = (key: string) => read<Draft>(key);
export const saveDraft = (key: string, draft: Draft) => write(key, draft);
export const dropDraft = (key: string) => write(key, undefined);

export function loadOpenDocs(lesson: string): { docs: OpenDocRef[]; active?: string } {
  return read<{ docs: OpenDocRef[]; active?: string }>(openDocsKey(lesson)) ?? { docs: [] };
}

export function saveOpenDocs(lesson: string, docs: OpenDocRef[], active: string | undefined): void {
  write(openDocsKey(lesson), { docs, active });
}
