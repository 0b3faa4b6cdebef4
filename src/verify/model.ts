/**
 * An offline model of Cilium's L3/L4 policy enforcement, enough to compute
 * which endpoint may open a connection to which other endpoint on which
 * port. Internal to the verifier (not part of the jsii API).
 *
 * What is modelled (facts §9 is authoritative where it speaks):
 * - `CiliumNetworkPolicy` (namespaced) and `CiliumClusterwideNetworkPolicy`,
 *   both `spec` and `specs`; `endpointSelector` (a namespaced policy selects
 *   pods of its own namespace only; a cluster-wide one pods of any
 *   namespace); `nodeSelector` specs are host policies: they select the
 *   node endpoints (`host`, `remote-node`), every node for `{}`.
 * - Kubernetes `NetworkPolicy` (Cilium enforces those too), translated to
 *   the same rules: `podSelector` in the policy's namespace, `policyTypes`
 *   (default Ingress, plus Egress when egress rules exist), peers
 *   `podSelector` (own namespace), `namespaceSelector` (+ `podSelector`),
 *   `ipBlock` (with `except`), an empty `from`/`to` (every peer, the world
 *   included), `ports` (protocol TCP by default, `endPort`).
 * - `ingress`, `egress`, `ingressDeny`, `egressDeny`; deny wins over allow.
 * - Default deny per direction once any policy selecting the endpoint has
 *   rules in that direction, unless that policy sets
 *   `enableDefaultDeny.<direction>: false` (an explicit `true` turns it on
 *   even without rules). An empty list of rules is no rules.
 * - `fromEndpoints`/`toEndpoints` with `matchLabels` and `matchExpressions`
 *   (In, NotIn, Exists, DoesNotExist), label sources (`k8s:foo`, `any:foo`
 *   and `foo` all match the pod label `foo`; `reserved:foo` only reserved
 *   labels) and namespace narrowing: a selector that names neither
 *   `io.kubernetes.pod.namespace` nor an `io.cilium.k8s.namespace.labels.*`
 *   key matches only the policy's namespace in a namespaced policy and pods
 *   of any namespace in a cluster-wide one. (Selectors naming a `reserved:`
 *   label are not narrowed, as in Cilium.)
 * - `fromEntities`/`toEntities`: world (and world-ipv4/-ipv6), host,
 *   remote-node, kube-apiserver, health, init, unmanaged, ingress, cluster
 *   (every in-cluster identity, pods and the kube-apiserver included) and all.
 * - `fromCIDR`/`toCIDR`/`*CIDRSet` (IPv4, with `except`): match non-cluster
 *   endpoints whose address is inside (never pods, as in Cilium's default
 *   mode).
 * - `toPorts`: `port` (number, or `0`/absent for all), `endPort` ranges,
 *   protocol TCP/UDP/SCTP/ANY (default ANY). `icmps` (types by number or
 *   `EchoRequest`). A rule with ports but no peers applies to every peer; a
 *   rule with neither applies to none. A rule with neither ports nor ICMP
 *   fields covers every protocol, ICMP included.
 *
 * What it cannot judge is never counted silently as allowed or denied:
 * FQDN selectors, CIDR groups, `toServices`, `toGroups`, `*Requires`, node
 * selectors with labels (`fromNodes`/`toNodes`, host policies), named
 * ports and L7 rules (other than allow-everything DNS/HTTP rules) make the
 * rule *uncertain*: the model is evaluated twice, once with each uncertain
 * part at its most permissive (`upper` bound: allow rules match, deny rules
 * do not) and once at its most restrictive (`lower`). Cells on which the
 * two differ are undetermined, and the uncertain rules are named.
 *
 * Work is done per identity (the distinct label set of endpoints), with
 * interval sets: rows of the reachability matrix are unions/differences of
 * the peer sets of the few rules that select the source (egress) or name it
 * as a peer (ingress).
 */
import * as iv from './intervals';
import { Intervals } from './intervals';

export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';
/** A probe protocol: L4, or ICMP / ICMPv6 (the probe's `port` is then the ICMP type). */
export type ProbeProtocol = L4Protocol | 'ICMP' | 'ICMPv6';

/** A port and protocol a connection is probed on (ICMP: `port` is the type, 8 = echo request; ICMPv6: 128). */
export interface Probe {
  readonly port: number;
  readonly protocol: ProbeProtocol;
}

/** Non-pod endpoints. */
export type EntityName = 'world' | 'host' | 'remote-node' | 'kube-apiserver' | 'health' | 'init' | 'unmanaged' | 'ingress';

/** An endpoint: a pod (namespace + labels) or a non-pod entity. */
export interface ModelEndpoint {
  readonly id: string;
  /** Pod: its namespace. */
  readonly namespace?: string;
  /** Pod: its labels. */
  readonly labels?: Record<string, string>;
  /** Non-pod endpoint. */
  readonly entity?: EntityName;
  /** Address used by CIDR rules (non-pod endpoints only). @default 203.0.113.10 for world */
  readonly ip?: string;
  /**
   * Pod: its named container ports (name -> port and protocol), when known
   * (a workload of the input). Rules naming a port by name resolve against
   * them; for a pod whose ports are not known, such a rule is undetermined.
   */
  readonly ports?: Readonly<Record<string, NamedPort>>;
}

/** A named container port. */
export interface NamedPort {
  readonly port: number;
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
}

export interface ModelOptions {
  /**
   * Namespace labels to add (or override) for namespaces, e.g. namespaces
   * that exist in the cluster but are not among the objects.
   */
  readonly namespaces?: Record<string, Record<string, string>>;
  /**
   * The Cilium release whose policy semantics to model (`CILIUM_VERSIONS`).
   * @default DEFAULT_CILIUM_VERSION
   */
  readonly ciliumVersion?: CiliumVersion;
}

/**
 * Cilium releases whose policy semantics the model knows. They differ in one
 * point (cilium/cilium#46949, fixed by cilium/cilium#46996 for 1.20): in
 * 1.19 a peer selector of a NetworkPolicy or CiliumNetworkPolicy that names
 * the namespace only negatively (`NotIn`, `DoesNotExist`) gets no namespace
 * requirement, so it also selects identities that are not pods (world,
 * host, remote nodes, kube-apiserver, ingress); 1.20 requires a namespace,
 * so only pods match.
 */
export const CILIUM_VERSIONS = ['1.19', '1.20'] as const;
export type CiliumVersion = typeof CILIUM_VERSIONS[number];
/** The release cozynet installs (facts §3) and the model's default. */
export const DEFAULT_CILIUM_VERSION: CiliumVersion = '1.19';

/** Which end of uncertain rules an evaluation takes. */
export type Bound = 'upper' | 'lower';

export interface EvaluateOptions {
  /** @default 'upper' */
  readonly bound?: Bound;
  /**
   * The caller guarantees that no two endpoints have the same labels (skips
   * the identity deduplication).
   * @default false
   */
  readonly distinct?: boolean;
}

