// npm run doctor's isolation section: the confinement the configured engine gives lab nodes, what it means, and
// whether labs would start under the current LAB_ISOLATION and listening address.
import type { CheckResult } from '../kind/host-preflight.ts';
import { LabRunnerError } from '../errors.ts';
import type { EngineInfo } from '../runtime/container-runtime.ts';
import { APPARMOR_PROFILE_NAME } from './apparmor-profile.ts';
import { diskCapFor } from './disk-cap.ts';
import { engineHasAppArmor, engineIsolation, isConfining } from './isolation-mode.ts';
import { resolveIsolation, type IsolationPolicyInput } from './isolation-policy.ts';

export async function isolationChecks(engine: string, info: EngineInfo, input: IsolationPolicyInput, diskLimitBytes?: number): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const base = engineIsolation(info, input.labRuntime);
  const apparmor = engineHasAppArmor(info);
  out.push({
    name: `Engine isolation (${engine})`,
    status: isConfining(base) ? 'ok' : 'warn',
    detail: `${base}${apparmor ? ', AppArmor on' : ''}`,
    fix: isConfining(base)
      ? undefined
      : 'Root in a node is root on the host. For a site serving more than one person, use a user-namespace engine (dockerd --userns-remap=default, rootless Docker, LAB_RUNTIME=sysbox-runc) or the AppArmor profile.',
  });
  if (apparmor) {
    const loaded = await input.profileLoaded();
    out.push(
      loaded
        ? { name: 'AppArmor profile', status: 'ok', detail: `${APPARMOR_PROFILE_NAME} is loaded` }
        : {
            name: 'AppArmor profile',
            status: 'warn',
            detail:
              loaded === false
                ? `${APPARMOR_PROFILE_NAME} is not loaded: Docker's docker-default profile denies the mounts "ip netns add" needs`
                : `cannot tell whether ${APPARMOR_PROFILE_NAME} is loaded on a remote engine`,
            fix: 'On the Docker host: sudo npm run apparmor -- --persist',
          },
    );
  }
  try {
    const r = await resolveIsolation(input);
    out.push({
      name: 'Lab nodes',
      status: isConfining(r.mode) ? 'ok' : 'warn',
      detail: `LAB_ISOLATION=${input.setting} → ${r.mode}: ${r.meaning}${r.securityOpt.length ? ` (${r.securityOpt.join(', ')})` : ''}`,
    });
  } catch (err) {
    if (!(err instanceof LabRunnerError)) throw err;
    out.push({ name: 'Lab nodes', status: 'fail', detail: err.message });
  }
  out.push(diskCapCheck(info, diskLimitBytes));
  return out;
}

/** LAB_DISK_LIMIT as this engine would apply it (disk-cap.ts): without it, a node's `dd` can fill the host's disk. */
export function diskCapCheck(info: EngineInfo, limitBytes: number | undefined): CheckResult {
  const cap = diskCapFor({ limitBytes, ...info, imageSizeBytes: 0 });
  const mib = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`;
  if (cap.kind === 'off')
    return {
      name: 'Disk cap',
      status: 'warn',
      detail: "LAB_DISK_LIMIT=none: a node can fill the Docker host's disk",
      fix: 'Set LAB_DISK_LIMIT (1g by default).',
    };
  if (cap.kind === 'unsupported')
    return {
      name: 'Disk cap',
      status: 'warn',
      detail: `LAB_DISK_LIMIT=${mib(limitBytes!)} is not enforced: ${cap.reason}. Lab nodes start uncapped and can fill the Docker host's disk`,
      fix: "Give Docker's data root a filesystem that caps a container (btrfs, or xfs mounted with pquota under overlay2), with the graph driver store; or run labs where a full disk harms no one else.",
    };
  return {
    name: 'Disk cap',
    status: 'ok',
    detail: `each lab node may write ${mib(limitBytes!)} (${info.storageDriver}${info.backingFilesystem ? ` on ${info.backingFilesystem}` : ''}${info.storageDriver === 'overlay2' ? '; needs pquota, or the engine refuses the size and nodes start uncapped with a warning' : ''})`,
  };
}
