// One provisioner per sandbox runtime ("nodes", "kind"). To add a runtime: implement Provisioner and list it here.
import { KindLabProvisioner } from '../kind/kind-lab-provisioner.ts';
import { NodesProvisioner } from '../nodes/nodes-provisioner.ts';
import type { SubnetAllocator } from '../nodes/subnet-allocator.ts';
import type { Provisioner, ProvisionerContext } from './provisioner.ts';

export interface ProvisionersInput extends ProvisionerContext {
  subnets?: SubnetAllocator;
}

export function createProvisioners(ctx: ProvisionersInput): Provisioner[] {
  return [new NodesProvisioner(ctx), new KindLabProvisioner(ctx)] as unknown as Provisioner[];
}
