import { Bound, CiliumPolicyModel, ModelEndpoint, Probe } from '../../../src/verify/model';

const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const TCP443: Probe = { port: 443, protocol: 'TCP' };

/** A source and a destination pod, pods in `a` and `b`, two world endpoints (distinct addresses) and the host. */
function endpoints(): ModelEndpoint[] {
  return [
    { id: 'src', namespace: 'a', labels: { role: 'src' } },
    { id: 'dst', namespace: 'a', labels: { role: 'dst' } },
    { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
    { id: 'b/web', namespace: 'b', labels: { app: 'web' } },
    { id: 'world', entity: 'world' }, // 203.0.113.10
    { id: 'world-near', entity: 'world', ip: '198.51.100.7' },
    { id: 'host', entity: 'host' },
  ];
}

/** Evaluates at both bounds; `pairs` lists the endpoint pairs allowed to talk on `probe` at each. */
function bounds(policies: any[], pairs: (reach: ReturnType<CiliumPolicyModel['evaluate']>) => string[], eps: ModelEndpoint[]) {
  const model = new CiliumPolicyModel(policies);
  const at = (bound: Bound) => model.evaluate(eps, [], { bound, distinct: true });
  const upper = at('upper');
  const lower = at('lower');
  return { upper: pairs(upper), lower: pairs(lower), uncertain: upper.uncertain, warnings: model.warnings };
}

/** Where `src` may connect to under one egress rule (at both bounds), and what is uncertain about it. */
function egress(rule: any, probe: Probe = TCP443, eps: ModelEndpoint[] = endpoints()) {
  const policy = CCNP('p', { endpointSelector: { matchLabels: { role: 'src' } }, egress: [rule] });
  return bounds([policy], (reach) => eps.filter((e) => e.id !== 'src'
    && reach.decide(reach.identityOf('src'), reach.identityOf(e.id), probe).allowed).map((e) => e.id), eps);
}

/** Who may connect to `dst` under one ingress rule (at both bounds), and what is uncertain about it. */
function ingress(rule: any, probe: Probe = TCP443, eps: ModelEndpoint[] = endpoints()) {
  const policy = CCNP('p', { endpointSelector: { matchLabels: { role: 'dst' } }, ingress: [rule] });
  return bounds([policy], (reach) => eps.filter((e) => e.id !== 'dst'
    && reach.decide(reach.identityOf(e.id), reach.identityOf('dst'), probe).allowed).map((e) => e.id), eps);
}

const PROBES: Probe[] = [
  { port: 53, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }, { port: 53, protocol: 'UDP' },
  { port: 0, protocol: 'ICMP' }, { port: 3, protocol: 'ICMP' }, { port: 8, protocol: 'ICMP' },
];

/** The probes on which `src` reaches `dst` under an ingress rule from every peer with the given ports part (at both bounds). */
function open(ports: any) {
  const eps: ModelEndpoint[] = [{ id: 'src', namespace: 'a' }, { id: 'dst', namespace: 'a', labels: { role: 'dst' } }];
  const model = new CiliumPolicyModel([CCNP('p', { endpointSelector: { matchLabels: { role: 'dst' } }, ingress: [{ fromEntities: ['all'], ...ports }] })]);
  const at = (bound: Bound) => {
    const reach = model.evaluate(eps, [], { bound });
    return PROBES.filter((p) => reach.allowed('src', 'dst', p.port, p.protocol)).map((p) => `${p.protocol}/${p.port}`);
  };
  return { upper: at('upper'), lower: at('lower'), uncertain: model.evaluate(eps).uncertain };
}

describe('peers that no endpoint has', () => {
  test('a rule whose peers are all absent is left out: its uncertainty is not reported and it allows nothing', () => {
    const namedPort = { toPorts: [{ ports: [{ port: 'http' }] }] };
    for (const peers of [{ Entities: ['init'] }, { CIDR: ['192.0.2.0/24'] }]) {
      const from = Object.fromEntries(Object.entries(peers).map(([k, v]) => [`from${k}`, v]));
      const to = Object.fromEntries(Object.entries(peers).map(([k, v]) => [`to${k}`, v]));
      expect([peers, ingress({ ...from, ...namedPort })]).toEqual([peers, { upper: [], lower: [], uncertain: [], warnings: [] }]);
      expect([peers, egress({ ...to, ...namedPort })]).toEqual([peers, { upper: [], lower: [], uncertain: [], warnings: [] }]);
    }
  });

  test('toFQDNs without any world endpoint: nothing to reach, nothing uncertain', () => {
    const eps = endpoints().filter((e) => e.entity !== 'world');
    expect(egress({ toFQDNs: [{ matchName: 'example.com' }] }, TCP443, eps)).toEqual({ upper: [], lower: [], uncertain: [], warnings: [] });
  });

  test('a policy that selects no endpoint reports nothing uncertain', () => {
    const policy = CCNP('p', { endpointSelector: { matchLabels: { app: 'none' } }, ingress: [{ fromEntities: ['all'], toPorts: [{ ports: [{ port: 'http' }] }] }] });
    const reach = new CiliumPolicyModel([policy]).evaluate(endpoints());
    expect(reach.uncertain).toEqual([]);
    expect(reach.allowed('world', 'a/web', 80)).toBe(true);
  });

  test('an endpoint selector among endpoints without pods selects nothing', () => {
    const eps: ModelEndpoint[] = [{ id: 'world', entity: 'world' }, { id: 'host', entity: 'host' }];
    const reach = new CiliumPolicyModel([CCNP('p', { endpointSelector: {}, ingress: [{}] })]).evaluate(eps);
    expect(reach.allowed('world', 'host', 80)).toBe(true);
  });
});

describe('CIDR peers', () => {
  test('CIDR groups (by reference, by selector, or a malformed entry) are uncertain, on non-pod peers', () => {
    expect(egress({ toCIDRSet: [null, { cidrGroupSelector: { matchLabels: { g: 'x' } } }, { cidrGroupRef: 'r', cidrGroupSelector: {} }] })).toEqual({
      upper: ['world', 'world-near', 'host'],
      lower: [],
      uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: CIDR group null (CIDR groups are not modelled); '
        + 'CIDR group {"matchLabels":{"g":"x"}} (CIDR groups are not modelled); CIDR group "r" (CIDR groups are not modelled)'],
      warnings: [],
    });
  });

  test('an IPv6 CIDR never contains an IPv4 address: determined, it matches none of the IPv4 endpoints', () => {
    // (changed: IPv6 CIDRs used to make the cells undetermined)
    expect(egress({ toCIDR: ['2001:db8::/32'] })).toEqual({ upper: [], lower: [], uncertain: [], warnings: [] });
    expect(egress({ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['::/0'] }] }).upper).toEqual(egress({ toCIDR: ['0.0.0.0/0'] }).upper);
  });

  test('except: an address equal to an exception bound is excepted; addresses on either side are not', () => {
    const to = (except: string[]) => egress({ toCIDRSet: [{ cidr: '0.0.0.0/0', except }] }).lower;
    expect(to(['203.0.113.10/32'])).toEqual(['world-near']);
    expect(to(['203.0.113.10/31'])).toEqual(['world-near']); // .10-.11: the address is the first
    expect(to(['203.0.113.8/31'])).toEqual(['world', 'world-near']); // .8-.9: below the address
    expect(to(['198.51.100.0/24'])).toEqual(['world']); // exception below the world address
    expect(to(['203.0.113.0/24'])).toEqual(['world-near']); // exception above the near address
    expect(egress({ fromCIDRSet: [{ cidr: '0.0.0.0/0' }] }).lower).toEqual([]);
  });
});

