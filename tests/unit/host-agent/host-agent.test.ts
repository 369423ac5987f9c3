// The host agent without Docker: its container spec, the bridge names its rules use, the script's calling
// convention, and how HostAgent behaves against an in-memory runtime (create once, never throw, warn once).
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toCreateOptions } from '../../../lab-runner/docker/container-create-options.ts';
import { toNetworkInfo } from '../../../lab-runner/docker/docker-networks.ts';
import { LabRunnerError } from '../../../lab-runner/errors.ts';
import { bridgeRulesCommand, BRIDGE_RULES_SCRIPT, parseBridgeRules } from '../../../lab-runner/host-agent/bridge-rules.ts';
import { HostAgent } from '../../../lab-runner/host-agent/host-agent.ts';
import { HOST_AGENT_NAME, HOST_AGENT_SPEC_VERSION, hostAgentSpec } from '../../../lab-runner/host-agent/host-agent-spec.ts';
import { Labels } from '../../../lab-runner/labels.ts';
import { labBridgeName, MAX_BRIDGE_NAME } from '../../../lab-runner/nodes/lab-network-spec.ts';
import type { ContainerInfo, ContainerRuntime, ContainerSpec, ExecOptions, ExecResult } from '../../../lab-runner/runtime/container-runtime.ts';

const SCRIPT_PATH = fileURLToPath(new URL('../../../lab-runner/host-agent/bridge-rules.sh', import.meta.url));

describe('lab bridge names', () => {
  it('are pw-<lab id suffix>-<network index>, at most 15 characters (IFNAMSIZ)', () => {
    expect(labBridgeName('lab-k3m9x2qa', 0)).toBe('pw-k3m9x2qa-0');
    expect(labBridgeName('lab-k3m9x2qa', 99).length).toBeLessThanOrEqual(MAX_BRIDGE_NAME);
    expect(labBridgeName('lab-k3m9x2qa', 1)).not.toBe(labBridgeName('lab-k3m9x2qa', 0));
    expect(labBridgeName('lab-k3m9x2qb', 0)).not.toBe(labBridgeName('lab-k3m9x2qa', 0));
  });

  it('hash ids that are not lab-xxxxxxxx, so they stay short and distinct', () => {
    const a = labBridgeName('grader-0123abcd-with-a-long-name', 0);
    const b = labBridgeName('grader-0123abce-with-a-long-name', 0);
    expect(a).toMatch(/^pw-[0-9a-f]{8}-0$/);
    expect(a).not.toBe(b);
    expect(labBridgeName('grader-0123abcd-with-a-long-name', 0)).toBe(a);
  });

  it("are read back from Docker's network listing, so teardown knows a lab bridge went", () => {
    const base = { Id: 'n1', Name: 'pw-lab-k3m9x2qa-lan', Internal: true, Labels: {}, IPAM: { Config: [{ Subnet: '10.200.0.0/27' }] } };
    expect(toNetworkInfo({ ...base, Options: { 'com.docker.network.bridge.name': 'pw-k3m9x2qa-0' } } as never).bridgeName).toBe('pw-k3m9x2qa-0');
    expect(toNetworkInfo({ ...base, Options: {} } as never)).not.toHaveProperty('bridgeName');
  });

  it('refuse an index that would not fit', () => {
    expect(() => labBridgeName('lab-k3m9x2qa', 100)).toThrow(/0 to 99/);
    expect(() => labBridgeName('lab-k3m9x2qa', -1)).toThrow();
  });
});

describe('host agent container', () => {
  const body = toCreateOptions(hostAgentSpec({ image: 'packetwalk/node:latest' }));
  const host = body.HostConfig!;

  it("shares the host's network namespace with NET_ADMIN and NET_RAW only, never privileged, no mounts", () => {
    expect(host.NetworkMode).toBe('host');
    expect(host.CapDrop).toEqual(['ALL']);
    expect([...(host.CapAdd ?? [])].sort()).toEqual(['NET_ADMIN', 'NET_RAW']);
    expect(host.Privileged).toBe(false);
    expect(host.Binds).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/docker\.sock/);
    expect(body.Hostname).toBeUndefined();
    expect(host.DnsOptions).toBeUndefined();
  });

  it("only sleeps: the image's init (which edits routes and sysctls in labs) never runs", () => {
    expect(body.Entrypoint).toEqual(['sleep', 'infinity']);
    expect(body.Cmd).toBeUndefined();
    expect(body.Env).toBeUndefined();
  });

  it('is managed but belongs to no lab (the reaper works lab by lab), restarts unless stopped, and is small', () => {
    expect(body.name).toBe(HOST_AGENT_NAME);
    expect(body.Labels).toMatchObject({ [Labels.managed]: 'true', [Labels.role]: 'host-agent' });
    expect(body.Labels).not.toHaveProperty([Labels.labId]);
    expect(body.Labels).not.toHaveProperty([Labels.storeId]);
    expect(host.RestartPolicy?.Name).toBe('unless-stopped');
    expect(host.Memory).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(host.PidsLimit).toBeLessThanOrEqual(512);
    // An init reaps what execs orphan; sleep as PID 1 would keep them as zombies against the PID limit.
    expect(host.Init).toBe(true);
    expect(body.Labels).toHaveProperty([Labels.specVersion], HOST_AGENT_SPEC_VERSION);
  });
});

