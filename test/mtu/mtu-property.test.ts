// Issue 23 item 6: every computed inner MTU plus the overheads under it fits
// the layer below it: exactly (each row's MTU + its overhead is the row
// under it), and against the real header sizes with at most the documented
// margin (Kube-OVN's 100/120-byte Geneve allowance over OVN's real 58/78).
import * as fc from 'fast-check';
import { CozynetValidationError } from '../../src/model/errors';
import {
  CILIUM_TUNNEL_OVERHEAD, ESP_TRANSPORT_OVERHEAD, GENEVE_OVN_OVERHEAD, KUBE_OVN_GENEVE_ALLOWANCE, KUBE_OVN_IPV6_EXTRA, MAX_MTU, MIN_MTU,
  planMtu, UnderlayFamily, WIREGUARD_OVERHEAD,
} from '../../src/model/mtu';

const SEED = 23;
const VARIANTS = ['kubeovn-cilium', 'kubeovn-cilium-generic', 'cilium', 'cilium-generic', 'cilium-kilo', 'noop'];
const input = fc.record({
  variant: fc.constantFrom(...VARIANTS),
  encryption: fc.boolean(),
  podFamily: fc.constantFrom(4 as const, 6 as const),
  underlay: fc.integer({ min: MIN_MTU, max: MAX_MTU }),
  family: fc.constantFrom(UnderlayFamily.IPV4, UnderlayFamily.IPV6),
});

/** The real bytes between a pod packet and the wire. */
function realOverhead(variant: string, fam: 'ipv4' | 'ipv6', encryption: boolean): number {
  if (variant.startsWith('kubeovn')) return GENEVE_OVN_OVERHEAD[fam] + (encryption ? ESP_TRANSPORT_OVERHEAD : 0);
  if (variant === 'cilium-kilo') return WIREGUARD_OVERHEAD[fam] + CILIUM_TUNNEL_OVERHEAD[fam];
  return CILIUM_TUNNEL_OVERHEAD[fam];
}

/** The documented margin over the real overheads. */
function margin(variant: string, fam: 'ipv4' | 'ipv6', encryption: boolean, underlay: number): number {
  if (variant.startsWith('kubeovn')) {
    const allowance = KUBE_OVN_GENEVE_ALLOWANCE + (fam === 'ipv6' ? KUBE_OVN_IPV6_EXTRA : 0);
    return Math.max(0, allowance - realOverhead(variant, fam, encryption));
  }
  // Kilo's MTU is at most 9000 (the range the Kilo construct accepts).
  if (variant === 'cilium-kilo') return Math.max(0, underlay - WIREGUARD_OVERHEAD[fam] - 9000);
  return 0;
}

