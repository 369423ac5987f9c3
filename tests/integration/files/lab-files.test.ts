// Open, edit and save files on a real lab node: byte-exact round trips (quotes, $, backticks, CRLF, UTF-8),
// conflict and disappearance detection, refusals (size, binary, directories, paths outside the lesson), symlinks,
// bind-mounted files, modes, and the unprivileged jumpbox user.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BinaryFileError,
  DirectoryMissingError,
  editPolicy,
  FileConflictError,
  FileError,
  FileGoneError,
  FileNotFoundError,
  FileTooLargeError,
  LabFiles,
  MAX_FILE_BYTES,
  NotAFileError,
  PathNotAllowedError,
  PermissionDeniedError,
} from '../../../lab-runner/files/index.ts';
import { startEditorLab, type EditorLab } from './editor-lab.ts';

let lab: EditorLab;
let files: LabFiles;
const policy = editPolicy(['/etc/resolv.conf', '/etc/hosts']);
const node1 = { name: 'node1', kind: 'node' } as const;

beforeAll(async () => {
  lab = await startEditorLab();
  files = new LabFiles(lab.labs);
});
afterAll(async () => {
  await lab?.close();
});

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
/** The file's bytes as the lab sees them (base64 through the exec so nothing is re-decoded). */
const bytesInLab = async (path: string, target = 'node1') => Buffer.from((await lab.sh(target, `base64 -w0 '${path}'`)).trim(), 'base64');

const TRICKY = [
  `name: "double" and 'single' quotes`,
  'dollar: $HOME ${PATH} $(rm -rf /tmp/should-not-run) $$ \\$escaped',
  'backticks: `id` and ``nested``',
  'backslashes: C:\\Windows\\system32 \\n is not a newline',
  'crlf line\r',
  'utf-8: café, naïve, 日本語, Ελληνικά, emoji 🛰️, zero-width\u200bjoiner',
  '-leading-dash; pipes | and > redirects < and & ampersands; EOF',
  '',
  'EOF',
  'trailing line without newline',
].join('\n');

describe('round trip on a real node', () => {
  test('a new file with quotes, $, backticks, CRLF and UTF-8 is written byte for byte, and reads back identical', async () => {
    const saved = await files.write(lab.labId, node1, { path: '/root/notes.txt', content: TRICKY, expected: 'absent', policy });
    const inLab = await bytesInLab('/root/notes.txt');
    expect(inLab.equals(Buffer.from(TRICKY, 'utf8'))).toBe(true);
    expect(saved.version.sha256).toBe(sha256(TRICKY));
    expect(saved.version.size).toBe(Buffer.byteLength(TRICKY));
    // Nothing in the content ran as shell.
    expect(await lab.sh('node1', 'test -e /tmp/should-not-run && echo ran || echo safe')).toBe('safe\n');

    const opened = await files.read(lab.labId, node1, '/root/notes.txt', policy);
    expect(opened.content).toBe(TRICKY);
    expect(opened.version.sha256).toBe(saved.version.sha256);
    expect(opened.savable).toBe(true);
    expect(opened.mode).toBe('644');
  });

  test('an edit saved against the version it opened replaces the file atomically and keeps its mode', async () => {
    await lab.sh('node1', "printf 'listen 80;\\r\\nroot /srv;\\r\\n' > /root/site.conf && chmod 600 /root/site.conf");
    const opened = await files.read(lab.labId, node1, '/root/site.conf', policy);
    expect(opened.lineEnding).toBe('crlf');
    const edited = opened.content.replace('80', '8080');
    const saved = await files.write(lab.labId, node1, { path: '/root/site.conf', content: edited, expected: opened.version.sha256, policy });
    expect((await bytesInLab('/root/site.conf')).toString('utf8')).toBe('listen 8080;\r\nroot /srv;\r\n');
    expect(saved.version.sha256).toBe(sha256(edited));
    expect(await lab.sh('node1', 'stat -c %a /root/site.conf')).toBe('600\n');
    // No temporary file is left behind.
    expect(await lab.sh('node1', 'ls -A /root | grep -c packetwalk-save || true')).toBe('0\n');
  });

  test('an empty file can be opened and saved', async () => {
    await lab.sh('node1', ': > /root/empty.txt');
    const opened = await files.read(lab.labId, node1, '/root/empty.txt', policy);
    expect(opened.content).toBe('');
    await files.write(lab.labId, node1, { path: '/root/empty.txt', content: 'now with text\n', expected: opened.version.sha256, policy });
    expect(await lab.sh('node1', 'cat /root/empty.txt')).toBe('now with text\n');
  });
});

