import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { verifyTenantIsolation, VerifyReport } from '../../../src/verify';
import * as iv from '../../../src/verify/intervals';
import { compileVerification, explainCell, forEachCell } from '../../../src/verify/verify';

// Limits and options of `verifyTenantIsolation`, undetermined cells, the
// tenant-authored check from the receiving side, and the cell explanations of
// `cozynet verify --explain`. Reports are built inside each test.

const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const nsLabel = (ns: string) => ({ [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' });
const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
const L7 = 'CiliumNetworkPolicy tenant-b/from-a ingress[0]: L7 rules (http) filter requests on the port (not modelled)';

/**
 * Everything at once on the siblings tree (23 endpoints): a leak into tenant-a
 * (39 differences), tenant-a sending to tenant-b, and tenant-b admitting
 * tenant-a on TCP/8080 behind an L7 rule (25 undetermined cells; tenant-b
 * alone can open UDP and SCTP, and tenant-b alone can open tenant-a: 125
 * opened cells).
 */
const everything = () => [...TenantIsolation.manifests(SIBLINGS),
  CCNP('all-in', { endpointSelector: { matchLabels: nsLabel('tenant-a') }, ingress: [{ fromEntities: ['all'] }] }),
  CNP('tenant-a', 'to-b', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-b') }] }] }),
  CNP('tenant-b', 'from-a', {
    endpointSelector: {},
    ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
  })];
const SUMMARY = {
  tenants: 3,
  // every destination on 8 probes (7 classes, TCP/8080 split by the rule on it), merged label sets (service kind + apiserver client)
  endpoints: 32,
  identities: 32,
  policies: 10,
  checks: 7488,
  allowed: 4944,
  differences: 160,
  differencesListed: 160,
  matrixIncluded: true,
  undetermined: 64,
  openedByTenantPolicies: 960,
};
const withoutMatrix = (r: VerifyReport) => {
  const { matrix, summary, ...rest } = r;
  return { ...rest, summary: { ...summary, matrixIncluded: undefined } };
};

describe('undetermined cells and the tenant-authored check', () => {
  test('counts, the undetermined cell with the rule, the cell a receiver alone opens', () => {
    const report = verifyTenantIsolation(SIBLINGS, everything());
    expect(report.ok).toBe(false);
    expect(report.summary).toEqual(SUMMARY);
    expect(report.uncertainRules).toEqual([L7]);
    expect(report.undetermined).toHaveLength(64);
    expect(report.undetermined[0]).toEqual({
      source: 'tenant-a/pod',
      destination: 'tenant-b/pod',
      probe: 'TCP/8080',
      intended: false,
      actual: true,
      expectation: 'tenant-a and tenant-b are unrelated tenants (neither is an ancestor of the other)',
      explanation: 'egress allowed by CiliumNetworkPolicy tenant-a/to-b egress[0]; ingress allowed by CiliumNetworkPolicy tenant-b/from-a ingress[0]; ' +
        `cannot be judged offline: ${L7}`,
    });
    expect(new Set(report.undetermined.map((u) => u.probe))).toEqual(new Set(['TCP/8080']));
    // undetermined cells are not differences
    expect(report.differences.some((d) => d.source.startsWith('tenant-a/') && d.destination.startsWith('tenant-b/'))).toBe(false);
    expect(report.tenantAuthored.opened).toHaveLength(960);
    expect(report.tenantAuthored.opened[0]).toEqual({
      source: 'tenant-a/pod',
      destination: 'tenant-b/pod',
      probe: 'UDP/8080',
      intended: false,
      actual: true,
      expectation: 'tenant-b alone opened it with an ingress policy in its own namespace; the sender must refuse',
      explanation: 'egress allowed by CiliumNetworkPolicy tenant-a/to-b egress[0]; ingress allowed by the widest tenant policy (ingress)',
    });
    // ordered by source, destination, probe (endpoint and probe order of the report)
    const key = (d: { source: string; destination: string; probe: string }) =>
      [report.sources.indexOf(d.source), report.destinations.indexOf(d.destination), report.endpoints[0].probes.indexOf(d.probe)];
    for (const list of [report.differences, report.undetermined, report.tenantAuthored.opened]) {
      const keys = list.map(key);
      const sorted = [...keys].sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
      expect(keys).toEqual(sorted);
    }
    // matrix: ? for the undetermined cells, ! for the differences
    const cell = (s: string, d: string) => [...report.matrix![report.sources.indexOf(s)]][report.destinations.indexOf(d)];
    expect(cell('tenant-a/pod', 'tenant-b/pod')).toBe('?');
    expect(cell('world', 'tenant-a/pod')).toBe('!');
    expect(cell('world', 'tenant-b/pod')).toBe('·');
  });

  test('without the tenant-authored check', () => {
    const report = verifyTenantIsolation(SIBLINGS, everything(), { tenantAuthored: false });
    expect(report.summary).toEqual({ ...SUMMARY, openedByTenantPolicies: 0 });
    expect(report.tenantAuthored).toEqual({
      checked: false,
      ok: true,
      opened: [],
      policy: 'in each tenant namespace, a CiliumNetworkPolicy selecting every pod with ingress from and egress to entity "all" ' +
        '(wider than any rule a tenant can write there: namespaced policies select only their own pods)',
    });
  });
});

describe('limits', () => {
  test('the matrix is included while sources x destinations <= maxMatrixCells; without it every count and list is the same', () => {
    const full = verifyTenantIsolation(SIBLINGS, everything(), { maxMatrixCells: 32 * 32 });
    expect(full.summary.matrixIncluded).toBe(true);
    expect(full.matrix).toHaveLength(32);
    expect(full.matrix!.every((row) => [...row].length === 32)).toBe(true);
    const without = verifyTenantIsolation(SIBLINGS, everything(), { maxMatrixCells: 32 * 32 - 1 });
    expect(without.summary.matrixIncluded).toBe(false);
    expect('matrix' in without).toBe(false);
    expect(withoutMatrix(without)).toEqual(withoutMatrix(full));
    expect(verifyTenantIsolation(SIBLINGS, everything()).matrix).toEqual(full.matrix); // default: 4,000,000 cells
  });

  test('maxDifferences caps the listed differences, undetermined and opened cells; the counts stay complete', () => {
    const all = verifyTenantIsolation(SIBLINGS, everything());
    const capped = verifyTenantIsolation(SIBLINGS, everything(), { maxDifferences: 3 });
    expect(capped.summary).toEqual({ ...SUMMARY, differencesListed: 3 });
    expect(capped.differences).toHaveLength(3);
    expect(capped.undetermined).toHaveLength(3);
    expect(capped.tenantAuthored.opened).toHaveLength(3);
    expect(all.differences).toEqual(expect.arrayContaining(capped.differences));
    expect(all.undetermined).toEqual(expect.arrayContaining(capped.undetermined));
    expect(all.tenantAuthored.opened).toEqual(expect.arrayContaining(capped.tenantAuthored.opened));
    expect(capped.undetermined).toEqual(all.undetermined.slice(0, 3)); // one probe per cell here: the first three
    expect(capped.ok).toBe(false);
    expect(capped.matrix).toEqual(all.matrix);
    const none = verifyTenantIsolation(SIBLINGS, everything(), { maxDifferences: 0 });
    expect([none.differences, none.undetermined, none.tenantAuthored.opened]).toEqual([[], [], []]);
    expect(none.summary).toEqual({ ...SUMMARY, differencesListed: 0 });
  });
});

describe('options', () => {
  test('systemNamespace and dnsNamespace name the invented endpoints and their verdicts', () => {
    const report = verifyTenantIsolation({ ...SIBLINGS, dnsNamespace: 'dns' }, [], { systemNamespace: 'platform', tenantAuthored: false });
    expect(report.sources.slice(15)).toEqual([
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-b/pod',
      'tenant-b/svc:etcd',
      'tenant-b/svc:ingress',
      'tenant-b/svc:monitoring',
      'tenant-b/api-client',
      'tenant-b/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-b/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      'dns/kube-dns',
      'kube-system/pod',
      'platform/pod',
      'world',
      'kube-apiserver',
      'host',
      'remote-node',
      'ingress',
    ]);
    expect(report.endpoints.find((e) => e.id === 'platform/pod')).toEqual({
      id: 'platform/pod',
      labels: { 'cozynet.io/probe': 'workload' },
      namespace: 'platform',
      probes: ['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'ICMPv6/type-0'],
      role: 'system-pod',
    });
    expect(report.differences.filter((d) => d.source === 'platform/pod')).toEqual([]); // intended: may reach every tenant
    expect(report.differences.find((d) => d.destination === 'dns/kube-dns')).toEqual({
      source: 'tenant-root/pod',
      destination: 'dns/kube-dns',
      probe: 'TCP/8080',
      intended: false,
      actual: true,
      expectation: 'tenants reach cluster DNS on port 53 only, not TCP/8080',
      explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
    });
  });
});

describe('cell explanations (cozynet verify --explain)', () => {
  test('the destination\'s probes by default, the upper and lower verdicts when an uncertain rule decides', () => {
    const v = compileVerification(resolveTenants(SIBLINGS), everything());
    const id = (x: string) => v.layout.reps.findIndex((r) => r.id === x);
    const cells = explainCell(v, id('tenant-a/pod'), id('tenant-b/pod'));
    expect(cells.map((c) => [c.probe, c.intended, c.decision.allowed, c.lower?.allowed])).toEqual([
      ['TCP/8080', false, true, false],
      [
        'UDP/8080, SCTP/8080, UDP/53, TCP/53, TCP/443, ICMP/type-8, ICMPv6/type-0',
        false,
        false,
        undefined,
      ],
    ]);
    expect(cells[0].expectation).toBe('tenant-a and tenant-b are unrelated tenants (neither is an ancestor of the other)');
    expect(cells[0].decision.uncertain).toEqual([L7]);
    expect(cells[0].lower!.reason).toBe('egress allowed by CiliumNetworkPolicy tenant-a/to-b egress[0]; ingress default-deny ' +
      '(destination selected by CiliumClusterwideNetworkPolicy cozynet-tenant-baseline specs[0])');
    expect('lower' in cells[1]).toBe(false);
  });

  test('a given probe; a probe the matrix does not know has no intention; an endpoint without probes is explained on TCP/8080', () => {
    const v = compileVerification(resolveTenants(SIBLINGS), everything());
    const id = (x: string) => v.layout.reps.findIndex((r) => r.id === x);
    expect(explainCell(v, id('world'), id('tenant-a/pod'), { protocol: 'UDP', port: 8080 }).map((c) => [c.probe, c.intended, c.expectation, c.decision.reason])).toEqual([
      ['UDP/8080', false, 'tenant-a does not accept connections from the world here',
        'egress unrestricted (no egress policy selects the source); ingress allowed by CiliumClusterwideNetworkPolicy all-in ingress[0]'],
    ]);
    const unknown = explainCell(v, id('world'), id('tenant-a/pod'), { protocol: 'TCP', port: 1234 });
    expect(unknown.map((c) => [c.probe, c.intended, c.expectation, c.decision.allowed])).toEqual([['TCP/1234', false, 'tenant-a does not accept connections from the world here', true]]);
    const noProbes = explainCell(v, id('world'), id('ingress'));
    expect(noProbes.map((c) => [c.source, c.destination, c.probe, c.intended, c.decision.allowed])).toEqual([['world', 'ingress', 'TCP/8080', undefined, true]]);
  });

  test('forEachCell visits every checked cell once', () => {
    const v = compileVerification(resolveTenants(SIBLINGS), everything());
    let cells = 0;
    let allowed = 0;
    forEachCell(v, (_s, _p, a, mask) => { cells += iv.size(mask); allowed += iv.size(a); });
    expect([cells, allowed]).toEqual([SUMMARY.checks, SUMMARY.allowed]);
  });
});
