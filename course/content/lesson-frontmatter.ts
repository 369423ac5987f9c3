// The frontmatter every lesson's index.mdx starts with. Strict: an unknown key is a typo until proven otherwise.
import { z } from 'zod';

export const TAG_PATTERN = /^[a-z0-9-]+(:[a-z0-9-]+)?$/;
const SANDBOX_NAME = /^[a-z0-9][a-z0-9-]*$/;

export const lessonFrontmatterSchema = z.strictObject({
  title: z.string().trim().min(1, { message: 'must not be empty' }).max(90, { message: 'must be at most 90 characters' }),
  summary: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(240, { message: 'must be one sentence of at most 240 characters' })
    .refine((s) => !s.includes('\n'), { message: 'must be one sentence on one line' }),
  objectives: z.array(z.string().trim().min(1, { message: 'must not be empty' })).min(1, { message: 'needs at least one objective' }),
  minutes: z.number().int({ message: 'must be a whole number' }).min(1, { message: 'must be at least 1' }).max(600, { message: 'must be at most 600' }),
  order: z.number().int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 or more' }),
  sandbox: z.string().regex(SANDBOX_NAME, { message: 'must be a sandbox directory name such as nodes-2' }),
  kindSandbox: z.string().regex(SANDBOX_NAME, { message: 'must be a sandbox directory name such as kind-default' }).optional(),
  tags: z.array(z.string().regex(TAG_PATTERN, { message: 'must look like cka:services-networking or layer:pod' })).default([]),
  versions: z
    .strictObject({
      kubernetes: z.string().min(1).optional(),
      cni: z.string().min(1).optional(),
      controller: z.string().min(1).optional(),
    })
    .optional(),
});

export type LessonFrontmatter = z.output<typeof lessonFrontmatterSchema>;

/** What a valid value looks like, per field: appended to every error so the author knows the fix. */
export const lessonFieldHelp: Record<string, string> = {
  title: 'a short title, e.g. title: Pods and network namespaces',
  summary: 'one sentence on one line, e.g. summary: A pod is one network namespace shared by its containers.',
  objectives: 'a list of at least one string, e.g. objectives: ["Create a network namespace"]',
  minutes: 'a whole number of estimated minutes, e.g. minutes: 25',
  order: 'a whole number giving the position in the module, e.g. order: 1',
  sandbox: 'the name of a directory under sandboxes/ holding sandbox.yaml or kind.yaml, e.g. sandbox: nodes-2',
  kindSandbox: 'the name of a kind sandbox directory under sandboxes/, e.g. kindSandbox: kind-default',
  tags: 'a list of lowercase tags like cka:services-networking or layer:pod',
  versions: 'an object with optional kubernetes, cni and controller strings, e.g. versions: { kubernetes: "1.35" }',
};

export const lessonFields = Object.keys(lessonFrontmatterSchema.shape);
