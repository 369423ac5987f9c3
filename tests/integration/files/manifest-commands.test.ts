// Apply, Diff and the schema fetch through the real exec path on a real jumpbox container (the kind jumpbox image,
// as the unprivileged learner). kind cannot run on this machine, so `kubectl` here is a stand-in script installed in
// the jumpbox: it records its arguments and stdin and answers like kubectl does (apply output, diff exit codes 0/1,
// the OpenAPI documents from the stored fixture). What is under test is everything around kubectl: argv, stdin bytes,
// the user, exit-code handling, output limits, refusing broken YAML, and labs without a cluster.
// The same calls against a real API server run in the kind conformance suite.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidManifestError, jumpboxOf, ManifestCommands, NoClusterError } from '../../../lab-runner/files/index.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { forgetLoadedSchemas, loadClusterSchema } from '../../../lib/k8s-schema/index.ts';
import { startEditorLab, type EditorLab } from './editor-lab.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/openapi/kind-v1.37.0');

// Answers by subcommand; every call appends "<args>" and its stdin to /tmp/kubectl-calls for the test to read.
const KUBECTL_STANDIN = String.raw`#!/bin/sh
n=$(ls /tmp/kubectl-calls 2>/dev/null | grep -c '[.]args$')
mkdir -p /tmp/kubectl-calls
printf '%s\n' "$*" > /tmp/kubectl-calls/$n.args
cat > /tmp/kubectl-calls/$n.stdin
echo "$(id -un)" > /tmp/kubectl-calls/$n.user
case "$1" in
  apply)
    if grep -q 'kind: Conflicted' /tmp/kubectl-calls/$n.stdin; then
      echo 'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.replicas' >&2; exit 1
    fi
    echo "pod/web serverside-applied"; exit 0 ;;
  diff)
    if grep -q 'image: nginx:2' /tmp/kubectl-calls/$n.stdin; then
      printf -- '--- /tmp/LIVE/v1.Pod.default.web\n+++ /tmp/MERGED/v1.Pod.default.web\n@@ -1 +1 @@\n-    image: nginx\n+    image: nginx:2\n'; exit 1
    fi
    exit 0 ;;
  version) cat /opt/openapi/version.json ;;
  get)
    f=$(printf %s "$3" | sed -e 's#^/openapi/v3/##' -e 's#?.*##' -e 's#/#__#g')
    if [ "$3" = /openapi/v3 ]; then cat /opt/openapi/index.json; else cat "/opt/openapi/$f.json"; fi ;;
  *) echo "unsupported: $*" >&2; exit 2 ;;
esac
`;

let lab: EditorLab;
let commands: ManifestCommands;
const jumpbox = { name: 'jumpbox', kind: 'jumpbox' as const, title: 'jumpbox', containerId: '', containerName: '' };

beforeAll(async () => {
  lab = await startEditorLab();
  commands = new ManifestCommands(lab.labs);
  if (!lab.jumpbox) return;
  await lab.runtime.exec(lab.jumpbox.containerId, {
    cmd: ['sh', '-c', 'cat > /usr/local/bin/kubectl && chmod 755 /usr/local/bin/kubectl && mkdir -p /opt/openapi'],
    stdin: KUBECTL_STANDIN,
    user: 'root',
  });
  for (const f of ['version.json', 'index.json', 'api__v1.json', 'apis__networking.k8s.io__v1.json']) {
    await lab.runtime.exec(lab.jumpbox.containerId, { cmd: ['sh', '-c', `cat > /opt/openapi/${f}`], stdin: readFileSync(path.join(FIXTURE, f)), user: 'root' });
  }
});
afterAll(async () => {
  await lab?.close();
});

