import { count, expectRefused, find, refusal, setup, setupWithCluster } from './net-helpers';
import { ClientVlans, MetalLbPool } from '../../src/constructs/index-objects';
import { ClusterNetwork } from '../../src/model/cluster';

describe('VLAN integration', () => {
  test('a pool announced only on a VLAN sub-interface (L2)', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'dmz', { name: 'dmz', addresses: ['203.0.113.0/28'], l2: { interfaces: ['eth1.100', 'bond0.100'] } });
    expect(find(chart, 'L2Advertisement', 'dmz').spec.interfaces).toEqual(['eth1.100', 'bond0.100']);
  });

  test('client VLANs map to pools: L2 on <parent>.<vlanId>, BGP to the VLAN peers', () => {
    const { chart } = setupWithCluster();
    const vlans = new ClientVlans(chart, 'client', {
      vlans: [
        { vlanId: 100, parent: 'eth1', addresses: ['203.0.113.0/28'], nodeSelectors: [{ matchLabels: { vlan100: 'true' } }] },
        { vlanId: 200, parent: 'bond0', addresses: ['203.0.113.16/28'], name: 'dmz', bgp: { localAsn: 65001, peers: [{ address: '203.0.113.30', asn: 65100 }] } },
      ],
    });
    expect(vlans.pools.map((p) => p.name)).toEqual(['eth1-vlan100', 'dmz']);
    expect(find(chart, 'L2Advertisement', 'eth1-vlan100').spec).toEqual({
      ipAddressPools: ['eth1-vlan100'],
      interfaces: ['eth1.100'],
      nodeSelectors: [{ matchLabels: { vlan100: 'true' } }],
    });
    // Client VLAN pools are picked explicitly, not auto-assigned.
    expect(find(chart, 'IPAddressPool', 'eth1-vlan100').spec.autoAssign).toBe(false);
    expect(count(chart, 'L2Advertisement')).toBe(1);
    expect(find(chart, 'BGPAdvertisement', 'dmz').spec.peers).toEqual(['peer-203-0-113-30']);
    expect(vlans.poolFor(200, 'bond0')?.name).toBe('dmz');
    expect(vlans.poolFor(300, 'bond0')).toBeUndefined();
    expect(ClientVlans.subInterface('eth1', 100)).toBe('eth1.100');
  });

  test('namespace and pool options are passed on', () => {
    const { chart } = setup();
    new ClientVlans(chart, 'client', {
      namespace: 'metallb-system',
      vlans: [{ vlanId: 7, parent: 'eth1', addresses: ['203.0.113.0/28'], autoAssign: true, avoidBuggyIps: true, serviceAllocation: { namespaces: ['tenant-a'] } }],
    });
    const pool = find(chart, 'IPAddressPool', 'eth1-vlan7');
    expect(pool.metadata.namespace).toBe('metallb-system');
    expect(pool.spec).toEqual({ addresses: ['203.0.113.0/28'], autoAssign: true, avoidBuggyIPs: true, serviceAllocation: { namespaces: ['tenant-a'] } });
  });

  test.each([0, 4095, 1.5])('VLAN ID %p outside 1-4094 is refused', (vlanId) => {
    const { chart } = setup();
    expectRefused(() => new ClientVlans(chart, 'v', { vlans: [{ vlanId, parent: 'eth1', addresses: ['203.0.113.0/28'] }] }), 'vlans[0].vlanId', String(vlanId), /1-4094/);
  });

  test('VLAN IDs 1 and 4094 are accepted', () => {
    const { chart } = setup();
    const v = new ClientVlans(chart, 'v', { vlans: [{ vlanId: 1, parent: 'eth1', addresses: ['203.0.113.0/28'] }, { vlanId: 4094, parent: 'eth1', addresses: ['203.0.113.16/28'] }] });
    expect(v.pools[1].l2Interfaces).toEqual(['eth1.4094']);
  });

  test('a VLAN listed twice is refused', () => {
    const { chart } = setup();
    expectRefused(() => new ClientVlans(chart, 'v', {
      vlans: [
        { vlanId: 100, parent: 'eth1', addresses: ['203.0.113.0/28'] },
        { vlanId: 100, parent: 'eth1', addresses: ['203.0.113.16/28'], name: 'other' },
      ],
    }), 'vlans[1].vlanId', '100', /duplicate VLAN: vlans\[0\] already maps eth1\.100/);
  });

  test('a sub-interface name over 15 characters is refused', () => {
    const { chart } = setup();
    expectRefused(() => new ClientVlans(chart, 'v', { vlans: [{ vlanId: 1000, parent: 'enp129s0f1np1', addresses: ['203.0.113.0/28'] }] }),
      'vlans[0].parent', 'enp129s0f1np1', /enp129s0f1np1\.1000 longer than Linux's 15 characters/);
  });

  test('pool errors carry the VLAN path; every VLAN is checked', () => {
    const { chart } = setupWithCluster();
    const err = refusal(() => new ClientVlans(chart, 'v', {
      vlans: [
        { vlanId: 100, parent: 'eth1', addresses: ['203.0.113.0/28'] },
        { vlanId: 200, parent: 'eth1', addresses: ['203.0.113.8/29'] },
        { vlanId: 300, parent: 'eth1', addresses: ['10.244.0.0/24'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 0 }] } },
        { vlanId: 5000, parent: 'eth1', addresses: ['203.0.113.64/28'] },
      ],
    }));
    expect(err.issues.map((i) => i.path)).toEqual([
      'vlans[1].addresses[0]',
      'vlans[2].addresses[0]',
      'vlans[2].bgp.peers[0].asn',
      'vlans[3].vlanId',
    ]);
    expect(err.issues[0].message).toMatch(/MetalLB pool "eth1-vlan100"/);
  });

  test('node selectors are refused in BGP mode; L2 selector errors keep their VLAN path', () => {
    const { chart } = setup();
    expectRefused(() => new ClientVlans(chart, 'v', {
      vlans: [
        { vlanId: 100, parent: 'eth1', addresses: ['203.0.113.0/28'], nodeSelectors: [{}], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } },
      ],
    }), 'vlans[0].nodeSelectors', '[{}]', /bgp\.nodeSelectors/);
    expectRefused(() => new ClientVlans(chart, 'w', {
      vlans: [
        { vlanId: 100, parent: 'eth1', addresses: ['203.0.113.0/28'], nodeSelectors: [{ matchExpressions: [{ key: 'k', operator: 'Bad' }] }] },
      ],
    }), 'vlans[0].nodeSelectors[0].matchExpressions[0].operator', 'Bad');
  });

  test('a bad parent interface and an unknown key are refused', () => {
    const { chart } = setup();
    expectRefused(() => new ClientVlans(chart, 'v', { vlans: [{ vlanId: 100, parent: 'eth 1', addresses: ['203.0.113.0/28'] }] }), 'vlans[0].parent', 'eth 1', /interface/);
    expectRefused(() => new ClientVlans(chart, 'w', { vlans: [{ vlanId: 100, parent: 'eth1', addresses: ['203.0.113.0/28'], vlan: 3 } as any] }), 'vlans[0].vlan', '3', /unknown key/);
  });

  test('a standalone cluster prop is reserved', () => {
    const { chart } = setup();
    expectRefused(() => new ClientVlans(chart, 'v', { cluster: new ClusterNetwork(), vlans: [{ vlanId: 100, parent: 'eth1', addresses: ['10.96.5.0/24'] }] }),
      'vlans[0].addresses[0]', '10.96.5.0/24', /service CIDR/);
  });
});
