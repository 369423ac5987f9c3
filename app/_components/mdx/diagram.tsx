// <Diagram title caption?> wrapping a hand-written <svg>. The SVG is styled only through pw-* classes
// (globals.css), so it follows the light/dark theme; arrowheads come from <DiagramDefs> (url(#pw-arrow)…).
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import styles from './diagram.module.css';

export function Diagram({ title, caption, children }: MdxProps<'Diagram'>) {
  return (
    <figure className={`pw-diagram ${styles.figure}`}>
      <div className={styles.canvas} role="img" aria-label={title}>
        {children}
      </div>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{title}</span>
        {caption ? <span className={styles.text}>{caption}</span> : null}
      </figcaption>
    </figure>
  );
}

/**
 * Shared SVG markers, rendered once per lesson page: marker-end="url(#pw-arrow)" (also #pw-arrow-packet,
 * #pw-arrow-accent, #pw-arrow-tunnel). An author may still define a <marker> inside one diagram.
 */
export function DiagramDefs() {
  const marker = (id: string, cls: string) => (
    <marker id={id} viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
      <path d="M0 0 L10 5 L0 10 z" className={cls} />
    </marker>
  );
  return (
    <svg width="0" height="0" style={{ position: 'absolute' }} aria-hidden="true" focusable="false">
      <defs>
        {marker('pw-arrow', 'pw-arrow')}
        {marker('pw-arrow-packet', 'pw-arrow-packet')}
        {marker('pw-arrow-accent', 'pw-arrow-accent')}
        {marker('pw-arrow-tunnel', 'pw-arrow-tunnel')}
      </defs>
    </svg>
  );
}
