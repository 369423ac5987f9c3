// The host agent: a long-lived container per Docker host (host-agent-spec.ts) that the lab runner execs
// bridge-rules.sh into, to put each internal lab bridge's host rules in place: routed traffic between the lab's own
// nodes may cross the bridge (Docker drops it otherwise), and nothing from the lab reaches the host's own addresses
// (IPv4 via the bridge's MAC, IPv6 via its link-local address). See bridge-rules.sh for the rules and why.
// Everything goes through the ContainerRuntime, so it works the same with a remote DOCKER_HOST, where an iptables
// call on the machine running the lab runner would change the wrong host.
//
// Created on demand by the first lab that needs it. When it cannot run (image missing, rootless engine, a policy that
// refuses NET_ADMIN in the host network, Docker not managing iptables) the lab runner logs one clear warning and labs
// are still created, as before the agent existed: routed pod traffic between nodes is dropped and the host's own
// addresses keep only the protection of the bridge having no IPv4 address.
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError, PollTimeoutError } from '../errors.ts';
import { Labels } from '../labels.ts';
import type { ContainerRuntime, ExecResult } from '../runtime/container-runtime.ts';
import { linearBackoff } from '../util/backoff.ts';
import { done, notYet, pollUntil } from '../util/poll-until.ts';
import { bridgeRulesCommand, BRIDGE_RULES_SCRIPT, parseBridgeRules, type BridgeRule } from './bridge-rules.ts';
import { HOST_AGENT_NAME, HOST_AGENT_ROLE, HOST_AGENT_SPEC_VERSION, hostAgentSpec } from './host-agent-spec.ts';

const log = createLogger('host-agent');
const EXEC_TIMEOUT_MS = 20_000;

export interface HostAgentOptions {
  /** Container name; tests use their own so they never disturb the real agent. */
  name?: string;
  /** After a failure to start the agent, labs skip it for this long before trying again (default 60 s). */
  retryAfterMs?: number;
}

export class HostAgent {
  readonly name: string;
  private readonly rt: ContainerRuntime;
  private readonly retryAfterMs: number;
  private id?: string;
  private creating?: Promise<string>;
  private unavailableUntil = 0;
  private lastProblem?: string;
  private readonly warned = new Set<string>();

  constructor(runtime: ContainerRuntime, opts: HostAgentOptions = {}) {
    this.rt = runtime;
    this.name = opts.name ?? HOST_AGENT_NAME;
    this.retryAfterMs = opts.retryAfterMs ?? 60_000;
  }

  /** Why lab bridge rules could not be put in place last time; undefined once the agent has worked. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  /**
   * Puts the host rules of each internal lab bridge in place (commented "packetwalk <labId>"; idempotent): frames
   * between the bridge's own ports pass FORWARD, packets from the bridge to the host itself are dropped. Creates the
   * agent from `image` when it does not exist. Never throws: resolves false (after one warning per distinct reason)
   * when the rules could not be put in place.
   */
  async applyLabRules(labId: string, bridges: string[], image: string): Promise<boolean> {
    if (bridges.length === 0) return true;
    if (Date.now() < this.unavailableUntil) return false;
    try {
      // A failed run of the script (a busy xtables lock, a transient fork failure) is retried at once a few times;
      // only an agent that cannot be had at all backs off for retryAfterMs, so one hiccup never costs other labs.
      await pollUntil(
        async ({ attempt }) => {
          const r = await this.run(['allow', labId, ...bridges], image);
          if (!r) throw new Error('the host agent is not running');
          if (r.exitCode === 0) {
            log.debug('lab bridge rules in place', { lab: labId, bridges: bridges.join(','), attempt });
            return done(undefined);
          }
          const failure = describeFailure(r);
          log.debug('lab bridge rules failed; trying again', { lab: labId, attempt, failure });
          return notYet(failure);
        },
        { what: `the bridge rules of ${labId}`, maxAttempts: SCRIPT_ATTEMPTS, backoff: linearBackoff(150) },
      );
      this.lastProblem = undefined;
      return true;
    } catch (err) {
      if (err instanceof PollTimeoutError) {
        this.warnOnce(err.outcome.detail ?? '');
        return false;
      }
      this.unavailableUntil = Date.now() + this.retryAfterMs;
      this.warnOnce((err as Error).message);
      return false;
    }
  }

  /** Deletes the lab's rules. Uses the agent only if it exists (a lab never had rules without one). Never throws. */
  async removeLabRules(labId: string): Promise<BridgeRule[]> {
    return this.quietly(`remove the rules of ${labId}`, ['remove', labId]);
  }

  /** Deletes packetwalk rules whose bridge is gone (labs removed by hand, by a crashed process...). Never throws. */
  async sweepStaleRules(): Promise<BridgeRule[]> {
    return this.quietly('sweep stale rules', ['sweep']);
  }

  /** The packetwalk rules now in the host's DOCKER-USER chain; [] when there is no agent. Throws on failure. */
  async listRules(): Promise<BridgeRule[]> {
    const r = await this.run(['list']);
    if (!r) return [];
    if (r.exitCode !== 0) throw new LabRunnerError('host-agent', `The host agent could not list its rules: ${describeFailure(r)}`);
    return parseBridgeRules(r.stdout, 'rule');
  }

