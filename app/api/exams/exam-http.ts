// Validation shared by the exam routes.
import { HttpError } from '../_lib/http-error.ts';

export function attemptId(id: string): string {
  if (!/^ex-[0-9a-f]{12}$/.test(id)) throw new HttpError('not-found', `No exam attempt ${id}.`);
  return id;
}
