import * as fs from 'fs';
import * as path from 'path';
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { formatVerifyReport, TenantIsolationVerifier, verifyTenantIsolation, VerifyFormat, VerifyReport } from '../../../src/verify';
import * as iv from '../../../src/verify/intervals';
import { intendedCell, intendedRows, Layout } from '../../../src/verify/verify';

const CONTRACT: TenantIsolationProps = {
  tenants: [{ name: 'root', children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }],
};

/** The matrix symbol of (source, destination). */
function cell(report: VerifyReport, source: string, destination: string): string {
  const r = report.sources.indexOf(source);
  const c = report.destinations.indexOf(destination);
  if (r < 0 || c < 0) throw new Error(`no cell ${source} -> ${destination}`);
  return [...report.matrix![r]][c];
}

const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const nsLabel = (ns: string) => ({ [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' });

/** The report of the contract example, built inside each test (mutation testing: per-test coverage). */
const contractReport = () => verifyTenantIsolation(CONTRACT, TenantIsolation.manifests(CONTRACT));

describe('verifyTenantIsolation on the contract example', () => {

  test('verifies clean', () => {
    const report = contractReport();
    expect(report.ok).toBe(true);
    expect(report.differences).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.summary).toMatchObject({
      tenants: 4, endpoints: 40, identities: 40, policies: 9, differences: 0, matrixIncluded: true, undetermined: 0, openedByTenantPolicies: 0,
    });
    expect(report.tenantAuthored).toMatchObject({ checked: true, ok: true, opened: [] });
    expect(report.summary.checks).toBeGreaterThan(1000);
  });

  test('objects default to what TenantIsolation synthesizes', () => {
    const report = contractReport();
    expect(verifyTenantIsolation(CONTRACT)).toEqual(report);
  });

  test('expected cells', () => {
    const report = contractReport();
    const ALLOWED = '✓';
    const DENIED = '·';
    const PARTIAL = '◐';
    // within a tenant
    expect(cell(report, 'tenant-acme/pod', 'tenant-acme/api-client')).toBe(ALLOWED);
    // ancestor -> descendant
    expect(cell(report, 'tenant-acme/pod', 'tenant-acme-dev/pod')).toBe(ALLOWED);
    expect(cell(report, 'tenant-root/pod', 'tenant-acme-dev/pod')).toBe(ALLOWED);
    // descendant -> ancestor: denied, except shared services
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-acme/pod')).toBe(DENIED);
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-acme/svc:ingress')).toBe(ALLOWED);
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-root/svc:etcd')).toBe(ALLOWED);
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-root/svc:monitoring')).toBe(ALLOWED);
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-root/api-client')).toBe(DENIED);
    // siblings, both ways, also their shared services
    expect(cell(report, 'tenant-acme/pod', 'tenant-beta/pod')).toBe(DENIED);
    expect(cell(report, 'tenant-beta/pod', 'tenant-acme/pod')).toBe(DENIED);
    expect(cell(report, 'tenant-beta/pod', 'tenant-acme/svc:ingress')).toBe(DENIED);
    expect(cell(report, 'tenant-beta/pod', 'tenant-acme-dev/pod')).toBe(DENIED);
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-beta/pod')).toBe(DENIED);
    // every tenant -> DNS on port 53 only
    for (const src of report.sources.filter((s) => s.startsWith('tenant-'))) {
      expect([src, cell(report, src, 'kube-system/kube-dns')]).toEqual([src, PARTIAL]);
      expect([src, cell(report, src, 'kube-system/pod')]).toEqual([src, DENIED]);
    }
    // kube-system and system namespaces -> every tenant
    for (const dst of report.destinations.filter((d) => d.startsWith('tenant-'))) {
      expect([dst, cell(report, 'kube-system/pod', dst)]).toEqual([dst, ALLOWED]);
      expect([dst, cell(report, 'kube-system/kube-dns', dst)]).toEqual([dst, ALLOWED]);
      expect([dst, cell(report, 'cozy-system/pod', dst)]).toEqual([dst, ALLOWED]);
    }
    // kube-apiserver: opted-in pods only
    expect(cell(report, 'tenant-beta/api-client', 'kube-apiserver')).toBe(ALLOWED);
    expect(cell(report, 'tenant-beta/pod', 'kube-apiserver')).toBe(DENIED);
    // world: egress allowed, ingress only into ingress controllers
    expect(cell(report, 'tenant-beta/pod', 'world')).toBe(ALLOWED);
    expect(cell(report, 'world', 'tenant-beta/pod')).toBe(DENIED);
    expect(cell(report, 'world', 'tenant-beta/svc:ingress')).toBe(ALLOWED);
    expect(cell(report, 'world', 'kube-apiserver')).toBe(' ');
  });

  test('text format: a matrix with a legend', () => {
    const report = contractReport();
    const text = formatVerifyReport(report, 'text');
    expect(text).toMatch(/^Tenant isolation: OK \(4 tenants, 40 endpoints/);
    expect(text).toContain('✓ allowed on every probed port');
    // every destination is probed on the same probes, listed once
    expect(text).toContain('Probes (every destination, one per class of protocol and port that the policies and the intention distinguish; 7 probes):\n' +
      '  TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0\n');
    expect(text).toContain('\n  33  kube-system/kube-dns\n');
    const row = text.split('\n').find((l) => l.startsWith('  tenant-acme-dev/pod '))!;
    expect(row.replace(/ +/g, ' ').trim()).toBe('tenant-acme-dev/pod · ✓ ✓ ✓ · ✓ ✓ ✓ · ✓ ✓ ✓ · ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ · · · · · · · · ◐ · · ✓ · · ·');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^OK: the policies give exactly the intended reachability/);
  });

  test('JSON format is stable and complete', () => {
    const report = contractReport();
    const json = formatVerifyReport(report, 'json');
    expect(json).toBe(formatVerifyReport(verifyTenantIsolation(CONTRACT), 'json'));
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed.ok).toBe(true);
    expect(parsed.matrix).toHaveLength(parsed.sources.length);
    expect(parsed.endpoints.find((e: any) => e.id === 'tenant-acme/svc:ingress')).toEqual({
      id: 'tenant-acme/svc:ingress',
      labels: { 'cozynet.io/probe': 'svc-ingress', 'cozystack.io/service': 'ingress' },
      namespace: 'tenant-acme',
      probes: ['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'ICMPv6/type-0'],
      role: 'tenant-service',
      tenant: 'tenant-acme',
    });
  });

  test('class form', () => {
    const r = TenantIsolationVerifier.verify(CONTRACT);
    expect(r.ok).toBe(true);
    expect(TenantIsolationVerifier.format(r, VerifyFormat.JSON)).toBe(formatVerifyReport(r, 'json'));
    expect(TenantIsolationVerifier.format(r)).toBe(formatVerifyReport(r, 'text'));
  });
});

describe('verifyTenantIsolation reports leaks and over-restriction', () => {
  const base = () => TenantIsolation.manifests(CONTRACT);

  test('a cluster-wide policy allowing everything into tenant-beta', () => {
    const report = verifyTenantIsolation(CONTRACT, [...base(), CCNP('allow-all-into-beta', {
      endpointSelector: { matchLabels: nsLabel('tenant-beta') },
      ingress: [{ fromEntities: ['all'] }],
    })]);
    expect(report.ok).toBe(false);
    const d = report.differences.find((x) => x.source === 'world' && x.destination === 'tenant-beta/pod' && x.probe === 'TCP/8080')!;
    expect(d).toMatchObject({ intended: false, actual: true });
    expect(d.explanation).toContain('ingress allowed by CiliumClusterwideNetworkPolicy allow-all-into-beta');
    expect(d.expectation).toContain('does not accept connections from the world');
    expect(cell(report, 'world', 'tenant-beta/pod')).toBe('!');
    expect(cell(report, 'world', 'tenant-acme/pod')).toBe('·');
    // tenant pods are still held back by their own egress policies
    expect(cell(report, 'tenant-acme/pod', 'tenant-beta/pod')).toBe('·');
    const text = formatVerifyReport(report, 'text');
    expect(text).toMatch(/^Tenant isolation: VIOLATED/);
    expect(text).toContain('! world -> tenant-beta/pod TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied, actual allowed');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^VIOLATED: \d+ of \d+ checks differ/);
  });

  test('a sibling opened through namespace-label selectors (both halves)', () => {
    const metaName = 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name';
    const report = verifyTenantIsolation(CONTRACT, [...base(),
      CNP('tenant-acme', 'to-beta', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { [metaName]: 'tenant-beta' } }] }] }),
      CNP('tenant-beta', 'from-acme', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { [metaName]: 'tenant-acme' } }] }] })]);
    expect(report.ok).toBe(false);
    const pairs = new Set(report.differences.map((d) => `${d.source} -> ${d.destination}`));
    expect(pairs.has('tenant-acme/pod -> tenant-beta/pod')).toBe(true);
    expect(pairs.has('tenant-beta/pod -> tenant-acme/pod')).toBe(false);
    expect(report.differences.every((d) => d.source.startsWith('tenant-acme/') && d.destination.startsWith('tenant-beta/') && d.actual)).toBe(true);
    // 5 x 5 endpoints x 3 probes
    expect(report.summary.differences).toBe(448);
  });

  test('one namespaced policy with a sibling namespace label is only half a path: no difference, but acme alone can now open it', () => {
    const report = verifyTenantIsolation(CONTRACT, [...base(),
      CNP('tenant-beta', 'from-acme', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-acme') }] }] })]);
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.tenantAuthored.ok).toBe(false);
    const pairs = new Set(report.tenantAuthored.opened.map((d) => `${d.source} -> ${d.destination}`));
    expect(pairs.has('tenant-acme/pod -> tenant-beta/pod')).toBe(true);
    expect([...pairs].every((p) => p.startsWith('tenant-acme') && p.includes(' -> tenant-beta/'))).toBe(true); // acme's label covers acme-dev too
    const d = report.tenantAuthored.opened.find((x) => x.source === 'tenant-acme/pod' && x.destination === 'tenant-beta/pod')!;
    expect(d.expectation).toBe('tenant-acme alone opened it with an egress policy in its own namespace; the receiver must refuse');
    expect(d.explanation).toContain('ingress allowed by CiliumNetworkPolicy tenant-beta/from-acme ingress[0]');
    expect(d.explanation).toContain('egress allowed by the widest tenant policy (egress)');
  });

  test('a descendant given egress to the ancestor, with the ancestor accepting its subtree', () => {
    const report = verifyTenantIsolation(CONTRACT, [...base(),
      CCNP('dev-to-acme', { endpointSelector: { matchLabels: nsLabel('tenant-acme') }, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-acme') }] }] }),
      CNP('tenant-acme-dev', 'up', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-acme') }] }] })]);
    expect(report.ok).toBe(false);
    expect(report.differences.some((d) => d.source === 'tenant-acme-dev/pod' && d.destination === 'tenant-acme/pod')).toBe(true);
  });

  test('kube-apiserver for every pod of a tenant', () => {
    const report = verifyTenantIsolation(CONTRACT, [...base(),
      CNP('tenant-acme', 'api', { endpointSelector: {}, egress: [{ toEntities: ['kube-apiserver'] }] })]);
    expect(report.differences.map((d) => `${d.source} -> ${d.destination} ${d.probe}`)).toEqual([
      'tenant-acme/pod -> kube-apiserver TCP/8080',
      'tenant-acme/pod -> kube-apiserver UDP/8080',
      'tenant-acme/pod -> kube-apiserver SCTP/8080',
      'tenant-acme/pod -> kube-apiserver UDP/53',
      'tenant-acme/pod -> kube-apiserver TCP/53',
      'tenant-acme/pod -> kube-apiserver ICMP/type-8',
      'tenant-acme/pod -> kube-apiserver ICMPv6/type-0',
      'tenant-acme/svc:etcd -> kube-apiserver TCP/8080',
      'tenant-acme/svc:etcd -> kube-apiserver UDP/8080',
      'tenant-acme/svc:etcd -> kube-apiserver SCTP/8080',
      'tenant-acme/svc:etcd -> kube-apiserver UDP/53',
      'tenant-acme/svc:etcd -> kube-apiserver TCP/53',
      'tenant-acme/svc:etcd -> kube-apiserver ICMP/type-8',
      'tenant-acme/svc:etcd -> kube-apiserver ICMPv6/type-0',
      'tenant-acme/svc:ingress -> kube-apiserver TCP/8080',
      'tenant-acme/svc:ingress -> kube-apiserver UDP/8080',
      'tenant-acme/svc:ingress -> kube-apiserver SCTP/8080',
      'tenant-acme/svc:ingress -> kube-apiserver UDP/53',
      'tenant-acme/svc:ingress -> kube-apiserver TCP/53',
      'tenant-acme/svc:ingress -> kube-apiserver ICMP/type-8',
      'tenant-acme/svc:ingress -> kube-apiserver ICMPv6/type-0',
      'tenant-acme/svc:monitoring -> kube-apiserver TCP/8080',
      'tenant-acme/svc:monitoring -> kube-apiserver UDP/8080',
      'tenant-acme/svc:monitoring -> kube-apiserver SCTP/8080',
      'tenant-acme/svc:monitoring -> kube-apiserver UDP/53',
      'tenant-acme/svc:monitoring -> kube-apiserver TCP/53',
      'tenant-acme/svc:monitoring -> kube-apiserver ICMP/type-8',
      'tenant-acme/svc:monitoring -> kube-apiserver ICMPv6/type-0',
    ]);
  });

  test('over-restriction is a difference too: a deny on DNS', () => {
    const report = verifyTenantIsolation(CONTRACT, [...base(), CCNP('no-dns-for-beta', {
      endpointSelector: { matchLabels: nsLabel('tenant-beta') },
      egressDeny: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }],
    })]);
    expect(report.summary.differences).toBe(8);
    expect(report.differences.every((d) => d.destination === 'kube-system/kube-dns' && d.probe === 'UDP/53' && d.intended && !d.actual)).toBe(true);
    expect(report.differences[0].explanation).toContain('egress denied by CiliumClusterwideNetworkPolicy no-dns-for-beta');
  });

  test('missing namespaces are warned about and show up as differences', () => {
    const report = verifyTenantIsolation(CONTRACT, base().filter((o) => !(o.kind === 'Namespace' && o.metadata.name === 'tenant-beta')));
    expect(report.ok).toBe(false);
    expect(report.warnings).toContain('Namespace tenant-beta is not among the objects; its pods carry no tenant labels');
  });

  test('an empty object list: nothing is isolated', () => {
    const report = verifyTenantIsolation(CONTRACT, []);
    expect(report.ok).toBe(false);
    expect(cell(report, 'tenant-beta/pod', 'tenant-acme/pod')).toBe('!');
  });

  test('host policies and unrelated objects do not disturb', () => {
    const hostFirewall = CCNP('restrict-system-components', {
      nodeSelector: {},
      ingressDeny: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '2379', protocol: 'TCP' }, { port: '10250', protocol: 'TCP' }] }] }],
      ingress: [{ fromEntities: ['world', 'host', 'cluster'] }],
    });
    const report = verifyTenantIsolation(CONTRACT, [...base(), hostFirewall, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]);
    expect(report.ok).toBe(true);
    expect(report.summary.policies).toBe(10);
  });

  test('limits: listed differences and the matrix are capped, counts are not', () => {
    const report = verifyTenantIsolation(CONTRACT, [], { maxDifferences: 3, maxMatrixCells: 10 });
    expect(report.differences).toHaveLength(3);
    expect(report.summary.differencesListed).toBe(3);
    expect(report.summary.differences).toBeGreaterThan(100);
    expect(report.matrix).toBeUndefined();
    const text = formatVerifyReport(report, 'text');
    expect(text).toContain('matrix of 40 x 40 cells not included');
    expect(text).toMatch(/and \d+ more differences \(not all listed in the report\)/);
  });
});

