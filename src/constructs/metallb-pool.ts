import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BgpAdvertisement, BgpPeerV1Beta2, IpAddressPool, L2Advertisement } from '../imports/metallb.io';
import {
  AddressPlan, canonicalAddress, checkBoolean, checkDnsLabel, checkDnsSubdomain, checkInteger, checkInterfaceName,
  checkKeys, checkLabels, checkList, checkUnique, compareIntervals, findContaining, isObject, PlanRange,
} from '../model/address-plan';
import { ClusterNetwork } from '../model/cluster';
import { IssueCollector } from '../model/errors';
import { endpointProblem, IpInterval, parseAddress, parseBlock, ParsedCidr, specialBlockProblem } from '../model/ip';

/**
 * One requirement of a label selector (`matchExpressions` item).
 */
export interface MetalLbLabelSelectorRequirement {
  /**
   * The label key.
   */
  readonly key: string;

  /**
   * `In`, `NotIn`, `Exists` or `DoesNotExist`.
   */
  readonly operator: string;

  /**
   * Values for `In` and `NotIn` (at least one); must be empty for `Exists`
   * and `DoesNotExist`.
   * @default - none
   */
  readonly values?: string[];
}

/**
 * A Kubernetes label selector, as MetalLB uses them for `nodeSelectors` and
 * `namespaceSelectors`. An empty selector matches everything.
 */
export interface MetalLbLabelSelector {
  /**
   * Labels that must all match.
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };

  /**
   * Requirements that must all match.
   * @default - none
   */
  readonly matchExpressions?: MetalLbLabelSelectorRequirement[];
}

/**
 * Layer 2 (ARP/NDP) announcement of a pool (`L2Advertisement`).
 */
export interface MetalLbL2Props {
  /**
   * Node interfaces to answer ARP/NDP on, e.g. a VLAN sub-interface
   * `eth1.100` of a client VLAN.
   * @default - all interfaces
   */
  readonly interfaces?: string[];

  /**
   * Nodes allowed to announce the pool's addresses.
   * @default - all nodes
   */
  readonly nodeSelectors?: MetalLbLabelSelector[];
}

/**
 * A BGP neighbour (`BGPPeer`, `metallb.io/v1beta2`).
 *
 * Peers are identified by their address: pools that list the same peer (same
 * address and identical settings) share ONE `BGPPeer` object, created by the
 * first of them; each pool's `BGPAdvertisement` names the peers it announces
 * to. Listing the same address with different settings is an error.
 */
export interface MetalLbBgpPeerProps {
  /**
   * The peer's IPv4 or IPv6 address (`peerAddress`).
   */
  readonly address: string;

  /**
   * The peer's AS number, 1-4294967295 (`peerASN`).
   */
  readonly asn: number;

  /**
   * AS number presented to this peer instead of the pool's `localAsn`
   * (emitted as the BGPPeer `localASN`, FRR's `local-as`; the session's
   * `myASN` stays the pool's `localAsn`, since MetalLB in FRR mode speaks
   * with one local ASN).
   * @default - the pool's `bgp.localAsn`
   */
  readonly localAsn?: number;

  /**
   * TCP port of the peer (`peerPort`).
   * @default 179
   */
  readonly port?: number;

  /**
   * BGP hold time as a duration, e.g. `90s` or `3m` (0 or at least 3s).
   * @default - MetalLB's default (90s)
   */
  readonly holdTime?: string;

  /**
   * Whether the peer is several hops away (`ebgpMultiHop`).
   * @default false
   */
  readonly ebgpMultiHop?: boolean;

  /**
   * Name of a `BFDProfile` to run BFD with on this session.
   * @default - no BFD
   */
  readonly bfdProfile?: string;

  /**
   * Name of a `kubernetes.io/basic-auth` Secret in the MetalLB namespace
   * whose `password` key holds the TCP MD5 password (`passwordSecret`).
   * @default - no password
   */
  readonly passwordSecret?: string;

  /**
   * Nodes that open a session to this peer.
   * @default - all nodes
   */
  readonly nodeSelectors?: MetalLbLabelSelector[];

