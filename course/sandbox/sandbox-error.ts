/**
 * A sandbox template that is missing or does not validate; the message names the file, the field and the fix.
 * Its code is one of the engine's error codes (lab-runner/errors.ts): routes answer 'sandbox-invalid' with 422. The
 * course model does not import the engine, so this is a plain Error carrying the same code.
 */
export class SandboxError extends Error {
  override name = 'SandboxError';
  readonly code = 'sandbox-invalid';
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.file = file;
  }
}
