// The pure rules behind the editor's file and manifest operations: where saving is allowed, which paths are
// usable, what counts as text, what a manifest needs before it goes to the cluster, which files a lesson grants.
import { describe, expect, test } from 'vitest';
import {
  assertSavable,
  checkManifest,
  editPolicy,
  InvalidPathError,
  isSavable,
  normalizeLabPath,
  PathNotAllowedError,
} from '../../../lab-runner/files/index.ts';
import { editFilesInMdx } from '../../../lab-runner/files/lesson-edit-files.ts';
import { decodeText, lineEnding } from '../../../lab-runner/files/text-content.ts';

describe('paths', () => {
  test('absolute paths are normalised before any check', () => {
    expect(normalizeLabPath('/root/../etc/./passwd')).toBe('/etc/passwd');
    expect(normalizeLabPath('/root//notes.txt')).toBe('/root/notes.txt');
    expect(normalizeLabPath('/root/dir/')).toBe('/root/dir');
    expect(normalizeLabPath('/')).toBe('/');
  });

  test('relative, empty and NUL-carrying paths are refused with the reason', () => {
    expect(() => normalizeLabPath('notes.txt')).toThrow(/is relative/);
    expect(() => normalizeLabPath('')).toThrow(/is empty/);
    expect(() => normalizeLabPath('/root/a\0b')).toThrow(InvalidPathError);
  });
});

describe('edit policy', () => {
  const policy = editPolicy(['/etc/resolv.conf', '/root/already-allowed.txt', '/etc/resolv.conf']);

  test('homes, /tmp, CNI configs and the lesson files may be saved; nothing else', () => {
    for (const ok of ['/root/notes.txt', '/root/a/b/c.yaml', '/home/learner/app.yaml', '/tmp/x', '/etc/cni/net.d/10-kindnet.conflist', '/etc/resolv.conf']) {
      expect(isSavable(ok, policy), ok).toBe(true);
    }
    for (const no of ['/etc/passwd', '/etc/resolv.conf.bak', '/etc/cni/net.d', '/rootkit/x', '/home/other/x', '/usr/bin/ls', '/']) {
      expect(isSavable(no, policy), no).toBe(false);
    }
  });

  test('lesson files already under an allowed tree are not listed twice', () => {
    expect(policy.allow).toEqual(['/root/', '/home/learner/', '/tmp/', '/etc/cni/net.d/', '/etc/resolv.conf']);
  });

  test('the refusal names what is allowed and what to do instead', () => {
    expect(() => assertSavable('/etc/hosts', policy)).toThrow(PathNotAllowedError);
    expect(() => assertSavable('/etc/hosts', policy)).toThrow(
      "Saving /etc/hosts is outside what this lesson lets the editor change. The editor saves under /root, /home/learner, /tmp, /etc/cni/net.d and the lesson's files /etc/resolv.conf. Your text is kept here; to change other files, use the terminal.",
    );
  });
});

describe('text detection', () => {
  test('UTF-8 text is text; NUL bytes and invalid UTF-8 are not', () => {
    expect(decodeText(Buffer.from('café 🛰️\r\n'))).toEqual({ ok: true, text: 'café 🛰️\r\n' });
    expect(decodeText(Buffer.from([0x41, 0x00, 0x42]))).toEqual({ ok: false, why: 'it contains a NUL byte at offset 1' });
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toEqual({ ok: false, why: 'it is not valid UTF-8 text' });
  });

  test('a UTF-8 byte order mark is kept, so a save writes it back', () => {
    const withBom = Buffer.from([0xef, 0xbb, 0xbf, 0x61]);
    const decoded = decodeText(withBom);
    expect(decoded.ok && Buffer.from(decoded.text, 'utf8').equals(withBom)).toBe(true);
  });

  test('the majority line ending is reported', () => {
    expect(lineEnding('a\r\nb\r\nc\n')).toBe('crlf');
    expect(lineEnding('a\nb\r\nc\n')).toBe('lf');
    expect(lineEnding('')).toBe('lf');
  });
});

describe('manifest check before Apply', () => {
  test('a well-formed multi-document manifest names its objects', () => {
    const r = checkManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\n');
    expect(r).toEqual({ issues: [], objects: ['Pod/web', 'Service/web'] });
  });

  test('YAML syntax errors come with line and column', () => {
    const r = checkManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n');
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.message).toBe('Flow sequence in block collection must be sufficiently indented and end with a ]');
    // The parser reports an unterminated "[" where it gave up looking for "]": the end of the text.
    expect(r.issues[0]).toMatchObject({ document: 1, line: 5, column: 1 });
  });

  test('documents without apiVersion, kind or metadata.name are named', () => {
    const r = checkManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n---\nkind: Service\nmetadata: {}\n');
    expect(r.issues).toEqual([
      { document: 2, line: 6, column: 1, message: 'this document has no apiVersion, metadata.name (every object needs apiVersion, kind and metadata.name)' },
    ]);
    expect(checkManifest('- a\n- b\n').issues[0]?.message).toMatch(/must be a mapping/);
    expect(checkManifest('# only a comment\n').issues[0]?.message).toBe('the manifest is empty');
  });

  test('duplicate keys are errors, as kubectl would reject them', () => {
    expect(checkManifest('apiVersion: v1\nkind: Pod\nkind: Service\nmetadata:\n  name: x\n').issues[0]?.message).toMatch(/unique/i);
  });
});

describe('files a lesson grants', () => {
  test('<Edit file> attributes are collected, in any quoting; other components are ignored', () => {
    const mdx = [
      'Open <Edit target="node1" file="/etc/resolv.conf">the resolver config</Edit>.',
      "<Edit target='node2' file='/etc/dnsmasq.conf' />",
      '<Edit target="jumpbox" file={"/home/learner/app.yaml"} />',
      '<Run target="node1">cat /etc/passwd</Run>',
      '<Edit target="node1" file="relative.txt" />',
    ].join('\n');
    expect(editFilesInMdx(mdx)).toEqual(['/etc/dnsmasq.conf', '/etc/resolv.conf', '/home/learner/app.yaml']);
  });
});