describe('changes made in the lab meanwhile', () => {
  test('a file changed in the lab since it was opened is a conflict that reports the lab version and writes nothing', async () => {
    await lab.sh('node1', "printf 'a: 1\\n' > /root/conflict.yaml");
    const opened = await files.read(lab.labId, node1, '/root/conflict.yaml', policy);
    await lab.sh('node1', "printf 'a: 2 # changed in the terminal\\n' > /root/conflict.yaml");

    const err = await files
      .write(lab.labId, node1, { path: '/root/conflict.yaml', content: 'a: 3\n', expected: opened.version.sha256, policy })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileConflictError);
    const conflict = err as FileConflictError;
    expect(conflict.expected).toBe(opened.version.sha256);
    expect(conflict.current.sha256).toBe(sha256('a: 2 # changed in the terminal\n'));
    expect(conflict.message).toMatch(/changed on node1 since you opened it/);
    expect(await lab.sh('node1', 'cat /root/conflict.yaml')).toBe('a: 2 # changed in the terminal\n');

    // "Overwrite" is a save that expects anything.
    await files.write(lab.labId, node1, { path: '/root/conflict.yaml', content: 'a: 3\n', expected: 'any', policy });
    expect(await lab.sh('node1', 'cat /root/conflict.yaml')).toBe('a: 3\n');
  });

  test('stat sees a change without reading the content, and a touch that changes nothing is not a conflict', async () => {
    await lab.sh('node1', "printf 'x\\n' > /root/touched.txt");
    const opened = await files.read(lab.labId, node1, '/root/touched.txt', policy);
    await lab.sh('node1', 'sleep 0.01; touch /root/touched.txt');
    const after = await files.stat(lab.labId, node1, '/root/touched.txt');
    expect(after.sha256).toBe(opened.version.sha256);
    expect(after.mtimeMs).toBeGreaterThan(opened.version.mtimeMs);
    await expect(files.write(lab.labId, node1, { path: '/root/touched.txt', content: 'y\n', expected: opened.version.sha256, policy })).resolves.toBeDefined();
  });

  test('creating a file that appeared in the meantime is a conflict too', async () => {
    await lab.sh('node1', "printf 'made by a script\\n' > /root/raced.txt");
    const err = await files.write(lab.labId, node1, { path: '/root/raced.txt', content: 'mine\n', expected: 'absent', policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileConflictError);
    expect((err as Error).message).toMatch(/created on node1 by something else/);
    expect(await lab.sh('node1', 'cat /root/raced.txt')).toBe('made by a script\n');
  });

  test('a file deleted since it was opened is reported as gone; saving as new recreates it', async () => {
    await lab.sh('node1', "printf 'keep me\\n' > /root/gone.txt");
    const opened = await files.read(lab.labId, node1, '/root/gone.txt', policy);
    await lab.sh('node1', 'rm /root/gone.txt');
    const err = await files
      .write(lab.labId, node1, { path: '/root/gone.txt', content: 'keep me too\n', expected: opened.version.sha256, policy })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileGoneError);
    expect(await lab.sh('node1', 'test -e /root/gone.txt && echo exists || echo absent')).toBe('absent\n');
    await files.write(lab.labId, node1, { path: '/root/gone.txt', content: 'keep me too\n', expected: 'absent', policy });
    expect(await lab.sh('node1', 'cat /root/gone.txt')).toBe('keep me too\n');
  });
});