  /**
   * Name of the `BGPPeer` object.
   * @default - `peer-` followed by the address with '.' and ':' replaced by '-'
   * (`peer-10-0-0-1`, `peer-fd00--1`)
   */
  readonly name?: string;
}

/**
 * BGP announcement of a pool (`BGPPeer`s and a `BGPAdvertisement`).
 */
export interface MetalLbBgpProps {
  /**
   * The cluster's AS number, 1-4294967295 (`myASN` of the peers). MetalLB in
   * FRR mode speaks with one local ASN, so every BGP pool of a platform must
   * use the same value (per-peer exceptions: `peers[].localAsn`).
   */
  readonly localAsn: number;

  /**
   * The peers to announce the pool to (at least one).
   */
  readonly peers: MetalLbBgpPeerProps[];

  /**
   * Prefix length IPv4 service addresses are announced with; 32 announces a
   * /32 per service. Must not be shorter than any prefix of the pool.
   * @default 32
   */
  readonly aggregationLength?: number;

  /**
   * Prefix length IPv6 service addresses are announced with.
   * @default 128
   */
  readonly aggregationLengthV6?: number;

  /**
   * BGP communities attached to the announcements: `65000:100` (each part
   * 0-65535) or `large:65000:1:2` (each part 0-4294967295).
   * @default - none
   */
  readonly communities?: string[];

  /**
   * BGP LOCAL_PREF of the announcements (iBGP), 0-4294967295.
   * @default - not set
   */
  readonly localPref?: number;

  /**
   * Nodes announced as next hops.
   * @default - all nodes with a session
   */
  readonly nodeSelectors?: MetalLbLabelSelector[];
}

/**
 * Which Services may get addresses from a pool (`serviceAllocation`).
 */
export interface MetalLbServiceAllocationProps {
  /**
   * Namespaces whose Services may use the pool.
   * @default - all namespaces
   */
  readonly namespaces?: string[];

  /**
   * Selectors of namespaces whose Services may use the pool.
   * @default - all namespaces
   */
  readonly namespaceSelectors?: MetalLbLabelSelector[];

  /**
   * Priority of the pool among the pools a Service may use (lower wins).
   * @default - no priority
   */
  readonly priority?: number;
}

/**
 * A MetalLB address pool (platform file: an item of `loadBalancer.pools`).
 */
export interface MetalLbPoolProps {
  /**
   * Pool name, unique in the platform: the `IPAddressPool` name, and what
   * Services name in `metallb.io/address-pool`.
   */
  readonly name: string;

  /**
   * Address blocks: CIDRs (`192.0.2.32/28`, `2001:db8::/120`) or inclusive
   * ranges (`192.0.2.100-192.0.2.120`). They must not overlap each other,
   * another pool, a Kube-OVN subnet, or the pod, service and join CIDRs.
   */
  readonly addresses: string[];

  /**
   * Layer 2 announcement. When neither `l2` nor `bgp` is given, the pool is
   * announced in L2 mode on all interfaces of all nodes (the reference
   * platform announces every pool).
   * @default - L2 on all interfaces if `bgp` is not given either; otherwise none
   */
  readonly l2?: MetalLbL2Props;

  /**
   * BGP announcement.
   * @default - none
   */
  readonly bgp?: MetalLbBgpProps;

  /**
   * Namespace of MetalLB (all MetalLB objects live there).
   * @default 'cozy-metallb'
   */
  readonly namespace?: string;

  /**
   * Whether Services without an explicit pool get addresses from this pool.
   * @default true
   */
  readonly autoAssign?: boolean;

  /**
   * Whether to skip addresses ending in .0 and .255 (`avoidBuggyIPs`).
   * @default false
   */
  readonly avoidBuggyIps?: boolean;

  /**
   * Restricts which Services may use the pool.
   * @default - any Service
   */
  readonly serviceAllocation?: MetalLbServiceAllocationProps;

  /**
   * The cluster network, for standalone use: reserved in the construct
   * tree's address plan if none is registered yet, so the pool is checked
   * against the pod, service and join CIDRs.
   * @default - the cluster already registered in the construct tree, if any
   */
  readonly cluster?: ClusterNetwork;
}

