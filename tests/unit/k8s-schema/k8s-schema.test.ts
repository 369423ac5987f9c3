// The Kubernetes schema the manifest editor validates with, checked by the same yaml-language-server that runs
// in the browser's YAML worker, against a stored OpenAPI v3 fixture of a kind cluster (v1.37.0).
import { beforeAll, describe, expect, test } from 'vitest';
import { danglingRefs, openApiDocumentSchema, openApiToJsonSchema } from '../../../lib/k8s-schema/index.ts';
import type { KubernetesJsonSchema } from '../../../lib/k8s-schema/index.ts';
import { fixtureText } from './openapi-fixture.ts';
import { yamlLanguageService } from './yaml-language-service.ts';

type Service = Awaited<ReturnType<typeof yamlLanguageService>>;

let converted: KubernetesJsonSchema;
let ls: Service;

beforeAll(async () => {
  const documents = ['api__v1.json', 'apis__networking.k8s.io__v1.json'].map((f) => openApiDocumentSchema.parse(JSON.parse(fixtureText(f))));
  converted = openApiToJsonSchema(documents, 'v1.37.0');
  ls = await yamlLanguageService(converted.schema);
});

const messages = async (yaml: string) => (await ls.validate(yaml)).map((d) => d.message);
const linesOf = async (yaml: string) => (await ls.validate(yaml)).map((d) => d.range.start.line);

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n${spec}`;
const policy = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n${spec}`;

describe('conversion', () => {
  test('every object kind becomes a manifest kind; lists, Status and shared DeleteOptions do not', () => {
    expect(converted.kinds.map((k) => `${k.apiVersion} ${k.kind}`)).toEqual([
      'networking.k8s.io/v1 NetworkPolicy',
      'v1 ConfigMap',
      'v1 Namespace',
      'v1 Pod',
      'v1 Service',
    ]);
    expect(converted.kinds.find((k) => k.kind === 'Pod')).toMatchObject({ group: '', version: 'v1', typeName: 'io.k8s.api.core.v1.Pod' });
  });

  test('every $ref points at a definition, and the document keeps the API version', () => {
    expect(danglingRefs(converted.schema)).toEqual([]);
    expect(converted.kubernetesVersion).toBe('v1.37.0');
    expect(JSON.stringify(converted.schema)).not.toContain('#/components/schemas/');
  });

  test('OpenAPI-only keywords are translated or dropped', () => {
    const defs = converted.schema.definitions as Record<string, Record<string, unknown>>;
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).not.toHaveProperty('format');
    const text = JSON.stringify(converted.schema);
    expect(text).not.toContain('x-kubernetes-');
    expect(text).not.toContain('"format"');
  });
});

