/**
 * The objects of tenant isolation as plain JSON (what is written to YAML).
 *
 * Per tenant T with namespace N, three objects, whatever the size of the tree:
 *
 *  1. `Namespace` N labelled `tenant.cozystack.io/<A>: ""` for N and every
 *     ancestor namespace A: "is in the subtree of A" becomes a namespace label.
 *  2. `CiliumNetworkPolicy` `cozynet-tenant` in N (subjects: pods of N):
 *     - egress to every pod whose namespace carries N's label (N and its
 *       descendants): the sender's half of "within a tenant" and
 *       "ancestor -> descendant";
 *     - ingress into the pods of N's shared service kinds from the same
 *       namespaces: the receiver's half of "a descendant uses a service its
 *       ancestor shares";
 *     - egress to the kube-apiserver entity for pods opting in by label (if
 *       the tenant allows it), to the world entity (if allowed), ingress from
 *       the world entity (if allowed).
 *  3. `CiliumClusterwideNetworkPolicy` `cozynet-subtree-<N>` (subjects: pods
 *     of every namespace carrying N's label, i.e. N's subtree):
 *     - ingress from the pods of N: the receiver's half of "within a tenant"
 *       and "ancestor -> descendant";
 *     - egress to N's shared-service pods: the sender's half of "a descendant
 *       uses a service its ancestor shares".
 *
 * Each pair (sender policy, receiver policy) names one tenant only, so no
 * policy ever enumerates other tenants; the hierarchy lives in the namespace
 * labels. A connection needs both halves, hence no sibling, cousin or
 * descendant -> ancestor traffic is allowed, and a policy a tenant writes in
 * its own namespace opens only its own half. The per-namespace policy also
 * admits the kube-apiserver (webhooks, aggregated APIs; `allowFromApiServer`),
 * the world (`allowWorldIngress`) and other nodes (`allowFromRemoteNode`).
 * Plus one constant `CiliumClusterwideNetworkPolicy` `cozynet-tenant-baseline`
 * for all tenant pods: default deny in both directions, DNS, the listed
 * platform services, kube-system and system namespaces -> tenants, the local
 * node (kubelet probes) and Cilium's Envoy (Gateway API / Ingress backends)
 * -> tenants, world and other nodes -> world-facing services. Plus one
 * `CiliumClusterwideNetworkPolicy` `cozynet-expose-<ns>-<name>` per exposure
 * (both halves: ingress on the serving pods, egress on each tenant peer).
 */
import { KUBE_SYSTEM, ResolvedExposure, ResolvedPeer, ResolvedPort, ResolvedTenant, ResolvedTenantIsolation, ROOT_TENANT, tenantLabel, namespaceOf } from './tree';
import { POD_SECURITY_ENFORCE_LABEL, TENANT_POD_SECURITY_LEVEL } from '../constructs/pod-security';

/** Cilium's label prefixes for namespace labels and the pod's namespace (facts §9). */
export const CILIUM_NS_LABEL_PREFIX = 'k8s:io.cilium.k8s.namespace.labels.';
export const CILIUM_POD_NAMESPACE = 'k8s:io.kubernetes.pod.namespace';

export const CILIUM_API_VERSION = 'cilium.io/v2';
export const BASELINE_POLICY_NAME = 'cozynet-tenant-baseline';
export const TENANT_POLICY_NAME = 'cozynet-tenant';
export const SUBTREE_POLICY_PREFIX = 'cozynet-subtree-';
export const EXPOSURE_POLICY_PREFIX = 'cozynet-expose-';

/**
 * Recursively sorts object keys (dropping undefined values); arrays keep
 * their order. Returns the input itself where it is already in that form,
 * so that objects written in key order cost no copy.
 */
export function sortKeysDeep(value: any): any {
  if (Array.isArray(value)) {
    let out: any[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const s = sortKeysDeep(value[i]);
      if (s !== value[i]) {
        out ??= value.slice(0, i);
      }
      if (out) out.push(s);
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    let inOrder = true;
    for (let i = 0; i < keys.length; i++) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a fast path only; the slow path below gives the same object for sorted keys (keys are unique)
      if ((i > 0 && keys[i - 1] > keys[i]) || value[keys[i]] === undefined) {
        inOrder = false;
        break;
      }
    }
    if (inOrder) {
      let out: Record<string, any> | undefined;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const s = sortKeysDeep(value[k]);
        if (s !== value[k] && !out) {
          out = {};
          // Stryker disable next-line EqualityOperator: copying key i too is harmless, it is set to its sorted value right after
          for (let j = 0; j < i; j++) out[keys[j]] = value[keys[j]];
        }
        if (out) out[k] = s;
      }
      return out ?? value;
    }
    const out: Record<string, any> = {};
    for (const k of keys.sort()) {
      if (value[k] !== undefined) out[k] = sortKeysDeep(value[k]);
    }
    return out;
  }
  return value;
}