describe('refusals', () => {
  test('a file over the limit is refused with its size; one exactly at the limit opens', async () => {
    await lab.sh(
      'node1',
      `head -c ${2 * 1024 * 1024} /dev/zero | tr '\\0' a > /root/big.txt; head -c ${MAX_FILE_BYTES} /dev/zero | tr '\\0' b > /root/limit.txt`,
    );
    const err = await files.read(lab.labId, node1, '/root/big.txt', policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect((err as FileTooLargeError).size).toBe(2 * 1024 * 1024);
    expect((err as Error).message).toMatch(/is 2 MiB; the editor opens files up to 1 MiB/);
    const atLimit = await files.read(lab.labId, node1, '/root/limit.txt', policy);
    expect(atLimit.content.length).toBe(MAX_FILE_BYTES);

    const tooMuch = 'x'.repeat(MAX_FILE_BYTES + 1);
    await expect(files.write(lab.labId, node1, { path: '/root/limit.txt', content: tooMuch, expected: 'any', policy })).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    expect(await lab.sh('node1', 'head -c 3 /root/limit.txt')).toBe('bbb');
  });

  test('binaries and non-UTF-8 files are refused as binary', async () => {
    await expect(files.read(lab.labId, node1, '/bin/sh', policy)).rejects.toThrow(BinaryFileError);
    await lab.sh('node1', "printf 'caf\\351\\n' > /root/latin1.txt");
    await expect(files.read(lab.labId, node1, '/root/latin1.txt', policy)).rejects.toThrow(/not valid UTF-8/);
  });

  test('missing files, directories and missing parent directories each get their own error', async () => {
    await expect(files.read(lab.labId, node1, '/root/does-not-exist.txt', policy)).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(files.read(lab.labId, node1, '/etc', policy)).rejects.toBeInstanceOf(NotAFileError);
    const err = await files.write(lab.labId, node1, { path: '/root/no/such/dir/x.txt', content: 'x', expected: 'absent', policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryMissingError);
    expect((err as Error).message).toContain('mkdir -p /root/no/such/dir');
  });

  test('saving outside what the lesson allows is refused before anything runs, and the file is untouched', async () => {
    const before = await lab.sh('node1', 'sha256sum /etc/passwd');
    const err = await files.write(lab.labId, node1, { path: '/etc/passwd', content: 'oops\n', expected: 'any', policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathNotAllowedError);
    expect((err as Error).message).toContain('/root, /home/learner, /tmp, /etc/cni/net.d');
    expect(await lab.sh('node1', 'sha256sum /etc/passwd')).toBe(before);
    // "/root/../etc/passwd" is the same file.
    await expect(files.write(lab.labId, node1, { path: '/root/../etc/passwd', content: 'oops\n', expected: 'any', policy })).rejects.toBeInstanceOf(
      PathNotAllowedError,
    );
    // Opening is allowed, read-only.
    expect((await files.read(lab.labId, node1, '/etc/passwd', policy)).savable).toBe(false);
  });

  test('a symlink inside an allowed tree that points outside it cannot be used to save there', async () => {
    await lab.sh('node1', 'ln -sf /etc/hostname /root/hostname-link');
    const before = await lab.sh('node1', 'cat /etc/hostname');
    const err = await files.write(lab.labId, node1, { path: '/root/hostname-link', content: 'pwned\n', expected: 'any', policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathNotAllowedError);
    expect((err as Error).message).toContain('/root/hostname-link points to /etc/hostname');
    expect(await lab.sh('node1', 'cat /etc/hostname')).toBe(before);
    const opened = await files.read(lab.labId, node1, '/root/hostname-link', policy);
    expect(opened.realPath).toBe('/etc/hostname');
    expect(opened.savable).toBe(false);
  });
});

describe('lesson files and special files', () => {
  test("a lesson's file that Docker bind-mounts (/etc/resolv.conf) is saved in place", async () => {
    const opened = await files.read(lab.labId, node1, '/etc/resolv.conf', policy);
    expect(opened.savable).toBe(true);
    const edited = `${opened.content.trimEnd()}\noptions ndots:2 # edited in the editor\n`;
    await files.write(lab.labId, node1, { path: '/etc/resolv.conf', content: edited, expected: opened.version.sha256, policy });
    expect(await lab.sh('node1', 'cat /etc/resolv.conf')).toBe(edited);
    expect(await lab.sh('node1', 'grep -c ndots:2 /etc/resolv.conf')).toBe('1\n');
  });

  test('the file browser lists the home directory, directories first, with types and sizes', async () => {
    await lab.sh('node1', 'mkdir -p /root/manifests && printf "hello\\n" > /root/manifests/a.yaml && touch "/root/with space.txt"');
    const home = await files.list(lab.labId, node1);
    expect(home.dir).toBe('/root');
    const names = home.entries.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['manifests', 'notes.txt', 'with space.txt']));
    expect(names.indexOf('manifests')).toBeLessThan(names.indexOf('notes.txt'));
    expect(home.entries.find((e) => e.name === 'manifests')?.type).toBe('directory');
    expect(home.entries.find((e) => e.name === 'with space.txt')).toMatchObject({ type: 'file', path: '/root/with space.txt', size: 0 });
    const sub = await files.list(lab.labId, node1, '/root/manifests');
    expect(sub.entries).toEqual([expect.objectContaining({ name: 'a.yaml', path: '/root/manifests/a.yaml', type: 'file', size: 6 })]);
    await expect(files.list(lab.labId, node1, '/root/nope')).rejects.toBeInstanceOf(FileNotFoundError);
  });
});

describe('the jumpbox runs as the learner', () => {
  test('files saved in the learner home belong to the learner; system files are theirs to read only', async (ctx) => {
    if (!lab.jumpbox) return ctx.skip('packetwalk/jumpbox:latest is not built');
    const jumpbox = { name: 'jumpbox', kind: 'jumpbox' } as const;
    const home = await files.list(lab.labId, jumpbox);
    expect(home.dir).toBe('/home/learner');
    await files.write(lab.labId, jumpbox, { path: '/home/learner/web.yaml', content: 'kind: Pod\n', expected: 'absent', policy });
    expect(await lab.sh('jumpbox', 'stat -c %U:%G /home/learner/web.yaml')).toBe('learner:learner\n');
    const err = await files.write(lab.labId, jumpbox, { path: '/etc/hosts', content: 'x\n', expected: 'any', policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as Error).message).toMatch(/learner on jumpbox may not write \/etc\/hosts/);
  });
});

describe('a target that is down', () => {
  test('is reported as such, not as a missing file', async () => {
    await lab.runtime.stopContainer(lab.node1.containerId, 0);
    const err = await files.read(lab.labId, node1, '/root/notes.txt', policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(FileError);
    expect((err as Error).message).toMatch(/not running/);
  });
});
