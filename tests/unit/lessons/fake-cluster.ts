// A fake `kubectl` (plus inert curl/dig/nc) for running the kind lessons' jumpbox scripts without a cluster.
// It records every manifest a script feeds to `kubectl apply|create|replace -f -`, answers the handful of reads the
// scripts use to build manifests (node names, addresses, images, ClusterIPs, ConfigMap contents) with plausible
// values, and succeeds at everything else. The network tools are replaced so that no script can send a packet.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

const FAKE_KUBECTL = String.raw`#!/bin/bash
# Fake kubectl for script-level tests: records manifests, answers reads with canned values.
dir=$(dirname "$0")
printf '%s\n' "$*" >> "$dir/calls.log"
args=" $* "
if [[ "$args" == *" -f - "* ]] && [[ "$args" =~ \ (apply|create|replace)\  ]]; then
  cat >> "$dir/applied.yaml"
  printf '\n---\n' >> "$dir/applied.yaml"
  exit 0
fi
if [[ "$args" == *"--dry-run=client"* ]]; then
  kind=""; name=""
  set -- $*
  while [ $# -gt 0 ]; do
    case "$1" in
      create) kind=$2; name=$3; break ;;
    esac
    shift
  done
  case "$kind" in
    namespace) printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$name" ;;
    configmap) printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  k: v\n' "$name" ;;
  esac
  exit 0
fi
if [[ "$args" == *" config view "* ]]; then echo "https://kind-control-plane:6443"; exit 0; fi
if [[ "$args" == *" get nodes "* && "$args" == *" -o name "* ]]; then
  printf 'node/kind-control-plane\nnode/kind-worker\nnode/kind-worker2\n'; exit 0
fi
if [[ "$args" == *" -o name "* ]]; then echo "pod/fake-0"; exit 0; fi
if [[ "$args" == *" -o yaml "* ]]; then
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fake\n  namespace: kube-system\ndata:\n  kubeconfig.conf: "server: https://localhost:6443"\n'
  exit 0
fi
if [[ "$args" == *"jsonpath"* ]]; then
  case "$args" in
    *"{range .items[*]}{.metadata.name} {.status.addresses"*) printf 'kind-control-plane 192.0.2.2\nkind-worker 192.0.2.3\nkind-worker2 192.0.2.4\n' ;;
    *"{.status.podIP} {.spec.nodeName}"*) printf '10.244.1.5 kind-worker\n' ;;
    *InternalIP*|*addresses*) echo "192.0.2.3" ;;
    *clusterIP*) echo "10.96.0.42" ;;
    *nodePort*|*NodePort*) echo "30080" ;;
    *daemonset*image*) echo "registry.k8s.io/kube-proxy:v1.37.0" ;;
    *image*) echo "registry.k8s.io/kube-apiserver:v1.37.0" ;;
    *Corefile*) printf '.:53 {\n    errors\n    ready\n    kubernetes cluster.locla in-addr.arpa ip6.arpa {\n       pods insecure\n    }\n    forward . /etc/resolv.conf\n}\n' ;;
    *".data.key"*) printf 'ZG5zIG5vZGUgcG9saWN5IA==' ;;
    *".data.start"*) echo "1700000000" ;;
    *dnsPolicy*) echo "Default" ;;
    *) echo "fake" ;;
  esac
  exit 0
fi
exit 0
`;

const INERT = '#!/bin/sh\n# Inert network tool for script-level tests: no packet leaves.\nexit 7\n';

export interface FakeRun {
  status: number | null;
  output: string;
  calls: string[];
  /** Every YAML document the script applied, parsed; parse errors are reported in `errors`. */
  docs: Record<string, unknown>[];
  errors: string[];
}

/** Runs one jumpbox script against the fake cluster, with HOME in a scratch directory. */
export function runAgainstFakeCluster(script: string): FakeRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'pw-kind-fake-'));
  try {
    const bin = path.join(dir, 'bin');
    spawnSync('mkdir', ['-p', bin, path.join(dir, 'home')]);
    writeFileSync(path.join(bin, 'kubectl'), FAKE_KUBECTL);
    for (const tool of ['curl', 'dig', 'nc', 'ping']) writeFileSync(path.join(bin, tool), INERT);
    for (const f of ['kubectl', 'curl', 'dig', 'nc', 'ping']) chmodSync(path.join(bin, f), 0o755);
    const r = spawnSync('bash', ['-s'], {
      input: script,
      encoding: 'utf8',
      timeout: 30_000,
      // A clean environment: nothing from the test runner leaks into the script.
      env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, HOME: path.join(dir, 'home'), LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv,
    });
    const applied = existsSync(path.join(bin, 'applied.yaml')) ? readFileSync(path.join(bin, 'applied.yaml'), 'utf8') : '';
    const calls = existsSync(path.join(bin, 'calls.log')) ? readFileSync(path.join(bin, 'calls.log'), 'utf8').split('\n').filter(Boolean) : [];
    const docs: Record<string, unknown>[] = [];
    const errors: string[] = [];
    for (const doc of parseAllDocuments(applied)) {
      if (doc.errors.length > 0) errors.push(...doc.errors.map((e) => e.message));
      const value = doc.toJS() as unknown;
      if (value && typeof value === 'object') docs.push(value as Record<string, unknown>);
    }
    return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, calls, docs, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
