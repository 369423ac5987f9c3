// The editor's documents as data, with no React and no Monaco: a lab file (FileDoc: a target, a path and the lab
// version the text is based on) or a manifest (ManifestDoc: kept only in this browser). Everything here is pure,
// so the rules (keys, model URIs, drafts, what a save expects, what the status bar says) are unit-tested.
import { fileDraftKey, manifestDraftKey, type Draft, type OpenDocRef } from './drafts.ts';
import type { FileVersion, OpenedFile } from './editor-api.ts';
import { languageForPath } from './languages.ts';

export type NoticeAction = 'reload' | 'overwrite' | 'recreate' | 'keep-mine';

export interface Notice {
  tone: 'info' | 'ok' | 'warn' | 'error';
  text: string;
  actions?: NoticeAction[];
}

interface DocBase {
  key: string;
  title: string;
  uri: string;
  language: string;
  /** Files: the text that equals `base` (dirty when the model differs). Manifests: the lesson's version. */
  savedText: string;
  busy?: 'loading' | 'saving' | 'applying' | 'diffing';
  notice?: Notice;
}

export interface FileDoc extends DocBase {
  kind: 'file';
  target: string;
  path: string;
  /** The lab version the text is based on; null for a file that does not exist in the lab yet. */
  base: FileVersion | null;
  /** Whether the lesson lets the editor save it (else read-only). */
  savable: boolean;
  /** Where the path leads after symlinks, when the lab said. */
  realPath?: string;
  /** The learner chose to keep their text over a change in the lab: the next save overwrites. */
  overwrite?: boolean;
}

export interface ManifestDoc extends DocBase {
  kind: 'manifest';
}

export type Doc = FileDoc | ManifestDoc;

/** What a document is created from; the URI and the language follow from it. */
export type DocInit = Omit<FileDoc, 'uri' | 'language'> | Omit<ManifestDoc, 'uri' | 'language'>;

/** Fields any document may change. */
export type DocPatch = Partial<Pick<DocBase, 'title' | 'savedText' | 'busy' | 'notice'>>;
/** Fields a file document may change besides. */
export type FilePatch = DocPatch & Partial<Pick<FileDoc, 'base' | 'savable' | 'realPath' | 'overwrite'>>;

/** Models whose URI contains this segment get the Kubernetes schema (manifests, YAML on the jumpbox). */
export const KUBERNETES_SEGMENT = 'packetwalk-k8s';

export const SCRATCHPAD_KEY = 'manifest:scratchpad';

export const SCRATCHPAD_TEMPLATE = `# Scratchpad: Kubernetes manifests for this lesson. Kept in this browser, never lost on reload.
# Apply (Ctrl+Enter) sends them to your lab's cluster with server-side apply; Diff shows what would change.
`;

export function fileDocKey(target: string, path: string): string {
  return `file:${target}:${path}`;
}

