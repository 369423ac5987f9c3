import { UsageError, type CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';
import { describeLab } from '../format.ts';

export const command: CliCommand = {
  summary: 'Resume a paused lab',
  usage: 'Usage: npm run lab -- resume <lab>',
  async run(args) {
    const [labId, ...extra] = args;
    if (!labId || extra.length) throw new UsageError('Name exactly one lab.');
    return withEngine(async (engine) => {
      console.log(describeLab(await engine.labs.resume(labId)));
      return 0;
    });
  },
};
