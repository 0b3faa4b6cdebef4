/*
 * Kubernetes NetworkPolicy as the verifier judges it: the semantics of the
 * Kubernetes documentation (Concepts › Services › Network Policies), which
 * Cilium enforces. The property test in paths-agree.test.ts only shows that
 * the verifier's two paths agree with each other; these pin the verdicts.
 */
import { CiliumPolicyModel, ModelEndpoint, Probe } from '../../../src/verify/model';

const NS = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const NP = (namespace: string | undefined, spec: any, name = 'np') => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: namespace === undefined ? { name } : { name, namespace }, spec,
});
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });

const ENDPOINTS: ModelEndpoint[] = [
  { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
  { id: 'a/db', namespace: 'a', labels: { app: 'db' } },
  { id: 'b/web', namespace: 'b', labels: { app: 'web' } },
  { id: 'b/cli', namespace: 'b', labels: { app: 'cli' } },
  { id: 'c/web', namespace: 'c', labels: { app: 'web' } },
  { id: 'default/web', namespace: 'default', labels: { app: 'web' } },
  { id: 'world', entity: 'world' },
  { id: 'host', entity: 'host' },
];
const IDS = ENDPOINTS.map((e) => e.id);

function model(...policies: any[]) {
  return new CiliumPolicyModel([NS('a', { team: 'red' }), NS('b', { team: 'blue' }), NS('c', { team: 'red' }), NS('default'), ...policies]);
}

function net(...policies: any[]) {
  return model(...policies).evaluate(ENDPOINTS);
}

/** The sources that reach `dst` on the probe. */
function sourcesOf(n: ReturnType<typeof net>, dst: string, port = 80, protocol: Probe['protocol'] = 'TCP'): string[] {
  return IDS.filter((src) => src !== dst && n.allowed(src, dst, port, protocol));
}

/** The destinations `src` reaches on the probe. */
function destinationsOf(n: ReturnType<typeof net>, src: string, port = 80, protocol: Probe['protocol'] = 'TCP'): string[] {
  return IDS.filter((dst) => dst !== src && n.allowed(src, dst, port, protocol));
}

describe('Kubernetes NetworkPolicy semantics', () => {
  test('selected pods are isolated for ingress (policyTypes defaults to Ingress); their egress stays open', () => {
    const n = net(NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }));
    // a podSelector peer alone means pods of the policy's own namespace
    expect(sourcesOf(n, 'a/db')).toEqual(['a/web']);
    expect(destinationsOf(n, 'a/db')).toEqual(IDS.filter((x) => x !== 'a/db'));
    // pods the policy does not select are untouched
    expect(sourcesOf(n, 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web'));
  });

  test('namespaceSelector alone: every pod of the matching namespaces; with podSelector in the same peer: both must match; two peers: either', () => {
    const byNs = net(NP('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] }));
    expect(sourcesOf(byNs, 'a/web')).toEqual(['a/db', 'c/web']);
    const both = net(NP('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } }, podSelector: { matchLabels: { app: 'web' } } }] }] }));
    expect(sourcesOf(both, 'a/db')).toEqual(['a/web', 'c/web']);
    expect(sourcesOf(both, 'a/web')).toEqual(['c/web']);
    const either = net(NP('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }, { podSelector: { matchLabels: { app: 'db' } } }] }] }));
    expect(sourcesOf(either, 'a/web')).toEqual(['a/db', 'b/web', 'b/cli']);
    // the automatic kubernetes.io/metadata.name label of every namespace
    const byName = net(NP('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }] }] }));
    expect(sourcesOf(byName, 'a/web')).toEqual(['default/web']);
  });

  test('namespaceSelector {} is every pod of every namespace, not the world or the host', () => {
    const n = net(NP('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }));
    expect(sourcesOf(n, 'a/web')).toEqual(['a/db', 'b/web', 'b/cli', 'c/web', 'default/web']);
    const pods = net(NP('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }] }] }));
    expect(sourcesOf(pods, 'a/db')).toEqual(['a/web', 'b/web', 'c/web', 'default/web']);
  });

  test('a rule without from allows every source, the world included; no rules deny everything', () => {
    expect(sourcesOf(net(NP('a', { podSelector: {}, ingress: [{}] })), 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web'));
    expect(sourcesOf(net(NP('a', { podSelector: {}, ingress: [{ from: [] }] })), 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web'));
    expect(sourcesOf(net(NP('a', { podSelector: {} })), 'a/web')).toEqual([]);
    expect(sourcesOf(net(NP('a', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })), 'a/web')).toEqual([]);
  });

  test('matchExpressions in pod and namespace selectors', () => {
    const n = net(NP('a', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] },
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }] }],
    }));
    expect(sourcesOf(n, 'a/db')).toEqual(['a/web', 'b/web', 'b/cli', 'c/web']);
    expect(sourcesOf(n, 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web'));
  });

  test('a namespace selector made only of NotIn also selects the world and the host, as Cilium 1.19 does (cilium/cilium#46949)', () => {
    // Kubernetes means pods of namespaces without team=red; Cilium 1.19 adds no
    // namespace requirement to a negative selector, so identities without
    // namespace labels (world, host) match too. The verifier judges what the
    // cluster does: the over-selection is reported, not hidden.
    const n = net(NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['red'] }] } }] }],
    }));
    expect(sourcesOf(n, 'a/db')).toEqual(['b/web', 'b/cli', 'default/web', 'world', 'host']);
  });

  test('as Cilium 1.20 (cilium/cilium#46996): a negative namespace selector of a NetworkPolicy or CiliumNetworkPolicy selects pods only; clusterwide policies and positive selectors are unchanged', () => {
    const notRed = { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['red'] }] };
    const knp = NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: notRed }] }] });
    const as = (version: '1.19' | '1.20', ...policies: any[]) =>
      new CiliumPolicyModel([NS('a', { team: 'red' }), NS('b', { team: 'blue' }), NS('c', { team: 'red' }), NS('default'), ...policies], { ciliumVersion: version }).evaluate(ENDPOINTS);
    expect(sourcesOf(as('1.20', knp), 'a/db')).toEqual(['b/web', 'b/cli', 'default/web']);
    // DoesNotExist is negative too
    const noTeam = NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }] }] });
    expect(sourcesOf(as('1.19', noTeam), 'a/db')).toEqual(['default/web', 'world', 'host']);
    expect(sourcesOf(as('1.20', noTeam), 'a/db')).toEqual(['default/web']);
    // the CiliumNetworkPolicy form of the issue: toEndpoints with NotIn on the pod's namespace
    const cnp = (version: '1.19' | '1.20') => as(version, {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'notin', namespace: 'a' },
      spec: { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [{ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['b'] }] }] }] },
    });
    expect(destinationsOf(cnp('1.19'), 'a/web')).toEqual(['a/db', 'c/web', 'default/web', 'world', 'host']);
    expect(destinationsOf(cnp('1.20'), 'a/web')).toEqual(['a/db', 'c/web', 'default/web']);
    // a positive namespace requirement already means pods: the same under both
    const red = NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] });
    expect(sourcesOf(as('1.20', red), 'a/db')).toEqual(sourcesOf(as('1.19', red), 'a/db'));
    // a clusterwide policy's selector is not narrowed by the fix
    const ccnp = (version: '1.19' | '1.20') => as(version, CCNP('notin', {
      endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['b'] }] }] }],
    }));
    expect(sourcesOf(ccnp('1.20'), 'a/db')).toEqual(sourcesOf(ccnp('1.19'), 'a/db'));
    expect(sourcesOf(ccnp('1.20'), 'a/db')).toContain('world');
  });

  test('ipBlock: world addresses inside the CIDR, except the excepted blocks; never pods', () => {
    const egress = (to: any[]) => net(NP('a', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to }] }));
    expect(destinationsOf(egress([{ ipBlock: { cidr: '203.0.113.0/24' } }]), 'a/web')).toEqual(['world']);
    expect(destinationsOf(egress([{ ipBlock: { cidr: '0.0.0.0/0', except: ['203.0.113.0/28'] } }]), 'a/web')).toEqual([]);
    expect(destinationsOf(egress([{ ipBlock: { cidr: '0.0.0.0/0', except: ['198.51.100.0/24'] } }]), 'a/web')).toEqual(['world']);
    expect(destinationsOf(egress([{ ipBlock: { cidr: '198.51.100.0/24' } }]), 'a/web')).toEqual([]);
  });

  test('ports: TCP unless given, a port-less entry is every port of its protocol, endPort makes a range', () => {
    const on = (ports: any[]) => net(NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports }] }));
    const tcp5432 = on([{ port: 5432 }]);
    expect([tcp5432.allowed('b/web', 'a/db', 5432, 'TCP'), tcp5432.allowed('b/web', 'a/db', 5432, 'UDP'), tcp5432.allowed('b/web', 'a/db', 80, 'TCP')])
      .toEqual([true, false, false]);
    const udp = on([{ protocol: 'UDP' }]);
    expect([udp.allowed('b/web', 'a/db', 53, 'UDP'), udp.allowed('b/web', 'a/db', 9999, 'UDP'), udp.allowed('b/web', 'a/db', 53, 'TCP')])
      .toEqual([true, true, false]);
    const range = on([{ port: 8000, endPort: 8010, protocol: 'TCP' }]);
    expect([7999, 8000, 8005, 8010, 8011].map((p) => range.allowed('world', 'a/db', p, 'TCP'))).toEqual([false, true, true, true, false]);
    const sctp = on([{ port: 9000, protocol: 'SCTP' }]);
    expect([sctp.allowed('b/web', 'a/db', 9000, 'SCTP'), sctp.allowed('b/web', 'a/db', 9000, 'TCP')]).toEqual([true, false]);
  });

  test('policyTypes decides the isolated directions; without it, egress is isolated only when egress rules are given', () => {
    // Egress only: ingress rules are ignored, every egress is denied
    const egressOnly = net(NP('a', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: {} }] }] }));
    expect(destinationsOf(egressOnly, 'a/web')).toEqual([]);
    // (a/db is a pod of the same namespace: its own egress is closed too)
    expect(sourcesOf(egressOnly, 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web' && x !== 'a/db'));
    // no policyTypes, egress rules given: both directions isolated (a/db's ingress too, so a/web's allowed egress to it is refused there)
    const both = net(NP('a', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] }));
    expect(destinationsOf(both, 'a/web')).toEqual([]);
    expect(sourcesOf(both, 'a/web')).toEqual([]);
    const egressRule = net(NP('a', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] }));
    expect(destinationsOf(egressRule, 'a/web')).toEqual(['a/db']);
    // no policyTypes and an empty egress list: egress stays open
    const openEgress = net(NP('a', { podSelector: {}, egress: [] }));
    // (ingress is isolated for every pod of a, so a/db refuses on its side)
    expect(destinationsOf(openEgress, 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web' && x !== 'a/db'));
    // both types, no rules: nothing in, nothing out
    const sealed = net(NP('a', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'] }));
    expect([destinationsOf(sealed, 'a/db'), sourcesOf(sealed, 'a/db')]).toEqual([[], []]);
    expect(destinationsOf(sealed, 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web' && x !== 'a/db')); // a/web itself is not selected
  });

  test('an egress rule without to reaches everything, on its ports only', () => {
    const n = net(NP('a', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }));
    expect(destinationsOf(n, 'a/web', 53, 'UDP')).toEqual(IDS.filter((x) => x !== 'a/web'));
    expect(destinationsOf(n, 'a/web', 53, 'TCP')).toEqual([]);
  });

  test('a policy without a namespace is in "default"; a peer with neither selector nor ipBlock matches nothing, with a warning', () => {
    const m = model(NP(undefined, { podSelector: {}, ingress: [{ from: [{}] }] }, 'loose'));
    const n = m.evaluate(ENDPOINTS);
    expect(sourcesOf(n, 'default/web')).toEqual([]);
    expect(sourcesOf(n, 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web'));
    expect(m.warnings).toEqual(['NetworkPolicy default/loose: a peer with neither podSelector, namespaceSelector nor ipBlock matches nothing']);
    expect(m.policyCounts).toEqual({ NetworkPolicy: 1 });
  });

  test('NetworkPolicies and Cilium policies add up: allowed when any selecting policy allows; a Cilium deny still wins', () => {
    const twoPolicies = net(
      NP('a', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'db' } } }] }] }, 'from-db'),
      NP('a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] }, 'from-blue'),
    );
    expect(sourcesOf(twoPolicies, 'a/web')).toEqual(['a/db', 'b/web', 'b/cli']);
    const denied = net(
      NP('a', { podSelector: {}, ingress: [{}] }),
      CCNP('no-world', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['world'] }] }),
    );
    expect(sourcesOf(denied, 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web' && x !== 'world'));
    const probe: Probe = { port: 80, protocol: 'TCP' };
    expect(denied.explain(denied.identityOf('world'), denied.identityOf('a/web'), probe)).toMatch(/ingress denied by CiliumClusterwideNetworkPolicy no-world ingressDeny\[0\]/);
    expect(twoPolicies.explain(twoPolicies.identityOf('c/web'), twoPolicies.identityOf('a/web'), probe))
      .toBe('egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by NetworkPolicy a/from-db)');
    expect(twoPolicies.explain(twoPolicies.identityOf('b/cli'), twoPolicies.identityOf('a/web'), probe)).toMatch(/ingress allowed by NetworkPolicy a\/from-blue/);
  });

  test('other apiVersions of the kind are not NetworkPolicies', () => {
    const m = model({ ...NP('a', { podSelector: {} }), apiVersion: 'example.com/v1' });
    expect(sourcesOf(m.evaluate(ENDPOINTS), 'a/web')).toEqual(IDS.filter((x) => x !== 'a/web'));
    expect(m.policyCounts).toEqual({});
  });
});
