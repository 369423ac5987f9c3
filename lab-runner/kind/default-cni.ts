// Prepares the node image's default CNI manifest (/kind/manifests/default-cni.yaml, kindnetd) the way kind does:
// two marker comments opt a manifest into processing. "would you kindly template this file" → substitute
// {{ .PodSubnet }}; "would you kindly patch this file" → give the DaemonSet's first container
// CONTROL_PLANE_ENDPOINT so kindnetd can reach the API server before kube-proxy programs the Service VIP.
import { parseAllDocuments } from 'yaml';

export const CNI_MANIFEST_PATH = '/kind/manifests/default-cni.yaml';
export const TEMPLATE_MARKER = 'would you kindly template this file';
export const PATCH_MARKER = 'would you kindly patch this file';

export class CniManifestError extends Error {
  override name = 'CniManifestError';
}

function template(manifest: string, podSubnet: string): string {
  const substituted = manifest.replace(/\{\{-?\s*\.PodSubnet\s*-?\}\}/g, podSubnet);
  const leftover = /\{\{[^}]*\}\}/.exec(substituted);
  if (leftover) {
    throw new CniManifestError(`${CNI_MANIFEST_PATH} uses template action ${leftover[0]}, but only {{ .PodSubnet }} is provided (as in kind)`);
  }
  return substituted;
}

function patch(manifest: string, controlPlaneEndpoint: string): string {
  const docs = parseAllDocuments(manifest);
  let patched = 0;
  for (const doc of docs) {
    if (doc.errors.length) throw new CniManifestError(`${CNI_MANIFEST_PATH} is not valid YAML: ${doc.errors[0]!.message}`);
    const kind = doc.get('kind');
    const apiVersion = doc.get('apiVersion');
    if (kind !== 'DaemonSet' || apiVersion !== 'apps/v1') continue;
    const path = ['spec', 'template', 'spec', 'containers', 0];
    if (!doc.hasIn(path)) throw new CniManifestError(`${CNI_MANIFEST_PATH}: DaemonSet has no containers to patch`);
    const envPath = [...path, 'env'];
    if (!doc.hasIn(envPath)) doc.setIn(envPath, doc.createNode([]));
    doc.addIn(envPath, doc.createNode({ name: 'CONTROL_PLANE_ENDPOINT', value: controlPlaneEndpoint }));
    patched++;
  }
  if (patched === 0) throw new CniManifestError(`${CNI_MANIFEST_PATH} asks to be patched but contains no apps/v1 DaemonSet`);
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('---\n');
}

export interface CniInput {
  podSubnet: string;
  /** "<control-plane>:6443", the in-network endpoint. */
  controlPlaneEndpoint: string;
}

export function prepareDefaultCni(manifest: string, input: CniInput): string {
  let out = manifest;
  if (out.includes(TEMPLATE_MARKER)) out = template(out, input.podSubnet);
  if (out.includes(PATCH_MARKER)) out = patch(out, input.controlPlaneEndpoint);
  return out;
}