describe('bridge-rules.sh', () => {
  it('travels on stdin; the action and its arguments are positional parameters, never part of the script text', () => {
    const cmd = bridgeRulesCommand(['allow', 'lab-abcdefgh', 'pw-abcdefgh-0']);
    expect(cmd.slice(0, 2)).toEqual(['bash', '-c']);
    expect(cmd.slice(-3)).toEqual(['allow', 'lab-abcdefgh', 'pw-abcdefgh-0']);
    expect(cmd.join(' ')).not.toContain('DOCKER-USER');
    // The same convention run locally: the script sees $1.. and stdin is closed for everything it starts.
    const out = execFileSync('bash', ['-c', cmd[2]!, 'bridge-rules', 'a b', 'c'], { input: 'echo "$#|$1|$2"; cat', encoding: 'utf8' });
    expect(out).toBe('2|a b|c\n');
  });

  it('is valid bash and passes shellcheck', () => {
    expect(spawnSync('bash', ['-n', SCRIPT_PATH]).status).toBe(0);
    const sc = spawnSync('shellcheck', [SCRIPT_PATH], { encoding: 'utf8' });
    if (sc.error) return; // shellcheck not installed here: bash -n above still ran
    expect(sc.stdout + sc.stderr).toBe('');
    expect(sc.status).toBe(0);
  });

  it('refuses a lab id or bridge name that could smuggle options, before running any iptables', () => {
    // PATH without iptables: had the script got as far as the firewall it would exit 3 (no DOCKER-USER chain).
    const run = (...args: string[]) =>
      spawnSync('/bin/bash', ['-c', BRIDGE_RULES_SCRIPT, 'bridge-rules', ...args], {
        encoding: 'utf8',
        env: { PATH: '/nonexistent' } as unknown as NodeJS.ProcessEnv,
      });
    expect(run('allow', 'lab-x', '--flush')).toMatchObject({ status: 2, stderr: expect.stringMatching(/bad bridge name: '--flush'/) });
    expect(run('allow', 'lab-x', 'a-bridge-name-longer-than-15')).toMatchObject({ status: 2 });
    expect(run('remove', '-F')).toMatchObject({ status: 2, stderr: expect.stringMatching(/bad lab id/) });
    expect(run('remove', 'lab x')).toMatchObject({ status: 2 });
    expect(run('flush')).toMatchObject({ status: 2, stderr: expect.stringMatching(/usage/) });
    expect(run('list')).toMatchObject({ status: 3, stderr: expect.stringMatching(/no DOCKER-USER chain/) });
  });

  it('output lines parse into rules', () => {
    const out =
      'backend iptables-nft\nremoved iptables-nft pw-abcdefgh-0 lab-abcdefgh\nallowed iptables-nft pw-x-0\nrule iptables-legacy pw-y-1 lab-yyyyyyyy\n';
    expect(parseBridgeRules(out, 'removed')).toEqual([{ backend: 'iptables-nft', bridge: 'pw-abcdefgh-0', labId: 'lab-abcdefgh' }]);
    expect(parseBridgeRules(out, 'rule')).toEqual([{ backend: 'iptables-legacy', bridge: 'pw-y-1', labId: 'lab-yyyyyyyy' }]);
  });
});

/** Just the calls HostAgent makes, kept in memory: containers by name, and what each exec was asked to do. */
class MemoryRuntime {
  containers = new Map<string, ContainerInfo>();
  creates: ContainerSpec[] = [];
  execs: string[][] = [];
  createError?: Error;
  execResult: (args: string[]) => ExecResult = (args) =>
    ok(
      args[0] === 'allow'
        ? `backend iptables-nft\n${args
            .slice(2)
            .map((b) => `allowed iptables-nft ${b}`)
            .join('\n')}\n`
        : 'backend iptables-nft\n',
    );
  failNextExec = false;