const POOL_KEYS = ['name', 'addresses', 'l2', 'bgp', 'namespace', 'autoAssign', 'avoidBuggyIps', 'serviceAllocation', 'cluster'];
const L2_KEYS = ['interfaces', 'nodeSelectors'];
const BGP_KEYS = ['localAsn', 'peers', 'aggregationLength', 'aggregationLengthV6', 'communities', 'localPref', 'nodeSelectors'];
const PEER_KEYS = ['address', 'asn', 'localAsn', 'port', 'holdTime', 'ebgpMultiHop', 'bfdProfile', 'passwordSecret', 'nodeSelectors', 'name'];
const ALLOCATION_KEYS = ['namespaces', 'namespaceSelectors', 'priority'];
const SELECTOR_KEYS = ['matchLabels', 'matchExpressions'];
const REQUIREMENT_KEYS = ['key', 'operator', 'values'];
const MAX_ASN = 4294967295;

interface ResolvedPeer {
  readonly name: string;
  readonly index: number;
  readonly isNew: boolean;
  readonly spec: Record<string, any>;
}

interface ResolvedPool {
  readonly name: string;
  readonly namespace: string;
  readonly addresses: string[];
  readonly intervals: Array<{ iv: IpInterval; index: number }>;
  readonly autoAssign: boolean;
  readonly avoidBuggyIps: boolean;
  readonly serviceAllocation?: Record<string, any>;
  readonly l2?: { interfaces?: string[]; nodeSelectors?: any[] };
  readonly bgp?: {
    localAsn: number;
    peers: ResolvedPeer[];
    aggregationLength: number;
    aggregationLengthV6?: number;
    communities?: string[];
    localPref?: number;
    nodeSelectors?: any[];
  };
}

/**
 * A MetalLB address pool and its announcements: an `IPAddressPool`
 * (`metallb.io/v1beta1`), an `L2Advertisement` and/or a `BGPAdvertisement`
 * (both named like the pool), and the `BGPPeer`s (`metallb.io/v1beta2`) of
 * its BGP block that no earlier pool defined.
 *
 * All props are validated at construction; a `CozynetValidationError` lists
 * every problem with its path relative to the props (`addresses[1]`,
 * `bgp.peers[0].asn`). Overlaps are checked against every pool, Kube-OVN
 * subnet and cluster CIDR registered earlier in the same construct tree.
 */
export class MetalLbPool extends Construct {
  /** Namespace of MetalLB in the reference platform. */
  public static readonly DEFAULT_NAMESPACE = 'cozy-metallb';

  /** The pool name. */
  public readonly name: string;
  /** The MetalLB namespace the objects live in. */
  public readonly namespace: string;
  /** The address blocks, as given (whitespace removed). */
  public readonly addresses: string[];
  /** Whether the pool is announced in L2 mode. */
  public readonly l2: boolean;
  /** Interfaces the L2 announcement is limited to; empty means all. */
  public readonly l2Interfaces: string[];
  /** Names of the `BGPPeer`s the pool is announced to; empty without BGP. */
  public readonly peerNames: string[];
  /** The `IPAddressPool` object. */
  public readonly ipAddressPool: ApiObject;
  /** The `L2Advertisement`, if the pool is announced in L2 mode. */
  public readonly l2Advertisement?: ApiObject;
  /** The `BGPAdvertisement`, if the pool is announced over BGP. */
  public readonly bgpAdvertisement?: ApiObject;

  private readonly intervals: IpInterval[];