const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
/** Entries a per-evaluation memo keeps before it starts over (bounds its memory). */
const MEMO_LIMIT = 4096;
const NS_LABELS = 'io.cilium.k8s.namespace.labels.';
const KNOWN_SOURCES = new Set(['k8s', 'any', 'reserved', 'container', 'unspec', 'cidr', 'fqdn', 'kvstore', 'cilium-generated', 'cni', 'cilium']);
const ENTITY_NAMES = new Set(['all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'init', 'health', 'unmanaged', 'ingress']);
const DEFAULT_WORLD_IP = '203.0.113.10';
/** ICMP type names Cilium accepts per family (pkg/policy/api/icmp.go). */
const ICMP_NAMES: Record<string, number> = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  Redirect: 5,
  Echo: 8,
  EchoRequest: 8,
  RouterAdvertisement: 9,
  RouterSelection: 10,
  TimeExceeded: 11,
  ParameterProblem: 12,
  Timestamp: 13,
  TimestampReply: 14,
  Photuris: 40,
  ExtendedEchoRequest: 42,
  ExtendedEchoReply: 43,
};
const ICMPV6_NAMES: Record<string, number> = {
  DestinationUnreachable: 1,
  PacketTooBig: 2,
  TimeExceeded: 3,
  ParameterProblem: 4,
  EchoRequest: 128,
  EchoReply: 129,
  MulticastListenerQuery: 130,
  MulticastListenerReport: 131,
  MulticastListenerDone: 132,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
  RedirectMessage: 137,
  RouterRenumbering: 138,
  ICMPNodeInformationQuery: 139,
  ICMPNodeInformationResponse: 140,
  InverseNeighborDiscoverySolicitation: 141,
  InverseNeighborDiscoveryAdvertisement: 142,
  HomeAgentAddressDiscoveryRequest: 144,
  HomeAgentAddressDiscoveryReply: 145,
  MobilePrefixSolicitation: 146,
  MobilePrefixAdvertisement: 147,
  DuplicateAddressRequestCodeSuffix: 157,
  DuplicateAddressConfirmationCodeSuffix: 158,
  ExtendedEchoRequest: 160,
  ExtendedEchoReply: 161,
};

/** One identity: a distinct label set. */
export interface Identity {
  readonly index: number;
  /** `source:key` -> value: the pod's own labels and service account, or the entity's `reserved:` label. */
  readonly labels: Map<string, string>;
  /**
   * Namespace-derived labels (`k8s:io.cilium.k8s.namespace.labels.*`, the
   * pod's namespace, the cluster): one map shared by the pods of a namespace.
   */
  readonly nsLabels?: Map<string, string>;
  readonly isPod: boolean;
  readonly namespace?: string;
  readonly entities: ReadonlySet<string>;
  readonly ip?: ParsedAddress;
  /** Endpoints with this identity. */
  readonly endpoints: string[];
  /** Pods: named container ports, when known (part of the identity, as Cilium's `io.cilium.k8s.named-ports` label makes them). */
  readonly ports?: Readonly<Record<string, NamedPort>>;
}

/** One `spec` of a policy object (or the translation of a NetworkPolicy). */
interface ParsedSpec {
  /** e.g. `CiliumNetworkPolicy tenant-acme/cozynet-tenant` */
  readonly object: string;
  /** `spec`, `specs[1]`, or '' when the object has one spec */
  readonly where: string;
  readonly clusterwide: boolean;
  readonly namespace?: string;
  readonly spec: any;
  /** A translated Kubernetes NetworkPolicy. */
  readonly k8s?: boolean;
  /** Translated NetworkPolicy: the original name of each rule, per direction (`ingress[1] from[0]`). */
  readonly ruleNames?: Record<string, string[]>;
}

interface Requirement {
  readonly src: string;
  readonly key: string;
  readonly op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: string[];
  /** `values` as a set, for long lists. */
  set?: Set<string>;
  /** `src:key`, once. */
  full?: string;
  /** `reserved:key`, once (an `any:` key also matches reserved labels). */
  reserved?: string;
}

/** 0: no, 1: yes, 2: maybe (uncertain) */
type Tri = 0 | 1 | 2;
/** How a pod resolves a named port: the ports it stands for (each certain or "maybe"), or unknown (its container ports are not known). */
type Resolution = Array<{ port: number; protocol: string; tri: Tri }> | 'unknown';

/** The ports a rule names by name (with the protocol it gives them). */
function namedPortsOf(rule: any): Array<{ name: string; proto: string }> {
  const out: Array<{ name: string; proto: string }> = [];
  for (const tp of Array.isArray(rule?.toPorts) ? rule.toPorts : []) {
    for (const p of Array.isArray(tp?.ports) ? tp.ports : []) {
      const raw = p?.port;
      if (raw === undefined || raw === null || raw === '' || String(raw) === '0') continue;
      const num = Number(raw);
      if (Number.isInteger(num) && num >= 0 && num <= 65535) continue;
      out.push({ name: String(raw), proto: String(p?.protocol ?? 'ANY').toUpperCase() });
    }
  }
  return out;
}
type PortMatcher = (p: Probe) => Tri;

export interface CompiledRule {
  /** The policy object, e.g. `CiliumNetworkPolicy tenant-acme/cozynet-tenant`. */
  readonly policy: string;
  /** The rule inside it, e.g. `specs[0] egress[1]`. */
  readonly rule: string;
  readonly direction: 'ingress' | 'egress';
  readonly deny: boolean;
  readonly subjects: Intervals;
  readonly peers: Intervals;
  /** Whether the rule applies to a probe (at this evaluation's bound). */
  readonly ports: (p: Probe) => boolean;
  /** Why the rule is uncertain, if it is. */
  readonly uncertain?: string;
}

/** The halves of a matrix row (identity-indexed interval sets). */
export interface RowParts {
  readonly row: Intervals;
  readonly egress: Intervals;
  readonly egressDeny: Intervals;
  readonly accept: Intervals;
  readonly refuse: Intervals;
}

/** The rules that decided one direction of a connection. */
export interface DirectionVerdict {
  readonly allowed: boolean;
  /** `denied`, `allowed`, `default-deny` or `unrestricted`. */
  readonly how: 'denied' | 'allowed' | 'default-deny' | 'unrestricted';
  /** Deciding rules (`policy rule`), for `denied` and `allowed`. */
  readonly rules: string[];
  /** For `default-deny`: the policy that selects the endpoint in this direction. */
  readonly selectedBy?: string;
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
  /** Uncertain rules among those that matched. */
  readonly uncertain: string[];
}

function parseKey(k: string): { src: string; key: string } {
  const i = k.indexOf(':');
  // Stryker disable next-line EqualityOperator: at i === 0 the source would be '', which is not a known source, so i >= 0 takes the same branch
  if (i > 0 && KNOWN_SOURCES.has(k.slice(0, i))) return { src: k.slice(0, i), key: k.slice(i + 1) };
  return { src: 'any', key: k };
}

function parseIPv4(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
}

/** An IPv6 address as a bigint, or undefined. */
function parseIPv6(s: unknown): bigint | undefined {
  if (typeof s !== 'string' || !s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  // an embedded IPv4 tail (::ffff:10.0.0.1)
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseIPv4(v4[2]);
    if (n === undefined) return undefined;
    text = `${v4[1]}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = n * 65536n + BigInt(parseInt(g, 16));
  }
  return n;
}

/** An address of either family (`v6` set for IPv6). */
export interface ParsedAddress {
  readonly v6: boolean;
  readonly n: bigint;
}

/** @internal */
export function parseAddress(s: unknown): ParsedAddress | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { v6: false, n: BigInt(v4) };
  const v6 = parseIPv6(s);
  return v6 === undefined ? undefined : { v6: true, n: v6 };
}

/** `first`..`last` of a CIDR of either family, or undefined when invalid. @internal */
export function parseCidr(s: unknown): { v6: boolean; first: bigint; last: bigint } | undefined {
  if (typeof s !== 'string') return undefined;
  const slash = s.indexOf('/');
  const addr = parseAddress(slash < 0 ? s : s.slice(0, slash));
  if (!addr) return undefined;
  const bits = addr.v6 ? 128 : 32;
  const lenStr = slash < 0 ? String(bits) : s.slice(slash + 1);
  const len = /^\d{1,3}$/.test(lenStr) ? Number(lenStr) : NaN;
  if (!(len >= 0 && len <= bits)) return undefined;
  const size = 2n ** BigInt(bits - len);
  const first = (addr.n / size) * size;
  return { v6: addr.v6, first, last: first + size - 1n };
}

function nonEmptyArray(v: unknown): v is any[] {
  return Array.isArray(v) && v.length > 0;
}

function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Kubernetes label selector -> Cilium selector with a key prefix (`k8s:` or the namespace-label prefix). */
function prefixSelector(sel: any, prefix: string): { matchLabels: Record<string, string>; matchExpressions: any[] } {
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(isObject(sel) && isObject(sel.matchLabels) ? sel.matchLabels : {})) matchLabels[prefix + k] = String(v);
  const matchExpressions = (isObject(sel) && Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [])
    .map((e: any) => ({ ...e, key: prefix + String(e?.key ?? '') }));
  return { matchLabels, matchExpressions };
}

function isEmptySelector(sel: any): boolean {
  return isObject(sel) && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/**
 * Translates a Kubernetes NetworkPolicy into the Cilium rule form this model
 * evaluates (the same semantics Cilium gives it).
 * @internal
 */
export function translateNetworkPolicy(np: any, warn: (m: string) => void): any {
  return translateNetworkPolicyNamed(np, warn).spec;
}

/**
 * `translateNetworkPolicy`, with the name of each translated rule as the
 * NetworkPolicy spells it: one Cilium rule per peer, so the Cilium rule
 * `ingress[2]` can be the Kubernetes rule `ingress[1] from[0]`.
 */
function translateNetworkPolicyNamed(np: any, warn: (m: string) => void): { spec: any; ruleNames: Record<string, string[]> } {
  const ns = String(np.metadata?.namespace ?? 'default');
  const name = `NetworkPolicy ${ns}/${np.metadata?.name ?? '(unnamed)'}`;
  const spec = isObject(np.spec) ? np.spec : {};
  const types: string[] | undefined = Array.isArray(spec.policyTypes) ? spec.policyTypes : undefined;
  const ingressOn = types ? types.includes('Ingress') : true;
  const egressOn = types ? types.includes('Egress') : nonEmptyArray(spec.egress);
  const peer = (p: any, dir: 'from' | 'to'): any => {
    if (!isObject(p)) return undefined;
    if (isObject(p.ipBlock)) return { [`${dir}CIDRSet`]: [{ cidr: p.ipBlock.cidr, except: p.ipBlock.except }] };
    if (p.namespaceSelector === undefined && p.podSelector === undefined) {
      warn(`${name}: a peer with neither podSelector, namespaceSelector nor ipBlock matches nothing`);
      return undefined;
    }
    const pods = prefixSelector(p.podSelector ?? {}, 'k8s:');
    if (p.namespaceSelector !== undefined) {
      const nsSel = prefixSelector(p.namespaceSelector, `k8s:${NS_LABELS}`);
      const sel = {
        matchLabels: { ...pods.matchLabels, ...nsSel.matchLabels },
        matchExpressions: [...pods.matchExpressions, ...nsSel.matchExpressions],
      };
      if (isEmptySelector(p.namespaceSelector)) sel.matchExpressions.push({ key: `k8s:${POD_NAMESPACE}`, operator: 'Exists' });
      return { [`${dir}Endpoints`]: [sel] };
    }
    return { [`${dir}Endpoints`]: [{ matchLabels: { ...pods.matchLabels, [`k8s:${POD_NAMESPACE}`]: ns }, matchExpressions: pods.matchExpressions }] };
  };
  const ruleNames: Record<string, string[]> = { ingress: [], egress: [] };
  const rules = (list: unknown, dir: 'from' | 'to'): any[] => {
    const out: any[] = [];
    const key = dir === 'from' ? 'ingress' : 'egress';
    const names = ruleNames[key];
    // Stryker disable next-line ArrayDeclaration: a non-object entry in the fallback list is skipped by the isObject check below
    (Array.isArray(list) ? list : []).forEach((r: unknown, i: number) => {
      if (!isObject(r)) return;
      const toPorts = nonEmptyArray(r.ports)
        ? [{ ports: r.ports.map((p: any) => ({ port: p?.port === undefined ? '0' : String(p.port), endPort: p?.endPort, protocol: p?.protocol ?? 'TCP' })) }]
        : undefined;
      const peers: any[] = r[dir];
      if (!nonEmptyArray(peers)) {
        out.push({ [`${dir}Entities`]: ['all'], ...(toPorts ? { toPorts } : {}) });
        names.push(`${key}[${i}]`);
        return;
      }
      peers.forEach((p, j) => {
        const t = peer(p, dir);
        if (!t) return;
        out.push({ ...t, ...(toPorts ? { toPorts } : {}) });
        names.push(`${key}[${i}] ${dir}[${j}]`);
      });
    });
    return out;
  };
  const translated = {
    endpointSelector: prefixSelector(spec.podSelector ?? {}, 'k8s:'),
    enableDefaultDeny: { ingress: ingressOn, egress: egressOn },
    ...(ingressOn ? { ingress: rules(spec.ingress, 'from') } : {}),
    ...(egressOn ? { egress: rules(spec.egress, 'to') } : {}),
  };
  return { spec: translated, ruleNames };
}

/**
 * The policy objects and namespaces of a cluster, ready to be evaluated
 * against a set of endpoints.
 */
export class CiliumPolicyModel {
  public readonly warnings: string[] = [];
  /** Namespace name -> labels (as Kubernetes stores them, `kubernetes.io/metadata.name` included). */
  public readonly namespaceLabels = new Map<string, Record<string, string>>();
  /** Policy objects read, by kind. */
  public readonly policyCounts: Record<string, number> = {};
  /** The Cilium release modelled. */
  public readonly ciliumVersion: CiliumVersion;
  private readonly specs: ParsedSpec[] = [];
  private readonly warned = new Set<string>();

  constructor(objects: any[], options: ModelOptions = {}) {
    this.ciliumVersion = options.ciliumVersion ?? DEFAULT_CILIUM_VERSION;
    // Stryker disable next-line ArrayDeclaration: a non-object entry in the fallback list is skipped by the check below
    for (const obj of objects ?? []) {
      if (obj === null || typeof obj !== 'object') continue;
      const kind = obj.kind;
      const apiVersion = String(obj.apiVersion ?? '');
      const name = String(obj.metadata?.name ?? '(unnamed)');
      if (kind === 'Namespace' && (apiVersion === 'v1' || apiVersion === '')) {
        this.namespaceLabels.set(name, { ...(obj.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name });
      } else if (apiVersion.startsWith('cilium.io/') && (kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy')) {
        this.count(kind);
        const clusterwide = kind === 'CiliumClusterwideNetworkPolicy';
        let namespace: string | undefined;
        if (!clusterwide) {
          namespace = obj.metadata?.namespace;
          if (!namespace) {
            this.warn(`${kind} ${name} has no metadata.namespace; assuming "default"`);
            namespace = 'default';
          }
        }
        const object = clusterwide ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
        const list: any[] = [];
        if (obj.spec) list.push(['spec', obj.spec]);
        if (Array.isArray(obj.specs)) obj.specs.forEach((s: any, i: number) => list.push([`specs[${i}]`, s]));
        const multi = list.length > 1;
        for (const [where, spec] of list) {
          if (spec === null || typeof spec !== 'object') continue;
          this.specs.push({ object, where: multi ? where : '', clusterwide, namespace, spec });
        }
      } else if (kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/')) {
        this.count(kind);
        const namespace = String(obj.metadata?.namespace ?? 'default');
        const object = `NetworkPolicy ${namespace}/${name}`;
        const { spec, ruleNames } = translateNetworkPolicyNamed(obj, (m) => this.warn(m));
        this.specs.push({ object, where: '', clusterwide: false, namespace, spec, k8s: true, ruleNames });
      }
    }
    for (const [ns, labels] of Object.entries(options.namespaces ?? {})) {
      this.namespaceLabels.set(ns, { ...(this.namespaceLabels.get(ns) ?? {}), ...labels, 'kubernetes.io/metadata.name': ns });
    }
  }

  /** Compiles the policies against `endpoints` and returns the evaluator. */
  public evaluate(endpoints: ModelEndpoint[], probes: Probe[] = [], options: EvaluateOptions = {}): Reachability {
    return new Reachability(this, endpoints, probes, options.bound ?? 'upper', options.distinct ?? false);
  }

  /** @internal */
  public _specs(): readonly ParsedSpec[] {
    return this.specs;
  }

  /** @internal */
  public warn(message: string): void {
    if (!this.warned.has(message)) {
      this.warned.add(message);
      this.warnings.push(message);
    }
  }

  private count(kind: string): void {
    this.policyCounts[kind] = (this.policyCounts[kind] ?? 0) + 1;
  }
}

/** Reachability between the endpoints given to `CiliumPolicyModel.evaluate`. */
/** The rule list of identities no rule names (shared, never changed). */
const NO_RULES: number[] = [];

/** Appends rule `ri` to the list of identity `i`, which gets a list of its own first. */
function addRule(lists: number[][], i: number, ri: number): void {
  const list = lists[i];
  if (list === NO_RULES) lists[i] = [ri];
  else list.push(ri);
}

/** Equal lists of numbers become one list with one id (ids count from 0). */
class ListInterner {
  private readonly byKey = new Map<string, { id: number; list: number[] }>();
  public intern(list: number[]): { id: number; list: number[] } {
    const key = list.join(',');
    let known = this.byKey.get(key);
    if (known === undefined) this.byKey.set(key, (known = { id: this.byKey.size, list }));
    return known;
  }
}

export class Reachability {
  public readonly identities: Identity[];
  /** Endpoint index -> identity index. */
  public readonly identityOfEndpoint: Int32Array;
  public readonly endpointIndex: Map<string, number>;
  public readonly rules: CompiledRule[] = [];
  public readonly probes: Probe[];
  /** Whether identity index == endpoint index (every endpoint has its own label set). */
  public readonly oneToOne: boolean;
  /** Uncertain rules that matter for these endpoints (each named with what makes it uncertain). */
  public readonly uncertain: string[] = [];

  private readonly n: number;
  private readonly all: Intervals;
  private readonly allPods: Intervals;
  private readonly nodes: Intervals;
  private readonly index: Map<string, number[]>;
  /** Namespace -> its pod identities (increasing). */
  private nsMembers!: Map<string, number[]>;
  /** `k8s:<namespace-derived key>[=value]` -> namespaces. */
  private nsIndex!: Map<string, string[]>;
  /** Namespace -> its pod identities as a set (built when first asked for). */
  private readonly nsRanges = new Map<string, Intervals>();
  /** Namespace -> its namespace-derived labels (`Identity.nsLabels`). */
  private readonly nsLabelMaps = new Map<string, Map<string, string>>();
  /** An endpoint's labels object -> its pod label map (`labelsOf`), for endpoints that share the object. */
  private readonly podLabelMaps = new Map<Readonly<Record<string, string>>, Map<string, string>>();
  private readonly k8sKeys = new Map<string, string>();
  /** Port matchers by the ports a rule names (and the bound's reading of "maybe"). */
  private readonly portMatchers = new Map<string, { ports: (p: Probe) => boolean; why: string[] }>();
  /** `source:key` -> `labelIndex`. */
  private readonly labelIndexes = new Map<string, { exists: number[]; byValue: Map<string, number[]> }>();
  private readonly ingressEnforced: Uint8Array;
  private readonly egressEnforced: Uint8Array;
  private readonly ingressEnforcedBy: string[];
  private readonly egressEnforcedBy: string[];
  private readonly egressBySubject: number[][];
  private readonly ingressByPeer: number[][];
  /** rule -> probe -> matches */
  private readonly probeMask: Uint8Array[] = [];
  /** rule -> index into distinctMasks, or -1 when the rule treats every probe alike */
  private readonly maskId: number[] = [];
  private readonly distinctMasks: Uint8Array[] = [];
  /** Identity -> its class of sources with the same rules (see the constructor). */
  private readonly ruleClass: Int32Array;
  /** `rowParts` by class and probe. */
  private readonly partsMemo = new Map<number, RowParts>();
  /** `probeSplit` by class. */
  private readonly splitMemo = new Map<number, { key: string; masks: Uint8Array[] }>();
  private notIngressEnforced: Intervals;
  private readonly uncertainSeen = new Set<string>();

  constructor(private readonly model: CiliumPolicyModel, endpoints: ModelEndpoint[], probes: Probe[], public readonly bound: Bound = 'upper',
    distinct: boolean = false) {
    this.probes = probes;
    this.identities = [];
    this.endpointIndex = new Map();
    this.index = new Map();
    // Stryker disable next-line ArrayDeclaration: an entry is read only for an enforced endpoint, and compileSpec writes it when it sets the bit
    this.ingressEnforcedBy = [];
    // Stryker disable next-line ArrayDeclaration: an entry is read only for an enforced endpoint, and compileSpec writes it when it sets the bit
    this.egressEnforcedBy = [];
    this.egressBySubject = [];
    this.ingressByPeer = [];
    // 1. identities
    const byKey = new Map<string, number>();
    this.identityOfEndpoint = new Int32Array(endpoints.length);
    let oneToOne = true;
    endpoints.forEach((ep, e) => {
      if (this.endpointIndex.has(ep.id)) throw new Error(`duplicate endpoint id ${ep.id}`);
      this.endpointIndex.set(ep.id, e);
      const { labels, nsLabels } = this.labelsOf(ep);
      const ports = ep.entity === undefined && ep.ports !== undefined ? ep.ports : undefined;
      // distinct: every endpoint is an identity of its own (no key is built)
      const key = distinct ? undefined : [...labels.entries(), ...(nsLabels?.entries() ?? [])].map(([k, v]) => `${k}=${v}`).sort().join('\n') +
        (ports ? `\nports=${JSON.stringify(Object.entries(ports).sort(([a], [b]) => (a < b ? -1 : 1)))}` : '');
      let idx = key === undefined ? undefined : byKey.get(key);
      if (idx === undefined) {
        idx = this.identities.length;
        if (key !== undefined) byKey.set(key, idx);
        this.identities.push({
          index: idx,
          labels,
          nsLabels,
          isPod: ep.entity === undefined,
          namespace: ep.entity === undefined ? (ep.namespace ?? 'default') : undefined,
          entities: entitiesOf(ep),
          ip: ep.entity === undefined ? undefined : parseAddress(ep.ip ?? (ep.entity === 'world' ? DEFAULT_WORLD_IP : undefined)),
          endpoints: [ep.id],
          ports,
        });
      } else {
        this.identities[idx].endpoints.push(ep.id);
      }
      // Stryker disable next-line ConditionalExpression,BooleanLiteral: idx !== e only after an earlier merge, which the length check below also catches
      if (idx !== e) oneToOne = false;
      this.identityOfEndpoint[e] = idx;
    });
    // Stryker disable next-line LogicalOperator,ConditionalExpression: either check alone decides (a merge makes idx !== e and the lengths differ)
    this.oneToOne = oneToOne && this.identities.length === endpoints.length;
    const n = this.identities.length;
    this.n = n;
    // Labels every pod of a namespace shares are indexed once per namespace.
    this.nsMembers = new Map();
    this.nsIndex = new Map();
    for (const id of this.identities) {
      // Stryker disable next-line ConditionalExpression: nsMembers of a non-pod (key undefined) is never read: nsIndex names only pod namespaces
      if (id.isPod) {
        let members = this.nsMembers.get(id.namespace!);
        if (!members) {
          this.nsMembers.set(id.namespace!, (members = []));
          for (const [k, v] of id.nsLabels!) {
            for (const key of [`${k}=${v}`, k]) {
              let list = this.nsIndex.get(key);
              if (!list) this.nsIndex.set(key, (list = []));
              list.push(id.namespace!);
            }
          }
        }
        members.push(id.index);
      }
      for (const ent of id.entities) this.indexPush(`entity:${ent}`, id.index);
      if (id.isPod) this.indexPush('pod', id.index);
    }
    this.all = iv.range(0, n);
    // Stryker disable next-line ArrayDeclaration: fromSorted(["..."]) is the empty interval [0,0], and allPods is only subtracted
    this.allPods = iv.fromSorted(this.index.get('pod') ?? []);
    this.nodes = iv.fromList([...(this.index.get('entity:host') ?? []), ...(this.index.get('entity:remote-node') ?? [])]);
    this.ingressEnforced = new Uint8Array(n);
    this.egressEnforced = new Uint8Array(n);
    // Stryker disable next-line EqualityOperator: one more (empty) list at index n is never read: identities are 0..n-1
    // Every identity starts with the one empty list; a list is its own once a rule is added (`addRule`).
    for (let i = 0; i < n; i++) {
      this.egressBySubject.push(NO_RULES);
      this.ingressByPeer.push(NO_RULES);
    }

    // 2. policies
    for (const ps of model._specs()) this.compileSpec(ps);
    // Stryker disable next-line ArrayDeclaration: a leading non-number makes fromSorted emit an empty interval [0,0], which subtract skips
    const enforced: number[] = [];
    // Stryker disable next-line EqualityOperator: ingressEnforced[n] is undefined, nothing is pushed
    for (let i = 0; i < n; i++) if (this.ingressEnforced[i]) enforced.push(i);
    this.notIngressEnforced = iv.subtract(this.all, iv.fromSorted(enforced));
    // Sources under the same rules (as sender and as peer) and the same egress
    // enforcement have the same row parts: they form one class, and equal
    // rule lists are one list.
    this.ruleClass = new Int32Array(n);
    // A class is named by numbers: the ids of its two (shared) lists and its egress enforcement.
    const egressLists = new ListInterner();
    const ingressLists = new ListInterner();
    const classes = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const e = egressLists.intern(this.egressBySubject[i]);
      const g = ingressLists.intern(this.ingressByPeer[i]);
      this.egressBySubject[i] = e.list;
      this.ingressByPeer[i] = g.list;
      const key = (e.id * n + g.id) * 2 + this.egressEnforced[i];
      let c = classes.get(key);
      if (c === undefined) classes.set(key, (c = classes.size));
      this.ruleClass[i] = c;
    }
    const maskIds = new Map<string, number>();
    // Rules with equal masks share one (most rules name the same few ports).
    const masks = new Map<string, Uint8Array>();
    const computed = new Uint8Array(probes.length);
    // Rules share port matchers (one per list of ports): a matcher's mask is computed once.
    const byMatcher = new Map<(p: Probe) => boolean, number>();
    for (const r of this.rules) {
      const seen = byMatcher.get(r.ports);
      // Stryker disable next-line ConditionalExpression: a matcher's mask computed again is the same mask
      if (seen !== undefined) {
        this.probeMask.push(this.probeMask[seen]);
        this.maskId.push(this.maskId[seen]);
        continue;
      }
      byMatcher.set(r.ports, this.probeMask.length);
      probes.forEach((p, i) => { computed[i] = r.ports(p) ? 1 : 0; });
      // Stryker disable next-line StringLiteral: bits of a fixed count need no separator
      const key = computed.join('');
      let mask = masks.get(key);
      // Stryker disable next-line ConditionalExpression: sharing equal masks only saves memory; a fresh copy holds the same bits
      if (!mask) masks.set(key, (mask = computed.slice()));
      this.probeMask.push(mask);
      // Stryker disable next-line ArrowFunction,ConditionalExpression,EqualityOperator: a uniform mask taken as distinct only adds a mask that splits nothing
      const uniform = mask.every((x) => x === mask![0]);
      // Stryker disable next-line ConditionalExpression,BlockStatement: see above
      if (uniform) {
        this.maskId.push(-1);
        continue;
      }
      let id = maskIds.get(key);
      // Stryker disable next-line ConditionalExpression: a new id for an equal mask only adds a mask that splits the probes alike
      if (id === undefined) {
        id = this.distinctMasks.length;
        maskIds.set(key, id);
        this.distinctMasks.push(mask);
      }
      this.maskId.push(id);
    }
  }

  /** Number of identities. */
  public get size(): number {
    return this.n;
  }

  /**
   * Row of the matrix for the source identity `src` and probe `probeIndex`
   * (an index into the probes given to `evaluate`): the set of destination
   * identities it may open a connection to.
   */
  public row(src: number, probeIndex: number): Intervals {
    return this.rowParts(src, probeIndex).row;
  }

  /**
   * The halves of a row: what the source may send to (`egress`; `egressDeny`
   * its deny part), which destinations accept it (`accept`) or refuse it
   * (`refuse`, deny wins), and the row itself.
   */
  public rowParts(src: number, probeIndex: number): RowParts {
    const key = this.ruleClass[src] * this.probes.length + probeIndex;
    let parts = this.partsMemo.get(key);
    // Stryker disable next-line ConditionalExpression: a memo miss computes the same parts again
    if (!parts) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a memo cleared more often recomputes the same parts
      if (this.partsMemo.size >= MEMO_LIMIT) this.partsMemo.clear(); // sources of a class mostly come together
      this.partsMemo.set(key, (parts = this.computeRowParts(src, probeIndex)));
    }
    return parts;
  }

  private computeRowParts(src: number, probeIndex: number): RowParts {
    const allow: Intervals[] = [];
    const deny: Intervals[] = [];
    for (const ri of this.egressBySubject[src]) {
      if (!this.probeMask[ri][probeIndex]) continue;
      const r = this.rules[ri];
      (r.deny ? deny : allow).push(r.peers);
    }
    const egressDeny = iv.unionMany(deny);
    let egress = this.egressEnforced[src] ? iv.unionMany(allow) : this.all;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: shortcut, subtracting an empty set returns the set itself
    if (egressDeny.length > 0) egress = iv.subtract(egress, egressDeny);
    const accepts: Intervals[] = [this.notIngressEnforced];
    const refuses: Intervals[] = [];
    for (const ri of this.ingressByPeer[src]) {
      if (!this.probeMask[ri][probeIndex]) continue;
      const r = this.rules[ri];
      (r.deny ? refuses : accepts).push(r.subjects);
    }
    const accept = iv.unionMany(accepts);
    const refuse = iv.unionMany(refuses);
    // Stryker disable next-line ConditionalExpression: shortcut, the intersection with an empty set is empty
    let row = egress.length === 0 ? egress : iv.intersect(egress, accept);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: shortcut, subtract(x, []) is x and subtract([], y) is []
    if (refuse.length > 0 && row.length > 0) row = iv.subtract(row, refuse);
    return { row, egress, egressDeny, accept, refuse };
  }

  /**
   * What tells the probes apart for the source `src`: the distinct port
   * masks (probe index -> whether the rule's ports match) of the rules that
   * apply to it, as sender or as peer, and a key naming that set of masks.
   * Probes on which all of these masks agree have equal `rowParts`.
   */
  public probeSplit(src: number): { key: string; masks: Uint8Array[] } {
    let split = this.splitMemo.get(this.ruleClass[src]);
    // Stryker disable next-line ConditionalExpression: a memo miss computes the same split again
    if (!split) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a memo cleared more often recomputes the same split
      if (this.splitMemo.size >= MEMO_LIMIT) this.splitMemo.clear();
      this.splitMemo.set(this.ruleClass[src], (split = this.computeProbeSplit(src)));
    }
    return split;
  }

  private computeProbeSplit(src: number): { key: string; masks: Uint8Array[] } {
    // Only rules whose ports tell some probes from others split the probes; equal masks count once.
    const ids = new Set<number>();
    for (const ri of this.egressBySubject[src]) if (this.maskId[ri] >= 0) ids.add(this.maskId[ri]);
    for (const ri of this.ingressByPeer[src]) if (this.maskId[ri] >= 0) ids.add(this.maskId[ri]);
    // Stryker disable next-line ArrowFunction,ArithmeticOperator: the order of the masks only names the split; the same masks split the probes alike in any order
    const sorted = [...ids].sort((a, b) => a - b);
    return { key: sorted.join(','), masks: sorted.map((i) => this.distinctMasks[i]) };
  }

  /** `rowParts` for several probes; probes under which the same rules apply share one computation. */
  public rowPartsFor(src: number, probeIndexes: number[]): RowParts[] {
    const cache = new Map<string, RowParts>();
    const masks = this.probeSplit(src).masks;
    return probeIndexes.map((p) => {
      // Stryker disable next-line StringLiteral: a constant prefix of a cache key
      let sig = '';
      for (const m of masks) sig += m[p];
      let r = cache.get(sig);
      // Stryker disable next-line ConditionalExpression: a cache; recomputing gives equal parts
      if (r === undefined) {
        r = this.rowParts(src, p);
        cache.set(sig, r);
      }
      return r;
    });
  }

  /**
   * Rows for several probes at once; probes under which the same rules
   * apply share one computation.
   */
  public rows(src: number, probeIndexes: number[]): Intervals[] {
    return this.rowPartsFor(src, probeIndexes).map((r) => r.row);
  }

  /** The row as a bit set (for tests and small matrices). */
  public rowBits(src: number, probeIndex: number, out: Uint32Array): void {
    out.fill(0);
    // eslint-disable-next-line no-bitwise
    iv.forEach(this.row(src, probeIndex), (i) => { out[i >>> 5] |= 1 << (i & 31); });
  }

  /** Identity index of an endpoint id. */
  public identityOf(endpointId: string): number {
    const e = this.endpointIndex.get(endpointId);
    if (e === undefined) throw new Error(`unknown endpoint ${endpointId}`);
    return this.identityOfEndpoint[e];
  }

  /** Whether `src` may open a connection to `dst` on `port`/`protocol` (any probe, not only the listed ones). */
  public allowed(src: string, dst: string, port: number, protocol: ProbeProtocol = 'TCP'): boolean {
    return this.decide(this.identityOf(src), this.identityOf(dst), { port, protocol }).allowed;
  }

  /** Human-readable reason for the verdict between two identities. */
  public explain(src: number, dst: number, probe: Probe): string {
    return this.decide(src, dst, probe).reason;
  }

  /** Direct (slow path) decision, used for single queries and explanations. */
  public decide(src: number, dst: number, probe: Probe): Decision {
    const eAllow: string[] = [];
    const eDeny: string[] = [];
    const uncertain: string[] = [];
    for (const ri of this.egressBySubject[src]) {
      const r = this.rules[ri];
      if (r.ports(probe) && iv.has(r.peers, dst)) {
        (r.deny ? eDeny : eAllow).push(`${r.policy} ${r.rule}`);
        if (r.uncertain) uncertain.push(r.uncertain);
      }
    }
    const iAllow: string[] = [];
    const iDeny: string[] = [];
    for (const ri of this.ingressByPeer[src]) {
      const r = this.rules[ri];
      if (r.ports(probe) && iv.has(r.subjects, dst)) {
        (r.deny ? iDeny : iAllow).push(`${r.policy} ${r.rule}`);
        if (r.uncertain) uncertain.push(r.uncertain);
      }
    }
    const verdict = (deny: string[], allow: string[], enforced: boolean, by: string | undefined): DirectionVerdict => {
      if (deny.length > 0) return { allowed: false, how: 'denied', rules: uniq(deny) };
      if (allow.length > 0) return { allowed: true, how: 'allowed', rules: uniq(allow) };
      if (enforced) return { allowed: false, how: 'default-deny', rules: [], selectedBy: by };
      return { allowed: true, how: 'unrestricted', rules: [] };
    };
    const egress = verdict(eDeny, eAllow, this.egressEnforced[src] === 1, this.egressEnforcedBy[src]);
    const ingress = verdict(iDeny, iAllow, this.ingressEnforced[dst] === 1, this.ingressEnforcedBy[dst]);
    const text = (dir: 'egress' | 'ingress', v: DirectionVerdict): string => {
      switch (v.how) {
        case 'denied': return `${dir} denied by ${v.rules.join(', ')}`;
        case 'allowed': return `${dir} allowed by ${v.rules.join(', ')}`;
        case 'default-deny': return `${dir} default-deny (${dir === 'egress' ? 'source' : 'destination'} selected by ${v.selectedBy})`;
        default: return `${dir} unrestricted (no ${dir} policy selects the ${dir === 'egress' ? 'source' : 'destination'})`;
      }
    };
    return {
      allowed: egress.allowed && ingress.allowed,
      reason: `${text('egress', egress)}; ${text('ingress', ingress)}`,
      egress,
      ingress,
      uncertain: uniq(uncertain),
    };
  }

  // ---------------------------------------------------------------- internals

  private labelsOf(ep: ModelEndpoint): { labels: Map<string, string>; nsLabels?: Map<string, string> } {
    if (ep.entity !== undefined) {
      const labels = new Map<string, string>();
      labels.set(`reserved:${ep.entity}`, '');
      return { labels };
    }
    const ns = ep.namespace ?? 'default';
    // Endpoints given one labels object (reps of many tenants) share one map: nothing changes a map once built.
    let labels = ep.labels === undefined ? undefined : this.podLabelMaps.get(ep.labels);
    if (labels === undefined) {
      labels = new Map<string, string>();
      // A pod cannot carry labels of its namespace (Cilium strips such pod labels): all pods of a namespace share its keys.
      for (const [k, v] of Object.entries(ep.labels ?? {})) {
        const full = this.k8sKey(k);
        if (!isNamespaceKey(full)) labels.set(full, v);
      }
      if (!labels.has('k8s:io.cilium.k8s.policy.serviceaccount')) labels.set('k8s:io.cilium.k8s.policy.serviceaccount', 'default');
      if (ep.labels !== undefined) this.podLabelMaps.set(ep.labels, labels);
    }
    let nsLabels = this.nsLabelMaps.get(ns);
    // Stryker disable next-line ConditionalExpression: a namespace's labels built again are the same labels
    if (!nsLabels) {
      nsLabels = new Map();
      const fromNamespace = this.model.namespaceLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
      for (const [k, v] of Object.entries(fromNamespace)) nsLabels.set(this.k8sKey(`${NS_LABELS}${k}`), v);
      nsLabels.set(`k8s:${POD_NAMESPACE}`, ns);
      nsLabels.set('k8s:io.cilium.k8s.policy.cluster', 'default');
      this.nsLabelMaps.set(ns, nsLabels);
    }
    return { labels, nsLabels };
  }

  /** `k8s:<key>`, one string per key. */
  private k8sKey(k: string): string {
    let full = this.k8sKeys.get(k);
    // Stryker disable next-line ConditionalExpression: the key built again is the same string
    if (full === undefined) this.k8sKeys.set(k, (full = `k8s:${k}`));
    return full;
  }

  /**
   * Identities carrying the label `full` (`source:key`), by value, and all
   * of them under `exists`; built when a selector first names the key.
   */
  private labelIndex(full: string): { exists: number[]; byValue: Map<string, number[]> } {
    let index = this.labelIndexes.get(full);
    if (!index) {
      index = { exists: [], byValue: new Map() };
      for (const id of this.identities) {
        const v = id.labels.get(full);
        // Stryker disable next-line ConditionalExpression: listing identities without the label only adds candidates, which match() tests again
        if (v === undefined) continue;
        index.exists.push(id.index);
        let list = index.byValue.get(v);
        if (!list) index.byValue.set(v, (list = []));
        list.push(id.index);
      }
      this.labelIndexes.set(full, index);
    }
    return index;
  }

  /** `labelIndex` lookup: identities with label `full`, or with it at `value`. */
  private indexed(full: string, value?: string): number[] {
    const index = this.labelIndex(full);
    // Stryker disable next-line ConditionalExpression: every identity with the label is a superset of candidates for one value
    return value === undefined ? index.exists : index.byValue.get(value) ?? [];
  }


  private indexPush(key: string, i: number): void {
    let list = this.index.get(key);
    if (!list) this.index.set(key, (list = []));
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a duplicate in an index list costs time (candidates; fromSorted drops it)
    if (list[list.length - 1] !== i) list.push(i);
  }

  /** Identities carrying `key` (with `=value` when given) from source `src` (`any`: every source). */
  private lookup(src: string, key: string, value?: string): number[] {
    // Lookups give candidates only (match() tests every requirement on them): a superset, sorted, is equivalent.
    // Keys derived from the namespace never get here: a positive requirement on one sends match() to matchByNamespace.
    // Stryker disable next-line ConditionalExpression: for k8s or another source, adding the reserved: list gives a superset of candidates
    if (src !== 'any') return this.indexed(`${src}:${key}`, value);
    const k8s = this.indexed(`k8s:${key}`, value);
    const reserved = this.indexed(`reserved:${key}`, value);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: shortcut, the union below gives the same members
    if (reserved.length === 0) return k8s;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: shortcut, the union below gives the same members
    if (k8s.length === 0) return reserved;
    return [...new Set([...k8s, ...reserved])].sort((a, b) => a - b);
  }

  private noteUncertain(what: string): string {
    if (!this.uncertainSeen.has(what)) {
      this.uncertainSeen.add(what);
      this.uncertain.push(what);
    }
    return what;
  }

  private compileSpec(ps: ParsedSpec): void {
    const spec = ps.spec;
    const name = ps.where ? `${ps.object} ${ps.where}` : ps.object;
    let subjects: Intervals;
    if (spec.endpointSelector !== undefined && spec.endpointSelector !== null) {
      const reqs = this.selectorRequirements(spec.endpointSelector, name);
      if (reqs === undefined) return;
      if (!ps.clusterwide) reqs.push({ src: 'k8s', key: POD_NAMESPACE, op: 'In', values: [ps.namespace!] });
      subjects = this.match(reqs, true);
    } else if (spec.nodeSelector !== undefined && spec.nodeSelector !== null) {
      // Host policy: selects nodes. Node labels are not modelled: `{}` is every
      // node; a selector with labels may or may not select a node.
      if (isEmptySelector(spec.nodeSelector)) {
        subjects = this.nodes;
      } else {
        if (this.nodes.length === 0) return;
        this.noteUncertain(`${name}: nodeSelector ${JSON.stringify(spec.nodeSelector)} (node labels are not modelled)`);
        // upper: the policy selects no node (nothing enforced); lower: every node
        if (this.bound === 'upper') return;
        subjects = this.nodes;
      }
    } else {
      this.model.warn(`${name} has neither endpointSelector nor nodeSelector; ignored`);
      return;
    }
    if (subjects.length === 0) return;
    const subjectList = iv.toList(subjects);

    for (const direction of ['ingress', 'egress'] as const) {
      const allowRules = spec[direction];
      const denyKey = direction === 'ingress' ? 'ingressDeny' : 'egressDeny';
      const denyRules = spec[denyKey];
      const hasRules = nonEmptyArray(allowRules) || nonEmptyArray(denyRules);
      const explicit = spec.enableDefaultDeny?.[direction];
      const enforce = typeof explicit === 'boolean' ? explicit : hasRules;
      if (enforce) {
        const bits = direction === 'ingress' ? this.ingressEnforced : this.egressEnforced;
        const by = direction === 'ingress' ? this.ingressEnforcedBy : this.egressEnforcedBy;
        for (const i of subjectList) {
          if (!bits[i]) {
            bits[i] = 1;
            by[i] = name;
          }
        }
      }
      for (const [list, deny, key] of [[allowRules, false, direction], [denyRules, true, denyKey]] as const) {
        if (!nonEmptyArray(list)) continue;
        list.forEach((rule: any, index: number) => {
          if (rule === null || typeof rule !== 'object') return;
          const ruleName = ps.ruleNames?.[key][index] ?? `${ps.where ? ps.where + ' ' : ''}${key}[${index}]`;
          const full = `${ps.object} ${ruleName}`;
          const why: string[] = [];
          const peers = this.rulePeers(rule, direction, deny, full, why, ps);
          if (peers.length === 0) return;
          const certain = this.bound === 'upper' ? !deny : deny; // whether "maybe" counts as a match
          // A port named by name resolves per pod: one rule per group of the pods it applies to
          // (the selected pods on ingress, the peers on egress) that resolve it alike.
          const named = namedPortsOf(rule);
          // Stryker disable next-line ConditionalExpression: without named ports the groups are one, of all the targets: the same rule
          const groups = named.length === 0 ? [undefined] : this.namedPortGroups(named, direction === 'ingress' ? subjects : peers, direction);
          for (const group of groups) {
            // Rules naming the same ports (resolved alike) share one matcher (and what makes it uncertain).
            // Stryker disable next-line StringLiteral: any constant suffix names the rules without named ports alike
            const groupKey = group?.key ?? '';
            const portsKey = `${certain ? 1 : 0}${JSON.stringify([rule.toPorts, rule.icmps])}${groupKey}`;
            let matcher = this.portMatchers.get(portsKey);
            // Stryker disable next-line ConditionalExpression: a memo miss builds an equal matcher
            if (!matcher) {
              const portWhy: string[] = [];
              const ports = this.portMatcher(rule, portWhy, group?.resolved);
              matcher = {
                ports: (p) => {
                  const t = ports(p);
                  return t === 1 || (t === 2 && certain);
                },
                why: portWhy,
              };
              this.portMatchers.set(portsKey, matcher);
            }
            const ruleWhy = [...why, ...matcher.why];
            const compiled: CompiledRule = {
              policy: ps.object,
              rule: ruleName,
              direction,
              deny,
              subjects: group && direction === 'ingress' ? group.targets : subjects,
              peers: group && direction === 'egress' ? group.targets : peers,
              ports: matcher.ports,
              uncertain: ruleWhy.length > 0 ? this.noteUncertain(`${full}: ${ruleWhy.join('; ')}`) : undefined,
            };
            const ri = this.rules.length;
            this.rules.push(compiled);
            if (direction === 'egress') {
              for (const s of subjectList) addRule(this.egressBySubject, s, ri);
            } else {
              iv.forEach(compiled.peers, (p) => addRule(this.ingressByPeer, p, ri));
            }
          }
        });
      }
    }
  }

  /**
   * Peers of a rule at this evaluation's bound. Uncertain parts are named in
   * `why`; they count as matching at the permissive end (allow rules at the
   * upper bound, deny rules at the lower bound).
   */
  private rulePeers(rule: any, direction: 'ingress' | 'egress', deny: boolean, name: string, why: string[], ps: ParsedSpec): Intervals {
    const from = direction === 'ingress' ? 'from' : 'to';
    const maybeCounts = this.bound === 'upper' ? !deny : deny;
    let hasL3 = false;
    const parts: Intervals[] = [];
    const maybe = (set: Intervals, what: string) => {
      why.push(what);
      if (maybeCounts) parts.push(set);
    };
    const selectors = rule[`${from}Endpoints`];
    if (nonEmptyArray(selectors)) {
      hasL3 = true;
      for (const sel of selectors) {
        const reqs = this.selectorRequirements(sel, name);
        if (reqs === undefined) continue;
        this.narrow(reqs, ps);
        parts.push(this.match(reqs, false));
      }
    }
    const entities = rule[`${from}Entities`];
    if (nonEmptyArray(entities)) {
      hasL3 = true;
      for (const ent of entities) {
        if (!ENTITY_NAMES.has(ent)) {
          this.model.warn(`${name}: unknown entity ${JSON.stringify(ent)} matches nothing`);
          continue;
        }
        parts.push(iv.fromSorted(this.index.get(`entity:${ent}`) ?? []));
      }
    }
    const cidrs: Array<{ cidr: unknown; except?: unknown[] }> = [];
    if (nonEmptyArray(rule[`${from}CIDR`])) {
      hasL3 = true;
      for (const c of rule[`${from}CIDR`]) cidrs.push({ cidr: c });
    }
    if (nonEmptyArray(rule[`${from}CIDRSet`])) {
      hasL3 = true;
      for (const c of rule[`${from}CIDRSet`]) {
        if (c?.cidr === undefined) {
          maybe(this.nonPods(), `CIDR group ${JSON.stringify(c?.cidrGroupRef ?? c?.cidrGroupSelector ?? c)} (CIDR groups are not modelled)`);
          continue;
        }
        cidrs.push({ cidr: c.cidr, except: c.except });
      }
    }
    for (const c of cidrs) {
      const r = parseCidr(c.cidr);
      if (!r) {
        maybe(this.nonPods(), `CIDR ${JSON.stringify(c.cidr)} (not a valid IPv4 or IPv6 CIDR; the API server would refuse the policy)`);
        continue;
      }
      // An IPv6 prefix never contains an IPv4 address, nor the reverse: each except applies within its family.
      // Stryker disable next-line ArrayDeclaration: a non-array except has no ranges either way (the placeholder is no CIDR and is filtered out)
      const excepts = (Array.isArray(c.except) ? c.except : []).map(parseCidr).filter((x): x is NonNullable<typeof x> => !!x && x.v6 === r.v6);
      const ids: number[] = [];
      for (const id of this.identities) {
        const ip = id.ip;
        if (id.isPod || ip === undefined || ip.v6 !== r.v6) continue;
        if (ip.n < r.first || ip.n > r.last) continue;
        if (excepts.some((x) => ip.n >= x.first && ip.n <= x.last)) continue;
        ids.push(id.index);
      }
      parts.push(iv.fromSorted(ids));
    }
    if (direction === 'egress' && nonEmptyArray(rule.toFQDNs)) {
      hasL3 = true;
      const names = rule.toFQDNs.map((f: any) => f?.matchName ?? f?.matchPattern).filter((x: unknown) => x !== undefined);
      maybe(iv.fromSorted(this.index.get('entity:world') ?? []), `toFQDNs ${JSON.stringify(names)} (which addresses a name resolves to is not known offline)`);
    }
    const nodes = rule[`${from}Nodes`];
    if (nonEmptyArray(nodes)) {
      hasL3 = true;
      for (const sel of nodes) {
        if (isEmptySelector(sel)) parts.push(this.nodes);
        else maybe(this.nodes, `${from}Nodes ${JSON.stringify(sel)} (node labels are not modelled)`);
      }
    }
    if (nonEmptyArray(rule[`${from}Services`])) {
      hasL3 = true;
      maybe(this.all, `${from}Services ${JSON.stringify(rule[`${from}Services`]).slice(0, 200)} (Service backends are not modelled)`);
    }
    if (nonEmptyArray(rule[`${from}Groups`])) {
      hasL3 = true;
      maybe(this.nonPods(), `${from}Groups (cloud provider groups are not modelled)`);
    }
    let result: Intervals;
    if (!hasL3) {
      // L4-only rule: every peer on the given ports. No ports either: nothing.
      result = nonEmptyArray(rule.toPorts) || nonEmptyArray(rule.icmps) ? this.all : iv.EMPTY;
    } else {
      result = iv.unionMany(parts);
    }
    if (nonEmptyArray(rule[`${from}Requires`])) {
      // A further requirement on the peers: at the permissive end ignored, at the restrictive end nothing matches.
      why.push(`${from}Requires (not modelled)`);
      if (!maybeCounts) result = iv.EMPTY;
    }
    return result;
  }

  private nonPods(): Intervals {
    return iv.subtract(this.all, this.allPods);
  }

  /**
   * The identities among `targets` grouped by how they resolve the named
   * ports `named` (a group per resolution, `key` naming it). On ingress a
   * named port is the selected pod's own container port: resolved exactly
   * when the pod's ports are known. On egress it is the peer's; Cilium
   * releases before cilium/cilium#44429 resolve it cluster-wide (every
   * number any pod gives the name, applied to every peer), later ones by the
   * peer's identity: a peer that names the port gets its number (certain
   * when no pod gives the name another number), any other peer the
   * cluster-wide numbers as "maybe".
   */
  private namedPortGroups(named: Array<{ name: string; proto: string }>, targets: Intervals, direction: 'ingress' | 'egress'):
  Array<{ key: string; targets: Intervals; resolved: Map<string, Resolution> }> {
    const resolve = (p: NamedPort | undefined, proto: string) => (p && (proto === 'ANY' || proto === p.protocol.toUpperCase()) ? p : undefined);
    // cluster-wide: name/protocol -> the numbers pods give it
    const global = new Map<string, NamedPort[]>();
    for (const e of named) {
      const k = `${e.name}/${e.proto}`;
      // Stryker disable next-line ConditionalExpression: a name given twice resolves to the same numbers
      if (global.has(k)) continue;
      const seen = new Map<string, NamedPort>();
      for (const id of this.identities) {
        const p = resolve(id.ports?.[e.name], e.proto);
        if (!p) continue;
        const protocol = p.protocol.toUpperCase();
        seen.set(`${p.port}/${protocol}`, { port: p.port, protocol });
      }
      // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator,LogicalOperator,ConditionalExpression,EqualityOperator,UnaryOperator,NumericLiteral: the order of the maybe-ports only orders the matcher's entries
      global.set(k, [...seen.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1)));
    }
    const groups = new Map<string, { key: string; ids: number[]; resolved: Map<string, Resolution> }>();
    iv.forEach(targets, (i) => {
      const id = this.identities[i];
      const resolved = new Map<string, Resolution>();
      for (const e of named) {
        const k = `${e.name}/${e.proto}`;
        // Stryker disable next-line ConditionalExpression: a name given twice resolves the same way
        if (resolved.has(k)) continue;
        const everywhere = global.get(k)!;
        let r: Resolution;
        // Stryker disable next-line BlockStatement: an unset resolution reads as unknown too
        if (id.isPod && id.ports === undefined) {
          r = 'unknown';
        } else if (direction === 'ingress') {
          const own = resolve(id.ports?.[e.name], e.proto);
          r = own ? [{ port: own.port, protocol: own.protocol.toUpperCase(), tri: 1 }] : [];
        } else {
          const own = resolve(id.ports?.[e.name], e.proto);
          r = own
            ? [{ port: own.port, protocol: own.protocol.toUpperCase(), tri: everywhere.length === 1 ? 1 : 2 }]
            : everywhere.map((p) => ({ ...p, tri: 2 as Tri }));
        }
        resolved.set(k, r);
      }
      const key = `|named:${JSON.stringify([...resolved])}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, ids: [], resolved }));
      g.ids.push(i);
    });
    return [...groups.values()].map((g) => ({ key: g.key, targets: iv.fromSorted(g.ids), resolved: g.resolved }));
  }

  private portMatcher(rule: any, why: string[], resolved?: Map<string, Resolution>): PortMatcher {
    const hasPorts = nonEmptyArray(rule.toPorts);
    const hasIcmp = nonEmptyArray(rule.icmps);
    if (!hasPorts && !hasIcmp) return () => 1;
    // Stryker disable next-line ArrayDeclaration: a placeholder entry has no protocol, so it never matches a probe
    const entries: Array<{ from: number; to: number; proto: string; tri: Tri }> = [];
    for (const tp of hasPorts ? rule.toPorts : []) {
      const l7 = l7Uncertainty(tp);
      if (l7) why.push(l7);
      const tri: Tri = l7 ? 2 : 1;
      const ports = nonEmptyArray(tp?.ports) ? tp.ports : [{}];
      for (const p of ports) {
        const proto = String(p?.protocol ?? 'ANY').toUpperCase();
        const raw = p?.port;
        if (raw === undefined || raw === null || raw === '' || String(raw) === '0') {
          entries.push({ from: 0, to: 65535, proto, tri });
          continue;
        }
        const num = Number(raw);
        // Stryker disable next-line EqualityOperator: port 0 is every port (handled above), so num <= 0 and num < 0 agree here
        if (!Number.isInteger(num) || num < 0 || num > 65535) {
          // Stryker disable next-line OptionalChaining: a rule naming a port by name always comes with its resolution
          const r = resolved?.get(`${String(raw)}/${proto}`);
          if (r === undefined || r === 'unknown') {
            why.push(`named port ${JSON.stringify(raw)} (the container ports of the pods it applies to are not known)`);
            entries.push({ from: 0, to: 65535, proto, tri: 2 });
            continue;
          }
          for (const x of r) {
            if (x.tri === 2) why.push(`named port ${JSON.stringify(raw)} is ${x.protocol}/${x.port} on some pods only (Cilium releases resolve it differently)`);
            entries.push({ from: x.port, to: x.port, proto: x.protocol, tri: x.tri === 1 ? tri : 2 });
          }
          continue;
        }
        // Stryker disable next-line ConditionalExpression,LogicalOperator: Number(undefined) is NaN and Number(null) is 0 (never above num): both fall back to num below
        const end = p.endPort !== undefined && p.endPort !== null ? Number(p.endPort) : num;
        // Stryker disable next-line EqualityOperator: end === num gives num either way
        entries.push({ from: num, to: Number.isInteger(end) && end >= num ? end : num, proto, tri });
      }
    }
    // Stryker disable next-line ArrayDeclaration: the placeholder has no fields, so it adds no entry
    for (const ic of hasIcmp ? rule.icmps : []) {
      for (const f of Array.isArray(ic?.fields) ? ic.fields : []) {
        const t = icmpType(f);
        if (t === undefined) {
          why.push(`ICMP type ${JSON.stringify(f?.type)} of family ${JSON.stringify(f?.family ?? 'IPv4')} (not modelled)`);
          entries.push({ from: 0, to: 255, proto: f?.family === 'IPv6' ? 'ICMPv6' : 'ICMP', tri: 2 });
        } else {
          entries.push({ from: t.type, to: t.type, proto: t.protocol, tri: 1 });
        }
      }
    }
    return (probe: Probe) => {
      let best: Tri = 0;
      for (const e of entries) {
        const protoOk = e.proto === probe.protocol || (e.proto === 'ANY' && probe.protocol !== 'ICMP' && probe.protocol !== 'ICMPv6');
        if (protoOk && probe.port >= e.from && probe.port <= e.to) {
          if (e.tri === 1) return 1;
          best = 2;
        }
      }
      return best;
    };
  }

  /** Requirements of a label selector, or undefined when it is malformed (matches nothing). */
  private selectorRequirements(sel: any, policy: string): Requirement[] | undefined {
    if (sel === null || typeof sel !== 'object') {
      this.model.warn(`${policy}: malformed selector ${JSON.stringify(sel)} matches nothing`);
      return undefined;
    }
    const reqs: Requirement[] = [];
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
      const { src, key } = parseKey(k);
      reqs.push({ src, key, op: 'In', values: [String(v ?? '')] });
    }
    for (const e of sel.matchExpressions ?? []) {
      const { src, key } = parseKey(String(e?.key ?? ''));
      const op = e?.operator;
      if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
        this.model.warn(`${policy}: unknown selector operator ${JSON.stringify(op)}; the selector matches nothing`);
        return undefined;
      }
      reqs.push({ src, key, op, values: (e.values ?? []).map(String) });
    }
    return reqs;
  }

  /** Cilium's namespace narrowing of fromEndpoints/toEndpoints selectors (facts §9). */
  private narrow(reqs: Requirement[], ps: ParsedSpec): void {
    const onNamespace = reqs.filter((r) => (r.src === 'k8s' || r.src === 'any') && (r.key === POD_NAMESPACE || r.key.startsWith(NS_LABELS)));
    const namesReserved = reqs.some((r) => r.src === 'reserved');
    if (namesReserved) return;
    if (onNamespace.length > 0) {
      // Cilium 1.20 requires a namespace of every peer of a namespaced policy (cilium/cilium#46996);
      // 1.19 does not when the selector names the namespace only negatively (cilium/cilium#46949).
      const positive = onNamespace.some((r) => r.op === 'In' || r.op === 'Exists');
      // Stryker disable next-line ArrayDeclaration: Exists ignores its values
      if (this.model.ciliumVersion !== '1.19' && !ps.clusterwide && !positive) reqs.push({ src: 'k8s', key: POD_NAMESPACE, op: 'Exists', values: [] });
      return;
    }
    // Stryker disable next-line ArrayDeclaration: Exists ignores its values
    if (ps.clusterwide) reqs.push({ src: 'k8s', key: POD_NAMESPACE, op: 'Exists', values: [] });
    else reqs.push({ src: 'k8s', key: POD_NAMESPACE, op: 'In', values: [ps.namespace!] });
  }

  private test(id: Identity, r: Requirement): boolean {
    let v: string | undefined;
    if (r.full === undefined) r.full = `${r.src === 'any' ? 'k8s' : r.src}:${r.key}`;
    v = id.labels.get(r.full) ?? id.nsLabels?.get(r.full);
    if (v === undefined && r.src === 'any') {
      if (r.reserved === undefined) r.reserved = `reserved:${r.key}`;
      v = id.labels.get(r.reserved);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,BooleanLiteral: the Set only speeds up long lists: has() and includes() agree
    if (r.values.length > 8 && !r.set) r.set = new Set(r.values);
    switch (r.op) {
      // Stryker disable next-line ConditionalExpression: values are strings, so an absent label (undefined) is never among them; Set or list give the same answer
      case 'In': return v !== undefined && (r.set ? r.set.has(v) : r.values.includes(v));
      // Stryker disable next-line ConditionalExpression: values are strings, so an absent label (undefined) is never among them; Set or list give the same answer
      case 'NotIn': return v === undefined || !(r.set ? r.set.has(v) : r.values.includes(v));
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
    }
  }

  /** Identities matching all requirements (pods only when `podsOnly`). */
  private match(reqs: Requirement[], podsOnly: boolean): Intervals {
    const nsReqs = reqs.filter((r) => (r.src === 'k8s' || r.src === 'any') && isNamespaceKey(`k8s:${r.key}`));
    // Only pods carry namespace labels: with a positive namespace requirement (or pods only), the namespaces decide first.
    if (nsReqs.length > 0 && (podsOnly || nsReqs.some((r) => r.op === 'In' || r.op === 'Exists'))) return this.matchByNamespace(reqs, nsReqs);
    // Candidates from the most selective positive requirement, via the index.
    // Single lists first (cheap), then multi-value In only when smaller still.
    let best: number[] | undefined = podsOnly ? (this.index.get('pod') ?? []) : undefined;
    // Stryker disable next-line BlockStatement: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
    for (const r of reqs) {
      let list: number[] | undefined;
      // Stryker disable ConditionalExpression,StringLiteral: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
      if (r.op === 'Exists') list = this.lookup(r.src, r.key);
      else if (r.op === 'In' && r.values.length === 1) list = this.lookup(r.src, r.key, r.values[0]);
      // Stryker restore ConditionalExpression,StringLiteral
      // Stryker disable next-line ConditionalExpression,EqualityOperator: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
      if (list !== undefined && (best === undefined || list.length < best.length)) best = list;
    }
    // Stryker disable next-line BlockStatement: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
    for (const r of reqs) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
      if (r.op !== 'In' || r.values.length < 2) continue;
      const lists = r.values.map((v) => this.lookup(r.src, r.key, v));
      // Stryker disable next-line ArrowFunction,ArithmeticOperator: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
      const total = lists.reduce((acc, l) => acc + l.length, 0);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
      if (best !== undefined && total >= best.length) continue;
      best = [...new Set(lists.flat())].sort((x, y) => x - y);
    }
    const base: ArrayLike<number> = best ?? Array.from({ length: this.n }, (_, i) => i);
    const out: number[] = [];
    for (let k = 0; k < base.length; k++) {
      const i = base[k];
      const id = this.identities[i];
      if (podsOnly && !id.isPod) continue;
      let ok = true;
      for (const r of reqs) {
        if (!this.test(id, r)) {
          ok = false;
          break;
        }
      }
      if (ok) out.push(i);
    }
    return iv.fromSorted(out);
  }

  /**
   * `match` for pods only, namespace by namespace: the requirements on
   * namespace-derived labels are tested once per namespace (every pod of a
   * namespace carries the same ones), the others per pod of the namespaces
   * that pass.
   */
  private matchByNamespace(reqs: Requirement[], nsReqs: Requirement[]): Intervals {
    const podReqs = reqs.filter((r) => !nsReqs.includes(r));
    // Candidate namespaces: those of the most selective positive requirement's index entry, else all.
    let candidates: string[] | undefined;
    for (const r of nsReqs) {
      let list: string[] | undefined;
      // Stryker disable next-line ConditionalExpression,StringLiteral: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
      if (r.op === 'Exists') list = this.nsIndex.get(`k8s:${r.key}`) ?? [];
      else if (r.op === 'In' && r.values.length === 1) list = this.nsIndex.get(`k8s:${r.key}=${r.values[0]}`) ?? [];
      // Stryker disable next-line ConditionalExpression,EqualityOperator: candidate choice is a speed-up: every candidate list holds all matches, and each candidate is tested against all requirements below
      if (list !== undefined && (candidates === undefined || list.length < candidates.length)) candidates = list;
    }
    const parts: Intervals[] = [];
    const pods: number[] = [];
    for (const ns of candidates ?? this.nsMembers.keys()) {
      const members = this.nsMembers.get(ns)!;
      const first = this.identities[members[0]];
      if (!nsReqs.every((r) => this.test(first, r))) continue;
      if (podReqs.length === 0) {
        let range = this.nsRanges.get(ns);
        // Stryker disable next-line ConditionalExpression: a namespace's set built again is the same set
        if (!range) this.nsRanges.set(ns, (range = iv.fromSorted(members)));
        parts.push(range);
        continue;
      }
      for (const i of members) if (podReqs.every((r) => this.test(this.identities[i], r))) pods.push(i);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: fromList of no pods is the empty set, which the union ignores
    if (pods.length > 0) parts.push(iv.fromList(pods));
    return iv.unionMany(parts);
  }
}