  async inspectContainer(idOrName: string): Promise<ContainerInfo | undefined> {
    return [...this.containers.values()].find((c) => c.id === idOrName || c.name === idOrName);
  }
  async createContainer(spec: ContainerSpec): Promise<{ id: string }> {
    this.creates.push(spec);
    await new Promise((r) => setTimeout(r, 5));
    if (this.createError) throw this.createError;
    if (this.containers.has(spec.name)) throw new LabRunnerError('name-conflict', `A container named ${spec.name} already exists.`);
    const id = `id-${this.creates.length}`;
    this.containers.set(spec.name, { id, name: spec.name, image: spec.image, labels: spec.labels, state: 'created', ipv4: {} });
    return { id };
  }
  async startContainer(id: string): Promise<void> {
    for (const c of this.containers.values()) if (c.id === id) c.state = 'running';
  }
  async unpauseContainer(id: string): Promise<void> {
    await this.startContainer(id);
  }
  async removeContainer(id: string): Promise<void> {
    for (const c of [...this.containers.values()]) if (c.id === id) this.containers.delete(c.name);
  }
  async exec(id: string, opts: ExecOptions): Promise<ExecResult> {
    const c = [...this.containers.values()].find((x) => x.id === id);
    if (!c || c.state !== 'running') throw new Error(`No such container: ${id}`);
    if (this.failNextExec) {
      this.failNextExec = false;
      this.containers.delete(c.name);
      throw new Error(`No such container: ${id}`);
    }
    expect(opts.stdin).toBe(BRIDGE_RULES_SCRIPT);
    const args = opts.cmd.slice(4);
    this.execs.push(args);
    return this.execResult(args);
  }
}

function ok(stdout: string, exitCode = 0, stderr = ''): ExecResult {
  return { exitCode, stdout, stderr, durationMs: 1, timedOut: false, truncated: false };
}

function agentOn(rt: MemoryRuntime, retryAfterMs = 60_000): HostAgent {
  return new HostAgent(rt as unknown as ContainerRuntime, { name: 'test-agent', retryAfterMs });
}

function captureWarnings(): { lines: () => string[] } {
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { lines: () => spy.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('[host-agent]')) };
}

