import { CiliumPolicyModel, ModelEndpoint, ModelOptions, Probe } from '../../../src/verify/model';

const NS = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const TCP80: Probe = { port: 80, protocol: 'TCP' };

/** Endpoints: pods in `a` (a Namespace object exists) and `b` (none), and entities. */
function endpoints(): ModelEndpoint[] {
  return [
    { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
    { id: 'a/db', namespace: 'a', labels: { app: 'db' } },
    { id: 'b/web', namespace: 'b', labels: { app: 'web' } },
    { id: 'b/builder', namespace: 'b', labels: { 'app': 'builder', 'io.cilium.k8s.policy.serviceaccount': 'builder' } },
    { id: 'nons', labels: { app: 'web' } },
    { id: 'world', entity: 'world' },
    { id: 'host', entity: 'host' },
    { id: 'kube-apiserver', entity: 'kube-apiserver' },
  ];
}

function net(policies: any[], options?: ModelOptions, probes: Probe[] = []) {
  const model = new CiliumPolicyModel([NS('a', { team: 'red' }), ...policies], options);
  return { model, reach: model.evaluate(endpoints(), probes) };
}

function decide(policies: any[], src: string, dst: string, probe: Probe = TCP80, options?: ModelOptions) {
  const { reach } = net(policies, options);
  const { allowed, reason } = reach.decide(reach.identityOf(src), reach.identityOf(dst), probe);
  return { allowed, reason };
}

describe('decide: the verdict and its reason, direction by direction', () => {
  test('egressDeny blocks what an egress rule allows, and says so', () => {
    const policies = [CNP('a', 'out', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toEndpoints: [{}] }],
      egressDeny: [{ toEndpoints: [{ matchLabels: { app: 'db' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
    })];
    expect(decide(policies, 'a/web', 'a/db')).toEqual({
      allowed: false,
      reason: 'egress denied by CiliumNetworkPolicy a/out egressDeny[0]; ingress unrestricted (no ingress policy selects the destination)',
    });
    expect(decide(policies, 'a/web', 'a/db', { port: 81, protocol: 'TCP' })).toEqual({
      allowed: true,
      reason: 'egress allowed by CiliumNetworkPolicy a/out egress[0]; ingress unrestricted (no ingress policy selects the destination)',
    });
    expect(decide(policies, 'a/web', 'b/web')).toEqual({
      allowed: false,
      reason: 'egress default-deny (source selected by CiliumNetworkPolicy a/out); ingress unrestricted (no ingress policy selects the destination)',
    });
    expect(decide(policies, 'a/db', 'b/web')).toEqual({
      allowed: true,
      reason: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
    });
  });

  test('an egressDeny alone enforces nothing else, but still denies', () => {
    const policies = [CCNP('deny-world', { endpointSelector: {}, enableDefaultDeny: { egress: false }, egressDeny: [{ toEntities: ['world'] }] })];
    expect(decide(policies, 'a/web', 'world').allowed).toBe(false);
    expect(decide(policies, 'a/web', 'b/web').allowed).toBe(true);
  });

  test('ingressDeny, ingress allow, ingress default deny, with several policies named once each', () => {
    const policies = [
      CCNP('allow-all', { endpointSelector: {}, ingress: [{ fromEntities: ['all'] }] }),
      CCNP('allow-all-2', { endpointSelector: {}, ingress: [{ fromEntities: ['all'] }, { fromEntities: ['cluster'] }] }),
      CNP('a', 'deny-world', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['world'] }, { fromEntities: ['world', 'host'] }] }),
      CNP('a', 'deny-world-2', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['world'] }] }),
    ];
    expect(decide(policies, 'world', 'a/web')).toEqual({
      allowed: false,
      reason: 'egress unrestricted (no egress policy selects the source); ingress denied by CiliumNetworkPolicy a/deny-world ingressDeny[0], ' +
        'CiliumNetworkPolicy a/deny-world ingressDeny[1], CiliumNetworkPolicy a/deny-world-2 ingressDeny[0]',
    });
    expect(decide(policies, 'b/web', 'a/web')).toEqual({
      allowed: true,
      reason: 'egress unrestricted (no egress policy selects the source); ingress allowed by CiliumClusterwideNetworkPolicy allow-all ingress[0], ' +
        'CiliumClusterwideNetworkPolicy allow-all-2 ingress[0], CiliumClusterwideNetworkPolicy allow-all-2 ingress[1]',
    });
    const onlyDefault = [CNP('a', 'db', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'none' } }] }] })];
    expect(decide(onlyDefault, 'a/web', 'a/db')).toEqual({
      allowed: false,
      reason: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumNetworkPolicy a/db)',
    });
  });

  test('both directions are judged: an egress denial is not rescued by an ingress allow, nor the reverse', () => {
    const policies = [
      CCNP('in', { endpointSelector: {}, ingress: [{ fromEntities: ['all'] }] }),
      CNP('a', 'out', { endpointSelector: {}, egressDeny: [{ toEntities: ['all'] }] }),
    ];
    expect(decide(policies, 'a/web', 'b/web').allowed).toBe(false);
    const other = [
      CCNP('out', { endpointSelector: {}, egress: [{ toEntities: ['all'] }] }),
      CNP('a', 'in', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['all'] }] }),
    ];
    expect(decide(other, 'b/web', 'a/web').allowed).toBe(false);
    expect(decide(other, 'a/web', 'b/web').allowed).toBe(true);
  });

  test('allowed() is decide() by endpoint id, on any port; unknown ids are an error', () => {
    const { reach } = net([CNP('a', 'p', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }] })]);
    expect(reach.allowed('b/web', 'a/db', 5432)).toBe(true);
    expect(reach.allowed('b/web', 'a/db', 5432, 'UDP')).toBe(false);
    expect(reach.explain(reach.identityOf('b/web'), reach.identityOf('a/db'), { port: 5432, protocol: 'UDP' }))
      .toBe('egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumNetworkPolicy a/p)');
    expect(() => reach.identityOf('nope')).toThrow('unknown endpoint nope');
    expect(() => new CiliumPolicyModel([]).evaluate([{ id: 'x' }, { id: 'x' }])).toThrow('duplicate endpoint id x');
  });
});

