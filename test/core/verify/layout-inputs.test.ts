/*
 * What the layout takes from the objects verified: the CIDRs policies name
 * (one world endpoint per class of addresses, IPv6 written as RFC 5952
 * does), the Cilium release asked for, and the probe standing for a port.
 */
import { CozynetValidationError } from '../../../src/model/errors';
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { verifyTenantIsolation } from '../../../src/verify';
import { cidrsOf, Layout, selectedPodLabels } from '../../../src/verify/verify';

const SMALL: TenantIsolationProps = { tenants: [{ name: 'root' }] };

describe('cidrsOf: every CIDR a policy names, once, sorted', () => {
  test('NetworkPolicy ipBlocks with their exceptions, in both directions; other peers and kinds add nothing', () => {
    const objects = [
      null,
      'text',
      { kind: 'Service', spec: { cidr: '10.9.0.0/16' } },
      {
        kind: 'NetworkPolicy',
        metadata: { name: 'np', namespace: 'a' },
        spec: {
          ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', 7] } }, { podSelector: {} }] }, 'not a rule'],
          egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }, { namespaceSelector: {} }] }, { to: 'not a list' }],
        },
      },
      { kind: 'NetworkPolicy', metadata: { name: 'none' }, spec: { ingress: 'not a list' } },
    ];
    expect(cidrsOf(objects)).toEqual(['10.0.0.0/8', '10.1.0.0/16', '192.0.2.0/24']);
  });

  test('Cilium policies: CIDR lists, CIDR sets with exceptions, every direction, spec and specs; a world by family adds ::/0', () => {
    const objects = [
      {
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'c', namespace: 'a' },
        spec: {
          egress: [{ toCIDR: ['203.0.113.0/24', 5] }, { toCIDRSet: [{ cidr: '198.51.100.0/24', except: ['198.51.100.128/25'] }, { cidrGroupRef: 'g' }] }],
          ingress: [{ fromCIDR: ['2001:db8::/32'] }],
        },
        specs: [
          null,
          { ingressDeny: [{ fromCIDRSet: [{ cidr: '100.64.0.0/10' }] }], egressDeny: [{ toCIDR: ['203.0.113.0/24'] }] },
        ],
      },
      { kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'w4' }, spec: { egress: [{ toEntities: ['world-ipv4'] }] } },
    ];
    expect(cidrsOf(objects)).toEqual(['100.64.0.0/10', '198.51.100.0/24', '198.51.100.128/25', '2001:db8::/32', '203.0.113.0/24', '::/0']);
    for (const entity of ['world-ipv6', 'world-ipv4']) {
      const one = [{ kind: 'CiliumNetworkPolicy', metadata: { name: 'x', namespace: 'a' }, specs: [{ ingress: [{ fromEntities: [entity] }] }] }];
      expect([entity, cidrsOf(one)]).toEqual([entity, ['::/0']]);
    }
    expect(cidrsOf([{ kind: 'CiliumNetworkPolicy', metadata: { name: 'x' }, spec: { egress: [{ toEntities: ['world', 'cluster'] }] } }])).toEqual([]);
  });
});

