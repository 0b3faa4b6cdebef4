import { count, expectRefused, find, objects, refusal, setup, setupWithCluster } from './net-helpers';
import { KubeOvnSubnet, MetalLbPool } from '../../src/constructs/index-objects';
import { AddressPlan } from '../../src/model/address-plan';
import { ClusterNetwork } from '../../src/model/cluster';

describe('KubeOvnSubnet objects', () => {
  test('the contract example', () => {
    const { chart } = setupWithCluster();
    const s = new KubeOvnSubnet(chart, 's', { name: 'acme-vms', cidr: '10.245.0.0/24', namespaces: ['tenant-acme'] });
    const obj = find(chart, 'Subnet', 'acme-vms');
    expect(obj.apiVersion).toBe('kubeovn.io/v1');
    expect(obj.metadata).toEqual({ name: 'acme-vms' }); // cluster-scoped
    expect(obj.spec).toEqual({
      protocol: 'IPv4',
      cidrBlock: '10.245.0.0/24',
      gateway: '10.245.0.1',
      namespaces: ['tenant-acme'],
      private: false,
      natOutgoing: false,
    });
    expect(s.protocol).toBe('IPv4');
    expect(s.gateway).toBe('10.245.0.1');
    expect(s.provider).toBe('ovn');
  });

  test('IPv6: protocol and default gateway derive from the CIDR', () => {
    const { chart } = setup();
    const s = new KubeOvnSubnet(chart, 's', { name: 'v6', cidr: 'fd00:10:245::/64' });
    expect(find(chart, 'Subnet', 'v6').spec).toMatchObject({ protocol: 'IPv6', cidrBlock: 'fd00:10:245::/64', gateway: 'fd00:10:245::1' });
    expect(s.protocol).toBe('IPv6');
  });

  test('gateway, excludeIps, private, allowSubnets, natOutgoing and provider', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 's', {
      name: 'isolated',
      cidr: '10.250.0.0/24',
      gateway: '10.250.0.254',
      excludeIps: ['10.250.0.2..10.250.0.9', '10.250.0.20-10.250.0.29', '10.250.0.100'],
      private: true,
      allowSubnets: ['10.251.0.0/24'],
      natOutgoing: true,
      provider: 'net1.tenant-a.ovn',
    });
    expect(find(chart, 'Subnet', 'isolated').spec).toEqual({
      protocol: 'IPv4',
      cidrBlock: '10.250.0.0/24',
      gateway: '10.250.0.254',
      excludeIps: ['10.250.0.2..10.250.0.9', '10.250.0.20..10.250.0.29', '10.250.0.100'],
      provider: 'net1.tenant-a.ovn',
      private: true,
      allowSubnets: ['10.251.0.0/24'],
      natOutgoing: true,
    });
  });

  test('VLAN underlay: ProviderNetwork, Vlan and spec.vlan', () => {
    const { chart } = setup();
    const s = new KubeOvnSubnet(chart, 's', { name: 'ext100', cidr: '172.16.100.0/24', gateway: '172.16.100.254', vlan: { id: 100, interface: 'eth1' } });
    expect(find(chart, 'ProviderNetwork', 'eth1')).toEqual({
      apiVersion: 'kubeovn.io/v1', kind: 'ProviderNetwork', metadata: { name: 'eth1' }, spec: { defaultInterface: 'eth1' },
    });
    expect(find(chart, 'Vlan', 'eth1-vlan100')).toEqual({
      apiVersion: 'kubeovn.io/v1', kind: 'Vlan', metadata: { name: 'eth1-vlan100' }, spec: { id: 100, provider: 'eth1' },
    });
    expect(find(chart, 'Subnet', 'ext100').spec.vlan).toBe('eth1-vlan100');
    expect(s.vlanName).toBe('eth1-vlan100');
  });

  test('subnets share provider networks and VLANs', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 'a', { name: 'a', cidr: '172.16.100.0/24', vlan: { id: 100, providerNetwork: 'physnet', interface: 'bond0' } });
    new KubeOvnSubnet(chart, 'b', { name: 'b', cidr: '172.16.101.0/24', vlan: { id: 100, providerNetwork: 'physnet', interface: 'bond0' } });
    new KubeOvnSubnet(chart, 'c', { name: 'c', cidr: '172.16.200.0/24', vlan: { id: 200, providerNetwork: 'physnet' } });
    new KubeOvnSubnet(chart, 'd', { name: 'd', cidr: '172.16.201.0/24', vlan: { id: 201, providerNetwork: 'external', name: 'ext-201' } });
    expect(count(chart, 'ProviderNetwork')).toBe(1);
    expect(objects(chart).filter((o) => o.kind === 'Vlan').map((o) => `${o.metadata.name}:${o.spec.provider}:${o.spec.id}`))
      .toEqual(['physnet-vlan100:physnet:100', 'physnet-vlan200:physnet:200', 'ext-201:external:201']);
  });
});

