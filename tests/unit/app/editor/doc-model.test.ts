// The editor's document model: FileDoc | ManifestDoc, their keys and model URIs, what is kept as a draft, what a
// save expects the lab to hold, how a draft is restored over a file read from the lab, and the status texts.
import { describe, expect, it } from 'vitest';
import {
  createDoc,
  docDraftKey,
  docLocation,
  docSaveState,
  docTabLabel,
  draftOf,
  fileDocKey,
  isDirtyText,
  isReadOnly,
  manifestDocKey,
  modelUri,
  newFileDoc,
  openDocRefs,
  openedFileDoc,
  patchDoc,
  patchFile,
  saveExpectation,
  type FileDoc,
} from '../../../../app/_components/editor/doc-model.ts';
import type { OpenedFile } from '../../../../app/_components/editor/editor-api.ts';

const LESSON = 'pods/pods-and-network-namespaces';
const version = (sha256: string) => ({ sha256, size: 3, mtimeMs: 1 });

function file(overrides: Partial<OpenedFile> = {}): OpenedFile {
  return {
    target: 'node1',
    path: '/etc/cni/net.d/10-bridge.conflist',
    realPath: '/etc/cni/net.d/10-bridge.conflist',
    content: 'lab',
    version: version('v1'),
    mode: '644',
    savable: true,
    ...overrides,
  } as OpenedFile;
}

function fileDoc(overrides: Partial<Omit<FileDoc, 'kind'>> = {}): FileDoc {
  const doc = createDoc(
    {
      key: fileDocKey('node1', '/root/a.yaml'),
      kind: 'file',
      title: 'a.yaml',
      target: 'node1',
      path: '/root/a.yaml',
      base: version('v1'),
      savedText: 'lab',
      savable: true,
    },
    LESSON,
  );
  if (doc.kind !== 'file') throw new Error('expected a file document');
  return { ...doc, ...overrides };
}

const manifest = createDoc({ key: 'manifest:scratchpad', kind: 'manifest', title: 'Scratchpad', savedText: 'kind: Pod' }, LESSON);

