// <Manifest title?>```yaml …```</Manifest> — a Kubernetes manifest in a lesson, shown highlighted as written,
// with "Open in editor" and "Apply" (server-side apply on the learner's cluster, via the editor).
// A server component: it reads the raw YAML from the code block (shiki records it in data-code at compile time).
import { isValidElement } from 'react';
import type { ReactNode } from 'react';
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import { ManifestActions } from '../editor/manifest-actions.tsx';
import styles from '../editor/mdx-actions.module.css';
import { textOf } from '../editor/react-text.ts';

/** The YAML of the first code block among the children (its raw source, not the highlighted markup). */
export function manifestSource(node: ReactNode): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = manifestSource(child);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isValidElement<{ children?: ReactNode; 'data-code'?: unknown }>(node)) return undefined;
  if (typeof node.props['data-code'] === 'string') return node.props['data-code'];
  return manifestSource(node.props.children);
}

export function Manifest({ title, children }: MdxProps<'Manifest'>) {
  const yaml = manifestSource(children) ?? textOf(children);
  return (
    <div className={styles.manifest} data-testid="lesson-manifest">
      <div className={styles.manifestHead}>
        <span className={styles.manifestTitle}>{title ?? 'Manifest'}</span>
        <ManifestActions yaml={yaml} title={title} />
      </div>
      {children}
    </div>
  );
}
