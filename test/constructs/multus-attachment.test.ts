import { expectRefused, find, refusal, setup, setupWithCluster } from './net-helpers';
import {
  AttachmentIpam, AttachmentIpamType, AttachmentType, KubeOvnSubnet, MultusAttachment, MultusAttachmentProps,
} from '../../src/constructs/index-objects';

function config(props: MultusAttachmentProps): any {
  const { chart } = setup();
  const a = new MultusAttachment(chart, 'a', props);
  return JSON.parse(a.config);
}

describe('MultusAttachment objects', () => {
  test('the contract example: a bridge on VLAN 100', () => {
    const { chart } = setup();
    const a = new MultusAttachment(chart, 'a', { name: 'vlan100', namespace: 'tenant-acme', type: AttachmentType.BRIDGE, bridge: 'br-vlan100', vlanId: 100 });
    expect(find(chart, 'NetworkAttachmentDefinition', 'vlan100')).toEqual({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name: 'vlan100', namespace: 'tenant-acme' },
      spec: { config: '{"cniVersion":"0.3.1","name":"vlan100","type":"bridge","bridge":"br-vlan100","vlan":100,"ipam":{}}' },
    });
    expect(a.networkName()).toBe('tenant-acme/vlan100');
    expect(a.type).toBe(AttachmentType.BRIDGE);
    expect(a.provider).toBeUndefined();
  });

  test('the platform file spelling of the type is accepted', () => {
    expect(config({ name: 'hd', namespace: 'ns', type: 'host-device' as AttachmentType, device: 'ens5f1' }))
      .toEqual({ cniVersion: '0.3.1', name: 'hd', type: 'host-device', device: 'ens5f1', ipam: {} });
  });

  test('bridge with MTU, macvlan, ipvlan and vlan configs', () => {
    expect(config({ name: 'b', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0', mtu: 9000 }))
      .toEqual({ cniVersion: '0.3.1', name: 'b', type: 'bridge', bridge: 'br0', mtu: 9000, ipam: {} });
    expect(config({ name: 'm', namespace: 'ns', type: AttachmentType.MACVLAN, master: 'eth2', mode: 'private', mtu: 1500 }))
      .toEqual({ cniVersion: '0.3.1', name: 'm', type: 'macvlan', master: 'eth2', mode: 'private', mtu: 1500, ipam: {} });
    expect(config({ name: 'i', namespace: 'ns', type: AttachmentType.IPVLAN, master: 'eth2', mode: 'l3' }))
      .toEqual({ cniVersion: '0.3.1', name: 'i', type: 'ipvlan', master: 'eth2', mode: 'l3', ipam: {} });
    expect(config({ name: 'i', namespace: 'ns', type: AttachmentType.IPVLAN }))
      .toEqual({ cniVersion: '0.3.1', name: 'i', type: 'ipvlan', ipam: {} });
    expect(config({ name: 'v', namespace: 'ns', type: AttachmentType.VLAN, master: 'eth1', vlanId: 4094 }))
      .toEqual({ cniVersion: '0.3.1', name: 'v', type: 'vlan', master: 'eth1', vlanId: 4094, ipam: {} });
  });

  test('the config has a fixed key order', () => {
    const { chart } = setup();
    const a = new MultusAttachment(chart, 'a', {
      ipam: AttachmentIpam.whereabouts('10.50.0.0/24', '10.50.0.1'),
      mtu: 1400,
      vlanId: 7,
      bridge: 'br1',
      type: AttachmentType.BRIDGE,
      namespace: 'ns',
      name: 'x',
    });
    expect(a.config).toBe('{"cniVersion":"0.3.1","name":"x","type":"bridge","bridge":"br1","vlan":7,"mtu":1400,"ipam":{"type":"whereabouts","range":"10.50.0.0/24","gateway":"10.50.0.1"}}');
  });

  test('IPAM: none, static, dhcp, whereabouts', () => {
    const base = { name: 'n', namespace: 'ns', type: AttachmentType.MACVLAN, master: 'eth1' };
    expect(config({ ...base, ipam: AttachmentIpam.none() }).ipam).toEqual({});
    expect(config({ ...base, ipam: AttachmentIpam.dhcp() }).ipam).toEqual({ type: 'dhcp' });
    expect(config({ ...base, ipam: { type: AttachmentIpamType.STATIC, addresses: ['10.10.0.5/24'], gateway: '10.10.0.1', routes: ['0.0.0.0/0'] } }).ipam)
      .toEqual({ type: 'static', addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }], routes: [{ dst: '0.0.0.0/0' }] });
    expect(config({ ...base, ipam: AttachmentIpam.fixed(['fd00::5/64']) }).ipam).toEqual({ type: 'static', addresses: [{ address: 'fd00::5/64' }] });
    // Static without addresses: per-pod addresses through the ips capability.
    const perPod = config({ ...base, ipam: { type: AttachmentIpamType.STATIC } });
    expect(perPod.capabilities).toEqual({ ips: true });
    expect(perPod.ipam).toEqual({ type: 'static' });
    expect(config({
      ...base,
      ipam: { type: AttachmentIpamType.WHEREABOUTS, range: '10.50.0.0/24', rangeStart: '10.50.0.10', rangeEnd: '10.50.0.200', exclude: ['10.50.0.64/28'], gateway: '10.50.0.1', routes: ['10.60.0.0/16'] },
    }).ipam).toEqual({
      type: 'whereabouts', range: '10.50.0.0/24', range_start: '10.50.0.10', range_end: '10.50.0.200', exclude: ['10.50.0.64/28'], gateway: '10.50.0.1', routes: [{ dst: '10.60.0.0/16' }],
    });
  });
});

