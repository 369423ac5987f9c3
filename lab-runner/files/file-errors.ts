// Typed errors of file operations on lab targets. Each message says what happened, where, and what to do;
// the code maps to an HTTP status in app/api/files. Nothing here loses the learner's text: the editor keeps
// its buffer whatever the error.
import { LabRunnerError } from '../errors.ts';
import type { FileVersion } from '../wire/files.ts';

export class FileError extends LabRunnerError {
  override name = 'FileError';
}

export class InvalidPathError extends FileError {
  override name = 'InvalidPathError';
  constructor(path: string, reason: string) {
    super('path-invalid', `${JSON.stringify(path)} is not a usable file path: ${reason}. Use an absolute path such as /root/notes.txt.`);
  }
}

export class PathNotAllowedError extends FileError {
  override name = 'PathNotAllowedError';
  readonly allowed: string[];
  constructor(path: string, allowed: string[], resolvedFrom?: string) {
    const where = resolvedFrom ? `${resolvedFrom} points to ${path}, which` : path;
    super(
      'path-not-allowed',
      `Saving ${where} is outside what this lesson lets the editor change. The editor saves under ${describeAllowed(allowed)}. ` +
        `Your text is kept here; to change other files, use the terminal.`,
    );
    this.allowed = allowed;
  }
}

function describeAllowed(allowed: string[]): string {
  const dirs = allowed.filter((a) => a.endsWith('/')).map((a) => a.replace(/\/$/, ''));
  const files = allowed.filter((a) => !a.endsWith('/'));
  return [dirs.join(', '), files.length ? `and the lesson's files ${files.join(', ')}` : ''].filter(Boolean).join(' ');
}

export class FileNotFoundError extends FileError {
  override name = 'FileNotFoundError';
  constructor(target: string, path: string) {
    super('file-not-found', `${path} does not exist on ${target}. Check the name with "ls ${parentOf(path)}" in the terminal, or create it by saving.`);
  }
}

export class FileGoneError extends FileError {
  override name = 'FileGoneError';
  constructor(target: string, path: string) {
    super('file-gone', `${path} was deleted on ${target} after you opened it. Your text is still here: save again to create the file anew.`);
  }
}

export class NotAFileError extends FileError {
  override name = 'NotAFileError';
  constructor(target: string, path: string) {
    super('not-a-file', `${path} on ${target} is not a regular file (a directory, device or socket); the editor opens text files only.`);
  }
}

export class DirectoryMissingError extends FileError {
  override name = 'DirectoryMissingError';
  constructor(target: string, path: string) {
    super(
      'directory-missing',
      `The directory ${parentOf(path)} does not exist on ${target}. Create it first ("mkdir -p ${parentOf(path)}" in the terminal), then save again.`,
    );
  }
}

export class FileTooLargeError extends FileError {
  override name = 'FileTooLargeError';
  readonly size: number;
  readonly limit: number;
  constructor(target: string, path: string, size: number, limit: number, action: 'open' | 'save' = 'open') {
    super(
      'file-too-large',
      action === 'open'
        ? `${path} on ${target} is ${formatBytes(size)}; the editor opens files up to ${formatBytes(limit)}. Look at it with "less ${path}" or "tail ${path}" in the terminal.`
        : `Your text for ${path} is ${formatBytes(size)}; the editor saves files up to ${formatBytes(limit)}. Nothing was written, and your text is kept here.`,
    );
    this.size = size;
    this.limit = limit;
  }
}

export class BinaryFileError extends FileError {
  override name = 'BinaryFileError';
  constructor(target: string, path: string, why: string) {
    super(
      'file-binary',
      `${path} on ${target} looks like a binary file (${why}); the editor opens text files only. Inspect it with "xxd ${path} | less" in the terminal.`,
    );
  }
}

export class FileConflictError extends FileError {
  override name = 'FileConflictError';
  /** The version the editor started from ("absent" when it was creating a new file). */
  readonly expected: string;
  /** What is in the lab now. */
  readonly current: FileVersion;
  constructor(target: string, path: string, expected: string, current: FileVersion) {
    super(
      'file-conflict',
      expected === 'absent'
        ? `${path} was created on ${target} by something else while you were writing it. Reload to see it, or overwrite it with your text.`
        : `${path} changed on ${target} since you opened it. Reload to take the lab's version, or overwrite it with yours.`,
    );
    this.expected = expected;
    this.current = current;
  }
}

export class PermissionDeniedError extends FileError {
  override name = 'PermissionDeniedError';
  constructor(target: string, path: string, action: 'read' | 'write', user: string) {
    super('permission-denied', `${user} on ${target} may not ${action} ${path} (permission denied). Your text is kept here.`);
  }
}

export class FileOperationError extends FileError {
  override name = 'FileOperationError';
  constructor(action: string, target: string, path: string, detail: string) {
    super('file-op-failed', `Could not ${action} ${path} on ${target}: ${detail}`);
  }
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}
