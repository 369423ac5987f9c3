// The MDX components lessons may use, with the props each accepts. The registry in
// app/_components/mdx/mdx-components.tsx must provide exactly these names (it is typed against this list),
// and `npm run content:check` validates literal props against these schemas before a page ever renders.
import { z } from 'zod';
import type { ReactNode } from 'react';

const text = z.string().trim().min(1, { message: 'must not be empty' });

export const calloutTypes = ['note', 'tip', 'warning', 'danger'] as const;

export const mdxComponentProps = {
  Callout: z.strictObject({
    type: z.enum(calloutTypes, { message: `must be one of ${calloutTypes.join(', ')}` }).default('note'),
    title: text.optional(),
  }),
  RouterCli: z.strictObject({
    title: text.optional(),
    rows: z
      .array(z.strictObject({ router: text, linux: text, note: text.optional() }), { message: 'must be a list of {router, linux, note?}' })
      .min(1, { message: 'needs at least one row' }),
  }),
  Predict: z
    .strictObject({
      question: text,
      options: z
        .array(text, { message: 'must be a list of strings' })
        .min(2, { message: 'needs at least two options' })
        .max(8, { message: 'allows at most 8 options' }),
      answer: z.number().int({ message: 'must be the 0-based index of the right option' }).min(0, { message: 'must be 0 or more' }),
    })
    .refine((p) => p.answer < p.options.length, { message: 'answer must be the 0-based index of one of the options', path: ['answer'] }),
  Diagram: z.strictObject({
    title: text,
    caption: text.optional(),
  }),
  PacketPath: z.strictObject({
    title: text.optional(),
    hops: z.array(z.strictObject({ at: text, what: text }), { message: 'must be a list of {at, what}' }).min(1, { message: 'needs at least one hop' }),
  }),
  Run: z.strictObject({
    target: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'must name a lab target such as node1' }),
    interrupt: z.boolean().optional(),
  }),
  // Editor actions (app/_components/mdx/edit.tsx, manifest.tsx): <Edit> also grants saving that file in the lesson.
  Edit: z.strictObject({
    target: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'must name a lab target such as node1' }),
    file: z.string().regex(/^\/[^\0\s]*[^/\0\s]$/, { message: 'must be an absolute file path such as /etc/resolv.conf' }),
  }),
  Manifest: z.strictObject({
    title: text.optional(),
  }),
} as const;

export type MdxComponentName = keyof typeof mdxComponentProps;
export const mdxComponentNames = Object.keys(mdxComponentProps) as MdxComponentName[];

/** Props as a component receives them (defaults applied), plus children. */
export type MdxProps<N extends MdxComponentName> = z.output<(typeof mdxComponentProps)[N]> & { children?: ReactNode };

/** Classes a <Diagram>'s SVG may use: the stylesheet colours them for light and dark themes. */
export const diagramClasses = [
  'pw-host',
  'pw-ns',
  'pw-if',
  'pw-link',
  'pw-tunnel',
  'pw-bridge',
  'pw-label',
  'pw-sublabel',
  'pw-packet',
  'pw-accent',
  'pw-muted',
  'pw-arrow',
] as const;
