// Apply and Diff for the manifest scratchpad: kubectl on the lab's jumpbox (the learner's own credentials), the
// manifest on stdin. Server-side apply with field manager "packetwalk", so what the editor applied is visible as
// such in managedFields and a later `kubectl apply` by the learner reports a conflict instead of silently fighting.
import type { LabManager } from '../lab/lab-manager.ts';
import type { Lab, LabTarget } from '../lab/lab.ts';
import { LabRunnerError } from '../errors.ts';
import type { RunKubectl } from '../../lib/k8s-schema/cluster-schema.ts';
import { JUMPBOX_USER } from '../kind/jumpbox.ts';
import { checkManifest, formatIssues } from './manifest-check.ts';
import type { KubectlRun, ManifestIssue } from '../wire/files.ts';

export const FIELD_MANAGER = 'packetwalk';
const APPLY_TIMEOUT_MS = 60_000;
const OUTPUT_LIMIT = 256 * 1024;

export class NoClusterError extends LabRunnerError {
  override name = 'NoClusterError';
  constructor(lab: Pick<Lab, 'id' | 'template'>) {
    super(
      'no-cluster',
      `This lab (${lab.template}) has no Kubernetes cluster: it is made of plain Linux nodes, so there is nothing to apply to. ` +
        `You can still write manifests here; Apply, Diff and schema checks work in lessons that start a kind cluster.`,
    );
  }
}

export class InvalidManifestError extends LabRunnerError {
  override name = 'InvalidManifestError';
  readonly issues: ManifestIssue[];
  constructor(issues: ManifestIssue[]) {
    const many = new Set(issues.map((i) => i.document)).size > 1;
    super('manifest-invalid', `The manifest was not sent to the cluster; fix ${issues.length === 1 ? 'this' : 'these'} first:\n${formatIssues(issues, many)}`);
    this.issues = issues;
  }
}

/** The target kubectl runs on, or NoClusterError for labs without one. */
export function jumpboxOf(lab: Lab): LabTarget {
  const targets = 'targets' in lab ? lab.targets : [];
  const jumpbox = targets.find((t) => t.kind === 'jumpbox');
  if (!jumpbox) throw new NoClusterError(lab);
  return jumpbox;
}

export class ManifestCommands {
  private readonly labs: Pick<LabManager, 'exec'>;

  constructor(labs: Pick<LabManager, 'exec'>) {
    this.labs = labs;
  }

  private async kubectlOnJumpbox(
    labId: string,
    jumpbox: LabTarget,
    args: string[],
    opts: { stdin?: string; timeoutMs?: number; maxOutputBytes?: number } = {},
  ) {
    return this.labs.exec(labId, jumpbox.name, {
      cmd: ['kubectl', ...args],
      user: JUMPBOX_USER,
      env: { HOME: `/home/${JUMPBOX_USER}` },
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      timeoutMs: opts.timeoutMs ?? APPLY_TIMEOUT_MS,
      maxOutputBytes: opts.maxOutputBytes ?? OUTPUT_LIMIT,
    });
  }

  /** `kubectl apply --server-side`; InvalidManifestError (nothing sent) when the YAML is broken. */
  async apply(labId: string, jumpbox: LabTarget, manifest: string, opts: { forceConflicts?: boolean } = {}): Promise<KubectlRun> {
    const { issues, objects } = checkManifest(manifest);
    if (issues.length) throw new InvalidManifestError(issues);
    const args = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...(opts.forceConflicts ? ['--force-conflicts'] : []), '-f', '-'];
    const r = await this.kubectlOnJumpbox(labId, jumpbox, args, { stdin: manifest });
    return { command: `kubectl ${args.join(' ')}`, exitCode: r.exitCode, stdout: r.stdout, stderr: timedOutNote(r) + r.stderr, ok: r.exitCode === 0, objects };
  }

  /** `kubectl diff --server-side`: exit 0 = no differences, 1 = differences, anything else = an error. */
  async diff(labId: string, jumpbox: LabTarget, manifest: string): Promise<KubectlRun> {
    const { issues, objects } = checkManifest(manifest);
    if (issues.length) throw new InvalidManifestError(issues);
    const args = ['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'];
    const r = await this.kubectlOnJumpbox(labId, jumpbox, args, { stdin: manifest });
    return {
      command: `kubectl ${args.join(' ')}`,
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: timedOutNote(r) + r.stderr,
      ok: r.exitCode === 0 || r.exitCode === 1,
      differs: r.exitCode === 1,
      objects,
    };
  }

  /** kubectl on the jumpbox as lib/k8s-schema wants it (for the cluster's OpenAPI documents). */
  kubectl(labId: string, jumpbox: LabTarget): RunKubectl {
    return async (args, opts) => {
      const r = await this.kubectlOnJumpbox(labId, jumpbox, args, opts);
      return { exitCode: r.exitCode, stdout: r.stdout, stderr: timedOutNote(r) + r.stderr, truncated: r.truncated };
    };
  }
}

function timedOutNote(r: { timedOut: boolean }): string {
  return r.timedOut ? 'kubectl did not finish in time and was stopped; is the cluster still starting?\n' : '';
}