/** Why an L7 section makes a port rule uncertain, or undefined when it allows every request. */
function l7Uncertainty(tp: any): string | undefined {
  if (!isObject(tp)) return undefined;
  const parts: string[] = [];
  if (isObject(tp.rules)) {
    for (const [k, v] of Object.entries(tp.rules)) {
      if (!nonEmptyArray(v)) continue;
      const wildcard = (k === 'dns' && v.every((r: any) => r?.matchPattern === '*')) || (k === 'http' && v.every((r: any) => isObject(r) && Object.keys(r).length === 0));
      if (!wildcard) parts.push(k);
    }
  }
  if (nonEmptyArray(tp.serverNames)) parts.push('serverNames');
  if (tp.listener !== undefined) parts.push('listener');
  if (tp.terminatingTLS !== undefined || tp.originatingTLS !== undefined) parts.push('TLS');
  return parts.length > 0 ? `L7 rules (${parts.join(', ')}) filter requests on the port (not modelled)` : undefined;
}

/** Whether a pod label key comes from the pod's namespace (the same for every pod there). */
// Stryker disable next-line BlockStatement: a key wrongly not namespace-derived is looked up in the per-identity index, with the same result
function isNamespaceKey(k: string): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,MethodExpression,StringLiteral: a key wrongly not namespace-derived is looked up in the per-identity index, with the same result
  return k.startsWith(`k8s:${NS_LABELS}`) || k === `k8s:${POD_NAMESPACE}` || k === 'k8s:io.cilium.k8s.policy.cluster';
}