async function lastCall(): Promise<{ args: string; stdin: string; user: string }> {
  const n = Number((await lab.sh('jumpbox', 'ls /tmp/kubectl-calls | grep -c args')).trim()) - 1;
  return {
    args: (await lab.sh('jumpbox', `cat /tmp/kubectl-calls/${n}.args`)).trim(),
    stdin: await lab.sh('jumpbox', `cat /tmp/kubectl-calls/${n}.stdin`),
    user: (await lab.sh('jumpbox', `cat /tmp/kubectl-calls/${n}.user`)).trim(),
  };
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    note: "quotes, $HOME and \`backticks\` reach kubectl untouched"
spec:
  containers:
    - name: web
      image: nginx
`;

describe('on a lab with a cluster (jumpbox)', () => {
  test('Apply runs server-side apply as the learner with the manifest on stdin, byte for byte', async (ctx) => {
    if (!lab.jumpbox) return ctx.skip('packetwalk/jumpbox:latest is not built');
    const run = await commands.apply(lab.labId, jumpbox, POD);
    expect(run).toMatchObject({ ok: true, exitCode: 0, objects: ['Pod/web'], command: 'kubectl apply --server-side --field-manager=packetwalk -f -' });
    expect(run.stdout).toContain('pod/web serverside-applied');
    const call = await lastCall();
    expect(call.args).toBe('apply --server-side --field-manager=packetwalk -f -');
    expect(call.stdin).toBe(POD);
    expect(call.user).toBe('learner');
  });

  test("kubectl's own refusal comes back as output with ok=false; --force-conflicts is passed when asked", async (ctx) => {
    if (!lab.jumpbox) return ctx.skip('packetwalk/jumpbox:latest is not built');
    const conflicted = POD.replace('kind: Pod', 'kind: Conflicted');
    const run = await commands.apply(lab.labId, jumpbox, conflicted);
    expect(run.ok).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Apply failed with 1 conflict');
    await commands.apply(lab.labId, jumpbox, POD, { forceConflicts: true });
    expect((await lastCall()).args).toBe('apply --server-side --field-manager=packetwalk --force-conflicts -f -');
  });

  test('Diff reports no differences (exit 0) and differences (exit 1) as a successful comparison', async (ctx) => {
    if (!lab.jumpbox) return ctx.skip('packetwalk/jumpbox:latest is not built');
    expect(await commands.diff(lab.labId, jumpbox, POD)).toMatchObject({ ok: true, differs: false, exitCode: 0 });
    const changed = await commands.diff(lab.labId, jumpbox, POD.replace('image: nginx', 'image: nginx:2'));
    expect(changed).toMatchObject({ ok: true, differs: true, exitCode: 1 });
    expect(changed.stdout).toContain('+    image: nginx:2');
    expect((await lastCall()).args).toBe('diff --server-side --field-manager=packetwalk -f -');
  });

  test('broken YAML is refused with its line before anything reaches kubectl', async (ctx) => {
    if (!lab.jumpbox) return ctx.skip('packetwalk/jumpbox:latest is not built');
    const before = (await lab.sh('jumpbox', 'ls /tmp/kubectl-calls | wc -l')).trim();
    const err = await commands.apply(lab.labId, jumpbox, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  name: again\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidManifestError);
    expect((err as Error).message).toMatch(/^The manifest was not sent to the cluster; fix this first:\nline 5, column 3: Map keys must be unique/);
    expect((await lab.sh('jumpbox', 'ls /tmp/kubectl-calls | wc -l')).trim()).toBe(before);
  });

  test("the cluster's schema is fetched through the jumpbox's kubectl, one hashed document at a time", async (ctx) => {
    if (!lab.jumpbox) return ctx.skip('packetwalk/jumpbox:latest is not built');
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'pw-schema-'));
    try {
      forgetLoadedSchemas();
      const loaded = await loadClusterSchema(commands.kubectl(lab.labId, jumpbox), { cacheDir });
      expect(loaded.kubernetesVersion).toBe('v1.37.0');
      expect(loaded.fetched).toBe(2);
      expect(loaded.kinds.map((k) => `${k.apiVersion} ${k.kind}`)).toContain('networking.k8s.io/v1 NetworkPolicy');
      expect((await lastCall()).args).toMatch(/^get --raw \/openapi\/v3\/(api\/v1|apis\/networking\.k8s\.io\/v1)\?hash=/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('on a lab without a cluster', () => {
  test('the manifest tools say plainly that this lab has no cluster', () => {
    const nodesLab: ReadyLab = {
      id: lab.labId,
      learnerId: 'learner-editor-tests-0001',
      template: 'nodes-2',
      createdAt: new Date(),
      expiresAt: new Date(),
      lastActiveAt: new Date(),
      state: 'ready',
      networkId: 'n',
      targets: [lab.node1],
      readyAt: new Date(),
    };
    expect(() => jumpboxOf(nodesLab)).toThrow(NoClusterError);
    expect(() => jumpboxOf(nodesLab)).toThrow(/This lab \(nodes-2\) has no Kubernetes cluster: it is made of plain Linux nodes/);
  });
});
