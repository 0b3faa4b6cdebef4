import { Bound, CiliumPolicyModel, ModelEndpoint, Probe, RowParts } from '../../../src/verify/model';

// Evaluation of a compiled model (Reachability): identities, matrix rows, the
// slow-path decision and its explanation, selector lookups, host policies and
// the upper/lower bound of uncertain rules.

const NS = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const TCP80: Probe = { port: 80, protocol: 'TCP' };
const NAMED_HTTP = [{ ports: [{ port: 'http' }] }];
const NAMED_PORT_NOTE = 'named port "http" (the container ports of the pods it applies to are not known)';

/** Endpoints (in this order: the identity indexes below rely on it) and the objects for the row tests. */
function rowFixture() {
  const endpoints: ModelEndpoint[] = [
    { id: 'a/web', namespace: 'a', labels: { app: 'web' } }, // 0
    { id: 'a/db', namespace: 'a', labels: { app: 'db' } }, // 1
    { id: 'b/web', namespace: 'b', labels: { app: 'web' } }, // 2
    { id: 'world', entity: 'world' }, // 3
    { id: 'host', entity: 'host' }, // 4
  ];
  const objects = [
    NS('a'), NS('b'),
    CNP('a', 'db-in', {
      endpointSelector: { matchLabels: { app: 'db' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }],
    }),
    CNP('a', 'web-out', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toEndpoints: [{ matchLabels: { app: 'db' } }] }, { toEntities: ['world', 'host'] }],
      egressDeny: [{ toEntities: ['host'] }],
    }),
    CNP('a', 'db-out', {
      endpointSelector: { matchLabels: { app: 'db' } },
      egress: [{ toEntities: ['world'] }, { toEntities: ['host'] }],
    }),
    CNP('b', 'no-a', { endpointSelector: {}, ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'a' } }] }] }),
  ];
  const probes: Probe[] = [{ port: 5432, protocol: 'TCP' }, TCP80];
  return new CiliumPolicyModel(objects).evaluate(endpoints, probes, { distinct: true });
}

/** Interval sets as plain arrays (the exact, canonical representation). */
function parts(p: RowParts): Record<keyof RowParts, number[]> {
  const a = (x: Int32Array) => Array.from(x);
  return { row: a(p.row), egress: a(p.egress), egressDeny: a(p.egressDeny), accept: a(p.accept), refuse: a(p.refuse) };
}

/** Destinations (by endpoint id) `src` may reach on TCP 80 (slow path), at a bound. */
function reachableFrom(objects: any[], endpoints: ModelEndpoint[], src: string, bound: Bound = 'upper', port = 80): string[] {
  const reach = new CiliumPolicyModel(objects).evaluate(endpoints, [], { bound });
  return endpoints.map((e) => e.id).filter((dst) => reach.allowed(src, dst, port));
}