/** The entities of every pod (one set for all of them). */
const POD_ENTITIES: ReadonlySet<string> = new Set(['cluster', 'all']);

function entitiesOf(ep: ModelEndpoint): ReadonlySet<string> {
  // Stryker disable next-line ConditionalExpression: a pod then also gets the entity `undefined`, which no rule can name
  if (ep.entity === undefined) return POD_ENTITIES;
  switch (ep.entity) {
    case 'world': {
      const v6 = typeof ep.ip === 'string' && ep.ip.includes(':');
      return new Set(['world', v6 ? 'world-ipv6' : 'world-ipv4', 'all']);
    }
    default:
      return new Set([ep.entity, 'cluster', 'all']);
  }
}

/**
 * The ICMP protocol and type of an `icmps[].fields[]` entry (`family` IPv4,
 * the default, or IPv6; `type` a number 0-255 or a name of that family, as
 * Cilium maps `{family: IPv6, type: EchoRequest}` to ICMPv6 type 128 only),
 * or undefined when the model cannot read it.
 */
function icmpType(f: any): { protocol: 'ICMP' | 'ICMPv6'; type: number } | undefined {
  if (!isObject(f)) return undefined;
  const family = f.family === undefined || f.family === null || f.family === '' ? 'IPv4' : f.family;
  if (family !== 'IPv4' && family !== 'IPv6') return undefined;
  const names = family === 'IPv6' ? ICMPV6_NAMES : ICMP_NAMES;
  const raw = f.type;
  const t = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : names[String(raw)];
  if (!Number.isInteger(t) || t < 0 || t > 255) return undefined;
  return { protocol: family === 'IPv6' ? 'ICMPv6' : 'ICMP', type: t };
}

