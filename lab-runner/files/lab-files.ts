// Open, save and list files on a lab target through LabManager.exec: paths as argv, content on stdin, results
// base64 (see file-scripts.ts). No Docker API here: whatever runs the lab (nodes, kind) runs these too.
import { createLogger } from '../../lib/log.ts';
import { JUMPBOX_USER } from '../kind/jumpbox.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { LabTarget } from '../lab/lab.ts';
import type { ExecOptions, ExecResult } from '../runtime/container-runtime.ts';
import { assertSavable, isSavable, normalizeLabPath } from './edit-policy.ts';
import type { EditPolicy } from './edit-policy.ts';
import {
  BinaryFileError,
  DirectoryMissingError,
  FileConflictError,
  FileGoneError,
  FileNotFoundError,
  FileOperationError,
  FileTooLargeError,
  NotAFileError,
  PathNotAllowedError,
  PermissionDeniedError,
} from './file-errors.ts';
import { FileExit, LIST_SCRIPT, READ_SCRIPT, STAT_SCRIPT, WRITE_SCRIPT } from './file-scripts.ts';
import { EXPECT_ABSENT, EXPECT_ANY, parseStatMtime } from './file-version.ts';
import type { ExpectedVersion } from './file-version.ts';
import type { DirectoryEntry, DirectoryListing, FileVersion, OpenedFile, SavedFile } from '../wire/files.ts';
import { decodeText, lineEnding } from './text-content.ts';
import { createHash } from 'node:crypto';

const log = createLogger('files');

/** Largest file the editor opens or saves. Lab configs are a few KiB; logs and binaries are for the terminal. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Entries shown per directory in the file browser. */
export const MAX_LIST_ENTRIES = 500;
const EXEC_TIMEOUT_MS = 15_000;

/** The part of a lab target file operations need: its name, and whether it is the unprivileged jumpbox. */
export type FileTarget = Pick<LabTarget, 'name' | 'kind'>;

export interface SaveRequest {
  path: string;
  content: string;
  /** The sha256 the editor opened, "absent" for a new file, "any" to overwrite whatever is there. */
  expected: ExpectedVersion;
  policy: EditPolicy;
}

/** Who runs file operations on a target: the jumpbox's learner (their files, their permissions), root elsewhere. */
function execIdentity(target: FileTarget): Pick<ExecOptions, 'user' | 'env'> {
  return target.kind === 'jumpbox' ? { user: JUMPBOX_USER, env: { HOME: `/home/${JUMPBOX_USER}` } } : {};
}

function userName(target: FileTarget): string {
  return target.kind === 'jumpbox' ? JUMPBOX_USER : 'root';
}

