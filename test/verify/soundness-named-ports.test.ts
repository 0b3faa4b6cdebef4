/*
 * Soundness with workloads and named ports (issue 22's argument, extended
 * to what issue 22 left out of the first property test): random
 * Deployments in two sibling tenants, with labels, a service account and
 * named container ports, and random policies whose rules name ports by
 * name (`http`, `pg`, with or without a protocol) or by number. The model
 * judges random packets between the concrete pods of two workloads of
 * different tenants, every workload of the input an endpoint with its own
 * ports (so egress names resolve as Cilium resolves them). Whenever one is
 * admitted at the model's upper bound, the verification of the same
 * objects must not be OK, and must list a cell from the source workload to
 * the destination workload as a difference or as undetermined.
 * Fixed seed, bounded runs (CI).
 */
import fc from 'fast-check';
import { TenantIsolation, TenantIsolationProps } from '../../src/tenants';
import { verifyTenantIsolation } from '../../src/verify';
import { CiliumPolicyModel, ModelEndpoint, Probe } from '../../src/verify/model';
import { workloadsOf } from '../../src/verify/workloads';

const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
const NS = ['tenant-a', 'tenant-b'];
const SA = 'io.cilium.k8s.policy.serviceaccount';
const NS_NAME = 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name';

const containerPort = fc.record({
  name: fc.constantFrom('http', 'pg', 'dns'),
  containerPort: fc.constantFrom(80, 8080, 5432, 53, 9000, 9443, 6379, 7000),
  protocol: fc.constantFrom('TCP', 'UDP', undefined),
}).map((p) => ({ name: p.name, containerPort: p.containerPort, ...(p.protocol ? { protocol: p.protocol } : {}) }));

const workload = fc.record({
  ns: fc.constantFrom(...NS),
  app: fc.constantFrom('api', 'db', 'web'),
  tier: fc.constantFrom('web', undefined),
  sa: fc.constantFrom('default', 'sa1'),
  ports: fc.array(containerPort, { maxLength: 3 }),
});
const workloads = fc.array(workload, { minLength: 2, maxLength: 5 }).map((list) => list.map((w, i) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `w${i}`, namespace: w.ns },
  spec: {
    selector: { matchLabels: { app: w.app } },
    template: {
      metadata: { labels: { app: w.app, ...(w.tier ? { tier: w.tier } : {}) } },
      spec: { ...(w.sa !== 'default' ? { serviceAccountName: w.sa } : {}), containers: [{ name: 'c', image: 'x', ports: w.ports }] },
    },
  },
})));

const podSelector = fc.constantFrom<Record<string, string>>({}, { app: 'api' }, { app: 'db' }, { tier: 'web' }, { [SA]: 'sa1' });
const peer = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ ns: fc.constantFrom(...NS), sel: podSelector })
      .map(({ ns, sel }) => ({ toEndpoints: [{ matchLabels: { ...sel, [NS_NAME]: ns } }] })),
  },
  { weight: 2, arbitrary: fc.constantFrom({ toEntities: ['cluster'] }, { toEntities: ['all'] }, {}) },
);
const namedPortRule = fc.record({ port: fc.constantFrom('http', 'pg', 'dns', 'nope'), protocol: fc.constantFrom('TCP', 'UDP', 'ANY', undefined) })
  .map((p) => ({ toPorts: [{ ports: [{ port: p.port, ...(p.protocol ? { protocol: p.protocol } : {}) }] }] }));
const anyPortRule = fc.oneof(
  namedPortRule,
  fc.record({ port: fc.constantFrom('80', '5432'), protocol: fc.constantFrom('TCP', 'UDP', undefined) })
    .map((p) => ({ toPorts: [{ ports: [{ port: p.port, ...(p.protocol ? { protocol: p.protocol } : {}) }] }] })),
  fc.constant({}),
);
const toIngress = (r: any) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/^to(Endpoints|Entities)$/, 'from$1'), v]));
/** Policies in the two tenants whose rules' ports come from `portRule`. */
function policiesWith(portRule: fc.Arbitrary<object>): fc.Arbitrary<any[]> {
  const rule = fc.record({ peer, ports: portRule }).map(({ peer: p, ports }) => ({ ...p, ...ports }));
  return fc.array(fc.record({
    ns: fc.constantFrom(...NS),
    sel: podSelector,
    egress: fc.array(rule, { minLength: 1, maxLength: 2 }),
    ingress: fc.array(rule, { minLength: 1, maxLength: 2 }),
  }), { minLength: 3, maxLength: 6 }).map((list) => list.map((p, i) => ({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: `p${i}`, namespace: p.ns },
    spec: { endpointSelector: { matchLabels: p.sel }, egress: p.egress, ingress: p.ingress.map(toIngress) },
  })));
}