  constructor(scope: Construct, id: string, props: MetalLbPoolProps) {
    const plan = AddressPlan.of(scope);
    const r = validatePool(props, plan);
    super(scope, id);

    this.name = r.name;
    this.namespace = r.namespace;
    this.addresses = r.addresses;
    this.intervals = r.intervals.map((x) => x.iv).sort(compareIntervals);

    // Register first: objects below only read the resolved props.
    for (const { iv } of r.intervals) {
      plan.ranges.insert({ interval: iv, kind: 'pool', name: r.name, owner: `${iv.text} of MetalLB pool "${r.name}"` });
    }
    plan.pools.set(r.name, { name: r.name, namespace: r.namespace, intervals: this.intervals });
    if (r.bgp) {
      if (!plan.routerAsn) plan.routerAsn = { asn: r.bgp.localAsn, owner: `pool "${r.name}"` };
      for (const p of r.bgp.peers) {
        if (p.isNew) {
          plan.registerShared('BGPPeer', p.name, peerSettings(p.spec, r.namespace), `pool "${r.name}"`);
          plan.registerShared('BGPPeerAddress', p.spec.peerAddress, { name: p.name }, `pool "${r.name}"`);
        }
      }
    }

    const metadata = { name: r.name, namespace: r.namespace };
    this.ipAddressPool = new IpAddressPool(this, 'IPAddressPool', {
      metadata,
      spec: {
        addresses: r.addresses,
        autoAssign: r.autoAssign,
        avoidBuggyIPs: r.avoidBuggyIps,
        serviceAllocation: r.serviceAllocation,
      },
    });

    this.l2 = r.l2 !== undefined;
    this.l2Interfaces = r.l2?.interfaces ?? [];
    if (r.l2) {
      this.l2Advertisement = new L2Advertisement(this, 'L2Advertisement', {
        metadata,
        spec: {
          ipAddressPools: [r.name],
          interfaces: r.l2.interfaces,
          nodeSelectors: r.l2.nodeSelectors,
        },
      });
    }

    this.peerNames = r.bgp ? r.bgp.peers.map((p) => p.name) : [];
    if (r.bgp) {
      for (const p of r.bgp.peers) {
        if (!p.isNew) continue;
        new BgpPeerV1Beta2(this, `BGPPeer-${p.name}`, {
          metadata: { name: p.name, namespace: r.namespace },
          spec: p.spec as any,
        });
      }
      this.bgpAdvertisement = new BgpAdvertisement(this, 'BGPAdvertisement', {
        metadata,
        spec: {
          ipAddressPools: [r.name],
          aggregationLength: r.bgp.aggregationLength,
          aggregationLengthV6: r.bgp.aggregationLengthV6,
          communities: r.bgp.communities,
          localPref: r.bgp.localPref,
          peers: this.peerNames,
          nodeSelectors: r.bgp.nodeSelectors,
        },
      });
    }
  }

  /** Whether `address` (a single IPv4 or IPv6 address) lies in this pool. */
  public containsAddress(address: string): boolean {
    const a = parseAddress(address);
    return a.ok && findContaining(this.intervals, a.value) !== undefined;
  }
}

/**
 * The shortest prefix length among the CIDRs an interval decomposes into
 * (MetalLB checks the aggregation length against it).
 */
function shortestPrefix(iv: IpInterval): number {
  const bits = iv.family === 4 ? 32 : 128;
  if ((iv as ParsedCidr).prefix !== undefined) return (iv as ParsedCidr).prefix;
  let best = bits;
  let start = iv.start;
  while (start <= iv.end) {
    // Largest aligned block at `start` that fits in the remaining range.
    let size = 0;
    while (size < bits) {
      const next = size + 1;
      const blockSize = 2n ** BigInt(next);
      if (start % blockSize !== 0n || start + blockSize - 1n > iv.end) break;
      size = next;
    }
    best = Math.min(best, bits - size);
    start += 2n ** BigInt(size);
  }
  return best;
}

/** The default `BGPPeer` name of an address. */
function defaultPeerName(address: IpInterval): string {
  let s = canonicalAddress(address).replace(/[.:]/g, '-');
  if (s.endsWith('-')) s += '0';
  return `peer-${s}`;
}

/** What two pools listing the same peer must agree on (myASN is checked plan-wide instead). */
function peerSettings(spec: Record<string, any>, namespace: string): Record<string, unknown> {
  const { myAsn: _myAsn, ...rest } = spec;
  return { ...rest, namespace };
}

/** Maps a differing BGPPeer spec key back to the props field that sets it. */
const PEER_FIELD: Record<string, string> = {
  peerAddress: 'address',
  peerAsn: 'asn',
  localAsn: 'localAsn',
  peerPort: 'port',
  holdTime: 'holdTime',
  ebgpMultiHop: 'ebgpMultiHop',
  bfdProfile: 'bfdProfile',
  passwordSecret: 'passwordSecret',
  nodeSelectors: 'nodeSelectors',
};