describe('FQDNs, nodes, services', () => {
  test('toFQDNs in an ingress rule is not a peer', () => {
    expect(ingress({ fromEntities: ['host'], toFQDNs: [{ matchName: 'example.com' }] })).toEqual({ upper: ['host'], lower: ['host'], uncertain: [], warnings: [] });
  });

  test('toFQDNs names the names and patterns given, skipping entries with neither', () => {
    expect(egress({ toFQDNs: [null, { matchPattern: '*.example.com' }, {}, { matchName: 'a.example.com' }] })).toEqual({
      upper: ['world', 'world-near'],
      lower: [],
      uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: toFQDNs ["*.example.com","a.example.com"] (which addresses a name resolves to is not known offline)'],
      warnings: [],
    });
  });

  test('toNodes with labels may or may not match a node', () => {
    expect(egress({ toNodes: [{ matchLabels: { role: 'edge' } }] })).toEqual({
      upper: ['host'],
      lower: [],
      uncertain: ['CiliumClusterwideNetworkPolicy p egress[0]: toNodes {"matchLabels":{"role":"edge"}} (node labels are not modelled)'],
      warnings: [],
    });
  });

  test('a long toServices is named by its first 200 characters', () => {
    const services = [{ k8sService: { serviceName: 'x'.repeat(300), namespace: 'a' } }];
    const head = '[{"k8sService":{"serviceName":"' + 'x'.repeat(200 - 31);
    expect(egress({ toServices: services }).uncertain).toEqual([`CiliumClusterwideNetworkPolicy p egress[0]: toServices ${head} (Service backends are not modelled)`]);
  });
});