describe('document model', () => {
  it('keys: files by target and path; lesson manifests by title, else their first object', () => {
    expect(fileDocKey('node1', '/etc/hosts')).toBe('file:node1:/etc/hosts');
    expect(manifestDocKey('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n')).toEqual({ key: 'manifest:pod/web', title: 'Pod/web' });
    expect(manifestDocKey('kind: Service\n', 'The Web Service')).toEqual({ key: 'manifest:the-web-service', title: 'The Web Service' });
    expect(manifestDocKey('# nothing\n')).toEqual({ key: 'manifest:manifest', title: 'manifest' });
  });

  it('model URIs: manifests and jumpbox YAML get the Kubernetes schema segment; other lab files do not', () => {
    expect(manifest.uri).toBe(`file:///packetwalk-k8s/${LESSON}/manifest%3Ascratchpad.yaml`);
    expect(manifest.language).toBe('yaml');
    const onJumpbox = {
      key: 'k',
      kind: 'file',
      title: 'p.yaml',
      target: 'jumpbox',
      path: '/root/my pod.yaml',
      base: null,
      savedText: '',
      savable: true,
    } as const;
    expect(modelUri(onJumpbox, LESSON)).toBe('file:///packetwalk-k8s/jumpbox/root/my%20pod.yaml');
    expect(modelUri({ ...onJumpbox, target: 'node1' }, LESSON)).toBe('file:///lab/node1/root/my%20pod.yaml');
    expect(createDoc({ ...onJumpbox, path: '/etc/cni/net.d/10.conflist' }, LESSON).language).toBe('json');
  });

  it('drafts: files per sandbox, target and path; manifests per lesson; a clean file keeps none', () => {
    expect(docDraftKey(fileDoc(), 'two-nodes', LESSON)).toBe('pw-editor:v1:file:two-nodes:node1:/root/a.yaml');
    expect(docDraftKey(manifest, 'two-nodes', LESSON)).toBe(`pw-editor:v1:manifest:${LESSON}:manifest:scratchpad`);
    expect(draftOf(fileDoc(), 'lab', 5)).toBeNull();
    expect(draftOf(fileDoc(), 'mine', 5)).toEqual({ content: 'mine', baseSha: 'v1', savedAt: 5 });
    // A file not in the lab yet keeps its text even when it equals what it started from.
    expect(draftOf(fileDoc({ base: null, savedText: '' }), '', 5)).toEqual({ content: '', baseSha: 'absent', savedAt: 5 });
    expect(draftOf(manifest, 'kind: Pod', 5)).toEqual({ content: 'kind: Pod', baseSha: 'absent', savedAt: 5 });
  });

  it('only files are ever dirty', () => {
    expect(isDirtyText(fileDoc(), 'mine')).toBe(true);
    expect(isDirtyText(fileDoc(), 'lab')).toBe(false);
    expect(isDirtyText(manifest, 'anything')).toBe(false);
  });

  it('a save expects the base version, "absent" for a new file, "any" once the learner keeps their text', () => {
    expect(saveExpectation(fileDoc())).toBe('v1');
    expect(saveExpectation(fileDoc({ base: null }))).toBe('absent');
    expect(saveExpectation(fileDoc(), 'recreate')).toBe('absent');
    expect(saveExpectation(fileDoc(), 'overwrite')).toBe('any');
    expect(saveExpectation(fileDoc({ overwrite: true }))).toBe('any');
  });

  it('opening a file restores a draft; a draft made against another version keeps that base and asks', () => {
    const key = fileDocKey('node1', '/etc/cni/net.d/10-bridge.conflist');
    const fresh = openedFileDoc(key, 'node1', file(), undefined);
    expect(fresh.text).toBe('lab');
    expect(fresh.init).toMatchObject({ kind: 'file', title: '10-bridge.conflist', base: version('v1'), notice: undefined });

    const same = openedFileDoc(key, 'node1', file(), { content: 'mine', baseSha: 'v1', savedAt: 1 });
    expect(same.text).toBe('mine');
    expect(same.init.base).toEqual(version('v1'));
    expect(same.init.notice).toEqual({ tone: 'info', text: 'Restored your unsaved text from this browser.' });

    const stale = openedFileDoc(key, 'node1', file(), { content: 'mine', baseSha: 'v0', savedAt: 1 });
    expect(stale.init.base?.sha256).toBe('v0');
    expect(stale.init.notice?.actions).toEqual(['reload', 'keep-mine']);

    const staleNew = openedFileDoc(key, 'node1', file(), { content: 'mine', baseSha: 'absent', savedAt: 1 });
    expect(staleNew.init.base).toBeNull();

    // A draft equal to the lab's text is no draft at all.
    expect(openedFileDoc(key, 'node1', file(), { content: 'lab', baseSha: 'v0', savedAt: 1 }).init.notice).toBeUndefined();

    const readOnly = openedFileDoc(key, 'node1', file({ savable: false, realPath: '/run/x' }), undefined);
    expect(readOnly.init.notice?.text).toContain('/etc/cni/net.d/10-bridge.conflist (→ /run/x)');
  });

  it('a file the lab does not have opens empty (or with its draft), and Save creates it', () => {
    const created = newFileDoc('k', 'node1', '/root/new.sh', { content: 'echo hi', baseSha: 'absent', savedAt: 1 });
    expect(created.text).toBe('echo hi');
    expect(created.init).toMatchObject({ base: null, savedText: '', savable: true, title: 'new.sh' });
    expect(created.init.notice?.text).toBe('New file: /root/new.sh does not exist on node1 yet. Save creates it.');
  });

  it('patches: any document takes common fields; file fields never land on a manifest', () => {
    const docs = [fileDoc(), manifest];
    expect(patchDoc(docs, manifest.key, { busy: 'applying' })[1]).toMatchObject({ kind: 'manifest', busy: 'applying' });
    expect(patchDoc(docs, fileDoc().key, (d) => ({ title: `${d.title}!` }))[0]).toMatchObject({ title: 'a.yaml!' });
    expect(patchFile(docs, manifest.key, { overwrite: true })[1]).toEqual(manifest);
    expect(patchFile(docs, fileDoc().key, { overwrite: true })[0]).toMatchObject({ overwrite: true });
  });

  it('open documents are remembered as file refs and manifest refs', () => {
    expect(openDocRefs([fileDoc(), manifest])).toEqual([
      { kind: 'file', target: 'node1', path: '/root/a.yaml' },
      { kind: 'manifest', key: 'manifest:scratchpad', title: 'Scratchpad' },
    ]);
  });

  it('status texts and tab labels', () => {
    expect(docLocation(fileDoc())).toBe('node1:/root/a.yaml');
    expect(docLocation(fileDoc({ realPath: '/srv/a.yaml' }))).toBe('node1:/root/a.yaml → /srv/a.yaml');
    expect(docLocation(manifest)).toBe('Scratchpad (kept in this browser)');
    expect(docLocation(undefined)).toBe('');
    expect(docSaveState(fileDoc(), false)).toBe('Saved');
    expect(docSaveState(fileDoc(), true)).toBe('Unsaved changes');
    expect(docSaveState(fileDoc({ base: null }), false)).toBe('New file');
    expect(docSaveState(fileDoc({ busy: 'saving' }), true)).toBe('Saving…');
    expect(docSaveState(manifest, true)).toBe('');
    expect(docTabLabel(fileDoc(), true)).toBe('a.yaml on node1 (unsaved)');
    expect(docTabLabel(manifest, false)).toBe('Scratchpad');
    expect(isReadOnly(fileDoc({ savable: false }))).toBe(true);
    expect(isReadOnly(manifest)).toBe(false);
  });
});
