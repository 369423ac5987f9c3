import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KindConfigError, kindConfigJsonSchema, parseKindConfig } from '../../../course/sandbox/kind/kind-config-schema.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const read = (rel: string) => readFileSync(path.join(fixtures, rel), 'utf8');
const sandboxes = path.join(import.meta.dirname, '../../../sandboxes');

describe('kind Cluster config validation', () => {
  it('applies kind v1alpha4 defaults to a minimal config', () => {
    const c = parseKindConfig(read('good/minimal.yaml'), 'minimal.yaml');
    expect(c.name).toBe('kind');
    expect(c.nodes).toEqual([{ role: 'control-plane' }]);
    expect(c.networking).toEqual({
      ipFamily: 'ipv4',
      apiServerAddress: '127.0.0.1',
      apiServerPort: 0,
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
      disableDefaultCNI: false,
      kubeProxyMode: 'iptables',
    });
    expect(c.kubeadmConfigPatches).toEqual([]);
  });

  it('keeps every supported field of a full config', () => {
    const c = parseKindConfig(read('good/full-subset.yaml'), 'full.yaml');
    expect(c.name).toBe('demo');
    expect(c.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(c.nodes[0]!.extraPortMappings).toEqual([{ containerPort: 80, hostPort: 0, listenAddress: '127.0.0.1', protocol: 'TCP' }]);
    expect(c.nodes[0]!.labels).toEqual({ 'ingress-ready': 'true' });
    expect(c.nodes[2]!.image).toMatch(/^kindest\/node:v1\.35\.8@sha256:/);
    expect(c.networking.podSubnet).toBe('10.250.0.0/16');
    expect(c.networking.kubeProxyMode).toBe('ipvs');
    expect(c.kubeadmConfigPatches).toHaveLength(1);
  });

  it.each(['kind-default', 'kind-no-cni', 'kind-nftables', 'kind-no-kube-proxy'])('accepts the %s preset', (name) => {
    const c = parseKindConfig(readFileSync(path.join(sandboxes, name, 'kind.yaml'), 'utf8'), `${name}/kind.yaml`);
    expect(c.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
  });

  it('gives each preset its distinguishing networking setting', () => {
    const net = (name: string) => parseKindConfig(readFileSync(path.join(sandboxes, name, 'kind.yaml'), 'utf8'), name).networking;
    expect(net('kind-default')).toMatchObject({ disableDefaultCNI: false, kubeProxyMode: 'iptables' });
    expect(net('kind-no-cni')).toMatchObject({ disableDefaultCNI: true, kubeProxyMode: 'iptables' });
    expect(net('kind-nftables')).toMatchObject({ kubeProxyMode: 'nftables' });
    expect(net('kind-no-kube-proxy')).toMatchObject({ kubeProxyMode: 'none' });
  });

  const bad: [string, RegExp][] = [
    ['extra-mounts.yaml', /nodes\[0\]\.extraMounts: extraMounts are not supported: a host path mounted into a privileged node/],
    ['typo.yaml', /networking: unknown field "podSubnett"/],
    ['two-control-planes.yaml', /exactly one control-plane node/],
    ['bad-cidr.yaml', /networking\.podSubnet: must be an IPv4 CIDR with octets 0-255/],
    ['feature-gates.yaml', /featureGates: featureGates are not supported yet/],
    ['fixed-api-port.yaml', /networking\.apiServerPort: apiServerPort must be 0/],
    ['wrong-api-version.yaml', /apiVersion: apiVersion must be "kind\.x-k8s\.io\/v1alpha4"/],
    ['unpinned-image.yaml', /nodes\[0\]\.image: a node image must be pinned by digest/],
    ['patch-unknown-kind.yaml', /kubeadmConfigPatches\[0\]: patches kind "KubeletConfigurationn"/],
    ['ipv6.yaml', /networking\.ipFamily: only ipFamily "ipv4" is supported/],
  ];
  it.each(bad)('rejects %s with a message naming the file, the field and the reason', (file, message) => {
    const run = () => parseKindConfig(read(`bad/${file}`), `bad/${file}`);
    expect(run).toThrow(KindConfigError);
    expect(run).toThrow(message);
    expect(run).toThrow(`bad/${file}`);
  });

  it('covers every bad fixture on disk', () => {
    expect(readdirSync(path.join(fixtures, 'bad')).sort()).toEqual(bad.map(([f]) => f).sort());
  });

  it('rejects YAML that does not parse', () => {
    expect(() => parseKindConfig('kind: [unclosed', 'broken.yaml')).toThrow(/broken\.yaml: not valid YAML/);
  });

  it('publishes a JSON Schema for editors', () => {
    const schema = kindConfigJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['kind', 'apiVersion', 'nodes', 'networking', 'kubeadmConfigPatches']));
    expect(schema.additionalProperties).toBe(false);
  });
});
