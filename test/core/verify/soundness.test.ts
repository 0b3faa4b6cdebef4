/*
 * Issue 22, item 1: probes and endpoints by construction. Cross-tenant
 * openings on any port (5432), through a service-account selector, ICMP by
 * family, IPv6 CIDRs, and `--explain` on a port no destination lists.
 * Fixtures are built inside each test (mutation testing).
 */
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { verifyTenantIsolation } from '../../../src/verify';
import { CiliumPolicyModel, portRangesOf, probeClasses } from '../../../src/verify/model';
import { cidrsOf, compileVerification, explainCell, probeName, selectedPodLabels } from '../../../src/verify/verify';

const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const NS_NAME = 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name';
const SA = 'io.cilium.k8s.policy.serviceaccount';
const brief = (list: Array<{ source: string; destination: string; probe: string }>) => list.map((d) => `${d.source} -> ${d.destination} ${d.probe}`);

/** tenant-a's `sel` pods send to tenant-b's `dsel` pods, and tenant-b admits them, on `toPorts`/`icmps` of `ports`. */
function opening(sel: Record<string, string>, dsel: Record<string, string>, ports: any): any[] {
  return [
    CNP('tenant-a', 'to-b', { endpointSelector: { matchLabels: sel }, egress: [{ toEndpoints: [{ matchLabels: { ...dsel, [NS_NAME]: 'tenant-b' } }], ...ports }] }),
    CNP('tenant-b', 'from-a', { endpointSelector: { matchLabels: dsel }, ingress: [{ fromEndpoints: [{ matchLabels: { ...sel, [NS_NAME]: 'tenant-a' } }], ...ports }] }),
  ];
}

describe('every port the policies name is probed', () => {
  test('two tenants opening TCP 5432 to each other: VIOLATED, on TCP/5432 only', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS), ...opening({}, {}, { toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] })];
    const report = verifyTenantIsolation(SIBLINGS, objects);
    expect(report.ok).toBe(false);
    expect(report.summary.differences).toBeGreaterThan(0);
    expect(new Set(report.differences.map((d) => d.probe))).toEqual(new Set(['TCP/5432']));
    expect(report.differences.every((d) => d.source.startsWith('tenant-a/') && d.destination.startsWith('tenant-b/') && d.actual && !d.intended)).toBe(true);
    expect(brief(report.differences)).toContain('tenant-a/pod -> tenant-b/pod TCP/5432');
  });

  test('a range (endPort) is probed at a port inside it; the ports around it stay closed', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS), ...opening({}, {}, { toPorts: [{ ports: [{ port: '7000', endPort: 7999, protocol: 'UDP' }] }] })];
    const v = compileVerification(resolveTenants(SIBLINGS), objects);
    const names = v.layout.probes.map(probeName);
    expect(names).toContain('UDP/7000');
    // the rest of UDP is one class, probed on UDP/8080 (8000 is in it); UDP/53 is DNS
    expect(names.filter((x) => x.startsWith('UDP/'))).toEqual(['UDP/8080', 'UDP/53', 'UDP/7000']);
    const report = verifyTenantIsolation(SIBLINGS, objects);
    expect(new Set(report.differences.map((d) => d.probe))).toEqual(new Set(['UDP/7000']));
  });

  test('the probe classes: membership in every named range; preferred probes first; one probe per class', () => {
    const ranges = portRangesOf([
      CNP('x', 'p', { endpointSelector: {}, egress: [{ toPorts: [{ ports: [{ port: '100', endPort: 200, protocol: 'TCP' }, { port: '150' }] }], icmps: [{ fields: [{ family: 'IPv6', type: 'EchoRequest' }, { type: 0 }] }] }] }),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'x' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 5000 }] }] } },
    ]);
    expect(ranges).toEqual([
      { protocol: 'TCP', from: 100, to: 200 },
      { protocol: 'TCP', from: 150, to: 150 }, { protocol: 'UDP', from: 150, to: 150 }, { protocol: 'SCTP', from: 150, to: 150 },
      { protocol: 'ICMPv6', from: 128, to: 128 }, { protocol: 'ICMP', from: 0, to: 0 },
      { protocol: 'TCP', from: 5000, to: 5000 },
    ]);
    const probes = probeClasses(ranges, [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 120 }]).map(probeName);
    // 443 is in the class of 8080 (no range holds either); 120 stands for 100-149 and 151-200
    expect(probes).toEqual(['TCP/8080', 'TCP/120', 'TCP/150', 'TCP/5000', 'UDP/1', 'UDP/150', 'SCTP/1', 'SCTP/150', 'ICMP/type-0', 'ICMP/type-1', 'ICMPv6/type-0', 'ICMPv6/type-128']);
  });
});

