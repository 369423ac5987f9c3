import { LabRunnerError } from '../../lab-runner/errors.ts';

/** A sandbox template that is missing or does not validate; the message names the file, the field and the fix. */
export class SandboxError extends LabRunnerError {
  override name = 'SandboxError';
  readonly file: string;
  constructor(file: string, message: string) {
    super('sandbox-invalid', message);
    this.file = file;
  }
}