describe('world endpoints: one per class of addresses the CIDRs tell apart', () => {
  const worldsOf = (cidrs: string[]) => {
    const layout = new Layout(resolveTenants(SMALL), 'cozy-system', new Map(), { cidrs });
    return layout.worlds.map((w) => `${layout.reps[w].id} ${layout.reps[w].ip}`);
  };

  test('IPv4: the class of 203.0.113.10 is `world`; each other class gets its first address', () => {
    expect(worldsOf(['10.0.0.0/8', '10.1.0.0/16'])).toEqual(['world 203.0.113.10', 'world:10.0.0.0 10.0.0.0', 'world:10.1.0.0 10.1.0.0']);
    // 203.0.113.0/24 holds the default address: the world outside it is a class of its own, from 0.0.0.0
    expect(worldsOf(['203.0.113.0/24'])).toEqual(['world 203.0.113.10', 'world:0.0.0.0 0.0.0.0']);
    // an address just past a range starts the next class
    expect(worldsOf(['0.0.0.0/1'])).toEqual(['world 203.0.113.10', 'world:0.0.0.0 0.0.0.0']);
    expect(worldsOf(['128.0.0.0/1'])).toEqual(['world 203.0.113.10', 'world:0.0.0.0 0.0.0.0']);
    expect(worldsOf(['10.0.0.0/8', '10.0.0.0/8'])).toEqual(['world 203.0.113.10', 'world:10.0.0.0 10.0.0.0']);
  });

  test('IPv6: an endpoint at 2001:db8::10 and one per other class, written with :: for the longest zero run', () => {
    expect(worldsOf(['2001:db8::/32', '2001:db8:0:1::/64', '::/0'])).toEqual([
      'world 203.0.113.10',
      'world:2001:db8::10 2001:db8::10',
      'world::: ::',
      'world:2001:db8:0:1:: 2001:db8:0:1::',
    ]);
    // the class of everything outside ::1 is the default address's: no endpoint of its own
    expect(worldsOf(['::1/128'])).toEqual(['world 203.0.113.10', 'world:2001:db8::10 2001:db8::10', 'world:::1 ::1']);
    // a single zero group stays written out
    expect(worldsOf(['2001:db8:1:2:3:4:5:0/127'])).toEqual([
      'world 203.0.113.10', 'world:2001:db8::10 2001:db8::10', 'world:2001:db8:1:2:3:4:5:0 2001:db8:1:2:3:4:5:0',
    ]);
    // of two zero runs, the longer one is written ::
    expect(worldsOf(['fe80:0:0:1::/64'])).toEqual(['world 203.0.113.10', 'world:2001:db8::10 2001:db8::10', 'world:fe80:0:0:1:: fe80:0:0:1::']);
    // of two equal runs, the first
    expect(worldsOf(['1:0:0:2:3:0:0:4/128'])).toEqual(['world 203.0.113.10', 'world:2001:db8::10 2001:db8::10', 'world:1::2:3:0:0:4 1::2:3:0:0:4']);
    // no zero group at all
    expect(worldsOf(['1:2:3:4:5:6:7:8/128'])).toEqual(['world 203.0.113.10', 'world:2001:db8::10 2001:db8::10', 'world:1:2:3:4:5:6:7:8 1:2:3:4:5:6:7:8']);
  });

  test('without an IPv6 CIDR there is no IPv6 world; with one, the IPv4 classes are unchanged', () => {
    expect(worldsOf([])).toEqual(['world 203.0.113.10']);
    expect(worldsOf(['10.0.0.0/8', '2001:db8::/32'])).toEqual([
      'world 203.0.113.10', 'world:10.0.0.0 10.0.0.0', 'world:2001:db8::10 2001:db8::10', 'world::: ::',
    ]);
  });
});

describe('the Cilium release a verification models', () => {
  test('1.19 and 1.20 are known; anything else is an error naming the field and the releases', () => {
    const objects = TenantIsolation.manifests(SMALL);
    expect(verifyTenantIsolation(SMALL, objects).ok).toBe(true);
    expect(verifyTenantIsolation(SMALL, objects, { ciliumVersion: '1.20' }).ok).toBe(true);
    let error: unknown;
    try {
      verifyTenantIsolation(SMALL, objects, { ciliumVersion: '2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CozynetValidationError);
    expect((error as CozynetValidationError).issues).toEqual([{ path: 'ciliumVersion', value: '"2"', message: 'must be 1.19 or 1.20' }]);
  });
});

describe('the probe standing for a port', () => {
  const layout = new Layout(resolveTenants(SMALL), 'cozy-system', new Map(), {
    ranges: [{ protocol: 'TCP', from: 8000, to: 8100 }, { protocol: 'UDP', from: 5000, to: 5000 }],
  });

  test('a probed port is its own probe, the first one included', () => {
    layout.probes.forEach((p, i) => expect([p, layout.probeIndexOf(p)]).toEqual([p, i]));
  });

  test('another port is the probe of its class; a protocol without probes has none', () => {
    const tcp8000 = layout.probeIndexOf({ protocol: 'TCP', port: 8000 });
    expect(tcp8000).toBeGreaterThanOrEqual(0);
    expect(layout.probeIndexOf({ protocol: 'TCP', port: 8050 })).toBe(tcp8000);
    expect(layout.probeIndexOf({ protocol: 'TCP', port: 8100 })).toBe(tcp8000);
    const outside = layout.probeIndexOf({ protocol: 'TCP', port: 8101 });
    expect(outside).not.toBe(tcp8000);
    expect(layout.probes[outside].protocol).toBe('TCP');
    expect(layout.probeIndexOf({ protocol: 'UDP', port: 5001 })).not.toBe(layout.probeIndexOf({ protocol: 'UDP', port: 5000 }));
    expect(layout.probes[layout.probeIndexOf({ protocol: 'UDP', port: 5001 })].protocol).toBe('UDP');
  });
});

describe('pods a selector can select', () => {
  const tenants = new Set(['tenant-a']);
  const cnp = (spec: object, namespace = 'tenant-a') => ({ kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace }, spec });

  test('k8s: and any: keys are pod labels; other sources select no pod; keys of the namespace mean any namespace', () => {
    const sel = (matchLabels: object) => cnp({ endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels }] }] });
    const got = selectedPodLabels([
      sel({ 'k8s:app': 'a' }),
      sel({ 'any:app': 'b' }),
      sel({ 'reserved:host': '' }),
      sel({ 'k8s:io.cilium.k8s.namespace.labels.team': 'x', 'app': 'c' }),
      sel({ 'app': 'd', 'io.cilium.k8s.namespace.labels.team': 'y' }),
      sel({ 'app': 'f', 'kvstore:x': 'y' }),
    ], tenants);
    expect(Object.fromEntries(got)).toEqual({
      'tenant-a': [{ app: 'a' }, { app: 'b' }],
      '*': [{ app: 'c' }, { app: 'd' }],
    });
  });

  test('a key that only ends like a namespace label is a pod label of the policy\'s namespace', () => {
    const got = selectedPodLabels([cnp({ endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'x.io.cilium.k8s.namespace.labels.': 'v', 'app': 'e' } }] }] })], tenants);
    expect(Object.fromEntries(got)).toEqual({ 'tenant-a': [{ 'app': 'e', 'x.io.cilium.k8s.namespace.labels.': 'v' }] });
  });
});

