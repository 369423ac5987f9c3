// h2–h4 in lessons: ids come from the MDX pipeline (github-slugger, stable); each gets a "#" permalink.
import type { ComponentProps, ReactNode } from 'react';
import { isValidElement } from 'react';

function plainText(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(plainText).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return plainText(node.props.children);
  return '';
}

function anchored(Tag: 'h2' | 'h3' | 'h4') {
  function Heading({ id, children, ...rest }: ComponentProps<'h2'>) {
    return (
      <Tag id={id} {...rest}>
        {children}
        {id ? (
          <a className="heading-anchor" href={`#${id}`} aria-label={`Link to section: ${plainText(children)}`}>
            #
          </a>
        ) : null}
      </Tag>
    );
  }
  Heading.displayName = `Anchored${Tag.toUpperCase()}`;
  return Heading;
}

export const H2 = anchored('h2');
export const H3 = anchored('h3');
export const H4 = anchored('h4');
