import { expectRefused, find, refusal, setup } from './net-helpers';
import { MetalLbPool, PassthroughProtocol, PassthroughService, PassthroughServiceProps } from '../../src/constructs/index-objects';

const VM1: PassthroughServiceProps = {
  name: 'vm1', namespace: 'tenant-acme', selector: { 'vm.kubevirt.io/name': 'vm1' }, pool: 'public', address: '192.0.2.35', wholeIp: true,
};

function withPool() {
  const ctx = setup();
  new MetalLbPool(ctx.chart, 'public', { name: 'public', addresses: ['192.0.2.32/28', '192.0.2.100-192.0.2.120'], l2: { interfaces: ['eth1'] } });
  new MetalLbPool(ctx.chart, 'v6', { name: 'v6', addresses: ['2001:db8:1::/120'] });
  return ctx;
}

describe('PassthroughService objects', () => {
  test('the contract example: whole IP into one VM', () => {
    const { chart } = withPool();
    const svc = new PassthroughService(chart, 'vm1', VM1);
    expect(find(chart, 'Service', 'vm1')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'vm1',
        namespace: 'tenant-acme',
        labels: { 'service.kubernetes.io/service-proxy-name': 'cozy-proxy' },
        annotations: {
          'metallb.io/address-pool': 'public',
          'metallb.io/loadBalancerIPs': '192.0.2.35',
          'networking.cozystack.io/allowICMP': 'false',
          'networking.cozystack.io/wholeIP': 'true',
        },
      },
      spec: {
        type: 'LoadBalancer',
        allocateLoadBalancerNodePorts: false,
        externalTrafficPolicy: 'Local',
        selector: { 'vm.kubevirt.io/name': 'vm1' },
        // Kubernetes requires a port; cozy-proxy forwards every port anyway.
        ports: [{ port: 65535, protocol: 'TCP' }],
      },
    });
    expect(svc.address).toBe('192.0.2.35');
    expect(svc.wholeIp).toBe(true);
  });

  test('per-port mode with ICMP', () => {
    const { chart } = withPool();
    new PassthroughService(chart, 'web', {
      name: 'web',
      namespace: 'tenant-acme',
      selector: { 'vm.kubevirt.io/name': 'web' },
      pool: 'public',
      address: '192.0.2.110',
      allowIcmp: true,
      ports: [{ port: 22 }, { port: 53, protocol: PassthroughProtocol.UDP }, { port: 443, name: 'https' }],
      labels: { app: 'web' },
    });
    const svc = find(chart, 'Service', 'web');
    expect(svc.metadata.labels).toEqual({ 'app': 'web', 'service.kubernetes.io/service-proxy-name': 'cozy-proxy' });
    expect(svc.metadata.annotations['networking.cozystack.io/wholeIP']).toBe('false');
    expect(svc.metadata.annotations['networking.cozystack.io/allowICMP']).toBe('true');
    expect(svc.spec.ports).toEqual([
      { name: 'tcp-22', port: 22, protocol: 'TCP', targetPort: 22 },
      { name: 'udp-53', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
    ]);
  });

  test('whole IP with ports lists them', () => {
    const { chart } = withPool();
    new PassthroughService(chart, 'vm1', { ...VM1, ports: [{ port: 22 }] });
    expect(find(chart, 'Service', 'vm1').spec.ports).toEqual([{ name: 'tcp-22', port: 22, protocol: 'TCP', targetPort: 22 }]);
  });

  test('an IPv6 address selects the IPv6 family', () => {
    const { chart } = withPool();
    new PassthroughService(chart, 'vm6', { ...VM1, name: 'vm6', pool: 'v6', address: '2001:db8:1::10' });
    const svc = find(chart, 'Service', 'vm6');
    expect(svc.spec.ipFamilies).toEqual(['IPv6']);
    expect(svc.spec.ipFamilyPolicy).toBe('SingleStack');
    expect(svc.metadata.annotations['metallb.io/loadBalancerIPs']).toBe('2001:db8:1::10');
  });
});

describe('PassthroughService refusals', () => {
  test('an address outside the pool', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, address: '192.0.2.99' }), 'address', '192.0.2.99',
      /inside MetalLB pool "public" \(192\.0\.2\.32\/28, 192\.0\.2\.100-192\.0\.2\.120\)/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, address: '2001:db8:1::10' }), 'address', '2001:db8:1::10', /inside MetalLB pool "public"/);
  });

  test('an unknown pool', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, pool: 'private' }), 'pool', 'private', /no MetalLB pool.*known: public, v6/);
  });

  test('a malformed address', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, address: '192.0.2.35/32' }), 'address', '192.0.2.35/32', /without a prefix/);
  });

  test('an address used twice', () => {
    const { chart } = withPool();
    new PassthroughService(chart, 'vm1', VM1);
    expectRefused(() => new PassthroughService(chart, 'vm2', { ...VM1, name: 'vm2' }), 'address', '192.0.2.35', /already used by passthrough service tenant-acme\/vm1/);
  });

  test('per-port mode without ports', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, wholeIp: false }), 'ports', 'undefined', /at least one port; set wholeIp: true/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, wholeIp: undefined, ports: [] }), 'ports', '[]', /at least one port/);
  });

  test('bad and duplicate ports', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, ports: [{ port: 0 }] }), 'ports[0].port', '0', /1-65535/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, ports: [{ port: 22 }, { port: 22, protocol: PassthroughProtocol.TCP }] }), 'ports[1].port', '22', /duplicate port/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, ports: [{ port: 22, protocol: 'tcp' as PassthroughProtocol }] }), 'ports[0].protocol', 'tcp', /TCP, UDP, SCTP/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, ports: [{ port: 22, name: 'SSH' }] }), 'ports[0].name', 'SSH', /IANA/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, ports: [{ port: 22, name: 'p' }, { port: 23, name: 'p' }] }), 'ports[1].name', '"p"', /duplicate port name/);
  });

  test('an empty or invalid selector', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, selector: {} }), 'selector', '{}', /at least one label/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, selector: { 'vm.kubevirt.io/name': 'VM 1' } }), 'selector["vm.kubevirt.io/name"]', 'VM 1', /label value/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, selector: undefined as any }), 'selector', 'undefined', /required/);
  });

  test('names and duplicates', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, name: '1vm' }), 'name', '1vm', /DNS-1035/);
    new PassthroughService(chart, 'vm1', VM1);
    expectRefused(() => new PassthroughService(chart, 'again', { ...VM1, address: '192.0.2.36' }), 'name', '"vm1"', /already exists/);
  });

  test('the cozy-proxy label cannot be overridden; unknown keys are refused', () => {
    const { chart } = withPool();
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, labels: { 'service.kubernetes.io/service-proxy-name': 'other' } }),
      'labels["service.kubernetes.io/service-proxy-name"]', 'other', /set by the construct/);
    expectRefused(() => new PassthroughService(chart, 'x', { ...VM1, wholeIP: true } as any), 'wholeIP', 'true', /unknown key "wholeIP".*wholeIp/);
  });

  test('all problems are reported at once; a refused service leaves nothing behind', () => {
    const { chart } = withPool();
    const err = refusal(() => new PassthroughService(chart, 'x', { ...VM1, namespace: 'Bad', address: '192.0.2.200', wholeIp: false }));
    expect(err.issues.map((i) => i.path)).toEqual(['namespace', 'address', 'ports']);
    expect(chart.node.tryFindChild('x')).toBeUndefined();
  });
});