function parseDurationSeconds(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || text === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Validates label selectors; returns them in CRD shape. */
function checkSelectors(issues: IssueCollector, field: string, value: unknown): any[] | undefined {
  if (value === undefined) return undefined;
  return checkList(issues, field, value, 'label selectors', (item, v) => {
    if (!isObject(v)) {
      item.add(undefined, v, 'must be a label selector: an object with matchLabels and/or matchExpressions');
      return undefined;
    }
    checkKeys(item, v, SELECTOR_KEYS);
    const matchLabels = checkLabels(item, 'matchLabels', v.matchLabels);
    const matchExpressions = v.matchExpressions === undefined ? undefined : checkList(item, 'matchExpressions', v.matchExpressions, 'label selector requirements', (req, e) => {
      if (!isObject(e)) {
        req.add(undefined, e, 'must be an object with key, operator and values');
        return undefined;
      }
      checkKeys(req, e, REQUIREMENT_KEYS);
      const ops = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
      if (typeof e.key !== 'string' || e.key.length === 0) req.add('key', e.key, 'must be a label key');
      if (!ops.includes(e.operator)) req.add('operator', e.operator, `must be one of ${ops.join(', ')}`);
      const values = checkList(req, 'values', e.values, 'label values');
      if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
        req.add('values', e.values, `must list at least one value for operator ${e.operator}`);
      }
      if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
        req.add('values', e.values, `must be empty for operator ${e.operator}`);
      }
      return { key: e.key, operator: e.operator, values: values.length > 0 ? values : undefined };
    });
    return { matchLabels, matchExpressions };
  });
}

function checkAsn(issues: IssueCollector, field: string, value: unknown): value is number {
  return checkInteger(issues, field, value, 1, MAX_ASN, 'an AS number');
}

const COMMUNITY = /^(\d+):(\d+)$/;
const LARGE_COMMUNITY = /^large:(\d+):(\d+):(\d+)$/;

function checkCommunity(issues: IssueCollector, value: unknown): string | undefined {
  const allowed = 'must be a BGP community: 65000:100 (each part 0-65535) or large:65000:1:2 (each part 0-4294967295)';
  if (typeof value !== 'string') {
    issues.add(undefined, value, allowed);
    return undefined;
  }
  const std = COMMUNITY.exec(value);
  const large = LARGE_COMMUNITY.exec(value);
  if (std && Number(std[1]) <= 65535 && Number(std[2]) <= 65535) return value;
  if (large && [large[1], large[2], large[3]].every((x) => Number(x) <= MAX_ASN)) return value;
  issues.add(undefined, value, allowed);
  return undefined;
}