/** A Kubernetes object with `apiVersion`, `kind`, `metadata` first and every other key sorted (as cdk8s writes it). */
function k8sObject(apiVersion: string, kind: string, metadata: Record<string, any>, body: Record<string, any>): any {
  return { apiVersion, kind, metadata: sortKeysDeep(metadata), ...sortKeysDeep(body) };
}

function nsLabelSelector(namespace: string): any {
  return { matchLabels: { [CILIUM_NS_LABEL_PREFIX + tenantLabel(namespace)]: '' } };
}

function k8sKey(key: string): string {
  return 'k8s:' + key;
}

function serviceSelector(serviceLabel: string, kinds: string[], extra?: Record<string, string>): any {
  const sel: any = { matchExpressions: [{ key: k8sKey(serviceLabel), operator: 'In', values: [...kinds] }] };
  if (extra) sel.matchLabels = extra;
  return sel;
}

function tenantNamespaceObject(t: ResolvedTenant): any {
  const labels: Record<string, string> = {};
  for (let a: ResolvedTenant | undefined = t; a; a = a.parent) labels[tenantLabel(a.namespace)] = '';
  // Pod Security of tenant namespaces (see TENANT_POD_SECURITY_LEVEL): baseline admits KubeVirt VMs.
  labels[POD_SECURITY_ENFORCE_LABEL] = TENANT_POD_SECURITY_LEVEL;
  return k8sObject('v1', 'Namespace', { name: t.namespace, labels }, {});
}

function tenantPolicy(cfg: ResolvedTenantIsolation, t: ResolvedTenant): any {
  const ns = t.namespace;
  const specs: any[] = [];
  const egress: any[] = [{ toEndpoints: [nsLabelSelector(ns)] }];
  if (t.allowWorldEgress) egress.push({ toEntities: ['world'] });
  specs.push({
    description: `${ns}: its pods may connect to every pod of ${ns} and of its sub-tenants` +
      (t.allowWorldEgress ? ', and to the world' : '') + ' (egress half; see also ' + BASELINE_POLICY_NAME + ' and the ' +
      SUBTREE_POLICY_PREFIX + '* policies of its ancestors)',
    endpointSelector: {},
    egress,
  });
  if (t.sharedServices.length > 0) {
    specs.push({
      description: `${ns}: its shared services (${cfg.serviceLabel} in ${t.sharedServices.join(', ')}) ` +
        `accept connections from every pod of ${ns} and of its sub-tenants (ingress half)`,
      endpointSelector: serviceSelector(cfg.serviceLabel, t.sharedServices),
      ingress: [{ fromEndpoints: [nsLabelSelector(ns)] }],
    });
  }
  if (t.allowApiServer) {
    specs.push({
      description: `${ns}: pods labelled ${cfg.apiServerAccessLabel}="true" may connect to the kube-apiserver`,
      endpointSelector: { matchLabels: { [k8sKey(cfg.apiServerAccessLabel)]: 'true' } },
      egress: [{ toEntities: ['kube-apiserver'] }],
    });
  }
  const fromEntities: string[] = [];
  const why: string[] = [];
  if (t.allowWorldIngress) {
    fromEntities.push('world');
    why.push('the world');
  }
  if (t.allowFromApiServer) {
    fromEntities.push('kube-apiserver');
    why.push('the kube-apiserver (webhooks, aggregated APIs)');
  }
  if (t.allowFromRemoteNode) {
    fromEntities.push('remote-node');
    why.push('other nodes (source-NATed load-balancer traffic)');
  }
  if (fromEntities.length > 0) {
    specs.push({
      description: `${ns}: every pod accepts connections from ${why.join(', ')}`,
      endpointSelector: {},
      ingress: [{ fromEntities }],
    });
  }
  return k8sObject(CILIUM_API_VERSION, 'CiliumNetworkPolicy', { name: TENANT_POLICY_NAME, namespace: ns }, { specs });
}