describe('identities', () => {
  test('endpoints with the same label set share an identity whatever the key order; distinct label sets never merge', () => {
    const endpoints: ModelEndpoint[] = [
      { id: 'p1', namespace: 'a', labels: { x: '1', y: '2' } },
      { id: 'p2', namespace: 'a', labels: { y: '2', x: '1' } },
      // Not the same labels as p1, although its label text concatenates to the same string.
      { id: 'q1', namespace: 'a', labels: { x: '1k8s:y=2' } },
      { id: 'nons', labels: { x: '1' }, ip: '10.0.0.1' },
      { id: 'w', entity: 'world' },
      { id: 'h', entity: 'host', ip: '192.0.2.1' },
    ];
    const model = new CiliumPolicyModel([NS('a'), CNP('a', 'y2', { endpointSelector: { matchLabels: { y: '2' } }, ingress: [{ fromEntities: ['cluster'] }] })]);
    const reach = model.evaluate(endpoints);
    expect(reach.size).toBe(5);
    expect(reach.oneToOne).toBe(false);
    expect(reach.identities.map((id) => ({ endpoints: id.endpoints, isPod: id.isPod, namespace: id.namespace, ip: id.ip }))).toEqual([
      { endpoints: ['p1', 'p2'], isPod: true, namespace: 'a', ip: undefined },
      { endpoints: ['q1'], isPod: true, namespace: 'a', ip: undefined },
      // A pod without a namespace is in "default"; pods have no address (CIDR rules never match pods).
      { endpoints: ['nons'], isPod: true, namespace: 'default', ip: undefined },
      { endpoints: ['w'], isPod: false, namespace: undefined, ip: { v6: false, n: BigInt(203 * 2 ** 24 + 113 * 2 ** 8 + 10) } },
      { endpoints: ['h'], isPod: false, namespace: undefined, ip: { v6: false, n: BigInt(192 * 2 ** 24 + 2 * 2 ** 8 + 1) } },
    ]);
    expect(Array.from(reach.identityOfEndpoint)).toEqual([0, 0, 1, 2, 3, 4]);
    expect(['p1', 'p2', 'q1'].map((d) => reach.allowed('w', d, 80))).toEqual([false, false, true]);
    expect(reach.explain(reach.identityOf('w'), reach.identityOf('q1'), TCP80)).toBe(
      'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)');

    const distinct = model.evaluate(endpoints.filter((e) => e.id !== 'p2'), [], { distinct: true });
    expect([distinct.size, distinct.oneToOne]).toEqual([5, true]);
  });

  test('a pod label imitating a namespace label is ignored (Cilium strips it), whatever the order of the endpoints', () => {
    const policy = CCNP('red-only', { endpointSelector: { matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'red' } }, ingress: [{ fromEntities: ['cluster'] }] });
    const model = new CiliumPolicyModel([NS('b', { team: 'blue' }), NS('c'), NS('r', { team: 'red' }), policy]);
    const spoof = (ns: string): ModelEndpoint => ({ id: `${ns}/spoof`, namespace: ns, labels: { 'io.cilium.k8s.namespace.labels.team': 'red' } });
    const plain = (ns: string): ModelEndpoint => ({ id: `${ns}/plain`, namespace: ns });
    for (const ns of ['b', 'c']) {
      for (const endpoints of [[plain(ns), spoof(ns)], [spoof(ns), plain(ns)]]) {
        const reach = model.evaluate([...endpoints, plain('r'), { id: 'world', entity: 'world' }]);
        expect([ns, reach.allowed('world', `${ns}/spoof`, 80), reach.allowed('world', `${ns}/plain`, 80), reach.allowed('world', 'r/plain', 80)])
          .toEqual([ns, true, true, false]);
        expect(reach.size).toBe(3);
      }
    }
  });
});

