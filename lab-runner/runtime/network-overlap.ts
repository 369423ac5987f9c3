// Docker's words for a network whose subnet another network took first: two creates racing for the same subnet
// ("Pool overlaps with other one on this address space"), or a subnet an existing network already covers ("conflicts
// with network …: networks have overlapping IPv4", the bridge driver's check). Either way another subnet will do, so
// the nodes and kind provisioners retry on both.
export function isNetworkOverlap(message: string): boolean {
  return /Pool overlaps with other one on this address space|networks have overlapping/i.test(message);
}
