// npm run lab -- <command> [args]: create, list, exec, destroy, reap, pause, resume, reset (and any other file in
// ./commands/: the command name is the file name, e.g. commands/verify.ts is "npm run lab -- verify").
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabRunnerError } from '../errors.ts';
import { ConfigError } from '../../lib/config.ts';
import { UsageError, type CliCommand } from './command.ts';

const COMMANDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

function commandNames(): string[] {
  return fs
    .readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !commandNames().includes(name)) return undefined;
  const mod = (await import(path.join(COMMANDS_DIR, `${name}.ts`))) as Record<string, unknown>;
  return (mod.command as CliCommand | undefined) ?? (mod.default as CliCommand | undefined) ?? adaptFunctionModule(mod);
}

/** Also accepts a module exporting `run<Name>Command(args): Promise<number>` and `<name>Usage` (e.g. verify.ts). */
function adaptFunctionModule(mod: Record<string, unknown>): CliCommand | undefined {
  const run = Object.entries(mod).find(([k, v]) => typeof v === 'function' && /^run\w*Command$/.test(k))?.[1] as CliCommand['run'] | undefined;
  if (!run) return undefined;
  const usage = (Object.entries(mod).find(([k, v]) => k.endsWith('Usage') && typeof v === 'string')?.[1] as string | undefined) ?? '';
  return { summary: usage.split('\n')[0]?.replace(/^Usage:\s*/, '') ?? '', usage, run };
}

async function help(): Promise<void> {
  console.log('Usage: npm run lab -- <command> [options]\n\nCommands:');
  for (const name of commandNames()) {
    const c = await loadCommand(name).catch(() => undefined);
    console.log(`  ${name.padEnd(10)} ${c?.summary ?? ''}`);
  }
  console.log('\n"npm run lab -- <command> --help" shows a command\'s options.');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    await help();
    return name ? 0 : 2;
  }
  const command = await loadCommand(name);
  if (!command) {
    console.error(`Unknown command "${name}". Commands: ${commandNames().join(', ')}.`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof LabRunnerError || err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    if (err instanceof Error && err.name === 'SandboxError') {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
