/*
 * The parsing end of the policy model: label sources in selector keys, entity
 * and ICMP type names, IPv4 addresses and CIDRs, the translation of Kubernetes
 * NetworkPolicies, and which objects the model reads. Everything is checked
 * through verdicts, reasons, warnings and uncertainty notes.
 */
import { CiliumPolicyModel, ModelEndpoint, Probe, Reachability, translateNetworkPolicy } from '../../../src/verify/model';

const NS = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const NP = (namespace: string, spec: any, name = 'np') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const TCP80: Probe = { port: 80, protocol: 'TCP' };

/** Pods in namespaces `a` (team red) and `b` (team blue), and the world and the host. */
function endpoints(): ModelEndpoint[] {
  return [
    { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
    { id: 'a/db', namespace: 'a', labels: { app: 'db' } },
    { id: 'b/web', namespace: 'b', labels: { app: 'web' } },
    { id: 'world', entity: 'world' },
    { id: 'host', entity: 'host' },
  ];
}
const IDS = endpoints().map((e) => e.id);

function k8sNet(...policies: any[]) {
  const model = new CiliumPolicyModel([NS('a', { team: 'red' }), NS('b', { team: 'blue' }), ...policies]);
  return { model, reach: model.evaluate(endpoints()) };
}

/** The sources that reach `dst` on the probe. */
function sourcesOf(reach: Reachability, dst: string, port = 80, protocol: Probe['protocol'] = 'TCP'): string[] {
  return IDS.filter((src) => src !== dst && reach.allowed(src, dst, port, protocol));
}

describe('label sources in selector keys', () => {
  test.each(['container', 'unspec', 'cidr', 'fqdn', 'kvstore', 'cilium-generated', 'cni', 'cilium'])(
    'a "%s:" prefix names that label source, which pods do not carry', (source) => {
      const key = `${source}:role`;
      const model = new CiliumPolicyModel([CCNP('p', {
        endpointSelector: { matchLabels: { app: 'db' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { [key]: 'x' } }] }],
      })]);
      const reach = model.evaluate([
        { id: 'db', namespace: 'a', labels: { app: 'db' } },
        { id: 'odd', namespace: 'a', labels: { [key]: 'x' } },
      ]);
      expect(reach.allowed('odd', 'db', 80)).toBe(false);
      expect(reach.explain(reach.identityOf('odd'), reach.identityOf('db'), TCP80))
        .toBe('egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy p)');
    });

  test('a prefix that is no label source is part of the key; a key without a colon has no source', () => {
    const model = new CiliumPolicyModel([CCNP('p', {
      endpointSelector: { matchLabels: { app: 'db' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'acme:role': 'x' } }, { matchLabels: { ':tier': 'y' } }, { matchLabels: { containers: '2' } }] }],
    })]);
    const reach = model.evaluate([
      { id: 'db', namespace: 'a', labels: { app: 'db' } },
      { id: 'acme', namespace: 'a', labels: { 'acme:role': 'x' } },
      { id: 'role', namespace: 'a', labels: { role: 'x' } },
      { id: 'tier', namespace: 'a', labels: { ':tier': 'y' } },
      { id: 'containers', namespace: 'a', labels: { containers: '2' } },
    ]);
    expect(['acme', 'role', 'tier', 'containers'].filter((s) => reach.allowed(s, 'db', 80))).toEqual(['acme', 'tier', 'containers']);
  });
});