describe('verifyTenantIsolation with options', () => {
  test('tenant options change the intended matrix, and the policies follow', () => {
    const props: TenantIsolationProps = {
      allowWorldIngress: false,
      worldIngressServices: ['ingress', 'vpn'],
      tenants: [{
        name: 'root',
        sharedServices: ['etcd'],
        children: [
          { name: 'acme', allowWorldEgress: false, allowApiServer: false, sharedServices: [], children: [{ name: 'dev', allowWorldIngress: true }] },
          { name: 'beta', sharedServices: ['nats'] },
        ],
      }],
    };
    const report = verifyTenantIsolation(props);
    expect(report.ok).toBe(true);
    expect(cell(report, 'tenant-acme/pod', 'world')).toBe('·');
    expect(cell(report, 'tenant-acme-dev/pod', 'world')).toBe('·'); // inherited
    expect(cell(report, 'tenant-acme-dev/api-client', 'kube-apiserver')).toBe('·'); // inherited
    expect(cell(report, 'tenant-beta/api-client', 'kube-apiserver')).toBe('✓');
    expect(cell(report, 'world', 'tenant-acme-dev/pod')).toBe('✓');
    expect(cell(report, 'world', 'tenant-acme/svc:vpn')).toBe('✓');
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-root/svc:etcd')).toBe('✓');
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-root/svc:ingress')).toBe('·'); // root shares only etcd
    expect(cell(report, 'tenant-acme-dev/pod', 'tenant-acme/svc:etcd')).toBe('·'); // acme shares nothing
    expect(report.destinations).toContain('tenant-beta/svc:nats');
  });

  test('custom labels and DNS', () => {
    const props: TenantIsolationProps = {
      ...CONTRACT,
      serviceLabel: 'example.com/role',
      apiServerAccessLabel: 'example.com/api',
      systemNamespaceLabel: 'example.com/system',
      dnsNamespace: 'dns',
      dnsPodLabels: { app: 'coredns' },
    };
    const report = verifyTenantIsolation(props, undefined, { systemNamespace: 'platform' });
    expect(report.ok).toBe(true);
    expect(cell(report, 'tenant-beta/pod', 'dns/kube-dns')).toBe('◐');
    expect(cell(report, 'platform/pod', 'tenant-beta/pod')).toBe('✓');
  });
});