test('layers stack exactly, and the pod MTU fits the wire with the documented margin', () => {
  fc.assert(fc.property(input, (i) => {
    const fam = i.family === UnderlayFamily.IPV6 ? 'ipv6' : 'ipv4';
    const base = { variant: i.variant, encryption: i.encryption, podFamily: i.podFamily };
    const make = () => planMtu({ ...base, props: { underlay: i.underlay, underlayFamily: i.family } });
    const smallest = i.underlay - realOverhead(i.variant, fam, i.encryption) - margin(i.variant, fam, i.encryption, i.underlay);
    if (i.variant !== 'noop' && i.podFamily === 6 && smallest < MIN_MTU) {
      // an IPv6 pod network below IPv6's minimum MTU is refused, naming the underlay
      expect(make).toThrow(/mtu\.underlay: leaves the IPv6 pod network \d+ bytes .* below IPv6's minimum MTU 1280/);
      return;
    }
    const plan = make();
    expect(plan.layers[0].mtu).toBe(i.underlay);
    for (let k = 1; k < plan.layers.length; k++) {
      expect(plan.layers[k].mtu + plan.layers[k].overhead).toBe(plan.layers[k - 1].mtu);
    }
    if (plan.pod === undefined) {
      expect(i.variant).toBe('noop');
      return;
    }
    const slack = i.underlay - (plan.pod + realOverhead(i.variant, fam, i.encryption));
    expect(slack).toBeGreaterThanOrEqual(0);
    expect(slack).toBe(margin(i.variant, fam, i.encryption, i.underlay));
    if (plan.kilo !== undefined) expect(plan.kilo + WIREGUARD_OVERHEAD[fam]).toBeLessThanOrEqual(i.underlay);
    if (plan.cilium !== undefined) expect(plan.cilium - CILIUM_TUNNEL_OVERHEAD[fam]).toBe(plan.pod);
    // the nested tenant cluster's pods: its own VXLAN inside the VMs
    const pf = i.podFamily === 6 ? 'ipv6' : 'ipv4';
    expect(plan.tenantPod! + CILIUM_TUNNEL_OVERHEAD[pf]).toBe(plan.pod);
  }), { seed: SEED, numRuns: 500 });
});

test('a user-set pod MTU is accepted exactly when it fits, refused naming mtu.pod and the numbers otherwise', () => {
  fc.assert(fc.property(input, fc.integer({ min: MIN_MTU, max: MAX_MTU }), (i, pod) => {
    fc.pre(i.variant !== 'noop' && !(i.podFamily === 6 && i.underlay < 1500));
    const base = { variant: i.variant, encryption: i.encryption, podFamily: i.podFamily };
    const largest = planMtu({ ...base, props: { underlay: i.underlay, underlayFamily: i.family } }).pod!;
    const make = () => planMtu({ ...base, props: { underlay: i.underlay, underlayFamily: i.family, pod } });
    if (pod <= largest) {
      const plan = make();
      expect(plan.pod).toBe(pod);
      expect(plan.notices.some((n) => n.includes('below the largest that fits'))).toBe(largest - pod > 100);
      return;
    }
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CozynetValidationError);
    const issue = (error as CozynetValidationError).issues[0];
    expect(issue.path).toBe('mtu.pod');
    expect(issue.message).toContain(`at most ${largest}`);
    expect(issue.message).toContain(String(pod));
  }), { seed: SEED, numRuns: 500 });
});

test('node pools: the pod MTU fits the smallest underlay of every node group, which the plan names', () => {
  const pool = fc.record({ underlay: fc.integer({ min: 1500, max: MAX_MTU }) });
  fc.assert(fc.property(input, fc.array(pool, { minLength: 1, maxLength: 4 }), (i, pools) => {
    fc.pre(i.variant !== 'noop' && i.podFamily === 4);
    const underlay = Math.max(i.underlay, 1500);
    const nodePools = pools.map((p, k) => ({ name: `pool-${k}`, nodeSelector: { pool: String(k) }, underlay: p.underlay }));
    const base = { variant: i.variant, encryption: i.encryption, podFamily: i.podFamily };
    const plan = planMtu({ ...base, props: { underlay, underlayFamily: i.family, nodePools } });
    const all = [underlay, ...pools.map((p) => p.underlay)];
    const smallest = Math.min(...all);
    // the same plan as one underlay of the smallest size
    const flat = planMtu({ ...base, props: { underlay: smallest, underlayFamily: i.family } });
    expect(plan.pod).toBe(flat.pod);
    expect(plan.underlay).toBe(smallest);
    const fam = i.family === UnderlayFamily.IPV6 ? 'ipv6' : 'ipv4';
    for (const u of all) expect(plan.pod! + realOverhead(i.variant, fam, i.encryption)).toBeLessThanOrEqual(u);
    const k = all.indexOf(smallest);
    expect(plan.limitedBy).toBe(k === 0 ? 'mtu.underlay' : `mtu.nodePools[${k - 1}].underlay`);
    // a notice for each pool whose underlay exceeds the smallest by more than 100
    expect(plan.notices.filter((n) => /mtu\.nodePools\[\d+\] \(pool-\d+\)/.test(n)).length).toBe(pools.filter((p) => p.underlay - smallest > 100).length);
  }), { seed: SEED, numRuns: 300 });
});