describe('every identity the selectors distinguish gets an endpoint', () => {
  test('an opening through a service-account selector: VIOLATED', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS), ...opening({ [SA]: 'builder' }, {}, {})];
    const report = verifyTenantIsolation(SIBLINGS, objects);
    expect(report.ok).toBe(false);
    expect(report.differences.length).toBeGreaterThan(0);
    expect(report.differences.every((d) => d.source === `tenant-a/pods:${SA}=builder` || d.source.startsWith('tenant-a/pods:'))).toBe(true);
    expect(brief(report.differences)).toContain(`tenant-a/pods:${SA}=builder -> tenant-b/pod TCP/8080`);
    expect(selectedPodLabels(objects, new Set(['tenant-a', 'tenant-b'])).get('tenant-a')).toContainEqual({ [SA]: 'builder' });
  });

  test('a pod carrying the labels of two selectors at once: the sender selected by one policy, admitted by another', () => {
    const objects = [
      ...TenantIsolation.manifests(SIBLINGS),
      CNP('tenant-a', 'to-b', { endpointSelector: { matchLabels: { app: 'api' } }, egress: [{ toEndpoints: [{ matchLabels: { [NS_NAME]: 'tenant-b' } }] }] }),
      CNP('tenant-b', 'from-a', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { tier: 'web', [NS_NAME]: 'tenant-a' } }] }] }),
      // the baseline would still deny: a deny-free path needs both labels
    ];
    const report = verifyTenantIsolation(SIBLINGS, objects);
    expect(report.ok).toBe(false);
    // every pod with both labels (whatever else it carries), and only those
    const sources = new Set(report.differences.map((d) => d.source));
    expect(sources).toContain('tenant-a/pods:app=api,tier=web');
    expect([...sources].every((x) => x.includes('app=api') && x.includes('tier=web'))).toBe(true);
  });

  test('cluster-wide selectors give endpoints in every tenant namespace', () => {
    const ccnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'c' }, spec: { endpointSelector: { matchLabels: { role: 'x' } } } };
    expect(selectedPodLabels([ccnp], new Set(['tenant-a'])).get('*')).toEqual([{ role: 'x' }]);
    const v = compileVerification(resolveTenants(SIBLINGS), [...TenantIsolation.manifests(SIBLINGS), ccnp]);
    expect(v.layout.reps.filter((r) => r.labels?.role === 'x' && Object.keys(r.labels).length === 2).map((r) => r.id))
      .toEqual(['tenant-root/pods:role=x', 'tenant-a/pods:role=x', 'tenant-b/pods:role=x']);
  });
});

describe('ICMP by family', () => {
  test('{family: IPv6, type: EchoRequest} is ICMPv6 type 128 only: it does not admit IPv4 echo', () => {
    const model = new CiliumPolicyModel([CNP('n', 'p', { endpointSelector: {}, ingress: [{ fromEntities: ['all'], icmps: [{ fields: [{ family: 'IPv6', type: 'EchoRequest' }] }] }] })]);
    const reach = model.evaluate([{ id: 'w', entity: 'world' }, { id: 'pod', namespace: 'n' }]);
    expect(reach.uncertain).toEqual([]);
    expect(reach.allowed('w', 'pod', 8, 'ICMP')).toBe(false);
    expect(reach.allowed('w', 'pod', 128, 'ICMP')).toBe(false);
    expect(reach.allowed('w', 'pod', 128, 'ICMPv6')).toBe(true);
    expect(reach.allowed('w', 'pod', 8, 'ICMPv6')).toBe(false);
  });

  test('IPv4 names, numbers and the default family; ANY ports never cover ICMP', () => {
    const model = new CiliumPolicyModel([CNP('n', 'p', {
      endpointSelector: {},
      ingress: [
        { fromEntities: ['all'], icmps: [{ fields: [{ type: 'EchoReply' }, { family: 'IPv4', type: '11' }, { family: 'IPv6', type: 2 }] }] },
        { fromEntities: ['all'], toPorts: [{ ports: [{ port: '0', protocol: 'ANY' }] }] },
      ],
    })]);
    const reach = model.evaluate([{ id: 'w', entity: 'world' }, { id: 'pod', namespace: 'n' }]);
    expect([[0, 'ICMP'], [11, 'ICMP'], [2, 'ICMPv6'], [2, 'ICMP'], [0, 'ICMPv6'], [8, 'ICMP']].map(([t, p]) => reach.allowed('w', 'pod', t as number, p as any)))
      .toEqual([true, true, true, false, false, false]);
  });

  test('an exposure with allowIcmp admits ICMP echo and ICMPv6 echo, nothing else of ICMP', () => {
    const props: TenantIsolationProps = {
      ...SIBLINGS,
      exposures: [{ name: 'vm', namespace: 'tenant-a', selector: { app: 'vm' }, ports: [{ port: 22 }], allowIcmp: true, from: [{ world: true }] }],
    };
    const report = verifyTenantIsolation(props);
    expect(report.ok).toBe(true);
    const v = compileVerification(resolveTenants(props), TenantIsolation.manifests(props));
    const vm = v.layout.reps.findIndex((r) => r.id === 'tenant-a/expose:vm');
    const cells = explainCell(v, v.layout.world, vm).filter((c) => c.decision.allowed).map((c) => c.probe);
    expect(cells).toEqual(['ICMP/type-8', 'TCP/22', 'ICMPv6/type-128']);
  });
});