describe('kube-ovn attachments and Kube-OVN subnets', () => {
  test('a kube-ovn attachment sets its provider on the named subnet', () => {
    const { chart } = setupWithCluster();
    const subnet = new KubeOvnSubnet(chart, 's', { name: 'acme-net2', cidr: '10.245.0.0/24' });
    const a = new MultusAttachment(chart, 'a', { name: 'net2', namespace: 'tenant-acme', type: AttachmentType.KUBE_OVN, subnet: 'acme-net2' });
    expect(JSON.parse(a.config)).toEqual({
      cniVersion: '0.3.1', name: 'net2', type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', provider: 'net2.tenant-acme.ovn',
    });
    expect(a.provider).toBe('net2.tenant-acme.ovn');
    expect(subnet.provider).toBe('net2.tenant-acme.ovn');
    expect(find(chart, 'Subnet', 'acme-net2').spec.provider).toBe('net2.tenant-acme.ovn');
  });

  test('a subnet that already has the attachment provider is accepted, by name or found by provider', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 's', { name: 'sub', cidr: '10.245.0.0/24', provider: 'net2.tenant-acme.ovn' });
    new KubeOvnSubnet(chart, 't', { name: 'sub3', cidr: '10.246.0.0/24', provider: 'net3.tenant-acme.ovn' });
    new MultusAttachment(chart, 'a', { name: 'net2', namespace: 'tenant-acme', type: AttachmentType.KUBE_OVN, subnet: 'sub' });
    const b = new MultusAttachment(chart, 'b', { name: 'net3', namespace: 'tenant-acme', type: AttachmentType.KUBE_OVN });
    expect(b.provider).toBe('net3.tenant-acme.ovn');
    expect(find(chart, 'Subnet', 'sub').spec.provider).toBe('net2.tenant-acme.ovn');
  });

  test('Kube-OVN IPAM uses the provider <name>.<namespace>', () => {
    const { chart } = setup();
    const subnet = new KubeOvnSubnet(chart, 's', { name: 'mv-sub', cidr: '10.246.0.0/24' });
    const a = new MultusAttachment(chart, 'a', { name: 'macvlan1', namespace: 'default', type: AttachmentType.MACVLAN, master: 'eth0', mode: 'bridge', ipam: AttachmentIpam.kubeOvn(), subnet: 'mv-sub' });
    expect(JSON.parse(a.config).ipam).toEqual({ type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', provider: 'macvlan1.default' });
    expect(subnet.provider).toBe('macvlan1.default');
  });

  test('an unknown subnet is refused', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 's', { name: 'other', cidr: '10.245.0.0/24' });
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'net2', namespace: 'ns', type: AttachmentType.KUBE_OVN, subnet: 'nope' }),
      'subnet', 'nope', /no Kube-OVN subnet with this name.*known: other/);
  });

  test('a subnet with another provider is refused', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 's', { name: 'sub', cidr: '10.245.0.0/24' });
    new MultusAttachment(chart, 'a', { name: 'first', namespace: 'ns', type: AttachmentType.KUBE_OVN, subnet: 'sub' });
    expectRefused(() => new MultusAttachment(chart, 'b', { name: 'second', namespace: 'ns', type: AttachmentType.KUBE_OVN, subnet: 'sub' }),
      'subnet', 'sub', /provider "first\.ns\.ovn" \(set by attachment ns\/first\), but this attachment needs provider "second\.ns\.ovn"/);
  });

  test('a namespace subnet (provider ovn) is not taken over', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 's', { name: 'acme-vms', cidr: '10.245.0.0/24', namespaces: ['tenant-acme'] });
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'net2', namespace: 'tenant-acme', type: AttachmentType.KUBE_OVN, subnet: 'acme-vms' }),
      'subnet', 'acme-vms', /primary subnet of namespaces tenant-acme/);
  });

  test('a kube-ovn attachment without any subnet of its provider is refused', () => {
    const { chart } = setup();
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'net2', namespace: 'ns', type: AttachmentType.KUBE_OVN }),
      'subnet', 'undefined', /provider "net2\.ns\.ovn"/);
  });
});

