/**
 * An offline model of Cilium's L3/L4 policy enforcement, enough to compute
 * which endpoint may open a connection to which other endpoint on which
 * port. Internal to the verifier (not part of the jsii API).
 *
 * What is modelled (facts §9 is authoritative where it speaks):
 * - `CiliumNetworkPolicy` (namespaced) and `CiliumClusterwideNetworkPolicy`,
 *   both `spec` and `specs`; `endpointSelector` (a namespaced policy selects
 *   pods of its own namespace only; a cluster-wide one pods of any
 *   namespace); specs with only a `nodeSelector` are host policies and do not
 *   apply to pods.
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
 *   mode). `toFQDNs` is approximated as "the world".
 * - `toPorts`: `port` (number, or `0`/absent for all), `endPort` ranges,
 *   protocol TCP/UDP/SCTP/ANY (default ANY). A rule with ports but no peers
 *   applies to every peer; a rule with neither applies to none. L7 rules are
 *   treated as allowing the port. ICMP-only rules never match TCP/UDP/SCTP.
 * Not modelled (reported as warnings): named ports, `toServices`,
 *   `toGroups`, `fromRequires`/`toRequires`, CIDR group references, node
 *   selectors inside `fromNodes`/`toNodes` (any node matches), Kubernetes
 *   `NetworkPolicy` objects.
 *
 * Work is done per identity (the distinct label set of endpoints), with bit
 * sets: rows of the reachability matrix are OR/AND-NOT of the peer sets of
 * the few rules that select the source (egress) or name it as a peer
 * (ingress).
 */
import { andInto, andNotInto, fullBits, hasBit, IdSet, newBits, setBit } from './bitset';

export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A port and protocol a connection is probed on. */
export interface Probe {
  readonly port: number;
  readonly protocol: L4Protocol;
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
}

export interface ModelOptions {
  /**
   * Namespace labels to add (or override) for namespaces, e.g. namespaces
   * that exist in the cluster but are not among the objects.
   */
  readonly namespaces?: Record<string, Record<string, string>>;
}