/** A range of ports (or ICMP types) of one protocol that some rule or intention names. @internal */
export interface PortRange {
  readonly protocol: ProbeProtocol;
  readonly from: number;
  readonly to: number;
}

const L4: L4Protocol[] = ['TCP', 'UDP', 'SCTP'];

/**
 * Every numeric port range (`port`..`endPort`, per protocol; `ANY` counts
 * for TCP, UDP and SCTP) and ICMP type (per family) that the policies among
 * `objects` name. Two packets whose ports fall in the same classes of these
 * ranges are treated alike by every rule.
 * @internal
 */
export function portRangesOf(objects: any[]): PortRange[] {
  const out: PortRange[] = [];
  const ports = (tps: unknown) => {
    for (const tp of Array.isArray(tps) ? tps : []) {
      for (const p of Array.isArray(tp?.ports) ? tp.ports : []) {
        const raw = p?.port;
        if (raw === undefined || raw === null || raw === '' || String(raw) === '0') continue;
        const num = Number(raw);
        if (!Number.isInteger(num) || num < 1 || num > 65535) continue;
        const end = p.endPort !== undefined && p.endPort !== null ? Number(p.endPort) : num;
        const to = Number.isInteger(end) && end >= num ? Math.min(end, 65535) : num;
        const proto = String(p?.protocol ?? 'ANY').toUpperCase();
        for (const protocol of L4) if (proto === protocol || proto === 'ANY') out.push({ protocol, from: num, to });
      }
    }
  };
  const icmps = (list: unknown) => {
    for (const ic of Array.isArray(list) ? list : []) {
      for (const f of Array.isArray(ic?.fields) ? ic.fields : []) {
        const t = icmpType(f);
        if (t) out.push({ protocol: t.protocol, from: t.type, to: t.type });
      }
    }
  };
  const rules = (list: unknown) => {
    for (const r of Array.isArray(list) ? list : []) {
      if (!isObject(r)) continue;
      ports(r.toPorts);
      icmps(r.icmps);
    }
  };
  for (const o of objects ?? []) {
    if (!isObject(o)) continue;
    if (o.kind === 'NetworkPolicy') {
      for (const dir of ['ingress', 'egress']) {
        for (const r of Array.isArray(o.spec?.[dir]) ? o.spec[dir] : []) {
          if (isObject(r) && Array.isArray(r.ports)) ports([{ ports: r.ports.map((p: any) => ({ ...p, protocol: p?.protocol ?? 'TCP' })) }]);
        }
      }
    } else if (o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy') {
      for (const spec of [o.spec, ...(Array.isArray(o.specs) ? o.specs : [])]) {
        if (!isObject(spec)) continue;
        for (const dir of ['ingress', 'egress', 'ingressDeny', 'egressDeny']) rules(spec[dir]);
      }
    }
  }
  return out;
}