const probe: fc.Arbitrary<Probe> = fc.record({
  protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') as fc.Arbitrary<Probe['protocol']>,
  port: fc.oneof(fc.constantFrom(80, 8080, 5432, 53, 9000, 9443, 6379, 7000), fc.integer({ min: 1, max: 65535 })),
});
/** A packet between two workloads: on a random port, or on one of the destination's (or the source's) named ports. */
const packetOf = fc.record({ s: fc.nat(), d: fc.nat(), probe, named: fc.constantFrom('dst', 'src', 'none'), pick: fc.nat() });

describe('soundness with workloads and named ports', () => {
  test.each([
    // name, port rules, seed, runs, fewest runs with a leak, fewest leaks on a named port
    ['ports by name, by number and every port', anyPortRule, 2202, 200, 20, 10],
    ['ports by name only', namedPortRule, 2203, 800, 15, 15],
  ])('a packet the model admits between two tenants\' workloads shows in the verification: %s (fixed seed)', (_name, portRule, seed, runs, minAdmitted, minNamed) => {
    const base = TenantIsolation.manifests(SIBLINGS);
    let admitted = 0;
    let named = 0;
    fc.assert(fc.property(workloads, policiesWith(portRule), fc.array(packetOf, { minLength: 24, maxLength: 24 }), (deployments, extra, packets) => {
      const objects = [...base, ...deployments, ...extra];
      const ws = workloadsOf(objects);
      // every workload a concrete pod of its own: labels, service account, named ports
      const endpoints: ModelEndpoint[] = ws.map((w) => ({
        id: w.id, namespace: w.namespace, labels: { ...w.labels, [SA]: w.serviceAccount }, ports: w.ports,
      }));
      const reach = new CiliumPolicyModel(objects).evaluate(endpoints, [], { bound: 'upper' });
      const leaks: Array<{ src: string; dst: string }> = [];
      const wanted: Array<[string, string]> = [];
      for (const pk of packets) {
        const s = pk.s % ws.length;
        const d = pk.d % ws.length;
        if (ws[s].namespace === ws[d].namespace) continue;
        const ports = Object.values(ws[pk.named === 'src' ? s : d].ports);
        const p = pk.named !== 'none' && ports.length > 0 ? ports[pk.pick % ports.length] : undefined;
        const onProbe: Probe = p && ['TCP', 'UDP', 'SCTP'].includes(p.protocol) ? { protocol: p.protocol as Probe['protocol'], port: p.port } : pk.probe;
        const verdict = reach.decide(reach.identityOfEndpoint[s], reach.identityOfEndpoint[d], onProbe);
        if (!verdict.allowed) continue;
        leaks.push({ src: ws[s].namespace, dst: ws[d].namespace });
        wanted.push([ws[s].id, ws[d].id]);
        if (p) named++;
      }
      if (leaks.length === 0) return;
      admitted++;
      const report = verifyTenantIsolation(SIBLINGS, objects, { maxDifferences: 100_000 });
      expect(report.ok).toBe(false);
      const cells = [...report.differences.filter((x) => x.actual && !x.intended), ...report.undetermined];
      for (const { src, dst } of leaks) {
        expect([src, dst, cells.some((c) => c.source.startsWith(`${src}/`) && c.destination.startsWith(`${dst}/`))]).toEqual([src, dst, true]);
      }
      // and the cell of the two workloads themselves (each is an endpoint of the verification)
      for (const [src, dst] of wanted) expect([src, dst, cells.some((c) => c.source === src && c.destination === dst)]).toEqual([src, dst, true]);
    }), { seed, numRuns: runs, endOnFailure: true });
    // the generator does produce leaks, some of them with rules naming ports by name
    expect(admitted).toBeGreaterThanOrEqual(minAdmitted);
    expect(named).toBeGreaterThanOrEqual(minNamed);
  });
});
