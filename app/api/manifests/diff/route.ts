// POST /api/manifests/diff { lab, manifest } — `kubectl diff --server-side -f -` on the lab's jumpbox:
// { result: { …, ok, differs } } (differs: the cluster is not what the manifest says yet).
import { manifestRoute } from '../_lib/manifest-route.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return manifestRoute(request, (commands, labId, jumpbox, body) => commands.diff(labId, jumpbox, body.manifest));
}
