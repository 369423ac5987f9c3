// Small helpers for the practice routes (#19): lab id validation as ownLab does it, without ownLab's 404 for gone labs
// (time, extend and rewind answer for a lab that expired too).
import { HttpError } from '../../_lib/http-error.ts';
import { isLabId } from '../../_lib/id-fields.ts';

export function validLabId(labId: string): string {
  if (!isLabId(labId)) throw new HttpError('not-found', `No lab with id ${labId}.`);
  return labId;
}
