import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Platform, PlatformProps } from '../../src';
import { CozynetValidationError } from '../../src/model/errors';
import { readPlatformFile } from '../../src/platform/file';
import { ExposurePeer, ExposurePort, TenantIsolation, TenantIsolationProps } from '../../src/tenants';
import { formatVerifyReport, verifyTenantIsolation, VerifyReport } from '../../src/verify';

const CONTRACT_FILE = path.join(__dirname, '..', '..', 'examples', 'platforms', 'contract.yaml');
const TREE: TenantIsolationProps = {
  tenants: [{ name: 'root', children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }],
};

function cell(report: VerifyReport, source: string, destination: string): string {
  const r = report.sources.indexOf(source);
  const c = report.destinations.indexOf(destination);
  if (r < 0 || c < 0) throw new Error(`no cell ${source} -> ${destination}`);
  return [...report.matrix![r]][c];
}

function platform(props: PlatformProps): Platform {
  return new Platform(new Construct(undefined as any, ''), 'p', { ...props, delivery: { terraform: false } });
}

function errorOf(fn: () => unknown): CozynetValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CozynetValidationError) return e;
    throw e;
  }
  throw new Error('expected a CozynetValidationError');
}

describe('the contract example: what the platform exposes stays reachable, tenants stay apart', () => {
  const p = platform(readPlatformFile(CONTRACT_FILE));
  const report = p.verifyTenants()!;

  test('verifies clean, tenant-authored policies included', () => {
    expect(report.ok).toBe(true);
    expect(report.differences).toEqual([]);
    expect(report.tenantAuthored).toMatchObject({ checked: true, ok: true, opened: [] });
  });

  test('passthrough VM vm1 (wholeIp): the world reaches it on every port and ICMP, and nothing else of tenant-acme', () => {
    expect(cell(report, 'world', 'tenant-acme/expose:passthrough-vm1')).toBe('✓');
    expect(cell(report, 'world', 'tenant-acme/pod')).toBe('·');
    expect(cell(report, 'world', 'tenant-acme/api-client')).toBe('·');
    expect(cell(report, 'tenant-beta/pod', 'tenant-acme/expose:passthrough-vm1')).toBe('·');
    const policy = p.objects().find((o) => o.metadata.name === 'cozynet-expose-tenant-acme-passthrough-vm1');
    expect(policy.kind).toBe('CiliumClusterwideNetworkPolicy');
    expect(policy.specs).toEqual([{
      description: 'Exposure passthrough-vm1: pods of tenant-acme labelled vm.kubevirt.io/name=vm1 accept connections on every port from the world (ingress half)',
      endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme', 'k8s:vm.kubevirt.io/name': 'vm1' } },
      ingress: [{ fromEntities: ['world'] }],
    }]);
  });

  test('Gateway API backends (entity ingress), webhooks (kube-apiserver), probes (host) reach every tenant pod', () => {
    for (const dst of report.destinations.filter((d) => d.startsWith('tenant-'))) {
      expect([dst, cell(report, 'ingress', dst), cell(report, 'kube-apiserver', dst), cell(report, 'host', dst)]).toEqual([dst, '✓', '✓', '✓']);
    }
    const baseline = p.objects().find((o) => o.metadata.name === 'cozynet-tenant-baseline');
    expect(baseline.specs[0].ingress[1]).toEqual({ fromEntities: ['host', 'ingress'] });
  });

  test('remote-node (SNATed load-balancer traffic) reaches world-facing ingress pods only', () => {
    expect(cell(report, 'remote-node', 'tenant-beta/svc:ingress')).toBe('✓');
    expect(cell(report, 'remote-node', 'tenant-beta/pod')).toBe('·');
  });

  test("a tenant's own allow-all policy opens no other tenant", () => {
    const allowAll = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'allow-all', namespace: 'tenant-acme' },
      spec: { endpointSelector: {}, ingress: [{ fromEntities: ['all'] }], egress: [{ toEntities: ['all'] }] },
    };
    const r = verifyTenantIsolation(p._isolationProps()!, [...p.objects(), allowAll]);
    expect(r.differences.length).toBeGreaterThan(0); // acme opened itself to the world and to nodes
    const tenantOf = (id: string) => (id.startsWith('tenant-') ? id.slice(0, id.indexOf('/')) : undefined);
    for (const d of r.differences) {
      const s = tenantOf(d.source);
      const t = tenantOf(d.destination);
      expect([d.source, d.destination, s !== undefined && t !== undefined && s !== t]).toEqual([d.source, d.destination, false]);
      expect([s, t]).toContain('tenant-acme');
    }
    expect(cell(r, 'tenant-acme/pod', 'tenant-beta/pod')).toBe('·');
    expect(cell(r, 'tenant-beta/pod', 'tenant-acme/pod')).toBe('·');
    expect(cell(r, 'world', 'tenant-acme/pod')).toBe('!');
    // acme has consented to everything: from now on a sibling alone can reach it. The check says so,
    // and every such cell has acme on one side (no path between two other tenants).
    expect(r.tenantAuthored.ok).toBe(false);
    expect(r.tenantAuthored.opened.length).toBeGreaterThan(0);
    for (const d of r.tenantAuthored.opened) expect([tenantOf(d.source), tenantOf(d.destination)]).toContain('tenant-acme');
  });

  test('Gateway API off: the ingress entity is not admitted, and that is the intention', () => {
    const off = platform({ ...readPlatformFile(CONTRACT_FILE), components: { cilium: { gatewayApi: false } } });
    const r = off.verifyTenants()!;
    expect(r.ok).toBe(true);
    expect(cell(r, 'ingress', 'tenant-beta/pod')).toBe('·');
    expect(off.objects().find((o) => o.metadata.name === 'cozynet-tenant-baseline').specs[0].ingress[1]).toEqual({ fromEntities: ['host'] });
  });
});

