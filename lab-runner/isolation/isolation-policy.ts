// Decides, once per engine, how lab nodes are confined (LAB_ISOLATION) and refuses labs that would leave a shared
// site's host open. Safe defaults by deployment: a single learner on loopback starts labs with zero configuration;
// a site that serves more than one person starts them only on a confining engine unless the operator says
// LAB_ISOLATION=none. The resolution is cached; a refusal is not (the operator may load the profile meanwhile).
import { IsolationRequiredError } from '../errors.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { APPARMOR_PROFILE_NAME } from './apparmor-profile.ts';
import { engineHasAppArmor, engineIsolation, ISOLATION_MEANING, type IsolationMode } from './isolation-mode.ts';

/** LAB_ISOLATION: auto picks the best the engine offers; the others insist on one mode (none: knowingly unconfined). */
export type IsolationSetting = 'auto' | 'userns' | 'sysbox' | 'apparmor' | 'none';

/**
 * Who the site serves. Today only the listening address decides; accounts/SSO will make a site "shared" too, which
 * is why this is a union and not a boolean derived from HOST at each use.
 */
export type Deployment = { kind: 'single-learner' } | { kind: 'shared'; reason: string };

export function deploymentOf(i: { host: string; accounts?: boolean }): Deployment {
  if (i.accounts) return { kind: 'shared', reason: 'learner accounts are enabled' };
  if (isLoopback(i.host)) return { kind: 'single-learner' };
  return { kind: 'shared', reason: `the site listens on ${i.host}, beyond loopback` };
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export interface ResolvedIsolation {
  mode: IsolationMode;
  /** Added to every lab node's SecurityOpt. */
  securityOpt: string[];
  meaning: string;
}

export interface IsolationPolicyInput {
  runtime: Pick<ContainerRuntime, 'info'>;
  setting: IsolationSetting;
  deployment: Deployment;
  labRuntime?: string;
  /** Whether packetwalk-node is loaded (undefined: cannot tell, e.g. a remote engine). */
  profileLoaded: () => Promise<boolean | undefined>;
}

const PROFILE_FIX = `install the profile once with "sudo npm run apparmor" (see docs/architecture/isolation.md)`;

export async function resolveIsolation(i: IsolationPolicyInput): Promise<ResolvedIsolation> {
  const info = await i.runtime.info();
  const base = engineIsolation(info, i.labRuntime);
  const apparmor = engineHasAppArmor(info);
  const loaded = apparmor ? await i.profileLoaded() : false;
  const withProfile = (mode: IsolationMode): ResolvedIsolation => ({
    mode,
    securityOpt: [`apparmor=${APPARMOR_PROFILE_NAME}`],
    meaning: ISOLATION_MEANING[mode],
  });
  // Docker's docker-default profile denies mount(2), which `ip netns add` needs: on an AppArmor host a node gets
  // either the packetwalk profile or none at all.
  const unconfinedAppArmor = apparmor ? ['apparmor=unconfined'] : [];
  const plain = (mode: IsolationMode): ResolvedIsolation => ({ mode, securityOpt: unconfinedAppArmor, meaning: ISOLATION_MEANING[mode] });

  switch (i.setting) {
    case 'none':
      return plain(base);
    case 'userns':
      if (base !== 'userns' && base !== 'rootless')
        throw new IsolationRequiredError(
          `LAB_ISOLATION=userns, but this engine does not run containers in user namespaces: start dockerd with --userns-remap=default (or use rootless Docker).`,
        );
      return apparmor && loaded ? withProfile(base) : plain(base);
    case 'sysbox':
      if (base !== 'sysbox') throw new IsolationRequiredError(`LAB_ISOLATION=sysbox needs LAB_RUNTIME=sysbox-runc.`);
      return plain(base);
    case 'apparmor':
      if (!apparmor) throw new IsolationRequiredError(`LAB_ISOLATION=apparmor, but this engine does not apply AppArmor profiles (no AppArmor in its kernel).`);
      if (loaded === false) throw new IsolationRequiredError(`LAB_ISOLATION=apparmor, but the ${APPARMOR_PROFILE_NAME} profile is not loaded: ${PROFILE_FIX}.`);
      return withProfile(base === 'none' ? 'apparmor' : base);
    case 'auto': {
      if (base !== 'none') return apparmor && loaded ? withProfile(base) : plain(base);
      if (apparmor && loaded) return withProfile('apparmor');
      if (i.deployment.kind === 'single-learner') return plain('none');
      throw new IsolationRequiredError(
        `Labs are refused: ${i.deployment.reason}, and this engine gives lab nodes no confinement (a learner could reach root on the host). ` +
          (apparmor ? `Load the AppArmor profile (${PROFILE_FIX}), run` : 'Run') +
          ` labs on a user-namespace engine (dockerd --userns-remap=default, rootless Docker, or LAB_RUNTIME=sysbox-runc), or set LAB_ISOLATION=none to accept the risk.`,
      );
    }
  }
}

/** Resolves once and remembers success; a refusal is retried on the next lab, so fixing the host needs no restart. */
export class IsolationPolicy {
  private resolved?: Promise<ResolvedIsolation>;
  private readonly input: IsolationPolicyInput;
  constructor(input: IsolationPolicyInput) {
    this.input = input;
  }

  nodeIsolation(): Promise<ResolvedIsolation> {
    this.resolved ??= resolveIsolation(this.input);
    return this.resolved.catch((err: unknown) => {
      this.resolved = undefined;
      throw err;
    });
  }
}
