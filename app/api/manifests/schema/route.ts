// GET /api/manifests/schema?lab — the JSON Schema of the learner's own cluster for monaco-yaml
// ({ kubernetesVersion, kinds, schema, cacheKey }), built from its API server's OpenAPI v3 documents and cached
// under DATA_DIR/k8s-schema per Kubernetes version. ETag = cacheKey. 409 code "no-cluster" on labs without one.
import path from 'node:path';
import { z } from 'zod';
import { jumpboxOf, ManifestCommands } from '../../../../lab-runner/index.ts';
import type { ClusterSchemaView } from '../../../../lab-runner/wire/files.ts';
import { loadClusterSchema } from '../../../../lib/k8s-schema/index.ts';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { labIdField } from '../../_lib/id-fields.ts';
import { readQuery } from '../../_lib/read-request.ts';
import { liveLab } from '../../labs/_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

const schemaQuery = z.object({ lab: labIdField('lab') });

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const { lab: labId } = readQuery(request, schemaQuery);
    const lab = await liveLab(ctx, labId);
    const kubectl = new ManifestCommands(ctx.platform.labs).kubectl(labId, jumpboxOf(lab));
    const loaded = await loadClusterSchema(kubectl, { cacheDir: path.join(ctx.platform.config.DATA_DIR, 'k8s-schema') });
    const etag = `"${loaded.cacheKey.slice(0, 32)}"`;
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    const { kubernetesVersion, kinds, schema, cacheKey } = loaded;
    return json({ kubernetesVersion, kinds, schema, cacheKey } satisfies ClusterSchemaView, 200, { etag, 'cache-control': 'private, no-cache' });
  });
}