describe('matrix rows', () => {
  test('rowParts: what the source may send to, what accepts or refuses it, and the row', () => {
    const reach = rowFixture();
    // a/web on 5432: egress to a/db, world, host (host denied); a/db accepts it; b refuses pods of a.
    expect(parts(reach.rowParts(0, 0))).toEqual({
      row: [1, 2, 3, 4], egress: [1, 2, 3, 4], egressDeny: [4, 5], accept: [0, 2, 3, 5], refuse: [2, 3],
    });
    // on 80 a/db does not accept it
    expect(parts(reach.rowParts(0, 1))).toEqual({ row: [3, 4], egress: [1, 2, 3, 4], egressDeny: [4, 5], accept: [0, 1, 3, 5], refuse: [2, 3] });
    // a/db: two allow rules, no deny
    expect(parts(reach.rowParts(1, 1))).toEqual({ row: [3, 5], egress: [3, 5], egressDeny: [], accept: [0, 1, 3, 5], refuse: [2, 3] });
    // b/web and world: no egress policy, nothing names them as peers
    expect(parts(reach.rowParts(2, 1))).toEqual({ row: [0, 1, 3, 5], egress: [0, 5], egressDeny: [], accept: [0, 1, 3, 5], refuse: [] });
    expect(parts(reach.rowParts(3, 0))).toEqual({ row: [0, 1, 3, 5], egress: [0, 5], egressDeny: [], accept: [0, 1, 3, 5], refuse: [] });
  });

  test('row, rows and rowPartsFor agree with rowParts, probe by probe', () => {
    const reach = rowFixture();
    for (let src = 0; src < reach.size; src++) {
      const one = [0, 1].map((p) => Array.from(reach.row(src, p)));
      expect(reach.rows(src, [0, 1, 0]).map((r) => Array.from(r))).toEqual([one[0], one[1], one[0]]);
      expect(reach.rowPartsFor(src, [1, 0]).map(parts)).toEqual([parts(reach.rowParts(src, 1)), parts(reach.rowParts(src, 0))]);
    }
    expect(reach.rows(0, [0, 1]).map((r) => Array.from(r))).toEqual([[1, 2, 3, 4], [3, 4]]);
    expect(reach.rows(0, [])).toEqual([]);
  });

  test('probes under which different rules apply (as many of them) do not share a row', () => {
    const endpoints: ModelEndpoint[] = [
      { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
      { id: 'a/db', namespace: 'a', labels: { app: 'db' } },
      { id: 'world', entity: 'world' },
    ];
    const objects = [CNP('a', 'web-out', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [
        { toEndpoints: [{ matchLabels: { app: 'db' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
        { toEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      ],
    })];
    const probes: Probe[] = [{ port: 5432, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }, TCP80];
    const reach = new CiliumPolicyModel(objects).evaluate(endpoints, probes);
    expect(reach.rowPartsFor(0, [0, 1, 2]).map((r) => Array.from(r.row))).toEqual([[1, 2], [2, 3], []]);
    expect(reach.rows(0, [1, 0]).map((r) => Array.from(r))).toEqual([[2, 3], [1, 2]]);
  });
});

describe('decide', () => {
  test('each direction says how it was decided: allowed by rules, default-deny with the selecting policy, or unrestricted', () => {
    const reach = rowFixture();
    expect(reach.decide(0, 1, { port: 5432, protocol: 'TCP' })).toEqual({
      allowed: true,
      reason: 'egress allowed by CiliumNetworkPolicy a/web-out egress[0]; ingress allowed by CiliumNetworkPolicy a/db-in ingress[0]',
      egress: { allowed: true, how: 'allowed', rules: ['CiliumNetworkPolicy a/web-out egress[0]'] },
      ingress: { allowed: true, how: 'allowed', rules: ['CiliumNetworkPolicy a/db-in ingress[0]'] },
      uncertain: [],
    });
    const fromB = reach.decide(2, 1, { port: 5432, protocol: 'TCP' });
    expect(fromB.egress).toStrictEqual({ allowed: true, how: 'unrestricted', rules: [] });
    expect(fromB.ingress).toStrictEqual({ allowed: false, how: 'default-deny', rules: [], selectedBy: 'CiliumNetworkPolicy a/db-in' });
    expect(fromB.uncertain).toStrictEqual([]);
    // no uncertain rule among the deciding ones: nothing listed (not even an empty entry)
    expect(reach.decide(0, 1, { port: 5432, protocol: 'TCP' }).uncertain).toStrictEqual([]);
    expect(reach.decide(0, 4, TCP80)).toEqual({
      allowed: false,
      reason: 'egress denied by CiliumNetworkPolicy a/web-out egressDeny[0]; ingress unrestricted (no ingress policy selects the destination)',
      egress: { allowed: false, how: 'denied', rules: ['CiliumNetworkPolicy a/web-out egressDeny[0]'] },
      ingress: { allowed: true, how: 'unrestricted', rules: [] },
      uncertain: [],
    });
  });

  test('the uncertain rules among those that decided a cell are listed, egress and ingress', () => {
    const endpoints: ModelEndpoint[] = [
      { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
      { id: 'a/db', namespace: 'a', labels: { app: 'db' } },
      { id: 'a/other', namespace: 'a', labels: { app: 'other' } },
    ];
    const objects = [
      CNP('a', 'x', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [{ matchLabels: { app: 'db' } }], toPorts: NAMED_HTTP }, { toEndpoints: [{}] }] }),
      CNP('a', 'y', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: 'pg' }] }] }] }),
    ];
    const reach = new CiliumPolicyModel(objects).evaluate(endpoints);
    const ruleX = `CiliumNetworkPolicy a/x egress[0]: ${NAMED_PORT_NOTE}`;
    const ruleY = 'CiliumNetworkPolicy a/y ingress[0]: named port "pg" (the container ports of the pods it applies to are not known)';
    expect(reach.decide(0, 1, TCP80).uncertain).toEqual([ruleX, ruleY]);
    expect(reach.decide(0, 1, TCP80).allowed).toBe(true);
    // a/other: only the certain egress[1] applies
    expect(reach.decide(0, 2, TCP80)).toMatchObject({ allowed: true });
    expect(reach.decide(0, 2, TCP80).uncertain).toStrictEqual([]);
    expect(reach.uncertain).toEqual([ruleX, ruleY]);
  });
});