describe('HostAgent', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('creates the agent once for labs created at the same time, then allows each lab its bridges', async () => {
    const rt = new MemoryRuntime();
    const agent = agentOn(rt);
    const results = await Promise.all([
      agent.applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'packetwalk/node:latest'),
      agent.applyLabRules('lab-bbbbbbbb', ['pw-bbbbbbbb-0', 'pw-bbbbbbbb-1'], 'packetwalk/node:latest'),
    ]);
    expect(results).toEqual([true, true]);
    expect(rt.creates).toHaveLength(1);
    expect(rt.creates[0]).toMatchObject({ name: 'test-agent', image: 'packetwalk/node:latest', network: 'host' });
    expect(rt.execs).toEqual(
      expect.arrayContaining([
        ['allow', 'lab-aaaaaaaa', 'pw-aaaaaaaa-0'],
        ['allow', 'lab-bbbbbbbb', 'pw-bbbbbbbb-0', 'pw-bbbbbbbb-1'],
      ]),
    );
    expect(agent.problem).toBeUndefined();
  });

  it('uses an agent another process created meanwhile (name conflict) and starts a stopped one', async () => {
    const rt = new MemoryRuntime();
    rt.containers.set('test-agent', {
      id: 'theirs',
      name: 'test-agent',
      image: 'x',
      labels: { [Labels.role]: 'host-agent', [Labels.specVersion]: HOST_AGENT_SPEC_VERSION },
      state: 'exited',
      ipv4: {},
    });
    expect(await agentOn(rt).applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img')).toBe(true);
    expect(rt.creates).toHaveLength(0);
    expect(rt.containers.get('test-agent')?.state).toBe('running');
  });

  it('replaces an agent created from an older spec (it keeps the limits it was created with)', async () => {
    const rt = new MemoryRuntime();
    rt.containers.set('test-agent', { id: 'old', name: 'test-agent', image: 'x', labels: { [Labels.role]: 'host-agent' }, state: 'running', ipv4: {} });
    expect(await agentOn(rt).applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img')).toBe(true);
    expect(rt.creates).toHaveLength(1);
    expect(rt.containers.get('test-agent')?.id).not.toBe('old');
  });

  it('retries a failed script run at once instead of giving up on the agent for a minute', async () => {
    const rt = new MemoryRuntime();
    const agent = agentOn(rt);
    const normal = rt.execResult;
    let failures = 1;
    rt.execResult = (args) => (failures-- > 0 ? ok('', 254, 'environment: fork: retry: Resource temporarily unavailable') : normal(args));
    expect(await agent.applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img')).toBe(true);
    expect(rt.execs.filter((a) => a[0] === 'allow')).toHaveLength(2);
    // A next lab is not refused because of the earlier hiccup.
    expect(await agent.applyLabRules('lab-bbbbbbbb', ['pw-bbbbbbbb-0'], 'img')).toBe(true);
  });

  it('finds the agent again when it was removed behind its back', async () => {
    const rt = new MemoryRuntime();
    const agent = agentOn(rt);
    await agent.applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img');
    rt.failNextExec = true;
    expect(await agent.applyLabRules('lab-bbbbbbbb', ['pw-bbbbbbbb-0'], 'img')).toBe(true);
    expect(rt.creates).toHaveLength(2);
  });

  it('never creates an agent just to remove or sweep rules', async () => {
    const rt = new MemoryRuntime();
    const agent = agentOn(rt);
    expect(await agent.removeLabRules('lab-aaaaaaaa')).toEqual([]);
    expect(await agent.sweepStaleRules()).toEqual([]);
    expect(await agent.listRules()).toEqual([]);
    expect(rt.creates).toHaveLength(0);
    expect(rt.execs).toHaveLength(0);
  });

  it('reports the rules a removal deleted', async () => {
    const rt = new MemoryRuntime();
    const agent = agentOn(rt);
    await agent.applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img');
    rt.execResult = () => ok('backend iptables-nft\nremoved iptables-nft pw-aaaaaaaa-0 lab-aaaaaaaa\n');
    expect(await agent.removeLabRules('lab-aaaaaaaa')).toEqual([{ backend: 'iptables-nft', bridge: 'pw-aaaaaaaa-0', labId: 'lab-aaaaaaaa' }]);
    expect(rt.execs.at(-1)).toEqual(['remove', 'lab-aaaaaaaa']);
  });

  it('when the agent cannot be created: labs go on (false, no throw), one warning that says what breaks, retried later', async () => {
    const warnings = captureWarnings();
    const rt = new MemoryRuntime();
    rt.createError = new Error('refused by policy');
    const agent = agentOn(rt, 0);
    expect(await agent.applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img')).toBe(false);
    expect(await agent.applyLabRules('lab-bbbbbbbb', ['pw-bbbbbbbb-0'], 'img')).toBe(false);
    expect(warnings.lines()).toHaveLength(1);
    expect(warnings.lines()[0]).toMatch(
      /could not put lab bridge rules in place \(refused by policy\).*routed traffic between lab nodes.*docs\/architecture\/engine-labs\.md/,
    );
    expect(agent.problem).toMatch(/refused by policy/);
    // retryAfterMs 0: the second lab tried again rather than trusting the first failure forever.
    expect(rt.creates).toHaveLength(2);
    rt.createError = undefined;
    expect(await agent.applyLabRules('lab-cccccccc', ['pw-cccccccc-0'], 'img')).toBe(true);
    expect(agent.problem).toBeUndefined();
  });

  it('within the retry window, labs skip a failed agent without asking Docker again', async () => {
    captureWarnings();
    const rt = new MemoryRuntime();
    rt.createError = new Error('no such image');
    const agent = agentOn(rt, 60_000);
    await agent.applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img');
    await agent.applyLabRules('lab-bbbbbbbb', ['pw-bbbbbbbb-0'], 'img');
    expect(rt.creates).toHaveLength(1);
  });

  it('a failing script (no DOCKER-USER chain) is a warning with its message, not an error', async () => {
    const warnings = captureWarnings();
    const rt = new MemoryRuntime();
    rt.execResult = () => ok('', 3, 'no DOCKER-USER chain in iptables-nft or iptables-legacy');
    expect(await agentOn(rt).applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img')).toBe(false);
    expect(warnings.lines().join('')).toMatch(/exit 3: no DOCKER-USER chain/);
  });

  it("refuses a container that merely has the agent's name", async () => {
    captureWarnings();
    const rt = new MemoryRuntime();
    rt.containers.set('test-agent', { id: 'other', name: 'test-agent', image: 'x', labels: {}, state: 'running', ipv4: {} });
    const agent = agentOn(rt);
    expect(await agent.applyLabRules('lab-aaaaaaaa', ['pw-aaaaaaaa-0'], 'img')).toBe(false);
    expect(agent.problem).toMatch(/not packetwalk's host agent/);
    expect(rt.execs).toHaveLength(0);
  });

  it('a lab with only egress networks needs nothing', async () => {
    const rt = new MemoryRuntime();
    expect(await agentOn(rt).applyLabRules('lab-aaaaaaaa', [], 'img')).toBe(true);
    expect(rt.creates).toHaveLength(0);
  });
});
