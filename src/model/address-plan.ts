import { IConstruct } from 'constructs';
import { ClusterNetwork } from './cluster';
import { IssueCollector } from './errors';
import { formatAddress, IpInterval, ParsedCidr } from './ip';

/*
 * The address plan of one construct tree.
 *
 * Every construct of the networking layer (MetalLB pools, Kube-OVN subnets,
 * Multus attachments, passthrough services) registers what it claims here:
 * address ranges, object names, shared objects (BGP peers, provider
 * networks). The plan lives next to the root of the construct tree (a
 * WeakMap keyed by `scope.node.root`), so that pools and subnets placed in
 * different charts of the same App still see each other.
 *
 * Everything in this file is internal: nothing here is exported from the
 * package's barrel.
 */

/**
 * One registered address range.
 * @internal
 */
export interface PlanRange {
  readonly interval: IpInterval;
  /** Human description of the owner, e.g. `192.0.2.32/28 of MetalLB pool "public"`. */
  readonly owner: string;
  readonly kind: 'cluster' | 'pool' | 'subnet';
  /** Name of the owning pool or subnet, or the cluster field path. */
  readonly name: string;
  /** For cluster ranges: the path of the field in the platform file. */
  readonly path?: string;
}

/**
 * Pairwise disjoint ranges, sorted by start address per IP family.
 *
 * Because the ranges are disjoint, sorting by start also sorts by end, so the
 * ranges overlapping a query are a contiguous run that ends at the last range
 * starting at or before the query's end: a binary search plus a walk over the
 * hits. Insertion is a binary search plus an array splice (a memmove), which
 * stays fast for tens of thousands of ranges.
 * @internal
 */
export class RangeIndex {
  private readonly v4: PlanRange[] = [];
  private readonly v6: PlanRange[] = [];

  public get size(): number {
    return this.v4.length + this.v6.length;
  }

  /** Registered ranges that share at least one address with `iv`, in address order. */
  public overlapping(iv: IpInterval): PlanRange[] {
    const list = iv.family === 4 ? this.v4 : this.v6;
    // Last index whose start <= iv.end.
    let lo = 0;
    let hi = list.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (list[mid].interval.start <= iv.end) {
        last = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    const hits: PlanRange[] = [];
    for (let i = last; i >= 0 && list[i].interval.end >= iv.start; i--) hits.push(list[i]);
    return hits.reverse();
  }

  /** Adds a range; it must not overlap any registered range. */
  public insert(range: PlanRange): void {
    const list = range.interval.family === 4 ? this.v4 : this.v6;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (list[mid].interval.start < range.interval.start) lo = mid + 1;
      else hi = mid;
    }
    const before = list[lo - 1];
    const after = list[lo];
    if ((before && before.interval.end >= range.interval.start) || (after && after.interval.start <= range.interval.end)) {
      throw new Error(`internal error: address range ${range.owner} overlaps a registered range`);
    }
    list.splice(lo, 0, range);
  }

  /** All ranges, IPv4 first, each family in address order. */
  public all(): PlanRange[] {
    return [...this.v4, ...this.v6];
  }
}

/**
 * A registered MetalLB pool.
 * @internal
 */
export interface PoolRecord {
  readonly name: string;
  readonly namespace: string;
  /** The pool's address blocks, sorted by family then start. */
  readonly intervals: IpInterval[];
}

/**
 * A registered Kube-OVN subnet.
 * @internal
 */
export interface SubnetRecord {
  readonly name: string;
  readonly cidr: ParsedCidr;
  readonly namespaces: string[];
  /** The Kube-OVN provider; `undefined` means the default `ovn`. */
  provider: string | undefined;
  /** Whether the provider was set by an attachment rather than by the subnet's props. */
  providerBoundBy?: string;
  /** Sets the provider on the synthesized Subnet object. */
  readonly bindProvider: (provider: string, by: string) => void;
}

/**
 * A shared object (BGP peer, provider network, VLAN) claimed by several
 * constructs: the first claim creates it, later identical claims reuse it.
 * @internal
 */
