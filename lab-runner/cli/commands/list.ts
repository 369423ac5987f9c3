import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';
import { ago, table, until } from '../format.ts';

export const command: CliCommand = {
  summary: 'List labs (live ones; --all includes destroyed)',
  usage: `Usage: npm run lab -- list [--learner <id>] [--all] [--json]`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { learner: { type: 'string' }, all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
    return withEngine(async (engine) => {
      const labs = await engine.labs.list({ learnerId: values.learner, includeDestroyed: values.all });
      if (values.json) {
        console.log(JSON.stringify(labs, null, 2));
        return 0;
      }
      if (labs.length === 0) {
        console.log('No labs. Create one: npm run lab -- create nodes-2');
        return 0;
      }
      const rows = [['ID', 'TEMPLATE', 'STATE', 'LEARNER', 'TARGETS', 'CREATED', 'EXPIRES IN']];
      for (const l of labs) {
        const targets = l.state === 'ready' || l.state === 'paused' ? l.targets.map((t) => t.name).join(',') : l.state === 'failed' ? l.error.slice(0, 40) : '';
        rows.push([l.id, l.template, l.state, l.learnerId, targets, ago(l.createdAt), l.state === 'destroyed' ? '-' : until(l.expiresAt)]);
      }
      console.log(table(rows));
      return 0;
    });
  },
};
