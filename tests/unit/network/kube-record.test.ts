// The kind recorder (lab-runner/network/kube-record.ts) against a scripted lab: it reads through the map's own
// channel (collector as root on each node, KUBE_VIEW_QUERY on the jumpbox as its user), waits for one settled moment,
// strips only what the kind views ignore, and writes a recording that reads back (kube-recording.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordKubeObjects, settledShape, stripIgnored } from '../../../lab-runner/network/kube-record.ts';
import { readKubeRecordings, recordingName } from '../../../lab-runner/network/kube-recording.ts';
import { kubeServices, splitKubeList } from '../../../lab-runner/network/kube-views.ts';
import { KUBE_VIEW_QUERY } from '../../../lab-runner/network/lab-read.ts';
import type { LabTarget } from '../../../lab-runner/lab/lab.ts';
import type { ExecOptions, ExecResult } from '../../../lab-runner/runtime/container-runtime.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw API JSON
const handWritten = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/network/kube/kind-default-list.json'), 'utf8')) as {
  items: Json[];
};
const sandboxesDir = path.join(import.meta.dirname, '../../../sandboxes');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const result = (stdout: string, exitCode = 0): ExecResult => ({ exitCode, stdout, stderr: '', durationMs: 3, truncated: false, timedOut: false }) as ExecResult;
const target = (name: string, kind: 'node' | 'jumpbox', ipv4: string): LabTarget => ({ name, kind, title: name, containerId: name, containerName: name, ipv4 });

