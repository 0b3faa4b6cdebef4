import fc from 'fast-check';
import { CiliumPolicyModel, ModelEndpoint, Probe } from '../../../src/verify/model';

/*
 * The verifier has two paths to a verdict: the fast matrix row (bit sets,
 * `Reachability.row`) that judges whole trees, and the direct decision
 * (`Reachability.decide`) that explains single cells. They must agree on
 * every (source, destination, probe), whatever the policies: allow and deny
 * rules in both directions, entities, CIDRs, ports, namespaces with and
 * without Namespace objects, enableDefaultDeny, Kubernetes NetworkPolicy.
 */

const NAMESPACES = ['n0', 'n1', 'n2', 'n3'];
const PROBES: Probe[] = [
  { port: 80, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
  { port: 443, protocol: 'TCP' },
  { port: 80, protocol: 'SCTP' },
];

const labelValue = fc.constantFrom('a', 'b');
const podLabels = fc.record({ app: labelValue, tier: fc.option(labelValue, { nil: undefined }) }, { requiredKeys: ['app'] })
  .map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as Record<string, string>);

const selector: fc.Arbitrary<any> = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ app: labelValue }) }),
  fc.record({ matchLabels: fc.record({ 'k8s:io.kubernetes.pod.namespace': fc.constantFrom(...NAMESPACES) }) }),
  fc.record({ matchLabels: fc.record({ 'k8s:io.cilium.k8s.namespace.labels.team': labelValue }) }),
  fc.record({ matchLabels: fc.record({ 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': fc.constantFrom(...NAMESPACES) }) }),
  fc.record({
    matchExpressions: fc.tuple(fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), fc.constantFrom('app', 'tier', 'any:tier'), labelValue)
      .map(([operator, key, v]) => [{ key, operator, values: operator === 'In' || operator === 'NotIn' ? [v] : undefined }]),
  }),
  fc.constant({ matchLabels: { 'reserved:host': '' } }),
);

const ports = fc.option(fc.array(fc.record({
  port: fc.constantFrom('80', '53', '0', '443'),
  protocol: fc.constantFrom('TCP', 'UDP', 'ANY', 'SCTP'),
}, { requiredKeys: ['port'] }), { minLength: 1, maxLength: 2 }).map((p) => [{ ports: p }]), { nil: undefined });

function rule(dir: 'to' | 'from'): fc.Arbitrary<any> {
  return fc.record({
    [`${dir}Endpoints`]: fc.option(fc.array(selector, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    [`${dir}Entities`]: fc.option(fc.subarray(['world', 'cluster', 'host', 'kube-apiserver', 'all', 'remote-node'], { minLength: 1 }), { nil: undefined }),
    [`${dir}CIDR`]: fc.option(fc.constant(['203.0.113.0/24']), { nil: undefined }),
    toPorts: ports,
  }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

const rules = (dir: 'to' | 'from') => fc.option(fc.array(rule(dir), { maxLength: 2 }), { nil: undefined });

const spec = fc.record({
  endpointSelector: selector,
  ingress: rules('from'),
  ingressDeny: rules('from'),
  egress: rules('to'),
  egressDeny: rules('to'),
  enableDefaultDeny: fc.option(fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }),
}).map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));

const policy = fc.record({
  clusterwide: fc.boolean(),
  namespace: fc.constantFrom(...NAMESPACES),
  specs: fc.array(spec, { minLength: 1, maxLength: 2 }),
}).map(({ clusterwide, namespace, specs }) => ({
  apiVersion: 'cilium.io/v2',
  kind: clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
  metadata: clusterwide ? { name: 'p' } : { name: 'p', namespace },
  specs,
}));

/** Kubernetes NetworkPolicy (translated into Cilium rules by the model, as Cilium does). */
const k8sSelector: fc.Arbitrary<any> = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ app: labelValue }) }),
  fc.record({ matchLabels: fc.record({ team: labelValue }) }),
  fc.record({
    matchExpressions: fc.tuple(fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), fc.constantFrom('app', 'tier', 'team'), labelValue)
      .map(([operator, key, v]) => [{ key, operator, ...(operator === 'In' || operator === 'NotIn' ? { values: [v] } : {}) }]),
  }),
);
const k8sPeer: fc.Arbitrary<any> = fc.oneof(
  fc.record({ podSelector: k8sSelector }),
  fc.record({ namespaceSelector: k8sSelector }),
  fc.record({ podSelector: k8sSelector, namespaceSelector: k8sSelector }),
  fc.record({ ipBlock: fc.constantFrom({ cidr: '203.0.113.0/24' }, { cidr: '0.0.0.0/0', except: ['203.0.113.0/24'] }) }),
);
const k8sRule = (dir: 'from' | 'to') => fc.record({
  [dir]: fc.option(fc.array(k8sPeer, { maxLength: 2 }), { nil: undefined }),
  ports: fc.option(fc.array(fc.record({ port: fc.constantFrom(80, 53, 443), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }, { requiredKeys: [] }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
}).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
const networkPolicy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: k8sSelector,
  policyTypes: fc.option(fc.subarray(['Ingress', 'Egress'], { minLength: 1 }), { nil: undefined }),
  ingress: fc.option(fc.array(k8sRule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(k8sRule('to'), { maxLength: 2 }), { nil: undefined }),
}).map(({ namespace, ...npSpec }) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace },
  spec: Object.fromEntries(Object.entries(npSpec).filter(([, v]) => v !== undefined)),
}));

