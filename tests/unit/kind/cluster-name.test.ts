import { describe, expect, it } from 'vitest';
import { clusterNameForLab, isValidClusterName } from '../../../lab-runner/kind/cluster-name.ts';
import { chooseNetwork, kindNetworkSpec } from '../../../lab-runner/kind/kind-network.ts';

describe('cluster names from lab ids', () => {
  it('keeps simple ids readable', () => {
    expect(clusterNameForLab('lab-7f3k2')).toBe('pw-lab-7f3k2');
  });
  it.each(['LAB_01JQ9Z', 'a'.repeat(80), '---', 'ümlaut.lab'])('makes a valid, distinct name from %s', (id) => {
    const name = clusterNameForLab(id);
    expect(isValidClusterName(name)).toBe(true);
    expect(name).not.toBe(clusterNameForLab(`${id}x`));
  });
  it('never maps two ids that differ only in case or punctuation to one name', () => {
    expect(clusterNameForLab('Lab_1')).not.toBe(clusterNameForLab('lab-1'));
  });
});

describe('cluster network', () => {
  it("per-cluster by default, kind's shared network on request (honouring KIND_EXPERIMENTAL_DOCKER_NETWORK)", () => {
    expect(chooseNetwork('per-cluster', 'pw-a', {})).toEqual({ mode: 'per-cluster', name: 'pw-a-net', removeOnTeardown: true });
    expect(chooseNetwork('shared', 'pw-a', {})).toEqual({ mode: 'shared', name: 'kind', removeOnTeardown: false });
    expect(chooseNetwork('shared', 'pw-a', { KIND_EXPERIMENTAL_DOCKER_NETWORK: 'classroom' }).name).toBe('classroom');
  });
  it("masquerades like kind's network; only per-cluster networks carry labels", () => {
    const spec = kindNetworkSpec({
      choice: chooseNetwork('per-cluster', 'pw-a', {}),
      clusterName: 'pw-a',
      labLabels: { 'io.packetwalk.lab-id': 'a' },
      internal: true,
    });
    expect(spec).toMatchObject({ name: 'pw-a-net', internal: true, driverOptions: { 'com.docker.network.bridge.enable_ip_masquerade': 'true' } });
    expect(spec.labels).toEqual({ 'io.packetwalk.lab-id': 'a', 'io.x-k8s.kind.cluster': 'pw-a' });
    expect(kindNetworkSpec({ choice: chooseNetwork('shared', 'pw-a', {}), clusterName: 'pw-a', labLabels: { x: 'y' }, internal: false }).labels).toEqual({});
  });
});