describe('KubeOvnSubnet refusals', () => {
  test.each([
    ['10.244.128.0/24', /pod CIDR 10\.244\.0\.0\/16.*must not overlap the pod, service or join CIDR/],
    ['10.96.0.0/12', /service CIDR/],
    ['100.64.0.0/24', /join CIDR/],
  ])('overlap with the cluster: %s', (cidr, message) => {
    const { chart } = setupWithCluster();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr }), 'cidr', cidr, message);
  });

  test('overlap with the cluster given as a prop', () => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.244.0.0/24', cluster: new ClusterNetwork() }), 'cidr', '10.244.0.0/24', /pod CIDR/);
  });

  test('overlap with a pool', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'p', { name: 'public', addresses: ['192.0.2.100-192.0.2.120'] });
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '192.0.2.64/26' }), 'cidr', '192.0.2.64/26',
      /overlaps 192\.0\.2\.100-192\.0\.2\.120 of MetalLB pool "public"; a Kube-OVN subnet must not overlap a load-balancer pool/);
  });

  test('overlap with another subnet', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 'a', { name: 'a', cidr: '10.245.0.0/16' });
    expectRefused(() => new KubeOvnSubnet(chart, 'b', { name: 'b', cidr: '10.245.3.0/24' }), 'cidr', '10.245.3.0/24', /Kube-OVN subnet "a" \(10\.245\.0\.0\/16\); Kube-OVN subnets must be disjoint/);
  });

  test('a gateway outside the CIDR, or its network/broadcast address', () => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', gateway: '10.245.1.1' }), 'gateway', '10.245.1.1', /inside the subnet's CIDR 10\.245\.0\.0\/24/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', gateway: '10.245.0.0' }), 'gateway', '10.245.0.0', /network or broadcast/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', gateway: '10.245.0.255' }), 'gateway', '10.245.0.255', /network or broadcast/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', gateway: 'gw' }), 'gateway', 'gw', /address/);
  });

  test('bad excludeIps', () => {
    const { chart } = setup();
    const sub = (excludeIps: string[]) => () => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', excludeIps });
    expectRefused(sub(['10.245.0.5', '10.245.1.5']), 'excludeIps[1]', '10.245.1.5', /inside the subnet's CIDR/);
    expectRefused(sub(['10.245.0.9..10.245.0.2']), 'excludeIps[0]', '10.245.0.9..10.245.0.2', /reversed/);
    expectRefused(sub(['10.245.0.0/28']), 'excludeIps[0]', '10.245.0.0/28', /address or an inclusive range/);
    expectRefused(sub(['10.245.0.250..10.245.1.3']), 'excludeIps[0]', '10.245.0.250..10.245.1.3', /inside/);
  });

  test('bad CIDRs', () => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.1/24' }), 'cidr', '10.245.0.1/24', /host bits/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/31' }), 'cidr', '10.245.0.0/31', /too small/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24,fd00::/64' }), 'cidr', 'fd00::/64', /dual-stack/);
  });

  test('allowSubnets without private, and bad allowSubnets', () => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', allowSubnets: ['10.0.0.0/8'] }), 'allowSubnets', '10.0.0.0/8', /private: true/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', private: true, allowSubnets: ['10.0.0.1/8'] }), 'allowSubnets[0]', '10.0.0.1/8', /host bits/);
  });

  test('reserved, duplicate and invalid names', () => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 'ovn-default', cidr: '10.245.0.0/24' }), 'name', 'ovn-default', /Kube-OVN creates itself/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 'join', cidr: '10.245.0.0/24' }), 'name', 'join', /Kube-OVN creates itself/);
    new KubeOvnSubnet(chart, 'a', { name: 'a', cidr: '10.245.0.0/24' });
    expectRefused(() => new KubeOvnSubnet(chart, 'b', { name: 'a', cidr: '10.246.0.0/24' }), 'name', '"a"', /already exists/);
    expectRefused(() => new KubeOvnSubnet(chart, 'c', { name: 'A_B', cidr: '10.247.0.0/24' }), 'name', 'A_B', /DNS-1123/);
  });

  test('bad namespaces and provider', () => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', namespaces: ['tenant-a', 'tenant-a'] }), 'namespaces[1]', 'tenant-a', /duplicate/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24', provider: 'net1' }), 'provider', 'net1', /<attachment>\.<namespace>\.ovn/);
  });

  test.each([0, 4095])('VLAN ID %p outside 1-4094', (id) => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '172.16.0.0/24', vlan: { id, interface: 'eth1' } }), 'vlan.id', String(id), /1-4094/);
  });

  test('bad VLAN underlays', () => {
    const { chart } = setup();
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '172.16.0.0/24', vlan: { id: 10 } }), 'vlan.providerNetwork', 'undefined', /providerNetwork.*interface/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '172.16.0.0/24', vlan: { id: 10, providerNetwork: 'a-long-provider' } }), 'vlan.providerNetwork', 'a-long-provider', /at most 12/);
    expectRefused(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '172.16.0.0/24', vlan: { id: 10, interface: 'enp129s0f1np1' } }), 'vlan.interface', 'enp129s0f1np1', /1-12 characters; set vlan\.providerNetwork/);
    new KubeOvnSubnet(chart, 'a', { name: 'a', cidr: '172.16.1.0/24', vlan: { id: 10, providerNetwork: 'physnet', interface: 'eth1' } });
    expectRefused(() => new KubeOvnSubnet(chart, 'b', { name: 'b', cidr: '172.16.2.0/24', vlan: { id: 11, providerNetwork: 'physnet', interface: 'eth2' } }),
      'vlan.interface', 'eth2', /provider network "physnet" is already defined by Kube-OVN subnet "a" on interface eth1/);
    expectRefused(() => new KubeOvnSubnet(chart, 'c', { name: 'c', cidr: '172.16.3.0/24', vlan: { id: 12, providerNetwork: 'physnet', name: 'physnet-vlan10' } }),
      'vlan.name', 'physnet-vlan10', /already defined by Kube-OVN subnet "a" with id 10/);
  });

  test('all problems are reported at once, and a refused subnet leaves nothing behind', () => {
    const { chart } = setupWithCluster();
    const err = refusal(() => new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.244.0.0/24', gateway: '10.0.0.1', excludeIps: ['x'], vlan: { id: 0, interface: 'eth1' } }));
    expect(err.issues.map((i) => i.path)).toEqual(['cidr', 'gateway', 'excludeIps[0]', 'vlan.id']);
    expect(chart.node.tryFindChild('s')).toBeUndefined();
    expect(AddressPlan.of(chart).subnets.size).toBe(0);
  });
});
