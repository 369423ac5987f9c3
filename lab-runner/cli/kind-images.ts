// Prints every image the kind labs use and nobody builds locally, one per line: the pinned node image and each
// kind sandbox's preloadImages. For a machine that can pull (CI, a teacher before class):
//   node lab-runner/cli/kind-images.ts | xargs -n1 docker pull
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { loadKindTemplate } from '../../course/sandbox/kind/kind-sandbox-schema.ts';

const sandboxes = path.join(import.meta.dirname, '../../sandboxes');
const images = new Set<string>();
for (const dir of readdirSync(sandboxes)
  .filter((d) => d.startsWith('kind-'))
  .sort()) {
  const t = await loadKindTemplate(path.join(sandboxes, dir, 'sandbox.yaml'));
  images.add(t.nodeImage);
  for (const i of t.preloadImages) images.add(i);
}
process.stdout.write([...images].join('\n') + '\n');
