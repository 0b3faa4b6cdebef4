import fc from 'fast-check';
import { TenantIsolation, TenantIsolationProps, TenantProps } from '../../src/tenants';
import { verifyTenantIsolation } from '../../src/verify';
import { CiliumPolicyModel, ModelEndpoint } from '../../src/verify/model';

const KINDS = ['etcd', 'ingress', 'monitoring', 'nats'];

interface Generated {
  props: TenantIsolationProps;
  /** Flat view: path (names from root) and the raw props of each tenant. */
  flat: Array<{ path: string[]; props: TenantProps }>;
}

const optionalKinds = fc.option(fc.subarray(KINDS), { nil: undefined });
const optionalBool = fc.option(fc.boolean(), { nil: undefined });
const tenantOptions = fc.record({
  sharedServices: optionalKinds,
  allowWorldEgress: optionalBool,
  allowWorldIngress: optionalBool,
  allowApiServer: optionalBool,
});

/** Random trees of 1..12 tenants: tenant i > 0 hangs below a random earlier tenant. */
const trees: fc.Arbitrary<Generated> = fc.record({
  parents: fc.array(fc.nat(), { maxLength: 11 }),
  names: fc.array(fc.constantFrom('a', 'dev', 'prod', 'x1', 'b2b'), { minLength: 12, maxLength: 12 }),
  options: fc.array(tenantOptions, { minLength: 12, maxLength: 12 }),
  global: fc.record({
    defaultSharedServices: optionalKinds,
    worldIngressServices: optionalKinds,
    allowWorldEgress: optionalBool,
    allowWorldIngress: optionalBool,
    allowApiServer: optionalBool,
  }),
}).map(({ parents, names, options, global }) => {
  const nodes: any[] = [{ name: 'root', ...strip(options[0]) }];
  const paths: string[][] = [['root']];
  parents.forEach((p, i) => {
    const parent = p % nodes.length;
    const node = { name: `${names[i + 1]}${i + 1}`, ...strip(options[i + 1]) };
    (nodes[parent].children ??= []).push(node);
    nodes.push(node);
    paths.push([...paths[parent], node.name]);
  });
  return {
    props: { tenants: [nodes[0]], ...strip(global) },
    flat: nodes.map((n, i) => ({ path: paths[i], props: n })),
  };
});

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