describe('the fast intended rows and the slow intended cells agree', () => {
  test('on a tree with options, exposures (ports, ICMP, subtree, selectors, world) and platform services', () => {
    const props: TenantIsolationProps = {
      worldIngressServices: ['ingress', 'vpn'],
      allowFromIngress: true,
      allowFromHost: false,
      platformServices: [{ name: 'dash', namespace: 'cozy-dash', ports: [{ port: 443 }] }, { name: 'idp', namespaceSelector: { idp: 'yes' } }],
      exposures: [
        { name: 'api', namespace: 'tenant-acme', selector: { app: 'api' }, ports: [{ port: 8443 }, { port: 9000, endPort: 9010, protocol: 'UDP' as any }], allowIcmp: true, from: [{ namespace: 'tenant-beta', selector: { role: 'client' } }, { world: true }] },
        { name: 'all', namespace: 'tenant-beta', from: [{ namespace: 'tenant-acme', subtree: true }] },
      ],
      tenants: [{
        name: 'root',
        sharedServices: ['etcd'],
        children: [
          { name: 'acme', allowWorldEgress: false, allowFromApiServer: false, children: [{ name: 'dev', allowWorldIngress: true, allowFromRemoteNode: true }] },
          { name: 'beta', sharedServices: ['vpn'], allowApiServer: false },
        ],
      }],
    };
    const cfg = resolveTenants(props);
    const layout = new Layout(cfg, 'cozy-system');
    const P = layout.probes.length;
    const all = Array.from({ length: P }, (_, i) => i);
    let compared = 0;
    // every cell where the two disagree, with its verdicts (one assertion: thousands of cells)
    const mismatches: Array<[string, string, number, boolean, boolean]> = [];
    for (let s = 0; s < layout.size; s++) {
      const rows = intendedRows(layout, s, all);
      for (let p = 0; p < P; p++) {
        for (let d = 0; d < layout.size; d++) {
          const want = intendedCell(layout, s, d, p);
          if (want === undefined) continue;
          compared++;
          const got = iv.has(rows[p], d);
          if (got !== want.allowed) mismatches.push([layout.reps[s].id, layout.reps[d].id, p, got, want.allowed]);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(2000);
    const report = verifyTenantIsolation(props);
    expect(report.ok).toBe(true);
  });
});

describe('the text matrix grouped by kind and relation', () => {
  test('a matrix wider than maxColumns: one row per kind of source, one column per kind of destination and relation', () => {
    const text = formatVerifyReport(contractReport(), 'text', { maxColumns: 10 });
    // The whole text a user reads (checked by hand against the intended reachability of facts §9).
    expect(text).toBe([
      'Tenant isolation: OK (4 tenants, 40 endpoints, 40 identities, 9 policies; 10528 checks, 6560 allowed, 0 differences from the intended reachability)',
      'Tenant-authored policies: OK (the widest policy each of the 4 tenants can write in its own namespace opens no path to or from another tenant)',
      '',
      'Reachability, grouped (40 x 40 cells; rows: kind of source, columns: kind of destination and how its tenant relates to the source\'s):',
      '  ✓ allowed on every probed port   · denied   ◐ allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)   ! differs from the intended reachability   ? cannot be decided offline (rules the model cannot judge; see Undetermined)   (blank) not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)   (a group whose cells differ shows ◐)',
      '',
      'Destinations:',
      '   1  same tenant: pod',
      '   2  same tenant: svc:etcd',
      '   3  same tenant: svc:ingress',
      '   4  same tenant: svc:monitoring',
      '   5  same tenant: api-client',
      '   6  same tenant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '   7  same tenant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '   8  same tenant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '   9  a descendant: pod',
      '  10  a descendant: svc:etcd',
      '  11  a descendant: svc:ingress',
      '  12  a descendant: svc:monitoring',
      '  13  a descendant: api-client',
      '  14  a descendant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  15  a descendant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  16  a descendant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  17  an ancestor: pod',
      '  18  an ancestor: svc:etcd',
      '  19  an ancestor: svc:ingress',
      '  20  an ancestor: svc:monitoring',
      '  21  an ancestor: api-client',
      '  22  an ancestor: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  23  an ancestor: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  24  an ancestor: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  25  an unrelated tenant: pod',
      '  26  an unrelated tenant: svc:etcd',
      '  27  an unrelated tenant: svc:ingress',
      '  28  an unrelated tenant: svc:monitoring',
      '  29  an unrelated tenant: api-client',
      '  30  an unrelated tenant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  31  an unrelated tenant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  32  an unrelated tenant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  33  kube-system/kube-dns',
      '  34  kube-system/pod',
      '  35  cozy-system/pod',
      '  36  world',
      '  37  kube-apiserver',
      '  38  host',
      '  39  remote-node',
      '',
      '                                                                                           1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39',
      '  tenant pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:etcd                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:ingress                                                                       ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:monitoring                                                                    ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant api-client                                                                        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  kube-system/kube-dns                                                                     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  kube-system/pod                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  cozy-system/pod                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  world                                                                                    ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                     ',
      '  kube-apiserver                                                                           ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  host                                                                                     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  remote-node                                                                              ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                     ',
      '  ingress                                                                                  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·                     ',
      '',
      'OK: the policies give exactly the intended reachability (10528 checks), and no tenant can open another with policies of its own.',
      '',
    ].join('\n'));
    const lines = text.split('\n');
    const row = (key: string) => lines.find((l) => l.startsWith(`  ${key} `))!.slice(2 + 21).replace(/ +/g, ' ').trim().split(' ');
    const col = (label: string) => lines.findIndex((l) => l.replace(/^ +\d+ {2}/, '') === label) - lines.indexOf('Destinations:') - 1;
    const pod = row('tenant pod');
    expect(pod[col('same tenant: pod')]).toBe('✓');
    expect(pod[col('a descendant: pod')]).toBe('✓');
    expect(pod[col('an ancestor: pod')]).toBe('·');
    expect(pod[col('an ancestor: svc:etcd')]).toBe('✓');
    expect(pod[col('an unrelated tenant: pod')]).toBe('·');
    expect(pod[col('an unrelated tenant: svc:ingress')]).toBe('·');
    expect(pod[col('kube-system/kube-dns')]).toBe('◐');
    expect(row('world').filter((c) => c === '✓')).toHaveLength(8); // the ingress service of each relation
    // at most maxColumns columns print the full matrix instead
    expect(formatVerifyReport(contractReport(), 'text', { maxColumns: 40 })).not.toContain('Reachability, grouped');
    expect(formatVerifyReport(contractReport(), 'text', { maxColumns: 39 })).toContain('Reachability, grouped (40 x 40 cells;');
  });
});
