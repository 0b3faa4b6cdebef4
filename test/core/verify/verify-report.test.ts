/*
 * The report a user reads from `cozynet verify`: summary numbers, the listed
 * differences, undetermined and opened cells, matrix symbols, the ok flag.
 * Small trees (one or three tenants); every fixture is built inside its test.
 */
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { verifyTenantIsolation, VerifyReport } from '../../../src/verify';
import { compileVerification, explainCell, forEachCell } from '../../../src/verify/verify';

const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const nsLabel = (ns: string) => ({ [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' });
const ONE: TenantIsolationProps = { tenants: [{ name: 'root' }] };
const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
const POLICY = 'in each tenant namespace, a CiliumNetworkPolicy selecting every pod with ingress from and egress to entity "all" ' +
  '(wider than any rule a tenant can write there: namespaced policies select only their own pods)';
const UNRESTRICTED = 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)';
const L7 = (port: string, protocol = 'TCP') => ({ ports: [{ port, protocol }], rules: { http: [{ method: 'GET' }] } });
const l7Note = (policy: string, rule: string) => `${policy} ${rule}: L7 rules (http) filter requests on the port (not modelled)`;
const ONE_IDS = ['tenant-root/pod', 'tenant-root/svc:etcd', 'tenant-root/svc:ingress', 'tenant-root/svc:monitoring', 'tenant-root/api-client',
  // pods of a service kind that are API clients too
  'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
  'tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
  'tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
  'kube-system/kube-dns', 'kube-system/pod', 'cozy-system/pod', 'world', 'kube-apiserver', 'host', 'remote-node', 'ingress'];

// checked by hand against the intended reachability: within the tenant everything, DNS on port 53 only,
// the world out, the kube-apiserver for api-client only; system pods, kube-apiserver and host in;
// the world and remote nodes into svc:ingress only; the ingress entity nowhere; ' ' between two non-tenant endpoints
const ONE_MATRIX = [
  '✓✓✓✓✓✓✓✓◐··✓··· ',
  '✓✓✓✓✓✓✓✓◐··✓··· ',
  '✓✓✓✓✓✓✓✓◐··✓··· ',
  '✓✓✓✓✓✓✓✓◐··✓··· ',
  '✓✓✓✓✓✓✓✓◐··✓✓·· ',
  '✓✓✓✓✓✓✓✓◐··✓✓·· ',
  '✓✓✓✓✓✓✓✓◐··✓✓·· ',
  '✓✓✓✓✓✓✓✓◐··✓✓·· ',
  '✓✓✓✓✓✓✓✓        ',
  '✓✓✓✓✓✓✓✓        ',
  '✓✓✓✓✓✓✓✓        ',
  '··✓···✓·        ',
  '✓✓✓✓✓✓✓✓        ',
  '✓✓✓✓✓✓✓✓        ',
  '··✓···✓·        ',
  '········        ',
];

/** The matrix symbol of (source, destination). */
function cell(report: VerifyReport, source: string, destination: string): string {
  const r = report.sources.indexOf(source);
  const c = report.destinations.indexOf(destination);
  if (r < 0 || c < 0) throw new Error(`no cell ${source} -> ${destination}`);
  return [...report.matrix![r]][c];
}
const brief = (list: Array<{ source: string; destination: string; probe: string }>) => list.map((d) => `${d.source} -> ${d.destination} ${d.probe}`);

describe('one tenant', () => {
  test('the synthesized policies: every number, the whole matrix, nothing listed', () => {
    const report = verifyTenantIsolation(ONE, TenantIsolation.manifests(ONE));
    expect(report.ok).toBe(true);
    // checks: every destination but the ingress on 7 probes: 8 tenant sources x 15 destinations x 7, 8 other sources x 8 tenant endpoints x 7
    expect(report.summary).toEqual({
      tenants: 1,
      endpoints: 16,
      identities: 16,
      policies: 3,
      checks: 1288,
      allowed: 856,
      differences: 0,
      differencesListed: 0,
      matrixIncluded: true,
      undetermined: 0,
      openedByTenantPolicies: 0,
    });
    expect(report.sources).toEqual(ONE_IDS);
    expect(report.destinations).toEqual(ONE_IDS);
    expect(report.matrix).toEqual(ONE_MATRIX);
    expect([report.differences, report.undetermined, report.uncertainRules, report.warnings]).toEqual([[], [], [], []]);
    expect(report.tenantAuthored).toEqual({ checked: true, ok: true, policy: POLICY, opened: [] });
  });

  test('no objects at all: a warning, every unintended cell a difference', () => {
    const report = verifyTenantIsolation(ONE, [], { maxDifferences: 4 });
    expect(report.ok).toBe(false);
    // 4 x 6 + 5 from the tenant, 12 from the world, 12 from remote nodes, 15 from the ingress entity
    expect(report.summary).toEqual({
      tenants: 1,
      endpoints: 16,
      identities: 16,
      policies: 0,
      checks: 1288,
      allowed: 1288,
      differences: 432,
      differencesListed: 4,
      matrixIncluded: true,
      undetermined: 0,
      openedByTenantPolicies: 0,
    });
    expect(report.warnings).toEqual(['Namespace tenant-root is not among the objects; its pods carry no tenant labels']);
    expect(report.matrix).toEqual([
      '✓✓✓✓✓✓✓✓!!!✓!!! ',
      '✓✓✓✓✓✓✓✓!!!✓!!! ',
      '✓✓✓✓✓✓✓✓!!!✓!!! ',
      '✓✓✓✓✓✓✓✓!!!✓!!! ',
      '✓✓✓✓✓✓✓✓!!!✓✓!! ',
      '✓✓✓✓✓✓✓✓!!!✓✓!! ',
      '✓✓✓✓✓✓✓✓!!!✓✓!! ',
      '✓✓✓✓✓✓✓✓!!!✓✓!! ',
      '✓✓✓✓✓✓✓✓        ',
      '✓✓✓✓✓✓✓✓        ',
      '✓✓✓✓✓✓✓✓        ',
      '!!✓!!!✓!        ',
      '✓✓✓✓✓✓✓✓        ',
      '✓✓✓✓✓✓✓✓        ',
      '!!✓!!!✓!        ',
      '!!!!!!!!        ',
    ]);
    const leak = (destination: string, probe: string, expectation: string) => ({
      source: 'tenant-root/pod', destination, probe, intended: false, actual: true, expectation, explanation: UNRESTRICTED,
    });
    expect(report.differences).toEqual([
      {
        source: 'tenant-root/pod',
        destination: 'kube-system/kube-dns',
        probe: 'TCP/8080',
        intended: false,
        actual: true,
        expectation: 'tenants reach cluster DNS on port 53 only, not TCP/8080',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-root/pod',
        destination: 'kube-system/kube-dns',
        probe: 'UDP/8080',
        intended: false,
        actual: true,
        expectation: 'tenants reach cluster DNS on port 53 only, not UDP/8080',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-root/pod',
        destination: 'kube-system/kube-dns',
        probe: 'SCTP/8080',
        intended: false,
        actual: true,
        expectation: 'tenants reach cluster DNS on port 53 only, not SCTP/8080',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-root/pod',
        destination: 'kube-system/kube-dns',
        probe: 'ICMP/type-8',
        intended: false,
        actual: true,
        expectation: 'tenants reach cluster DNS on port 53 only, not ICMP/type-8',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
    ]);
    expect(report.tenantAuthored).toEqual({ checked: true, ok: true, policy: POLICY, opened: [] });
  });
});

describe('undetermined cells and the ok flag', () => {
  test('between two tenants: not a difference, not ok', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS),
      CNP('tenant-a', 'to-b', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-b') }], toPorts: [L7('8080')] }] }),
      CNP('tenant-b', 'from-a', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }], toPorts: [L7('8080')] }] })];
    const report = verifyTenantIsolation(SIBLINGS, objects, { maxDifferences: 2 });
    const notes = [l7Note('CiliumNetworkPolicy tenant-a/to-b', 'egress[0]'), l7Note('CiliumNetworkPolicy tenant-b/from-a', 'ingress[0]')];
    expect(report.ok).toBe(false);
    expect(report.summary).toEqual({
      tenants: 3,
      endpoints: 32,
      identities: 32,
      policies: 9,
      checks: 7488,
      allowed: 4784,
      differences: 0,
      differencesListed: 0,
      matrixIncluded: true,
      undetermined: 64,
      openedByTenantPolicies: 0,
    });
    expect(report.uncertainRules).toEqual(notes);
    expect(report.differences).toEqual([]);
    const und = (destination: string) => ({
      source: 'tenant-a/pod',
      destination,
      probe: 'TCP/8080',
      intended: false,
      actual: true,
      expectation: 'tenant-a and tenant-b are unrelated tenants (neither is an ancestor of the other)',
      explanation: 'egress allowed by CiliumNetworkPolicy tenant-a/to-b egress[0]; ingress allowed by CiliumNetworkPolicy tenant-b/from-a ingress[0]; ' +
        `cannot be judged offline: ${notes.join('; ')}`,
    });
    expect(report.undetermined).toEqual([und('tenant-b/pod'), und('tenant-b/svc:etcd')]);
    expect(report.tenantAuthored).toEqual({ checked: true, ok: true, policy: POLICY, opened: [] });
    expect(report.matrix).toEqual([
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓··· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓··· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓··· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓··· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓··· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓··· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓··· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓··· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓✓·· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓✓·· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓✓·· ',
      '·✓✓✓·✓✓✓✓✓✓✓✓✓✓✓????????◐··✓✓·· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓··· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓··· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓··· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓··· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '·✓✓✓·✓✓✓········✓✓✓✓✓✓✓✓◐··✓✓·· ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓        ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓        ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓        ',
      '··✓···✓···✓···✓···✓···✓·        ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓        ',
      '✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓        ',
      '··✓···✓···✓···✓···✓···✓·        ',
      '························        ',
    ]);
  });
});

