// Errors of the classroom service. The code is part of the closed set the HTTP layer maps to statuses
// (app/api/classroom-http.ts); the message is for a person.
import { LabRunnerError } from '../errors.ts';

export type ClassroomErrorCode =
  | 'unauthenticated' // no valid session: sign in
  | 'forbidden' // signed in, but not allowed (a learner watching someone, a trainer outside their class)
  | 'not-found' // no such class / learner, or not one the caller may know about (same answer: no enumeration)
  | 'enroll-closed' // the enroll link expired or the class ended
  | 'class-full'
  | 'conflict' // e.g. email already registered
  | 'bad-credentials'
  | 'rate-limited'
  | 'auth-mode' // the route belongs to another AUTH mode
  | 'invalid'; // validated input that does not make sense together (end before start, unknown lesson)

export class ClassroomError extends LabRunnerError {
  override name = 'ClassroomError';
  declare readonly code: ClassroomErrorCode;
  constructor(code: ClassroomErrorCode, message: string) {
    super(code, message);
  }
}