describe('labels of pods', () => {
  const fromNs = (labels: Record<string, string>) => [CCNP('p', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: labels }] }] })];

  test('a namespace without a Namespace object still has kubernetes.io/metadata.name', () => {
    const policies = fromNs({ 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'b' });
    expect(decide(policies, 'b/web', 'a/db').allowed).toBe(true);
    expect(decide(policies, 'a/web', 'a/db').allowed).toBe(false);
    // ... and so does one with a Namespace object, whatever its own labels say.
    const own = fromNs({ 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'a' });
    expect(decide(own, 'a/web', 'a/db').allowed).toBe(true);
    expect(decide(own, 'b/web', 'a/db').allowed).toBe(false);
    const { model } = net([], { namespaces: { c: { x: 'y' } } });
    expect(model.namespaceLabels.get('a')).toEqual({ 'team': 'red', 'kubernetes.io/metadata.name': 'a' });
    expect(model.namespaceLabels.get('c')).toEqual({ 'x': 'y', 'kubernetes.io/metadata.name': 'c' });
  });

  test('namespace labels from the options are added to (and override) those of the objects; the name label always wins', () => {
    const { model } = net([], { namespaces: { a: { 'team': 'blue', 'extra': '1', 'kubernetes.io/metadata.name': 'zzz' } } });
    expect(model.namespaceLabels.get('a')).toEqual({ 'team': 'blue', 'extra': '1', 'kubernetes.io/metadata.name': 'a' });
    const withObject = new CiliumPolicyModel([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { 'kubernetes.io/metadata.name': 'x' } } }]);
    expect(withObject.namespaceLabels.get('n')).toEqual({ 'kubernetes.io/metadata.name': 'n' });
    const policies = fromNs({ 'k8s:io.cilium.k8s.namespace.labels.team': 'blue' });
    expect(decide(policies, 'b/web', 'a/db', TCP80, { namespaces: { b: { team: 'blue' } } }).allowed).toBe(true);
    expect(decide(policies, 'b/web', 'a/db').allowed).toBe(false);
  });

  test('every pod has the default service account and the cluster label, unless it names its service account', () => {
    const sa = (name: string) => fromNs({ 'k8s:io.cilium.k8s.policy.serviceaccount': name, 'k8s:io.kubernetes.pod.namespace': 'b' });
    expect(decide(sa('default'), 'b/web', 'a/db').allowed).toBe(true);
    expect(decide(sa('default'), 'b/builder', 'a/db').allowed).toBe(false);
    expect(decide(sa('builder'), 'b/builder', 'a/db').allowed).toBe(true);
    expect(decide(sa('builder'), 'b/web', 'a/db').allowed).toBe(false);
    const cluster = fromNs({ 'k8s:io.cilium.k8s.policy.cluster': 'default', 'k8s:io.kubernetes.pod.namespace': 'b' });
    expect(decide(cluster, 'b/web', 'a/db').allowed).toBe(true);
  });

  test('a pod without a namespace is in "default"', () => {
    const policies = fromNs({ 'k8s:io.kubernetes.pod.namespace': 'default' });
    expect(decide(policies, 'nons', 'a/db').allowed).toBe(true);
    expect(decide(policies, 'b/web', 'a/db').allowed).toBe(false);
  });

  test('endpoints with the same labels share an identity; distinct ones do not', () => {
    const model = new CiliumPolicyModel([]);
    const same = model.evaluate([{ id: 'x', namespace: 'a', labels: { app: 'w' } }, { id: 'y', namespace: 'a', labels: { app: 'w' } }, { id: 'w', entity: 'world' }]);
    expect(same.size).toBe(2);
    expect(same.oneToOne).toBe(false);
    expect([...same.identityOfEndpoint]).toEqual([0, 0, 1]);
    expect(same.identities.map((i) => i.endpoints)).toEqual([['x', 'y'], ['w']]);
    const distinct = model.evaluate([{ id: 'x', namespace: 'a', labels: { app: 'w' } }, { id: 'y', namespace: 'b', labels: { app: 'w' } }]);
    expect(distinct.size).toBe(2);
    expect(distinct.oneToOne).toBe(true);
    // A later duplicate makes the mapping non-identical even when the counts would match.
    const later = model.evaluate([{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'a' }, { id: 'z', namespace: 'b' }]);
    expect(later.oneToOne).toBe(false);
    // The identity of a pod: source-prefixed labels, its own and those of its namespace (shared by the namespace's pods).
    const id = distinct.identities[0];
    expect(Object.fromEntries(id.labels)).toEqual({
      'k8s:app': 'w',
      'k8s:io.cilium.k8s.policy.serviceaccount': 'default',
    });
    expect(Object.fromEntries(id.nsLabels!)).toEqual({
      'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'a',
      'k8s:io.kubernetes.pod.namespace': 'a',
      'k8s:io.cilium.k8s.policy.cluster': 'default',
    });
    const pair = model.evaluate([{ id: 'x', namespace: 'a', labels: { app: 'w' } }, { id: 'y', namespace: 'a', labels: { app: 'v' } }, { id: 'z', namespace: 'b' }]);
    expect(pair.identities[0].nsLabels).toBe(pair.identities[1].nsLabels);
    expect(pair.identities[2].nsLabels).not.toBe(pair.identities[0].nsLabels);
    // A pod label with a namespace-derived key is not the pod's (Cilium derives those keys from the namespace).
    const spoof = model.evaluate([{ id: 'x', namespace: 'a', labels: { 'io.kubernetes.pod.namespace': 'b', 'io.cilium.k8s.policy.cluster': 'other', 'io.cilium.k8s.namespace.labels.x': 'y' } }]);
    expect(Object.fromEntries(spoof.identities[0].labels)).toEqual({ 'k8s:io.cilium.k8s.policy.serviceaccount': 'default' });
    expect(id.isPod).toBe(true);
    expect(id.namespace).toBe('a');
    const world = same.identities[1];
    expect(Object.fromEntries(world.labels)).toEqual({ 'reserved:world': '' });
    expect([world.isPod, world.namespace, world.ip, [...world.entities]]).toEqual([false, undefined, { v6: false, n: BigInt(0xcb00710a) }, ['world', 'world-ipv4', 'all']]);
  });
});

