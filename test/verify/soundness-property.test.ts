/*
 * Soundness by construction (issue 22, item 1): whatever the policies, a
 * concrete packet that the model admits between two tenants shows in the
 * verification. Random policy sets (ports, ranges, protocols, ICMP types and
 * families, service accounts, label selectors, CIDRs of both families, deny
 * rules) are added to two sibling tenants; random concrete packets (source
 * and destination pods with any labels and service account, any protocol,
 * port or ICMP type) are judged by `decide` on the concrete pods. Whenever
 * one is allowed from one tenant to the other, the report must be VIOLATED
 * with an allowed difference from that tenant to the other, its matrix must
 * mark a cell of that row and column block, and `--against` the platform's
 * own policies must list an opened cell between the two tenants.
 * Fixed seed, bounded runs (CI).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main';
import { TenantIsolation, TenantIsolationProps } from '../../src/tenants';
import { verifyTenantIsolation } from '../../src/verify';
import { CiliumPolicyModel, Probe } from '../../src/verify/model';

const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
const NS = ['tenant-a', 'tenant-b'];
const SA = 'io.cilium.k8s.policy.serviceaccount';
const NS_NAME = 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name';

// label vocabulary of selectors and pods
const podSelector = fc.constantFrom<Record<string, string>>({}, { app: 'api' }, { app: 'db' }, { tier: 'web' }, { [SA]: 'sa1' }, { app: 'api', tier: 'web' });
const peer = fc.oneof(
  fc.record({ ns: fc.constantFrom(...NS), sel: podSelector }).map(({ ns, sel }) => ({ toEndpoints: [{ matchLabels: { ...sel, [NS_NAME]: ns } }] })),
  fc.constantFrom({ toEntities: ['all'] }, { toEntities: ['cluster'] }, { toEntities: ['world'] }, { toCIDR: ['10.0.0.0/8'] }, { toCIDR: ['2001:db8::/32'] }, {}),
);
const portRule = fc.oneof(
  fc.record({
    port: fc.constantFrom('5432', '80', '8080', '53', '1000', '0'),
    endPort: fc.option(fc.constantFrom(1500, 2000, 9000), { nil: undefined }),
    protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'ANY', undefined),
  }).map((p) => ({ toPorts: [{ ports: [{ port: p.port, ...(p.endPort && p.port !== '0' ? { endPort: p.endPort } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) }] }] })),
  fc.record({ family: fc.constantFrom('IPv4', 'IPv6', undefined), type: fc.constantFrom(8, 0, 'EchoRequest', 'EchoReply', 128, 3) })
    .map((f) => ({ icmps: [{ fields: [{ ...(f.family ? { family: f.family } : {}), type: f.type }] }] })),
  fc.constant({}),
);
/** A rule in the egress form; turned into ingress by renaming `to*` to `from*`. */
const rule = fc.record({ peer, ports: portRule }).map(({ peer: p, ports }) => ({ ...p, ...ports }));
const toIngress = (r: any) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/^to(Endpoints|Entities|CIDR)$/, 'from$1'), v]));
const policy = fc.record({
  ns: fc.constantFrom(...NS),
  sel: podSelector,
  egress: fc.array(rule, { minLength: 1, maxLength: 2 }),
  ingress: fc.array(rule, { minLength: 1, maxLength: 2 }),
  egressDeny: fc.array(rule, { maxLength: 1 }),
});
const policies = fc.array(policy, { minLength: 2, maxLength: 4 }).map((list) => list.map((p, i) => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: `p${i}`, namespace: p.ns },
  spec: {
    endpointSelector: { matchLabels: p.sel },
    ...(p.egress.length ? { egress: p.egress } : {}),
    ...(p.ingress.length ? { ingress: p.ingress.map(toIngress) } : {}),
    ...(p.egressDeny.length ? { egressDeny: p.egressDeny.filter((r: any) => r.toEndpoints || r.toEntities) } : {}),
  },
})));

