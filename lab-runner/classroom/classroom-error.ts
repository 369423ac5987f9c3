// Errors of the classroom service. Their codes belong to the engine's closed set (errors.ts), which the site maps
// to statuses in one table (app/api/_lib/error-status.ts); the message is for a person.
import { LabRunnerError, type EngineErrorCode } from '../errors.ts';

export type ClassroomErrorCode = Extract<
  EngineErrorCode,
  | 'unauthenticated' // no valid session: sign in
  | 'class-forbidden' // signed in, but not allowed (a learner watching someone, a trainer outside their class)
  | 'class-not-found' // no such class / learner, or not one the caller may know about (same answer: no enumeration)
  | 'enroll-closed' // the enroll link expired or the class ended
  | 'class-full'
  | 'account-conflict' // e.g. email already registered
  | 'bad-credentials'
  | 'rate-limited'
  | 'auth-mode' // the route belongs to another AUTH mode
  | 'class-invalid' // validated input that does not make sense together (end before start, unknown lesson)
>;

export class ClassroomError extends LabRunnerError {
  override name = 'ClassroomError';
  declare readonly code: ClassroomErrorCode;
  constructor(code: ClassroomErrorCode, message: string) {
    super(code, message);
  }
}