describe('entity and ICMP type names', () => {
  test.each(['init', 'unmanaged', 'health', 'kube-apiserver', 'ingress'])('toEntities %s reaches that entity only', (entity) => {
    const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, egress: [{ toEntities: [entity] }] })]);
    const list: ModelEndpoint[] = [
      { id: 'pod', namespace: 'a' },
      { id: 'init', entity: 'init' },
      { id: 'unmanaged', entity: 'unmanaged' },
      { id: 'health', entity: 'health' },
      { id: 'kube-apiserver', entity: 'kube-apiserver' },
      { id: 'ingress', entity: 'ingress' },
      { id: 'world', entity: 'world' },
    ];
    const reach = model.evaluate(list);
    expect(list.map((e) => e.id).filter((d) => d !== 'pod' && reach.allowed('pod', d, 443))).toEqual([entity]);
    expect(model.warnings).toEqual([]);
  });

  test('ICMP types by name: EchoReply 0, DestinationUnreachable 3, EchoRequest 8, TimeExceeded 11', () => {
    const names = ['EchoReply', 'DestinationUnreachable', 'EchoRequest', 'TimeExceeded'];
    const model = new CiliumPolicyModel([CCNP('p', {
      endpointSelector: {},
      egress: [{ toEntities: ['world'], icmps: [{ fields: names.map((type) => ({ type })) }] }],
    })]);
    const list: ModelEndpoint[] = [{ id: 'pod', namespace: 'a' }, { id: 'world', entity: 'world' }];
    for (const bound of ['upper', 'lower'] as const) {
      const reach = model.evaluate(list, [], { bound });
      expect([0, 3, 5, 8, 11, 13].filter((t) => reach.allowed('pod', 'world', t, 'ICMP'))).toEqual([0, 3, 8, 11]);
      expect(reach.uncertain).toEqual([]);
    }
  });
});

describe('IPv4 addresses and CIDRs', () => {
  /** Whether a pod reaches a world endpoint at `ip` under `toCIDR: [cidr]` (upper and lower bound). */
  function reaches(cidr: string, ip: unknown): { upper: boolean; lower: boolean } {
    const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, egress: [{ toCIDR: [cidr] }] })]);
    const list: ModelEndpoint[] = [{ id: 'pod', namespace: 'a' }, { id: 'world', entity: 'world', ip: ip as string }];
    return {
      upper: model.evaluate(list, [], { bound: 'upper' }).allowed('pod', 'world', 443),
      lower: model.evaluate(list, [], { bound: 'lower' }).allowed('pod', 'world', 443),
    };
  }
  const yes = { upper: true, lower: true };
  const no = { upper: false, lower: false };

  test('addresses are four dotted octets of at most 255, nothing before or after', () => {
    expect(reaches('198.51.100.7/32', '198.51.100.7')).toEqual(yes);
    expect(reaches('198.51.100.0/24', '198.51.100.7')).toEqual(yes);
    expect(reaches('198.51.101.0/24', '198.51.100.7')).toEqual(no);
    expect(reaches('198.0.0.0/8', '198.51.100.7')).toEqual(yes);
    expect(reaches('197.0.0.0/8', '198.51.100.7')).toEqual(no);
    expect(reaches('199.0.0.0/8', '198.51.100.7')).toEqual(no);
    expect(reaches('203.0.113.255/32', '203.0.113.255')).toEqual(yes);
    // Not addresses: no CIDR contains them, not even 0.0.0.0/0.
    expect(reaches('0.0.0.0/0', '1203.0.113.10')).toEqual(no);
    expect(reaches('0.0.0.0/0', '203.0.113.1000')).toEqual(no);
    expect(reaches('0.0.0.0/0', '203.0.113.256')).toEqual(no);
    expect(reaches('203.0.114.0/24', '203.0.113.256')).toEqual(no);
    expect(reaches('0.0.0.0/0', '256.0.113.10')).toEqual(no);
    expect(reaches('0.0.0.0/0', ['203.0.113.10'])).toEqual(no);
  });

  test('a CIDR covers its block exactly', () => {
    expect(reaches('203.0.113.0/25', '203.0.113.0')).toEqual(yes);
    expect(reaches('203.0.113.0/25', '203.0.113.127')).toEqual(yes);
    expect(reaches('203.0.113.0/25', '203.0.113.128')).toEqual(no);
    expect(reaches('203.0.113.128/25', '203.0.113.127')).toEqual(no);
    expect(reaches('203.0.113.77/25', '203.0.113.100')).toEqual(yes);
  });

  test.each(['203.0.113.10/33', '203.0.113.10/-1', '203.0.113.10/8.5', '203.0.113.10/x'])('a prefix length outside 0..32 (%s) is not judged: uncertain', (cidr) => {
    expect(reaches(cidr, '203.0.113.10')).toEqual({ upper: true, lower: false });
    const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, egress: [{ toCIDR: [cidr] }] })]);
    expect(model.evaluate([{ id: 'pod', namespace: 'a' }, { id: 'world', entity: 'world' }]).uncertain)
      .toEqual([`CiliumClusterwideNetworkPolicy p egress[0]: CIDR ${JSON.stringify(cidr)} (not a valid IPv4 or IPv6 CIDR; the API server would refuse the policy)`]);
  });
});

