// The one MDX component registry. Lessons can use exactly the components named in
// course/content/mdx-component-props.ts (content:check enforces it); the mapped type below makes this file
// fail to type-check if a name is missing or a component's props drift from its schema.
// To add a widget: add its props schema there, one file here (app/_components/mdx/<name>.tsx), and an entry below.
import type { MDXComponents } from 'mdx/types';
import type { ComponentType } from 'react';
import type { MdxComponentName, MdxProps } from '../../../course/content/mdx-component-props.ts';
import { Callout } from './callout.tsx';
import { CodeBlock } from './code-block.tsx';
import { Diagram } from './diagram.tsx';
import { H2, H3, H4 } from './heading.tsx';
import { MdxLink, MdxTable } from './mdx-link.tsx';
import { PacketPath } from './packet-path.tsx';
import { Predict } from './predict.tsx';
import { RouterCli } from './router-cli.tsx';
import { Run } from './run.tsx';
import { Edit } from './edit.tsx';
import { Manifest } from './manifest.tsx';

type LessonComponents = { [N in MdxComponentName]: ComponentType<MdxProps<N>> };

export const lessonComponents: LessonComponents = {
  Callout,
  RouterCli,
  Predict,
  Diagram,
  PacketPath,
  Run,
  Edit,
  Manifest,
};

export const mdxComponents: MDXComponents = {
  ...(lessonComponents as unknown as MDXComponents),
  pre: CodeBlock,
  h2: H2,
  h3: H3,
  h4: H4,
  a: MdxLink,
  table: MdxTable,
};
