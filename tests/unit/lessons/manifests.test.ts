// Runs every jumpbox setup and solution script of the kind lessons against a fake kubectl and checks what they
// would apply: valid YAML, well-formed objects, and only images that the kind sandboxes preload, never pulled.
// This is where a mis-indented heredoc or a forgotten imagePullPolicy shows up without a cluster.
import { describe, expect, it } from 'vitest';
import { KIND_LESSONS, loadChallenge, scriptsOf } from './kind-lesson-files.ts';
import { runAgainstFakeCluster } from './fake-cluster.ts';
import type { Challenge } from '../../../course/challenge/challenge-schema.ts';

/** Images the lessons may start; each must be preloaded by the sandbox (see the report / sandboxes/kind-*). */
const PRELOADED = [
  /^registry\.k8s\.io\/e2e-test-images\/agnhost:2\.53$/,
  /^docker\.io\/library\/traefik:v3\.6$/,
  /^registry\.k8s\.io\/dns\/k8s-dns-node-cache:1\.26\.4$/,
  /^nicolaka\/netshoot:v0\.13$/,
  // kube-proxy comes with every kind node image, tagged like the control plane (derived at run time).
  /^registry\.k8s\.io\/kube-proxy:v\d+\.\d+\.\d+$/,
  /^__IMAGE__$/,
];

type Obj = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> };

function podSpecOf(o: Obj): Record<string, unknown> | undefined {
  if (o.kind === 'Pod') return o.spec;
  const template = (o.spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec;
  return ['Deployment', 'DaemonSet', 'StatefulSet'].includes(String(o.kind)) ? template : undefined;
}

function problemsIn(o: Obj): string[] {
  const where = `${String(o.kind)}/${String(o.metadata?.name)}`;
  const out: string[] = [];
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') out.push(`${where}: missing apiVersion or kind`);
  if (typeof o.metadata?.name !== 'string' || !o.metadata.name) out.push(`${where}: missing metadata.name`);
  const pod = podSpecOf(o);
  if (pod) {
    const containers = (pod.containers ?? []) as { image?: string; imagePullPolicy?: string; name?: string }[];
    if (containers.length === 0) out.push(`${where}: no containers`);
    for (const c of containers) {
      if (!PRELOADED.some((re) => re.test(String(c.image)))) out.push(`${where}: image ${c.image} is not one the sandboxes preload`);
      if (c.imagePullPolicy !== 'IfNotPresent') out.push(`${where}: container ${c.name} must set imagePullPolicy: IfNotPresent (labs are offline)`);
    }
  }
  if (['Deployment', 'DaemonSet', 'StatefulSet'].includes(String(o.kind))) {
    const sel = (o.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
    const labels = ((o.spec?.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels ?? {}) as Record<string, string>;
    for (const [k, v] of Object.entries(sel)) if (labels[k] !== v) out.push(`${where}: selector ${k}=${v} does not match the pod template's labels`);
  }
  if (o.kind === 'Service') {
    const ports = (o.spec?.ports ?? []) as { port?: unknown }[];
    if (ports.length === 0 || ports.some((p) => typeof p.port !== 'number')) out.push(`${where}: every Service port needs a numeric port`);
  }
  return out;
}

describe.each(KIND_LESSONS)('%s: jumpbox scripts against a fake cluster', (lesson) => {
  let challenge: Challenge = { setup: [], tasks: [] };
  try {
    challenge = loadChallenge(lesson);
  } catch {
    // challenge-scripts.test.ts reports the load error.
  }
  const scripts = scriptsOf(challenge).filter(
    (s) => (s.kind === 'setup' || s.kind === 'solution' || s.kind === 'wrong' || s.kind === 'right') && s.target === 'jumpbox',
  );

  it.each(scripts.map((s) => [s.where, s] as const))('%s runs and applies well-formed, offline-safe objects', (_where, s) => {
    const run = runAgainstFakeCluster(s.script);
    expect(run.status, run.output).toBe(0);
    expect(run.errors, 'YAML the script applies').toEqual([]);
    const problems = run.docs.flatMap((d) => problemsIn(d as Obj));
    expect(problems).toEqual([]);
  });
});

describe('the fake cluster itself', () => {
  it('captures what a script applies and reports a broken manifest', () => {
    const good = runAgainstFakeCluster(
      "kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: registry.k8s.io/e2e-test-images/agnhost:2.53, imagePullPolicy: IfNotPresent}\nEOF\n",
    );
    expect(good.status).toBe(0);
    expect(good.docs.map((d) => (d as Obj).metadata?.name)).toEqual(['p']);
    expect(good.docs.flatMap((d) => problemsIn(d as Obj))).toEqual([]);

    const bad = runAgainstFakeCluster(
      "kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:latest\n   imagePullPolicy: Always\nEOF\n",
    );
    expect(bad.errors.length + bad.docs.flatMap((d) => problemsIn(d as Obj)).length).toBeGreaterThan(0);
  });

  it('answers node lookups with kind-style names and never lets curl out', () => {
    const run = runAgainstFakeCluster('kubectl get nodes -o name; curl -s http://192.0.2.1/ || echo "curl blocked $?"');
    expect(run.output).toContain('node/kind-worker2');
    expect(run.output).toContain('curl blocked 7');
  });
});
