import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';
import { describeLab } from '../format.ts';

export const command: CliCommand = {
  summary: 'Create a lab from a sandbox template (claims a warm one when available)',
  usage: `Usage: npm run lab -- create <template> [--learner <id>] [--no-pool] [--json]
  <template>        a folder under sandboxes/, e.g. nodes-2
  --learner <id>    owner of the lab (default "cli")
  --no-pool         always provision a new lab, never claim a warm one
  --json            print the lab as JSON`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { learner: { type: 'string', default: 'cli' }, 'no-pool': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
    const [template, ...extra] = positionals;
    if (!template || extra.length)
      throw new UsageError(template ? `Unexpected arguments: ${extra.join(' ')}` : 'Which template? e.g. "npm run lab -- create nodes-2"');
    return withEngine(async (engine) => {
      const started = performance.now();
      const lab = await engine.labs.create({
        template,
        learnerId: values.learner!,
        usePool: !values['no-pool'],
        onEvent: (e) => {
          if (!values.json && e.type === 'progress') console.error(`[${e.progress.step}/${e.progress.totalSteps}] ${e.progress.label}`);
        },
      });
      const ms = Math.round(performance.now() - started);
      if (values.json) console.log(JSON.stringify(lab, null, 2));
      else console.log(`${describeLab(lab)}\nready in ${ms} ms — try: npm run lab -- exec ${lab.id} ${lab.targets[0]?.name ?? 'node1'} -- ip -br addr`);
      return 0;
    });
  },
};
