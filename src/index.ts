export type { ValidationIssue } from './model/errors';
export * from './model/validation-errors';
export * from './model/cluster';
export { MtuNodePoolProps, MtuProps, UnderlayFamily } from './model/mtu';
export * from './helm/release';
export * from './constructs/component';
export * from './constructs/cilium';
export type { ImagesProps } from './constructs/images';
export {
  CILIUM_IMAGE, UPSTREAM_CILIUM_IMAGE, KUBE_OVN_IMAGE, UPSTREAM_KUBE_OVN_IMAGE, PATCHED_MULTUS_IMAGE, UPSTREAM_MULTUS_IMAGE,
} from './constructs/images';
export * from './constructs/kube-ovn';
export * from './constructs/cert-manager';
export * from './constructs/kubeovn-webhook';
export * from './constructs/gateway-api-crds';
export * from './constructs/host-firewall';
export * from './constructs/metallb';
export * from './constructs/multus';
export * from './constructs/cozy-proxy';
export * from './constructs/kilo';
export * from './constructs/index-objects';
export * from './variants/variant';
export * from './variants/layers';
export * from './variants/stack';
export * from './render/flux';
export * from './tenants';
export * from './verify';
export * from './platform/platform';
