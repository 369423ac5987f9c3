// The ids requests name, one schema each, shared by every route. Each takes the field's name (routes call the lab
// "lab" or "labId") so the message a learner reads names the field they sent.
import { z } from 'zod';
import { LAB_ID_PATTERN } from '../../../lab-runner/index.ts';

export const labIdField = (name = 'labId') =>
  z
    .string({ message: `${name} is required: the id of your lab` })
    .regex(LAB_ID_PATTERN, { message: `${name} must be the id of your lab, such as lab-k3m9x2qa` });

/** A lab target ("node1", "jumpbox"): the browser names targets, never containers. */
export const targetField = (name = 'target') =>
  z
    .string({ message: `${name} is required: a lab target such as "node1"` })
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: `${name} must be a lab target name such as "node1"` });

export const lessonIdField = (name = 'lesson') =>
  z.string({ message: `${name} is required: a lesson id such as "pods/pods-and-network-namespaces"` }).regex(/^[a-z0-9-]{1,80}\/[a-z0-9-]{1,80}$/, {
    message: `${name} must be a lesson id such as "pods/pods-and-network-namespaces" (module slug / lesson slug)`,
  });

export const taskIdField = (name = 'taskId') =>
  z
    .string({ message: `${name} is required: a task id from the challenge` })
    .regex(/^[a-z][a-z0-9-]{0,47}$/, { message: `${name} must be a task id from the challenge` });

export const sandboxNameField = (name = 'sandbox') =>
  z
    .string({ message: `${name} is required: the name of a folder under sandboxes/, e.g. "nodes-2"` })
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: `${name} must be a sandbox name such as "nodes-2" (lowercase letters, digits, dashes)` });

/** A lab id from a URL path segment (/api/labs/:labId): one that is not ours names no lab (404), it is not a malformed request. */
export function isLabId(id: string): boolean {
  return LAB_ID_PATTERN.test(id);
}
