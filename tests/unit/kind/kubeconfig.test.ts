import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KubeconfigError, kubeconfigsFor, rewriteKubeconfig } from '../../../lab-runner/kind/kubeconfig.ts';
import { tokenKubeconfig } from '../../../lab-runner/kind/learner-credentials.ts';

const admin = readFileSync(path.join(import.meta.dirname, 'fixtures/admin.conf'), 'utf8');

describe('kubeconfig rewriting (kind export kubeconfig)', () => {
  it('renames cluster, user and context to kind-<cluster> and sets the server', () => {
    const out = parse(rewriteKubeconfig(admin, 'pw-lab1', 'https://127.0.0.1:41234'));
    expect(out['current-context']).toBe('kind-pw-lab1');
    expect(out.clusters).toEqual([
      { name: 'kind-pw-lab1', cluster: { 'certificate-authority-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==', server: 'https://127.0.0.1:41234' } },
    ]);
    expect(out.users).toEqual([{ name: 'kind-pw-lab1', user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' } }]);
    expect(out.contexts).toEqual([{ name: 'kind-pw-lab1', context: { cluster: 'kind-pw-lab1', user: 'kind-pw-lab1' } }]);
  });

  it('makes host and in-network variants', () => {
    const k = kubeconfigsFor(admin, 'pw-lab1', { address: '127.0.0.1', port: '41234' }, 'pw-lab1-control-plane');
    expect(parse(k.host).clusters[0].cluster.server).toBe('https://127.0.0.1:41234');
    expect(parse(k.internal).clusters[0].cluster.server).toBe('https://pw-lab1-control-plane:6443');
  });

  it('rejects files that are not a single-cluster admin kubeconfig', () => {
    expect(() => rewriteKubeconfig('apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n', 'x', 's')).toThrow(KubeconfigError);
    expect(() => rewriteKubeconfig('{{{', 'x', 's')).toThrow(/not valid YAML/);
  });

  it('builds the jumpbox kubeconfig from the CA and a token, with no client key', () => {
    const out = parse(tokenKubeconfig(admin, 'pw-lab1', 'https://pw-lab1-control-plane:6443', 'eyJhbGciOi.abc.def'));
    expect(out['current-context']).toBe('kind-pw-lab1');
    expect(out.clusters[0].cluster).toEqual({
      'certificate-authority-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
      server: 'https://pw-lab1-control-plane:6443',
    });
    expect(out.users[0].user).toEqual({ token: 'eyJhbGciOi.abc.def' });
  });
});