describe('property: synthesized policies give exactly the intended reachability', () => {
  test('verify reports no difference on random trees and options', () => {
    fc.assert(fc.property(trees, ({ props }) => {
      const report = verifyTenantIsolation(props, TenantIsolation.manifests(props));
      if (!report.ok) throw new Error(JSON.stringify(report.differences.slice(0, 3), null, 2));
      return report.summary.differences === 0 && report.warnings.length === 0;
    }), { numRuns: 200 });
  });

  test('an independent oracle written from facts §9 agrees with the model, pair by pair', () => {
    fc.assert(fc.property(trees, ({ props, flat }) => {
      const g = { ...props };
      const defaultShared = g.defaultSharedServices ?? ['etcd', 'ingress', 'monitoring'];
      const worldFacing = g.worldIngressServices ?? ['ingress'];
      // effective settings, by path
      const byPath = new Map(flat.map((t) => [t.path.join('/'), t]));
      const inherited = (path: string[], key: 'allowWorldEgress' | 'allowWorldIngress' | 'allowApiServer', rootDefault: boolean): boolean => {
        for (let i = path.length; i > 0; i--) {
          const v = byPath.get(path.slice(0, i).join('/'))!.props[key];
          if (v !== undefined) return v;
        }
        return g[key] ?? rootDefault;
      };
      const ns = (path: string[]) => (path.length === 1 ? 'tenant-root' : `tenant-${path.slice(1).join('-')}`);
      const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((x, i) => b[i] === x);

      interface Ep { id: string; path?: string[]; kind?: string; api?: boolean; ep: ModelEndpoint }
      const eps: Ep[] = [];
      for (const t of flat) {
        const n = ns(t.path);
        eps.push({ id: `${n}/pod`, path: t.path, ep: { id: `${n}/pod`, namespace: n, labels: { app: 'x' } } });
        eps.push({ id: `${n}/api`, path: t.path, api: true, ep: { id: `${n}/api`, namespace: n, labels: { 'policy.cozystack.io/allow-to-apiserver': 'true' } } });
        for (const k of KINDS) {
          eps.push({ id: `${n}/${k}`, path: t.path, kind: k, ep: { id: `${n}/${k}`, namespace: n, labels: { 'cozystack.io/service': k } } });
        }
      }
      eps.push({ id: 'dns', ep: { id: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } });
      eps.push({ id: 'ks', ep: { id: 'ks', namespace: 'kube-system', labels: { app: 'x' } } });
      eps.push({ id: 'sys', ep: { id: 'sys', namespace: 'cozy-system', labels: { app: 'x' } } });
      eps.push({ id: 'world', ep: { id: 'world', entity: 'world' } });
      eps.push({ id: 'kube-apiserver', ep: { id: 'kube-apiserver', entity: 'kube-apiserver' } });

      const net = new CiliumPolicyModel(TenantIsolation.manifests(props), { namespaces: { 'cozy-system': { 'cozystack.io/system': 'true' } } })
        .evaluate(eps.map((e) => e.ep));

      const oracle = (s: Ep, d: Ep, port: number): boolean | undefined => {
        if (s.path && d.path) {
          if (isPrefix(s.path, d.path)) return true; // same tenant or ancestor -> descendant
          if (isPrefix(d.path, s.path) && d.kind) {
            const shared = byPath.get(d.path.join('/'))!.props.sharedServices ?? defaultShared;
            return shared.includes(d.kind);
          }
          return false;
        }
        if (s.path) {
          if (d.id === 'dns') return port === 53;
          if (d.id === 'ks' || d.id === 'sys') return false;
          if (d.id === 'world') return inherited(s.path, 'allowWorldEgress', true);
          if (d.id === 'kube-apiserver') return !!s.api && inherited(s.path, 'allowApiServer', true);
        }
        if (d.path) {
          if (s.id === 'world') return inherited(d.path, 'allowWorldIngress', false) || (!!d.kind && worldFacing.includes(d.kind));
          if (s.id === 'ks' || s.id === 'dns' || s.id === 'sys') return true; // kube-system and system namespaces
        }
        return undefined; // not about tenants
      };

      for (const s of eps) {
        for (const d of eps) {
          for (const [port, protocol] of [[8080, 'TCP'], [53, 'UDP']] as const) {
            const want = oracle(s, d, port);
            if (want === undefined) continue;
            const got = net.allowed(s.id, d.id, port, protocol);
            if (got !== want) throw new Error(`${s.id} -> ${d.id} ${protocol}/${port}: oracle ${want}, model ${got}`);
          }
        }
      }
    }), { numRuns: 100 });
  });

  test('opening a path between two unrelated tenants is always reported', () => {
    const withPair = trees
      .filter(({ flat }) => flat.length >= 2)
      .chain((g) => fc.record({ g: fc.constant(g), a: fc.nat(g.flat.length - 1), b: fc.nat(g.flat.length - 1) }))
      .filter(({ g, a, b }) => {
        const pa = g.flat[a].path.join('/') + '/';
        const pb = g.flat[b].path.join('/') + '/';
        return !pb.startsWith(pa) && !pa.startsWith(pb); // unrelated (neither is an ancestor of the other)
      });
    fc.assert(fc.property(withPair, ({ g, a, b }) => {
      const ns = (path: string[]) => (path.length === 1 ? 'tenant-root' : `tenant-${path.slice(1).join('-')}`);
      const from = ns(g.flat[a].path);
      const to = ns(g.flat[b].path);
      const pod = (n: string) => ({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': n } });
      const leak = {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumClusterwideNetworkPolicy',
        metadata: { name: 'leak' },
        specs: [
          { endpointSelector: pod(from), egress: [{ toEndpoints: [pod(to)] }] },
          { endpointSelector: pod(to), ingress: [{ fromEndpoints: [pod(from)] }] },
        ],
      };
      const report = verifyTenantIsolation(g.props, [...TenantIsolation.manifests(g.props), leak]);
      return !report.ok && report.differences.some((d) => d.source === `${from}/pod` && d.destination === `${to}/pod` && d.actual && !d.intended);
    }), { numRuns: 200 });
  });
});

describe('property: the fast matrix and the slow decision agree on random policy sets', () => {
  const NAMESPACES = ['a', 'b', 'c'].map((n, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { team: i % 2 ? 'red' : 'blue' } } }));
  const EPS: ModelEndpoint[] = [
    { id: 'a/web', namespace: 'a', labels: { app: 'web' } },
    { id: 'a/db', namespace: 'a', labels: { app: 'db' } },
    { id: 'b/web', namespace: 'b', labels: { app: 'web' } },
    { id: 'c/cli', namespace: 'c', labels: { app: 'cli' } },
    { id: 'nons/x', namespace: 'nons', labels: { app: 'x' } }, // a namespace without an object
    { id: 'world', entity: 'world' },
    { id: 'host', entity: 'host' },
    { id: 'remote-node', entity: 'remote-node' },
    { id: 'kube-apiserver', entity: 'kube-apiserver' },
    { id: 'ingress', entity: 'ingress' },
  ];
  const PROBES = [{ port: 80, protocol: 'TCP' as const }, { port: 53, protocol: 'UDP' as const }, { port: 8, protocol: 'ICMP' as const }];
  const peer = fc.constantFrom<any>(
    { fromEndpoints: [{}] }, { fromEndpoints: [{ matchLabels: { app: 'web' } }] },
    { fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'red' } }] },
    { fromEndpoints: [{ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] }] },
    { fromEntities: ['world'] }, { fromEntities: ['cluster'] }, { fromEntities: ['host', 'remote-node'] }, { fromEntities: ['kube-apiserver', 'ingress'] },
    { fromEntities: ['all'] }, { fromCIDR: ['0.0.0.0/0'] }, {},
  );
  const ports = fc.constantFrom<any>(undefined, [{ ports: [{ port: '80', protocol: 'TCP' }] }], [{ ports: [{ port: '53', protocol: 'ANY' }] }], 'icmp');
  const rule = fc.record({ peer, ports }).map(({ peer: p, ports: t }) => {
    const r: any = { ...p };
    if (t === 'icmp') r.icmps = [{ fields: [{ type: 8 }] }];
    else if (t) r.toPorts = t;
    return r;
  });
  const egressOf = (r: any) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/^from/, 'to'), v]));
  const spec = fc.record({
    sel: fc.constantFrom<any>({}, { matchLabels: { app: 'web' } }, { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'blue' } }),
    ingress: fc.array(rule, { maxLength: 2 }),
    egress: fc.array(rule, { maxLength: 2 }),
    ingressDeny: fc.array(rule, { maxLength: 1 }),
    egressDeny: fc.array(rule, { maxLength: 1 }),
    ns: fc.constantFrom('a', 'b', 'c', '*', 'np'),
  });
  test('row() and decide() agree on every pair and probe', () => {
    fc.assert(fc.property(fc.array(spec, { minLength: 1, maxLength: 4 }), (specs) => {
      const objects: any[] = [...NAMESPACES];
      specs.forEach((s, i) => {
        if (s.ns === 'np') {
          objects.push({
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: `np${i}`, namespace: 'a' },
            spec: { podSelector: s.sel.matchLabels?.app ? { matchLabels: { app: 'web' } } : {}, ingress: s.ingress.length > 0 ? [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }] : [], policyTypes: ['Ingress', 'Egress'], egress: [{}] },
          });
          return;
        }
        const body = {
          endpointSelector: s.sel,
          ingress: s.ingress,
          egress: s.egress.map(egressOf),
          ingressDeny: s.ingressDeny,
          egressDeny: s.egressDeny.map(egressOf),
        };
        objects.push(s.ns === '*'
          ? { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: `p${i}` }, spec: body }
          : { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: `p${i}`, namespace: s.ns }, spec: body });
      });
      const n = new CiliumPolicyModel(objects).evaluate(EPS, PROBES);
      const row = new Uint32Array(Math.ceil(n.size / 32));
      for (let s = 0; s < n.size; s++) {
        PROBES.forEach((p, pi) => {
          n.rowBits(s, pi, row);
          for (let d = 0; d < n.size; d++) {
            const fast = (row[d >>> 5] & (1 << (d & 31))) !== 0; // eslint-disable-line no-bitwise
            const slow = n.decide(s, d, p).allowed;
            if (fast !== slow) throw new Error(`${EPS[s].id} -> ${EPS[d].id} ${p.protocol}/${p.port}: fast ${fast}, decide ${slow}\n${JSON.stringify(objects.slice(3))}`);
          }
        });
      }
    }), { numRuns: 300 });
  });
});