describe('undetermined cells that do not spoil ok: not between two different tenants', () => {
  const rootPods = { matchLabels: nsLabel('tenant-root') };
  const l7Subtree = () => {
    const objects = TenantIsolation.manifests(ONE) as any[];
    const subtree = objects.find((o) => o.metadata.name === 'cozynet-subtree-tenant-root');
    const from = subtree.spec.ingress[0].fromEndpoints;
    // every port and ICMP type open as before, but TCP/8080 only through an L7 rule
    const types = (family: string) => ({ fields: Array.from({ length: 256 }, (_, type) => ({ family, type })) });
    subtree.spec.ingress = [{ fromEndpoints: from, toPorts: [L7('8080')] },
      { fromEndpoints: from, toPorts: [{ ports: [{ port: '8080', protocol: 'UDP' }, { port: '8080', protocol: 'SCTP' }, { port: '1', endPort: 8079, protocol: 'ANY' }, { port: '8081', endPort: 65535, protocol: 'ANY' }] }] },
      { fromEndpoints: from, icmps: [types('IPv4'), types('IPv6')] }];
    return objects;
  };
  const CASES: Array<[string, () => any[], string, number, Record<number, string>, object]> = [
    ['from the world (no tenant) into the tenant',
      () => [...TenantIsolation.manifests(ONE), CCNP('world-in', { endpointSelector: rootPods, ingress: [{ fromEntities: ['world'], toPorts: [L7('8080')] }] })],
      'CiliumClusterwideNetworkPolicy world-in ingress[0]', 6, { 11: '??✓???✓?        ' },
      {
        source: 'world',
        destination: 'tenant-root/pod',
        probe: 'TCP/8080',
        intended: false,
        actual: true,
        expectation: 'tenant-root does not accept connections from the world here',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress allowed by CiliumClusterwideNetworkPolicy world-in ingress[0]; ' +
          `cannot be judged offline: ${l7Note('CiliumClusterwideNetworkPolicy world-in', 'ingress[0]')}`,
      }],
    ['from the tenant to kube-system (no tenant); undetermined beats partially allowed DNS',
      () => [...TenantIsolation.manifests(ONE), CCNP('to-system', {
        endpointSelector: rootPods,
        egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }], toPorts: [L7('8080')] }],
      })],
      'CiliumClusterwideNetworkPolicy to-system egress[0]', 16,
      { 0: '✓✓✓✓✓✓✓✓??·✓··· ', 1: '✓✓✓✓✓✓✓✓??·✓··· ', 2: '✓✓✓✓✓✓✓✓??·✓··· ', 3: '✓✓✓✓✓✓✓✓??·✓··· ', 4: '✓✓✓✓✓✓✓✓??·✓✓·· ', 5: '✓✓✓✓✓✓✓✓??·✓✓·· ', 6: '✓✓✓✓✓✓✓✓??·✓✓·· ', 7: '✓✓✓✓✓✓✓✓??·✓✓·· ' },
      {
        source: 'tenant-root/pod',
        destination: 'kube-system/kube-dns',
        probe: 'TCP/8080',
        intended: false,
        actual: true,
        expectation: 'tenants reach cluster DNS on port 53 only, not TCP/8080',
        explanation: 'egress allowed by CiliumClusterwideNetworkPolicy to-system egress[0]; ingress unrestricted (no ingress policy selects the destination); ' +
          `cannot be judged offline: ${l7Note('CiliumClusterwideNetworkPolicy to-system', 'egress[0]')}`,
      }],
    ['within one tenant (intended allowed)', l7Subtree,
      'CiliumClusterwideNetworkPolicy cozynet-subtree-tenant-root ingress[0]', 16,
      { 0: '?✓✓✓?✓✓✓◐··✓··· ', 1: '?✓✓✓?✓✓✓◐··✓··· ', 2: '?✓✓✓?✓✓✓◐··✓··· ', 3: '?✓✓✓?✓✓✓◐··✓··· ', 4: '?✓✓✓?✓✓✓◐··✓✓·· ', 5: '?✓✓✓?✓✓✓◐··✓✓·· ', 6: '?✓✓✓?✓✓✓◐··✓✓·· ', 7: '?✓✓✓?✓✓✓◐··✓✓·· ' },
      {
        source: 'tenant-root/pod',
        destination: 'tenant-root/pod',
        probe: 'TCP/8080',
        intended: true,
        actual: true,
        expectation: 'same tenant (tenant-root)',
        explanation: 'egress allowed by CiliumNetworkPolicy tenant-root/cozynet-tenant specs[0] egress[0]; ' +
          'ingress allowed by CiliumClusterwideNetworkPolicy cozynet-subtree-tenant-root ingress[0]; ' +
          `cannot be judged offline: ${l7Note('CiliumClusterwideNetworkPolicy cozynet-subtree-tenant-root', 'ingress[0]')}`,
      }],
  ];
  test.each(CASES)('%s', (_name, objects, rule, count, rows, first) => {
    const report = verifyTenantIsolation(ONE, objects(), { maxDifferences: 1 });
    expect(report.ok).toBe(true);
    expect(report.summary.undetermined).toBe(count);
    expect(report.summary.differences).toBe(0);
    expect(report.summary.openedByTenantPolicies).toBe(0);
    expect(report.uncertainRules).toEqual([l7Note(rule.slice(0, rule.lastIndexOf(' ')), rule.slice(rule.lastIndexOf(' ') + 1))]);
    expect(report.undetermined).toEqual([first]);
    expect(report.matrix).toEqual(ONE_MATRIX.map((row, i) => rows[i] ?? row));
  });
});