export interface SharedObject {
  readonly kind: string;
  readonly name: string;
  /** Normalized settings; two claims must agree on every key. */
  readonly settings: Record<string, unknown>;
  /** Who created it, for messages. */
  readonly owner: string;
}

/** The result of claiming a shared object. @internal */
export type ClaimResult =
  | { readonly status: 'new' }
  | { readonly status: 'same'; readonly existing: SharedObject }
  | { readonly status: 'conflict'; readonly existing: SharedObject; readonly key: string; readonly ours: unknown; readonly theirs: unknown };

const PLANS = new WeakMap<IConstruct, AddressPlan>();

/**
 * The address plan of one construct tree. Obtain it with `AddressPlan.of(scope)`.
 * @internal
 */
export class AddressPlan {
  /** The plan shared by every construct under `scope.node.root`. */
  public static of(scope: IConstruct): AddressPlan {
    const root = scope.node.root;
    let plan = PLANS.get(root);
    if (!plan) {
      plan = new AddressPlan();
      PLANS.set(root, plan);
    }
    return plan;
  }

  /** Registered address ranges (cluster CIDRs, pool blocks, subnet CIDRs). */
  public readonly ranges = new RangeIndex();
  /** MetalLB pools by name. */
  public readonly pools = new Map<string, PoolRecord>();
  /** Kube-OVN subnets by name. */
  public readonly subnets = new Map<string, SubnetRecord>();
  /** Multus attachments, `<namespace>/<name>`. */
  public readonly attachments = new Set<string>();
  /** Passthrough services, `<namespace>/<name>`. */
  public readonly services = new Set<string>();
  /** Fixed load-balancer addresses of passthrough services: family:value -> owner. */
  public readonly fixedAddresses = new Map<string, string>();
  /** The one local ASN MetalLB (FRR) speaks with, and the pool that set it. */
  public routerAsn: { readonly asn: number; readonly owner: string } | undefined;

  private readonly shared = new Map<string, SharedObject>();
  private _cluster: ClusterNetwork | undefined;

  private constructor() {}

  /** The cluster network whose CIDRs are reserved, if any. */
  public get cluster(): ClusterNetwork | undefined {
    return this._cluster;
  }

  /**
   * Reserves the cluster's pod, service and join CIDRs. Calling it again with
   * the same cluster (or one with the same CIDRs) is a no-op. Throws a
   * `CozynetValidationError` (paths of the cluster fields, e.g.
   * `cluster.podCidr`) when a CIDR overlaps an already registered pool or
   * subnet, or when a different cluster was reserved before.
   */
  public reserveCluster(cluster: ClusterNetwork): void {
    const issues = new IssueCollector();
    this.adoptCluster(cluster, issues, true);
    issues.throwIfAny();
  }

  /**
   * Adopts `cluster` for a construct's optional `cluster` prop: reserves it if
   * the plan has none; reports an issue (at `issues`' own path, or at the
   * cluster field paths when `absolutePaths`) when it conflicts.
   */
  public adoptCluster(cluster: ClusterNetwork, issues: IssueCollector, absolutePaths = false): void {
    if (!(cluster instanceof ClusterNetwork)) {
      issues.add(undefined, cluster, 'must be a ClusterNetwork');
      return;
    }
    const existing = this._cluster;
    if (existing) {
      if (existing === cluster) return;
      const same = existing.podCidr === cluster.podCidr && existing.serviceCidr === cluster.serviceCidr && existing.joinCidr === cluster.joinCidr;
      if (!same) {
        issues.add(absolutePaths ? 'cluster' : undefined, `${cluster.podCidr}, ${cluster.serviceCidr}, ${cluster.joinCidr}`,
          `differs from the cluster network already registered in this construct tree (pod ${existing.podCidr}, service ${existing.serviceCidr}, join ${existing.joinCidr}); use one ClusterNetwork per platform`);
      }
      return;
    }
    let ok = true;
    for (const r of cluster._ranges) {
      for (const hit of this.ranges.overlapping(r.interval)) {
        ok = false;
        issues.add(absolutePaths ? r.path : undefined, r.interval.text,
          `the ${r.label} overlaps ${hit.owner}; the pod, service and join CIDRs must not overlap any load-balancer pool or Kube-OVN subnet`);
      }
    }
    if (!ok) return;
    for (const r of cluster._ranges) {
      this.ranges.insert({ interval: r.interval, kind: 'cluster', name: r.path, path: r.path, owner: `the ${r.label} ${r.interval.text} (${r.path})` });
    }
    this._cluster = cluster;
  }

