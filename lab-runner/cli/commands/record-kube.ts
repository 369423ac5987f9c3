// npm run lab -- record-kube <lab> --out <dir> [--name <name>]: records what the map's kind views read in a running
// kind lab (lab-runner/network/kube-record.ts), for the kind-view tests (KUBE_RECORDED_DIR=<dir>).
import { parseArgs } from 'node:util';
import { contentRootsFromEnv } from '../../../course/content/content-paths.ts';
import { LabNotFoundError, LabStateError } from '../../errors.ts';
import { recordKubeObjects } from '../../network/kube-record.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';

export const command: CliCommand = {
  summary: "Record a kind lab's Kubernetes objects and node network state, as the map reads them, for the kind-view tests",
  usage: `Usage: npm run lab -- record-kube <lab> --out <dir> [--name <name>]
  <lab>          a ready lab on a kind sandbox
  --out <dir>    the recording goes into <dir>/<name>/ (manifest.json, kube-list.json, nodes/*.json)
  --name <name>  the folder's name (default: the lab's template)
  Replay: KUBE_RECORDED_DIR=<dir> npx vitest run tests/unit/network/kube-views-recorded.test.ts`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, name: { type: 'string' } } });
    const [labId, ...extra] = positionals;
    if (!labId || extra.length) throw new UsageError('Name exactly one lab.');
    if (!values.out) throw new UsageError('Say where the recording goes: --out <dir>.');
    const outDir = values.out;
    return withEngine(async (engine) => {
      const lab = await engine.labs.get(labId);
      if (!lab || lab.state === 'destroyed') throw new LabNotFoundError(labId);
      if (lab.state !== 'ready') throw new LabStateError(labId, lab.state, 'ready');
      const dir = await recordKubeObjects({
        labs: engine.labs,
        labId,
        template: lab.template,
        targets: lab.targets,
        sandboxesDir: contentRootsFromEnv().sandboxesDir,
        outDir,
        ...(values.name ? { name: values.name } : {}),
      });
      console.log(`recorded ${labId} in ${dir}`);
      return 0;
    });
  },
};