describe('selector lookups', () => {
  test('a namespace label shared by namespaces whose pods interleave selects all of them', () => {
    const objects = [
      NS('a', { team: 'red' }), NS('b', { team: 'blue' }), NS('c', { team: 'red' }),
      CCNP('red-in', { endpointSelector: { matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'red' } }, ingress: [{ fromEntities: ['cluster'] }] }),
    ];
    const endpoints: ModelEndpoint[] = [
      { id: 'a/x', namespace: 'a' },
      { id: 'b/y', namespace: 'b' },
      { id: 'c/z', namespace: 'c' },
      { id: 'a/w', namespace: 'a', labels: { app: 'w' } },
      { id: 'world', entity: 'world' },
    ];
    const reach = new CiliumPolicyModel(objects).evaluate(endpoints);
    expect(endpoints.map((e) => e.id).filter((d) => reach.allowed('world', d, 80))).toEqual(['b/y', 'world']);
    expect(endpoints.map((e) => e.id).filter((d) => reach.allowed('b/y', d, 80))).toEqual(['a/x', 'b/y', 'c/z', 'a/w', 'world']);
    // fromEndpoints on the same label
    const out = new CiliumPolicyModel([...objects.slice(0, 3), CCNP('to-red', {
      endpointSelector: { matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue' } },
      egress: [{ toEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'red' } }] }],
    })]).evaluate(endpoints);
    expect(endpoints.map((e) => e.id).filter((d) => out.allowed('b/y', d, 80))).toEqual(['a/x', 'c/z', 'a/w']);
  });

  test('a label key without source matches pod labels and reserved labels alike', () => {
    const endpoints: ModelEndpoint[] = [
      { id: 'host', entity: 'host' },
      { id: 'a/h', namespace: 'a', labels: { host: '' } },
      { id: 'world', entity: 'world' },
      { id: 'a/x', namespace: 'a' },
      { id: 'b/h', namespace: 'b', labels: { host: '' } },
      { id: 'a/client', namespace: 'a', labels: { app: 'client' } },
    ];
    // Naming the namespace key turns off namespace narrowing, so entities can match.
    const anyNamespace = [{ key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['nowhere'] }];
    const to = (matchLabels: Record<string, string>) => [CCNP('p', {
      endpointSelector: { matchLabels: { app: 'client' } },
      egress: [{ toEndpoints: [{ matchLabels, matchExpressions: anyNamespace }] }],
    })];
    expect(reachableFrom(to({ host: '' }), endpoints, 'a/client')).toEqual(['host', 'a/h', 'b/h']);
    expect(reachableFrom(to({ world: '' }), endpoints, 'a/client')).toEqual(['world']);
    expect(reachableFrom(to({ 'reserved:host': '' }), endpoints, 'a/client')).toEqual(['host']);
    expect(reachableFrom(to({ 'k8s:host': '' }), endpoints, 'a/client')).toEqual(['a/h', 'b/h']);
  });
});

