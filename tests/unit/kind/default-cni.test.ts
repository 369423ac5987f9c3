import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CniManifestError, prepareDefaultCni } from '../../../lab-runner/kind/default-cni.ts';
import { FALLBACK_STORAGE_MANIFEST, storageManifest } from '../../../lab-runner/kind/default-storage.ts';

const manifest = readFileSync(path.join(import.meta.dirname, 'fixtures/default-cni.yaml'), 'utf8');
const input = { podSubnet: '10.244.0.0/16', controlPlaneEndpoint: 'pw-lab1-control-plane:6443' };
// Parsed YAML is navigated freely in assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = Record<string, any>;
const objects = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Yaml)
    .filter(Boolean);

describe('default CNI manifest (kindnetd markers)', () => {
  it("templates {{ .PodSubnet }} and patches the DaemonSet's first container only", () => {
    const out = prepareDefaultCni(manifest, input);
    expect(out).not.toContain('{{');
    const ds = objects(out).find((o) => o.kind === 'DaemonSet')!;
    const [first, second] = ds.spec.template.spec.containers;
    expect(first.env).toEqual([
      { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'POD_SUBNET', value: '10.244.0.0/16' },
      { name: 'CONTROL_PLANE_ENDPOINT', value: 'pw-lab1-control-plane:6443' },
    ]);
    expect(second.env).toBeUndefined();
    // Other objects survive untouched.
    expect(objects(out).find((o) => o.kind === 'ClusterRole')!.metadata.name).toBe('kindnet');
  });

  it('leaves a manifest without markers exactly as it is', () => {
    const plain = manifest.replace(/# would you kindly.*\n/g, '').replace('{{ .PodSubnet }}', '10.1.0.0/16');
    expect(prepareDefaultCni(plain, input)).toBe(plain);
  });

  it('templates without patching when only the template marker is present', () => {
    const onlyTemplate = manifest.replace('# would you kindly patch this file\n', '');
    const out = prepareDefaultCni(onlyTemplate, { ...input, podSubnet: '10.250.0.0/16' });
    expect(out).toContain('value: 10.250.0.0/16');
    expect(out).not.toContain('CONTROL_PLANE_ENDPOINT');
  });

  it('adds an env list when the first container has none', () => {
    const noEnv = `# would you kindly patch this file
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: x}
spec:
  template:
    spec:
      containers:
        - name: a
          image: a
`;
    const ds = objects(prepareDefaultCni(noEnv, input))[0]!;
    expect(ds.spec.template.spec.containers[0].env).toEqual([{ name: 'CONTROL_PLANE_ENDPOINT', value: 'pw-lab1-control-plane:6443' }]);
  });

  it('refuses template actions it cannot fill and patch markers without a DaemonSet', () => {
    expect(() => prepareDefaultCni('# would you kindly template this file\nx: {{ .ServiceSubnet }}\n', input)).toThrow(CniManifestError);
    expect(() => prepareDefaultCni('# would you kindly template this file\nx: {{ .ServiceSubnet }}\n', input)).toThrow(
      /only \{\{ \.PodSubnet \}\} is provided/,
    );
    expect(() => prepareDefaultCni('# would you kindly patch this file\nkind: ConfigMap\napiVersion: v1\n', input)).toThrow(/no apps\/v1 DaemonSet/);
  });
});

describe('default storage', () => {
  it("uses the node image's manifest when present, kind's fallback otherwise", () => {
    expect(storageManifest('kind: StorageClass\nmetadata: {name: local-path}\n')).toContain('local-path');
    expect(storageManifest(undefined)).toBe(FALLBACK_STORAGE_MANIFEST);
    expect(storageManifest('  \n')).toBe(FALLBACK_STORAGE_MANIFEST);
    const sc = objects(FALLBACK_STORAGE_MANIFEST)[0]!;
    expect(sc).toMatchObject({
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'kubernetes.io/host-path',
    });
  });
});
