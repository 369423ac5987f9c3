// Every label key packetwalk puts on Docker objects, in one place. Labels are how the reaper finds what we own.
export const LABEL_PREFIX = 'io.packetwalk';

export const Labels = {
  /** Present (value "true") on everything packetwalk creates. */
  managed: `${LABEL_PREFIX}.managed`,
  labId: `${LABEL_PREFIX}.lab-id`,
  /** Learner the lab was provisioned for; "pool" for warm-pool labs (Docker labels are immutable, the store records the claim). */
  learnerId: `${LABEL_PREFIX}.learner-id`,
  template: `${LABEL_PREFIX}.template`,
  /** ISO-8601 hard expiry at provisioning time. */
  expiresAt: `${LABEL_PREFIX}.expires-at`,
  /** Lab-local name of a node ("node1"), on node containers. */
  node: `${LABEL_PREFIX}.node`,
  /** Role of a container inside a lab: node, jumpbox. */
  role: `${LABEL_PREFIX}.role`,
  /** Content hash of a built image, so an up-to-date image is not rebuilt. */
  contentHash: `${LABEL_PREFIX}.content-hash`,
  /** Process that created the object (hostname:pid), for diagnosing leaks. */
  createdBy: `${LABEL_PREFIX}.created-by`,
} as const;

export const POOL_LEARNER = 'pool';

export type LabLabelValues = {
  labId: string;
  learnerId: string;
  template: string;
  expiresAt: Date;
};

export function labLabels(v: LabLabelValues): Record<string, string> {
  return {
    [Labels.managed]: 'true',
    [Labels.labId]: v.labId,
    [Labels.learnerId]: v.learnerId,
    [Labels.template]: v.template,
    [Labels.expiresAt]: v.expiresAt.toISOString(),
    [Labels.createdBy]: `${process.env.HOSTNAME ?? 'host'}:${process.pid}`,
  };
}
