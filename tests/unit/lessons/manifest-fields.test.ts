// Every Kubernetes object the course applies or shows, held to the API of a pinned release: the heredocs its scripts
// and pages feed to kubectl, the YAML blocks of its pages, and the manifests the lab-runner applies to every kind
// cluster. kubectl's strict field validation makes an unknown field fail `kubectl apply`, which the scripted kubectl
// of the other lesson tests cannot; here the judge is k8s.io/api's own object of each type with every field set.
// Objects of types k8s.io/api does not have (Gateway API, Traefik's CRDs) are listed, not checked.
import { readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { storageManifest } from '../../../lab-runner/kind/default-storage.ts';
import { LEARNER_RBAC_MANIFEST } from '../../../lab-runner/kind/learner-credentials.ts';
import { fieldProblems, jsonPatchProblems, mergePatchProblems } from '../_lib/api-fields.ts';
import { patchCall, type PatchCall } from '../_lib/kubectl-args.ts';
import { courseKubectlCalls, courseLessonDirs } from '../_lib/course-kubectl.ts';
import { K8S_API_TESTDATA, K8S_API_TESTDATA_MISSING, testdataFile, testdataRelease, upstreamObject } from '../_lib/k8s-api-testdata.ts';
import { lessonYamlBlocks } from '../_lib/lesson-commands.ts';
import { shfmtAvailable } from '../_lib/shell-calls.ts';

interface Manifest {
  where: string;
  text: string;
}

interface Patch {
  where: string;
  call: PatchCall;
}

/** The YAML kubectl reads from a heredoc, the YAML blocks of the pages, the lab-runner's own; and every `kubectl patch`. */
function courseObjects(): { manifests: Manifest[]; patches: Patch[] } {
  const manifests: Manifest[] = [];
  const patches: Patch[] = [];
  // kubectl-usage.test.ts reports shell that does not parse; here it only has no objects to offer.
  for (const call of courseKubectlCalls().calls) {
    if (call.kind === 'prose') continue;
    if (call.heredoc !== undefined) manifests.push({ where: call.where, text: call.heredoc });
    const patch = patchCall(call.args);
    if (patch) patches.push({ where: call.where, call: patch });
  }
  for (const dir of courseLessonDirs()) manifests.push(...lessonYamlBlocks(dir));
  manifests.push({ where: 'lab-runner/kind/learner-credentials.ts LEARNER_RBAC_MANIFEST', text: LEARNER_RBAC_MANIFEST });
  manifests.push({ where: 'lab-runner/kind/default-storage.ts storageManifest()', text: storageManifest(undefined) });
  return { manifests, patches };
}

type Obj = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };

interface Verdict {
  groups: Set<string>;
  /** "apps/v1 Deployment" for each object checked; "gateway.networking.k8s.io/v1 HTTPRoute" for each left out. */
  checked: string[];
  unchecked: string[];
  /** "Service json" for each patch checked. */
  patched: string[];
  problems: string[];
}

function judge(dir: string, { manifests, patches }: { manifests: Manifest[]; patches: Patch[] }): Verdict {
  const v: Verdict = {
    groups: new Set(readdirSync(dir).map((f) => f.split('.').slice(0, -3).join('.'))),
    checked: [],
    unchecked: [],
    patched: [],
    problems: [],
  };
  for (const m of manifests) {
    for (const doc of parseAllDocuments(m.text)) {
      if (doc.errors.length > 0) {
        v.problems.push(`${m.where}: not YAML kubectl can read: ${doc.errors[0]!.message.split('\n')[0]}`);
        continue;
      }
      const o = doc.toJS() as Obj | null;
      if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
      const name = `${o.kind}/${String(o.metadata?.name ?? '?')}`;
      const upstream = upstreamObject(dir, o.apiVersion, o.kind);
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : 'core';
      if (!upstream) {
        // A group k8s.io/api has, at a version or kind it does not: a typo, or an API the release removed.
        if (v.groups.has(group)) v.problems.push(`${m.where}: ${name}: k8s.io/api has no ${o.apiVersion} ${o.kind} (no ${testdataFile(o.apiVersion, o.kind)})`);
        else v.unchecked.push(`${o.apiVersion} ${o.kind}`);
        continue;
      }
      v.checked.push(`${o.apiVersion} ${o.kind}`);
      v.problems.push(...fieldProblems(o, upstream).map((p) => `${m.where}: ${name}: ${p}`));
    }
  }
  for (const { where, call } of patches) {
    const what = `kubectl patch ${call.resource} (${call.patchType})`;
    if (!call.type) {
      v.unchecked.push(`patch ${call.resource}`);
      continue;
    }
    if (!call.patch.ok) {
      v.problems.push(`${where}: ${what}: the patch is neither JSON nor YAML: ${call.patch.error}`);
      continue;
    }
    const upstream = upstreamObject(dir, call.type.apiVersion, call.type.kind)!;
    const problems = call.patchType === 'json' ? jsonPatchProblems(call.patch.value, upstream) : mergePatchProblems(call.patch.value, upstream);
    v.patched.push(`${call.type.kind} ${call.patchType}`);
    v.problems.push(...problems.map((p) => `${where}: ${what}: ${p}`));
  }
  return v;
}

