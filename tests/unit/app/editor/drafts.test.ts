// The list of open documents comes back from localStorage, which any older build or a hand edit may have written:
// it is parsed, and entries that are not a file ref or a manifest ref are skipped instead of breaking the editor.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOpenDocs, saveOpenDocs } from '../../../../app/_components/editor/drafts.ts';

class MemoryStorage {
  #items = new Map<string, string>();
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
}

const LESSON = 'pods/pods-and-network-namespaces';

describe('open documents in localStorage', () => {
  beforeEach(() => {
    (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  });
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('round-trips file and manifest refs with the document in front', () => {
    saveOpenDocs(
      LESSON,
      [
        { kind: 'file', target: 'node1', path: '/etc/hosts' },
        { kind: 'manifest', key: 'manifest:pod/web', title: 'Pod/web' },
      ],
      'file:node1:/etc/hosts',
    );
    expect(loadOpenDocs(LESSON)).toEqual({
      docs: [
        { kind: 'file', target: 'node1', path: '/etc/hosts' },
        { kind: 'manifest', key: 'manifest:pod/web', title: 'Pod/web' },
      ],
      active: 'file:node1:/etc/hosts',
    });
  });

  it('skips refs that are not whole, and reads garbage as nothing open', () => {
    localStorage.setItem(
      `pw-editor:v1:open:${LESSON}`,
      JSON.stringify({ docs: [{ kind: 'file', target: 'node1' }, { kind: 'manifest', key: 'manifest:x' }, { kind: 'other' }, 7], active: 'manifest:x' }),
    );
    expect(loadOpenDocs(LESSON)).toEqual({ docs: [{ kind: 'manifest', key: 'manifest:x' }], active: 'manifest:x' });
    localStorage.setItem(`pw-editor:v1:open:${LESSON}`, '{not json');
    expect(loadOpenDocs(LESSON)).toEqual({ docs: [] });
    localStorage.setItem(`pw-editor:v1:open:${LESSON}`, JSON.stringify({ docs: 'no' }));
    expect(loadOpenDocs(LESSON)).toEqual({ docs: [] });
  });
});
