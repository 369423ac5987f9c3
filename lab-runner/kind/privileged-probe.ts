// Can this engine start a privileged container? kind nodes need it (unless an isolating runtime such as Sysbox
// is used). Tried for real with a tiny container on a local image, then removed.
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import type { CheckResult } from './host-preflight.ts';

/**
 * Local images that can run `true` as root, best first; none of them is pulled. Root matters: a privileged
 * container whose user is not root can start on hosts that refuse root's full capability set (kind nodes run as root).
 */
export const PROBE_IMAGE_CANDIDATES = ['packetwalk/node:latest', 'debian:bookworm-slim', 'pw-test/base:1'];

export const PRIVILEGED_FIX =
  'kind nodes need --privileged. Run on a host (or VM) whose Docker can start privileged containers, or install Sysbox and set LAB_RUNTIME=sysbox-runc. Bare-node labs (nodes-1, nodes-2) still work here.';

export async function probePrivileged(runtime: ContainerRuntime, containerRuntime?: string): Promise<CheckResult> {
  const name = 'Privileged containers';
  let image: string | undefined;
  for (const ref of PROBE_IMAGE_CANDIDATES) {
    if (await runtime.inspectImage(ref)) {
      image = ref;
      break;
    }
  }
  if (!image) return { name, status: 'warn', detail: 'not tried: no local image to try with', fix: 'Run "npm run images" first, then "npm run doctor" again.' };
  const privileged = !(containerRuntime?.startsWith('sysbox') ?? false);
  const probeName = `pw-doctor-probe-${process.pid}-${Date.now().toString(36)}`;
  let id: string | undefined;
  try {
    ({ id } = await runtime.createContainer({
      name: probeName,
      image,
      labels: { 'io.packetwalk.managed': 'true', 'io.packetwalk.role': 'doctor-probe' },
      entrypoint: ['true'],
      network: 'none',
      privileged,
      ...(privileged ? { usernsMode: 'host' as const } : {}),
      ...(containerRuntime ? { runtime: containerRuntime } : {}),
    }));
    await runtime.startContainer(id);
    return { name, status: 'ok', detail: `${privileged ? 'a privileged' : `an unprivileged ${containerRuntime}`} container started (probe on ${image})` };
  } catch (e) {
    return {
      name,
      status: 'fail',
      detail: `${privileged ? '--privileged' : containerRuntime} refused: ${(e as Error).message.split('\n')[0]}`,
      fix: privileged ? PRIVILEGED_FIX : `Install and register the ${containerRuntime} runtime with Docker (daemon.json "runtimes"), or unset LAB_RUNTIME.`,
    };
  } finally {
    if (id) await runtime.removeContainer(id).catch(() => undefined);
  }
}
