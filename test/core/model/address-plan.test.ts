import { Construct } from 'constructs';
import {
  addressKey, AddressPlan, canonicalAddress, compareIntervals, findContaining, PlanRange, RangeIndex,
} from '../../../src/model/address-plan';
import { ClusterNetwork } from '../../../src/model/cluster';
import { CozynetValidationError, IssueCollector } from '../../../src/model/errors';
import { IpInterval, parseBlock } from '../../../src/model/ip';

const iv = (text: string): IpInterval => {
  const p = parseBlock(text);
  if (!p.ok) throw new Error(p.error);
  return p.value;
};
const range = (text: string, kind: PlanRange['kind'] = 'pool'): PlanRange => ({ interval: iv(text), kind, name: text, owner: `owner of ${text}` });
const names = (rs: PlanRange[]) => rs.map((r) => r.name);

function freshPlan(): AddressPlan {
  return AddressPlan.of(new Construct(new Construct(undefined as any, ''), 'c'));
}

function issuesOf(fn: (issues: IssueCollector) => void): Array<{ path: string; value: string; message: string }> {
  const issues = new IssueCollector('x');
  fn(issues);
  return issues.issues;
}

describe('RangeIndex', () => {
  test('size and all(): IPv4 first, each family in address order whatever the insertion order', () => {
    const index = new RangeIndex();
    expect(index.size).toBe(0);
    expect(index.all()).toEqual([]);
    for (const b of ['fd00::100-fd00::1ff', '10.0.2.0/24', 'fd00::/120', '10.0.0.0/24', '10.0.1.0/24', '9.0.0.0/8']) index.insert(range(b));
    expect(index.size).toBe(6);
    expect(names(index.all())).toEqual(['9.0.0.0/8', '10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', 'fd00::/120', 'fd00::100-fd00::1ff']);
  });

  test('a query touching only the first or only the last address of a range finds it', () => {
    const index = new RangeIndex();
    index.insert(range('10.0.1.0/24'));
    index.insert(range('10.0.3.0/24'));
    expect(names(index.overlapping(iv('10.0.1.0-10.0.1.0')))).toEqual(['10.0.1.0/24']);
    expect(names(index.overlapping(iv('10.0.1.255-10.0.2.0')))).toEqual(['10.0.1.0/24']);
    expect(names(index.overlapping(iv('10.0.0.0-10.0.1.0')))).toEqual(['10.0.1.0/24']);
    expect(names(index.overlapping(iv('10.0.2.255-10.0.3.0')))).toEqual(['10.0.3.0/24']);
    expect(names(index.overlapping(iv('10.0.1.255-10.0.3.0')))).toEqual(['10.0.1.0/24', '10.0.3.0/24']);
    expect(index.overlapping(iv('10.0.2.0/24'))).toEqual([]);
    expect(index.overlapping(iv('10.0.0.0/24'))).toEqual([]);
    expect(index.overlapping(iv('10.0.4.0/24'))).toEqual([]);
  });

  test('families are kept apart: an IPv6 query never hits IPv4 ranges with the same numbers', () => {
    const index = new RangeIndex();
    index.insert(range('0.0.0.0/0'));
    expect(index.overlapping(iv('::/96'))).toEqual([]);
    index.insert(range('::/96'));
    expect(names(index.overlapping(iv('::1-::2')))).toEqual(['::/96']);
    expect(names(index.overlapping(iv('10.0.0.1-10.0.0.1')))).toEqual(['0.0.0.0/0']);
  });

  test('inserting a range that shares an edge address with a neighbour is an internal error; adjacent is fine', () => {
    const index = new RangeIndex();
    index.insert(range('10.0.1.0/24'));
    index.insert(range('10.0.3.0/24'));
    const clash = /internal error: address range owner of .* overlaps a registered range/;
    expect(() => index.insert(range('10.0.1.255-10.0.2.10'))).toThrow(clash); // last address of the one before
    expect(() => index.insert(range('10.0.2.10-10.0.3.0'))).toThrow(clash); // first address of the one after
    expect(() => index.insert(range('10.0.0.0-10.0.1.0'))).toThrow(clash);
    expect(() => index.insert(range('10.0.1.0-10.0.1.0'))).toThrow(clash); // same start
    expect(index.size).toBe(2);
    index.insert(range('10.0.2.0/24'));
    index.insert(range('10.0.0.0/24'));
    index.insert(range('10.0.4.0/24'));
    expect(names(index.all())).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.4.0/24']);
    // Same numbers in the other family never clash.
    index.insert({ ...range('::/120'), interval: { family: 6, start: iv('10.0.1.0/24').start, end: iv('10.0.1.0/24').end, text: 'v6' } });
    expect(index.size).toBe(6);
  });
});

