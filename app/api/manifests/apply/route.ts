// POST /api/manifests/apply { lab, manifest, forceConflicts? } — `kubectl apply --server-side --field-manager=packetwalk -f -`
// on the lab's jumpbox: { result: { command, exitCode, stdout, stderr, ok, objects } }. 422 { issues } for YAML that
// cannot be sent; 409 code "no-cluster" on labs without Kubernetes.
import { manifestRoute } from '../_lib/manifest-route.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return manifestRoute(request, (commands, labId, jumpbox, body) => commands.apply(labId, jumpbox, body.manifest, { forceConflicts: body.forceConflicts }));
}