describe('named ports resolved against the pods\' container ports', () => {
  const HTTP = { http: { port: 8080, protocol: 'TCP' } };
  const pods = (extra: ModelEndpoint[] = []): ModelEndpoint[] => [
    { id: 'client', namespace: 'a', labels: { role: 'client' }, ports: {} },
    { id: 'web', namespace: 'a', labels: { app: 'web' }, ports: HTTP },
    { id: 'db', namespace: 'a', labels: { app: 'db' }, ports: { pg: { port: 5432, protocol: 'TCP' } } },
    { id: 'unknown', namespace: 'a', labels: { app: 'unknown' } },
    { id: 'world', entity: 'world' },
    ...extra,
  ];
  /** Who reaches `dst` on the probe at both bounds, and the uncertain rules. */
  const into = (policies: any[], dst: string, probe: Probe, eps: ModelEndpoint[] = pods()) => {
    const model = new CiliumPolicyModel(policies);
    const at = (bound: Bound) => model.evaluate(eps, [probe], { bound, distinct: true });
    const ids = eps.map((e) => e.id).filter((id) => id !== dst);
    const u = at('upper');
    const l = at('lower');
    const from = (r: typeof u) => ids.filter((x) => r.allowed(x, dst, probe.port, probe.protocol));
    return { upper: from(u), lower: from(l), uncertain: u.uncertain };
  };
  const ingressHttp = CNP('a', 'in', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { role: 'client' } }], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }] });

  test('ingress: the selected pod\'s own port of that name, exactly; a pod without it admits nothing; a pod whose ports are not known is undetermined', () => {
    expect(into([ingressHttp], 'web', { protocol: 'TCP', port: 8080 })).toMatchObject({ upper: ['client'], lower: ['client'] });
    expect(into([ingressHttp], 'web', { protocol: 'TCP', port: 8081 })).toMatchObject({ upper: [], lower: [] });
    // a UDP probe on the same number: the port is TCP
    expect(into([ingressHttp], 'web', { protocol: 'UDP', port: 8080 })).toMatchObject({ upper: [], lower: [] });
    expect(into([ingressHttp], 'db', { protocol: 'TCP', port: 8080 })).toMatchObject({ upper: [], lower: [] });
    expect(into([ingressHttp], 'db', { protocol: 'TCP', port: 5432 })).toMatchObject({ upper: [], lower: [] });
    const unknown = into([ingressHttp], 'unknown', { protocol: 'TCP', port: 8080 });
    expect(unknown).toEqual({ upper: ['client'], lower: [], uncertain: ['CiliumNetworkPolicy a/in ingress[0]: named port "http" (the container ports of the pods it applies to are not known)'] });
  });

  test('a NetworkPolicy\'s named port (TCP unless given) resolves the same way', () => {
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'a' }, spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }] }] } };
    expect(into([np], 'web', { protocol: 'TCP', port: 8080 })).toMatchObject({ upper: ['client', 'db', 'unknown', 'world'], lower: ['client', 'db', 'unknown', 'world'] });
    expect(into([np], 'web', { protocol: 'TCP', port: 80 })).toMatchObject({ upper: [], lower: [] });
    const udp = { ...np, spec: { ...np.spec, ingress: [{ ports: [{ port: 'http', protocol: 'UDP' }] }] } };
    expect(into([udp], 'web', { protocol: 'TCP', port: 8080 })).toMatchObject({ upper: [], lower: [] });
  });

  test('egress: the peer\'s port of that name; other peers get the numbers pods give the name as "maybe" (cluster-wide resolution of older Cilium releases)', () => {
    const egressHttp = CNP('a', 'out', { endpointSelector: { matchLabels: { role: 'client' } }, egress: [{ toEndpoints: [{}], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }] });
    const from = (dst: string, port: number, eps: ModelEndpoint[] = pods()) => {
      const model = new CiliumPolicyModel([egressHttp]);
      const probe: Probe = { protocol: 'TCP', port };
      const u = model.evaluate(eps, [probe], { bound: 'upper', distinct: true });
      const l = model.evaluate(eps, [probe], { bound: 'lower', distinct: true });
      return [u.allowed('client', dst, port, 'TCP'), l.allowed('client', dst, port, 'TCP')];
    };
    expect(from('web', 8080)).toEqual([true, true]);
    expect(from('web', 9090)).toEqual([false, false]);
    expect(from('db', 8080)).toEqual([true, false]);
    expect(from('db', 5432)).toEqual([false, false]);
    expect(from('unknown', 1234)).toEqual([true, false]);
    // two pods give "http" different numbers: neither is certain
    const conflict = pods([{ id: 'web2', namespace: 'a', labels: { app: 'web2' }, ports: { http: { port: 9090, protocol: 'TCP' } } }]);
    expect(from('web', 8080, conflict)).toEqual([true, false]);
    expect(from('web2', 9090, conflict)).toEqual([true, false]);
    expect(from('web2', 8080, conflict)).toEqual([false, false]); // its own number only: older releases ignore a conflicting name, newer ones resolve it per peer
    expect(from('web2', 7070, conflict)).toEqual([false, false]);
  });

  test('a named port without a protocol (ANY) resolves to the port of any protocol; an allow and a deny rule naming it judge "maybe" each at their own end', () => {
    const any = CNP('a', 'in', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { role: 'client' } }], toPorts: [{ ports: [{ port: 'http' }] }] }] });
    expect(into([any], 'web', { protocol: 'TCP', port: 8080 })).toMatchObject({ upper: ['client'], lower: ['client'] });
    // an allow and a deny rule on the same named port of a pod whose ports are not known: allowed at the upper bound
    // (the allow may apply, the deny may not), denied at the lower (the deny may apply)
    const both = CNP('a', 'both', {
      endpointSelector: {},
      ingress: [{ fromEndpoints: [{ matchLabels: { role: 'client' } }], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }],
      ingressDeny: [{ fromEndpoints: [{ matchLabels: { role: 'client' } }], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }],
    });
    expect(into([both], 'unknown', { protocol: 'TCP', port: 8080 })).toMatchObject({ upper: ['client'], lower: [] });
    // on the pod that names the port, the deny holds for sure
    expect(into([both], 'web', { protocol: 'TCP', port: 8080 })).toMatchObject({ upper: [], lower: [] });
  });

  test('endpoints with the same labels but different named ports are different identities', () => {
    const model = new CiliumPolicyModel([]);
    const r = model.evaluate([
      { id: 'x', namespace: 'a', labels: { app: 'w' }, ports: HTTP },
      { id: 'y', namespace: 'a', labels: { app: 'w' }, ports: { http: { port: 9090, protocol: 'TCP' } } },
      { id: 'z', namespace: 'a', labels: { app: 'w' }, ports: HTTP },
    ]);
    expect([...r.identityOfEndpoint]).toEqual([0, 1, 0]);
  });
});