describe('uncertainty notes', () => {
  test('the same uncertain rule is named once, even when the policy object is given twice', () => {
    const policy = CNP('a', 'dup', { endpointSelector: {}, egress: [{ toEndpoints: [{}], toPorts: NAMED_HTTP }] });
    const reach = new CiliumPolicyModel([policy, policy]).evaluate([{ id: 'a/p', namespace: 'a' }]);
    expect(reach.uncertain).toEqual([`CiliumNetworkPolicy a/dup egress[0]: ${NAMED_PORT_NOTE}`]);
    expect(reach.rules).toHaveLength(2);
  });

  test('rules that matter for no endpoint are not compiled nor named', () => {
    const endpoints: ModelEndpoint[] = [{ id: 'a/web', namespace: 'a', labels: { app: 'web' } }, { id: 'world', entity: 'world' }];
    const model = new CiliumPolicyModel([
      // selects no endpoint
      CNP('empty', 'fqdn', { endpointSelector: {}, egress: [{ toFQDNs: [{ matchName: 'example.com' }] }] }),
      // selects a/web, but the rule's peers match no endpoint
      CNP('a', 'nobody', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { app: 'nobody' } }], toPorts: NAMED_HTTP }] }),
    ]);
    for (const bound of ['upper', 'lower'] as const) {
      const reach = model.evaluate(endpoints, [], { bound });
      expect([bound, reach.uncertain, reach.rules.length]).toEqual([bound, [], 0]);
      expect(reach.allowed('a/web', 'world', 80)).toBe(false);
    }
  });
});