function subtreePolicy(cfg: ResolvedTenantIsolation, t: ResolvedTenant): any {
  const ns = t.namespace;
  const spec: any = {
    description: `${ns} and its sub-tenants accept connections from the pods of ${ns} (ingress half of ` +
      'within-tenant and ancestor-to-descendant traffic)' +
      (t.sharedServices.length > 0 ? `, and may connect to the shared services of ${ns} (egress half)` : ''),
    endpointSelector: nsLabelSelector(ns),
    ingress: [{ fromEndpoints: [{ matchLabels: { [CILIUM_POD_NAMESPACE]: ns } }] }],
  };
  if (t.sharedServices.length > 0) {
    spec.egress = [{ toEndpoints: [serviceSelector(cfg.serviceLabel, t.sharedServices, { [CILIUM_POD_NAMESPACE]: ns })] }];
  }
  return k8sObject(CILIUM_API_VERSION, 'CiliumClusterwideNetworkPolicy', { name: SUBTREE_POLICY_PREFIX + ns }, { spec });
}

function baselinePolicy(cfg: ResolvedTenantIsolation): any {
  const allTenants = nsLabelSelector(namespaceOf([ROOT_TENANT]));
  const dnsLabels: Record<string, string> = { [CILIUM_POD_NAMESPACE]: cfg.dnsNamespace };
  for (const [k, v] of Object.entries(cfg.dnsPodLabels)) dnsLabels[k8sKey(k)] = v;
  const ingress: any[] = [{
    fromEndpoints: [
      { matchLabels: { [CILIUM_POD_NAMESPACE]: KUBE_SYSTEM } },
      { matchLabels: { [CILIUM_NS_LABEL_PREFIX + cfg.systemNamespaceLabel]: 'true' } },
    ],
  }];
  const entities: string[] = [];
  const entityWhy: string[] = [];
  if (cfg.allowFromHost) {
    entities.push('host');
    entityWhy.push('from the local node (kubelet probes)');
  }
  if (cfg.allowFromIngress) {
    entities.push('ingress');
    entityWhy.push("from Cilium's Envoy (Gateway API and Ingress backends)");
  }
  if (entities.length > 0) ingress.push({ fromEntities: entities });
  const egress: any[] = [{
    toEndpoints: [{ matchLabels: dnsLabels }],
    toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
  }];
  for (const svc of cfg.platformServices) {
    // Stryker disable next-line ConditionalExpression: a label with an undefined value is dropped by sortKeysDeep when the policy is emitted
    const sel: Record<string, string> = svc.namespace !== undefined ? { [CILIUM_POD_NAMESPACE]: svc.namespace } : {};
    for (const [k, v] of Object.entries(svc.namespaceSelector ?? {})) sel[CILIUM_NS_LABEL_PREFIX + k] = v;
    for (const [k, v] of Object.entries(svc.selector)) sel[k8sKey(k)] = v;
    egress.push({ toEndpoints: [{ matchLabels: sel }], ...portsOf(svc.ports) });
  }
  const services = cfg.platformServices.length > 0 ? `; may reach the platform services ${cfg.platformServices.map((x) => x.name).join(', ')}` : '';
  const specs: any[] = [{
    description: 'Every tenant pod: default deny in both directions; may reach cluster DNS on port 53' + services + '; ' +
      `accepts connections from ${KUBE_SYSTEM} and from namespaces labelled ${cfg.systemNamespaceLabel}="true"` +
      entityWhy.map((w) => ', ' + w).join(''),
    endpointSelector: allTenants,
    ingress,
    egress,
  }];
  if (cfg.worldIngressServices.length > 0) {
    specs.push({
      description: `Tenant pods of the world-facing service kinds (${cfg.serviceLabel} in ${cfg.worldIngressServices.join(', ')}) ` +
        'accept connections from the world, and from other nodes (load-balancer traffic they forwarded with source NAT)',
      endpointSelector: { ...allTenants, ...serviceSelector(cfg.serviceLabel, cfg.worldIngressServices) },
      ingress: [{ fromEntities: ['world', 'remote-node'] }],
    });
  }
  return k8sObject(CILIUM_API_VERSION, 'CiliumClusterwideNetworkPolicy', { name: BASELINE_POLICY_NAME }, { specs });
}

/** `toPorts` of a rule for the given ports (nothing for every port). */
function portsOf(ports: ResolvedPort[] | undefined): { toPorts?: any[] } {
  if (ports === undefined) return {};
  return {
    toPorts: [{
      ports: ports.map((p) => (p.endPort > p.port
        ? { endPort: p.endPort, port: String(p.port), protocol: p.protocol }
        : { port: String(p.port), protocol: p.protocol })),
    }],
  };
}

