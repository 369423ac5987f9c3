// Unsaved text survives a reload (and a crashed tab) in localStorage: one entry per open file, per manifest,
// and the list of open documents. A draft remembers which lab version it was based on, so saving a restored
// draft over a file that changed meanwhile still asks first.
import { z } from 'zod';

const PREFIX = 'pw-editor:v1';

export interface Draft {
  content: string;
  /** sha256 of the lab version the text started from; "absent" for a file not yet created. */
  baseSha: string;
  savedAt: number;
}

const openDocRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), target: z.string().min(1), path: z.string().min(1) }),
  /** Manifest documents: their key. */
  z.object({ kind: z.literal('manifest'), key: z.string().min(1), title: z.string().optional() }),
]);
export type OpenDocRef = z.infer<typeof openDocRef>;

/** What another version of the site (or a hand edit) left in storage is read leniently: unknown entries are skipped. */
const openDocs = z.object({ docs: z.array(z.unknown()), active: z.string().optional() });

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
  const stored = openDocs.safeParse(read<unknown>(openDocsKey(lesson)));
  if (!stored.success) return { docs: [] };
  const docs = stored.data.docs.flatMap((d) => {
    const ref = openDocRef.safeParse(d);
    return ref.success ? [ref.data] : [];
  });
  return { docs, active: stored.data.active };
}

export function saveOpenDocs(lesson: string, docs: OpenDocRef[], active: string | undefined): void {
  write(openDocsKey(lesson), { docs, active });
}
