import { Testing } from 'cdk8s';
import { setupWithCluster } from './net-helpers';
import {
  AttachmentIpam, AttachmentIpamType, AttachmentType, ClientVlans, KubeOvnSubnet,
  MetalLbPool, MultusAttachment, PassthroughProtocol, PassthroughService,
} from '../../src/constructs/index-objects';
import { validateObjects } from '../../src/validation/object-validator';

test('every networking object validates strictly against its CRD or the Kubernetes schema', () => {
  const { chart } = setupWithCluster();
  new MetalLbPool(chart, 'public', {
    name: 'public',
    addresses: ['192.0.2.32/28', '192.0.2.100-192.0.2.120', '2001:db8:1::/120'],
    l2: { interfaces: ['eth1'], nodeSelectors: [{ matchLabels: { edge: 'true' }, matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
    autoAssign: false,
    avoidBuggyIps: true,
    serviceAllocation: { namespaces: ['tenant-acme'], namespaceSelectors: [{ matchLabels: { tenant: 'acme' } }], priority: 5 },
  });
  new MetalLbPool(chart, 'transit', {
    name: 'transit',
    addresses: ['198.51.100.0/27'],
    bgp: {
      localAsn: 65001,
      aggregationLength: 32,
      aggregationLengthV6: 128,
      communities: ['65000:1', 'large:1:2:3'],
      localPref: 100,
      nodeSelectors: [{ matchLabels: { bgp: 'true' } }],
      peers: [
        { address: '10.0.0.1', asn: 65000, localAsn: 65010, port: 179, holdTime: '90s', ebgpMultiHop: true, bfdProfile: 'fast', passwordSecret: 'bgp', nodeSelectors: [{ matchLabels: { rack: 'a' } }] },
        { address: 'fd00::1', asn: 4200000000 },
      ],
    },
  });
  new ClientVlans(chart, 'vlans', { vlans: [{ vlanId: 100, parent: 'eth1', addresses: ['203.0.113.0/28'] }] });
  new KubeOvnSubnet(chart, 'vms', { name: 'acme-vms', cidr: '10.245.0.0/24', namespaces: ['tenant-acme'], excludeIps: ['10.245.0.2..10.245.0.9'], private: true, allowSubnets: ['10.244.0.0/16'], natOutgoing: true });
  new KubeOvnSubnet(chart, 'ext', { name: 'ext100', cidr: '172.16.100.0/24', vlan: { id: 100, interface: 'eth2' } });
  new KubeOvnSubnet(chart, 'v6', { name: 'v6', cidr: 'fd00:10:245::/64' });
  new MultusAttachment(chart, 'ovn', { name: 'ext100', namespace: 'tenant-acme', type: AttachmentType.KUBE_OVN, subnet: 'ext100' });
  new MultusAttachment(chart, 'br', { name: 'vlan100', namespace: 'tenant-acme', type: AttachmentType.BRIDGE, bridge: 'br-vlan100', vlanId: 100, mtu: 9000 });
  new MultusAttachment(chart, 'mv', { name: 'mv', namespace: 'tenant-acme', type: AttachmentType.MACVLAN, master: 'eth3', ipam: { type: AttachmentIpamType.STATIC } });
  new MultusAttachment(chart, 'wa', { name: 'wa', namespace: 'tenant-acme', type: AttachmentType.IPVLAN, master: 'eth3', ipam: AttachmentIpam.whereabouts('10.50.0.0/24') });
  new PassthroughService(chart, 'vm1', { name: 'vm1', namespace: 'tenant-acme', selector: { 'vm.kubevirt.io/name': 'vm1' }, pool: 'public', address: '192.0.2.35', wholeIp: true });
  new PassthroughService(chart, 'vm2', {
    name: 'vm2',
    namespace: 'tenant-acme',
    selector: { 'vm.kubevirt.io/name': 'vm2' },
    pool: 'public',
    address: '2001:db8:1::2',
    ports: [{ port: 22 }, { port: 53, protocol: PassthroughProtocol.UDP }],
    allowIcmp: true,
  });

  const objects = Testing.synth(chart);
  expect(new Set(objects.map((o: any) => o.kind))).toEqual(new Set([
    'IPAddressPool', 'L2Advertisement', 'BGPPeer', 'BGPAdvertisement', 'Subnet', 'ProviderNetwork', 'Vlan', 'NetworkAttachmentDefinition', 'Service',
  ]));
  expect(validateObjects(objects)).toEqual([]);
});

test('the strict validation does check these kinds', () => {
  const { chart } = setupWithCluster();
  new MetalLbPool(chart, 't', { name: 't', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } });
  new KubeOvnSubnet(chart, 's', { name: 's', cidr: '10.245.0.0/24' });
  const objects = Testing.synth(chart).map((o: any) => ({ ...o, spec: { ...o.spec, bogus: 1 } }));
  const problems = validateObjects(objects);
  for (const kind of ['IPAddressPool', 'BGPPeer', 'BGPAdvertisement', 'Subnet']) {
    expect(problems.some((p) => p.startsWith(`${kind}/`) && /bogus/.test(p))).toBe(true);
  }
});