function validatePool(props: MetalLbPoolProps, plan: AddressPlan): ResolvedPool {
  const issues = new IssueCollector();
  if (!isObject(props)) {
    issues.add(undefined, props, 'must be an object with name and addresses');
    issues.throwIfAny();
  }
  checkKeys(issues, props, POOL_KEYS);

  const nameOk = checkDnsLabel(issues, 'name', props.name, 'the pool name');
  if (nameOk && plan.pools.has(props.name)) {
    issues.add('name', props.name, 'a MetalLB pool with this name already exists; pool names must be unique');
  }
  const namespace = props.namespace ?? MetalLbPool.DEFAULT_NAMESPACE;
  checkDnsLabel(issues, 'namespace', namespace, 'the namespace');

  if (props.cluster !== undefined) plan.adoptCluster(props.cluster, issues.at('cluster'));

  // Addresses: parse, then overlaps within the pool, then against the plan.
  const intervals: Array<{ iv: IpInterval; index: number }> = [];
  const addresses: string[] = [];
  if (!Array.isArray(props.addresses) || props.addresses.length === 0) {
    issues.add('addresses', props.addresses, 'must list at least one address block: a CIDR such as 192.0.2.32/28 or a range such as 192.0.2.100-192.0.2.120');
  } else {
    props.addresses.forEach((text, index) => {
      const normalized = typeof text === 'string' ? text.replace(/\s+/g, '') : text;
      const p = parseBlock(normalized);
      if (!p.ok) {
        const single = parseAddress(normalized);
        issues.at('addresses').add(index, text, single.ok
          ? `must be a CIDR or a range; write a single address as ${normalized}/${single.value.family === 4 ? 32 : 128}`
          : p.error);
        return;
      }
      const special = specialBlockProblem(p.value, 'MetalLB pool addresses');
      if (special) {
        issues.at('addresses').add(index, text, special);
        return;
      }
      intervals.push({ iv: p.value, index });
      addresses.push(normalized as string);
    });
    const sorted = [...intervals].sort((a, b) => compareIntervals(a.iv, b.iv));
    let reach: { iv: IpInterval; index: number } | undefined;
    for (const cur of sorted) {
      if (reach && reach.iv.family === cur.iv.family && cur.iv.start <= reach.iv.end) {
        const [first, second] = reach.index < cur.index ? [reach, cur] : [cur, reach];
        issues.at('addresses').add(second.index, second.iv.text, `overlaps addresses[${first.index}] ${first.iv.text} of the same pool; address blocks must be disjoint`);
      }
      if (!reach || reach.iv.family !== cur.iv.family || cur.iv.end > reach.iv.end) reach = cur;
    }
    for (const { iv, index } of intervals) {
      for (const hit of plan.ranges.overlapping(iv)) {
        issues.at('addresses').add(index, iv.text, `overlaps ${hit.owner}; ${overlapRule(hit)}`);
      }
    }
  }

  checkBoolean(issues, 'autoAssign', props.autoAssign);
  checkBoolean(issues, 'avoidBuggyIps', props.avoidBuggyIps);

  let serviceAllocation: Record<string, any> | undefined;
  if (props.serviceAllocation !== undefined) {
    const sa = props.serviceAllocation;
    const at = issues.at('serviceAllocation');
    if (!isObject(sa)) {
      issues.add('serviceAllocation', sa, 'must be an object with namespaces, namespaceSelectors and/or priority');
    } else {
      checkKeys(at, sa, ALLOCATION_KEYS);
      const namespaces = checkList(at, 'namespaces', sa.namespaces, 'namespaces', (item, v) => (checkDnsLabel(item, undefined, v, 'a namespace') ? v : undefined));
      checkUnique(at, 'namespaces', namespaces, 'namespace');
      const namespaceSelectors = checkSelectors(at, 'namespaceSelectors', sa.namespaceSelectors);
      if (sa.priority !== undefined) checkInteger(at, 'priority', sa.priority, 0, 2147483647, 'a priority');
      serviceAllocation = {
        priority: sa.priority,
        namespaces: sa.namespaces === undefined ? undefined : namespaces,
        namespaceSelectors,
      };
    }
  }

  // L2.
  let l2: ResolvedPool['l2'];
  if (props.l2 !== undefined) {
    const at = issues.at('l2');
    if (!isObject(props.l2)) {
      issues.add('l2', props.l2, 'must be an object with interfaces and/or nodeSelectors ({} announces on all interfaces)');
    } else {
      checkKeys(at, props.l2, L2_KEYS);
      const interfaces = checkList(at, 'interfaces', props.l2.interfaces, 'interface names', (item, v) => (checkInterfaceName(item, undefined, v) ? v : undefined));
      checkUnique(at, 'interfaces', props.l2.interfaces ?? [], 'interface');
      if (Array.isArray(props.l2.interfaces) && props.l2.interfaces.length === 0) {
        at.add('interfaces', props.l2.interfaces, 'must list at least one interface; omit the key to announce on all interfaces');
      }
      l2 = {
        interfaces: props.l2.interfaces === undefined ? undefined : interfaces,
        nodeSelectors: checkSelectors(at, 'nodeSelectors', props.l2.nodeSelectors),
      };
    }
  } else if (props.bgp === undefined) {
    l2 = {};
  }

  // BGP.
  let bgp: ResolvedPool['bgp'];
  if (props.bgp !== undefined) {
    bgp = validateBgp(issues.at('bgp'), props.bgp, namespace, intervals, plan);
  }

  issues.throwIfAny();
  return {
    name: props.name,
    namespace,
    addresses,
    intervals,
    autoAssign: props.autoAssign ?? true,
    avoidBuggyIps: props.avoidBuggyIps ?? false,
    serviceAllocation,
    l2,
    bgp,
  };
}