describe('policy objects and specs', () => {
  test('objects that are not policies or namespaces, and malformed ones, are skipped', () => {
    const model = new CiliumPolicyModel([
      null, 'x', 5,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'v2', kind: 'Namespace', metadata: { name: 'not-core' } },
      { kind: 'Namespace', metadata: { name: 'no-api-version' } },
      { apiVersion: 'example.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'other-group', namespace: 'a' }, spec: { endpointSelector: {}, ingress: [{}] } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'null-spec', namespace: 'a' }, spec: null, specs: [null, 7] },
    ] as any[]);
    expect([...model.namespaceLabels.keys()]).toEqual(['no-api-version']);
    expect(model._specs()).toEqual([]);
    expect(model.warnings).toEqual([]);
    const reach = model.evaluate([{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'a' }]);
    expect(reach.allowed('x', 'y', 80)).toBe(true);
  });

  test('a namespaced policy without a namespace is assumed to be in "default", with a warning', () => {
    const model = new CiliumPolicyModel([{ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p' }, spec: { endpointSelector: {}, ingress: [{}] } }]);
    expect(model.warnings).toEqual(['CiliumNetworkPolicy p has no metadata.namespace; assuming "default"']);
    const reach = model.evaluate([{ id: 'd', namespace: 'default' }, { id: 'x', namespace: 'x' }]);
    expect(reach.allowed('x', 'd', 80)).toBe(false);
    expect(reach.allowed('d', 'x', 80)).toBe(true);
    expect(reach.explain(1, 0, TCP80)).toBe('egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumNetworkPolicy default/p)');
  });

  test('spec and specs: several specs are named by position, a single one by the object', () => {
    const model = new CiliumPolicyModel([
      { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'two' }, spec: { endpointSelector: {}, ingress: [{}] }, specs: [{ endpointSelector: {}, egress: [{}] }] },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'one', namespace: 'a' }, specs: [{ endpointSelector: {}, ingress: [{}] }] },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: {}, spec: { endpointSelector: {}, ingress: [{}] } },
    ]);
    expect(model._specs().map((s: any) => [s.object, s.where, s.clusterwide, s.namespace])).toEqual([
      ['CiliumClusterwideNetworkPolicy two', 'spec', true, undefined],
      ['CiliumClusterwideNetworkPolicy two', 'specs[0]', true, undefined],
      ['CiliumNetworkPolicy a/one', '', false, 'a'],
      ['CiliumClusterwideNetworkPolicy (unnamed)', '', true, undefined],
    ]);
    const reach = model.evaluate([{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'b' }]);
    expect(reach.explain(0, 1, TCP80)).toBe('egress default-deny (source selected by CiliumClusterwideNetworkPolicy two specs[0]); ' +
      'ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy two spec)');
  });

  test('a spec without any selector is ignored with a warning; a host policy silently', () => {
    const model = new CiliumPolicyModel([
      CCNP('none', { ingress: [{}] }),
      CCNP('null-selector', { endpointSelector: null, ingress: [{}] }),
      CCNP('host', { nodeSelector: {}, ingress: [{}] }),
    ]);
    expect(model.evaluate([{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'a' }]).allowed('x', 'y', 80)).toBe(true);
    expect(model.warnings).toEqual([
      'CiliumClusterwideNetworkPolicy none has neither endpointSelector nor nodeSelector; ignored',
      'CiliumClusterwideNetworkPolicy null-selector has neither endpointSelector nor nodeSelector; ignored',
    ]);
  });

  test('default deny: rules in a direction, or an explicit enableDefaultDeny true; a policy selecting nobody enforces nothing', () => {
    const eps: ModelEndpoint[] = [{ id: 'x', namespace: 'a', labels: { app: 'x' } }, { id: 'y', namespace: 'a', labels: { app: 'y' } }];
    const allowed = (...objs: any[]) => new CiliumPolicyModel(objs).evaluate(eps).allowed('x', 'y', 80);
    expect(allowed(CNP('a', 'p', { endpointSelector: { matchLabels: { app: 'y' } }, enableDefaultDeny: { ingress: true } }))).toBe(false);
    expect(allowed(CNP('a', 'p', { endpointSelector: { matchLabels: { app: 'x' } }, enableDefaultDeny: { egress: true } }))).toBe(false);
    expect(allowed(CNP('a', 'p', { endpointSelector: { matchLabels: { app: 'x' } }, enableDefaultDeny: { ingress: true } }))).toBe(true);
    expect(allowed(CNP('a', 'p', { endpointSelector: { matchLabels: { app: 'y' } }, ingress: [{}], enableDefaultDeny: { ingress: 'no' } }))).toBe(false);
    expect(allowed(CNP('a', 'p', { endpointSelector: { matchLabels: { app: 'y' } }, ingress: [], ingressDeny: [] }))).toBe(true);
    expect(allowed(CNP('a', 'p', { endpointSelector: { matchLabels: { app: 'nobody' } }, ingress: [{}] }))).toBe(true);
    expect(allowed(CNP('a', 'p', { endpointSelector: { matchLabels: { app: 'y' } }, ingress: [null, 'x'] }))).toBe(false);
    // The first policy that enforces is named.
    const reach = new CiliumPolicyModel([
      CNP('a', 'first', { endpointSelector: {}, ingress: [{}] }),
      CNP('a', 'second', { endpointSelector: {}, ingress: [{}] }),
    ]).evaluate(eps);
    expect(reach.explain(0, 1, TCP80)).toMatch(/ingress default-deny \(destination selected by CiliumNetworkPolicy a\/first\)$/);
  });

  test('malformed selectors and unknown operators match nothing, with a warning', () => {
    const eps: ModelEndpoint[] = [{ id: 'x', namespace: 'a', labels: { app: 'x' } }, { id: 'y', namespace: 'a', labels: { app: 'y' } }];
    const model = new CiliumPolicyModel([
      CNP('a', 'bad-subject', { endpointSelector: 'all', ingress: [{}] }),
      CNP('a', 'bad-peer', { endpointSelector: { matchLabels: { app: 'y' } }, ingress: [{ fromEndpoints: [7, { matchExpressions: [{ key: 'app', operator: 'Like', values: ['x'] }] }] }] }),
    ]);
    const reach = model.evaluate(eps);
    expect(reach.allowed('x', 'y', 80)).toBe(false);
    expect(reach.allowed('y', 'x', 80)).toBe(true);
    expect(model.warnings).toEqual([
      'CiliumNetworkPolicy a/bad-subject: malformed selector "all" matches nothing',
      'CiliumNetworkPolicy a/bad-peer ingress[0]: malformed selector 7 matches nothing',
      'CiliumNetworkPolicy a/bad-peer ingress[0]: unknown selector operator "Like"; the selector matches nothing',
    ]);
  });

  test('matchLabels values are compared as strings; a selector with several values picks its candidates right', () => {
    const eps: ModelEndpoint[] = [
      { id: 'one', namespace: 'a', labels: { n: '1' } },
      { id: 'two', namespace: 'a', labels: { n: '2' } },
      { id: 'three', namespace: 'a', labels: { n: '3' } },
      { id: 'other', namespace: 'b', labels: { n: '1' } },
      { id: 'src', namespace: 'a', labels: { role: 'src' } },
    ];
    const reach = (sel: any) => new CiliumPolicyModel([CCNP('p', { endpointSelector: sel, ingress: [{}] })]).evaluate(eps);
    const closed = (sel: any) => { const r = reach(sel); return eps.map((e) => e.id).filter((id) => !r.allowed('src', id, 80)); };
    expect(closed({ matchLabels: { n: 1 } })).toEqual(['one', 'other']);
    expect(closed({ matchExpressions: [{ key: 'n', operator: 'In', values: [1, 3] }] })).toEqual(['one', 'three', 'other']);
    expect(closed({ matchExpressions: [{ key: 'n', operator: 'In', values: ['1', '2'] }, { key: 'io.kubernetes.pod.namespace', operator: 'In', values: ['a'] }] })).toEqual(['one', 'two']);
    expect(closed({ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'In', values: ['a', 'b'] }, { key: 'n', operator: 'In', values: ['2'] }] })).toEqual(['two']);
    expect(closed({ matchExpressions: [{ key: 'n', operator: 'Exists' }, { key: 'n', operator: 'NotIn', values: ['1'] }] })).toEqual(['two', 'three']);
    expect(closed({ matchExpressions: [{ key: 'n', operator: 'In' }] })).toEqual([]);
    expect(closed({ matchLabels: { n: null } })).toEqual([]);
    expect(closed({ matchExpressions: [{ operator: 'DoesNotExist' }] })).toEqual(eps.map((e) => e.id));
    expect(closed({ matchLabels: { 'cilium:n': '1' } })).toEqual([]);
    expect(closed({ matchLabels: { 'unknownsource:n': '1' } })).toEqual([]);
  });
});