const world = fc.record({
  // Namespaces n0..n3: some have a Namespace object (with a team label), the others do not.
  namespaceObjects: fc.subarray(NAMESPACES),
  teams: fc.array(labelValue, { minLength: 4, maxLength: 4 }),
  pods: fc.array(fc.record({ namespace: fc.constantFrom(...NAMESPACES), labels: podLabels }), { minLength: 1, maxLength: 8 }),
  policies: fc.array(fc.oneof(policy, networkPolicy), { maxLength: 4 }),
});

describe('property: the fast matrix and the direct decision agree', () => {
  test('on every pair and probe, over random policy sets', () => {
    fc.assert(fc.property(world, ({ namespaceObjects, teams, pods, policies }) => {
      const objects: any[] = namespaceObjects.map((ns) => ({
        apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: teams[NAMESPACES.indexOf(ns)] } },
      }));
      policies.forEach((p, i) => objects.push({ ...p, metadata: { ...p.metadata, name: `p${i}` } }));
      const endpoints: ModelEndpoint[] = [
        ...pods.map((p, i) => ({ id: `pod${i}`, namespace: p.namespace, labels: p.labels })),
        { id: 'world', entity: 'world' },
        { id: 'host', entity: 'host' },
        { id: 'remote-node', entity: 'remote-node' },
        { id: 'kube-apiserver', entity: 'kube-apiserver' },
      ];
      const reach = new CiliumPolicyModel(objects).evaluate(endpoints, PROBES);
      const row = new Uint32Array(Math.ceil(reach.size / 32) + 1);
      for (let s = 0; s < reach.size; s++) {
        for (let p = 0; p < PROBES.length; p++) {
          reach.rowBits(s, p, row);
          for (let d = 0; d < reach.size; d++) {
            const fast = Math.floor(row[Math.floor(d / 32)] / 2 ** (d % 32)) % 2 === 1;
            const slow = reach.decide(s, d, PROBES[p]);
            if (fast !== slow.allowed) {
              throw new Error(`${reach.identities[s].endpoints[0]} -> ${reach.identities[d].endpoints[0]} ${PROBES[p].protocol}/${PROBES[p].port}: ` +
                `matrix ${fast}, decide ${slow.allowed} (${slow.reason})`);
            }
          }
        }
      }
    }), { numRuns: 150, seed: 15 });
  });

  test('the generated sets contain NetworkPolicies that decide verdicts', () => {
    // How often a generated set has a NetworkPolicy, and how often one of its
    // verdicts is decided by it: the property above is not vacuous for them.
    let sets = 0;
    let decided = 0;
    fc.assert(fc.property(world, ({ pods, policies }) => {
      if (!policies.some((p: any) => p.kind === 'NetworkPolicy')) return;
      sets++;
      const objects = policies.map((p: any, i: number) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } }));
      const endpoints: ModelEndpoint[] = [...pods.map((p, i) => ({ id: `pod${i}`, namespace: p.namespace, labels: p.labels })), { id: 'world', entity: 'world' }];
      const reach = new CiliumPolicyModel(objects).evaluate(endpoints, PROBES);
      for (let s = 0; s < reach.size; s++) {
        for (let d = 0; d < reach.size; d++) {
          if (/NetworkPolicy n\d\/p\d/.test(reach.decide(s, d, PROBES[0]).reason)) decided++;
        }
      }
    }), { numRuns: 150, seed: 15 });
    expect(sets).toBeGreaterThan(40);
    expect(decided).toBeGreaterThan(100);
  });

  test('the generated sets exercise deny rules that decide the verdict', () => {
    // A fixed witness of what the random sets contain: an egressDeny that overrides an allow.
    const reach = new CiliumPolicyModel([{
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'p0' },
      specs: [{ endpointSelector: {}, egress: [{ toEntities: ['all'] }], egressDeny: [{ toEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] }],
    }]).evaluate([{ id: 'pod', namespace: 'n0' }, { id: 'world', entity: 'world' }], PROBES);
    const row = new Uint32Array(1);
    reach.rowBits(0, 2, row);
    expect(row[0]).toBe(0b01); // itself only
    expect(reach.decide(0, 1, PROBES[2])).toMatchObject({
      allowed: false,
      reason: 'egress denied by CiliumClusterwideNetworkPolicy p0 egressDeny[0]; ingress unrestricted (no ingress policy selects the destination)',
    });
    reach.rowBits(0, 0, row);
    expect(row[0]).toBe(0b11);
  });
});
