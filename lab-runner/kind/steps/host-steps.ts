// Steps "preflight" and "node image": is this host able to run the cluster, and are its images here.
import { ProvisionError } from '../../errors.ts';
import { linearBackoff } from '../../util/backoff.ts';
import { done, notYet, pollUntil } from '../../util/poll-until.ts';
import { hostAdaptations, NO_ADAPTATIONS } from '../host-adaptations.ts';
import { engineWithFilesystem, evaluatePreflight, gatherHostFacts, PreflightError } from '../host-preflight.ts';
import { JUMPBOX_IMAGE } from '../jumpbox.ts';
import { kubernetesVersionOfImage } from '../../../course/sandbox/kind/node-images.ts';
import { TOOLBOX_IMAGE } from '../node-toolbox.ts';
import type { HostChecked, KindStart } from './step-context.ts';

/** The host checks (doctor), unless turned off; warnings are shown, a failed check stops here with its fix. */
export async function checkHost(c: KindStart): Promise<HostChecked> {
  const engine = await (async () => {
    if (!c.o.preflight) return c.runtime.info().catch(() => undefined);
    const facts = await gatherHostFacts(c.runtime, c.o.env);
    const results = evaluatePreflight(facts, { nodeCount: c.plan.length, kubernetesMinor: kubernetesVersionOfImage(c.template.nodeImage)?.minor ?? 35 });
    for (const r of results.filter((x) => x.status === 'warn')) c.warn(`warning: ${r.name}: ${r.detail}. ${r.fix ?? ''}`);
    if (results.some((r) => r.status === 'fail')) throw new PreflightError(results);
    return engineWithFilesystem(facts);
  })();
  return { engine, host: engine ? hostAdaptations(engine) : NO_ADAPTATIONS };
}

/** The node image (pulled when allowed), and packetwalk's own helper images, which are built locally, never pulled. */
export async function prepareImages(c: KindStart): Promise<void> {
  for (const image of new Set(c.plan.map((n) => n.image))) await ensureNodeImage(c, image);
  // Say so now, not after kubeadm has run for a minute.
  const helpers = [
    ...(c.o.startJumpbox ? [c.template.jumpbox.image ?? JUMPBOX_IMAGE] : []),
    ...(c.o.startToolboxes && c.template.targets.some((t) => t.kind === 'toolbox') ? [c.template.toolbox.image ?? TOOLBOX_IMAGE] : []),
  ];
  for (const image of helpers) {
    if (!(await c.runtime.inspectImage(image))) throw new ProvisionError('node image', `${image} is not on the Docker host; run "npm run images" to build it`);
  }
}

async function ensureNodeImage(c: KindStart, image: string): Promise<void> {
  if (await c.runtime.inspectImage(image)) return;
  if (!c.o.allowPull) {
    throw new ProvisionError(
      'node image',
      `node image ${image} is not on the Docker host and pulling is disabled; run "docker pull ${image}" where a registry is reachable, then "docker save"/"docker load" it here`,
    );
  }
  // Warn before a long download: a first pull of kindest/node is about 1 GB.
  c.req.onDetail?.(`Pulling ${image} — about 1 GB on first use; later labs start from the local copy.`);
  await pollUntil(
    async () => {
      try {
        await c.runtime.pullImage(image, (line) => c.req.onDetail?.(line));
        return done(undefined);
      } catch (e) {
        return notYet((e as Error).message, e);
      }
    },
    {
      what: `the pull of ${image}`,
      // kind retries a failed pull 4 more times, sleeping 1, 2, 3, 4 s.
      maxAttempts: 5,
      backoff: linearBackoff(1000),
      giveUp: (g) => new ProvisionError('node image', `could not pull ${image}: ${g.detail}`, undefined, g.cause),
    },
  );
}
