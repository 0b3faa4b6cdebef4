import { Chart, Testing } from 'cdk8s';
import { count, setup } from './net-helpers';
import { KubeOvnSubnet, MetalLbPool } from '../../src/constructs/index-objects';
import { AddressPlan, RangeIndex } from '../../src/model/address-plan';
import { ClusterNetwork } from '../../src/model/cluster';
import { parseBlock } from '../../src/model/ip';

function iv(text: string) {
  const p = parseBlock(text);
  if (!p.ok) throw new Error(p.error);
  return p.value;
}

describe('AddressPlan', () => {
  test('one plan per construct tree, shared by every chart of the app', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    expect(AddressPlan.of(a)).toBe(AddressPlan.of(b));
    expect(AddressPlan.of(a)).toBe(AddressPlan.of(app));
    expect(AddressPlan.of(a)).not.toBe(AddressPlan.of(Testing.app()));
  });

  test('reserving the same cluster twice is a no-op; an equal one is accepted', () => {
    const { chart } = setup();
    const plan = AddressPlan.of(chart);
    const cluster = new ClusterNetwork();
    plan.reserveCluster(cluster);
    plan.reserveCluster(cluster);
    plan.reserveCluster(new ClusterNetwork());
    expect(plan.cluster).toBe(cluster);
    expect(plan.ranges.size).toBe(3);
  });

  test('range index finds every overlap and only those', () => {
    const index = new RangeIndex();
    const blocks = ['10.0.0.0/24', '10.0.2.0/24', '10.0.4.0-10.0.4.9', 'fd00::/64', '10.0.1.0/25'];
    for (const b of blocks) index.insert({ interval: iv(b), kind: 'pool', name: b, owner: b });
    expect(index.overlapping(iv('10.0.0.128/25')).map((r) => r.name)).toEqual(['10.0.0.0/24']);
    expect(index.overlapping(iv('10.0.0.0/16')).map((r) => r.name)).toEqual(['10.0.0.0/24', '10.0.1.0/25', '10.0.2.0/24', '10.0.4.0-10.0.4.9']);
    expect(index.overlapping(iv('10.0.1.128/25'))).toEqual([]);
    expect(index.overlapping(iv('10.0.4.9-10.0.4.20')).map((r) => r.name)).toEqual(['10.0.4.0-10.0.4.9']);
    expect(index.overlapping(iv('fd00::1-fd00::2')).map((r) => r.name)).toEqual(['fd00::/64']);
    expect(index.overlapping(iv('9.0.0.0/8'))).toEqual([]);
    expect(() => index.insert({ interval: iv('10.0.2.5-10.0.2.6'), kind: 'pool', name: 'x', owner: 'x' })).toThrow(/internal error/);
  });

  test('range index agrees with a brute-force check on random blocks', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const index = new RangeIndex();
    const inserted: Array<{ start: bigint; end: bigint }> = [];
    for (let i = 0; i < 2000; i++) {
      const start = BigInt(rand(100000));
      const end = start + BigInt(rand(50));
      const q = { family: 4 as const, start, end, text: `${start}-${end}` };
      const brute = inserted.filter((r) => r.start <= end && start <= r.end).length;
      expect(index.overlapping(q).length).toBe(brute);
      if (brute === 0) {
        index.insert({ interval: q, kind: 'pool', name: q.text, owner: q.text });
        inserted.push({ start, end });
      }
    }
    expect(index.size).toBe(inserted.length);
  });

  test('thousands of pools and subnets are not quadratic', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    AddressPlan.of(chart).reserveCluster(new ClusterNetwork());
    const started = Date.now();
    // 3000 pools of a /28 each, in a shuffled order, and 1000 subnets.
    const order = Array.from({ length: 3000 }, (_, i) => (i * 1237) % 3000);
    for (const i of order) {
      const base = 0xcb000000 + i * 16; // 203.0.0.0 + i*16
      // eslint-disable-next-line no-bitwise
      const a = [base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255].join('.');
      new MetalLbPool(chart, `p${i}`, { name: `p${i}`, addresses: [`${a}/28`], bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }] } });
    }
    for (let i = 0; i < 1000; i++) {
      new KubeOvnSubnet(chart, `s${i}`, { name: `s${i}`, cidr: `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24` });
    }
    const elapsed = Date.now() - started;
    expect(count(chart, 'BGPPeer')).toBe(1);
    expect(AddressPlan.of(chart).ranges.size).toBe(3 + 3000 + 1000);
    expect(elapsed).toBeLessThan(30_000);
    // A late overlap is still found.
    expect(() => new MetalLbPool(chart, 'late', { name: 'late', addresses: ['203.0.20.0/24'] })).toThrow(/MetalLB pool "p/);
  });
});