describe('MultusAttachment refusals', () => {
  test.each([0, 4095])('VLAN ID %p', (vlanId) => {
    const { chart } = setup();
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0', vlanId }), 'vlanId', String(vlanId), /1-4094/);
    expectRefused(() => new MultusAttachment(chart, 'b', { name: 'b', namespace: 'ns', type: AttachmentType.VLAN, master: 'eth1', vlanId }), 'vlanId', String(vlanId), /1-4094/);
  });

  test('required keys per type', () => {
    const { chart } = setup();
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE }), 'bridge', 'undefined', /required for a bridge attachment/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.VLAN, vlanId: 5 }), 'master', 'undefined', /required for a vlan attachment/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.HOST_DEVICE }), 'device', 'undefined', /required/);
  });

  test('keys of another type', () => {
    const { chart } = setup();
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.MACVLAN, bridge: 'br0' }), 'bridge', 'br0', /only to type bridge, not macvlan/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.MACVLAN, vlanId: 5 }), 'vlanId', '5', /only to type bridge or vlan/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.KUBE_OVN, ipam: AttachmentIpam.dhcp() }), 'ipam', 'dhcp', /remove ipam/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0', subnet: 's' }), 'subnet', '"s"', /kube-ovn/);
  });

  test('bad values', () => {
    const { chart } = setup();
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: 'sriov' as AttachmentType }), 'type', 'sriov', /bridge, macvlan, ipvlan, vlan, host-device, kube-ovn/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.MACVLAN, mode: 'l2' }), 'mode', 'l2', /bridge, private, vepa, passthru/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.IPVLAN, mode: 'bridge' }), 'mode', 'bridge', /l2, l3, l3s/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0', mtu: 10 }), 'mtu', '10', /MTU/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'bridge-for-vlan-100' }), 'bridge', 'bridge-for-vlan-100', /15 characters/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'A', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0' }), 'name', '"A"', /DNS-1123/);
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0', vlan: 5 } as any), 'vlan', '5', /unknown key/);
  });

  test('bad IPAM', () => {
    const { chart } = setup();
    const ipam = (i: any) => () => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.MACVLAN, ipam: i });
    expectRefused(ipam({ type: 'host-local' }), 'ipam.type', 'host-local', /none, static, dhcp, whereabouts, kube-ovn/);
    expectRefused(ipam({ type: 'whereabouts' }), 'ipam.range', 'undefined', /required for whereabouts/);
    expectRefused(ipam({ type: 'whereabouts', range: '10.50.0.0/24', rangeStart: '10.51.0.1' }), 'ipam.rangeStart', '10.51.0.1', /inside range 10\.50\.0\.0\/24/);
    expectRefused(ipam({ type: 'whereabouts', range: '10.50.0.0/24', rangeStart: '10.50.0.100', rangeEnd: '10.50.0.10' }), 'ipam.rangeEnd', '10.50.0.10', /below rangeStart/);
    expectRefused(ipam({ type: 'whereabouts', range: '10.50.0.0/24', exclude: ['10.60.0.0/28'] }), 'ipam.exclude[0]', '10.60.0.0/28', /inside range/);
    expectRefused(ipam({ type: 'static', addresses: ['10.10.0.5'] }), 'ipam.addresses[0]', '10.10.0.5', /prefix length/);
    expectRefused(ipam({ type: 'dhcp', range: '10.50.0.0/24' }), 'ipam.range', '10.50.0.0/24', /only to ipam type whereabouts, not dhcp/);
    expectRefused(ipam({ type: 'static', gateway: 'gw' }), 'ipam.gateway', 'gw', /address/);
  });

  test('a whereabouts range overlapping the cluster CIDRs', () => {
    const { chart } = setupWithCluster();
    expectRefused(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0', ipam: AttachmentIpam.whereabouts('10.244.5.0/24') }),
      'ipam.range', '10.244.5.0/24', /pod CIDR/);
  });

  test('a duplicate attachment', () => {
    const { chart } = setup();
    new MultusAttachment(chart, 'a', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br0' });
    expectRefused(() => new MultusAttachment(chart, 'b', { name: 'a', namespace: 'ns', type: AttachmentType.BRIDGE, bridge: 'br1' }), 'name', '"a"', /already exists/);
    // Same name in another namespace is fine.
    new MultusAttachment(chart, 'c', { name: 'a', namespace: 'other', type: AttachmentType.BRIDGE, bridge: 'br0' });
  });

  test('all problems are reported at once', () => {
    const { chart } = setup();
    const err = refusal(() => new MultusAttachment(chart, 'a', { name: 'a', namespace: 'NS', type: AttachmentType.VLAN, vlanId: 0, mode: 'x' }));
    expect(err.issues.map((i) => i.path)).toEqual(['namespace', 'master', 'mode', 'vlanId']);
    expect(chart.node.tryFindChild('a')).toBeUndefined();
  });
});