describe('selectors that are empty or not', () => {
  /** Uncertainty notes of a host policy / a toNodes rule, with a host endpoint present. */
  function notes(spec: any): string[] {
    const model = new CiliumPolicyModel([CCNP('p', spec)]);
    return model.evaluate([{ id: 'pod', namespace: 'a' }, { id: 'host', entity: 'host' }]).uncertain;
  }

  test('a node selector with labels or expressions is uncertain; an empty one is every node', () => {
    const labels = { matchLabels: { role: 'edge' } };
    const exprs = { matchExpressions: [{ key: 'role', operator: 'Exists' }] };
    expect(notes({ nodeSelector: {}, ingress: [{ fromEntities: ['world'] }] })).toEqual([]);
    expect(notes({ nodeSelector: labels, ingress: [{ fromEntities: ['world'] }] }))
      .toEqual(['CiliumClusterwideNetworkPolicy p: nodeSelector {"matchLabels":{"role":"edge"}} (node labels are not modelled)']);
    expect(notes({ nodeSelector: exprs, ingress: [{ fromEntities: ['world'] }] }))
      .toEqual(['CiliumClusterwideNetworkPolicy p: nodeSelector {"matchExpressions":[{"key":"role","operator":"Exists"}]} (node labels are not modelled)']);
    expect(notes({ endpointSelector: {}, egress: [{ toNodes: [{}] }] })).toEqual([]);
    expect(notes({ endpointSelector: {}, egress: [{ toNodes: [labels, exprs] }] })).toEqual([
      'CiliumClusterwideNetworkPolicy p egress[0]: toNodes {"matchLabels":{"role":"edge"}} (node labels are not modelled); ' +
        'toNodes {"matchExpressions":[{"key":"role","operator":"Exists"}]} (node labels are not modelled)',
    ]);
  });

  test('NetworkPolicy namespaceSelector: {} is every pod; a NotIn-only one also the world and the host (as Cilium 1.19)', () => {
    const from = (namespaceSelector: any) => sourcesOf(k8sNet(NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector }] }] })).reach, 'a/db');
    expect(from({})).toEqual(['a/web', 'b/web']);
    expect(from({ matchLabels: { team: 'blue' } })).toEqual(['b/web']);
    expect(from({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['red'] }] })).toEqual(['b/web', 'world', 'host']);
  });
});

