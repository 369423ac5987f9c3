// LAB_ISOLATION: which confinement lab nodes get on which engine, and when labs are refused (safe defaults by
// deployment). Engines are described by their `docker info` security options, as Docker reports them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IsolationRequiredError } from '../../../lab-runner/errors.ts';
import { APPARMOR_PROFILE_FILE, apparmorProfileLoaded } from '../../../lab-runner/isolation/apparmor-profile.ts';
import { engineHasAppArmor, engineIsolation } from '../../../lab-runner/isolation/isolation-mode.ts';
import {
  deploymentOf,
  IsolationPolicy,
  isLoopback,
  resolveIsolation,
  type IsolationPolicyInput,
  type IsolationSetting,
} from '../../../lab-runner/isolation/isolation-policy.ts';
import type { EngineInfo } from '../../../lab-runner/runtime/container-runtime.ts';
import { hostAgentSpec } from '../../../lab-runner/host-agent/host-agent-spec.ts';
import { toCreateOptions } from '../../../lab-runner/docker/container-create-options.ts';
import { nodeContainerSpec } from '../../../lab-runner/nodes/node-container-spec.ts';
import type { NodesSandbox } from '../../../course/sandbox/nodes-sandbox-schema.ts';
import { loadConfig } from '../../../lib/config.ts';

const engines = {
  plain: ['name=seccomp,profile=default'],
  ubuntu: ['name=apparmor', 'name=seccomp,profile=builtin', 'name=cgroupns'],
  userns: ['name=seccomp,profile=default', 'name=userns'],
  ubuntuUserns: ['name=apparmor', 'name=seccomp,profile=builtin', 'name=userns'],
  rootless: ['name=seccomp,profile=builtin', 'name=rootless', 'name=cgroupns'],
};
const single = deploymentOf({ host: '127.0.0.1' });
const shared = deploymentOf({ host: '0.0.0.0' });

function input(securityOptions: string[], o: Partial<IsolationPolicyInput> & { loaded?: boolean } = {}): IsolationPolicyInput {
  const info = { securityOptions, rootless: securityOptions.includes('name=rootless') } as EngineInfo;
  return { runtime: { info: async () => info }, setting: 'auto', deployment: single, profileLoaded: async () => o.loaded, ...o };
}

describe('engine isolation', () => {
  it('reads userns, rootless and AppArmor from docker info; sysbox from LAB_RUNTIME', () => {
    expect(engineIsolation({ securityOptions: engines.plain, rootless: false })).toBe('none');
    expect(engineIsolation({ securityOptions: engines.userns, rootless: false })).toBe('userns');
    expect(engineIsolation({ securityOptions: engines.rootless, rootless: true })).toBe('rootless');
    expect(engineIsolation({ securityOptions: engines.plain, rootless: false }, 'sysbox-runc')).toBe('sysbox');
    expect(engineHasAppArmor({ securityOptions: engines.ubuntu })).toBe(true);
    expect(engineHasAppArmor({ securityOptions: engines.plain })).toBe(false);
  });
});

describe('deployment', () => {
  it('loopback is a single learner; any other address, or accounts, is a shared site', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.1.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'example.org']) expect(isLoopback(h), h).toBe(false);
    expect(deploymentOf({ host: '127.0.0.1', accounts: true }).kind).toBe('shared');
    expect(shared).toEqual({ kind: 'shared', reason: 'the site listens on 0.0.0.0, beyond loopback' });
  });
});