describe('ports', () => {
  test('a null ports section, or a null port, is every port and protocol (ICMP aside)', () => {
    const all = { upper: ['TCP/53', 'TCP/80', 'TCP/81', 'UDP/53'], lower: ['TCP/53', 'TCP/80', 'TCP/81', 'UDP/53'], uncertain: [] };
    expect(open({ toPorts: [null] })).toEqual(all);
    expect(open({ toPorts: [{ ports: [null] }] })).toEqual(all);
    expect(open({ toPorts: [{ ports: [{ protocol: 'TCP' }] }] })).toEqual({ ...all, upper: all.upper.slice(0, 3), lower: all.lower.slice(0, 3) });
    expect(open({ toPorts: [{ ports: [{ port: '0' }] }] })).toEqual(all);
  });

  test('named ports (and numbers out of range) may be any port of their protocol: uncertain', () => {
    for (const port of ['http', '-1', '65536', '1.5']) {
      expect([port, open({ toPorts: [{ ports: [{ port, protocol: 'TCP' }] }] })]).toEqual([port, {
        upper: ['TCP/53', 'TCP/80', 'TCP/81'],
        lower: [],
        uncertain: [`CiliumClusterwideNetworkPolicy p ingress[0]: named port ${JSON.stringify(port)} (the container ports of the pods it applies to are not known)`],
      }]);
    }
  });

  test('a certain port next to a named one: only the certain port holds at the lower bound', () => {
    expect(open({ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }, { port: 'dns', protocol: 'UDP' }] }] })).toEqual({
      upper: ['TCP/80', 'UDP/53'],
      lower: ['TCP/80'],
      uncertain: ['CiliumClusterwideNetworkPolicy p ingress[0]: named port "dns" (the container ports of the pods it applies to are not known)'],
    });
  });

  test('ICMP types by number, numeric string and name; unknown names are uncertain', () => {
    expect(open({ icmps: [{ fields: [{ type: 8 }] }] })).toEqual({ upper: ['ICMP/8'], lower: ['ICMP/8'], uncertain: [] });
    expect(open({ icmps: [null, { fields: [{ type: '3' }, { type: 'EchoReply' }] }] })).toEqual({ upper: ['ICMP/0', 'ICMP/3'], lower: ['ICMP/0', 'ICMP/3'], uncertain: [] });
    expect(open({ icmps: [{ fields: [{ type: 'EchoRequest' }] }] })).toEqual({ upper: ['ICMP/8'], lower: ['ICMP/8'], uncertain: [] });
    expect(open({ icmps: [{ fields: [{ type: 'Bogus' }] }] })).toEqual({
      upper: ['ICMP/0', 'ICMP/3', 'ICMP/8'], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p ingress[0]: ICMP type "Bogus" of family "IPv4" (not modelled)'],
    });
    expect(open({ icmps: [{ fields: [null] }] })).toEqual({
      upper: ['ICMP/0', 'ICMP/3', 'ICMP/8'], lower: [], uncertain: ['CiliumClusterwideNetworkPolicy p ingress[0]: ICMP type undefined of family "IPv4" (not modelled)'],
    });
    // ICMP without fields matches nothing, and is not uncertain.
    expect(open({ icmps: [{}] })).toEqual({ upper: [], lower: [], uncertain: [] });
  });

  test('L4 ports never match ICMP; a rule without ports or ICMP matches everything', () => {
    expect(open({ toPorts: [{ ports: [{ port: '0', protocol: 'ANY' }] }] }).lower).toEqual(['TCP/53', 'TCP/80', 'TCP/81', 'UDP/53']);
    expect(open({}).lower).toEqual(PROBES.map((p) => `${p.protocol}/${p.port}`));
  });
});