describe('Kubernetes NetworkPolicy translation', () => {
  test('podSelector and peer podSelector: matchLabels and matchExpressions', () => {
    const { reach, model } = k8sNet(NP('a', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] } }] }],
    }), NP('b', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'nothing' } } }] }],
    }, 'np2'));
    expect(sourcesOf(reach, 'a/db')).toEqual(['a/web']);
    expect(sourcesOf(reach, 'a/web')).toEqual(['a/db', 'b/web', 'world', 'host']);
    expect(sourcesOf(reach, 'b/web')).toEqual([]);
    expect(reach.explain(reach.identityOf('a/web'), reach.identityOf('a/db'), TCP80))
      .toBe('egress unrestricted (no egress policy selects the source); ingress allowed by NetworkPolicy a/np ingress[0] from[0]');
    expect(model.warnings).toEqual([]);
  });

  test('a null match expression has no operator: the selector matches nothing, with a warning', () => {
    const { reach, model } = k8sNet(NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchExpressions: [null] } }] }],
    }));
    expect(sourcesOf(reach, 'a/db')).toEqual([]);
    expect(model.warnings).toEqual(['NetworkPolicy a/np ingress[0] from[0]: unknown selector operator undefined; the selector matches nothing']);
  });

  test('a key-less expression names the empty label key', () => {
    const model = new CiliumPolicyModel([NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ operator: 'Exists' }] } }] }],
    })]);
    const reach = model.evaluate([{ id: 'db', namespace: 'a', labels: { app: 'db' } }, { id: 'odd', namespace: 'a', labels: { '': 'x' } }, { id: 'web', namespace: 'a' }]);
    expect(reach.allowed('odd', 'db', 80)).toBe(true);
    expect(reach.allowed('web', 'db', 80)).toBe(false);
  });

  test('a podSelector peer is the policy\'s own namespace, even when it names the namespace label', () => {
    const { reach } = k8sNet(NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app': 'web', 'io.kubernetes.pod.namespace': 'b' } } }] }],
    }));
    expect(sourcesOf(reach, 'a/db')).toEqual(['a/web']);
    const plain = k8sNet(NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] })).reach;
    expect(sourcesOf(plain, 'a/db')).toEqual(['a/web']);
  });

  test('pod label keys are Kubernetes labels, even when they look like a label source', () => {
    const model = new CiliumPolicyModel([NP('a', {
      podSelector: { matchLabels: { 'cilium:role': 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { 'cilium:role': 'web' } } }] }],
    })]);
    const reach = model.evaluate([
      { id: 'db', namespace: 'a', labels: { 'cilium:role': 'db' } },
      { id: 'web', namespace: 'a', labels: { 'cilium:role': 'web' } },
      { id: 'other', namespace: 'a' },
    ]);
    expect(reach.allowed('web', 'db', 80)).toBe(true);
    expect(reach.allowed('other', 'db', 80)).toBe(false);
    expect(reach.allowed('db', 'web', 80)).toBe(true);
  });

  test('a policy without metadata is "(unnamed)" in "default"', () => {
    const model = new CiliumPolicyModel([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: { podSelector: {}, ingress: [{ from: [{}] }] } }]);
    expect(model.warnings).toEqual(['NetworkPolicy default/(unnamed): a peer with neither podSelector, namespaceSelector nor ipBlock matches nothing']);
    expect(model.policyCounts).toEqual({ NetworkPolicy: 1 });
    const reach = model.evaluate([{ id: 'd', namespace: 'default' }, { id: 'x', namespace: 'x' }]);
    expect(reach.allowed('x', 'd', 80)).toBe(false);
    expect(reach.allowed('d', 'x', 80)).toBe(true);
    expect(reach.explain(reach.identityOf('x'), reach.identityOf('d'), TCP80))
      .toBe('egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by NetworkPolicy default/(unnamed))');
  });

  test('a spec that is not an object is the empty spec: every pod of the namespace isolated for ingress', () => {
    for (const spec of [null, 'x', ['Ingress']]) {
      const { reach } = k8sNet({ ...NP('a', spec), spec });
      expect(sourcesOf(reach, 'a/web')).toEqual([]);
      expect(sourcesOf(reach, 'b/web')).toEqual(['a/web', 'a/db', 'world', 'host']);
    }
  });

  test('rules and peers that are not objects are skipped (the rule keeps its NetworkPolicy name)', () => {
    const { reach, model } = k8sNet(NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [null, 'junk', { from: [null, 7, { podSelector: { matchLabels: { app: 'web' } } }] }],
      egress: 'junk',
      policyTypes: ['Ingress', 'Egress'],
    }));
    expect(sourcesOf(reach, 'a/db')).toEqual(['a/web']);
    expect(IDS.filter((d) => d !== 'a/db' && reach.allowed('a/db', d, 80))).toEqual([]);
    expect(reach.explain(reach.identityOf('a/web'), reach.identityOf('a/db'), TCP80))
      .toBe('egress unrestricted (no egress policy selects the source); ingress allowed by NetworkPolicy a/np ingress[2] from[2]');
    expect(model.warnings).toEqual([]);
  });

  test('ports: an entry without port is every port of its protocol (TCP unless given); endPort is a range', () => {
    const ports = (list: any[]) => {
      const model = new CiliumPolicyModel([NP('a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: {} }], ports: list }] })]);
      const eps: ModelEndpoint[] = [{ id: 'web', namespace: 'a' }, { id: 'db', namespace: 'a', labels: { app: 'db' } }];
      const probes: Probe[] = [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }, { port: 54, protocol: 'UDP' }, { port: 55, protocol: 'UDP' }, { port: 9, protocol: 'SCTP' }];
      const out: string[] = [];
      for (const bound of ['upper', 'lower'] as const) {
        const reach = model.evaluate(eps, [], { bound });
        expect(reach.uncertain).toEqual([]);
        out.push(probes.filter((p) => reach.allowed('web', 'db', p.port, p.protocol)).map((p) => `${p.protocol}/${p.port}`).join(' '));
      }
      expect(out[0]).toBe(out[1]);
      return out[0];
    };
    expect(ports([null])).toBe('TCP/53');
    expect(ports([{}])).toBe('TCP/53');
    expect(ports([{ protocol: 'UDP' }])).toBe('UDP/53 UDP/54 UDP/55');
    expect(ports([{ port: 53, endPort: 54, protocol: 'UDP' }])).toBe('UDP/53 UDP/54');
    expect(ports([{ port: 9, protocol: 'SCTP' }])).toBe('SCTP/9');
  });

  test('the ports of a rule apply to each of its peers; a peer that matches nothing adds no rule', () => {
    const { reach, model } = k8sNet(NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{}], ports: [{ port: 80 }] }, { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 443 }] }],
    }));
    expect(sourcesOf(reach, 'a/db', 80)).toEqual([]);
    expect(sourcesOf(reach, 'a/db', 443)).toEqual(['a/web']);
    expect(sourcesOf(reach, 'a/db', 444)).toEqual([]);
    expect(reach.explain(reach.identityOf('a/web'), reach.identityOf('a/db'), { port: 443, protocol: 'TCP' }))
      .toBe('egress unrestricted (no egress policy selects the source); ingress allowed by NetworkPolicy a/np ingress[1] from[0]');
    expect(model.warnings).toEqual(['NetworkPolicy a/np: a peer with neither podSelector, namespaceSelector nor ipBlock matches nothing']);
  });

  test('verdicts name NetworkPolicy rules as the NetworkPolicy spells them: rule, then peer', () => {
    const { reach, model } = k8sNet(NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'none' } } }, { namespaceSelector: { matchLabels: { team: 'blue' } } }], ports: [{ port: 80 }] },
        { ports: [{ port: 443 }] },
        { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }, { to: [{}, { podSelector: { matchLabels: { app: 'web' } } }] }],
    }));
    const why = (src: string, dst: string, port: number) => reach.explain(reach.identityOf(src), reach.identityOf(dst), { port, protocol: 'TCP' });
    expect(why('b/web', 'a/db', 80)).toBe('egress unrestricted (no egress policy selects the source); ingress allowed by NetworkPolicy a/np ingress[0] from[1]');
    expect(why('b/web', 'a/db', 443)).toBe('egress unrestricted (no egress policy selects the source); ingress allowed by NetworkPolicy a/np ingress[1]');
    expect(why('a/web', 'a/db', 8080)).toBe('egress unrestricted (no egress policy selects the source); ingress allowed by NetworkPolicy a/np ingress[2] from[0]');
    expect(why('a/db', 'a/web', 80)).toBe('egress allowed by NetworkPolicy a/np egress[1] to[1]; ingress unrestricted (no ingress policy selects the destination)');
    expect(model.warnings).toEqual(['NetworkPolicy a/np: a peer with neither podSelector, namespaceSelector nor ipBlock matches nothing']);
  });

  test('the Cilium rules of a translation: "0" for every port, TCP by default, one rule per peer', () => {
    const warnings: string[] = [];
    const spec = translateNetworkPolicy(NP('a', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{}, { port: 53, endPort: 54, protocol: 'UDP' }] }],
    }), (m) => warnings.push(m));
    const toPorts = [{ ports: [{ port: '0', endPort: undefined, protocol: 'TCP' }, { port: '53', endPort: 54, protocol: 'UDP' }] }];
    expect(spec).toEqual({
      endpointSelector: { matchLabels: { 'k8s:app': 'db' }, matchExpressions: [] },
      enableDefaultDeny: { ingress: true, egress: false },
      ingress: [
        { fromEndpoints: [{ matchLabels: { 'k8s:app': 'web', 'k8s:io.kubernetes.pod.namespace': 'a' }, matchExpressions: [] }], toPorts },
        { fromCIDRSet: [{ cidr: '10.0.0.0/8', except: undefined }], toPorts },
      ],
    });
    expect(warnings).toEqual([]);
  });

  test('a translated policy is one spec named after the policy', () => {
    const model = new CiliumPolicyModel([NP('a', { podSelector: {} }, 'iso')]);
    expect(model._specs().map((s: any) => [s.object, s.where, s.clusterwide, s.namespace, s.k8s])).toEqual([['NetworkPolicy a/iso', '', false, 'a', true]]);
  });
});

