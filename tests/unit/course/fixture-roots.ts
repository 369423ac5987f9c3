// Content roots for the fixture trees under tests/fixtures/content/.
import path from 'node:path';
import type { ContentRoots } from '../../../course/content/content-paths.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/content');

export function fixtureRoots(tree: string): ContentRoots {
  return { contentDir: path.join(FIXTURES, tree), sandboxesDir: path.join(FIXTURES, 'sandboxes'), baseDir: FIXTURES };
}