describe('IPv6 CIDRs', () => {
  test('an IPv6 CIDR never contains an IPv4 address: the IPv4 world is determined; the IPv6 world endpoint is in it', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS), CNP('tenant-a', 'v6', { endpointSelector: {}, egress: [{ toCIDR: ['2001:db8::/32'] }] })];
    const props: TenantIsolationProps = { ...SIBLINGS, allowWorldEgress: false };
    const report = verifyTenantIsolation(props, [...TenantIsolation.manifests(props), objects[objects.length - 1]]);
    expect(report.summary.undetermined).toBe(0);
    expect(report.uncertainRules).toEqual([]);
    // the IPv6 world endpoint is reached, the IPv4 one is not
    expect(new Set(report.differences.map((d) => d.destination))).toEqual(new Set(['world:2001:db8::10']));
    expect(cidrsOf(objects)).toEqual(['2001:db8::/32']);
  });

  test('IPv4 CIDRs split the world: each class of addresses has an endpoint', () => {
    const objects = [CNP('n', 'p', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] }] })];
    const v = compileVerification(resolveTenants(SIBLINGS), [...TenantIsolation.manifests(SIBLINGS), ...objects]);
    expect(v.layout.worlds.map((w) => v.layout.reps[w].id)).toEqual(['world', 'world:10.0.0.0', 'world:10.1.0.0']);
  });
});

describe('--explain on a port no destination lists', () => {
  test('the intended verdict is kept: the probe of its class answers', () => {
    const objects = [...TenantIsolation.manifests(SIBLINGS), ...opening({}, {}, { toPorts: [{ ports: [{ port: '5000', endPort: 6000, protocol: 'TCP' }] }] })];
    const v = compileVerification(resolveTenants(SIBLINGS), objects);
    const a = v.layout.reps.findIndex((r) => r.id === 'tenant-a/pod');
    const b = v.layout.reps.findIndex((r) => r.id === 'tenant-b/pod');
    const [cell] = explainCell(v, a, b, { protocol: 'TCP', port: 5432 });
    expect(cell).toMatchObject({ probe: 'TCP/5432', intended: false, expectation: 'tenant-a and tenant-b are unrelated tenants (neither is an ancestor of the other)' });
    expect(cell.decision.allowed).toBe(true);
    const [other] = explainCell(v, a, b, { protocol: 'TCP', port: 31337 });
    expect(other).toMatchObject({ intended: false });
    expect(other.decision.allowed).toBe(false);
  });
});

describe('messages', () => {
  test('a tenant namespace without the root label: the message says which label is missing', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { tenantTreeFromNamespaces } = require('../../../src/cli/verify-command');
    const ns = (name: string, ...tenants: string[]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: Object.fromEntries(tenants.map((t) => [`tenant.cozystack.io/${t}`, ''])) } });
    expect(() => tenantTreeFromNamespaces([ns('tenant-root', 'tenant-root'), ns('tenant-acme', 'tenant-acme')]))
      .toThrow('--manifests: Namespace tenant-acme: lacks the label tenant.cozystack.io/tenant-root: every tenant namespace carries the label tenant.cozystack.io/<ns> of itself and of each ancestor tenant, tenant-root included');
    expect(() => tenantTreeFromNamespaces([ns('tenant-root', 'tenant-root'), ns('tenant-acme', 'tenant-root', 'tenant-acme'),
      ns('tenant-acme-dev', 'tenant-acme', 'tenant-acme-dev'), ns('tenant-acme-dev-x', 'tenant-root', 'tenant-acme-dev', 'tenant-acme-dev-x')]))
      .toThrow('Namespace tenant-acme-dev: lacks the label tenant.cozystack.io/tenant-root');
    expect(tenantTreeFromNamespaces([ns('tenant-root', 'tenant-root'), ns('tenant-acme', 'tenant-root', 'tenant-acme')])).toEqual([{ name: 'root', children: [{ name: 'acme' }] }]);
  });
});
