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
