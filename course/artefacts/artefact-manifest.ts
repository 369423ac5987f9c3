// Third-party files the lessons need but the repository must not contain (CRDs, CNI manifests): each pinned to one
// upstream release asset. They are fetched on first use into DATA_DIR/artefacts, like images are pulled, and
// `npm run images -- --pull` fetches all of them ahead of an offline classroom.
//
// sha256: the digest the upstream project publishes for the asset. When upstream publishes none (Gateway API's
// release assets have no checksum file), the entry says `trust: 'first-use'`: the digest of the first download is
// recorded next to the file (DATA_DIR/artefacts/<file>.sha256) and every later download or cache hit must match it.
// That protects against a changed or truncated file after the first fetch, not against a compromised first fetch;
// replace it with a published digest when one exists.
import { z } from 'zod';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hex digits' });

/** What every artefact names: where it comes from and what it is called in the cache and the lab. */
const artefactFields = {
  name: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/),
  version: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  /** File name in the cache and in the lab (under /opt/packetwalk/artefacts/). */
  fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  /** Downloads larger than this are cut off and refused. */
  maxBytes: z.number().int().positive(),
};

export const artefactSchema = z.discriminatedUnion('trust', [
  z.strictObject({ ...artefactFields, trust: z.literal('pinned'), sha256: sha256Hex }),
  z.strictObject({ ...artefactFields, trust: z.literal('first-use') }),
]);

export type Artefact = z.output<typeof artefactSchema>;

export const ARTEFACTS: readonly Artefact[] = z.array(artefactSchema).parse([
  {
    // The standard-channel CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant) as one release asset.
    name: 'gateway-api-standard',
    version: 'v1.4.0',
    url: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.0/standard-install.yaml',
    fileName: 'gateway-api-v1.4.0-standard-install.yaml',
    maxBytes: 8 * 1024 * 1024,
    trust: 'first-use',
  },
]);

export function artefactNames(list: readonly Artefact[] = ARTEFACTS): string[] {
  return list.map((a) => a.name);
}

/** The directory, inside a lab target, where a setup step finds the artefacts it declared. */
export const LAB_ARTEFACTS_DIR = '/opt/packetwalk/artefacts';
