// The grader's typed error: what a request for a lesson's challenge in a lab can run into.
import { LabRunnerError } from '../errors.ts';

export class GraderError extends LabRunnerError {
  override name = 'GraderError';
  readonly status: number;
  constructor(
    code: 'lesson-not-found' | 'lab-not-found' | 'lab-mismatch' | 'task-not-found' | 'setup-failed' | 'setup-other-lesson',
    message: string,
    status: number,
  ) {
    super(code, message);
    this.status = status;
  }
}
