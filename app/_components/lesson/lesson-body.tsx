// Runs a lesson's compiled MDX on the server with the component registry. Highlighting and heading ids
// were done at compile time, so the browser receives finished HTML plus the few interactive widgets.
import { run } from '@mdx-js/mdx';
import * as runtime from 'react/jsx-runtime';
import type { MDXContent } from 'mdx/types';
import { mdxComponents } from '../mdx/mdx-components.tsx';

export async function LessonBody({ code }: { code: string }) {
  const { default: Content } = (await run(code, { ...runtime, baseUrl: import.meta.url })) as { default: MDXContent };
  return <Content components={mdxComponents} />;
}