describe('compareIntervals and findContaining', () => {
  test('sorting puts IPv4 before IPv6 and orders by start, for unordered mixed input', () => {
    const input = ['fd00::/64', '10.0.2.0/24', '192.0.2.0/28', 'fc00::/64', '10.0.0.0/24', '10.0.1.0-10.0.1.9'].map(iv);
    expect(input.slice().sort(compareIntervals).map((x) => x.text))
      .toEqual(['10.0.0.0/24', '10.0.1.0-10.0.1.9', '10.0.2.0/24', '192.0.2.0/28', 'fc00::/64', 'fd00::/64']);
    expect(Math.sign(compareIntervals(iv('fd00::/64'), iv('10.0.0.0/8')))).toBe(1);
    expect(Math.sign(compareIntervals(iv('10.0.0.0/8'), iv('fd00::/64')))).toBe(-1);
    expect(Math.sign(compareIntervals(iv('::/128'), iv('255.255.255.255/32')))).toBe(1); // family first, not the number
    expect(compareIntervals(iv('10.0.0.0/24'), iv('10.0.0.0-10.0.0.9'))).toBe(0);
    expect(compareIntervals(iv('10.0.0.1/32'), iv('10.0.0.0/32'))).toBe(1);
    expect(compareIntervals(iv('10.0.0.0/32'), iv('10.0.0.1/32'))).toBe(-1);
  });

  /** The block of a fixed, mixed-family list that contains `text` (sorted from unordered input). */
  const hit = (text: string) => {
    const sorted = ['fd00::1:0/120', '10.0.2.0-10.0.2.9', '192.0.2.0/28', 'fd00::/120', '10.0.0.0/24'].map(iv).sort(compareIntervals);
    return findContaining(sorted, iv(text))?.text;
  };

  test('the first and the last address of every block are found; the addresses around them are not', () => {
    expect(hit('10.0.0.0/32')).toBe('10.0.0.0/24');
    expect(hit('10.0.0.255/32')).toBe('10.0.0.0/24');
    expect(hit('10.0.2.0/32')).toBe('10.0.2.0-10.0.2.9');
    expect(hit('10.0.2.9/32')).toBe('10.0.2.0-10.0.2.9');
    expect(hit('192.0.2.0/32')).toBe('192.0.2.0/28');
    expect(hit('192.0.2.15/32')).toBe('192.0.2.0/28');
    expect(hit('fd00::/128')).toBe('fd00::/120');
    expect(hit('fd00::ff/128')).toBe('fd00::/120');
    expect(hit('fd00::1:0/128')).toBe('fd00::1:0/120');
    expect(hit('fd00::1:ff/128')).toBe('fd00::1:0/120');
    for (const miss of ['9.255.255.255/32', '10.0.1.0/32', '10.0.2.10/32', '192.0.1.255/32', '192.0.2.16/32', '255.255.255.255/32',
      '::/128', 'fcff::/128', 'fd00::100/128', 'fd00::1:100/128']) {
      expect(hit(miss)).toBeUndefined();
    }
  });

  test('a block must lie entirely inside one block', () => {
    expect(hit('10.0.0.0/25')).toBe('10.0.0.0/24');
    expect(hit('10.0.0.0/24')).toBe('10.0.0.0/24');
    expect(hit('10.0.0.128-10.0.1.0')).toBeUndefined(); // runs past the end
    expect(hit('9.255.255.255-10.0.0.5')).toBeUndefined(); // starts before
    expect(hit('10.0.2.5-10.0.2.10')).toBeUndefined();
  });

  test('IPv6 queries never match IPv4 blocks with the same numbers, nor the reverse', () => {
    const only4 = [iv('0.0.0.0/0')];
    expect(findContaining(only4, iv('::1/128'))).toBeUndefined();
    const only6 = [iv('::/96')];
    expect(findContaining(only6, iv('0.0.0.1/32'))).toBeUndefined();
    // An IPv4 address numerically above small IPv6 blocks sorted after it: the search must go left by family.
    const mixed = [iv('10.0.0.0/24'), iv('::/120'), iv('::1:0/120')];
    expect(findContaining(mixed, iv('10.0.0.1/32'))?.text).toBe('10.0.0.0/24');
    expect(findContaining(mixed, iv('::1:5/128'))?.text).toBe('::1:0/120');
    expect(findContaining([iv('0.0.0.0/24'), iv('0.0.1.0/24'), iv('::/120')], iv('::5/128'))?.text).toBe('::/120');
    expect(findContaining([], iv('10.0.0.1/32'))).toBeUndefined();
  });

  test('addressKey and canonicalAddress', () => {
    expect(addressKey(iv('10.0.0.255/32'))).toBe('4:a0000ff');
    expect(addressKey(iv('fd00::1/128'))).toBe('6:fd000000000000000000000000000001');
    expect(addressKey(iv('fd00:0::01-fd00::1'))).toBe(addressKey(iv('fd00::1/128')));
    expect(canonicalAddress(iv('fd00:0:0::01-fd00::2'))).toBe('fd00::1');
    expect(canonicalAddress(iv('192.0.2.7/32'))).toBe('192.0.2.7');
  });
});