describe('resolveIsolation', () => {
  it('a single learner on loopback keeps the zero-config start, unconfined (and unconfined from AppArmor, whose docker-default breaks ip netns add)', async () => {
    expect(await resolveIsolation(input(engines.plain))).toMatchObject({ mode: 'none', securityOpt: [] });
    expect(await resolveIsolation(input(engines.ubuntu, { loaded: false }))).toMatchObject({ mode: 'none', securityOpt: ['apparmor=unconfined'] });
  });

  it('a shared site on an unconfining engine is refused, naming the way out', async () => {
    const p = resolveIsolation(input(engines.plain, { deployment: shared }));
    await expect(p).rejects.toBeInstanceOf(IsolationRequiredError);
    await expect(p).rejects.toThrow(/0\.0\.0\.0.*userns-remap.*LAB_ISOLATION=none/s);
    await expect(resolveIsolation(input(engines.ubuntu, { deployment: shared, loaded: false }))).rejects.toThrow(/sudo npm run apparmor/);
  });

  it('a shared site starts labs on a user-namespace engine, under the loaded profile, or with an explicit LAB_ISOLATION=none', async () => {
    expect(await resolveIsolation(input(engines.userns, { deployment: shared }))).toMatchObject({ mode: 'userns', securityOpt: [] });
    expect(await resolveIsolation(input(engines.rootless, { deployment: shared }))).toMatchObject({ mode: 'rootless' });
    expect(await resolveIsolation(input(engines.plain, { deployment: shared, labRuntime: 'sysbox-runc' }))).toMatchObject({ mode: 'sysbox' });
    expect(await resolveIsolation(input(engines.ubuntu, { deployment: shared, loaded: true }))).toMatchObject({
      mode: 'apparmor',
      securityOpt: ['apparmor=packetwalk-node'],
    });
    expect(await resolveIsolation(input(engines.ubuntuUserns, { deployment: shared, loaded: true }))).toMatchObject({
      mode: 'userns',
      securityOpt: ['apparmor=packetwalk-node'],
    });
    expect(await resolveIsolation(input(engines.ubuntuUserns, { deployment: shared, loaded: false }))).toMatchObject({
      mode: 'userns',
      securityOpt: ['apparmor=unconfined'],
    });
    expect(await resolveIsolation(input(engines.plain, { deployment: shared, setting: 'none' }))).toMatchObject({ mode: 'none', securityOpt: [] });
  });

  it('an explicit mode the engine cannot give is an error, not a silent fallback', async () => {
    const cases: [IsolationSetting, string[], RegExp][] = [
      ['userns', engines.plain, /userns-remap/],
      ['sysbox', engines.plain, /LAB_RUNTIME=sysbox-runc/],
      ['apparmor', engines.plain, /does not apply AppArmor/],
    ];
    for (const [setting, opts, msg] of cases) await expect(resolveIsolation(input(opts, { setting }))).rejects.toThrow(msg);
    await expect(resolveIsolation(input(engines.ubuntu, { setting: 'apparmor', loaded: false }))).rejects.toThrow(/not loaded/);
    // A remote engine's kernel cannot be asked: an explicit apparmor is trusted.
    expect(await resolveIsolation(input(engines.ubuntu, { setting: 'apparmor', loaded: undefined }))).toMatchObject({ mode: 'apparmor' });
  });

  it('IsolationPolicy remembers a success and retries after a refusal (the operator may load the profile meanwhile)', async () => {
    let loaded = false;
    let infoCalls = 0;
    const info = { securityOptions: engines.ubuntu, rootless: false } as EngineInfo;
    const policy = new IsolationPolicy({
      runtime: { info: async () => (infoCalls++, info) },
      setting: 'auto',
      deployment: shared,
      profileLoaded: async () => loaded,
    });
    await expect(policy.nodeIsolation()).rejects.toBeInstanceOf(IsolationRequiredError);
    loaded = true;
    expect((await policy.nodeIsolation()).mode).toBe('apparmor');
    await policy.nodeIsolation();
    expect(infoCalls).toBe(2);
  });

  it('reads the kernel list of loaded profiles; cannot tell for a remote engine', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-aa-'));
    const file = path.join(dir, 'profiles');
    writeFileSync(file, 'docker-default (enforce)\npacketwalk-node (enforce)\n');
    expect(await apparmorProfileLoaded(true, file)).toBe(true);
    writeFileSync(file, 'docker-default (enforce)\npacketwalk-node-old (enforce)\n');
    expect(await apparmorProfileLoaded(true, file)).toBe(false);
    expect(await apparmorProfileLoaded(true, path.join(dir, 'missing'))).toBeUndefined();
    expect(await apparmorProfileLoaded(false, file)).toBeUndefined();
  });
});

describe('LAB_ISOLATION config', () => {
  it('defaults to auto and rejects unknown modes with the valid ones', () => {
    const env = (e: Record<string, string>) => e as unknown as NodeJS.ProcessEnv;
    expect(loadConfig(env({})).LAB_ISOLATION).toBe('auto');
    expect(loadConfig(env({ LAB_ISOLATION: 'none' })).LAB_ISOLATION).toBe('none');
    expect(() => loadConfig(env({ LAB_ISOLATION: 'off' }))).toThrow(/LAB_ISOLATION must be one of auto, userns, sysbox, apparmor, none/);
  });
});

describe('container options', () => {
  it("lab nodes carry the policy's security options and stay in the remapped user namespace; the host agent stays in the host's", () => {
    const sandbox = {
      runtime: 'nodes',
      networks: [{ name: 'lan' }],
      nodes: [{ name: 'node1', image: 'packetwalk/node:latest', role: 'node' }],
      setup: [],
    } as unknown as NodesSandbox;
    const node = toCreateOptions(
      nodeContainerSpec({ labId: 'lab-x', sandbox, node: sandbox.nodes[0]!, labels: {}, securityOpt: ['apparmor=packetwalk-node'] }),
    );
    expect(node.HostConfig?.SecurityOpt).toEqual(['apparmor=packetwalk-node']);
    expect(node.HostConfig).not.toHaveProperty('UsernsMode');
    const plain = toCreateOptions(nodeContainerSpec({ labId: 'lab-x', sandbox, node: sandbox.nodes[0]!, labels: {} }));
    expect(plain.HostConfig).not.toHaveProperty('SecurityOpt');
    const agent = toCreateOptions(hostAgentSpec({ image: 'packetwalk/node:latest' })).HostConfig;
    expect(agent).toMatchObject({ UsernsMode: 'host', NetworkMode: 'host', CapAdd: ['NET_ADMIN', 'NET_RAW'] });
    // On a remapped engine its root filesystem belongs to the remapped root: it needs to be able to enter it.
    expect(toCreateOptions(hostAgentSpec({ image: 'packetwalk/node:latest', remappedEngine: true })).HostConfig?.CapAdd).toEqual([
      'NET_ADMIN',
      'NET_RAW',
      'DAC_READ_SEARCH',
    ]);
  });
});

// apparmor_parser compiles without a kernel (--skip-kernel-load): the profile is at least syntax-checked on machines
// without AppArmor (these); the GitHub workflow loads it for real.
const parser = spawnSync('apparmor_parser', ['--version']);
describe.skipIf(parser.error !== undefined)('packetwalk-node AppArmor profile (needs apparmor_parser, Debian package "apparmor")', () => {
  it('compiles', () => {
    const r = spawnSync('apparmor_parser', ['--skip-kernel-load', '--skip-cache', APPARMOR_PROFILE_FILE], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('a broken rule is refused (the check can fail)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-aa-'));
    const broken = path.join(dir, 'broken');
    writeFileSync(broken, 'profile broken {\n  mount options=(nonsense) -> /x/,\n}\n');
    const r = spawnSync('apparmor_parser', ['--skip-kernel-load', '--skip-cache', broken], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
  });
});