  /**
   * Claims a shared object. `settings` keys are compared in insertion order;
   * the first differing key is reported.
   */
  public claim(kind: string, name: string, settings: Record<string, unknown>): ClaimResult {
    const key = `${kind}/${name}`;
    const existing = this.shared.get(key);
    if (!existing) return { status: 'new' };
    const keys = new Set([...Object.keys(existing.settings), ...Object.keys(settings)]);
    for (const k of keys) {
      const a = JSON.stringify(settings[k]);
      const b = JSON.stringify(existing.settings[k]);
      if (a !== b) return { status: 'conflict', existing, key: k, ours: settings[k], theirs: existing.settings[k] };
    }
    return { status: 'same', existing };
  }

  /** Records a shared object after a `new` claim. */
  public registerShared(kind: string, name: string, settings: Record<string, unknown>, owner: string): void {
    this.shared.set(`${kind}/${name}`, { kind, name, settings, owner });
  }

  /** A registered shared object. */
  public sharedObject(kind: string, name: string): SharedObject | undefined {
    return this.shared.get(`${kind}/${name}`);
  }

  /** Subnets whose provider is `provider`, in registration order. */
  public subnetsWithProvider(provider: string): SubnetRecord[] {
    return [...this.subnets.values()].filter((s) => s.provider === provider);
  }
}

/** Sort order of intervals: family, then start. @internal */
export function compareIntervals(a: IpInterval, b: IpInterval): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

/** The interval of a sorted, disjoint list that contains `iv`, by binary search. @internal */
export function findContaining(sorted: readonly IpInterval[], iv: IpInterval): IpInterval | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const c = sorted[mid];
    if (c.family < iv.family || (c.family === iv.family && c.end < iv.start)) lo = mid + 1;
    else if (c.family > iv.family || c.start > iv.end) hi = mid - 1;
    else return c.start <= iv.start && iv.end <= c.end ? c : undefined;
  }
  return undefined;
}

/** A map key for a single address. @internal */
export function addressKey(iv: IpInterval): string {
  return `${iv.family}:${iv.start.toString(16)}`;
}

/** Canonical text of a single address. @internal */
export function canonicalAddress(iv: IpInterval): string {
  return formatAddress(iv.start, iv.family);
}

// ---------------------------------------------------------------------------
// Shared validation helpers of the networking constructs (internal).
// ---------------------------------------------------------------------------

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `v` is a plain object (not an array, not null). @internal */
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reports keys of `obj` that are not in `allowed` (typos in a platform file
 * must not pass silently). @internal
 */
export function checkKeys(issues: IssueCollector, obj: unknown, allowed: readonly string[]): void {
  if (!isObject(obj)) return;
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k) && obj[k] !== undefined) {
      issues.add(k, obj[k], `unknown key "${k}"; allowed keys: ${allowed.join(', ')}`);
    }
  }
}

/** Checks a DNS-1123 label (object names, namespaces). @internal */
export function checkDnsLabel(issues: IssueCollector, field: string | number | undefined, value: unknown, what: string,
  maxLength = 63): value is string {
  if (typeof value !== 'string' || value.length === 0) {
    issues.add(field, value, `${what} is required: a DNS-1123 label (lowercase letters, digits and '-', at most ${maxLength} characters)`);
    return false;
  }
  if (value.length > maxLength || !DNS_LABEL.test(value)) {
    issues.add(field, value, `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters`);
    return false;
  }
  return true;
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks a DNS-1123 subdomain (names of Secrets, BFD profiles, BGP peers). @internal */
export function checkDnsSubdomain(issues: IssueCollector, field: string | number | undefined, value: unknown, what: string): value is string {
  if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value)) {
    issues.add(field, value, `${what} must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters`);
    return false;
  }
  return true;
}

