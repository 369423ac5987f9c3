// Loads the stored OpenAPI fixture (tests/fixtures/openapi/kind-v1.37.0) the way the cluster serves it.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = path.resolve(import.meta.dirname, '../../fixtures/openapi/kind-v1.37.0');

export function fixtureText(file: string): string {
  return readFileSync(path.join(FIXTURE_DIR, file), 'utf8');
}

/** "/openapi/v3/apis/networking.k8s.io/v1?hash=…" -> "apis__networking.k8s.io__v1.json" */
export function fixtureFileForUrl(url: string): string {
  return (
    url
      .replace(/^\/openapi\/v3\//, '')
      .replace(/\?.*$/, '')
      .replaceAll('/', '__') + '.json'
  );
}