describe('which objects the model reads', () => {
  test('only CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy (cilium.io) and NetworkPolicy (networking.k8s.io) are policies', () => {
    const isolate = { endpointSelector: {}, podSelector: {}, ingress: [{}] };
    const model = new CiliumPolicyModel([
      { apiVersion: 'cilium.io/v2', kind: 'CiliumCIDRGroup', metadata: { name: 'g' }, spec: isolate },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumEndpoint', metadata: { name: 'e', namespace: 'a' }, spec: isolate },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'a' }, spec: isolate },
      { apiVersion: 'example.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'a' }, spec: isolate },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' }, spec: isolate },
    ]);
    expect(model.policyCounts).toEqual({});
    expect(model._specs()).toEqual([]);
    expect(model.evaluate([{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'a' }]).allowed('x', 'y', 80)).toBe(true);
  });

  test('null and undefined objects, and objects without metadata', () => {
    const model = new CiliumPolicyModel([
      null,
      undefined,
      { apiVersion: 'v1', kind: 'Namespace' },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', spec: { endpointSelector: {}, ingress: [{}] } },
    ] as any[]);
    expect(Object.fromEntries(model.namespaceLabels)).toEqual({ '(unnamed)': { 'kubernetes.io/metadata.name': '(unnamed)' } });
    expect(model.warnings).toEqual(['CiliumNetworkPolicy (unnamed) has no metadata.namespace; assuming "default"']);
    expect(model.policyCounts).toEqual({ CiliumNetworkPolicy: 1 });
  });

  test('namespace labels from the options add to those of the Namespace objects', () => {
    const model = new CiliumPolicyModel([NS('a', { team: 'red', tier: 'x' })], { namespaces: { a: { tier: 'y' }, z: { team: 'blue' } } });
    expect(Object.fromEntries(model.namespaceLabels)).toEqual({
      a: { 'team': 'red', 'tier': 'y', 'kubernetes.io/metadata.name': 'a' },
      z: { 'team': 'blue', 'kubernetes.io/metadata.name': 'z' },
    });
  });
});

describe('evaluate options', () => {
  const twins = (): ModelEndpoint[] => [{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'a' }];

  test('defaults: no probes, the upper bound, endpoints with equal labels share an identity', () => {
    const model = new CiliumPolicyModel([]);
    const reach = model.evaluate(twins());
    expect(reach.probes).toEqual([]);
    expect(reach.bound).toBe('upper');
    expect(reach.size).toBe(1);
    expect(reach.oneToOne).toBe(false);
    const direct = new Reachability(model, twins(), []);
    expect(direct.bound).toBe('upper');
    expect(direct.size).toBe(1);
  });

  test('distinct: every endpoint is its own identity', () => {
    const reach = new CiliumPolicyModel([]).evaluate(twins(), [], { distinct: true });
    expect(reach.size).toBe(2);
    expect(reach.oneToOne).toBe(true);
    expect(new CiliumPolicyModel([]).evaluate(twins(), [], { distinct: false }).size).toBe(1);
  });
});