function labelSelector(labels: Record<string, string>, extra: Record<string, string>): any {
  const matchLabels: Record<string, string> = { ...extra };
  for (const [k, v] of Object.entries(labels)) matchLabels[k8sKey(k)] = v;
  return { matchLabels };
}

/** Pods of a tenant peer: its namespace (or subtree), narrowed by the selector. */
function peerSelector(p: ResolvedPeer): any {
  const ns = p.tenant!.namespace;
  return labelSelector(p.selector, p.subtree
    ? { [CILIUM_NS_LABEL_PREFIX + tenantLabel(ns)]: '' }
    : { [CILIUM_POD_NAMESPACE]: ns });
}

function describePorts(e: ResolvedExposure): string {
  if (e.ports === undefined) return 'every port';
  const list = e.ports.map((p) => `${p.protocol}/${p.port}${p.endPort > p.port ? '-' + p.endPort : ''}`).join(', ');
  return e.allowIcmp ? `${list} and ICMP echo` : list;
}

function describePeer(p: ResolvedPeer): string {
  if (!p.tenant) return 'the world';
  const sel = Object.keys(p.selector).length > 0 ? ` labelled ${Object.entries(p.selector).map(([k, v]) => `${k}=${v}`).join(',')}` : '';
  return `pods${sel} of ${p.tenant.namespace}${p.subtree ? ' and its sub-tenants' : ''}`;
}

/** ICMP echo request, both families. */
const ICMP_ECHO = [{ fields: [{ family: 'IPv4', type: 8 }, { family: 'IPv6', type: 128 }] }];

/** Name of the policy of an exposure. */
export function exposurePolicyName(e: { tenant: ResolvedTenant; name: string }): string {
  return `${EXPOSURE_POLICY_PREFIX}${e.tenant.namespace}-${e.name}`;
}

function exposurePolicy(e: ResolvedExposure): any {
  const ns = e.tenant.namespace;
  const server = labelSelector(e.selector, { [CILIUM_POD_NAMESPACE]: ns });
  const serverText = Object.keys(e.selector).length > 0 ? `pods of ${ns} labelled ${Object.entries(e.selector).map(([k, v]) => `${k}=${v}`).join(',')}` : `every pod of ${ns}`;
  const ports = portsOf(e.ports);
  const icmp = e.ports !== undefined && e.allowIcmp;
  const ingress: any[] = [];
  const specs: any[] = [];
  for (const p of e.from) {
    const peer = p.tenant ? { fromEndpoints: [peerSelector(p)] } : { fromEntities: ['world'] };
    ingress.push({ ...peer, ...ports });
    if (icmp) ingress.push({ ...peer, icmps: ICMP_ECHO });
  }
  specs.push({
    description: `Exposure ${e.name}: ${serverText} accept connections on ${describePorts(e)} from ${e.from.map(describePeer).join(', ')} (ingress half)`,
    endpointSelector: server,
    ingress,
  });
  for (const p of e.from) {
    if (!p.tenant) continue;
    const egress: any[] = [{ toEndpoints: [server], ...ports }];
    if (icmp) egress.push({ toEndpoints: [server], icmps: ICMP_ECHO });
    specs.push({
      description: `Exposure ${e.name}: ${describePeer(p)} may connect to ${serverText} on ${describePorts(e)} (egress half)`,
      endpointSelector: peerSelector(p),
      egress,
    });
  }
  return k8sObject(CILIUM_API_VERSION, 'CiliumClusterwideNetworkPolicy', { name: exposurePolicyName(e) }, { specs });
}

/** The objects of exposures (one clusterwide policy each). */
export function renderExposures(exposures: ResolvedExposure[]): any[] {
  return exposures.map(exposurePolicy);
}

/**
 * All objects, in a stable order: Namespaces (tree pre-order), the baseline
 * policy, the subtree policies (pre-order), the per-namespace policies
 * (pre-order), the exposures (in order). Namespaces come first so that a
 * plain `kubectl apply` works.
 */
export function renderTenantIsolation(cfg: ResolvedTenantIsolation): any[] {
  const out: any[] = [];
  for (const t of cfg.tenants) out.push(tenantNamespaceObject(t));
  out.push(baselinePolicy(cfg));
  for (const t of cfg.tenants) out.push(subtreePolicy(cfg, t));
  for (const t of cfg.tenants) out.push(tenantPolicy(cfg, t));
  out.push(...renderExposures(cfg.exposures));
  return out;
}