describe('AddressPlan: cluster network', () => {
  test('one plan per construct tree, whichever construct of the tree asks', () => {
    const root = new Construct(undefined as any, '');
    const a = new Construct(root, 'a');
    const b = new Construct(new Construct(root, 'x'), 'b');
    expect(AddressPlan.of(a)).toBe(AddressPlan.of(b));
    expect(AddressPlan.of(root)).toBe(AddressPlan.of(a));
    expect(AddressPlan.of(a)).not.toBe(AddressPlan.of(new Construct(undefined as any, '')));
  });

  test('reserving registers pod, service and join CIDRs with their field paths and owners', () => {
    const plan = freshPlan();
    const cluster = new ClusterNetwork({}, 'cluster');
    plan.reserveCluster(cluster);
    expect(plan.cluster).toBe(cluster);
    expect(plan.ranges.all().map((r) => ({ kind: r.kind, name: r.name, path: r.path, owner: r.owner, text: r.interval.text }))).toEqual([
      { kind: 'cluster', name: 'cluster.serviceCidr', path: 'cluster.serviceCidr', owner: 'the service CIDR 10.96.0.0/16 (cluster.serviceCidr)', text: '10.96.0.0/16' },
      { kind: 'cluster', name: 'cluster.joinCidr', path: 'cluster.joinCidr', owner: 'the join CIDR 100.64.0.0/16 (cluster.joinCidr)', text: '100.64.0.0/16' },
      { kind: 'cluster', name: 'cluster.podCidr', path: 'cluster.podCidr', owner: 'the pod CIDR 10.244.0.0/16 (cluster.podCidr)', text: '10.244.0.0/16' },
    ].sort((a, b) => compareIntervals(iv(a.text), iv(b.text))));
  });

  test('a second cluster network that differs only in the pod, the service or the join CIDR is refused', () => {
    for (const changed of [{ podCidr: '10.245.0.0/16' }, { serviceCidr: '10.97.0.0/16' }, { joinCidr: '100.65.0.0/16' }]) {
      const plan = freshPlan();
      plan.reserveCluster(new ClusterNetwork());
      const second = new ClusterNetwork(changed);
      let err: unknown;
      try {
        plan.reserveCluster(second);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CozynetValidationError);
      const issues = (err as CozynetValidationError).issues;
      expect(issues).toEqual([{
        path: 'cluster',
        value: JSON.stringify(`${second.podCidr}, ${second.serviceCidr}, ${second.joinCidr}`),
        message: 'differs from the cluster network already registered in this construct tree (pod 10.244.0.0/16, service 10.96.0.0/16, ' +
          'join 100.64.0.0/16); use one ClusterNetwork per platform',
      }]);
      expect(plan.ranges.size).toBe(3);
    }
  });

  test('adopting a conflicting cluster reports at the construct\'s own path unless absolute paths are asked for', () => {
    const plan = freshPlan();
    plan.reserveCluster(new ClusterNetwork());
    const other = new ClusterNetwork({ serviceCidr: '10.97.0.0/16' });
    expect(issuesOf((i) => plan.adoptCluster(other, i)).map((x) => x.path)).toEqual(['x']);
    expect(issuesOf((i) => plan.adoptCluster(new ClusterNetwork(), i))).toEqual([]); // equal CIDRs: fine
    expect(issuesOf((i) => plan.adoptCluster('10.0.0.0/8' as any, i))).toEqual([{ path: 'x', value: '"10.0.0.0/8"', message: 'must be a ClusterNetwork' }]);
  });

  test('a cluster CIDR overlapping a pool is refused at the field path, naming the pool, and nothing is reserved', () => {
    const plan = freshPlan();
    plan.ranges.insert({ interval: iv('10.96.255.255-10.97.0.10'), kind: 'pool', name: 'edge', owner: '10.96.255.255-10.97.0.10 of MetalLB pool "edge"' });
    plan.ranges.insert({ interval: iv('100.63.0.0-100.64.0.0'), kind: 'pool', name: 'edge2', owner: 'pool "edge2"' });
    const issues = issuesOf((i) => plan.adoptCluster(new ClusterNetwork(), i, true));
    expect(issues).toEqual([
      {
        path: 'x.cluster.serviceCidr',
        value: '"10.96.0.0/16"',
        message: 'the service CIDR overlaps 10.96.255.255-10.97.0.10 of MetalLB pool "edge"; the pod, service and join CIDRs must not overlap any load-balancer pool or Kube-OVN subnet',
      },
      {
        path: 'x.cluster.joinCidr',
        value: '"100.64.0.0/16"',
        message: 'the join CIDR overlaps pool "edge2"; the pod, service and join CIDRs must not overlap any load-balancer pool or Kube-OVN subnet',
      },
    ]);
    expect(plan.cluster).toBeUndefined();
    expect(plan.ranges.size).toBe(2);
    // Relative paths without absolutePaths.
    expect(issuesOf((i) => plan.adoptCluster(new ClusterNetwork(), i)).map((x) => x.path)).toEqual(['x', 'x']);
  });

  test('reserveCluster throws every overlap at once', () => {
    const plan = freshPlan();
    plan.ranges.insert(range('10.244.0.0/24'));
    expect(() => plan.reserveCluster(new ClusterNetwork())).toThrow(/^cluster\.podCidr: the pod CIDR overlaps owner of 10\.244\.0\.0\/24/);
  });
});

