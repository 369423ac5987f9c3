import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';

export const command: CliCommand = {
  summary: 'Destroy labs: containers, volumes and networks (idempotent)',
  usage: `Usage: npm run lab -- destroy <lab>... | --all [--learner <id>]
  --all             every live lab in this store (warm-pool labs included), or only --learner's`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { all: { type: 'boolean', default: false }, learner: { type: 'string' } },
    });
    if (!values.all && positionals.length === 0) throw new UsageError('Name the lab(s) to destroy, or pass --all.');
    if (values.all && positionals.length) throw new UsageError('Pass either lab ids or --all, not both.');
    return withEngine(async (engine) => {
      const ids = values.all ? (await engine.labs.list({ learnerId: values.learner })).map((l) => l.id) : positionals;
      await Promise.all(
        ids.map(async (id) => {
          await engine.labs.destroy(id, 'destroyed from the CLI');
          console.log(`destroyed ${id}`);
        }),
      );
      if (ids.length === 0) console.log('No labs to destroy.');
      return 0;
    });
  },
};