/** A stable document key for a lesson manifest: its title, else its first object. */
export function manifestDocKey(yaml: string, title?: string): { key: string; title: string } {
  const kind = /^kind:\s*(\S+)/m.exec(yaml)?.[1];
  const name = /^\s+name:\s*(\S+)/m.exec(yaml)?.[1];
  const label = title ?? (kind && name ? `${kind}/${name}` : (kind ?? 'manifest'));
  return { key: `manifest:${label.toLowerCase().replace(/[^a-z0-9/-]+/g, '-')}`, title: label };
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/** YAML on the jumpbox (where kubectl runs) and manifests get the Kubernetes schema; other lab files do not. */
export function modelUri(doc: DocInit, lessonId: string): string {
  if (doc.kind === 'manifest') return `file:///${KUBERNETES_SEGMENT}/${lessonId}/${encodeURIComponent(doc.key)}.yaml`;
  const isYaml = /\.ya?ml$/i.test(doc.path);
  const root = doc.target === 'jumpbox' && isYaml ? `${KUBERNETES_SEGMENT}/jumpbox` : `lab/${doc.target}`;
  return `file:///${root}${doc.path.split('/').map(encodeURIComponent).join('/')}`;
}

export function createDoc(init: DocInit, lessonId: string): Doc {
  const uri = modelUri(init, lessonId);
  return init.kind === 'manifest' ? { ...init, uri, language: 'yaml' } : { ...init, uri, language: languageForPath(init.path) };
}

/** Drafts of lab files are kept per sandbox, target and path; manifests per lesson. */
export function docDraftKey(doc: Doc, sandbox: string, lessonId: string): string {
  return doc.kind === 'file' ? fileDraftKey(sandbox, doc.target, doc.path) : manifestDraftKey(lessonId, doc.key);
}

/** What to keep in localStorage for a document's text: a draft, or nothing (a clean file matches the lab). */
export function draftOf(doc: Doc, text: string, now: number): Draft | null {
  if (doc.kind === 'manifest') return { content: text, baseSha: 'absent', savedAt: now };
  if (text !== doc.savedText || doc.base === null) return { content: text, baseSha: doc.base?.sha256 ?? 'absent', savedAt: now };
  return null;
}

/** Manifests are never dirty (their text lives in this browser); a file is when it differs from the lab version. */
export function isDirtyText(doc: Doc, text: string): boolean {
  return doc.kind === 'file' && text !== doc.savedText;
}

export function patchDoc(docs: readonly Doc[], key: string, patch: DocPatch | ((doc: Doc) => DocPatch)): Doc[] {
  return docs.map((d) => (d.key === key ? { ...d, ...(typeof patch === 'function' ? patch(d) : patch) } : d));
}

/** Changes a file document; a manifest under that key is left alone. */
export function patchFile(docs: readonly Doc[], key: string, patch: FilePatch): Doc[] {
  return docs.map((d) => (d.key === key && d.kind === 'file' ? { ...d, ...patch } : d));
}

/** The version a save expects the lab to hold: "any" to overwrite, "absent" to create, else the base's sha256. */
export function saveExpectation(doc: FileDoc, mode?: 'overwrite' | 'recreate'): string {
  if (mode === 'overwrite' || doc.overwrite) return 'any';
  if (mode === 'recreate' || !doc.base) return 'absent';
  return doc.base.sha256;
}

/** A file document for a file just read from the lab, restoring this browser's draft of it when there is one. */
export function openedFileDoc(
  key: string,
  target: string,
  file: OpenedFile,
  draft: Draft | undefined,
): { init: Omit<FileDoc, 'uri' | 'language'>; text: string } {
  const restored = draft && draft.content !== file.content ? draft : undefined;
  const stale = !!restored && restored.baseSha !== file.version.sha256;
  const shown = file.realPath !== file.path ? `${file.path} (→ ${file.realPath})` : file.path;
  const notice: Notice | undefined = !file.savable
    ? { tone: 'info', text: `Read-only: this lesson does not let the editor save ${shown}. Change it in the terminal if you need to.` }
    : stale
      ? { tone: 'warn', text: 'Restored your unsaved text from this browser, but the file has changed in the lab since.', actions: ['reload', 'keep-mine'] }
      : restored
        ? { tone: 'info', text: 'Restored your unsaved text from this browser.' }
        : undefined;
  return {
    init: {
      key,
      kind: 'file',
      title: baseName(file.path),
      target,
      path: file.path,
      // A restored draft made against another version keeps that base, so saving it asks before overwriting.
      base: stale && restored ? (restored.baseSha === 'absent' ? null : { ...file.version, sha256: restored.baseSha }) : file.version,
      savedText: file.content,
      savable: file.savable,
      realPath: file.realPath,
      notice,
    },
    text: restored ? restored.content : file.content,
  };
}

/** A file document for a file the lab does not have yet (Save creates it). */
export function newFileDoc(key: string, target: string, path: string, draft: Draft | undefined): { init: Omit<FileDoc, 'uri' | 'language'>; text: string } {
  return {
    init: {
      key,
      kind: 'file',
      title: baseName(path),
      target,
      path,
      base: null,
      savedText: '',
      savable: true,
      notice: { tone: 'info', text: `New file: ${path} does not exist on ${target} yet. Save creates it.` },
    },
    text: draft?.content ?? '',
  };
}

/** Which documents were open, as kept across a reload. */
export function openDocRefs(docs: readonly Doc[]): OpenDocRef[] {
  return docs.map((d) => (d.kind === 'file' ? { kind: 'file', target: d.target, path: d.path } : { kind: 'manifest', key: d.key, title: d.title }));
}

export function isReadOnly(doc: Doc | undefined): boolean {
  return doc?.kind === 'file' && !doc.savable;
}

/** The status bar's location: target:path (→ where a symlink leads) for files; manifests live in this browser. */
export function docLocation(doc: Doc | undefined): string {
  if (!doc) return '';
  if (doc.kind === 'manifest') return `${doc.title} (kept in this browser)`;
  return `${doc.target}:${doc.realPath && doc.realPath !== doc.path ? `${doc.path} → ${doc.realPath}` : doc.path}`;
}

/** The status bar's save state of a file ("" for manifests). */
export function docSaveState(doc: Doc | undefined, dirty: boolean): string {
  if (doc?.kind !== 'file') return '';
  if (doc.busy === 'saving') return 'Saving…';
  if (dirty) return 'Unsaved changes';
  return doc.base ? 'Saved' : 'New file';
}

/** A document tab's accessible name: title, where a file lives, and whether it has unsaved text. */
export function docTabLabel(doc: Doc, dirty: boolean): string {
  return `${doc.title}${doc.kind === 'file' ? ` on ${doc.target}` : ''}${dirty ? ' (unsaved)' : ''}`;
}