describe('AddressPlan: shared objects, subnets', () => {
  test('claims: new, same when every setting agrees, conflict names the first differing key', () => {
    const plan = freshPlan();
    expect(plan.claim('BGPPeer', 'p', { a: 1, b: [1, 2] })).toEqual({ status: 'new' });
    plan.registerShared('BGPPeer', 'p', { a: 1, b: [1, 2] }, 'pool "x"');
    const existing = { kind: 'BGPPeer', name: 'p', settings: { a: 1, b: [1, 2] }, owner: 'pool "x"' };
    expect(plan.sharedObject('BGPPeer', 'p')).toEqual(existing);
    expect(plan.sharedObject('BGPPeer', 'q')).toBeUndefined();
    expect(plan.sharedObject('Vlan', 'p')).toBeUndefined();
    expect(plan.claim('Vlan', 'p', { a: 2 })).toEqual({ status: 'new' });
    expect(plan.claim('BGPPeer', 'p', { b: [1, 2], a: 1 })).toEqual({ status: 'same', existing });
    expect(plan.claim('BGPPeer', 'p', { a: 1, b: [2, 1] })).toEqual({ status: 'conflict', existing, key: 'b', ours: [2, 1], theirs: [1, 2] });
    expect(plan.claim('BGPPeer', 'p', { a: 1, b: [1, 2], c: 'x' })).toEqual({ status: 'conflict', existing, key: 'c', ours: 'x', theirs: undefined });
    expect(plan.claim('BGPPeer', 'p', { a: 1 })).toEqual({ status: 'conflict', existing, key: 'b', ours: undefined, theirs: [1, 2] });
  });

  test('subnetsWithProvider: only those, in registration order', () => {
    const plan = freshPlan();
    const subnet = (name: string, provider: string | undefined) => ({
      name, cidr: iv('10.0.0.0/24') as any, namespaces: [], provider, bindProvider: () => undefined,
    });
    plan.subnets.set('b', subnet('b', 'net1.ns.ovn'));
    plan.subnets.set('a', subnet('a', undefined));
    plan.subnets.set('c', subnet('c', 'net1.ns.ovn'));
    expect(plan.subnetsWithProvider('net1.ns.ovn').map((s) => s.name)).toEqual(['b', 'c']);
    expect(plan.subnetsWithProvider('other')).toEqual([]);
  });
});