/** Checks a DNS-1035 label (Service names: must start with a letter). @internal */
export function checkDns1035Label(issues: IssueCollector, field: string | number | undefined, value: unknown, what: string): value is string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_1035_LABEL.test(value)) {
    issues.add(field, value, `${what} must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters`);
    return false;
  }
  return true;
}

/** Checks a Linux network interface name (at most 15 characters, no '/', ':' or whitespace). @internal */
export function checkInterfaceName(issues: IssueCollector, field: string | number | undefined, value: unknown, what = 'an interface name'): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 15 || /[/:\s]/.test(value) || value === '.' || value === '..') {
    issues.add(field, value, `must be ${what}: a Linux interface name of 1-15 characters without '/', ':' or whitespace, e.g. eth1 or eth1.100`);
    return false;
  }
  return true;
}

/** Checks a VLAN ID (1-4094). @internal */
export function checkVlanId(issues: IssueCollector, field: string | number | undefined, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 4094) {
    issues.add(field, value, 'must be a VLAN ID: an integer 1-4094');
    return false;
  }
  return true;
}

/** Checks an optional boolean. @internal */
export function checkBoolean(issues: IssueCollector, field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') issues.add(field, value, 'must be true or false');
}

/** Checks an integer in [min, max]. @internal */
export function checkInteger(issues: IssueCollector, field: string | number | undefined, value: unknown,
  min: number, max: number, what: string): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.add(field, value, `must be ${what}: an integer ${min}-${max}`);
    return false;
  }
  return true;
}

/**
 * Checks an optional list of strings; returns the list (empty when absent or
 * malformed) with each element checked by `each` (which reports its own issues).
 * @internal
 */
export function checkList<T = string>(issues: IssueCollector, field: string, value: unknown, what: string,
  each?: (item: IssueCollector, v: unknown, index: number) => T | undefined): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.add(field, value, `must be a list of ${what}`);
    return [];
  }
  const out: T[] = [];
  value.forEach((v, i) => {
    if (each) {
      const r = each(issues.at(field).at(i), v, i);
      if (r !== undefined) out.push(r);
    } else if (typeof v !== 'string' || v.length === 0) {
      issues.at(field).add(i, v, `must be ${what.replace(/s$/, '')}: a non-empty string`);
    } else {
      out.push(v as unknown as T);
    }
  });
  return out;
}

/** Reports duplicate strings in a list. @internal */
export function checkUnique(issues: IssueCollector, field: string, values: readonly unknown[], what: string): void {
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    if (typeof v !== 'string') return;
    const first = seen.get(v);
    if (first !== undefined) issues.at(field).add(i, v, `duplicate ${what}: already listed at ${field}[${first}]`);
    else seen.set(v, i);
  });
}

/** Checks a Kubernetes label key. @internal */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !LABEL_PREFIX.test(prefix)) return false;
  return name.length >= 1 && name.length <= 63 && LABEL_NAME.test(name);
}

/** Checks a Kubernetes label value. @internal */
export function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && (value === '' || (value.length <= 63 && LABEL_NAME.test(value)));
}

/**
 * Checks a map of Kubernetes labels (selectors, matchLabels). Returns a copy
 * with keys sorted (deterministic output), or undefined when absent.
 * @internal
 */
export function checkLabels(issues: IssueCollector, field: string, value: unknown, required = false): { [key: string]: string } | undefined {
  if (value === undefined) {
    if (required) issues.add(field, value, 'is required: a map of label keys to values');
    return undefined;
  }
  if (!isObject(value)) {
    issues.add(field, value, 'must be a map of label keys to values');
    return undefined;
  }
  const keys = Object.keys(value).sort();
  if (required && keys.length === 0) issues.add(field, value, 'must contain at least one label');
  const out: { [key: string]: string } = {};
  for (const k of keys) {
    const v = value[k];
    if (!isLabelKey(k)) {
      issues.add(keyPath(field, k), k, 'is not a valid label key: an optional DNS prefix and "/", then 1-63 letters, digits, "-", "_" or "."');
    } else if (!isLabelValue(v)) {
      issues.add(keyPath(field, k), v, 'must be a label value: a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** `field.key`, or `field["key"]` when the key is not a plain identifier. @internal */
export function keyPath(field: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
}
