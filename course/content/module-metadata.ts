// content/<NN-module>/module.yaml: what the catalog shows above a module's lessons.
import { z } from 'zod';

export const moduleMetadataSchema = z.strictObject({
  title: z.string().trim().min(1, { message: 'must not be empty' }).max(90, { message: 'must be at most 90 characters' }),
  order: z.number().int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 or more' }),
  summary: z.string().trim().min(1, { message: 'must not be empty' }).max(400, { message: 'must be at most 400 characters' }),
});

export type ModuleMetadata = z.output<typeof moduleMetadataSchema>;

export const moduleFieldHelp: Record<string, string> = {
  title: 'a short title, e.g. title: Pod plumbing',
  order: 'a whole number giving the position in the course, e.g. order: 1',
  summary: 'one or two sentences, e.g. summary: What a pod is on the wire.',
};

export const moduleFields = Object.keys(moduleMetadataSchema.shape);