describe('the numbers workloads give their named ports are probes', () => {
  const workload = (ports: Record<string, { port: number; protocol: string }>) => ({
    id: 'tenant-root/deployment/w', kind: 'Deployment', name: 'w', namespace: 'tenant-root', labels: { app: 'w' }, serviceAccount: 'default', ports,
  });

  test('each TCP, UDP or SCTP number from 1 to 65535 once; anything else is no probe', () => {
    const probesWith = (ports: Record<string, { port: number; protocol: string }>) =>
      new Layout(resolveTenants(SMALL), 'cozy-system', new Map(), { workloads: [workload(ports)] }).probes.map((p) => `${p.protocol}/${p.port}`);
    const none = probesWith({});
    expect(probesWith({ big: { port: 70000, protocol: 'TCP' }, zero: { port: 0, protocol: 'SCTP' }, odd: { port: 7777, protocol: 'FOO' } })).toEqual(none);
    const some = probesWith({ http: { port: 9443, protocol: 'TCP' }, again: { port: 9443, protocol: 'TCP' }, dns: { port: 5353, protocol: 'UDP' }, top: { port: 65535, protocol: 'SCTP' } });
    expect([...some].sort()).toEqual([...none, 'TCP/9443', 'UDP/5353', 'SCTP/65535'].sort());
  });

  test('a policy that opens a named port across tenants shows on the number the workload gives it', () => {
    const props: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
    const NSN = 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name';
    const dep = (ns: string, name: string, ports: object[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x', ports }] } } },
    });
    const objects = [
      ...TenantIsolation.manifests(props),
      dep('tenant-a', 'src', []),
      dep('tenant-b', 'dst', [{ name: 'http', containerPort: 9443 }]),
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'e', namespace: 'tenant-a' },
        spec: { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { [NSN]: 'tenant-b' } }], toPorts: [{ ports: [{ port: 'http' }] }] }] },
      },
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'i', namespace: 'tenant-b' },
        spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { [NSN]: 'tenant-a' } }], toPorts: [{ ports: [{ port: 'http' }] }] }] },
      },
    ];
    const report = verifyTenantIsolation(props, objects, { maxDifferences: 100_000 });
    expect(report.ok).toBe(false);
    const toDst = report.differences.filter((d) => d.destination === 'tenant-b/deployment/dst');
    expect(new Set(toDst.map((d) => d.probe))).toEqual(new Set(['TCP/9443']));
    expect(toDst.some((d) => d.source === 'tenant-a/deployment/src')).toBe(true);
  });
});