describe('compiling policies', () => {
  test('rules of a policy with several specs are named after their spec', () => {
    const endpoints: ModelEndpoint[] = [{ id: 'a/web', namespace: 'a', labels: { app: 'web' } }, { id: 'world', entity: 'world' }];
    const reach = new CiliumPolicyModel([{
      ...CNP('a', 'multi', undefined),
      specs: [{ endpointSelector: { matchLabels: { app: 'nobody' } } }, { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEntities: ['world'] }, { toEndpoints: [{}], toPorts: NAMED_HTTP }] }],
    }]).evaluate(endpoints);
    expect(reach.explain(0, 1, TCP80)).toBe('egress allowed by CiliumNetworkPolicy a/multi specs[1] egress[0]; ingress unrestricted (no ingress policy selects the destination)');
    expect(reach.uncertain).toEqual([`CiliumNetworkPolicy a/multi specs[1] egress[1]: ${NAMED_PORT_NOTE}`]);
  });

  test('rules that are not objects are skipped, keeping the index of the others', () => {
    const endpoints: ModelEndpoint[] = [{ id: 'a/web', namespace: 'a' }, { id: 'world', entity: 'world' }];
    const reach = new CiliumPolicyModel([CNP('a', 'in', { endpointSelector: {}, ingress: [undefined, null, 7, 'x', { fromEntities: ['world'] }] })]).evaluate(endpoints);
    expect(reach.explain(1, 0, TCP80)).toBe('egress unrestricted (no egress policy selects the source); ingress allowed by CiliumNetworkPolicy a/in ingress[4]');
  });

  test('an uncertain port counts at the permissive end: allow rules at the upper bound, deny rules at the lower', () => {
    const endpoints: ModelEndpoint[] = [{ id: 'a/web', namespace: 'a', labels: { app: 'web' } }, { id: 'a/db', namespace: 'a', labels: { app: 'db' } }];
    const allow = [CNP('a', 'allow', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [{}], toPorts: NAMED_HTTP }] })];
    const deny = [CNP('a', 'deny', {
      endpointSelector: { matchLabels: { app: 'web' } },
      egress: [{ toEndpoints: [{}] }],
      egressDeny: [{ toEndpoints: [{}], toPorts: NAMED_HTTP }],
    })];
    expect(reachableFrom(allow, endpoints, 'a/web', 'upper')).toEqual(['a/web', 'a/db']);
    expect(reachableFrom(allow, endpoints, 'a/web', 'lower')).toEqual([]);
    expect(reachableFrom(deny, endpoints, 'a/web', 'upper')).toEqual(['a/web', 'a/db']);
    expect(reachableFrom(deny, endpoints, 'a/web', 'lower')).toEqual([]);
    for (const bound of ['upper', 'lower'] as const) {
      const reach = new CiliumPolicyModel(deny).evaluate(endpoints, [TCP80], { bound });
      expect([bound, Array.from(reach.row(0, 0))]).toEqual([bound, bound === 'upper' ? [0, 2] : []]);
      expect(reach.uncertain).toEqual([`CiliumNetworkPolicy a/deny egressDeny[0]: ${NAMED_PORT_NOTE}`]);
    }
    const lowerDeny = new CiliumPolicyModel(deny).evaluate(endpoints, [], { bound: 'lower' });
    expect(lowerDeny.explain(0, 1, TCP80)).toBe('egress denied by CiliumNetworkPolicy a/deny egressDeny[0]; ingress unrestricted (no ingress policy selects the destination)');
  });

  test('an uncertain CIDR group never matches pods, even at the upper bound', () => {
    const endpoints: ModelEndpoint[] = [{ id: 'a/web', namespace: 'a' }, { id: 'a/db', namespace: 'a' }, { id: 'world', entity: 'world' }, { id: 'host', entity: 'host' }];
    const objects = [CCNP('g', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidrGroupRef: 'g' }] }] })];
    expect(reachableFrom(objects, endpoints, 'a/web', 'upper')).toEqual(['world', 'host']);
    expect(reachableFrom(objects, endpoints, 'a/web', 'lower')).toEqual([]);
  });

  test('host policies: an empty nodeSelector selects every node; one with labels may or may not', () => {
    const endpoints: ModelEndpoint[] = [
      { id: 'a/web', namespace: 'a' },
      { id: 'world', entity: 'world' },
      { id: 'host', entity: 'host' },
      { id: 'remote-node', entity: 'remote-node' },
    ];
    const spec = { ingress: [{ fromEntities: ['cluster'] }] };
    const all = new CiliumPolicyModel([CCNP('host-fw', { nodeSelector: {}, ...spec })]).evaluate(endpoints);
    expect(endpoints.map((e) => e.id).filter((d) => all.allowed('world', d, 80))).toEqual(['a/web', 'world']);
    expect(all.explain(1, 2, TCP80)).toBe('egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy host-fw)');
    expect(all.allowed('a/web', 'remote-node', 80)).toBe(true);
    expect(all.uncertain).toEqual([]);

    const some = new CiliumPolicyModel([CCNP('edge', { nodeSelector: { matchLabels: { role: 'edge' } }, ...spec })]);
    const note = 'CiliumClusterwideNetworkPolicy edge: nodeSelector {"matchLabels":{"role":"edge"}} (node labels are not modelled)';
    const upper = some.evaluate(endpoints);
    expect(endpoints.map((e) => e.id).filter((d) => upper.allowed('world', d, 80))).toEqual(['a/web', 'world', 'host', 'remote-node']);
    expect(upper.uncertain).toEqual([note]);
    const lower = some.evaluate(endpoints, [], { bound: 'lower' });
    expect(endpoints.map((e) => e.id).filter((d) => lower.allowed('world', d, 80))).toEqual(['a/web', 'world']);
    expect(lower.allowed('a/web', 'host', 80)).toBe(true);
    expect(lower.uncertain).toEqual([note]);
    // Without node endpoints there is nothing to be uncertain about.
    for (const bound of ['upper', 'lower'] as const) {
      const noNodes = some.evaluate(endpoints.slice(0, 2), [], { bound });
      expect([bound, noNodes.uncertain, noNodes.allowed('world', 'a/web', 80)]).toEqual([bound, [], true]);
    }
    expect(some.warnings).toEqual([]);
  });

  test('a spec with neither selector is ignored with a warning, also when there are nodes', () => {
    const endpoints: ModelEndpoint[] = [{ id: 'a/web', namespace: 'a' }, { id: 'host', entity: 'host' }];
    for (const bound of ['upper', 'lower'] as const) {
      const model = new CiliumPolicyModel([CCNP('none', { ingress: [{}] }), CCNP('null', { nodeSelector: null, ingress: [{}] })]);
      const reach = model.evaluate(endpoints, [], { bound });
      expect([bound, reach.uncertain, reach.allowed('a/web', 'host', 80)]).toEqual([bound, [], true]);
      expect(model.warnings).toEqual([
        'CiliumClusterwideNetworkPolicy none has neither endpointSelector nor nodeSelector; ignored',
        'CiliumClusterwideNetworkPolicy null has neither endpointSelector nor nodeSelector; ignored',
      ]);
    }
  });
});