describe('exposures declared by the user', () => {
  test('TenantPods.allowFrom: one tenant offers a port to a sibling; both halves are rendered and verified', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const iso = new TenantIsolation(chart, 'iso', TREE);
    iso.pods('tenant-acme', { app: 'api' }).allowFrom(ExposurePeer.tenant('tenant-beta'), { ports: [ExposurePort.tcp(8443)], name: 'api' });
    const objs = Testing.synth(chart);
    const policy = objs.find((o) => o.metadata.name === 'cozynet-expose-tenant-acme-api');
    expect(policy.specs.map((s: any) => s.description)).toEqual([
      'Exposure api: pods of tenant-acme labelled app=api accept connections on TCP/8443 from pods of tenant-beta (ingress half)',
      'Exposure api: pods of tenant-beta may connect to pods of tenant-acme labelled app=api on TCP/8443 (egress half)',
    ]);
    expect(policy.specs[1]).toMatchObject({
      endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta' } },
      egress: [{ toEndpoints: [{ matchLabels: { 'k8s:app': 'api', 'k8s:io.kubernetes.pod.namespace': 'tenant-acme' } }], toPorts: [{ ports: [{ port: '8443', protocol: 'TCP' }] }] }],
    });
    const r = verifyTenantIsolation(iso._effectiveProps(), objs);
    expect(r.ok).toBe(true);
    expect(r.endpoints.find((e) => e.id === 'tenant-acme/expose:api')!.probes).toEqual(['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'TCP/8443', 'ICMPv6/type-0']); // every probe class
    expect(cell(r, 'tenant-beta/pod', 'tenant-acme/expose:api')).toBe('◐'); // 8443 only
    expect(cell(r, 'tenant-beta/pod', 'tenant-acme/pod')).toBe('·');
    expect(cell(r, 'tenant-acme-dev/pod', 'tenant-acme/expose:api')).toBe('·');
    expect(cell(r, 'tenant-acme/pod', 'tenant-beta/pod')).toBe('·');
    // the intention knows the exposure: objects without its policy are a violation (over-restriction)
    const without = verifyTenantIsolation(iso._effectiveProps(), objs.filter((o) => o !== policy));
    expect(without.ok).toBe(false);
    const diffs = without.differences.map((d) => `${d.source} -> ${d.destination} ${d.probe} ${d.intended}`);
    expect(diffs.filter((d) => d.includes('/expose:api '))).toEqual(['tenant-beta/pod -> tenant-acme/expose:api TCP/8443 true',
      'tenant-beta/svc:etcd -> tenant-acme/expose:api TCP/8443 true', 'tenant-beta/svc:ingress -> tenant-acme/expose:api TCP/8443 true',
      'tenant-beta/svc:monitoring -> tenant-acme/expose:api TCP/8443 true', 'tenant-beta/api-client -> tenant-acme/expose:api TCP/8443 true',
      // tenant-beta's pods of a service kind that are API clients too (merged label sets)
      'tenant-beta/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true -> tenant-acme/expose:api TCP/8443 true',
      'tenant-beta/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true -> tenant-acme/expose:api TCP/8443 true',
      'tenant-beta/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true -> tenant-acme/expose:api TCP/8443 true']);
    // the other differences: app=api pods that also carry a service kind or the apiserver label, from the same 8 sources, on TCP/8443 only
    expect(diffs).toHaveLength(8 * 8);
    expect(diffs.every((d) => /^tenant-beta\/\S+ -> tenant-acme\/(expose:api|pods:app=api,\S+) TCP\/8443 true$/.test(d))).toBe(true);
  });

  test('allowTo, subtree peers with a selector, world with ICMP, auto names', () => {
    const iso = new TenantIsolation(new Chart(Testing.app(), 'c'), 'iso', TREE);
    iso.pods('tenant-acme', { role: 'client' }).allowTo(iso.pods('tenant-beta'), { ports: [ExposurePort.udpRange(5000, 5010)] });
    iso.pods('tenant-beta', { app: 'web' }).allowFrom(ExposurePeer.world(), { ports: [ExposurePort.tcp(443)], allowIcmp: true });
    iso.pods('tenant-beta').allowFrom(ExposurePeer.tenant('tenant-acme', { subtree: true }));
    const props = iso._effectiveProps();
    expect(props.exposures!.map((e) => `${e.namespace}/${e.name}`)).toEqual(['tenant-beta/allow-1', 'tenant-beta/allow-2', 'tenant-beta/allow-3']);
    const objs = iso.apiObjects.map((o) => o.toJson());
    const r = verifyTenantIsolation(props, objs);
    expect(r.ok).toBe(true);
    expect(cell(r, 'tenant-acme/pods:role=client', 'tenant-beta/expose:allow-1')).toBe('✓'); // the peer (one endpoint with the pods its policy selects); allow-3 opens every port to acme's subtree
    expect(cell(r, 'tenant-root/pod', 'tenant-beta/expose:allow-1')).toBe('✓'); // the ancestor anyway
    expect(cell(r, 'world', 'tenant-beta/expose:allow-2')).toBe('◐');
    expect(cell(r, 'tenant-acme-dev/pod', 'tenant-beta/pod')).toBe('✓'); // subtree exposure
    expect(cell(r, 'tenant-beta/pod', 'tenant-acme-dev/pod')).toBe('·');
    const icmp = objs.find((o) => o.metadata.name === 'cozynet-expose-tenant-beta-allow-2').specs[0].ingress[1];
    expect(icmp).toEqual({ fromEntities: ['world'], icmps: [{ fields: [{ family: 'IPv4', type: 8 }, { family: 'IPv6', type: 128 }] }] });
  });

  test('exposures and platform services from the platform file', () => {
    const p = platform({
      tenants: TREE.tenants,
      isolation: {
        exposures: [{ name: 'db', namespace: 'tenant-acme', selector: { app: 'db' }, ports: [{ port: 5432 }], from: [{ namespace: 'tenant-beta', selector: { app: 'api' } }] }],
        platformServices: [{ name: 'dashboard', namespace: 'cozy-dashboard', selector: { app: 'dashboard' }, ports: [{ port: 443 }] }],
      },
    });
    const r = p.verifyTenants()!;
    expect(r.ok).toBe(true);
    expect(cell(r, 'tenant-beta/pods:app=api', 'tenant-acme/expose:db')).toBe('◐'); // the peer's pods
    expect(cell(r, 'tenant-beta/pod', 'tenant-acme/expose:db')).toBe('·');
    expect(cell(r, 'tenant-acme-dev/pod', 'cozy-dashboard/svc:dashboard')).toBe('◐');
    const baseline = p.objects().find((o) => o.metadata.name === 'cozynet-tenant-baseline');
    expect(baseline.specs[0].egress[1]).toEqual({
      toEndpoints: [{ matchLabels: { 'k8s:app': 'dashboard', 'k8s:io.kubernetes.pod.namespace': 'cozy-dashboard' } }],
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
    expect(formatVerifyReport(r)).toContain('cozy-dashboard/svc:dashboard');
  });

  test('bad exposures are refused with the field, the value and what is allowed', () => {
    const e = errorOf(() => TenantIsolation.manifests({
      ...TREE,
      exposures: [
        { name: 'x', namespace: 'tenant-nope', from: [{ world: true }] },
        { name: 'Bad_Name', namespace: 'tenant-acme', from: [] },
        { name: 'y', namespace: 'tenant-acme', ports: [{ port: 0 }, { port: 10, endPort: 5, protocol: 'ICMP' as any }], from: [{ namespace: 'tenant-beta', world: true }] },
        { name: 'y', namespace: 'tenant-acme', from: [{ world: true, selector: { a: 'b' } }] },
      ],
    }));
    expect(e.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^exposures\[0\]\.namespace: must be the namespace of a tenant \(tenant-root, tenant-acme, tenant-acme-dev, tenant-beta\)$/),
      expect.stringMatching(/^exposures\[1\]\.name: must be a DNS label/),
      expect.stringMatching(/^exposures\[1\]\.from: must list at least one peer/),
      expect.stringMatching(/^exposures\[2\]\.ports\[0\]\.port: must be a port number 1-65535$/),
      expect.stringMatching(/^exposures\[2\]\.ports\[1\]\.endPort: must be a port number from port \(10\) to 65535$/),
      expect.stringMatching(/^exposures\[2\]\.ports\[1\]\.protocol: must be one of TCP, UDP, SCTP$/),
      expect.stringMatching(/^exposures\[2\]\.from\[0\]: must set exactly one of namespace/),
      expect.stringMatching(/^exposures\[3\]\.name: duplicate exposure name in tenant-acme/),
      expect.stringMatching(/^exposures\[3\]\.from\[0\]: subtree and selector apply to a tenant peer only/),
    ]);
    const iso = new TenantIsolation(new Chart(Testing.app(), 'c'), 'iso', TREE);
    expect(() => iso.pods('tenant-nope').allowFrom(ExposurePeer.world())).toThrow(/exposures\[0\]\.namespace: must be the namespace of a tenant/);
    expect(errorOf(() => TenantIsolation.manifests({ ...TREE, platformServices: [{ name: 'x', namespaceSelector: {} }] })).issues[0])
      .toMatchObject({ path: 'platformServices[0].namespaceSelector' });
  });

  test('per-tenant options: no kube-apiserver into a tenant, remote-node into another', () => {
    const props: TenantIsolationProps = {
      tenants: [{ name: 'root', children: [{ name: 'acme', allowFromApiServer: false }, { name: 'beta', allowFromRemoteNode: true }] }],
      allowFromHost: false,
    };
    const r = verifyTenantIsolation(props);
    expect(r.ok).toBe(true);
    expect(cell(r, 'kube-apiserver', 'tenant-acme/pod')).toBe('·');
    expect(cell(r, 'kube-apiserver', 'tenant-beta/pod')).toBe('✓');
    expect(cell(r, 'remote-node', 'tenant-beta/pod')).toBe('✓');
    expect(cell(r, 'remote-node', 'tenant-acme/pod')).toBe('·');
    expect(cell(r, 'host', 'tenant-acme/pod')).toBe('·');
  });
});
