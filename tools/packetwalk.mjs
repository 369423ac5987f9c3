// The entry behind `npm run up`, `npm start`, `npm test` and `npm run dev`: checks the host before any work, then
// runs the TypeScript entry point on a Node that can load it.
//   node tools/packetwalk.mjs up [--no-labs]      install, build, serve
//   node tools/packetwalk.mjs start [--no-labs]   serve the built site (builds first when there is no build)
//   node tools/packetwalk.mjs test [step…]        tests/run-all.ts
//   node tools/packetwalk.mjs exec -- <node args> any Node command on the right Node (npm run dev)
//   node tools/packetwalk.mjs preflight --for up|start|test   only the checks (exit 1 when one fails)
// Plain JavaScript that Node 20 can run: `node file.ts` needs Node >= 22.6, so the check cannot live in TypeScript.
// A missing prerequisite prints what was found, what is needed and the fix, never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNode } from './preflight/ensure-node.mjs';
import { checkDocker } from './preflight/docker-check.mjs';
import { diskCheck, GiB } from './preflight/disk-space.mjs';
import { baseImageCheck, chromiumCheck } from './preflight/test-prerequisites.mjs';
import { engineGet } from './preflight/docker-probe.mjs';
import { hostPlatform } from './preflight/host-platform.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMMANDS = ['up', 'start', 'test', 'exec', 'preflight'];
const say = (line) => process.stdout.write(`packetwalk: ${line}\n`);
const complain = (line) => process.stderr.write(`packetwalk: ${line}\n`);

/** A prerequisite is missing: its message (if any) is the last line printed; never a stack trace. */
class Stop extends Error {
  name = 'Stop';
}

function report(check) {
  if (!check) return;
  if (check.status === 'ok') say(`✓ ${check.line}`);
  else {
    complain(`✗ ${check.line}`);
    if (check.fix) complain(`    fix: ${check.fix}`);
  }
  return check.status;
}

