// Public API of the networking objects: MetalLB pools, client VLANs,
// Kube-OVN subnets, Multus attachments and cozy-proxy passthrough services.
// Re-exported from src/index.ts (`export * from './constructs/index-objects'`).
// Internal helpers (the address plan, validation functions) live in
// src/model/address-plan.ts and are deliberately not exported.
export * from './metallb-pool';
export * from './vlan';
export * from './kube-ovn-subnet';
export * from './multus-attachment';
export * from './passthrough';
