// Text content of server-rendered MDX children (no 'use client': <Edit> and <Manifest> run on the server).
import { isValidElement } from 'react';
import type { ReactNode } from 'react';

export function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}
