// npm run images [-- --force] [--pull] [--base auto|registry|debootstrap] [--only <image>]
// Builds every image the sandboxes use (packetwalk/* from sandboxes/images/), skipping up-to-date ones.
// --pull also pulls the other images and fetches every pinned artefact (CRDs…) into DATA_DIR/artefacts, so an
// offline classroom has everything the lessons need.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/config.ts';
import { ArtefactStore, artefactsDir } from '../artefacts/artefact-store.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { ensureImages } from '../images/ensure-images.ts';
import { LabRunnerError } from '../errors.ts';

const { values } = parseArgs({
  options: {
    force: { type: 'boolean', default: false },
    pull: { type: 'boolean', default: false },
    base: { type: 'string', default: 'auto' },
    only: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run images [-- options]
  --force              rebuild even when the content hash matches
  --pull               also pull images that are not built here (kindest/node...) and fetch every
                       pinned artefact (Gateway API CRDs...) into DATA_DIR/artefacts
  --base <strategy>    auto (default): debian:bookworm-slim if present or pullable, else debootstrap
                       registry | debootstrap: force one
  --only <image>       only this image (repeatable)`);
  process.exit(0);
}
if (!['auto', 'registry', 'debootstrap'].includes(values.base!)) {
  console.error(`--base must be auto, registry or debootstrap (got ${values.base})`);
  process.exit(2);
}

const started = performance.now();
try {
  const reports = await ensureImages(new DockerRuntime(), {
    onProgress: (line) => console.log(line),
    force: values.force,
    pull: values.pull,
    base: values.base as 'auto' | 'registry' | 'debootstrap',
    images: values.only,
  });
  const artefactLines: string[] = [];
  let artefactFailed = false;
  if (values.pull && !values.only) {
    const store = new ArtefactStore({ dir: artefactsDir(loadConfig().DATA_DIR) });
    for (const a of store.list()) {
      try {
        const r = await store.ensure(a.name, { onProgress: (line) => console.log(line) });
        artefactLines.push(`${(r.action === 'cached' ? 'present' : 'fetched').padEnd(10)} ${a.name} ${a.version}  (${r.path})`);
      } catch (err) {
        artefactFailed = true;
        artefactLines.push(`${'failed'.padEnd(10)} ${a.name} ${a.version}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  console.log('');
  for (const r of reports) console.log(`${r.action.padEnd(10)} ${r.image}${r.detail && r.action !== 'failed' ? `  (${r.detail})` : ''}`);
  for (const line of artefactLines) console.log(line);
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.exit(reports.some((r) => r.action === 'failed') || artefactFailed ? 1 : 0);
} catch (err) {
  console.error(err instanceof LabRunnerError ? err.message : err);
  process.exit(1);
}
