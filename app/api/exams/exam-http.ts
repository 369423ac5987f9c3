// Validation shared by the exam routes.
import { HttpError } from '../labs/_lib/lab-http.ts';

export function attemptId(id: string): string {
  if (!/^ex-[0-9a-f]{12}$/.test(id)) throw new HttpError(404, `No exam attempt ${id}.`);
  return id;
}
