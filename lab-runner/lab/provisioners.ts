// One provisioner per sandbox runtime. To add one (kind): implement Provisioner<KindTemplate> and list it here.
import { NodesProvisioner } from '../nodes/nodes-provisioner.ts';
import type { SubnetAllocator } from '../nodes/subnet-allocator.ts';
import type { Provisioner, ProvisionerContext } from './provisioner.ts';

export interface ProvisionersInput extends ProvisionerContext {
  subnets?: SubnetAllocator;
}

export function createProvisioners(ctx: ProvisionersInput): Provisioner[] {
  return [new NodesProvisioner(ctx) as unknown as Provisioner];
}
