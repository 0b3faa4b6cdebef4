import { Chart, Testing } from 'cdk8s';
import { count, expectRefused, find, objects, refusal, setup, setupWithCluster } from './net-helpers';
import { KubeOvnSubnet, MetalLbPool, MetalLbPoolProps } from '../../src/constructs/index-objects';
import { AddressPlan } from '../../src/model/address-plan';
import { ClusterNetwork } from '../../src/model/cluster';
import { withPathPrefix } from '../../src/model/errors';

const PUBLIC: MetalLbPoolProps = { name: 'public', addresses: ['192.0.2.32/28', '192.0.2.100-192.0.2.120'], l2: { interfaces: ['eth1'] } };
const TRANSIT: MetalLbPoolProps = { name: 'transit', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } };

describe('MetalLbPool objects', () => {
  test('the contract example synthesizes pools, advertisements and one peer', () => {
    const { chart } = setupWithCluster();
    new MetalLbPool(chart, 'public', PUBLIC);
    new MetalLbPool(chart, 'transit', TRANSIT);

    expect(objects(chart).map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'metallb.io/v1beta1 IPAddressPool cozy-metallb/public',
      'metallb.io/v1beta1 L2Advertisement cozy-metallb/public',
      'metallb.io/v1beta1 IPAddressPool cozy-metallb/transit',
      'metallb.io/v1beta2 BGPPeer cozy-metallb/peer-10-0-0-1',
      'metallb.io/v1beta1 BGPAdvertisement cozy-metallb/transit',
    ]);
    expect(find(chart, 'IPAddressPool', 'public').spec).toEqual({
      addresses: ['192.0.2.32/28', '192.0.2.100-192.0.2.120'],
      autoAssign: true,
      avoidBuggyIPs: false,
    });
    expect(find(chart, 'L2Advertisement', 'public').spec).toEqual({ ipAddressPools: ['public'], interfaces: ['eth1'] });
    expect(find(chart, 'BGPPeer', 'peer-10-0-0-1').spec).toEqual({ myASN: 65001, peerASN: 65000, peerAddress: '10.0.0.1' });
    expect(find(chart, 'BGPAdvertisement', 'transit').spec).toEqual({
      ipAddressPools: ['transit'],
      aggregationLength: 32,
      peers: ['peer-10-0-0-1'],
    });
  });

  test('a pool with neither l2 nor bgp is announced in L2 mode on all interfaces', () => {
    const { chart } = setup();
    const pool = new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'] });
    expect(find(chart, 'L2Advertisement', 'p').spec).toEqual({ ipAddressPools: ['p'] });
    expect(count(chart, 'BGPAdvertisement')).toBe(0);
    expect(pool.l2).toBe(true);
    expect(pool.l2Interfaces).toEqual([]);
    expect(pool.peerNames).toEqual([]);
  });

  test('a BGP-only pool has no L2Advertisement', () => {
    const { chart } = setup();
    const pool = new MetalLbPool(chart, 't', TRANSIT);
    expect(count(chart, 'L2Advertisement')).toBe(0);
    expect(pool.l2).toBe(false);
    expect(pool.peerNames).toEqual(['peer-10-0-0-1']);
  });

  test('a pool may be announced both in L2 and over BGP', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'b', { ...TRANSIT, l2: { interfaces: ['eth1.100'] } });
    expect(find(chart, 'L2Advertisement', 'transit').spec.interfaces).toEqual(['eth1.100']);
    expect(count(chart, 'BGPAdvertisement')).toBe(1);
  });

  test('namespace, allocation, autoAssign, avoidBuggyIps and selectors are written', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'p', {
      name: 'p',
      addresses: ['192.0.2.0/28'],
      namespace: 'metallb-system',
      autoAssign: false,
      avoidBuggyIps: true,
      serviceAllocation: { namespaces: ['tenant-a'], namespaceSelectors: [{ matchLabels: { tenant: 'a' } }], priority: 10 },
      l2: { nodeSelectors: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/edge', operator: 'Exists' }] }] },
    });
    const pool = find(chart, 'IPAddressPool', 'p');
    expect(pool.metadata.namespace).toBe('metallb-system');
    expect(pool.spec).toEqual({
      addresses: ['192.0.2.0/28'],
      autoAssign: false,
      avoidBuggyIPs: true,
      serviceAllocation: { namespaces: ['tenant-a'], namespaceSelectors: [{ matchLabels: { tenant: 'a' } }], priority: 10 },
    });
    expect(find(chart, 'L2Advertisement', 'p').spec.nodeSelectors).toEqual([
      { matchExpressions: [{ key: 'node-role.kubernetes.io/edge', operator: 'Exists' }] },
    ]);
  });

  test('every BGP peer and advertisement option is written', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 't', {
      name: 't',
      addresses: ['198.51.100.0/27', '2001:db8::/120'],
      bgp: {
        localAsn: 65001,
        aggregationLength: 27,
        aggregationLengthV6: 120,
        communities: ['65000:100', 'large:65000:1:2'],
        localPref: 200,
        nodeSelectors: [{ matchLabels: { bgp: 'yes' } }],
        peers: [{
          address: '10.0.0.1',
          asn: 65000,
          localAsn: 65010,
          port: 1179,
          holdTime: '30s',
          ebgpMultiHop: true,
          bfdProfile: 'fast',
          passwordSecret: 'bgp-auth',
          nodeSelectors: [{ matchLabels: { rack: 'r1' } }],
        }, { address: '2001:db8:ffff::', asn: 65000 }],
      },
    });
    expect(find(chart, 'BGPPeer', 'peer-10-0-0-1').spec).toEqual({
      myASN: 65001,
      peerASN: 65000,
      peerAddress: '10.0.0.1',
      peerPort: 1179,
      holdTime: '30s',
      ebgpMultiHop: true,
      bfdProfile: 'fast',
      passwordSecret: { name: 'bgp-auth', namespace: 'cozy-metallb' },
      nodeSelectors: [{ matchLabels: { rack: 'r1' } }],
      localASN: 65010,
    });
    // IPv6 peer names: ':' becomes '-', a trailing '::' gets a 0.
    expect(find(chart, 'BGPPeer', 'peer-2001-db8-ffff--0').spec.peerAddress).toBe('2001:db8:ffff::');
    expect(find(chart, 'BGPAdvertisement', 't').spec).toEqual({
      ipAddressPools: ['t'],
      aggregationLength: 27,
      aggregationLengthV6: 120,
      communities: ['65000:100', 'large:65000:1:2'],
      localPref: 200,
      nodeSelectors: [{ matchLabels: { bgp: 'yes' } }],
      peers: ['peer-10-0-0-1', 'peer-2001-db8-ffff--0'],
    });
  });

  test('a per-peer localAsn equal to the pool ASN is not written as localASN', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 't', { name: 't', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000, localAsn: 65001 }] } });
    expect(find(chart, 'BGPPeer', 'peer-10-0-0-1').spec.localASN).toBeUndefined();
  });

  test('an explicit peer name is used', () => {
    const { chart } = setup();
    const pool = new MetalLbPool(chart, 't', { name: 't', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000, name: 'tor-a' }] } });
    expect(find(chart, 'BGPPeer', 'tor-a').spec.peerAddress).toBe('10.0.0.1');
    expect(pool.peerNames).toEqual(['tor-a']);
  });

  test('IPv6 pools and ranges are accepted', () => {
    const { chart } = setup();
    const pool = new MetalLbPool(chart, 'v6', { name: 'v6', addresses: ['2001:db8:1::/64', '2001:db8:2::10-2001:db8:2::20'] });
    expect(pool.containsAddress('2001:db8:2::15')).toBe(true);
    expect(pool.containsAddress('2001:db8:2::21')).toBe(false);
    expect(find(chart, 'IPAddressPool', 'v6').spec.addresses).toEqual(['2001:db8:1::/64', '2001:db8:2::10-2001:db8:2::20']);
  });

  test('containsAddress checks ranges and CIDRs', () => {
    const { chart } = setup();
    const pool = new MetalLbPool(chart, 'p', PUBLIC);
    expect(pool.containsAddress('192.0.2.35')).toBe(true);
    expect(pool.containsAddress('192.0.2.48')).toBe(false);
    expect(pool.containsAddress('192.0.2.120')).toBe(true);
    expect(pool.containsAddress('192.0.2.121')).toBe(false);
    expect(pool.containsAddress('not-an-ip')).toBe(false);
  });

  test('whitespace in a range is removed', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.100 - 192.0.2.120'] });
    expect(find(chart, 'IPAddressPool', 'p').spec.addresses).toEqual(['192.0.2.100-192.0.2.120']);
  });

  test('output is deterministic', () => {
    const build = () => {
      const { chart } = setupWithCluster();
      new MetalLbPool(chart, 'public', PUBLIC);
      new MetalLbPool(chart, 'transit', TRANSIT);
      return JSON.stringify(Testing.synth(chart));
    };
    expect(build()).toEqual(build());
  });
});