const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
const NS_LABELS = 'io.cilium.k8s.namespace.labels.';
const KNOWN_SOURCES = new Set(['k8s', 'any', 'reserved', 'container', 'unspec', 'cidr', 'fqdn', 'kvstore', 'cilium-generated', 'cni', 'cilium']);
const ENTITY_NAMES = new Set(['all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'init', 'health', 'unmanaged', 'ingress']);
const DEFAULT_WORLD_IP = '203.0.113.10';

/** One identity: a distinct label set. */
export interface Identity {
  readonly index: number;
  /** `source:key` -> value */
  readonly labels: Map<string, string>;
  /** key (any source) -> value */
  readonly byKey: Map<string, string>;
  readonly isPod: boolean;
  readonly namespace?: string;
  readonly entities: Set<string>;
  readonly ip?: number;
  /** Endpoints with this identity. */
  readonly endpoints: string[];
}

interface ParsedSpec {
  readonly name: string;
  readonly clusterwide: boolean;
  readonly namespace?: string;
  readonly spec: any;
}

interface Requirement {
  readonly src: string;
  readonly key: string;
  readonly op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: string[];
}

type PortMatcher = (p: Probe) => boolean;

export interface CompiledRule {
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  readonly deny: boolean;
  readonly subjects: IdSet;
  readonly peers: IdSet;
  readonly ports: PortMatcher;
}

function parseKey(k: string): { src: string; key: string } {
  const i = k.indexOf(':');
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

/** `[first, last]` of an IPv4 CIDR, or undefined (IPv6 or invalid). */
function parseCidr4(s: unknown): [number, number] | undefined {
  if (typeof s !== 'string') return undefined;
  const [addr, lenStr] = s.split('/');
  const base = parseIPv4(addr);
  const len = lenStr === undefined ? 32 : Number(lenStr);
  if (base === undefined || !Number.isInteger(len) || len < 0 || len > 32) return undefined;
  const size = 2 ** (32 - len);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

function nonEmptyArray(v: unknown): v is any[] {
  return Array.isArray(v) && v.length > 0;
}

/**
 * The policy objects and namespaces of a cluster, ready to be evaluated
 * against a set of endpoints.
 */
export class CiliumPolicyModel {
  public readonly warnings: string[] = [];
  /** Namespace name -> labels (as Kubernetes stores them, `kubernetes.io/metadata.name` included). */
  public readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly specs: ParsedSpec[] = [];
  private readonly warned = new Set<string>();

  constructor(objects: any[], options: ModelOptions = {}) {
    for (const obj of objects ?? []) {
      if (obj === null || typeof obj !== 'object') continue;
      const kind = obj.kind;
      const apiVersion = String(obj.apiVersion ?? '');
      const name = String(obj.metadata?.name ?? '(unnamed)');
      if (kind === 'Namespace' && (apiVersion === 'v1' || apiVersion === '')) {
        this.namespaceLabels.set(name, { ...(obj.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name });
      } else if (apiVersion.startsWith('cilium.io/') && (kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy')) {
        const clusterwide = kind === 'CiliumClusterwideNetworkPolicy';
        let namespace: string | undefined;
        if (!clusterwide) {
          namespace = obj.metadata?.namespace;
          if (!namespace) {
            this.warn(`${kind} ${name} has no metadata.namespace; assuming "default"`);
            namespace = 'default';
          }
        }
        const base = clusterwide ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
        const list: any[] = [];
        if (obj.spec) list.push(['spec', obj.spec]);
        if (Array.isArray(obj.specs)) obj.specs.forEach((s: any, i: number) => list.push([`specs[${i}]`, s]));
        const multi = list.length > 1;
        for (const [where, spec] of list) {
          if (spec === null || typeof spec !== 'object') continue;
          this.specs.push({ name: multi ? `${base} ${where}` : base, clusterwide, namespace, spec });
        }
      } else if (kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/')) {
        this.warn(`Kubernetes NetworkPolicy ${obj.metadata?.namespace ?? 'default'}/${name} is not modelled`);
      }
    }
    for (const [ns, labels] of Object.entries(options.namespaces ?? {})) {
      this.namespaceLabels.set(ns, { ...(this.namespaceLabels.get(ns) ?? {}), ...labels, 'kubernetes.io/metadata.name': ns });
    }
  }

  /** Compiles the policies against `endpoints` and returns the evaluator. */
  public evaluate(endpoints: ModelEndpoint[], probes: Probe[] = []): Reachability {
    return new Reachability(this, endpoints, probes);
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
}

/** Reachability between the endpoints given to `CiliumPolicyModel.evaluate`. */
export class Reachability {
  public readonly identities: Identity[] = [];
  /** Endpoint index -> identity index. */
  public readonly identityOfEndpoint: Int32Array;
  public readonly endpointIndex = new Map<string, number>();
  public readonly rules: CompiledRule[] = [];
  public readonly probes: Probe[];
  /** Whether identity index == endpoint index (every endpoint has its own label set). */
  public readonly oneToOne: boolean;

  private readonly n: number;
  private readonly all: IdSet;
  private readonly allPods: IdSet;
  private readonly index = new Map<string, number[]>();
  private readonly ingressEnforced: Uint32Array;
  private readonly egressEnforced: Uint32Array;
  private readonly ingressEnforcedBy: string[] = [];
  private readonly egressEnforcedBy: string[] = [];
  private readonly egressBySubject: number[][] = [];
  private readonly ingressByPeer: number[][] = [];
  /** rule -> probe -> matches */
  private readonly probeMask: Uint8Array[] = [];
  private readonly notIngressEnforced: Uint32Array;
  private readonly full: Uint32Array;
  private readonly scratchA: Uint32Array;
  private readonly scratchB: Uint32Array;

  constructor(private readonly model: CiliumPolicyModel, endpoints: ModelEndpoint[], probes: Probe[]) {
    this.probes = probes;
    // 1. identities
    const byKey = new Map<string, number>();
    this.identityOfEndpoint = new Int32Array(endpoints.length);
    let oneToOne = true;
    endpoints.forEach((ep, e) => {
      if (this.endpointIndex.has(ep.id)) throw new Error(`duplicate endpoint id ${ep.id}`);
      this.endpointIndex.set(ep.id, e);
      const labels = this.labelsOf(ep);
      const key = [...labels.entries()].map(([k, v]) => `${k}=${v}`).sort().join('\n');
      let idx = byKey.get(key);
      if (idx === undefined) {
        idx = this.identities.length;
        byKey.set(key, idx);
        const anyKey = new Map<string, string>();
        for (const [k, v] of labels) {
          const bare = k.slice(k.indexOf(':') + 1);
          if (!anyKey.has(bare)) anyKey.set(bare, v);
        }
        this.identities.push({
          index: idx,
          labels,
          byKey: anyKey,
          isPod: ep.entity === undefined,
          namespace: ep.entity === undefined ? ep.namespace : undefined,
          entities: entitiesOf(ep),
          ip: ep.entity === undefined ? undefined : parseIPv4(ep.ip ?? (ep.entity === 'world' ? DEFAULT_WORLD_IP : undefined)),
          endpoints: [],
        });
      }
      if (idx !== e) oneToOne = false;
      this.identities[idx].endpoints.push(ep.id);
      this.identityOfEndpoint[e] = idx;
    });
    this.oneToOne = oneToOne && this.identities.length === endpoints.length;
    const n = this.identities.length;
    this.n = n;
    for (const id of this.identities) {
      for (const [k, v] of id.labels) {
        const bare = k.slice(k.indexOf(':') + 1);
        this.indexPush(`${k}=${v}`, id.index);
        this.indexPush(`${k}`, id.index);
        this.indexPush(`any:${bare}=${v}`, id.index);
        this.indexPush(`any:${bare}`, id.index);
      }
      for (const ent of id.entities) this.indexPush(`entity:${ent}`, id.index);
      if (id.isPod) this.indexPush('pod', id.index);
    }
    this.all = IdSet.fromSorted([...Array(n).keys()], n);
    this.allPods = IdSet.fromSorted(this.index.get('pod') ?? [], n);
    this.full = fullBits(n);
    this.scratchA = newBits(n);
    this.scratchB = newBits(n);
    this.ingressEnforced = newBits(n);
    this.egressEnforced = newBits(n);
    for (let i = 0; i < n; i++) {
      this.egressBySubject.push([]);
      this.ingressByPeer.push([]);
    }

    // 2. policies
    for (const ps of model._specs()) this.compileSpec(ps);
    this.notIngressEnforced = fullBits(n);
    andNotInto(this.notIngressEnforced, this.ingressEnforced);
    for (const r of this.rules) {
      const mask = new Uint8Array(probes.length);
      probes.forEach((p, i) => { mask[i] = r.ports(p) ? 1 : 0; });
      this.probeMask.push(mask);
    }
  }

  /** Number of identities. */
  public get size(): number {
    return this.n;
  }

  /**
   * Row of the matrix for the source identity `src` and probe `probeIndex`:
   * the set of destination identities it may open a connection to.
   * Written into `out` (length `words(size)`); `probeIndex` indexes the
   * probes given to `evaluate`.
   */
  public row(src: number, probeIndex: number, out: Uint32Array): void {
    // egress side: what the source may send to
    if (hasBit(this.egressEnforced, src)) out.fill(0);
    else out.set(this.full);
    const deny = this.scratchA;
    deny.fill(0);
    for (const ri of this.egressBySubject[src]) {
      if (!this.probeMask[ri][probeIndex]) continue;
      const r = this.rules[ri];
      r.peers.orInto(r.deny ? deny : out);
    }
    andNotInto(out, deny);
    // ingress side: which destinations accept connections from the source
    const accept = this.scratchA;
    accept.set(this.notIngressEnforced);
    const refuse = this.scratchB;
    refuse.fill(0);
    for (const ri of this.ingressByPeer[src]) {
      if (!this.probeMask[ri][probeIndex]) continue;
      const r = this.rules[ri];
      r.subjects.orInto(r.deny ? refuse : accept);
    }
    andInto(out, accept);
    andNotInto(out, refuse);
  }

  /** Identity index of an endpoint id. */
  public identityOf(endpointId: string): number {
    const e = this.endpointIndex.get(endpointId);
    if (e === undefined) throw new Error(`unknown endpoint ${endpointId}`);
    return this.identityOfEndpoint[e];
  }

  /** Whether `src` may open a connection to `dst` on `port`/`protocol` (any probe, not only the listed ones). */
  public allowed(src: string, dst: string, port: number, protocol: L4Protocol = 'TCP'): boolean {
    return this.decide(this.identityOf(src), this.identityOf(dst), { port, protocol }).allowed;
  }

  /** Human-readable reason for the verdict between two identities. */
  public explain(src: number, dst: number, probe: Probe): string {
    return this.decide(src, dst, probe).reason;
  }

  /** Direct (slow path) decision, used for single queries and explanations. */
  public decide(src: number, dst: number, probe: Probe): { allowed: boolean; reason: string } {
    const eAllow: string[] = [];
    const eDeny: string[] = [];
    for (const ri of this.egressBySubject[src]) {
      const r = this.rules[ri];
      if (r.ports(probe) && r.peers.has(dst)) (r.deny ? eDeny : eAllow).push(r.policy);
    }
    const iAllow: string[] = [];
    const iDeny: string[] = [];
    for (const ri of this.ingressByPeer[src]) {
      const r = this.rules[ri];
      if (r.ports(probe) && r.subjects.has(dst)) (r.deny ? iDeny : iAllow).push(r.policy);
    }
    const eEnforced = hasBit(this.egressEnforced, src);
    const iEnforced = hasBit(this.ingressEnforced, dst);
    const parts: string[] = [];
    let ok = true;
    if (eDeny.length > 0) {
      ok = false;
      parts.push(`egress denied by ${uniq(eDeny).join(', ')}`);
    } else if (eAllow.length > 0) {
      parts.push(`egress allowed by ${uniq(eAllow).join(', ')}`);
    } else if (eEnforced) {
      ok = false;
      parts.push(`egress default-deny (source selected by ${this.egressEnforcedBy[src]})`);
    } else {
      parts.push('egress unrestricted (no egress policy selects the source)');
    }
    if (iDeny.length > 0) {
      ok = false;
      parts.push(`ingress denied by ${uniq(iDeny).join(', ')}`);
    } else if (iAllow.length > 0) {
      parts.push(`ingress allowed by ${uniq(iAllow).join(', ')}`);
    } else if (iEnforced) {
      ok = false;
      parts.push(`ingress default-deny (destination selected by ${this.ingressEnforcedBy[dst]})`);
    } else {
      parts.push('ingress unrestricted (no ingress policy selects the destination)');
    }
    return { allowed: ok, reason: parts.join('; ') };
  }

  // ---------------------------------------------------------------- internals

  private labelsOf(ep: ModelEndpoint): Map<string, string> {
    const labels = new Map<string, string>();
    if (ep.entity !== undefined) {
      labels.set(`reserved:${ep.entity}`, '');
      return labels;
    }
    const ns = ep.namespace ?? 'default';
    for (const [k, v] of Object.entries(ep.labels ?? {})) labels.set(`k8s:${k}`, v);
    const nsLabels = this.model.namespaceLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
    for (const [k, v] of Object.entries(nsLabels)) labels.set(`k8s:${NS_LABELS}${k}`, v);
    labels.set(`k8s:${POD_NAMESPACE}`, ns);
    labels.set('k8s:io.cilium.k8s.policy.cluster', 'default');
    if (!labels.has('k8s:io.cilium.k8s.policy.serviceaccount')) labels.set('k8s:io.cilium.k8s.policy.serviceaccount', 'default');
    return labels;
  }

  private indexPush(key: string, i: number): void {
    let list = this.index.get(key);
    if (!list) this.index.set(key, (list = []));
    if (list[list.length - 1] !== i) list.push(i);
  }

  private compileSpec(ps: ParsedSpec): void {
    const spec = ps.spec;
    let subjects: IdSet;
    if (spec.endpointSelector !== undefined && spec.endpointSelector !== null) {
      const reqs = this.selectorRequirements(spec.endpointSelector, ps.name);
      if (reqs === undefined) return;
      if (!ps.clusterwide) reqs.push({ src: 'k8s', key: POD_NAMESPACE, op: 'In', values: [ps.namespace!] });
      subjects = this.match(reqs, true);
    } else if (spec.nodeSelector !== undefined) {
      return; // host policy: applies to nodes, not to pods
    } else {
      this.model.warn(`${ps.name} has neither endpointSelector nor nodeSelector; ignored`);
      return;
    }
    if (subjects.size === 0) return;

    for (const direction of ['ingress', 'egress'] as const) {
      const allowRules = spec[direction];
      const denyRules = spec[direction === 'ingress' ? 'ingressDeny' : 'egressDeny'];
      const hasRules = nonEmptyArray(allowRules) || nonEmptyArray(denyRules);
      const explicit = spec.enableDefaultDeny?.[direction];
      const enforce = typeof explicit === 'boolean' ? explicit : hasRules;
      if (enforce) {
        const bits = direction === 'ingress' ? this.ingressEnforced : this.egressEnforced;
        const by = direction === 'ingress' ? this.ingressEnforcedBy : this.egressEnforcedBy;
        for (const i of subjects.ids) {
          if (!hasBit(bits, i)) {
            setBit(bits, i);
            by[i] = ps.name;
          }
        }
      }
      for (const [list, deny] of [[allowRules, false], [denyRules, true]] as const) {
        if (!nonEmptyArray(list)) continue;
        list.forEach((rule: any) => {
          if (rule === null || typeof rule !== 'object') return;
          const peers = this.rulePeers(rule, direction, deny, ps);
          if (peers.size === 0) return;
          const compiled: CompiledRule = {
            policy: ps.name,
            direction,
            deny,
            subjects,
            peers,
            ports: this.portMatcher(rule, ps.name),
          };
          const ri = this.rules.length;
          this.rules.push(compiled);
          if (direction === 'egress') {
            for (const s of subjects.ids) this.egressBySubject[s].push(ri);
          } else {
            for (const p of peers.ids) this.ingressByPeer[p].push(ri);
          }
        });
      }
    }
  }

  private rulePeers(rule: any, direction: 'ingress' | 'egress', deny: boolean, ps: ParsedSpec): IdSet {
    const from = direction === 'ingress' ? 'from' : 'to';
    let hasL3 = false;
    const bits = newBits(this.n);
    const selectors = rule[`${from}Endpoints`];
    if (nonEmptyArray(selectors)) {
      hasL3 = true;
      for (const sel of selectors) {
        const reqs = this.selectorRequirements(sel, ps.name);
        if (reqs === undefined) continue;
        this.narrow(reqs, ps);
        this.match(reqs, false).orInto(bits);
      }
    }
    const entities = rule[`${from}Entities`];
    if (nonEmptyArray(entities)) {
      hasL3 = true;
      for (const ent of entities) {
        if (!ENTITY_NAMES.has(ent)) {
          this.model.warn(`${ps.name}: unknown entity ${JSON.stringify(ent)} matches nothing`);
          continue;
        }
        for (const i of this.index.get(`entity:${ent}`) ?? []) setBit(bits, i);
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
          this.model.warn(`${ps.name}: CIDR groups (cidrGroupRef/cidrGroupSelector) are not modelled; the entry matches nothing`);
          continue;
        }
        cidrs.push({ cidr: c.cidr, except: c.except });
      }
    }
    for (const c of cidrs) {
      const range = parseCidr4(c.cidr);
      if (!range) {
        this.model.warn(`${ps.name}: CIDR ${JSON.stringify(c.cidr)} is not an IPv4 CIDR; it matches nothing in the model`);
        continue;
      }
      const excepts = (Array.isArray(c.except) ? c.except : []).map(parseCidr4).filter((x): x is [number, number] => !!x);
      for (const id of this.identities) {
        if (id.isPod || id.ip === undefined) continue;
        if (id.ip < range[0] || id.ip > range[1]) continue;
        if (excepts.some(([a, b]) => id.ip! >= a && id.ip! <= b)) continue;
        setBit(bits, id.index);
      }
    }
    if (!deny && direction === 'egress' && nonEmptyArray(rule.toFQDNs)) {
      hasL3 = true;
      this.model.warn(`${ps.name}: toFQDNs is approximated as "the world"`);
      for (const i of this.index.get('entity:world') ?? []) setBit(bits, i);
    }
    const nodes = rule[`${from}Nodes`];
    if (nonEmptyArray(nodes)) {
      hasL3 = true;
      this.model.warn(`${ps.name}: ${from}Nodes selectors are not evaluated; every node matches`);
      for (const ent of ['host', 'remote-node']) for (const i of this.index.get(`entity:${ent}`) ?? []) setBit(bits, i);
    }
    for (const unsupported of [`${from}Services`, `${from}Groups`]) {
      if (nonEmptyArray(rule[unsupported])) {
        hasL3 = true;
        this.model.warn(`${ps.name}: ${unsupported} is not modelled; it matches nothing`);
      }
    }
    if (nonEmptyArray(rule[`${from}Requires`])) {
      this.model.warn(`${ps.name}: ${from}Requires is not modelled; ignored`);
    }
    if (!hasL3) {
      // L4-only rule: every peer on the given ports. No ports either: nothing.
      return nonEmptyArray(rule.toPorts) || nonEmptyArray(rule.icmps) ? this.all : IdSet.empty(this.n);
    }
    return IdSet.fromBits(bits, this.n);
  }

  private portMatcher(rule: any, policy: string): PortMatcher {
    if (!nonEmptyArray(rule.toPorts)) {
      return nonEmptyArray(rule.icmps) ? () => false : () => true;
    }
    const entries: Array<{ from: number; to: number; proto: string }> = [];
    for (const tp of rule.toPorts) {
      const ports = nonEmptyArray(tp?.ports) ? tp.ports : [{}];
      for (const p of ports) {
        const proto = String(p.protocol ?? 'ANY').toUpperCase();
        const raw = p.port;
        if (raw === undefined || raw === null || raw === '' || String(raw) === '0') {
          entries.push({ from: 0, to: 65535, proto });
          continue;
        }
        const num = Number(raw);
        if (!Number.isInteger(num) || num < 0 || num > 65535) {
          this.model.warn(`${policy}: named or invalid port ${JSON.stringify(raw)} is not modelled; it matches no probe`);
          continue;
        }
        const end = p.endPort !== undefined ? Number(p.endPort) : num;
        entries.push({ from: num, to: Number.isInteger(end) && end >= num ? end : num, proto });
      }
    }
    return (probe: Probe) => entries.some((e) => (e.proto === 'ANY' || e.proto === probe.protocol) && probe.port >= e.from && probe.port <= e.to);
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
    const namesNamespace = reqs.some((r) => (r.src === 'k8s' || r.src === 'any') && (r.key === POD_NAMESPACE || r.key.startsWith(NS_LABELS)));
    const namesReserved = reqs.some((r) => r.src === 'reserved');
    if (namesNamespace || namesReserved) return;
    if (ps.clusterwide) reqs.push({ src: 'k8s', key: POD_NAMESPACE, op: 'Exists', values: [] });
    else reqs.push({ src: 'k8s', key: POD_NAMESPACE, op: 'In', values: [ps.namespace!] });
  }

  private valueOf(id: Identity, r: Requirement): string | undefined {
    return r.src === 'any' ? id.byKey.get(r.key) : id.labels.get(`${r.src}:${r.key}`);
  }

  private test(id: Identity, r: Requirement): boolean {
    const v = this.valueOf(id, r);
    switch (r.op) {
      case 'In': return v !== undefined && r.values.includes(v);
      case 'NotIn': return v === undefined || !r.values.includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
    }
  }

  /** Identities matching all requirements (pods only when `podsOnly`). */
  private match(reqs: Requirement[], podsOnly: boolean): IdSet {
    // Candidates from the most selective positive requirement, via the index
    // (a multi-value In is merged only when it is the most selective).
    let candidates: ArrayLike<number> | undefined = podsOnly ? (this.index.get('pod') ?? []) : undefined;
    let best: number[][] | undefined;
    let bestSize = candidates ? candidates.length : Infinity;
    for (const r of reqs) {
      let lists: number[][] | undefined;
      if (r.op === 'Exists') lists = [this.index.get(`${r.src}:${r.key}`) ?? []];
      else if (r.op === 'In') lists = r.values.map((v) => this.index.get(`${r.src}:${r.key}=${v}`) ?? []);
      if (lists === undefined) continue;
      const size = lists.reduce((acc, l) => acc + l.length, 0);
      if (size < bestSize) {
        best = lists;
        bestSize = size;
      }
    }
    if (best !== undefined) {
      candidates = best.length === 1 ? best[0] : [...new Set(best.flat())].sort((x, y) => x - y);
    }
    const base = candidates ?? this.all.ids;
    const out: number[] = [];
    for (let k = 0; k < base.length; k++) {
      const i = base[k];
      const id = this.identities[i];
      if (podsOnly && !id.isPod) continue;
      if (reqs.every((r) => this.test(id, r))) out.push(i);
    }
    if (podsOnly && out.length === this.allPods.size) return this.allPods;
    return IdSet.fromSorted(out, this.n);
  }
}

function entitiesOf(ep: ModelEndpoint): Set<string> {
  if (ep.entity === undefined) return new Set(['cluster', 'all']);
  switch (ep.entity) {
    case 'world': {
      const v6 = typeof ep.ip === 'string' && ep.ip.includes(':');
      return new Set(['world', v6 ? 'world-ipv6' : 'world-ipv4', 'all']);
    }
    default:
      return new Set([ep.entity, 'cluster', 'all']);
  }
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
