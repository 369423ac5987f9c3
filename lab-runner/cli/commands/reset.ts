import { UsageError, type CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';
import { describeLab } from '../format.ts';

export const command: CliCommand = {
  summary: "Replace a lab's nodes with fresh ones (same lab id), e.g. after a fork bomb",
  usage: 'Usage: npm run lab -- reset <lab>',
  async run(args) {
    const [labId, ...extra] = args;
    if (!labId || extra.length) throw new UsageError('Name exactly one lab.');
    return withEngine(async (engine) => {
      console.log(describeLab(await engine.labs.reset(labId)));
      return 0;
    });
  },
};
