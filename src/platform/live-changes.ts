import { CozynetValidationError, ValidationIssue } from '../model/errors';

const show = CozynetValidationError.show;

const CLUSTER_FIELDS: Array<[string, string]> = [
  ['podCidr', 'every pod keeps its address from the old pod CIDR until it is recreated, Kube-OVN and Cilium IPAM disagree, and routes and policies of the old range are gone: pods lose their network'],
  ['serviceCidr', 'the API server allocates ClusterIPs from its own --service-cluster-ip-range, which an apply does not change; existing Services keep old addresses and kube-proxy replacement and DNS break'],
  ['joinCidr', 'Kube-OVN cannot move the join subnet of running nodes: node-to-pod traffic breaks until every ovn0 interface is recreated'],
  ['clusterDomain', 'kubelets and CoreDNS keep the old domain (it is node configuration): names under the new domain do not resolve'],
];

/**
 * Changes between an earlier output (its index.json) and a new one that a
 * running cluster cannot take by a simple apply: the variant (the CNI), the
 * cluster CIDRs and domain, a component's namespace or release name. Each
 * names the field and what it breaks.
 * @internal
 */
export function disruptiveChanges(previous: any, next: any): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!previous || typeof previous !== 'object' || !next) return issues;
  if (typeof previous.variant === 'string' && previous.variant !== next.variant) {
    issues.push({
      path: 'variant',
      value: `${show(previous.variant)} → ${show(next.variant)}`,
      message: 'changes the CNI of a running cluster: an apply installs the new CNI beside the old one, nodes keep the old CNI configuration and pods their old addresses; migrate node by node or reinstall',
    });
  }
  const pc = previous.cluster;
  const nc = next.cluster;
  if (pc && typeof pc === 'object' && nc) {
    for (const [field, breaks] of CLUSTER_FIELDS) {
      if (typeof pc[field] === 'string' && pc[field] !== nc[field]) {
        issues.push({ path: `cluster.${field}`, value: `${show(pc[field])} → ${show(nc[field])}`, message: `changes on a running cluster: ${breaks}` });
      }
    }
  }
  const prevComponents: any[] = Array.isArray(previous.components) ? previous.components : [];
  const nextComponents: any[] = Array.isArray(next.components) ? next.components : [];
  const nextByName = new Map(nextComponents.map((c) => [c?.name, c]));
  for (const p of prevComponents) {
    if (!p || typeof p.name !== 'string') continue;
    const n = nextByName.get(p.name);
    if (!n) {
      // a variant change already explains components that come and go
      if (previous.variant !== next.variant) continue;
      issues.push({
        path: `components (release ${p.name})`,
        value: show(p.name),
        message: `is gone from the output (a changed releaseName, or a component removed): the release ${p.name} in ${p.namespace} keeps running (kubectl/Helm) or is uninstalled (Flux prune) while its replacement installs beside it, so two copies of its DaemonSets and webhooks compete`,
      });
    } else if (typeof p.namespace === 'string' && p.namespace !== n.namespace) {
      issues.push({
        path: `components (release ${p.name}).namespace`,
        value: `${show(p.namespace)} → ${show(n.namespace)}`,
        message: 'moves a running release to another namespace: Helm installs a second copy in the new namespace while the old one keeps running (two copies of its DaemonSets on every node)',
      });
    }
  }
  return issues;
}
