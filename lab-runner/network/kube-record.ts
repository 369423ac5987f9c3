// Records what the map's kind views read in a running kind lab, through the map's own reads (lab-read.ts): the
// Kubernetes objects from the jumpbox and each node's collector output. The kind-view tests replay it
// (tests/unit/network/kube-views-recorded.test.ts); the kind workflow records every kind lesson's solved lab.
//
// A recording must be one consistent moment: pods start, EndpointSlices follow readiness a moment later. So the
// objects are read before and after the node reads, and the whole read is repeated until both agree on every pod's
// IP, phase and readiness and every slice's endpoints.
import path from 'node:path';
import { z } from 'zod';
import { LabRunnerError } from '../errors.ts';
import type { LabTarget } from '../lab/lab.ts';
import { KIND_RELEASE } from '../../course/sandbox/kind/node-images.ts';
import { loadKindTemplate } from '../../course/sandbox/kind/kind-sandbox-schema.ts';
import { constantBackoff } from '../util/backoff.ts';
import { done, notYet, pollUntil } from '../util/poll-until.ts';
import { splitKubeList } from './kube-views.ts';
import { KUBE_RECORDING_FORMAT, recordingName, writeKubeRecording } from './kube-recording.ts';
import { KUBE_VIEW_QUERY, readKubeRaw, readNodeRaw, type LabExec } from './lab-read.ts';
import { nodeTargets } from './lab-network.ts';

/** Bulky metadata the kind views never read (they read name, namespace and labels). */
const STRIPPED = ['metadata.managedFields', 'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]'];
const SETTLE_TIMEOUT_MS = 60_000;

export interface RecordKubeInput {
  labs: LabExec;
  labId: string;
  /** The lab's template (a kind sandbox) and targets, as the lab manager has them. */
  template: string;
  targets: LabTarget[];
  sandboxesDir: string;
  /** Where the recording's folder is made. */
  outDir: string;
  /** The folder's name (default: the template's). */
  name?: string;
  lesson?: string;
}

const versionAnswer = z.looseObject({
  clientVersion: z.looseObject({ gitVersion: z.string() }),
  serverVersion: z.looseObject({ gitVersion: z.string() }),
});

/** Records one settled moment of the lab; returns the recording's folder. */
export async function recordKubeObjects(input: RecordKubeInput): Promise<string> {
  const { labs, labId, targets } = input;
  const jumpbox = targets.find((t) => t.kind === 'jumpbox');
  if (!jumpbox) throw new LabRunnerError('unsupported', `Lab ${labId} has no jumpbox: only kind labs have Kubernetes objects to record.`);
  const template = await loadKindTemplate(path.join(input.sandboxesDir, input.template, 'sandbox.yaml'));
  const nodes = nodeTargets(targets);

  const kubeList = async (): Promise<{ list: unknown; shape: string }> => {
    const raw = await readKubeRaw(labs, labId, jumpbox.name);
    if (raw === undefined) throw new LabRunnerError('unsupported', `kubectl on ${jumpbox.name} could not list ${KUBE_VIEW_QUERY[2]}.`);
    const list = JSON.parse(raw) as unknown;
    return { list, shape: settledShape(list) };
  };
  let reads = 0;
  const moment = await pollUntil(
    async () => {
      reads++;
      const before = await kubeList();
      const nodeReads = await Promise.all(nodes.map((t) => readNodeRaw(labs, labId, t.name, { routes: false })));
      const truncated = nodeReads.find((n) => n.truncated);
      if (truncated) throw new LabRunnerError('unsupported', `${truncated.target}'s network state is larger than the map reads.`);
      const slow = nodeReads.find((n) => n.timedOut);
      if (slow) return notYet(`reading ${slow.target}'s network state timed out`);
      const after = await kubeList();
      return before.shape === after.shape ? done({ list: after.list, nodeReads }) : notYet('pods or EndpointSlices changed during the read');
    },
    { what: `lab ${labId}'s pods and EndpointSlices to settle`, backoff: constantBackoff(2_000), timeoutMs: SETTLE_TIMEOUT_MS },
  );

  const v = await labs.exec(labId, jumpbox.name, { cmd: ['kubectl', 'version', '-o', 'json'], timeoutMs: 10_000 });
  const versions = versionAnswer.parse(JSON.parse(v.stdout));
  const kubeListStripped = stripIgnored(moment.list);
  const objs = splitKubeList(kubeListStripped);
  return writeKubeRecording(input.outDir, {
    manifest: {
      format: KUBE_RECORDING_FORMAT,
      name: recordingName(input.name ?? input.lesson ?? input.template),
      recordedAt: new Date().toISOString(),
      lab: { template: input.template, ...(input.lesson ? { lesson: input.lesson } : {}) },
      kindRelease: KIND_RELEASE,
      nodeImage: template.nodeImage,
      kubernetesVersion: versions.serverVersion.gitVersion,
      kubectlVersion: versions.clientVersion.gitVersion,
      query: [...KUBE_VIEW_QUERY],
      stripped: STRIPPED,
      reads,
      counts: {
        nodes: objs.nodes.items.length,
        pods: objs.pods.items.length,
        services: objs.services.items.length,
        endpointSlices: objs.slices.items.length,
      },
    },
    kubeList: kubeListStripped,
    nodes: moment.nodeReads.map((n) => ({ target: n.target, token: n.token, stdout: n.stdout })),
  });
}

const item = z.looseObject({
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), deletionTimestamp: z.string().optional() }),
  spec: z.looseObject({ nodeName: z.string().optional() }).optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      podIP: z.string().optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
    })
    .optional(),
  endpoints: z
    .array(z.looseObject({ addresses: z.array(z.string()), conditions: z.looseObject({ ready: z.boolean().optional() }).optional() }))
    .nullable()
    .optional(),
});
const list = z.looseObject({ items: z.array(item) });

/** What must not change between the two reads of one moment: pods' placement and readiness, slices' endpoints. */
export function settledShape(raw: unknown): string {
  const rows = list
    .parse(raw)
    .items.flatMap((i) => {
      const id = `${i.kind} ${i.metadata.namespace ?? ''}/${i.metadata.name}`;
      if (i.kind === 'Pod') {
        const ready = i.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '-';
        return [
          `${id} ${i.spec?.nodeName ?? '-'} ${i.status?.podIP ?? '-'} ${i.status?.phase ?? '-'} ready=${ready} ${i.metadata.deletionTimestamp ? 'deleting' : ''}`,
        ];
      }
      if (i.kind === 'EndpointSlice') return [`${id} ${(i.endpoints ?? []).map((e) => `${e.addresses.join(',')}:${e.conditions?.ready !== false}`).join(' ')}`];
      return [id];
    })
    .sort();
  return rows.join('\n');
}

/** The List without the bulky metadata the kind views ignore (STRIPPED); everything else as kubectl printed it. */
export function stripIgnored(raw: unknown): unknown {
  const parsed = z.looseObject({ items: z.array(z.looseObject({ metadata: z.looseObject({}).optional() })) }).parse(raw);
  return {
    ...parsed,
    items: parsed.items.map((i) => {
      if (!i.metadata) return i;
      const { managedFields: _managed, annotations, ...metadata } = i.metadata as Record<string, unknown> & { annotations?: Record<string, string> };
      const kept = annotations
        ? Object.fromEntries(Object.entries(annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'))
        : undefined;
      return { ...i, metadata: kept && Object.keys(kept).length ? { ...metadata, annotations: kept } : metadata };
    }),
  };
}