describe('validation as the learner types', () => {
  test('a correct Pod, Service, NetworkPolicy and a multi-document file pass', async () => {
    expect(
      await messages(pod('  containers:\n    - name: web\n      image: nginx\n      ports:\n        - containerPort: 80\n          protocol: TCP\n')),
    ).toEqual([]);
    expect(
      await messages(
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n    - port: 8080\n      targetPort: 8080\n',
      ),
    ).toEqual([]);
    expect(
      await messages(
        policy(
          '  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 10.244.0.0/16\n      ports:\n        - port: 80\n          endPort: 90\n',
        ),
      ),
    ).toEqual([]);
    expect(await messages('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n---\n' + pod('  containers:\n    - name: web\n'))).toEqual([]);
  });

  test('a misspelt field is flagged where it is, as the API server would reject it', async () => {
    const yaml = pod('  containers:\n    - name: web\n      imagePullPolicy: Always\n      imge: nginx\n');
    expect(await messages(yaml)).toEqual(['Property imge is not allowed.']);
    expect(await linesOf(yaml)).toEqual([10]);
  });

  test('a wrong type, a missing required field and a value outside an enum each say what is expected', async () => {
    expect(await messages(pod('  containers:\n    - name: web\n      ports:\n        - containerPort: eighty\n'))).toEqual([
      'Incorrect type. Expected "integer".',
    ]);
    expect(await messages(pod('  restartPolicy: Never\n'))).toEqual(['Missing property "containers".']);
    expect(await messages(pod('  containers: []\n  restartPolicy: Sometimes\n'))).toEqual([
      'Value is not accepted. Valid values: "Always", "Never", "OnFailure".',
    ]);
    expect(await messages(policy('  podSelector: {}\n  policyTypes:\n    - Ingres\n'))).toEqual(['Value is not accepted. Valid values: "Egress", "Ingress".']);
  });

  test('the document is checked against the kind it names, not a look-alike', async () => {
    // Service has "ports" and "selector" too; a Pod with them must still be reported as a Pod.
    expect(await messages(pod('  containers: []\n  selector:\n    app: web\n'))).toEqual(['Property selector is not allowed.']);
    expect(await messages(policy('  podSelector: {}\n  containers: []\n'))).toEqual(['Property containers is not allowed.']);
  });

  test('apiVersion must serve the kind, and an unknown kind lists the kinds this cluster has', async () => {
    expect(await messages('apiVersion: v1\nkind: NetworkPolicy\nmetadata:\n  name: x\nspec:\n  podSelector: {}\n')).toEqual([
      'Value is not accepted. Valid values: "networking.k8s.io/v1".',
    ]);
    expect(await messages('apiVersion: v1\nkind: Podd\nmetadata:\n  name: x\n')).toEqual([
      'Value is not accepted. Valid values: "ConfigMap", "Namespace", "NetworkPolicy", "Pod", "Service".',
    ]);
    expect(await messages('apiVersion: v1\nmetadata:\n  name: x\n')).toEqual(['Missing property "kind".']);
  });

  test('an error in the second document of a file is reported on its own line', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n' + pod('  containers: []\n  hostnetwork: true\n');
    expect(await messages(yaml)).toEqual(['Property hostnetwork is not allowed.']);
    expect(await linesOf(yaml)).toEqual([13]);
  });

  test('YAML syntax errors are reported with their position', async () => {
    const diagnostics = await ls.validate('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n');
    expect(diagnostics[0]?.message).toMatch(/Flow sequence/);
    expect(diagnostics[0]?.range.start.line).toBeGreaterThanOrEqual(3);
  });

  test('IntOrString and Quantity accept both of their forms', async () => {
    expect(await messages(policy('  podSelector: {}\n  egress:\n    - ports:\n        - port: dns\n        - port: 53\n'))).toEqual([]);
    expect(await messages(pod('  containers:\n    - name: web\n      resources:\n        limits:\n          cpu: 500m\n          memory: 1\n'))).toEqual([]);
    expect(await messages(policy('  podSelector: {}\n  egress:\n    - ports:\n        - port: [53]\n'))).not.toEqual([]);
  });
});

describe('completion and hover', () => {
  test('inside a Pod spec the Pod spec fields are offered', async () => {
    const labels = await ls.complete(pod('  \n'), 'spec:\n  ', 'spec:\n  '.length);
    expect(labels).toEqual(expect.arrayContaining(['containers', 'restartPolicy', 'hostNetwork', 'dnsPolicy']));
    expect(labels).not.toContain('podSelector');
  });

  test('inside a NetworkPolicy spec exactly the NetworkPolicy spec fields are offered', async () => {
    expect((await ls.complete(policy('  \n'), 'spec:\n  ', 'spec:\n  '.length)).sort()).toEqual(['egress', 'ingress', 'podSelector', 'policyTypes']);
  });

  test('kind and apiVersion values come from the cluster', async () => {
    expect((await ls.complete('apiVersion: v1\nkind: \n', 'kind: ', 'kind: '.length)).sort()).toEqual([
      'ConfigMap',
      'Namespace',
      'NetworkPolicy',
      'Pod',
      'Service',
    ]);
    expect((await ls.complete('apiVersion: \n', 'apiVersion: ', 'apiVersion: '.length)).sort()).toEqual(['networking.k8s.io/v1', 'v1']);
  });

  test('hovering a field shows the API documentation', async () => {
    const text = await ls.hover(pod('  containers: []\n  restartPolicy: Never\n'), 'restartPolicy');
    expect(text).toContain('Restart policy for all containers within the pod');
  });
});