/** Docker: reachable, or stop with the diagnosis. Returns the engine facts and the env additions for children. */
async function dockerStep(command) {
  const d = await checkDocker(process.env);
  if (!d.ok) {
    complain(`✗ Docker: ${d.headline}`);
    for (const line of d.fix) complain(`    fix: ${line}`);
    if (command === 'up' || command === 'start')
      complain(`    (to read the lessons without labs meanwhile: ${command === 'up' ? 'npm run up' : 'npm start'} -- --no-labs)`);
    throw new Stop();
  }
  const where = d.source === 'default' ? d.host.replace(/^unix:\/\//, '') : d.source === 'DOCKER_HOST' ? `DOCKER_HOST=${d.host}` : d.host;
  say(`✓ Docker: engine ${d.serverVersion} (API ${d.apiVersion}) at ${where}`);
  if (d.exportHost)
    say(`  using DOCKER_HOST=${d.exportHost} for packetwalk (${d.source === 'context' ? 'the current Docker context' : 'the default socket is absent'})`);
  return d;
}

/** Disk for install/build (in the checkout) and for the first image build (in Docker's data root, when local). */
async function diskStep(command, docker) {
  const failed = [];
  const fresh = !fs.existsSync(path.join(REPO, 'node_modules')) || !fs.existsSync(path.join(REPO, '.next', 'BUILD_ID'));
  if (command === 'up' && fresh) {
    failed.push(
      report(
        diskCheck({
          what: 'Disk (dependencies and build)',
          dir: REPO,
          neededBytes: 1.5 * GiB,
          fix: 'free space on this filesystem, or clone packetwalk onto a larger one',
        }),
      ),
    );
  }
  const localRoot = docker?.rootDir && docker.host.startsWith('unix://') && fs.existsSync(docker.rootDir) ? docker.rootDir : undefined;
  if (localRoot) {
    const endpoint = { host: docker.host };
    const built = (await engineGet(endpoint, '/images/packetwalk%2Fnode:latest/json')).status === 200;
    if (!built)
      failed.push(
        report(
          diskCheck({
            what: 'Disk (lab images)',
            dir: localRoot,
            neededBytes: 2 * GiB,
            fix: 'free space for Docker (docker system prune removes stopped containers and unused images), then run the command again',
          }),
        ),
      );
  }
  if (failed.includes('fail')) throw new Stop();
}

async function testPrerequisitesStep(docker) {
  const results = [report(chromiumCheck()), report(await baseImageCheck({ host: docker.host }))];
  if (results.includes('fail')) throw new Stop();
}

/**
 * Next.js reports anonymous usage to Vercel unless told not to; packetwalk is made for offline classrooms, so the
 * children (next build, the server, next dev) run with telemetry off unless the user set NEXT_TELEMETRY_DISABLED.
 */
const DEFAULT_ENV = { NEXT_TELEMETRY_DISABLED: '1' };

function childEnv(node, docker, extra = {}) {
  const env = { ...DEFAULT_ENV, ...process.env, ...extra };
  if (node.binDir) env.PATH = `${node.binDir}${path.delimiter}${env.PATH ?? ''}`;
  if (docker?.exportHost) env.DOCKER_HOST = docker.exportHost;
  return env;
}

function runSync(cmd, args, env, what) {
  say(`${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, cwd: REPO });
  if (r.error) throw new Stop(`${what}: ${cmd} could not be started (${r.error.message})`);
  if (r.status !== 0) throw new Stop(`${what} failed (exit ${r.status ?? r.signal}): see the output above`);
}

/**
 * Runs a Node entry. On a Node that is new enough and without Node flags it is imported in this process (no extra
 * process between the terminal and the server); otherwise the fetched Node runs it as a child.
 */
async function runNode(node, nodeArgs, env) {
  const [first, ...rest] = nodeArgs;
  if (!node.binDir && first && !first.startsWith('-')) {
    Object.assign(process.env, env);
    const script = path.resolve(REPO, first);
    process.argv = [process.execPath, script, ...rest];
    await import(pathToFileURL(script).href);
    return;
  }
  const child = spawn(node.binary, nodeArgs, { stdio: 'inherit', env, cwd: REPO });
  // Ctrl-C reaches the child from the terminal itself; other signals are passed on.
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  process.on('SIGINT', () => undefined);
  await new Promise((resolve) => child.on('exit', (code, signal) => resolve((process.exitCode = code ?? (signal ? 1 : 0)))));
}

function parse(argv) {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command)) throw new Stop(`usage: node tools/packetwalk.mjs ${COMMANDS.join('|')} … (got ${command ?? 'nothing'})`);
  const noLabs = rest.includes('--no-labs');
  const forIdx = rest.indexOf('--for');
  const onlyIdx = rest.indexOf('--only');
  const dash = rest.indexOf('--');
  return {
    command,
    noLabs,
    checksFor: forIdx >= 0 ? rest[forIdx + 1] : undefined,
    /** preflight only: run just the node or the docker check (tests run each alone). */
    only: onlyIdx >= 0 ? rest[onlyIdx + 1] : undefined,
    nodeArgs: dash >= 0 ? rest.slice(dash + 1) : [],
    testArgs: rest.filter((a) => a !== '--no-labs'),
  };
}

async function main() {
  const args = parse(process.argv.slice(2));
  // Native Windows: nothing below applies (shell scripts, unix sockets, Linux lab nodes); say so before fetching anything.
  if (hostPlatform() === 'windows')
    throw new Stop(
      'packetwalk runs inside WSL2 on Windows: wsl --install (Ubuntu), install Docker Desktop with WSL integration for it, then run the command inside WSL.',
    );
  const only = args.command === 'preflight' ? args.only : undefined;
  const node = only === 'docker' ? { binary: process.execPath, version: process.version } : await ensureNode(REPO, process.env, say);
  const target = args.command === 'preflight' ? (args.checksFor ?? 'up') : args.command;
  let docker;
  if (only !== 'node') {
    if (['up', 'start', 'test'].includes(target) && !args.noLabs) docker = await dockerStep(target);
    if (target === 'up' || target === 'start') await diskStep(target, docker);
    if (target === 'test' && only !== 'docker') await testPrerequisitesStep(docker);
  }
  switch (args.command) {
    case 'preflight':
      say('all checks passed');
      return;
    case 'up': {
      const env = childEnv(node, docker);
      runSync('npm', ['install', '--no-fund', '--no-audit'], env, 'dependencies');
      runSync('npm', ['run', 'build'], env, 'build');
      return runNode(node, ['server.ts'], childEnv(node, docker, { NODE_ENV: 'production' }));
    }
    case 'start':
      return runNode(node, ['server.ts'], childEnv(node, docker, { NODE_ENV: 'production' }));
    case 'test':
      return runNode(node, ['tests/run-all.ts', ...args.testArgs], childEnv(node, docker));
    case 'exec':
      return runNode(node, args.nodeArgs, childEnv(node, docker));
  }
}

main().catch((err) => {
  if (err?.name === 'Stop') {
    if (err.message) complain(err.message);
  } else {
    complain(`unexpected failure: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
});
