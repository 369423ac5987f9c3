// Puts verified artefacts onto one lab target, at /opt/packetwalk/artefacts/<fileName>, before a setup step that
// declared them runs. The bytes travel on the exec's stdin (as scripts do) and are renamed into place only once
// complete, so a step never sees half a file.
import type { LabExec } from '../grader/check-runner.ts';
import { LAB_ARTEFACTS_DIR } from '../../course/artefacts/artefact-manifest.ts';
import type { ArtefactProgress, ArtefactSource } from './artefact-store.ts';

const INSTALL_TIMEOUT_MS = 60_000;

export interface InstalledArtefact {
  name: string;
  /** Where the step finds it on the target. */
  path: string;
  bytes: number;
}

export async function installArtefacts(
  exec: LabExec,
  labId: string,
  target: string,
  names: readonly string[],
  source: ArtefactSource,
  onProgress?: ArtefactProgress,
): Promise<InstalledArtefact[]> {
  const installed: InstalledArtefact[] = [];
  for (const name of names) {
    const { artefact, content } = await source.read(name, onProgress);
    const dest = `${LAB_ARTEFACTS_DIR}/${artefact.fileName}`;
    const result = await exec(labId, target, {
      cmd: ['sh', '-c', `umask 022 && mkdir -p ${LAB_ARTEFACTS_DIR} && cat > "${dest}.part" && mv "${dest}.part" "${dest}"`],
      stdin: content,
      user: 'root',
      timeoutMs: INSTALL_TIMEOUT_MS,
      maxOutputBytes: 16 * 1024,
    });
    if (result.exitCode !== 0) {
      throw new Error(`could not write ${dest} on ${target} (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-500)}`);
    }
    installed.push({ name, path: dest, bytes: content.byteLength });
  }
  return installed;
}
