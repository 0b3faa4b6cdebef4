import { CiliumPolicyModel, ModelEndpoint, Probe } from '../../../src/verify/model';

const NS = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });

const NAMESPACES = [NS('a', { team: 'red' }), NS('b', { team: 'blue' }), NS('c', { team: 'red' })];

const ENDPOINTS: ModelEndpoint[] = [
  { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
  { id: 'a/db', namespace: 'a', labels: { app: 'db', tier: 'data' } },
  { id: 'b/web', namespace: 'b', labels: { app: 'web' } },
  { id: 'b/cli', namespace: 'b', labels: { app: 'cli' } },
  { id: 'c/web', namespace: 'c', labels: { app: 'web' } },
  { id: 'world', entity: 'world' },
  { id: 'host', entity: 'host' },
  { id: 'kube-apiserver', entity: 'kube-apiserver' },
];

function net(...policies: any[]) {
  return new CiliumPolicyModel([...NAMESPACES, ...policies]).evaluate(ENDPOINTS);
}

/** All endpoints src may reach on a probe. */
function reachable(n: ReturnType<typeof net>, src: string, port = 80, protocol: Probe['protocol'] = 'TCP'): string[] {
  return ENDPOINTS.map((e) => e.id).filter((dst) => n.allowed(src, dst, port, protocol));
}

const ALL = ENDPOINTS.map((e) => e.id);

describe('Cilium policy model', () => {
  test('without policies everything is allowed', () => {
    const n = net();
    expect(reachable(n, 'a/web')).toEqual(ALL);
    expect(reachable(n, 'world')).toEqual(ALL);
  });

  test('default deny once selected, per direction', () => {
    // a/db selected at ingress only: nobody reaches it unless allowed; its egress is unaffected
    const n = net(CNP('a', 'db-ingress', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] }));
    expect(n.allowed('a/web', 'a/db', 5432)).toBe(true);
    expect(n.allowed('b/web', 'a/db', 5432)).toBe(false); // narrowed to namespace a
    expect(n.allowed('world', 'a/db', 5432)).toBe(false);
    // egress of a/db is not enforced; only its own ingress (web only) stops a/db -> a/db
    expect(reachable(n, 'a/db')).toEqual(ALL.filter((e) => e !== 'a/db'));
    expect(n.allowed('b/web', 'a/web', 80)).toBe(true); // a/web not selected
  });

  test('an empty rule list does not enforce; ingress: [{}] enforces and allows nothing', () => {
    const empty = net(CNP('a', 'p', { endpointSelector: {}, ingress: [] }));
    expect(empty.allowed('b/web', 'a/web', 80)).toBe(true);
    const denyAll = net(CNP('a', 'p', { endpointSelector: {}, ingress: [{}] }));
    expect(denyAll.allowed('a/db', 'a/web', 80)).toBe(false);
    expect(denyAll.allowed('b/web', 'a/web', 80)).toBe(false);
    expect(denyAll.allowed('b/web', 'b/cli', 80)).toBe(true);
  });

  test('deny wins over allow', () => {
    const n = net(
      CCNP('allow-all', { endpointSelector: {}, ingress: [{ fromEntities: ['all'] }] }),
      CNP('a', 'deny-b', { endpointSelector: {}, ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }] }] }),
    );
    expect(n.allowed('b/web', 'a/web', 80)).toBe(false);
    expect(n.allowed('c/web', 'a/web', 80)).toBe(true);
    expect(n.allowed('b/web', 'c/web', 80)).toBe(true);
  });

  test('deny applies even where nothing turns on default deny (enableDefaultDeny false)', () => {
    const n = net(CNP('a', 'deny', {
      endpointSelector: {},
      enableDefaultDeny: { ingress: false },
      ingressDeny: [{ fromEntities: ['world'] }],
    }));
    expect(n.allowed('world', 'a/web', 80)).toBe(false);
    expect(n.allowed('b/web', 'a/web', 80)).toBe(true);
  });

  test('enableDefaultDeny: false selects without default deny; another policy can still enforce', () => {
    const lenient = CCNP('dns-only', {
      endpointSelector: {},
      enableDefaultDeny: { egress: false, ingress: false },
      egress: [{ toEntities: ['world'] }],
      ingress: [{ fromEntities: ['world'] }],
    });
    const n = net(lenient);
    expect(n.allowed('a/web', 'b/web', 80)).toBe(true);
    expect(n.allowed('a/web', 'world', 443)).toBe(true);
    const strict = CNP('a', 'strict', { endpointSelector: {}, egress: [{ toEndpoints: [{}] }] });
    const m = net(lenient, strict);
    expect(m.allowed('a/web', 'b/web', 80)).toBe(false); // strict enforces egress of a
    expect(m.allowed('a/web', 'a/db', 80)).toBe(true);
    expect(m.allowed('a/web', 'world', 443)).toBe(true); // allowed by the lenient policy
    expect(m.allowed('b/web', 'a/web', 80)).toBe(true); // ingress of a not enforced by anyone
  });

  test('namespace narrowing: namespaced policy narrows to its namespace, clusterwide to pods of any namespace', () => {
    const ns = net(CNP('a', 'p', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] }));
    expect(ns.allowed('a/web', 'a/db', 80)).toBe(true);
    expect(ns.allowed('b/web', 'a/db', 80)).toBe(false);
    const emptyNs = net(CNP('a', 'p', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] }));
    expect(emptyNs.allowed('a/web', 'a/db', 80)).toBe(true);
    expect(emptyNs.allowed('b/cli', 'a/db', 80)).toBe(false);
    expect(emptyNs.allowed('world', 'a/db', 80)).toBe(false);

    const cw = net(CCNP('p', { endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'a' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] }));
    expect(cw.allowed('a/web', 'a/db', 80)).toBe(true);
    expect(cw.allowed('b/web', 'a/db', 80)).toBe(true);
    expect(cw.allowed('b/cli', 'a/db', 80)).toBe(false);
    const emptyCw = net(CCNP('p', { endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'a' } }, ingress: [{ fromEndpoints: [{}] }] }));
    expect(emptyCw.allowed('b/cli', 'a/db', 80)).toBe(true);
    expect(emptyCw.allowed('world', 'a/db', 80)).toBe(false); // never non-pod endpoints
    expect(emptyCw.allowed('host', 'a/db', 80)).toBe(false);
  });

  test('a namespaced endpointSelector never selects pods of another namespace', () => {
    const n = net(CNP('a', 'p', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }, ingress: [{}] }));
    expect(n.allowed('a/web', 'b/web', 80)).toBe(true);
    expect(n.allowed('a/web', 'a/web', 80)).toBe(true);
  });

  test('a namespace-label selector is not narrowed', () => {
    const n = net(CNP('a', 'p', {
      endpointSelector: {},
      ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'red' } }] }],
    }));
    expect(n.allowed('c/web', 'a/web', 80)).toBe(true);
    expect(n.allowed('a/db', 'a/web', 80)).toBe(true);
    expect(n.allowed('b/web', 'a/web', 80)).toBe(false);
    // the pod namespace named explicitly is not narrowed either
    const m = net(CNP('a', 'p', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }] }] }));
    expect(m.allowed('b/cli', 'a/web', 80)).toBe(true);
    expect(m.allowed('a/db', 'a/web', 80)).toBe(false);
    // Kubernetes' automatic kubernetes.io/metadata.name namespace label works as a selector
    const k = net(CNP('a', 'p', {
      endpointSelector: {},
      ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'c' } }] }],
    }));
    expect(k.allowed('c/web', 'a/web', 80)).toBe(true);
    expect(k.allowed('b/web', 'a/web', 80)).toBe(false);
  });

  test('label sources: k8s:foo, any:foo and foo match the pod label foo; reserved: does not', () => {
    for (const key of ['app', 'k8s:app', 'any:app']) {
      const n = net(CNP('a', 'p', { endpointSelector: { matchLabels: { [key]: 'db' } }, ingress: [{}] }));
      expect(n.allowed('a/web', 'a/db', 80)).toBe(false);
      expect(n.allowed('a/db', 'a/web', 80)).toBe(true);
    }
    const r = net(CNP('a', 'p', { endpointSelector: { matchLabels: { 'reserved:app': 'db' } }, ingress: [{}] }));
    expect(r.allowed('a/web', 'a/db', 80)).toBe(true);
    // reserved labels select entities
    const h = net(CCNP('p', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'reserved:host': '' } }] }] }));
    expect(h.allowed('host', 'b/web', 80)).toBe(true);
    expect(h.allowed('world', 'b/web', 80)).toBe(false);
  });

  test('matchExpressions In, NotIn, Exists, DoesNotExist', () => {
    const sel = (expr: any) => net(CCNP('p', { endpointSelector: { matchExpressions: [expr] }, ingress: [{}] }));
    const denied = (n: ReturnType<typeof net>) => ['a/web', 'a/db', 'b/web', 'b/cli', 'c/web'].filter((d) => !n.allowed('world', d, 80));
    expect(denied(sel({ key: 'app', operator: 'In', values: ['db', 'cli'] }))).toEqual(['a/db', 'b/cli']);
    expect(denied(sel({ key: 'k8s:app', operator: 'NotIn', values: ['web'] }))).toEqual(['a/db', 'b/cli']);
    expect(denied(sel({ key: 'tier', operator: 'NotIn', values: ['data'] }))).toEqual(['a/web', 'b/web', 'b/cli', 'c/web']);
    expect(denied(sel({ key: 'tier', operator: 'Exists' }))).toEqual(['a/db']);
    expect(denied(sel({ key: 'tier', operator: 'DoesNotExist' }))).toEqual(['a/web', 'b/web', 'b/cli', 'c/web']);
    expect(denied(sel({ key: 'io.cilium.k8s.namespace.labels.team', operator: 'In', values: ['red'] }))).toEqual(['a/web', 'a/db', 'c/web']);
  });

  test('entities', () => {
    const n = net(CCNP('p', {
      endpointSelector: {},
      egress: [{ toEntities: ['kube-apiserver'] }],
      ingress: [{ fromEntities: ['world'] }],
    }));
    expect(n.allowed('a/web', 'kube-apiserver', 6443)).toBe(true);
    expect(n.allowed('a/web', 'world', 443)).toBe(false);
    expect(n.allowed('a/web', 'b/web', 80)).toBe(false);
    expect(n.allowed('world', 'b/web', 80)).toBe(true);
    expect(n.allowed('host', 'b/web', 80)).toBe(false);
    const cluster = net(CCNP('p', { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] }));
    expect(cluster.allowed('a/web', 'b/web', 80)).toBe(true);
    expect(cluster.allowed('a/web', 'kube-apiserver', 6443)).toBe(true);
    expect(cluster.allowed('a/web', 'host', 22)).toBe(true);
    expect(cluster.allowed('a/web', 'world', 443)).toBe(false);
    const all = net(CCNP('p', { endpointSelector: {}, egress: [{ toEntities: ['all'] }] }));
    expect(reachable(all, 'a/web')).toEqual(ALL);
  });

  test('CIDR rules match the world address only, with except', () => {
    const n = net(CCNP('p', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] }] }] }));
    expect(n.allowed('a/web', 'world', 443)).toBe(true);
    expect(n.allowed('a/web', 'b/web', 443)).toBe(false);
    const m = net(CCNP('p', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '203.0.113.0/24', except: ['203.0.113.0/28'] }] }] }));
    expect(m.allowed('a/web', 'world', 443)).toBe(false);
    const pods = net(CCNP('p', { endpointSelector: {}, egress: [{ toCIDR: ['0.0.0.0/0'] }] }));
    expect(pods.allowed('a/web', 'b/web', 80)).toBe(false); // CIDR rules never select pods
    expect(pods.allowed('a/web', 'world', 80)).toBe(true);
  });

  test('ports and protocols', () => {
    const n = net(CNP('a', 'p', {
      endpointSelector: { matchLabels: { app: 'db' } },
      ingress: [
        { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
        { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '9000', endPort: 9010, protocol: 'UDP' }] }] },
        { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '7000' }] }] },
        { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '36412', protocol: 'SCTP' }] }] },
      ],
    }));
    expect(n.allowed('a/web', 'a/db', 5432, 'TCP')).toBe(true);
    expect(n.allowed('a/web', 'a/db', 5432, 'UDP')).toBe(false);
    expect(n.allowed('a/web', 'a/db', 5433, 'TCP')).toBe(false);
    expect(n.allowed('a/web', 'a/db', 9005, 'UDP')).toBe(true);
    expect(n.allowed('a/web', 'a/db', 9011, 'UDP')).toBe(false);
    expect(n.allowed('a/web', 'a/db', 7000, 'UDP')).toBe(true); // protocol ANY
    expect(n.allowed('a/web', 'a/db', 7000, 'SCTP')).toBe(true);
    expect(n.allowed('a/web', 'a/db', 36412, 'SCTP')).toBe(true);
    expect(n.allowed('a/web', 'a/db', 36412, 'TCP')).toBe(false);
  });

  test('a rule with ports and no peers applies to every peer; with neither to none', () => {
    const n = net(CNP('a', 'p', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] }));
    expect(n.allowed('world', 'a/web', 443)).toBe(true);
    expect(n.allowed('b/web', 'a/web', 443)).toBe(true);
    expect(n.allowed('b/web', 'a/web', 80)).toBe(false);
    const d = net(CNP('a', 'p', { endpointSelector: {}, ingressDeny: [{ toPorts: [{ ports: [{ port: '22' }] }] }] }));
    expect(d.allowed('b/web', 'a/web', 22)).toBe(false);
    expect(d.allowed('b/web', 'a/web', 80)).toBe(false); // deny rules enforce default deny too
    const icmp = net(CNP('a', 'p', { endpointSelector: {}, ingress: [{ icmps: [{ fields: [{ type: 8 }] }] }] }));
    expect(icmp.allowed('b/web', 'a/web', 80)).toBe(false);
  });

  test('egress and ingress must both allow', () => {
    const n = net(
      CNP('a', 'out', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }] }] }),
      CNP('b', 'in', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'a' } }] }] }),
    );
    expect(n.allowed('a/web', 'b/web', 80)).toBe(true);
    expect(n.allowed('a/web', 'b/cli', 80)).toBe(true); // b/cli not selected at ingress
    expect(n.allowed('a/web', 'c/web', 80)).toBe(false); // egress of a
    expect(n.allowed('c/web', 'b/web', 80)).toBe(false); // ingress of b/web
  });

  test('specs (several rules in one object) and host policies', () => {
    const n = new CiliumPolicyModel([...NAMESPACES, {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'multi' },
      specs: [
        { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{}] },
        { nodeSelector: {}, ingressDeny: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '10250', protocol: 'TCP' }] }] }], ingress: [{ fromEntities: ['cluster'] }] },
      ],
    }]).evaluate(ENDPOINTS);
    expect(n.allowed('a/web', 'a/db', 80)).toBe(false);
    expect(n.allowed('a/web', 'b/web', 80)).toBe(true);
    expect(n.allowed('world', 'b/web', 10250)).toBe(true); // the host policy does not apply to pods
  });

  test('explanations name the deciding policies', () => {
    const model = new CiliumPolicyModel([...NAMESPACES,
      CNP('a', 'db-ingress', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] })]);
    const n = model.evaluate(ENDPOINTS);
    const probe: Probe = { port: 80, protocol: 'TCP' };
    expect(n.explain(n.identityOf('a/web'), n.identityOf('a/db'), probe)).toContain('ingress allowed by CiliumNetworkPolicy a/db-ingress');
    expect(n.explain(n.identityOf('b/web'), n.identityOf('a/db'), probe)).toContain('ingress default-deny (destination selected by CiliumNetworkPolicy a/db-ingress)');
  });

  test('unsupported features become warnings, not crashes', () => {
    const model = new CiliumPolicyModel([...NAMESPACES,
      CNP('a', 'odd', {
        endpointSelector: {},
        egress: [
          { toFQDNs: [{ matchName: 'example.com' }] },
          { toServices: [{ k8sService: { serviceName: 'x', namespace: 'y' } }] },
          { toEndpoints: [{}], toPorts: [{ ports: [{ port: 'http' }] }] },
        ],
      }),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'a' }, spec: {} }]);
    const n = model.evaluate(ENDPOINTS);
    expect(n.allowed('a/web', 'world', 443)).toBe(true);
    expect(n.allowed('a/web', 'a/db', 80)).toBe(false);
    // what the model cannot judge is named, and counts as allowed only at the permissive end
    expect(n.uncertain.join('\n')).toMatch(/CiliumNetworkPolicy a\/odd egress\[0\]: toFQDNs \["example.com"\]/);
    expect(n.uncertain.join('\n')).toMatch(/egress\[1\]: toServices/);
    expect(n.uncertain.join('\n')).toMatch(/egress\[2\]: named port "http"/);
    const low = model.evaluate(ENDPOINTS, [], { bound: 'lower' });
    expect(low.allowed('a/web', 'world', 443)).toBe(false);
    expect(low.allowed('a/web', 'a/db', 80)).toBe(false);
    expect(n.allowed('a/web', 'b/web', 80)).toBe(true); // toServices may select it
    expect(low.allowed('a/web', 'b/web', 80)).toBe(false);
    // a NetworkPolicy is modelled: `spec: {}` selects every pod of a for ingress and allows nothing
    expect(n.allowed('b/web', 'a/web', 80)).toBe(false);
  });

  test('identities: endpoints with the same labels share one; the fast row matches the slow decision', () => {
    const eps: ModelEndpoint[] = [...ENDPOINTS, { id: 'a/web-2', namespace: 'a', labels: { app: 'web' } }];
    const probes: Probe[] = [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }];
    const n = new CiliumPolicyModel([...NAMESPACES,
      CNP('a', 'p', { endpointSelector: {}, egress: [{ toEndpoints: [{}], toPorts: [{ ports: [{ port: '80' }] }] }], ingressDeny: [{ fromEntities: ['world'] }] }),
      CCNP('q', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'cli' } }] }] })]).evaluate(eps, probes);
    expect(n.size).toBe(eps.length - 1);
    expect(n.identityOf('a/web')).toBe(n.identityOf('a/web-2'));
    const row = new Uint32Array(Math.ceil(n.size / 32));
    for (let s = 0; s < n.size; s++) {
      probes.forEach((p, pi) => {
        n.rowBits(s, pi, row);
        for (let d = 0; d < n.size; d++) {
          const fast = Math.floor(row[Math.floor(d / 32)] / 2 ** (d % 32)) % 2 === 1;
          expect([s, d, pi, fast]).toEqual([s, d, pi, n.decide(s, d, p).allowed]);
        }
      });
    }
  });
});