describe('L7 rules', () => {
  const uncertainty = (what: string) => [`CiliumClusterwideNetworkPolicy p ingress[0]: L7 rules (${what}) filter requests on the port (not modelled)`];
  const l7 = (extra: any) => open({ toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], ...extra }] });

  test('allow-everything DNS and HTTP rules, and empty rule lists, are certain', () => {
    for (const extra of [{ rules: { dns: [{ matchPattern: '*' }, { matchPattern: '*' }] } }, { rules: { http: [{}] } }, { rules: { dns: [], http: [], kafka: [] } }, { serverNames: [] }]) {
      expect([extra, l7(extra)]).toEqual([extra, { upper: ['TCP/53', 'UDP/53'], lower: ['TCP/53', 'UDP/53'], uncertain: [] }]);
    }
  });

  test('other L7 rules filter requests: allowed at the upper bound only, and named', () => {
    const cases: Array<[any, string]> = [
      [{ rules: { dns: [{ matchName: 'example.com' }] } }, 'dns'],
      [{ rules: { dns: [{ matchPattern: '*' }, { matchPattern: '*.example.com' }] } }, 'dns'],
      [{ rules: { dns: [null] } }, 'dns'],
      [{ rules: { dns: [{}] } }, 'dns'],
      [{ rules: { http: [{ method: 'GET' }] } }, 'http'],
      [{ rules: { http: [{}, { path: '/x' }] } }, 'http'],
      [{ rules: { http: [null] } }, 'http'],
      [{ rules: { http: [[]] } }, 'http'],
      [{ rules: { http: [{ matchPattern: '*' }] } }, 'http'],
      [{ rules: { kafka: [{}] } }, 'kafka'],
      [{ rules: { kafka: [{ matchPattern: '*' }] } }, 'kafka'],
      [{ serverNames: ['example.com'] }, 'serverNames'],
      [{ listener: { name: 'l' } }, 'listener'],
      [{ terminatingTLS: { secret: { name: 's' } } }, 'TLS'],
      [{ originatingTLS: { secret: { name: 's' } } }, 'TLS'],
      [{ rules: { dns: [{ matchName: 'x' }], http: [{ path: '/' }] }, serverNames: ['s'], listener: {}, terminatingTLS: {}, originatingTLS: {} },
        'dns, http, serverNames, listener, TLS'],
    ];
    for (const [extra, what] of cases) {
      expect([extra, l7(extra)]).toEqual([extra, { upper: ['TCP/53', 'UDP/53'], lower: [], uncertain: uncertainty(what) }]);
    }
  });
});