describe('the tenant-authored check: cells one tenant alone could open with the widest policy in its namespace', () => {
  const port = (protocol: string) => [{ ports: [{ port: '8080', protocol }] }];
  const fromA = () => CNP('tenant-b', 'from-a', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }] }] });
  const toB = () => CNP('tenant-a', 'to-b', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-b') }] }] });
  const aDeniesUdp = () => CCNP('a-deny', { endpointSelector: { matchLabels: nsLabel('tenant-a') }, egressDeny: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-b') }], toPorts: port('UDP') }] });
  const bRefusesSctp = () => CCNP('b-refuse', { endpointSelector: { matchLabels: nsLabel('tenant-b') }, ingressDeny: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }], toPorts: port('SCTP') }] });
  const BY_A = {
    expectation: 'tenant-a alone opened it with an egress policy in its own namespace; the receiver must refuse',
    explanation: 'egress allowed by the widest tenant policy (egress); ingress allowed by CiliumNetworkPolicy tenant-b/from-a ingress[0]',
  };
  const BY_B = {
    expectation: 'tenant-b alone opened it with an ingress policy in its own namespace; the sender must refuse',
    explanation: 'egress allowed by CiliumNetworkPolicy tenant-a/to-b egress[0]; ingress allowed by the widest tenant policy (ingress)',
  };
  const CASES: Array<[string, () => any[], number, string[], object]> = [
    // 8 x 8 endpoints x 7 probes; a deny on UDP/8080 (SCTP/8080) splits the rest of UDP (SCTP) into a class of its own, still open
    ['tenant-b accepts tenant-a: tenant-a alone opens it with egress', () => [fromA()], 448, ['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'ICMPv6/type-0'], BY_A],
    ['... except where tenant-a\'s egress is denied (UDP)', () => [fromA(), aDeniesUdp()], 448, ['TCP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'UDP/1', 'ICMPv6/type-0'], BY_A],
    ['... except where tenant-b refuses (SCTP)', () => [fromA(), bRefusesSctp()], 448, ['TCP/8080', 'UDP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'SCTP/1', 'ICMPv6/type-0'], BY_A],
    ['tenant-a sends to tenant-b: tenant-b alone opens it with ingress', () => [toB()], 448, ['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'ICMPv6/type-0'], BY_B],
    ['... except where tenant-a\'s egress is denied (UDP)', () => [toB(), aDeniesUdp()], 448, ['TCP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'UDP/1', 'ICMPv6/type-0'], BY_B],
    ['... except where tenant-b refuses (SCTP)', () => [toB(), bRefusesSctp()], 448, ['TCP/8080', 'UDP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'SCTP/1', 'ICMPv6/type-0'], BY_B],
  ];
  test.each(CASES)('%s', (_name, extra, total, probes, by) => {
    const report = verifyTenantIsolation(SIBLINGS, [...TenantIsolation.manifests(SIBLINGS), ...extra()]);
    expect(report.ok).toBe(false);
    expect([report.summary.differences, report.summary.undetermined, report.summary.openedByTenantPolicies]).toEqual([0, 0, 448]);
    expect(report.tenantAuthored.checked).toBe(true);
    expect(report.tenantAuthored.ok).toBe(false);
    expect(report.tenantAuthored.policy).toBe(POLICY);
    const opened = report.tenantAuthored.opened;
    expect(opened).toHaveLength(total);
    expect(opened[0]).toEqual({ source: 'tenant-a/pod', destination: 'tenant-b/pod', probe: 'TCP/8080', intended: false, actual: true, ...by });
    expect(opened.every((o) => o.source.startsWith('tenant-a/') && o.destination.startsWith('tenant-b/'))).toBe(true);
    expect([...new Set(opened.map((o) => o.probe))]).toEqual(probes);
    // listed by source, destination, probe
    expect(brief(opened.slice(0, probes.length + 1))).toEqual([
      ...probes.map((p) => `tenant-a/pod -> tenant-b/pod ${p}`), `tenant-a/pod -> tenant-b/svc:etcd ${probes[0]}`,
    ]);
    expect(brief(opened.slice(-1))).toEqual([
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true -> tenant-b/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true ICMPv6/type-0',
    ]);
    // the matrix shows the actual verdicts: tenant-a and tenant-b still cannot talk
    expect(cell(report, 'tenant-a/pod', 'tenant-b/pod')).toBe('·');
    expect(cell(report, 'tenant-b/pod', 'tenant-a/pod')).toBe('·');
  });

  test('both directions on one cell, capped: each cell with the tenant that opens it, in (source, destination, probe) order', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS),
      CNP('tenant-a', 'to-b', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-b') }], toPorts: port('UDP') }] }),
      CNP('tenant-b', 'from-a', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }], toPorts: port('TCP') }] })];
    const report = verifyTenantIsolation(SIBLINGS, objects, { maxDifferences: 3 });
    expect(report.summary.openedByTenantPolicies).toBe(128);
    const cellOf = (destination: string, probe: string, by: object) =>
      ({ source: 'tenant-a/pod', destination, probe, intended: false, actual: true, ...by });
    expect(report.tenantAuthored).toEqual({
      checked: true,
      ok: false,
      policy: POLICY,
      opened: [cellOf('tenant-b/pod', 'TCP/8080', BY_A), cellOf('tenant-b/pod', 'UDP/8080', BY_B), cellOf('tenant-b/svc:etcd', 'TCP/8080', BY_A)],
    });
    const all = verifyTenantIsolation(SIBLINGS, objects, { maxDifferences: 100 }).tenantAuthored.opened;
    expect(all).toHaveLength(100); // of 128: the list stops at maxDifferences
    expect(all.slice(0, 3)).toEqual(report.tenantAuthored.opened);
    expect(brief(all.slice(9, 12))).toEqual([
      'tenant-a/pod -> tenant-b/api-client UDP/8080',
      'tenant-a/pod -> tenant-b/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true TCP/8080',
      'tenant-a/pod -> tenant-b/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true UDP/8080',
    ]);
    const none = verifyTenantIsolation(SIBLINGS, objects, { maxDifferences: 0 });
    expect(none.tenantAuthored.opened).toEqual([]);
    expect(none.summary.openedByTenantPolicies).toBe(128);
    expect(none.tenantAuthored.ok).toBe(false);
  });

  test('cells within the tenant\'s own namespace are not counted as opened', () => {
    // no baseline: tenant-root's pods accept only the world, so its own pods do not reach each other
    const objects = [...TenantIsolation.manifests(ONE).filter((o: any) => o.kind === 'Namespace'),
      CNP('tenant-root', 'world-only', { endpointSelector: {}, ingress: [{ fromEntities: ['world'] }] })];
    const report = verifyTenantIsolation(ONE, objects);
    expect(cell(report, 'tenant-root/pod', 'tenant-root/api-client')).toBe('!');
    expect(report.summary.openedByTenantPolicies).toBe(0);
    expect(report.tenantAuthored).toEqual({ checked: true, ok: true, policy: POLICY, opened: [] });
    expect(report.ok).toBe(false);
  });
});

describe('matrix symbols', () => {
  test('a difference on one probe beats an undetermined verdict on another', () => {
    const rootPods = { matchLabels: nsLabel('tenant-root') };
    const kubeSystem = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } };
    const report = verifyTenantIsolation(ONE, [...TenantIsolation.manifests(ONE),
      CCNP('to-system', { endpointSelector: rootPods, egress: [{ toEndpoints: [kubeSystem], toPorts: [L7('8080')] }] }),
      CCNP('no-udp-dns', { endpointSelector: rootPods, egressDeny: [{ toEndpoints: [kubeSystem], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }] })]);
    expect(report.matrix!.slice(0, 6)).toEqual([
      '✓✓✓✓✓✓✓✓!?·✓··· ',
      '✓✓✓✓✓✓✓✓!?·✓··· ',
      '✓✓✓✓✓✓✓✓!?·✓··· ',
      '✓✓✓✓✓✓✓✓!?·✓··· ',
      '✓✓✓✓✓✓✓✓!?·✓✓·· ',
      '✓✓✓✓✓✓✓✓!?·✓✓·· ',
    ]);
    expect([report.summary.differences, report.summary.undetermined]).toEqual([8, 16]);
    expect(report.differences[0]).toEqual({
      source: 'tenant-root/pod',
      destination: 'kube-system/kube-dns',
      probe: 'UDP/53',
      intended: true,
      actual: false,
      expectation: 'every tenant pod may reach cluster DNS on port 53',
      explanation: 'egress denied by CiliumClusterwideNetworkPolicy no-udp-dns egressDeny[0]; ingress unrestricted (no ingress policy selects the destination)',
    });
    expect(brief(report.undetermined.slice(0, 2))).toEqual(['tenant-root/pod -> kube-system/kube-dns TCP/8080', 'tenant-root/pod -> kube-system/pod TCP/8080']);
  });
});

describe('cell explanations (cozynet verify --explain)', () => {
  test('forEachCell: one call per source and probe that has checked cells', () => {
    const v = compileVerification(resolveTenants(ONE), TenantIsolation.manifests(ONE));
    const calls: string[] = [];
    forEachCell(v, (s, p, _allowed, mask) => calls.push(`${v.layout.reps[s].id} ${p} ${mask.length > 0}`));
    // 5 tenant sources x 8 probes with destinations (none carries ICMP), 8 other sources x the 3 probes of tenant endpoints
    expect(calls).toHaveLength(112);
    expect(calls.every((c) => c.endsWith(' true'))).toBe(true);
    expect(calls.filter((c) => c.startsWith('world '))).toEqual([
      'world 0 true',
      'world 1 true',
      'world 2 true',
      'world 3 true',
      'world 4 true',
      'world 5 true',
      'world 6 true',
    ]);
  });

  test('a given probe is looked up by port and protocol', () => {
    const v = compileVerification(resolveTenants(ONE), TenantIsolation.manifests(ONE));
    const id = (x: string) => v.layout.reps.findIndex((r) => r.id === x);
    const explain = (probe: { protocol: 'TCP' | 'UDP'; port: number }) => explainCell(v, id('tenant-root/pod'), id('kube-system/kube-dns'), probe)
      .map((c) => [c.source, c.destination, c.probe, c.intended, c.expectation, c.decision.allowed]);
    expect(explain({ protocol: 'UDP', port: 53 })).toEqual([
      ['tenant-root/pod', 'kube-system/kube-dns', 'UDP/53', true, 'every tenant pod may reach cluster DNS on port 53', true],
    ]);
    expect(explain({ protocol: 'TCP', port: 8080 })).toEqual([
      ['tenant-root/pod', 'kube-system/kube-dns', 'TCP/8080', false, 'tenants reach cluster DNS on port 53 only, not TCP/8080', false],
    ]);
    // UDP/8080 is probed on tenant pods, not on DNS: no intention
    expect(explain({ protocol: 'UDP', port: 8080 })).toEqual([
      [
        'tenant-root/pod',
        'kube-system/kube-dns',
        'UDP/8080',
        false,
        'tenants reach cluster DNS on port 53 only, not UDP/8080',
        false,
      ],
    ]);
    // by default the destination's probes, in their order
    expect(explainCell(v, id('tenant-root/pod'), id('kube-system/kube-dns')).map((c) => [c.probe, c.intended, c.decision.allowed, 'lower' in c]))
      .toEqual([
        ['TCP/8080, UDP/8080, SCTP/8080', false, false, false],
        ['UDP/53, TCP/53', true, true, false],
        ['ICMP/type-8, ICMPv6/type-0', false, false, false],
      ]);
  });
});

describe('the tenant-authored check on the probes each destination carries', () => {
  test('an ancestor accepting a descendant on every port: opened on the pod probes only', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS),
      CNP('tenant-root', 'from-a', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }] }] })];
    const report = verifyTenantIsolation(SIBLINGS, objects);
    // 5 sources x tenant-root/pod and tenant-root/api-client (its shared services are open already) x 3 probes
    expect(report.summary.openedByTenantPolicies).toBe(112);
    const opened = report.tenantAuthored.opened;
    expect(opened).toHaveLength(112);
    expect(new Set(opened.map((o) => o.destination))).toEqual(new Set(['tenant-root/pod', 'tenant-root/api-client']));
    expect(opened.every((o) => o.source.startsWith('tenant-a/'))).toBe(true);
    expect([...new Set(opened.map((o) => o.probe))]).toEqual(['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'ICMPv6/type-0']);
    expect(opened[0]).toEqual({
      source: 'tenant-a/pod',
      destination: 'tenant-root/pod',
      probe: 'TCP/8080',
      intended: false,
      actual: true,
      expectation: 'tenant-a alone opened it with an egress policy in its own namespace; the receiver must refuse',
      explanation: 'egress allowed by the widest tenant policy (egress); ingress allowed by CiliumNetworkPolicy tenant-root/from-a ingress[0]',
    });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(false);
  });
});