describe('kind recorder', () => {
  it('strips managedFields and the last-applied annotation only; the kind views draw the same from both', () => {
    const list = structuredClone(handWritten);
    const web = list.items.find((i) => i.kind === 'Service' && i.metadata.name === 'web')!;
    web.metadata.managedFields = [{ manager: 'kubectl', operation: 'Update' }];
    web.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":1}', team: 'net' };
    const stripped = stripIgnored(list) as { items: Json[] };
    const sWeb = stripped.items.find((i) => i.kind === 'Service' && i.metadata.name === 'web')!;
    expect(sWeb.metadata).toEqual({ name: 'web', namespace: 'default', uid: web.metadata.uid, annotations: { team: 'net' } });
    expect(stripped.items.length).toBe(list.items.length);
    expect(kubeServices(splitKubeList(stripped))).toEqual(kubeServices(splitKubeList(list)));
  });

  it("a settled moment changes with a pod's readiness or a slice's endpoints, not with anything else", () => {
    const base = settledShape(handWritten);
    const other = structuredClone(handWritten);
    other.items.find((i) => i.kind === 'Service')!.metadata.resourceVersion = '99';
    expect(settledShape(other)).toBe(base);
    other.items.find((i) => i.kind === 'Pod')!.status.conditions = [{ type: 'Ready', status: 'True' }];
    expect(settledShape(other)).not.toBe(base);
    const slice = structuredClone(handWritten);
    slice.items.find((i) => i.kind === 'EndpointSlice')!.endpoints[1].conditions.ready = true;
    expect(settledShape(slice)).not.toBe(settledShape(handWritten));
  });

  it('reads through the map channel until two reads agree, and writes a recording that reads back', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-kube-rec-'));
    dirs.push(out);
    const targets = [
      target('jumpbox', 'jumpbox', '172.18.0.9'),
      target('control-plane', 'node', '172.18.0.2'),
      target('worker', 'node', '172.18.0.3'),
      target('node1', 'node', '172.18.0.3'), // a toolbox in worker's network: read once, as the map does
    ];
    const calls: { target: string; cmd: string[]; user?: string }[] = [];
    let kubeReads = 0;
    const listed = (ready: boolean) => {
      const l = structuredClone(handWritten);
      l.items.find((i) => i.kind === 'EndpointSlice')!.endpoints[1].conditions.ready = ready;
      l.items[0]!.metadata.managedFields = [{ manager: 'kubelet' }];
      return JSON.stringify(l);
    };
    const labs = {
      exec: async (_labId: string, name: string, o: ExecOptions): Promise<ExecResult> => {
        calls.push({ target: name, cmd: o.cmd, ...(o.user ? { user: o.user } : {}) });
        if (o.cmd[0] === 'kubectl' && o.cmd[1] === 'version')
          return result(JSON.stringify({ clientVersion: { gitVersion: 'v1.37.0' }, serverVersion: { gitVersion: 'v1.37.0' } }));
        // The second pod turns ready between the first read's two lists: that read is not one moment.
        if (o.cmd[0] === 'kubectl') return result(listed(++kubeReads >= 2));
        const token = /^T=(\S+)$/m.exec(o.stdin as string)![1]!;
        return result(`\n${token} ip\n[]\n${token} end\n`);
      },
    };
    const dir = await recordKubeObjects({
      labs,
      labId: 'lab-x',
      template: 'kind-default',
      targets,
      sandboxesDir,
      outDir: out,
      lesson: 'services/services-and-kube-proxy',
    });

    expect(path.basename(dir)).toBe('services__services-and-kube-proxy');
    expect(calls.filter((c) => c.cmd[0] === 'kubectl' && c.cmd[1] === 'get')).toEqual(
      Array.from({ length: 4 }, () => ({ target: 'jumpbox', cmd: [...KUBE_VIEW_QUERY] })),
    );
    expect(new Set(calls.filter((c) => c.cmd[0] === 'bash').map((c) => `${c.target} as ${c.user}`))).toEqual(
      new Set(['control-plane as root', 'worker as root']),
    );

    const [rec] = await readKubeRecordings(out);
    expect(rec!.manifest).toMatchObject({
      name: 'services__services-and-kube-proxy',
      lab: { template: 'kind-default', lesson: 'services/services-and-kube-proxy' },
      kubernetesVersion: 'v1.37.0',
      kubectlVersion: 'v1.37.0',
      reads: 2,
      counts: { nodes: 3, pods: 4, services: 3, endpointSlices: 2 },
      nodes: [
        { target: 'control-plane', file: 'nodes/control-plane.json' },
        { target: 'worker', file: 'nodes/worker.json' },
      ],
    });
    expect(rec!.manifest.nodeImage).toMatch(/^kindest\/node:v1\.\d+\.\d+@sha256:/);
    const list = rec!.kubeList as { items: Json[] };
    expect(list.items[0]!.metadata.managedFields).toBeUndefined();
    expect(list.items.find((i) => i.kind === 'EndpointSlice')!.endpoints[1].conditions.ready).toBe(true);
    expect(rec!.nodes[0]!.stdout).toContain(`${rec!.nodes[0]!.token} ip`);
  });

  it('reads again when a node read timed out: a recording is never a partial read', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-kube-rec-'));
    dirs.push(out);
    let nodeReads = 0;
    const labs = {
      exec: async (_labId: string, _name: string, o: ExecOptions): Promise<ExecResult> => {
        if (o.cmd[1] === 'version') return result(JSON.stringify({ clientVersion: { gitVersion: 'v1.37.0' }, serverVersion: { gitVersion: 'v1.37.0' } }));
        if (o.cmd[0] === 'kubectl') return result(JSON.stringify(handWritten));
        const token = /^T=(\S+)$/m.exec(o.stdin as string)![1]!;
        return { ...result(`\n${token} ip\n[]\n`), timedOut: ++nodeReads === 1 };
      },
    };
    const targets = [target('jumpbox', 'jumpbox', '172.18.0.9'), target('worker', 'node', '172.18.0.3')];
    await recordKubeObjects({ labs, labId: 'lab-z', template: 'kind-default', targets, sandboxesDir, outDir: out, name: 'slow' });
    const [rec] = await readKubeRecordings(out);
    expect([rec!.manifest.name, rec!.manifest.reads, nodeReads]).toEqual(['slow', 2, 2]);
  });

  it('refuses a lab without a jumpbox, and names folders safely', async () => {
    const labs = { exec: async () => result('') };
    await expect(
      recordKubeObjects({ labs, labId: 'lab-y', template: 'nodes-2', targets: [target('node1', 'node', '10.0.0.2')], sandboxesDir, outDir: os.tmpdir() }),
    ).rejects.toMatchObject({ code: 'unsupported' });
    expect(recordingName('dns-and-policy/network-policy')).toBe('dns-and-policy__network-policy');
    expect(recordingName('../Evil Name')).toBe('evil-name');
  });
});