function overlapRule(hit: PlanRange): string {
  switch (hit.kind) {
    case 'cluster': return 'a load-balancer pool must not overlap the pod, service or join CIDR';
    case 'subnet': return 'a load-balancer pool must not overlap a Kube-OVN subnet';
    default: return 'load-balancer pools must be disjoint';
  }
}

function validateBgp(issues: IssueCollector, bgp: MetalLbBgpProps, namespace: string,
  intervals: Array<{ iv: IpInterval; index: number }>, plan: AddressPlan): ResolvedPool['bgp'] {
  if (!isObject(bgp)) {
    issues.add(undefined, bgp, 'must be an object with localAsn and peers');
    return undefined;
  }
  checkKeys(issues, bgp, BGP_KEYS);
  const asnOk = checkAsn(issues, 'localAsn', bgp.localAsn);
  if (asnOk && plan.routerAsn && plan.routerAsn.asn !== bgp.localAsn) {
    issues.add('localAsn', bgp.localAsn, `MetalLB (FRR mode) speaks BGP with one local ASN, and ${plan.routerAsn.owner} already uses ${plan.routerAsn.asn}; use the same localAsn in every pool (a peer may override it with peers[].localAsn)`);
  }

  const aggregationLength = bgp.aggregationLength ?? 32;
  const aggOk = checkInteger(issues, 'aggregationLength', aggregationLength, 0, 32, 'an IPv4 prefix length');
  const aggV6 = bgp.aggregationLengthV6;
  const aggV6Ok = aggV6 === undefined || checkInteger(issues, 'aggregationLengthV6', aggV6, 0, 128, 'an IPv6 prefix length');
  for (const { iv, index } of intervals) {
    const shortest = shortestPrefix(iv);
    if (iv.family === 4 && aggOk && aggregationLength < shortest) {
      issues.add('aggregationLength', aggregationLength, `must be at least ${shortest}: addresses[${index}] ${iv.text} contains a /${shortest} block, and MetalLB refuses an aggregation length shorter than a pool prefix`);
    }
    if (iv.family === 6 && aggV6Ok && (aggV6 ?? 128) < shortest) {
      issues.add('aggregationLengthV6', aggV6, `must be at least ${shortest}: addresses[${index}] ${iv.text} contains a /${shortest} block, and MetalLB refuses an aggregation length shorter than a pool prefix`);
    }
  }

  const communities = bgp.communities === undefined ? undefined : checkList(issues, 'communities', bgp.communities, 'BGP communities', (item, v) => checkCommunity(item, v));
  if (bgp.localPref !== undefined) checkInteger(issues, 'localPref', bgp.localPref, 0, MAX_ASN, 'a LOCAL_PREF value');
  const nodeSelectors = checkSelectors(issues, 'nodeSelectors', bgp.nodeSelectors);

  const peers: ResolvedPeer[] = [];
  if (!Array.isArray(bgp.peers) || bgp.peers.length === 0) {
    issues.add('peers', bgp.peers, 'must list at least one BGP peer ({ address, asn })');
  } else {
    const seenAddress = new Map<string, number>();
    const seenName = new Map<string, number>();
    bgp.peers.forEach((peer, i) => {
      const at = issues.at('peers').at(i);
      const r = validatePeer(at, peer, asnOk ? bgp.localAsn : undefined, namespace);
      if (!r) return;
      const { name, spec, nameField } = r;
      const firstAddr = seenAddress.get(spec.peerAddress);
      if (firstAddr !== undefined) {
        at.add('address', peer.address, `duplicate peer: peers[${firstAddr}] has the same address`);
        return;
      }
      seenAddress.set(spec.peerAddress, i);
      const firstName = seenName.get(name);
      if (firstName !== undefined) {
        at.add(nameField, name, `duplicate BGPPeer name: peers[${firstName}] already uses it`);
        return;
      }
      seenName.set(name, i);

      // Shared across pools: same address -> same object, identical settings.
      const byAddress = plan.sharedObject('BGPPeerAddress', spec.peerAddress);
      if (byAddress && byAddress.settings.name !== name) {
        at.add(nameField, name, `peer ${spec.peerAddress} is already defined by ${byAddress.owner} as BGPPeer "${byAddress.settings.name}"; a peer shared between pools must use the same name`);
        return;
      }
      const claim = plan.claim('BGPPeer', name, peerSettings(spec, namespace));
      if (claim.status === 'conflict') {
        if (claim.key === 'peerAddress') {
          at.add(nameField, name, `BGPPeer name "${name}" is already used by ${claim.existing.owner} for peer ${claim.theirs}; choose another name`);
        } else if (claim.key === 'namespace') {
          at.add('address', peer.address, `peer ${spec.peerAddress} is already defined by ${claim.existing.owner} in namespace ${claim.theirs}; all MetalLB objects must share one namespace`);
        } else {
          const field = PEER_FIELD[claim.key] ?? claim.key;
          at.add(field, (peer as any)[field], `peer ${spec.peerAddress} is already defined by ${claim.existing.owner} with ${field} ${JSON.stringify(claim.theirs ?? null)}; a peer shared between pools must have identical settings`);
        }
        return;
      }
      peers.push({ name, index: i, isNew: claim.status === 'new', spec });
    });
  }

  if (!asnOk) return undefined;
  return {
    localAsn: bgp.localAsn,
    peers,
    aggregationLength,
    aggregationLengthV6: aggV6,
    communities,
    localPref: bgp.localPref,
    nodeSelectors,
  };
}