const podLabels = fc.record({
  app: fc.constantFrom('api', 'db', 'other', undefined),
  tier: fc.constantFrom('web', 'x', undefined),
  sa: fc.constantFrom('sa1', 'default', 'sa2'),
}).map(({ app, tier, sa }) => ({ ...(app ? { app } : {}), ...(tier ? { tier } : {}), [SA]: sa }));
const probe: fc.Arbitrary<Probe> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') as fc.Arbitrary<Probe['protocol']>, port: fc.oneof(fc.constantFrom(5432, 80, 53, 1000, 1499, 1500, 1501, 2000, 8999, 9000, 9001, 8080), fc.constantFrom(5432, 1200, 80), fc.integer({ min: 1, max: 65535 })) }),
  fc.record({ protocol: fc.constantFrom('ICMP', 'ICMPv6') as fc.Arbitrary<Probe['protocol']>, port: fc.oneof(fc.constantFrom(0, 3, 8, 128, 129), fc.integer({ min: 0, max: 255 })) }),
);
const packet = fc.record({ from: fc.constantFrom(0, 1), src: podLabels, dst: podLabels, probe });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-soundness-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('soundness: a packet the model admits between two tenants shows in the verification', () => {
  test('random policy sets and random concrete packets (fixed seed)', () => {
    const base = TenantIsolation.manifests(SIBLINGS);
    let admitted = 0;
    let againstRuns = 0;
    fc.assert(fc.property(policies, fc.array(packet, { minLength: 16, maxLength: 16 }), (extra, packets) => {
      const objects = [...base, ...extra];
      const model = new CiliumPolicyModel(objects);
      const leaks: Array<{ src: string; dst: string }> = [];
      for (const pk of packets) {
        const [sNs, dNs] = pk.from === 0 ? NS : [NS[1], NS[0]];
        const reach = model.evaluate([{ id: 's', namespace: sNs, labels: pk.src }, { id: 'd', namespace: dNs, labels: pk.dst }], [], { distinct: true });
        expect(reach.uncertain).toEqual([]);
        if (reach.decide(0, 1, pk.probe).allowed) leaks.push({ src: sNs, dst: dNs });
      }
      if (leaks.length === 0) return;
      admitted++;
      const report = verifyTenantIsolation(SIBLINGS, objects, { maxDifferences: 100_000 });
      expect(report.ok).toBe(false);
      for (const { src, dst } of leaks) {
        // the difference, and the matrix cell of that tenant pair
        expect(report.differences.some((d) => d.source.startsWith(`${src}/`) && d.destination.startsWith(`${dst}/`) && d.actual && !d.intended)).toBe(true);
        const cols = report.destinations.map((d, i) => (d.startsWith(`${dst}/`) ? i : -1)).filter((i) => i >= 0);
        const marked = report.sources.some((s, r) => s.startsWith(`${src}/`) && cols.some((c) => report.matrix![r][c] === '!'));
        expect(marked).toBe(true);
      }
      if (againstRuns < 6) {
        // --against the platform's own policies lists the opening (and exits 1)
        againstRuns++;
        const before = path.join(tmp, `before-${againstRuns}.yaml`);
        const now = path.join(tmp, `now-${againstRuns}.yaml`);
        fs.writeFileSync(before, base.map((o) => stringify(o)).join('---\n'));
        fs.writeFileSync(now, objects.map((o) => stringify(o)).join('---\n'));
        let out = '';
        const code = run(['verify', '--manifests', now, '--against', before, '--format', 'json'], { out: (t) => { out += t; }, err: (t) => { out += t; } });
        expect(code).toBe(1);
        const cells: Array<{ source: string; destination: string; betweenTenants: boolean }> = JSON.parse(out).opened.cells;
        for (const { src, dst } of leaks) {
          expect(cells.some((c) => c.betweenTenants && c.source.startsWith(`${src}/`) && c.destination.startsWith(`${dst}/`))).toBe(true);
        }
      }
    }), { seed: 2201, numRuns: 120, endOnFailure: true });
    // the generator does produce leaks
    expect(admitted).toBeGreaterThanOrEqual(5);
  });
});