describe('shared BGP peers', () => {
  test('pools listing the same peer share one BGPPeer', () => {
    const { chart } = setup();
    const a = new MetalLbPool(chart, 'a', { name: 'a', addresses: ['198.51.100.0/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } });
    const b = new MetalLbPool(chart, 'b', { name: 'b', addresses: ['198.51.100.16/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }, { address: '10.0.0.2', asn: 65000 }] } });
    expect(count(chart, 'BGPPeer')).toBe(2);
    expect(a.peerNames).toEqual(['peer-10-0-0-1']);
    expect(b.peerNames).toEqual(['peer-10-0-0-1', 'peer-10-0-0-2']);
    expect(find(chart, 'BGPAdvertisement', 'b').spec.peers).toEqual(['peer-10-0-0-1', 'peer-10-0-0-2']);
  });

  test('sharing works across charts of one app; each chart keeps its objects', () => {
    const app = Testing.app();
    const c1 = new Chart(app, 'one');
    const c2 = new Chart(app, 'two');
    new MetalLbPool(c1, 'a', { name: 'a', addresses: ['198.51.100.0/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } });
    new MetalLbPool(c2, 'b', { name: 'b', addresses: ['198.51.100.16/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } });
    expect(count(c1, 'BGPPeer')).toBe(1);
    expect(count(c2, 'BGPPeer')).toBe(0);
    expect(find(c2, 'BGPAdvertisement', 'b').spec.peers).toEqual(['peer-10-0-0-1']);
  });

  test('separate apps have separate plans', () => {
    const { chart: c1 } = setup();
    const { chart: c2 } = setup();
    new MetalLbPool(c1, 'a', PUBLIC);
    new MetalLbPool(c2, 'a', PUBLIC);
    expect(AddressPlan.of(c1)).not.toBe(AddressPlan.of(c2));
  });

  test('the same peer with different settings is refused at the differing field', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'a', { name: 'a', addresses: ['198.51.100.0/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000, holdTime: '90s' }] } });
    expectRefused(() => new MetalLbPool(chart, 'b', {
      name: 'b', addresses: ['198.51.100.16/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000, holdTime: '30s' }] },
    }), 'bgp.peers[0].holdTime', '"30s"', /already defined by pool "a".*identical/);
    expectRefused(() => new MetalLbPool(chart, 'c', {
      name: 'c', addresses: ['198.51.100.32/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65099, holdTime: '90s' }] },
    }), 'bgp.peers[0].asn', '65099', /already defined by pool "a"/);
  });

  test('the same peer under another name, or a name reused for another address, is refused', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'a', { name: 'a', addresses: ['198.51.100.0/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000, name: 'tor' }] } });
    expectRefused(() => new MetalLbPool(chart, 'b', {
      name: 'b', addresses: ['198.51.100.16/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] },
    }), 'bgp.peers[0].address', 'peer-10-0-0-1', /same name/);
    expectRefused(() => new MetalLbPool(chart, 'c', {
      name: 'c', addresses: ['198.51.100.32/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.9', asn: 65000, name: 'tor' }] },
    }), 'bgp.peers[0].name', '"tor"', /already used by pool "a" for peer 10\.0\.0\.1/);
  });

  test('a peer listed twice in one pool is refused', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'a', {
      name: 'a', addresses: ['198.51.100.0/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }, { address: '10.0.0.1', asn: 65000 }] },
    }), 'bgp.peers[1].address', '10.0.0.1', /duplicate peer/);
  });

  test('pools must agree on the local ASN (FRR speaks with one)', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'a', { name: 'a', addresses: ['198.51.100.0/28'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } });
    expectRefused(() => new MetalLbPool(chart, 'b', {
      name: 'b', addresses: ['198.51.100.16/28'], bgp: { localAsn: 65002, peers: [{ address: '10.0.0.2', asn: 65000 }] },
    }), 'bgp.localAsn', '65002', /one local ASN.*65001/);
  });
});

describe('MetalLbPool refusals', () => {
  test('a malformed address', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28', '192.0.2.300/28'] }), 'addresses[1]', '192.0.2.300/28', /CIDR/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.1/28'] }), 'addresses[0]', '192.0.2.1/28', /host bits/);
  });

  test('a single address gets a hint', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.7'] }), 'addresses[0]', '192.0.2.7', /192\.0\.2\.7\/32/);
  });

  test('a reversed range', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.120-192.0.2.100'] }), 'addresses[0]', '192.0.2.120-192.0.2.100', /reversed/);
  });

  test('no addresses', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: [] }), 'addresses', '[]', /at least one/);
  });

  test('overlapping blocks within the pool', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28', '192.0.2.100-192.0.2.120', '192.0.2.8-192.0.2.9'] }),
      'addresses[2]', '192.0.2.8-192.0.2.9', /overlaps addresses\[0\] 192\.0\.2\.0\/28 of the same pool/);
    // Reported at the later entry even when it sorts first.
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.8-192.0.2.9', '192.0.2.0/28'] }),
      'addresses[1]', '192.0.2.0/28', /overlaps addresses\[0\]/);
  });

  test('overlap with another pool', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'public', PUBLIC);
    expectRefused(() => new MetalLbPool(chart, 'other', { name: 'other', addresses: ['192.0.2.110/31'] }),
      'addresses[0]', '192.0.2.110/31', /overlaps 192\.0\.2\.100-192\.0\.2\.120 of MetalLB pool "public"/);
  });

  test.each([
    ['10.244.7.0/24', /pod CIDR 10\.244\.0\.0\/16 \(cluster\.podCidr\)/],
    ['10.96.0.0/24', /service CIDR 10\.96\.0\.0\/16 \(cluster\.serviceCidr\)/],
    ['100.64.3.1-100.64.3.9', /join CIDR 100\.64\.0\.0\/16 \(cluster\.joinCidr\)/],
  ])('overlap with the cluster: %s', (block, message) => {
    const { chart } = setupWithCluster();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: [block] }), 'addresses[0]', block, message);
  });

  test('overlap with the cluster given as a prop (standalone use)', () => {
    const { chart } = setup();
    const cluster = new ClusterNetwork({ podCidr: '10.200.0.0/16' });
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['10.200.1.0/24'], cluster }), 'addresses[0]', '10.200.1.0/24', /pod CIDR/);
    // The cluster stays registered for later constructs.
    expect(AddressPlan.of(chart).cluster).toBe(cluster);
    expectRefused(() => new MetalLbPool(chart, 'q', { name: 'q', addresses: ['10.200.2.0/24'] }), 'addresses[0]', '10.200.2.0/24', /pod CIDR/);
  });

  test('a different cluster than the registered one is refused', () => {
    const { chart } = setupWithCluster();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], cluster: new ClusterNetwork({ podCidr: '10.200.0.0/16' }) }),
      'cluster', '10.200.0.0/16', /differs from the cluster network already registered/);
  });

  test('a cluster reserved after a pool it overlaps is refused at the cluster field', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'p', { name: 'p', addresses: ['10.244.9.0/24'] });
    expectRefused(() => AddressPlan.of(chart).reserveCluster(new ClusterNetwork()), 'cluster.podCidr', '10.244.0.0/16', /overlaps 10\.244\.9\.0\/24 of MetalLB pool "p"/);
  });

  test('overlap with a Kube-OVN subnet', () => {
    const { chart } = setup();
    new KubeOvnSubnet(chart, 's', { name: 'acme-vms', cidr: '10.245.0.0/24' });
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['10.245.0.128/25'] }),
      'addresses[0]', '10.245.0.128/25', /Kube-OVN subnet "acme-vms" \(10\.245\.0\.0\/24\); a load-balancer pool must not overlap a Kube-OVN subnet/);
  });

  test.each([0, 4294967296, 65000.5, -1])('local ASN %p outside 1-4294967295', (asn) => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: asn, peers: [{ address: '10.0.0.1', asn: 65000 }] } }),
      'bgp.localAsn', String(asn), /1-4294967295/);
  });

  test.each([0, 4294967296])('peer ASN %p outside 1-4294967295', (asn) => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn }] } }),
      'bgp.peers[0].asn', String(asn), /1-4294967295/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000, localAsn: asn }] } }),
      'bgp.peers[0].localAsn', String(asn), /1-4294967295/);
  });

  test('the largest 4-byte ASN is accepted', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 4294967295, peers: [{ address: '10.0.0.1', asn: 1 }] } });
    expect(find(chart, 'BGPPeer', 'peer-10-0-0-1').spec.myASN).toBe(4294967295);
  });

  test('a duplicate pool name', () => {
    const { chart } = setup();
    new MetalLbPool(chart, 'a', PUBLIC);
    expectRefused(() => new MetalLbPool(chart, 'b', { ...PUBLIC, addresses: ['203.0.113.0/28'] }), 'name', '"public"', /already exists/);
  });

  test('an invalid pool name', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'Public_1', addresses: ['203.0.113.0/28'] }), 'name', 'Public_1', /DNS-1123/);
  });

  test('bad peer fields', () => {
    const { chart } = setup();
    const bad = (peer: any) => () => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [peer] } });
    expectRefused(bad({ address: '10.0.0.300', asn: 65000 }), 'bgp.peers[0].address', '10.0.0.300', /address/);
    expectRefused(bad({ address: '10.0.0.1', asn: 65000, port: 70000 }), 'bgp.peers[0].port', '70000', /1-65535/);
    expectRefused(bad({ address: '10.0.0.1', asn: 65000, holdTime: '90' }), 'bgp.peers[0].holdTime', '"90"', /duration/);
    expectRefused(bad({ address: '10.0.0.1', asn: 65000, holdTime: '2s' }), 'bgp.peers[0].holdTime', '"2s"', /3s/);
    expectRefused(bad({ address: '10.0.0.1', asn: 65000, passwordSecret: 'Bad Secret' }), 'bgp.peers[0].passwordSecret', 'Bad Secret', /Secret/);
    expectRefused(bad({ address: '10.0.0.1', asn: 65000, bfdProfile: '-x' }), 'bgp.peers[0].bfdProfile', '-x', /BFD/);
    expectRefused(bad({ address: '10.0.0.1', asn: 65000, ebgpMultihop: true }), 'bgp.peers[0].ebgpMultihop', 'true', /unknown key.*ebgpMultiHop/);
  });

  test('a BGP block without peers', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [] } }), 'bgp.peers', '[]', /at least one/);
  });

  test('an aggregation length shorter than a pool prefix', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, aggregationLength: 24, peers: [{ address: '10.0.0.1', asn: 65000 }] } }),
      'bgp.aggregationLength', '24', /at least 27/);
    // A range decomposes into CIDRs; its widest block counts (100-120: 104/29, 112/29, ...).
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.100-192.0.2.120'], bgp: { localAsn: 65001, aggregationLength: 28, peers: [{ address: '10.0.0.1', asn: 65000 }] } }),
      'bgp.aggregationLength', '28', /at least 29/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, aggregationLength: 33, peers: [{ address: '10.0.0.1', asn: 65000 }] } }),
      'bgp.aggregationLength', '33', /0-32/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['2001:db8::/64'], bgp: { localAsn: 65001, aggregationLengthV6: 48, peers: [{ address: '10.0.0.1', asn: 65000 }] } }),
      'bgp.aggregationLengthV6', '48', /at least 64/);
  });

  test('bad communities and localPref', () => {
    const { chart } = setup();
    const bgp = (extra: any) => () => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['198.51.100.0/27'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }], ...extra } });
    expectRefused(bgp({ communities: ['65000:100', '65536:1'] }), 'bgp.communities[1]', '65536:1', /community/);
    expectRefused(bgp({ communities: ['no-export'] }), 'bgp.communities[0]', 'no-export', /community/);
    expectRefused(bgp({ localPref: -5 }), 'bgp.localPref', '-5', /LOCAL_PREF/);
  });

  test('bad L2 interfaces and selectors', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], l2: { interfaces: ['eth1', 'a-very-long-interface-name'] } }),
      'l2.interfaces[1]', 'a-very-long-interface-name', /15 characters/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], l2: { interfaces: ['eth1', 'eth1'] } }),
      'l2.interfaces[1]', 'eth1', /duplicate/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], l2: { nodeSelectors: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } }),
      'l2.nodeSelectors[0].matchExpressions[0].values', 'undefined', /at least one value/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], l2: { nodeSelectors: [{ matchExpressions: [{ key: 'zone', operator: 'Near' }] }] } }),
      'l2.nodeSelectors[0].matchExpressions[0].operator', 'Near', /In, NotIn, Exists, DoesNotExist/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], l2: { nodeSelectors: [{ matchLabels: { 'kubernetes.io/hostname': 'bad value!' } }] } }),
      'l2.nodeSelectors[0].matchLabels["kubernetes.io/hostname"]', 'bad value!', /label value/);
  });

  test('bad service allocation', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], serviceAllocation: { namespaces: ['Tenant'], priority: -1 } }),
      'serviceAllocation.namespaces[0]', 'Tenant', /DNS-1123/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], serviceAllocation: { priority: -1 } }),
      'serviceAllocation.priority', '-1', /priority/);
  });

  test('unknown keys are refused (typos must not pass)', () => {
    const { chart } = setup();
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], adresses: ['x'] } as any), 'adresses', 'x', /unknown key "adresses"; allowed keys: name, addresses/);
    expectRefused(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'], l2: { interface: ['eth1'] } } as any), 'l2.interface', 'eth1', /allowed keys: interfaces, nodeSelectors/);
  });

  test('all problems are reported at once', () => {
    const { chart } = setupWithCluster();
    const err = refusal(() => new MetalLbPool(chart, 'p', {
      name: 'Bad',
      addresses: ['10.244.0.0/24', 'nonsense', '192.0.2.9-192.0.2.1'],
      bgp: { localAsn: 0, peers: [{ address: 'x', asn: 0 }] },
    }));
    expect(err.issues.map((i) => i.path)).toEqual([
      'name', 'addresses[1]', 'addresses[2]', 'addresses[0]', 'bgp.localAsn', 'bgp.peers[0].address', 'bgp.peers[0].asn',
    ]);
  });

  test('a refused pool leaves nothing behind', () => {
    const { chart } = setup();
    refusal(() => new MetalLbPool(chart, 'p', { name: 'p', addresses: ['bad'] }));
    expect(chart.node.tryFindChild('p')).toBeUndefined();
    expect(AddressPlan.of(chart).pools.size).toBe(0);
    // The name and id are still free.
    new MetalLbPool(chart, 'p', { name: 'p', addresses: ['192.0.2.0/28'] });
  });

  test('paths are relative to the props, so the loader can prefix them', () => {
    const { chart } = setupWithCluster();
    new MetalLbPool(chart, 'public', PUBLIC);
    const err = refusal(() => withPathPrefix('loadBalancer.pools[1]', () => new MetalLbPool(chart, 'x', { name: 'x', addresses: ['192.0.2.33'], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 0 }] } })));
    expect(err.issues.map((i) => i.path)).toEqual(['loadBalancer.pools[1].addresses[0]', 'loadBalancer.pools[1].bgp.peers[0].asn']);
    expect(err.message).toContain('loadBalancer.pools[1].addresses[0]: ');
  });
});
