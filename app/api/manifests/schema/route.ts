// GET /api/manifests/schema?lab — the JSON Schema of the learner's own cluster for monaco-yaml
// ({ kubernetesVersion, kinds, schema, cacheKey }), built from its API server's OpenAPI v3 documents and cached
// under DATA_DIR/k8s-schema per Kubernetes version. ETag = cacheKey. 409 code "no-cluster" on labs without one.
import path from 'node:path';
import { z } from 'zod';
import { jumpboxOf, ManifestCommands } from '../../../../lab-runner/files/index.ts';
import { loadClusterSchema } from '../../../../lib/k8s-schema/index.ts';
import { editorRoute, json, labIdParam, liveLab, readQuery } from '../../files/_lib/editor-http.ts';

export const dynamic = 'force-dynamic';

const schemaQuery = z.object({ lab: labIdParam });

export async function GET(request: Request): Promise<Response> {
  return editorRoute(request, async (ctx) => {
    const { lab: labId } = readQuery(request, schemaQuery);
    const lab = await liveLab(ctx, labId);
    const kubectl = new ManifestCommands(ctx.platform.labs).kubectl(labId, jumpboxOf(lab));
    const loaded = await loadClusterSchema(kubectl, { cacheDir: path.join(ctx.platform.config.DATA_DIR, 'k8s-schema') });
    const etag = `"${loaded.cacheKey.slice(0, 32)}"`;
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    const { kubernetesVersion, kinds, schema, cacheKey } = loaded;
    return json({ kubernetesVersion, kinds, schema, cacheKey }, 200, { etag, 'cache-control': 'private, no-cache' });
  });
}
