import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { withEngine } from '../cli-engine.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const command: CliCommand = {
  summary: 'Run a command on a lab target (non-interactive)',
  usage: `Usage: npm run lab -- exec <lab> <target> [--timeout 30s] [--stdin] -- <command> [args...]
  e.g.  npm run lab -- exec lab-k3m9x2qa node1 -- ping -c1 node2
        npm run lab -- exec lab-k3m9x2qa node1 --stdin -- bash -s < script.sh
  --timeout <n>s   kill the command after n seconds (default 30)
  --stdin          pass this process's stdin to the command (scripts never touch the lab's disk)`,
  async run(args) {
    const dashdash = args.indexOf('--');
    const head = dashdash >= 0 ? args.slice(0, dashdash) : args;
    const cmd = dashdash >= 0 ? args.slice(dashdash + 1) : [];
    const { values, positionals } = parseArgs({
      args: head,
      allowPositionals: true,
      options: { timeout: { type: 'string', default: '30s' }, stdin: { type: 'boolean', default: false } },
    });
    const [labId, target] = positionals;
    if (!labId || !target) throw new UsageError('Name the lab and the target, e.g. "npm run lab -- exec lab-k3m9x2qa node1 -- hostname"');
    if (cmd.length === 0) throw new UsageError('Give the command after "--", e.g. "-- ip -br addr"');
    const m = /^(\d+)s?$/.exec(values.timeout!);
    if (!m) throw new UsageError(`--timeout must be a number of seconds such as 30s (got ${values.timeout})`);
    const stdin = values.stdin ? await readStdin() : undefined;
    return withEngine(async (engine) => {
      const r = await engine.labs.exec(labId, target, { cmd, stdin, timeoutMs: Number(m[1]) * 1000 });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.truncated) console.error('(output truncated)');
      if (r.timedOut) console.error(`(killed after ${values.timeout})`);
      return r.exitCode < 0 ? 1 : r.exitCode;
    });
  },
};
