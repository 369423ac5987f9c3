// The grader's typed error: what a request for a lesson's challenge in a lab can run into. Its HTTP status is the
// site's business (app/api/_lib/error-status.ts maps every engine code).
import { LabRunnerError } from '../errors.ts';

export class GraderError extends LabRunnerError {
  override name = 'GraderError';
  constructor(code: 'lesson-not-found' | 'lab-not-found' | 'lab-mismatch' | 'task-not-found' | 'setup-failed' | 'setup-other-lesson', message: string) {
    super(code, message);
  }
}