function parseHeader(text: string): { fields: Record<string, string>; body: string } {
  const sep = text.indexOf('--\n');
  const head = sep >= 0 ? text.slice(0, sep) : text;
  const fields: Record<string, string> = {};
  for (const line of head.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { fields, body: sep >= 0 ? text.slice(sep + 3) : '' };
}

function fromBase64Text(b64: string | undefined): string {
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : '';
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').slice(0, 400) || 'no output';
}

export class LabFiles {
  private readonly labs: Pick<LabManager, 'exec'>;
  readonly maxFileBytes: number;

  constructor(labs: Pick<LabManager, 'exec'>, opts: { maxFileBytes?: number } = {}) {
    this.labs = labs;
    this.maxFileBytes = opts.maxFileBytes ?? MAX_FILE_BYTES;
  }

  private async run(labId: string, target: FileTarget, op: string, args: string[], script: string, stdin?: Buffer): Promise<ExecResult> {
    const started = performance.now();
    const result = await this.labs.exec(labId, target.name, {
      cmd: ['sh', '-c', script, `packetwalk-${op}`, ...args],
      ...execIdentity(target),
      ...(stdin !== undefined ? { stdin } : {}),
      timeoutMs: EXEC_TIMEOUT_MS,
      // base64 of a file at the limit, plus headers.
      maxOutputBytes: Math.ceil(((this.maxFileBytes + 1) * 4) / 3) + 64 * 1024,
    });
    log.debug(`file ${op}`, { lab: labId, target: target.name, path: args[0], exit: result.exitCode, ms: Math.round(performance.now() - started) });
    if (result.timedOut)
      throw new FileOperationError(op, target.name, args[0] ?? '', `it took longer than ${EXEC_TIMEOUT_MS / 1000} s (is the node overloaded?)`);
    return result;
  }

  /** Opens a text file. Refuses directories, binaries and files over the limit with a message saying what to do instead. */
  async read(labId: string, target: FileTarget, rawPath: string, policy: EditPolicy): Promise<OpenedFile> {
    const path = normalizeLabPath(rawPath);
    const r = await this.run(labId, target, 'read', [path, String(this.maxFileBytes)], READ_SCRIPT);
    const { fields, body } = parseHeader(r.stdout);
    const size = Number(fields.size ?? 0);
    switch (r.exitCode) {
      case FileExit.ok:
        break;
      case FileExit.notFound:
        throw new FileNotFoundError(target.name, path);
      case FileExit.notRegular:
        throw new NotAFileError(target.name, path);
      case FileExit.permissionDenied:
        throw new PermissionDeniedError(target.name, path, 'read', userName(target));
      case FileExit.tooLarge:
        throw new FileTooLargeError(target.name, path, size, this.maxFileBytes);
      default:
        throw new FileOperationError('open', target.name, path, tail(r.stderr || r.stdout));
    }
    if (r.truncated) throw new FileTooLargeError(target.name, path, size, this.maxFileBytes);
    const bytes = Buffer.from(body, 'base64');
    // The file grew past the limit between stat and read.
    if (bytes.length > this.maxFileBytes) throw new FileTooLargeError(target.name, path, bytes.length, this.maxFileBytes);
    const text = decodeText(bytes);
    if (!text.ok) throw new BinaryFileError(target.name, path, text.why);
    const realPath = fromBase64Text(fields.real) || path;
    return {
      target: target.name,
      path,
      realPath,
      content: text.text,
      version: { sha256: sha256(bytes), size: bytes.length, mtimeMs: parseStatMtime(fields.mtime ?? '') },
      mode: fields.mode ?? '',
      lineEnding: lineEnding(text.text),
      savable: isSavable(path, policy) && isSavable(realPath, policy),
    };
  }

  /** The current version of a file without its content: how the editor notices that the lab changed it. */
  async stat(labId: string, target: FileTarget, rawPath: string): Promise<FileVersion> {
    const path = normalizeLabPath(rawPath);
    const r = await this.run(labId, target, 'stat', [path], STAT_SCRIPT);
    if (r.exitCode === FileExit.notFound) throw new FileNotFoundError(target.name, path);
    if (r.exitCode === FileExit.notRegular) throw new NotAFileError(target.name, path);
    if (r.exitCode === FileExit.permissionDenied) throw new PermissionDeniedError(target.name, path, 'read', userName(target));
    if (r.exitCode !== FileExit.ok) throw new FileOperationError('check', target.name, path, tail(r.stderr || r.stdout));
    const { fields } = parseHeader(r.stdout);
    return { sha256: fields.sha ?? '', size: Number(fields.size ?? 0), mtimeMs: parseStatMtime(fields.mtime ?? '') };
  }

  /**
   * Saves atomically, only if the file is still what the editor opened (else FileConflictError with the lab's
   * version), only inside the lesson's policy (checked again on the real path, inside the target).
   */
  async write(labId: string, target: FileTarget, req: SaveRequest): Promise<SavedFile> {
    const path = normalizeLabPath(req.path);
    assertSavable(path, req.policy);
    const bytes = Buffer.from(req.content, 'utf8');
    if (bytes.length > this.maxFileBytes) throw new FileTooLargeError(target.name, path, bytes.length, this.maxFileBytes, 'save');
    const r = await this.run(labId, target, 'write', [path, req.expected, ...req.policy.allow], WRITE_SCRIPT, bytes);
    switch (r.exitCode) {
      case FileExit.ok:
        break;
      case FileExit.conflict: {
        // The lab's version: re-read its metadata so the editor can show when and how big it now is.
        const current = await this.stat(labId, target, path).catch(() => ({ sha256: r.stdout.trim(), size: 0, mtimeMs: 0 }));
        throw new FileConflictError(target.name, path, req.expected, current);
      }
      case FileExit.notFound:
        throw new FileGoneError(target.name, path);
      case FileExit.directoryMissing:
        throw new DirectoryMissingError(target.name, path);
      case FileExit.notRegular:
        throw new NotAFileError(target.name, path);
      case FileExit.permissionDenied:
        throw new PermissionDeniedError(target.name, path, 'write', userName(target));
      case FileExit.outsidePolicy:
        throw new PathNotAllowedError(fromBase64Text(r.stdout.trim()), req.policy.allow, path);
      default:
        throw new FileOperationError('save', target.name, path, tail(r.stderr || r.stdout));
    }
    const { fields } = parseHeader(r.stdout);
    log.info('file saved', { lab: labId, target: target.name, path, bytes: bytes.length });
    return {
      target: target.name,
      path,
      realPath: fromBase64Text(fields.real) || path,
      version: { sha256: fields.sha ?? sha256(bytes), size: Number(fields.size ?? bytes.length), mtimeMs: parseStatMtime(fields.mtime ?? '') },
    };
  }

  /** Lists a directory (the exec user's home when dir is omitted): directories first, then files, by name. */
  async list(labId: string, target: FileTarget, rawDir?: string): Promise<DirectoryListing> {
    const dir = rawDir ? normalizeLabPath(rawDir) : '';
    const r = await this.run(labId, target, 'list', [dir, String(MAX_LIST_ENTRIES + 1)], LIST_SCRIPT);
    const shown = dir || '~';
    if (r.exitCode === FileExit.notFound) throw new FileNotFoundError(target.name, shown);
    if (r.exitCode === FileExit.notRegular) throw new FileOperationError('list', target.name, shown, 'it is not a directory');
    if (r.exitCode === FileExit.permissionDenied) throw new PermissionDeniedError(target.name, shown, 'read', userName(target));
    if (r.exitCode !== FileExit.ok) throw new FileOperationError('list', target.name, shown, tail(r.stderr || r.stdout));
    const { fields, body } = parseHeader(r.stdout);
    const resolved = fromBase64Text(fields.dir) || dir || '/';
    const records = Buffer.from(body.trim(), 'base64').toString('utf8').split('\0').filter(Boolean);
    const entries: DirectoryEntry[] = [];
    for (const record of records.slice(0, MAX_LIST_ENTRIES)) {
      const [type, size, mtime, ...nameParts] = record.split('\t');
      const name = nameParts.join('\t');
      // A name that is not valid UTF-8 came back with U+FFFD: it could not be opened by that name, so leave it out.
      if (!name || name.includes('\uFFFD')) continue;
      entries.push({
        name,
        path: resolved === '/' ? `/${name}` : `${resolved}/${name}`,
        type: type === 'f' ? 'file' : type === 'd' ? 'directory' : type === 'l' || type === 'L' || type === 'N' ? 'symlink' : 'other',
        size: Number(size) || 0,
        mtimeMs: parseStatMtime(mtime ?? ''),
      });
    }
    entries.sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name));
    return { target: target.name, dir: resolved, entries, truncated: records.length > MAX_LIST_ENTRIES };
  }
}

export { EXPECT_ABSENT, EXPECT_ANY };
