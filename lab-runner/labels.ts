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
  /** Version of the spec a long-lived helper container (the host agent) was created from. */
  specVersion: `${LABEL_PREFIX}.spec-version`,
  /** Content hash of a built image, so an up-to-date image is not rebuilt. */
  contentHash: `${LABEL_PREFIX}.content-hash`,
  /** Process that created the object (hostname:pid), for diagnosing leaks. */
  createdBy: `${LABEL_PREFIX}.created-by`,
  /**
   * Id of the lab store (database) that owns the object. A reaper reconciles only its own store's objects, so a
   * server, a CLI run and test runs with their own DATA_DIR can share one Docker engine without reaping each other;
   * another store's objects are removed only once their expires-at has passed.
   */
  storeId: `${LABEL_PREFIX}.store-id`,
} as const;

export const POOL_LEARNER = 'pool';

export type LabLabelValues = {
  labId: string;
  learnerId: string;
  template: string;
  expiresAt: Date;
  /** LabStore.storeId of the store holding the lab's record. */
  storeId?: string;
};

export function labLabels(v: LabLabelValues): Record<string, string> {
  return {
    [Labels.managed]: 'true',
    [Labels.labId]: v.labId,
    [Labels.learnerId]: v.learnerId,
    [Labels.template]: v.template,
    [Labels.expiresAt]: v.expiresAt.toISOString(),
    [Labels.createdBy]: `${process.env.HOSTNAME ?? 'host'}:${process.pid}`,
    ...(v.storeId ? { [Labels.storeId]: v.storeId } : {}),
  };
}