const haveShfmt = shfmtAvailable();
const skipReason = !haveShfmt ? 'shfmt is not installed (apt-get install shfmt; .ci/run installs it)' : !K8S_API_TESTDATA ? K8S_API_TESTDATA_MISSING : '';
const dir = K8S_API_TESTDATA ?? '';
const verdict = skipReason ? undefined : judge(dir, courseObjects());

describe.skipIf(!!skipReason)(
  `the course's Kubernetes objects against k8s.io/api${skipReason ? ` (skipped: ${skipReason})` : ` (${testdataRelease(dir)})`}`,
  () => {
    const { groups, checked, unchecked, patched, problems } = verdict ?? { groups: new Set<string>(), checked: [], unchecked: [], patched: [], problems: [] };

    it('finds the objects: built-in types are checked, only CRDs are left out', () => {
      // Ten kind lessons apply Deployments, Services, Pods, DaemonSets, NetworkPolicies…: a handful would mean the reading broke.
      expect(checked.length).toBeGreaterThan(40);
      expect(new Set(checked)).toContain('apps/v1 Deployment');
      expect(new Set(checked)).toContain('networking.k8s.io/v1 NetworkPolicy');
      expect([...new Set(unchecked.filter((u) => !u.startsWith('patch ')).map((u) => u.split('/')[0]!))].every((g) => !groups.has(g))).toBe(true);
      // The kind lessons break and repair Services, Deployments, DaemonSets and NetworkPolicies by patch, both kinds.
      expect(patched.length).toBeGreaterThan(40);
      expect(new Set(patched)).toContain('Service json');
      expect(new Set(patched)).toContain('Deployment strategic');
    });

    it('sets and patches only fields the API has, each of its shape', () => {
      expect(problems, `${problems.length} problems in ${checked.length} objects and ${patched.length} patches:\n${problems.join('\n')}`).toEqual([]);
    });

    it('would fail on a misspelt field, a list where an object goes, or a boolean in quotes (the check can fail)', () => {
      const deployment = upstreamObject(dir, 'apps/v1', 'Deployment')!;
      const ok = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              containers: [{ name: 'web', image: 'x', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080 }], resources: { limits: { cpu: 1 } } }],
            },
          },
        },
      };
      expect(fieldProblems(ok, deployment)).toEqual([]);
      const typo = structuredClone(ok) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
      typo.spec.template.spec.containers[0]!.imagePullPolicyy = 'IfNotPresent';
      expect(fieldProblems(typo, deployment)).toEqual([expect.stringMatching(/^spec\.template\.spec\.containers\[0\]\.imagePullPolicyy: unknown field/)]);
      const shapes = structuredClone(ok) as unknown as { spec: Record<string, unknown> & { template: { spec: Record<string, unknown> } } };
      shapes.spec.selector = [{ app: 'web' }];
      shapes.spec.template.spec.hostNetwork = 'true';
      expect(fieldProblems(shapes, deployment)).toEqual([
        'spec.selector: a list, where the API has an object',
        'spec.template.spec.hostNetwork: "true", where the API has a boolean',
      ]);
    });

    it('would fail on a JSON patch path the type does not have, and on a strategic patch with a misspelt field', () => {
      const service = upstreamObject(dir, 'v1', 'Service')!;
      const ok = [
        { op: 'replace', path: '/spec/ports/0/targetPort', value: 8080 },
        { op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' },
        { op: 'add', path: '/spec/ports/-', value: { name: 'https', port: 443 } },
        { op: 'remove', path: '/spec/selector' },
      ];
      expect(jsonPatchProblems(ok, service)).toEqual([]);
      expect(
        jsonPatchProblems(
          [
            { op: 'replace', path: '/spec/ports/0/targetport', value: 8080 },
            { op: 'replace', path: '/spec/ports/first/port', value: 80 },
            { op: 'add', path: '/spec/ports/-', value: { name: 'https', prot: 443 } },
          ],
          service,
        ),
      ).toEqual([
        '[0].path /spec/ports/0/targetport: no field "targetport" under /spec/ports/0 (did you mean "targetPort"?)',
        '[1].path /spec/ports/first/port: /spec/ports is a list: "first" is not an index',
        '[2].value: /spec/ports/-.prot: unknown field (did you mean "port"?)',
      ]);
      expect(mergePatchProblems({ spec: { sessionAffinity: 'ClientIP', $retainKeys: ['type'] } }, service)).toEqual([]);
      expect(mergePatchProblems({ spec: { sessionAfinity: 'ClientIP' } }, service)).toEqual([expect.stringMatching(/^spec\.sessionAfinity: unknown field/)]);
      expect(patchCall(['-n', 'shop', 'patch', 'svc/web', '--type=json', '-p', '[]'])).toMatchObject({
        resource: 'svc',
        patchType: 'json',
        type: { kind: 'Service' },
      });
    });
  },
);