describe('peers: entities, CIDRs, nodes and what is not modelled', () => {
  const eps = (): ModelEndpoint[] => [
    { id: 'pod', namespace: 'a' },
    { id: 'world', entity: 'world' },
    { id: 'world6', entity: 'world', ip: '2001:db8::1' },
    { id: 'world-near', entity: 'world', ip: '198.51.100.7' },
    { id: 'host', entity: 'host' },
    { id: 'remote-node', entity: 'remote-node' },
    { id: 'kube-apiserver', entity: 'kube-apiserver' },
    { id: 'health', entity: 'health' },
    { id: 'ingress', entity: 'ingress' },
  ];
  /**
   * The endpoints `pod` reaches under one egress rule. World endpoints with different addresses share one identity in the
   * model (their labels are equal), so each world endpoint is evaluated on its own.
   */
  const peersOf = (rule: any) => {
    const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, egress: [rule] })]);
    const to: string[] = [];
    for (const world of ['world', 'world6', 'world-near']) {
      const list = eps().filter((e) => e.entity !== 'world' || e.id === world);
      const reach = model.evaluate(list);
      for (const e of list) if (e.id !== 'pod' && (e.entity === 'world' || world === 'world') && reach.allowed('pod', e.id, 443)) to.push(e.id);
    }
    const order = eps().map((e) => e.id);
    return { to: to.sort((x, y) => order.indexOf(x) - order.indexOf(y)), warnings: model.warnings };
  };

  test('entities', () => {
    expect(peersOf({ toEntities: ['world'] }).to).toEqual(['world', 'world6', 'world-near']);
    expect(peersOf({ toEntities: ['world-ipv4'] }).to).toEqual(['world', 'world-near']);
    expect(peersOf({ toEntities: ['world-ipv6'] }).to).toEqual(['world6']);
    expect(peersOf({ toEntities: ['cluster'] }).to).toEqual(['host', 'remote-node', 'kube-apiserver', 'health', 'ingress']);
    expect(peersOf({ toEntities: ['remote-node', 'health'] }).to).toEqual(['remote-node', 'health']);
    expect(peersOf({ toEntities: ['all'] }).to).toHaveLength(8);
    expect(peersOf({ toEntities: ['everything'] })).toEqual({ to: [], warnings: ['CiliumClusterwideNetworkPolicy p egress[0]: unknown entity "everything" matches nothing'] });
  });

  test('CIDRs: IPv4 only, on non-pod endpoints with an address, with exceptions', () => {
    expect(peersOf({ toCIDR: ['203.0.113.10/32'] }).to).toEqual(['world']);
    expect(peersOf({ toCIDR: ['203.0.113.10'] }).to).toEqual(['world']);
    expect(peersOf({ toCIDR: ['203.0.113.11/32'] }).to).toEqual([]);
    expect(peersOf({ toCIDR: ['0.0.0.0/0'] }).to).toEqual(['world', 'world-near']);
    expect(peersOf({ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['203.0.113.0/24', 'bad'] }] }).to).toEqual(['world-near']);
    expect(peersOf({ toCIDRSet: [{ cidr: '198.51.100.0/24', except: '198.51.100.0/24' }] }).to).toEqual(['world-near']);
    expect(peersOf({ toCIDRSet: [{ cidr: '198.51.100.7/32' }, { cidr: '203.0.113.10/32' }] }).to).toEqual(['world', 'world-near']);
    for (const bad of ['2001:db8::/32', '10.0.0.0/33', '256.0.0.0/8', '10.0.0.0/x', 7]) {
      // Not judged: uncertain, so the lower bound does not allow it.
      const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, egress: [{ toCIDR: [bad] }] })]);
      const lower = model.evaluate(eps().slice(0, 2), [], { bound: 'lower' });
      expect([bad, lower.allowed('pod', 'world', 443)]).toEqual([bad, false]);
    }
    // Ingress from a CIDR.
    const ingressModel = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, ingress: [{ fromCIDR: ['198.51.100.0/24'] }] })]);
    expect(ingressModel.evaluate(eps().filter((e) => e.id !== 'world6' && e.id !== 'world-near')).allowed('world', 'pod', 80)).toBe(false);
    expect(ingressModel.evaluate(eps().filter((e) => e.id !== 'world6' && e.id !== 'world')).allowed('world-near', 'pod', 80)).toBe(true);
  });

  test('what cannot be judged offline is uncertain: allowed at the upper bound, denied at the lower, and named', () => {
    const bounds = (rule: any) => {
      const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, egress: [rule] })]);
      const list = eps().slice(0, 2).concat(eps().slice(4, 5)); // pod, world, host
      const upper = model.evaluate(list, [], { bound: 'upper' });
      const lower = model.evaluate(list, [], { bound: 'lower' });
      return {
        upper: ['world', 'host'].filter((d) => upper.allowed('pod', d, 443)),
        lower: ['world', 'host'].filter((d) => lower.allowed('pod', d, 443)),
        uncertain: upper.uncertain,
      };
    };
    expect(bounds({ toCIDRSet: [{ cidrGroupRef: 'g' }] })).toEqual({
      upper: ['world', 'host'], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: CIDR group "g" (CIDR groups are not modelled)'],
    });
    expect(bounds({ toFQDNs: [{ matchName: 'x' }] })).toEqual({
      upper: ['world'], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: toFQDNs ["x"] (which addresses a name resolves to is not known offline)'],
    });
    expect(bounds({ toServices: [{}] })).toEqual({
      upper: ['world', 'host'], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: toServices [{}] (Service backends are not modelled)'],
    });
    expect(bounds({ toGroups: [{}] })).toEqual({
      upper: ['world', 'host'], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: toGroups (cloud provider groups are not modelled)'],
    });
    expect(bounds({ toEntities: ['host'], toRequires: [{}] })).toEqual({
      upper: ['host'], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: toRequires (not modelled)'],
    });
    expect(bounds({ toEndpoints: [{}], toPorts: [{ ports: [{ port: 'http' }] }] })).toEqual({
      upper: [], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: named port "http" (the container ports of the pods it applies to are not known)'],
    });
    expect(bounds({ toNodes: [{}] })).toEqual({ upper: ['host'], lower: ['host'], uncertain: [] });
    // fromNodes at ingress.
    const nodes = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, ingress: [{ fromNodes: [{}] }] })]).evaluate(eps());
    expect(['host', 'remote-node', 'world'].map((s) => nodes.allowed(s, 'pod', 80))).toEqual([true, true, false]);
  });

});

