// The steps of creating a kind cluster, in order, as the progress UI shows them ("Starting control plane… 6/13"):
// for each, its progress text, the time budget of its long wait where it has one, and the function that does it.
// Each step's function reads what the steps above it produced (steps/step-context.ts).
import { StepTable } from './step-table.ts';
import { exportKubeconfig, helpersLabel, preloadImages, startHelpers } from './steps/access-steps.ts';
import { initControlPlane, installCni, installStorage, joinWorkers, waitForReady } from './steps/cluster-steps.ts';
import { checkHost, prepareImages } from './steps/host-steps.ts';
import { createNetwork, createNodes, writeKubeadmConfigs } from './steps/node-steps.ts';
import type { KindStart } from './steps/step-context.ts';

export type ProvisionStepId =
  | 'preflight'
  | 'node image'
  | 'network'
  | 'create nodes'
  | 'kubeadm config'
  | 'kubeadm init'
  | 'install CNI'
  | 'install storage'
  | 'kubeadm join'
  | 'wait for ready'
  | 'kubeconfig'
  | 'load images'
  | 'start jumpbox';

const noCni = (c: KindStart) => c.cfg.networking.disableDefaultCNI;

export const KIND_PROVISION_STEPS = StepTable.begin<ProvisionStepId, KindStart>()
  .step({ id: 'preflight', label: 'Checking the host', run: checkHost })
  .step({ id: 'node image', label: 'Preparing the node image', run: prepareImages })
  .step({ id: 'network', label: 'Creating the cluster network', run: createNetwork })
  .step({ id: 'create nodes', label: 'Starting node containers', timeoutMs: (c) => c.o.systemdTimeoutMs, run: createNodes })
  .step({ id: 'kubeadm config', label: 'Writing kubeadm configuration', run: writeKubeadmConfigs })
  .step({ id: 'kubeadm init', label: 'Starting control plane', timeoutMs: (c) => c.o.kubeadmTimeoutMs, run: initControlPlane })
  .step({
    id: 'install CNI',
    label: 'Installing the CNI',
    labelFor: (c) => (noCni(c) ? 'Skipping the default CNI (disableDefaultCNI)' : undefined),
    timeoutMs: () => 120_000,
    run: installCni,
  })
  .step({ id: 'install storage', label: 'Installing storage', timeoutMs: () => 120_000, run: installStorage })
  .step({ id: 'kubeadm join', label: 'Joining worker nodes', timeoutMs: (c) => c.o.kubeadmTimeoutMs, run: joinWorkers })
  .step({
    id: 'wait for ready',
    label: 'Waiting for nodes to be Ready',
    labelFor: (c) => (noCni(c) ? 'Waiting for nodes to register (no CNI yet)' : undefined),
    // Past readyTimeoutMs the wait only warns; this is when it gives up.
    timeoutMs: (c) => Math.max(c.o.readyGiveUpMs, c.o.readyTimeoutMs),
    run: waitForReady,
  })
  .step({ id: 'kubeconfig', label: 'Exporting the kubeconfig', run: exportKubeconfig })
  .step({ id: 'load images', label: 'Loading workload images', run: preloadImages })
  .step({ id: 'start jumpbox', label: 'Starting the jumpbox', labelFor: helpersLabel, run: startHelpers });
