import type { CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';

export const command: CliCommand = {
  summary: 'Run one reaper pass: remove orphans, expired and idle labs, abandoned provisioning',
  usage: `Usage: npm run lab -- reap [--json]`,
  async run(args) {
    return withEngine(async (engine) => {
      const report = await engine.reaper.runOnce();
      if (args.includes('--json')) console.log(JSON.stringify(report, null, 2));
      else {
        const lines = Object.entries(report).filter(([, v]) => v.length > 0);
        if (lines.length === 0) console.log('Nothing to reap: Docker and the store agree.');
        for (const [k, v] of lines) console.log(`${k}: ${v.join(', ')}`);
      }
      return report.errors.length ? 1 : 0;
    });
  },
};
