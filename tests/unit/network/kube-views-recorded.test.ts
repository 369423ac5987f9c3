// The kind views on Kubernetes API output recorded from real kind clusters (lab-runner/network/kube-record.ts):
// every recording under KUBE_RECORDED_DIR is replayed through the map's own pipeline (collector output -> node
// states -> lab graph -> kind views) and must satisfy kube-view-invariants.ts. kind cannot run on every machine, so
// the recordings are made where it can: the kind workflow (.github/workflows/kind.yml) records every kind lesson's
// solved lab (`lab verify kind --record-kube=DIR`) and runs this file on them. Without KUBE_RECORDED_DIR it skips.
import { describe, expect, it } from 'vitest';
import { readKubeRecordings, type KubeRecording } from '../../../lab-runner/network/kube-recording.ts';
import { splitKubeList, withKubeViews } from '../../../lab-runner/network/kube-views.ts';
import { buildLabMap } from '../../../lab-runner/network/lab-graph.ts';
import { parseNodeState } from '../../../lab-runner/network/node-state.ts';
import { kubeViewViolations } from './kube-view-invariants.ts';

const root = process.env.KUBE_RECORDED_DIR;
const SKIP_REASON = 'no recorded kind API output: set KUBE_RECORDED_DIR; recorded in the kind workflow on GitHub runners';
const recordings: KubeRecording[] = root ? await readKubeRecordings(root) : [];

/** What LabNetwork.map would have answered at the recorded moment. */
function replay(rec: KubeRecording) {
  const states = rec.nodes.map((n) => parseNodeState(n.target, n.stdout, n.token));
  const objs = splitKubeList(rec.kubeList);
  return { states, objs, map: withKubeViews(buildLabMap(states, { labId: rec.manifest.name, readAt: 0 }), objs) };
}

describe('kind views on recorded kind API output', () => {
  if (!root) {
    it('replays every recording', (ctx) => ctx.skip(SKIP_REASON));
    return;
  }

  it(`finds recordings in ${root}`, () => {
    // Set but empty is a recording that did not happen: fail, never pass on nothing.
    expect(recordings.length, `no recording (a folder with manifest.json) under ${root}`).toBeGreaterThan(0);
  });

  for (const rec of recordings) {
    const m = rec.manifest;
    describe(`${m.name} (${m.lab.template}, ${m.kubernetesVersion}, recorded ${m.recordedAt})`, () => {
      const { states, objs, map } = replay(rec);

      it('every section of every node parses, and the map has a node per node read', () => {
        expect(states.flatMap((s) => s.problems.map((p) => `${s.node}: ${p}`))).toEqual([]);
        expect(map.nodes.map((n) => n.name).sort()).toEqual(rec.nodes.map((n) => n.target).sort());
      });

      it('holds every kind-view invariant: nodes, pods under their nodes, Services to their EndpointSlices, no dangling edges', () => {
        expect(kubeViewViolations(objs, map, m.counts)).toEqual([]);
      });

      it('puts at least one pod on a namespace and draws at least one Service', () => {
        // A recording of a cluster whose pods the map cannot place would make the invariants vacuous.
        expect(map.namespaces.filter((ns) => ns.pod).length).toBeGreaterThan(0);
        expect(map.services.filter((s) => s.source === 'kubernetes').length).toBeGreaterThan(0);
      });
    });
  }
});
