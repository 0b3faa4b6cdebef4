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
 * descendant -> ancestor traffic is allowed. Plus one constant
 * `CiliumClusterwideNetworkPolicy` `cozynet-tenant-baseline` for all tenant
 * pods: default deny in both directions, DNS, kube-system and system
 * namespaces -> tenants, world -> world-facing services.
 */
import { KUBE_SYSTEM, ResolvedTenant, ResolvedTenantIsolation, ROOT_TENANT, tenantLabel, namespaceOf } from './tree';
import { POD_SECURITY_ENFORCE_LABEL, TENANT_POD_SECURITY_LEVEL } from '../constructs/pod-security';

/** Cilium's label prefixes for namespace labels and the pod's namespace (facts §9). */
export const CILIUM_NS_LABEL_PREFIX = 'k8s:io.cilium.k8s.namespace.labels.';
export const CILIUM_POD_NAMESPACE = 'k8s:io.kubernetes.pod.namespace';

export const CILIUM_API_VERSION = 'cilium.io/v2';
export const BASELINE_POLICY_NAME = 'cozynet-tenant-baseline';
export const TENANT_POLICY_NAME = 'cozynet-tenant';
export const SUBTREE_POLICY_PREFIX = 'cozynet-subtree-';

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
  if (t.allowWorldIngress) {
    specs.push({
      description: `${ns}: every pod accepts connections from the world`,
      endpointSelector: {},
      ingress: [{ fromEntities: ['world'] }],
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
  const specs: any[] = [{
    description: 'Every tenant pod: default deny in both directions; may reach cluster DNS on port 53; ' +
      `accepts connections from ${KUBE_SYSTEM} and from namespaces labelled ${cfg.systemNamespaceLabel}="true"`,
    endpointSelector: allTenants,
    ingress: [{
      fromEndpoints: [
        { matchLabels: { [CILIUM_POD_NAMESPACE]: KUBE_SYSTEM } },
        { matchLabels: { [CILIUM_NS_LABEL_PREFIX + cfg.systemNamespaceLabel]: 'true' } },
      ],
    }],
    egress: [{
      toEndpoints: [{ matchLabels: dnsLabels }],
      toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
    }],
  }];
  if (cfg.worldIngressServices.length > 0) {
    specs.push({
      description: `Tenant pods of the world-facing service kinds (${cfg.serviceLabel} in ${cfg.worldIngressServices.join(', ')}) ` +
        'accept connections from the world',
      endpointSelector: { ...allTenants, ...serviceSelector(cfg.serviceLabel, cfg.worldIngressServices) },
      ingress: [{ fromEntities: ['world'] }],
    });
  }
  return k8sObject(CILIUM_API_VERSION, 'CiliumClusterwideNetworkPolicy', { name: BASELINE_POLICY_NAME }, { specs });
}

/**
 * All objects, in a stable order: Namespaces (tree pre-order), the baseline
 * policy, the subtree policies (pre-order), the per-namespace policies
 * (pre-order). Namespaces come first so that a plain `kubectl apply` works.
 */
export function renderTenantIsolation(cfg: ResolvedTenantIsolation): any[] {
  const out: any[] = [];
  for (const t of cfg.tenants) out.push(tenantNamespaceObject(t));
  out.push(baselinePolicy(cfg));
  for (const t of cfg.tenants) out.push(subtreePolicy(cfg, t));
  for (const t of cfg.tenants) out.push(tenantPolicy(cfg, t));
  return out;
}