/**
 * The probes that cover every class of (protocol, port) the ranges
 * distinguish: two ports of one protocol are in the same class when every
 * range contains both or neither. One probe per class: the first of
 * `preferred` in it (in order), else its lowest port (type). Protocols: TCP,
 * UDP, SCTP (ports 1-65535), ICMP and ICMPv6 (types 0-255). Any packet's
 * (protocol, port) then lies in the class of exactly one probe, and every
 * rule treats the two alike.
 * @internal
 */
export function probeClasses(ranges: PortRange[], preferred: Probe[]): Probe[] {
  const chosen = new Map<string, Probe>();
  const order: string[] = [];
  for (const protocol of [...L4, 'ICMP', 'ICMPv6'] as ProbeProtocol[]) {
    const icmp = protocol === 'ICMP' || protocol === 'ICMPv6';
    const lo = icmp ? 0 : 1;
    const hi = icmp ? 255 : 65535;
    const mine = ranges.filter((r) => r.protocol === protocol);
    const cuts = new Set<number>([lo, hi + 1]);
    for (const r of mine) {
      cuts.add(Math.max(lo, r.from));
      cuts.add(Math.min(hi, r.to) + 1);
    }
    const sorted = [...cuts].sort((a, b) => a - b);
    // the membership of a port in every range names its class
    const classOf = (port: number) => `${protocol}|${mine.map((r) => (port >= r.from && port <= r.to ? 1 : 0)).join('')}`;
    for (const p of preferred) {
      if (p.protocol !== protocol || p.port < lo || p.port > hi) continue;
      const k = classOf(p.port);
      if (!chosen.has(k)) chosen.set(k, p);
    }
    for (let i = 0; i + 1 < sorted.length; i++) {
      const k = classOf(sorted[i]);
      if (!chosen.has(k)) chosen.set(k, { protocol, port: sorted[i] });
      order.push(k);
    }
  }
  // preferred probes first, in their order; then the other classes
  const out: Probe[] = [];
  const seen = new Set<Probe>();
  for (const p of preferred) {
    const probe = [...chosen.values()].find((x) => x === p);
    if (probe && !seen.has(probe)) {
      seen.add(probe);
      out.push(probe);
    }
  }
  for (const k of order) {
    const probe = chosen.get(k)!;
    if (!seen.has(probe)) {
      seen.add(probe);
      out.push(probe);
    }
  }
  return out;
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
