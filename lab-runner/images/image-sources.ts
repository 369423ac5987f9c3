// Where each image comes from: packetwalk/<name>:latest is built from sandboxes/images/<name>/ (a Dockerfile with
// ARG BASE, optionally a packages.txt); anything else (kindest/node…) is pulled or must already be on the host.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SANDBOXES_DIR } from '../../course/sandbox/sandboxes-dir.ts';

export const DEFAULT_IMAGES_DIR = path.join(DEFAULT_SANDBOXES_DIR, 'images');

export type ImageSource = { kind: 'local'; ref: string; dir: string } | { kind: 'remote'; ref: string };

export function imageSource(ref: string, imagesDir: string = DEFAULT_IMAGES_DIR): ImageSource {
  const m = /^packetwalk\/([a-z0-9][a-z0-9-]*)(?::latest)?$/.exec(ref);
  if (m) {
    const dir = path.join(imagesDir, m[1]!);
    if (fs.existsSync(path.join(dir, 'Dockerfile'))) return { kind: 'local', ref, dir };
  }
  return { kind: 'remote', ref };
}