function validatePeer(at: IssueCollector, peer: MetalLbBgpPeerProps, myAsn: number | undefined, namespace: string):
{ name: string; spec: Record<string, any>; nameField: string } | undefined {
  if (!isObject(peer)) {
    at.add(undefined, peer, 'must be an object with address and asn');
    return undefined;
  }
  const before = at.issues.length;
  checkKeys(at, peer, PEER_KEYS);
  const addr = parseAddress(peer.address);
  if (!addr.ok) at.add('address', peer.address, `the peer address ${addr.error}`);
  else if (endpointProblem(addr.value, 'a BGP peer')) at.add('address', peer.address, endpointProblem(addr.value, 'a BGP peer')!);
  checkAsn(at, 'asn', peer.asn);
  if (peer.localAsn !== undefined) checkAsn(at, 'localAsn', peer.localAsn);
  if (peer.port !== undefined) checkInteger(at, 'port', peer.port, 1, 65535, 'a TCP port');
  if (peer.holdTime !== undefined) {
    const secs = typeof peer.holdTime === 'string' ? parseDurationSeconds(peer.holdTime) : undefined;
    if (secs === undefined) at.add('holdTime', peer.holdTime, 'must be a duration such as 90s, 3m or 1m30s');
    else if (secs !== 0 && (secs < 3 || secs > 65535)) at.add('holdTime', peer.holdTime, 'must be 0 (no keepalives) or between 3s and 65535s');
  }
  checkBoolean(at, 'ebgpMultiHop', peer.ebgpMultiHop);
  if (peer.bfdProfile !== undefined) checkDnsSubdomain(at, 'bfdProfile', peer.bfdProfile, 'the BFD profile name');
  if (peer.passwordSecret !== undefined) checkDnsSubdomain(at, 'passwordSecret', peer.passwordSecret, 'the Secret name');
  const nodeSelectors = checkSelectors(at, 'nodeSelectors', peer.nodeSelectors);
  if (peer.name !== undefined) checkDnsSubdomain(at, 'name', peer.name, 'the BGPPeer name');
  if (at.issues.length > before || !addr.ok || myAsn === undefined) return undefined;

  const peerAddress = canonicalAddress(addr.value);
  const name = peer.name ?? defaultPeerName(addr.value);
  const spec: Record<string, any> = {
    myAsn,
    peerAsn: peer.asn,
    peerAddress,
    peerPort: peer.port,
    holdTime: peer.holdTime,
    ebgpMultiHop: peer.ebgpMultiHop,
    bfdProfile: peer.bfdProfile,
    passwordSecret: peer.passwordSecret === undefined ? undefined : { name: peer.passwordSecret, namespace },
    nodeSelectors,
    localAsn: peer.localAsn !== undefined && peer.localAsn !== myAsn ? peer.localAsn : undefined,
  };
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return { name, spec, nameField: peer.name !== undefined ? 'name' : 'address' };
}