  private async quietly(what: string, args: string[]): Promise<BridgeRule[]> {
    try {
      const r = await this.run(args);
      if (!r) return [];
      if (r.exitCode !== 0) throw new Error(describeFailure(r));
      const removed = parseBridgeRules(r.stdout, 'removed');
      if (removed.length) log.debug('removed lab bridge rules', { what, rules: removed.map((x) => `${x.bridge}:${x.labId}`).join(',') });
      return removed;
    } catch (err) {
      log.warn(`host agent could not ${what}; the reaper retries`, { error: (err as Error).message });
      return [];
    }
  }

  /** Runs bridge-rules.sh in the agent. Without `image` an agent that does not exist is not created (resolves undefined). */
  private async run(args: string[], image?: string): Promise<ExecResult | undefined> {
    for (let attempt = 1; ; attempt++) {
      const id = await this.containerId(image);
      if (!id) return undefined;
      try {
        return await this.rt.exec(id, { cmd: bridgeRulesCommand(args), stdin: BRIDGE_RULES_SCRIPT, timeoutMs: EXEC_TIMEOUT_MS });
      } catch (err) {
        // Removed or stopped behind our back (docker rm -f, an engine restart): find or create it once more.
        this.id = undefined;
        if (attempt >= 2) throw err;
        log.debug('host agent exec failed, locating it again', { agent: this.name, error: (err as Error).message });
      }
    }
  }

  private async containerId(image?: string): Promise<string | undefined> {
    if (this.id) return this.id;
    if (!image) return this.locate(undefined);
    this.creating ??= this.locate(image)
      .then((id) => id!)
      .finally(() => {
        this.creating = undefined;
      });
    return this.creating;
  }

  /** Finds the agent (starting it if stopped); creates it from `image` when missing and an image is given. */
  private async locate(image: string | undefined): Promise<string | undefined> {
    let info = await this.rt.inspectContainer(this.name);
    if (!info) {
      if (!image) return undefined;
      try {
        // Unknown (engine info failed) counts as not remapped: the agent then gets exactly its usual capabilities.
        const engine = await Promise.resolve()
          .then(() => this.rt.info())
          .catch(() => undefined);
        const remappedEngine = engine?.securityOptions?.some((o) => o.split(',')[0] === 'name=userns') ?? false;
        await this.rt.createContainer(hostAgentSpec({ image, name: this.name, remappedEngine }));
        log.info('created the host agent', { agent: this.name, image });
      } catch (err) {
        // Another process created it between our inspect and our create: use theirs.
        if (!(err instanceof LabRunnerError && err.code === 'name-conflict')) throw err;
      }
      info = await this.rt.inspectContainer(this.name);
      if (!info) throw new LabRunnerError('host-agent', `The host agent ${this.name} vanished right after it was created.`);
    }
    if (info.labels[Labels.role] !== HOST_AGENT_ROLE) {
      throw new LabRunnerError(
        'name-conflict',
        `A container named ${this.name} exists but is not packetwalk's host agent (no ${Labels.role}=${HOST_AGENT_ROLE} label). Remove it ("docker rm -f ${this.name}").`,
      );
    }
    if (image && info.labels[Labels.specVersion] !== HOST_AGENT_SPEC_VERSION) {
      // Created by an older packetwalk with other limits: replace it (it holds no state; the rules live in the host).
      log.info('replacing an outdated host agent', { agent: this.name, had: info.labels[Labels.specVersion] ?? 'none', want: HOST_AGENT_SPEC_VERSION });
      await this.rt.removeContainer(info.id);
      return this.locate(image);
    }
    if (info.state === 'paused') await this.rt.unpauseContainer(info.id);
    else if (info.state !== 'running') await this.rt.startContainer(info.id);
    this.id = info.id;
    return info.id;
  }

  private warnOnce(reason: string): void {
    this.lastProblem = reason;
    if (this.warned.has(reason)) return;
    this.warned.add(reason);
    log.warn(
      `The host agent ${this.name} could not put lab bridge rules in place (${reason.replace(/\.$/, '')}). Labs still start, but routed traffic between ` +
        `lab nodes (pod ranges) is dropped by this host's firewall, so lessons that route pod ranges between nodes fail, and labs are not ` +
        `firewalled from the host's own addresses. See docs/architecture/engine-labs.md, "Host agent".`,
    );
  }
}

const SCRIPT_ATTEMPTS = 3;

function describeFailure(r: ExecResult): string {
  const text = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ');
  return r.timedOut ? `timed out after ${EXEC_TIMEOUT_MS / 1000} s` : `exit ${r.exitCode}${text ? `: ${text}` : ''}`;
}

const agents = new WeakMap<ContainerRuntime, HostAgent>();

/** The host agent of a runtime's Docker host, shared by the provisioner and the reaper. */
export function hostAgentFor(runtime: ContainerRuntime): HostAgent {
  let agent = agents.get(runtime);
  if (!agent) agents.set(runtime, (agent = new HostAgent(runtime)));
  return agent;
}
