// kind passes the host's proxy settings into every node and extends NO_PROXY with everything that must never
// go through a proxy: the node network's subnets, the pod and service subnets, node names and in-cluster DNS.
const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'] as const;

export interface ProxyEnvInput {
  hostEnv: Record<string, string | undefined>;
  networkSubnets: string[];
  podSubnet: string;
  serviceSubnet: string;
  nodeNames: string[];
}

export function proxyEnvFor(input: ProxyEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PROXY_VARS) {
    const value = input.hostEnv[name] ?? input.hostEnv[name.toLowerCase()];
    if (value) {
      env[name] = value;
      env[name.toLowerCase()] = value;
    }
  }
  if (!env.HTTP_PROXY && !env.HTTPS_PROXY) return {};
  const noProxy = [
    ...input.networkSubnets,
    ...(env.NO_PROXY ? [env.NO_PROXY] : []),
    input.serviceSubnet,
    input.podSubnet,
    ...input.nodeNames,
    '.svc',
    '.svc.cluster',
    '.svc.cluster.local',
  ].join(',');
  env.NO_PROXY = noProxy;
  env.no_proxy = noProxy;
  return env;
}
