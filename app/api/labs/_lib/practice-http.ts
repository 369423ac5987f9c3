// Small helpers for the practice routes (#19): lab id validation as ownLab does it, without ownLab's 404 for gone labs.
import { HttpError } from './lab-http.ts';

export function validLabId(labId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(labId)) throw new HttpError(404, `No lab with id ${labId}.`);
  return labId;
}
