// kind's own label keys. The kind CLI finds clusters and nodes by these, so every node container carries them
// exactly as kind writes them; packetwalk's io.packetwalk.* labels go on top (lab-runner/labels.ts).
export const KindLabels = {
  /** Value: the cluster name. `kind get clusters` lists the distinct values. */
  cluster: 'io.x-k8s.kind.cluster',
  /** Value: control-plane | worker | external-load-balancer. */
  role: 'io.x-k8s.kind.role',
} as const;

export type KindNodeRole = 'control-plane' | 'worker';