describe('ports', () => {
  const open = (ports: any, toPortsExtra: any = {}) => {
    const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEntities: ['all'], toPorts: [{ ports, ...toPortsExtra }] }] })]);
    const reach = model.evaluate([{ id: 'src', namespace: 'a' }, { id: 'db', namespace: 'a', labels: { app: 'db' } }]);
    const probes: Array<[number, Probe['protocol']]> = [[0, 'TCP'], [1, 'TCP'], [79, 'TCP'], [80, 'TCP'], [80, 'UDP'], [80, 'SCTP'], [81, 'TCP'], [90, 'TCP'], [91, 'TCP'], [65535, 'UDP']];
    return { open: probes.filter(([port, proto]) => reach.allowed('src', 'db', port, proto)).map(([port, proto]) => `${proto}/${port}`), warnings: model.warnings };
  };

  test('single ports, ranges, protocols and "all ports"', () => {
    expect(open([{ port: '80', protocol: 'TCP' }]).open).toEqual(['TCP/80']);
    expect(open([{ port: 80, protocol: 'tcp' }]).open).toEqual(['TCP/80']);
    expect(open([{ port: '80' }]).open).toEqual(['TCP/80', 'UDP/80', 'SCTP/80']);
    expect(open([{ port: '80', protocol: 'ANY' }]).open).toEqual(['TCP/80', 'UDP/80', 'SCTP/80']);
    expect(open([{ port: '80', endPort: 90, protocol: 'TCP' }]).open).toEqual(['TCP/80', 'TCP/81', 'TCP/90']);
    expect(open([{ port: '80', endPort: 79, protocol: 'TCP' }]).open).toEqual(['TCP/80']);
    expect(open([{ port: '80', endPort: 'x', protocol: 'TCP' }]).open).toEqual(['TCP/80']);
    const all = ['TCP/0', 'TCP/1', 'TCP/79', 'TCP/80', 'UDP/80', 'SCTP/80', 'TCP/81', 'TCP/90', 'TCP/91', 'UDP/65535'];
    for (const port of [undefined, null, '', '0', 0]) expect(open([{ port, protocol: 'ANY' }]).open).toEqual(all);
    expect(open([{ protocol: 'UDP' }]).open).toEqual(['UDP/80', 'UDP/65535']);
    expect(open([]).open).toEqual(all);
    expect(open(undefined).open).toEqual(all);
    expect(open([{ port: '65535', protocol: 'UDP' }]).open).toEqual(['UDP/65535']);
  });

  test('ICMP-only rules never match TCP, UDP or SCTP; ports without peers apply to every peer', () => {
    const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, ingress: [{ fromEntities: ['all'], icmps: [{ fields: [{ type: 8 }] }] }] })]);
    const reach = model.evaluate([{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'b' }]);
    expect(['TCP', 'UDP', 'SCTP'].map((p) => reach.allowed('x', 'y', 80, p as Probe['protocol']))).toEqual([false, false, false]);
    const l4 = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, ingress: [{ icmps: [{}] }] })]).evaluate([{ id: 'x', namespace: 'a' }, { id: 'y', namespace: 'b' }]);
    expect(l4.allowed('x', 'y', 80)).toBe(false);
  });
});