describe('selectors', () => {
  test('a null selector and a null expression match nothing, with a warning', () => {
    expect(ingress({ fromEndpoints: [null] })).toEqual({
      upper: [], lower: [], uncertain: [], warnings: ['CiliumClusterwideNetworkPolicy p ingress[0]: malformed selector null matches nothing'],
    });
    expect(ingress({ fromEndpoints: [{ matchExpressions: [null] }] })).toEqual({
      upper: [], lower: [], uncertain: [], warnings: ['CiliumClusterwideNetworkPolicy p ingress[0]: unknown selector operator undefined; the selector matches nothing'],
    });
  });

  test('a null matchLabels value matches the empty value', () => {
    const eps: ModelEndpoint[] = [...endpoints(), { id: 'flagged', namespace: 'b', labels: { flag: '' } }];
    expect(ingress({ fromEndpoints: [{ matchLabels: { flag: null } }] }, TCP443, eps).lower).toEqual(['flagged']);
  });

  test('a namespace key of another source does not stop namespace narrowing', () => {
    const policy = CNP('a', 'p', {
      endpointSelector: { matchLabels: { role: 'dst' } },
      ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'container:io.kubernetes.pod.namespace', operator: 'DoesNotExist' }] }] }],
    });
    const reach = new CiliumPolicyModel([policy]).evaluate(endpoints());
    expect(['src', 'a/web', 'b/web', 'world'].filter((s) => reach.allowed(s, 'dst', 80))).toEqual(['src', 'a/web']);
  });

  test('a key without a source matches reserved labels too; a k8s: key does not', () => {
    const nsFree = { key: 'io.kubernetes.pod.namespace', operator: 'DoesNotExist' };
    expect(egress({ toEndpoints: [{ matchExpressions: [{ key: 'host', operator: 'Exists' }, nsFree] }] }).lower).toEqual(['host']);
    expect(egress({ toEndpoints: [{ matchLabels: { host: '' }, matchExpressions: [nsFree] }] }).lower).toEqual(['host']);
    expect(egress({ toEndpoints: [{ matchExpressions: [{ key: 'host', operator: 'DoesNotExist' }, nsFree] }] }).lower).toEqual(['world', 'world-near']);
    expect(egress({ toEndpoints: [{ matchExpressions: [{ key: 'k8s:host', operator: 'Exists' }, nsFree] }] }).lower).toEqual([]);
    expect(egress({ toEndpoints: [{ matchExpressions: [{ key: 'k8s:host', operator: 'DoesNotExist' }, nsFree] }] }).lower).toEqual(['world', 'world-near', 'host']);
    expect(egress({ toEndpoints: [{ matchExpressions: [{ key: 'reserved:host', operator: 'Exists' }] }] }).lower).toEqual(['host']);
  });

  test('an endpoint selector selects pods only, even when it names a reserved label', () => {
    for (const sel of [{ matchExpressions: [{ key: 'host', operator: 'Exists' }] }, { matchLabels: { 'reserved:host': '' } }]) {
      const reach = new CiliumPolicyModel([CCNP('p', { endpointSelector: sel, ingress: [{}] })]).evaluate(endpoints());
      expect([sel, reach.allowed('world', 'host', 80)]).toEqual([sel, true]);
    }
  });
});

