// Storage for PersistentVolumeClaims: the node image's local-path-provisioner manifest when it ships one,
// otherwise kind's fallback — a default StorageClass "standard" backed by the in-tree host-path provisioner
// (the controller manager runs with enable-hostpath-provisioner=true, see kubeadm-config.ts).
export const STORAGE_MANIFEST_PATH = '/kind/manifests/default-storage.yaml';

export const FALLBACK_STORAGE_MANIFEST = `# fallback default storage, as kind installs it
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  namespace: kube-system
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
  labels:
    addonmanager.kubernetes.io/mode: EnsureExists
provisioner: kubernetes.io/host-path
`;

/** The manifest to apply, given what `cat` of the node's manifest returned (undefined when the file is absent). */
export function storageManifest(fromNode: string | undefined): string {
  return fromNode && fromNode.trim() ? fromNode : FALLBACK_STORAGE_MANIFEST;
}
