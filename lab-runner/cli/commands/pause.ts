import { UsageError, type CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';

export const command: CliCommand = {
  summary: 'Pause a lab (docker pause: no CPU used, memory kept; exec resumes it)',
  usage: 'Usage: npm run lab -- pause <lab>',
  async run(args) {
    const [labId, ...extra] = args;
    if (!labId || extra.length) throw new UsageError('Name exactly one lab.');
    return withEngine(async (engine) => {
      await engine.labs.pause(labId);
      console.log(`paused ${labId}`);
      return 0;
    });
  },
};
