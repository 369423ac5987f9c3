// Request fields of the editor's routes (/api/files, /api/manifests) and where a lesson lets the editor save.
import { z } from 'zod';
import { editPolicy, lessonEditFiles, type EditPolicy } from '../../../../lab-runner/index.ts';

export const pathField = z
  .string({ message: 'path is required: an absolute path such as /root/notes.txt' })
  .min(1, { message: 'path must not be empty' })
  .max(4096);

/** Where the editor may save in this lesson: the base trees plus the files its <Edit> actions name. */
export function lessonPolicy(lesson: string | undefined): EditPolicy {
  return editPolicy(lessonEditFiles(lesson));
}
