// The stages of creating a kind cluster, in order, as the progress UI shows them ("Starting control plane… 6/13").
export const PROVISION_STEPS = [
  { id: 'preflight', label: 'Checking the host' },
  { id: 'node image', label: 'Preparing the node image' },
  { id: 'network', label: 'Creating the cluster network' },
  { id: 'create nodes', label: 'Starting node containers' },
  { id: 'kubeadm config', label: 'Writing kubeadm configuration' },
  { id: 'kubeadm init', label: 'Starting control plane' },
  { id: 'install CNI', label: 'Installing the CNI' },
  { id: 'install storage', label: 'Installing storage' },
  { id: 'kubeadm join', label: 'Joining worker nodes' },
  { id: 'wait for ready', label: 'Waiting for nodes to be Ready' },
  { id: 'kubeconfig', label: 'Exporting the kubeconfig' },
  { id: 'load images', label: 'Loading workload images' },
  { id: 'start jumpbox', label: 'Starting the jumpbox' },
] as const;

export type ProvisionStepId = (typeof PROVISION_STEPS)[number]['id'];