describe('selector matching: every requirement holds, whichever candidate list is used', () => {
  /** Pods of namespace a (and one of b) selected by an endpoint selector of a cluster-wide policy. */
  const selected = (sel: any) => {
    const eps: ModelEndpoint[] = [
      { id: 'web-x', namespace: 'a', labels: { app: 'web', tier: 'x' } },
      { id: 'web', namespace: 'a', labels: { app: 'web' } },
      { id: 'db-1', namespace: 'a', labels: { app: 'db', tier: 'x', n: '1' } },
      { id: 'db-2', namespace: 'a', labels: { app: 'db', tier: 'x', n: '2' } },
      { id: 'db-3', namespace: 'a', labels: { app: 'db', tier: 'x', n: '3' } },
      { id: 'b/db', namespace: 'b', labels: { app: 'db', n: '1' } },
      { id: 'src', namespace: 'c' },
    ];
    const reach = new CiliumPolicyModel([CCNP('p', { endpointSelector: sel, ingress: [{}] })]).evaluate(eps);
    return eps.filter((e) => e.id !== 'src' && !reach.allowed('src', e.id, 80)).map((e) => e.id);
  };

  test('Exists filters candidates taken from a smaller list', () => {
    expect(selected({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] })).toEqual(['web-x']);
    expect(selected({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] })).toEqual(['web-x', 'db-1', 'db-2', 'db-3']);
    expect(selected({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }, { key: 'app', operator: 'In', values: ['web', 'db'] }] })).toEqual(['web', 'b/db']);
  });

  test('long value lists (In, NotIn) match like short ones', () => {
    const many = ['1', '3', ...Array.from({ length: 10 }, (_, i) => `v${i}`)];
    expect(selected({ matchExpressions: [{ key: 'n', operator: 'In', values: many }] })).toEqual(['db-1', 'db-3', 'b/db']);
    expect(selected({ matchExpressions: [{ key: 'n', operator: 'NotIn', values: many }] })).toEqual(['web-x', 'web', 'db-2']);
  });

  test('NotIn with several values excludes them', () => {
    expect(selected({ matchExpressions: [{ key: 'n', operator: 'NotIn', values: ['1', '2'] }] })).toEqual(['web-x', 'web', 'db-3']);
    expect(selected({ matchExpressions: [{ key: 'n', operator: 'NotIn', values: ['1', '2'] }, { key: 'app', operator: 'In', values: ['db'] }] })).toEqual(['db-3']);
  });

  test('peer selectors with no single-valued positive requirement', () => {
    const peers = (sel: any) => {
      const reach = new CiliumPolicyModel([CNP('a', 'p', { endpointSelector: { matchLabels: { role: 'dst' } }, ingress: [{ fromEndpoints: [sel] }] })]).evaluate(endpoints());
      return ['src', 'a/web', 'b/web'].filter((s) => reach.allowed(s, 'dst', 80));
    };
    expect(peers({ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'In', values: ['a', 'b'] }] })).toEqual(['src', 'a/web', 'b/web']);
    expect(peers({ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['b'] }] })).toEqual(['src', 'a/web']);
    expect(peers({ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'In', values: ['a', 'b'] }, { key: 'app', operator: 'NotIn', values: ['x', 'y'] }] }))
      .toEqual(['src', 'a/web', 'b/web']);
  });
});
