/**
 * Offline proof of tenant isolation: the reachability the policies actually
 * give (computed with the Cilium model) against the reachability facts §9
 * intends for the tenant tree, its exposures and the platform's entities.
 *
 * Endpoints are laid out tenant-major in depth-first pre-order, so a
 * tenant's subtree is one interval and every row is a handful of intervals:
 * 10,000 tenants verify in seconds although the matrix has billions of cells.
 */
import * as iv from './intervals';
import { Intervals } from './intervals';
import { CILIUM_VERSIONS, CiliumPolicyModel, CiliumVersion, Decision, DEFAULT_CILIUM_VERSION, EntityName, ModelEndpoint, NamedPort, parseCidr, PortRange, portRangesOf, Probe, probeClasses, Reachability, RowParts } from './model';
import { TenantAuthoredCheck, VerifyDifference, VerifyEndpoint, VerifyOptions, VerifyReport } from './report';
import { CELL, LEGEND } from './symbols';
import { Workload, workloadsOf } from './workloads';
import { CozynetValidationError } from '../model/errors';
import { collectGarbageIfLarge } from '../model/memory';
import { renderTenantIsolation } from '../tenants/policies';
import { TenantIsolationProps } from '../tenants/props';
import { KUBE_SYSTEM, ResolvedExposure, ResolvedPeer, ResolvedPort, ResolvedTenant, ResolvedTenantIsolation, resolveTenants } from '../tenants/tree';
import { assertServedVersions } from '../validation/api-versions';

const DEFAULT_SYSTEM_NAMESPACE = 'cozy-system';
const DEFAULT_MAX_MATRIX_CELLS = 4_000_000;
const DEFAULT_MAX_DIFFERENCES = 10_000;
/** Label that makes every representative pod's label set unique (no policy names it). */
const PROBE_LABEL = 'cozynet.io/probe';

/** The fixed probes, by index; exposures and platform services add theirs after. */
const BASE_PROBES: Probe[] = [
  { protocol: 'TCP', port: 8080 },
  { protocol: 'UDP', port: 8080 },
  { protocol: 'SCTP', port: 8080 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
  { protocol: 'TCP', port: 443 },
  { protocol: 'TCP', port: 6443 },
  { protocol: 'TCP', port: 10250 },
  { protocol: 'ICMP', port: 8 },
];
/** Merged label sets added per tenant namespace at most (pods carrying the labels of several selectors at once). */
const MAX_MERGED_PER_NAMESPACE = 64;

export function probeName(p: Probe): string {
  return p.protocol === 'ICMP' || p.protocol === 'ICMPv6' ? `${p.protocol}/type-${p.port}` : `${p.protocol}/${p.port}`;
}

function isDnsProbe(p: Probe): boolean {
  return p.port === 53 && (p.protocol === 'UDP' || p.protocol === 'TCP');
}

type Role = 'tenant-pod' | 'tenant-service' | 'tenant-apiserver-client' | 'tenant-exposure' | 'tenant-peer' | 'tenant-selected' | 'tenant-workload'
| 'dns' | 'kube-system-pod' | 'system-pod' | 'platform-service' | 'entity';

export interface Rep {
  readonly id: string;
  readonly role: Role;
  readonly tenant?: ResolvedTenant;
  /** Service kind (`cozystack.io/service` value), if the rep carries one. */
  readonly kind?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly entity?: EntityName;
  /** Entity: its address (world endpoints stand for one class of addresses each). */
  readonly ip?: string;
  readonly probes: number[];
  /** Platform service index, for `platform-service`. */
  readonly service?: number;
  /** A workload's named container ports (rules naming a port by name resolve against them). */
  readonly ports?: Readonly<Record<string, NamedPort>>;
}

/** Port ranges an intention names (exposures and platform services), as probes and as ranges. */
function intentPorts(ports: ResolvedPort[] | undefined, icmp: boolean, probes: Probe[], ranges: PortRange[]): void {
  for (const p of ports ?? []) {
    const protocol = p.protocol as Probe['protocol'];
    probes.push({ protocol, port: p.port });
    if (p.endPort > p.port) probes.push({ protocol, port: p.endPort });
    ranges.push({ protocol, from: p.port, to: p.endPort });
  }
  if (icmp) {
    probes.push({ protocol: 'ICMP', port: 8 }, { protocol: 'ICMPv6', port: 128 });
    ranges.push({ protocol: 'ICMP', from: 8, to: 8 }, { protocol: 'ICMPv6', from: 128, to: 128 });
  }
}

function portMatches(ports: ResolvedPort[] | undefined, icmp: boolean, p: Probe): boolean {
  if (ports === undefined) return true;
  if (p.protocol === 'ICMP') return icmp && p.port === 8;
  if (p.protocol === 'ICMPv6') return icmp && p.port === 128;
  return ports.some((x) => x.protocol === p.protocol && p.port >= x.port && p.port <= x.endPort);
}

function hasLabels(labels: Record<string, string> | undefined, selector: Record<string, string>): boolean {
  // Stryker disable next-line OptionalChaining: equivalent, only tenant endpoints are matched and they always carry labels
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** What the objects verified distinguish beyond the tenant tree: the port ranges and CIDRs their policies name. */
export interface LayoutInputs {
  /** Port ranges and ICMP types that policies name (`portRangesOf`). */
  readonly ranges?: PortRange[];
  /** CIDRs that policies name (`cidrsOf`): the world is split into one endpoint per class of addresses. */
  readonly cidrs?: string[];
  /** Workloads of the input (`workloadsOf`): each in a tenant namespace is an endpoint, named as its user names it. */
  readonly workloads?: Workload[];
}

/** The representative endpoints and how they are laid out. */
export class Layout {
  public readonly reps: Rep[] = [];
  /**
   * The probes: the fixed ones, the intention's ports, and one per class of
   * (protocol, port) that the policies and the intention distinguish.
   */
  public readonly probes: Probe[];
  /** Per tenant index: first rep and one past its last rep. */
  public readonly first: Int32Array;
  public readonly end: Int32Array;
  public readonly tenantEnd: number;
  public readonly dns: number;
  public readonly kubeSystemPod: number;
  public readonly systemPod: number;
  /** The world endpoint at the default address (203.0.113.10). */
  public readonly world: number;
  /** Every world endpoint (one per class of addresses the CIDRs distinguish), `world` first. */
  public readonly worlds: number[] = [];
  public readonly apiServer: number;
  public readonly host: number;
  public readonly remoteNode: number;
  public readonly ingress: number;
  public readonly platformServices: number[] = [];
  /** Per exposure (index in cfg.exposures): reps it serves. */
  public readonly served: number[][] = [];
  /** Per tenant index: reps of its namespace that its shared service kinds cover. */
  public readonly shared: number[][] = [];
  /** Per tenant index: reps of the world-facing kinds. */
  public readonly worldFacing: number[][] = [];
  /** Per tenant index: exposures naming it as a peer (directly or as a subtree). */
  public readonly peerOf: Array<Array<{ e: ResolvedExposure; p: ResolvedPeer }>> = [];
  /** The port ranges the probes partition. */
  public readonly ranges: PortRange[];
  /** Namespaces whose merged label sets were cut at MAX_MERGED_PER_NAMESPACE. */
  public readonly capped: string[] = [];
  /** One frozen, key-sorted object per distinct label set of the reps (`labelSet`). */
  private readonly labelSets = new Map<string, Readonly<Record<string, string>>>();

  constructor(public readonly cfg: ResolvedTenantIsolation, public readonly systemNamespace: string,
    selected: Map<string, Array<Record<string, string>>> = new Map(), inputs: LayoutInputs = {}) {
    // Probes: every class of (protocol, port) the policies or the intention distinguish.
    const preferred: Probe[] = [...BASE_PROBES];
    const ranges: PortRange[] = [...(inputs.ranges ?? []), { protocol: 'UDP', from: 53, to: 53 }, { protocol: 'TCP', from: 53, to: 53 }];
    // the numbers the workloads give their named ports (a rule naming one stands for them), once each
    const containerPorts = new Set<string>();
    for (const w of inputs.workloads ?? []) {
      for (const p of Object.values(w.ports)) {
        const protocol = p.protocol as PortRange['protocol'];
        const key = `${protocol}/${p.port}`;
        if (containerPorts.has(key) || !['TCP', 'UDP', 'SCTP'].includes(protocol) || p.port < 1 || p.port > 65535) continue;
        containerPorts.add(key);
        ranges.push({ protocol, from: p.port, to: p.port });
      }
    }
    for (const e of cfg.exposures) intentPorts(e.ports, e.ports !== undefined && e.allowIcmp, preferred, ranges);
    for (const svc of cfg.platformServices) intentPorts(svc.ports, false, preferred, ranges);
    this.probes = probeClasses(ranges, preferred);
    this.ranges = ranges;
    const all = this.probes.map((_, i) => i);
    const n = cfg.tenants.length;
    this.first = new Int32Array(n);
    this.end = new Int32Array(n);
    const exposuresOf: ResolvedExposure[][] = cfg.tenants.map(() => []);
    const peersIn: Array<Array<{ e: ResolvedExposure; p: ResolvedPeer }>> = cfg.tenants.map(() => []);
    for (const e of cfg.exposures) {
      exposuresOf[e.tenant.index].push(e);
      for (const p of e.from) if (p.tenant) peersIn[p.tenant.index].push({ e, p });
    }
    for (let i = 0; i < n; i++) this.peerOf.push([]);
    for (const e of cfg.exposures) for (const p of e.from) if (p.tenant) this.peerOf[p.tenant.index].push({ e, p });
    const everywhere = selected.get(ALL_NAMESPACES) ?? [];
    // Label sets by number (their sorted `k=v` list names them): unions by the numbers of the pair.
    const unions = new Map<number, Map<number, Record<string, string> | null>>();
    const setIdsByKey = new Map<string, number>();
    const setIdOf = (key: string) => {
      let id = setIdsByKey.get(key);
      if (id === undefined) setIdsByKey.set(key, (id = setIdsByKey.size));
      return id;
    };
    const workloadsIn = new Map<string, Workload[]>();
    for (const w of inputs.workloads ?? []) {
      if (!workloadsIn.has(w.namespace)) workloadsIn.set(w.namespace, []);
      workloadsIn.get(w.namespace)!.push(w);
    }
    for (const t of cfg.tenants) {
      const ns = t.namespace;
      this.first[t.index] = this.reps.length;
      // Ids are unique: two label sets whose texts read alike (a value holding `,` or `=`) get `~2`, `~3`, ...
      const ids = new Set<string>();
      const pod = (name: string, role: Role, labels: Record<string, string>, kind?: string) => {
        let id = name;
        for (let k = 2; ids.has(id); k++) id = `${name}~${k}`;
        ids.add(id);
        this.reps.push({ id: `${ns}/${id}`, role, tenant: t, namespace: ns, labels: this.labelSet(labels, probeValue(id)), probes: all, kind });
      };
      pod('pod', 'tenant-pod', {});
      for (const k of cfg.serviceKinds) pod(`svc:${k}`, 'tenant-service', { [cfg.serviceLabel]: k }, k);
      pod('api-client', 'tenant-apiserver-client', { [cfg.apiServerAccessLabel]: 'true' });
      for (const e of exposuresOf[t.index]) pod(`expose:${e.name}`, 'tenant-exposure', { ...e.selector }, e.selector[cfg.serviceLabel]);
      // One representative per set of pod labels (the probe label aside): a
      // pod some policy selects, or an exposure peer, with the labels of an
      // endpoint already laid out is that endpoint.
      const sets: Array<Record<string, string>> = this.reps.slice(this.first[t.index]).map((r) => withoutProbe(r.labels));
      const known = new Set(sets.map(labelKey));
      const addSet = (labels: Record<string, string>, id: string, role: Role) => {
        const key = labelKey(labels);
        if (Object.keys(labels).length === 0 || known.has(key)) return false;
        known.add(key);
        sets.push(labels);
        pod(id, role, { ...labels }, labels[cfg.serviceLabel]);
        return true;
      };
      const selectedId = (labels: Record<string, string>) => `pods:${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`;
      for (const labels of [...(selected.get(ns) ?? []), ...everywhere]) addSet(labels, selectedId(labels), 'tenant-selected');
      for (const { e, p } of peersIn[t.index]) addSet(p.selector, `from:${e.tenant.namespace}/${e.name}`, 'tenant-peer');
      // A pod may carry the labels of several selectors at once: every
      // compatible union of the label sets above is a pod too.
      let merged = 0;
      const setIds = sets.map((x) => setIdOf(labelKey(x)));
      for (let i = 0; i < sets.length && merged < MAX_MERGED_PER_NAMESPACE; i++) {
        for (let j = 0; j < i && merged < MAX_MERGED_PER_NAMESPACE; j++) {
          // Tenants have mostly the same label sets: each union is built once.
          let byJ = unions.get(setIds[i]);
          if (byJ === undefined) unions.set(setIds[i], (byJ = new Map()));
          let union = byJ.get(setIds[j]);
          if (union === undefined) {
            const u = mergeLabels(sets[i], sets[j]);
            byJ.set(setIds[j], (union = u ? sortLabels(u) : null));
          }
          if (union && addSet(union, selectedId(union), 'tenant-selected')) merged++;
          // Stryker disable next-line ArrayDeclaration: an id for the set added (if any) keeps the ids in step with the sets
          if (setIds.length < sets.length) setIds.push(setIdOf(labelKey(sets[sets.length - 1])));
        }
      }
      if (merged >= MAX_MERGED_PER_NAMESPACE) this.capped.push(ns);
      // the real workloads, with their labels and service account (`tenant-acme/deployment/api`)
      for (const w of workloadsIn.get(ns) ?? []) {
        const labels: Record<string, string> = { ...w.labels, ...(w.serviceAccount !== 'default' ? { [SA_KEY]: w.serviceAccount } : {}) };
        this.reps.push({
          id: w.id, role: 'tenant-workload', tenant: t, namespace: ns, labels: this.labelSet(labels, probeValue(w.id)), probes: all, kind: labels[cfg.serviceLabel], ports: w.ports,
        });
      }
      this.end[t.index] = this.reps.length;
    }
    this.tenantEnd = this.reps.length;
    for (const t of cfg.tenants) {
      const shared: number[] = [];
      const facing: number[] = [];
      for (let r = this.first[t.index]; r < this.end[t.index]; r++) {
        // Stryker disable next-line OptionalChaining: equivalent, tenant endpoints always carry labels
        const kind = this.reps[r].labels?.[cfg.serviceLabel];
        if (kind !== undefined && t.sharedServices.includes(kind)) shared.push(r);
        if (kind !== undefined && cfg.worldIngressServices.includes(kind)) facing.push(r);
      }
      this.shared.push(shared);
      this.worldFacing.push(facing);
    }
    for (const e of cfg.exposures) {
      const served: number[] = [];
      for (let r = this.first[e.tenant.index]; r < this.end[e.tenant.index]; r++) if (hasLabels(this.reps[r].labels, e.selector)) served.push(r);
      this.served.push(served);
    }
    const push = (rep: Rep) => {
      this.reps.push(rep);
      return this.reps.length - 1;
    };
    this.dns = push({ id: `${cfg.dnsNamespace}/kube-dns`, role: 'dns', namespace: cfg.dnsNamespace, labels: this.labelSet(cfg.dnsPodLabels), probes: all });
    this.kubeSystemPod = push({ id: `${KUBE_SYSTEM}/pod`, role: 'kube-system-pod', namespace: KUBE_SYSTEM, labels: this.labelSet({}, 'workload'), probes: all });
    this.systemPod = push({ id: `${systemNamespace}/pod`, role: 'system-pod', namespace: systemNamespace, labels: this.labelSet({}, 'workload'), probes: all });
    cfg.platformServices.forEach((svc, i) => {
      const ns = svc.namespace ?? `platform-${svc.name}`;
      this.platformServices.push(push({
        id: `${ns}/svc:${svc.name}`,
        role: 'platform-service',
        namespace: ns,
        labels: this.labelSet(svc.selector, probeValue(`svc-${svc.name}`)),
        probes: all,
        service: i,
      }));
    });
    this.world = push({ id: 'world', role: 'entity', entity: 'world', ip: DEFAULT_WORLD_IP, probes: all });
    this.worlds.push(this.world);
    for (const ip of worldClasses(inputs.cidrs ?? [])) this.worlds.push(push({ id: `world:${ip}`, role: 'entity', entity: 'world', ip, probes: all }));
    this.apiServer = push({ id: 'kube-apiserver', role: 'entity', entity: 'kube-apiserver', probes: all });
    this.host = push({ id: 'host', role: 'entity', entity: 'host', probes: all });
    this.remoteNode = push({ id: 'remote-node', role: 'entity', entity: 'remote-node', probes: all });
    this.ingress = push({ id: 'ingress', role: 'entity', entity: 'ingress', probes: [] });
  }

  /**
   * The labels of a rep: `labels` with the probe label set to `probe` (when
   * given), keys in sorted order (as the report lists them), one frozen
   * object per distinct set. Reps of many tenants carry the same labels
   * (their namespaces tell them apart), so they share one object, and the
   * report and the model read it without copies.
   */
  private labelSet(labels: Readonly<Record<string, string>>, probe?: string): Readonly<Record<string, string>> {
    // Looked up by the labels as given (keys in their order; an order seen first builds the set),
    // each text prefixed by its length: no two label sets give one key.
    let key = probe === undefined ? '-' : `${probe.length}:${probe}`;
    for (const k in labels) {
      const v = String(labels[k]);
      key += `${k.length}:${k}${v.length}:${v}`;
    }
    let set = this.labelSets.get(key);
    if (set === undefined) {
      const entries = Object.entries(labels).filter(([k]) => probe === undefined || k !== PROBE_LABEL);
      if (probe !== undefined) entries.push([PROBE_LABEL, probe]);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.labelSets.set(key, (set = Object.freeze(Object.fromEntries(entries))));
    }
    return set;
  }

  /**
   * The probe standing for `probe`: itself, or the probe of its class (every
   * rule and the intention treat both alike); -1 for a protocol not probed.
   */
  public probeIndexOf(probe: Probe): number {
    const exact = this.probes.findIndex((x) => x.port === probe.port && x.protocol === probe.protocol);
    if (exact >= 0) return exact;
    const inside = (port: number) => this.ranges.map((r) => r.protocol === probe.protocol && port >= r.from && port <= r.to).join();
    const want = inside(probe.port);
    return this.probes.findIndex((x) => x.protocol === probe.protocol && inside(x.port) === want);
  }

  /** Whether endpoint `i` is one of the world endpoints. */
  public isWorld(i: number): boolean {
    return this.reps[i].entity === 'world';
  }

  public get size(): number {
    return this.reps.length;
  }

  /** Namespace labels of the namespaces the layout invents (kube-system, DNS, system, platform services). */
  public extraNamespaces(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {
      [KUBE_SYSTEM]: {},
      [this.cfg.dnsNamespace]: {},
      [this.systemNamespace]: { [this.cfg.systemNamespaceLabel]: 'true' },
    };
    this.cfg.platformServices.forEach((svc) => {
      if (svc.namespace === undefined) out[`platform-${svc.name}`] = { ...svc.namespaceSelector };
    });
    return out;
  }

  public endpoints(): ModelEndpoint[] {
    return this.reps.map((r) => (r.entity
      ? { id: r.id, entity: r.entity, ...(r.ip ? { ip: r.ip } : {}) }
      : { id: r.id, namespace: r.namespace, labels: r.labels, ...(r.ports ? { ports: r.ports } : {}) }));
  }

  /**
   * Per probe, the endpoints among the first `end` that are probed on it
   * (one pass over the endpoints' probe lists).
   */
  public probeDestinations(end: number = this.reps.length): Intervals[] {
    // Bounds of intervals per probe; consecutive endpoints sharing one probe list are one interval.
    const bounds: number[][] = this.probes.map(() => []);
    for (let i = 0; i < end;) {
      const probes = this.reps[i].probes;
      let j = i + 1;
      while (j < end && this.reps[j].probes === probes) j++;
      for (const p of probes) {
        const b = bounds[p];
        if (b.length > 0 && b[b.length - 1] === i) b[b.length - 1] = j;
        else b.push(i, j);
      }
      i = j;
    }
    return bounds.map((b) => (b.length === 0 ? iv.EMPTY : Int32Array.from(b)));
  }

  /** Reps of the subtree of `t`. */
  public subtree(t: ResolvedTenant): Intervals {
    return iv.range(this.first[t.index], this.end[t.subtreeEnd - 1]);
  }

  public isTenant(i: number): boolean {
    return i < this.tenantEnd;
  }
}

const DEFAULT_WORLD_IP = '203.0.113.10';
const DEFAULT_WORLD_IP6 = '2001:db8::10';
/** Key of `selectedPodLabels` for label sets that apply in every namespace (cluster-wide selectors). */
export const ALL_NAMESPACES = '*';

function withoutProbe(labels: Record<string, string> | undefined): Record<string, string> {
  // Stryker disable next-line OptionalChaining: equivalent, tenant endpoints always carry labels
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k !== PROBE_LABEL));
}

function sortLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The union of two label sets, or undefined when they give one key different values. */
function mergeLabels(a: Record<string, string>, b: Record<string, string>): Record<string, string> | undefined {
  for (const [k, v] of Object.entries(b)) if (k in a && a[k] !== v) return undefined;
  return { ...a, ...b };
}

/**
 * One address per class of addresses that the CIDRs distinguish (each
 * family on its own; the class of the default world address 203.0.113.10,
 * which the endpoint `world` stands for, left out), and the IPv6 world
 * when some policy tells it from the IPv4 one (an IPv6 CIDR, the entity
 * world-ipv4 or world-ipv6): a rule for any CIDR is then judged on an
 * address it contains and one it does not.
 */
function worldClasses(cidrs: string[]): string[] {
  const out: string[] = [];
  for (const v6 of [false, true]) {
    const bits = v6 ? 128 : 32;
    const top = 2n ** BigInt(bits);
    const ranges = cidrs.map((c) => parseCidr(c)).filter((r): r is NonNullable<typeof r> => !!r && r.v6 === v6);
    // no IPv6 CIDR (nor world-ipv4/-ipv6) named: the IPv6 world is like the IPv4 one
    if (v6 && ranges.length === 0) continue;
    const cuts = new Set<bigint>([0n, top]);
    for (const r of ranges) {
      cuts.add(r.first);
      cuts.add(r.last + 1n);
    }
    const sorted = [...cuts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    // two addresses are alike when every CIDR holds both or neither
    const classOf = (n: bigint) => ranges.map((r) => (n >= r.first && n <= r.last ? 1 : 0)).join('');
    const def = v6 ? parseCidr(DEFAULT_WORLD_IP6)!.first : parseCidr(DEFAULT_WORLD_IP)!.first;
    const seen = new Map<string, string>([[classOf(def), v6 ? DEFAULT_WORLD_IP6 : '']]);
    if (v6) out.push(DEFAULT_WORLD_IP6);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const k = classOf(sorted[i]);
      if (seen.has(k)) continue;
      const ip = formatAddress(sorted[i], v6);
      seen.set(k, ip);
      out.push(ip);
    }
  }
  return out;
}

/** An address as text: IPv4 dotted, IPv6 as RFC 5952 writes it (the longest run of two or more zero groups, the first of equal runs, as `::`). */
function formatAddress(n: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n / 2n ** s) % 256n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n / 2n ** s) % 65536n).toString(16));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j > i ? j : i + 1;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/**
 * Every CIDR that the policies among `objects` name (`fromCIDR`, `toCIDR`,
 * `*CIDRSet` with their `except`s, NetworkPolicy `ipBlock`s).
 * @internal
 */
export function cidrsOf(objects: any[]): string[] {
  const out = new Set<string>();
  const add = (c: unknown) => {
    if (typeof c === 'string') out.add(c);
  };
  const sets = (list: unknown) => {
    for (const x of Array.isArray(list) ? list : []) {
      add(x?.cidr);
      for (const e of Array.isArray(x?.except) ? x.except : []) add(e);
    }
  };
  for (const o of objects) {
    if (o === null || typeof o !== 'object') continue;
    if (o.kind === 'NetworkPolicy') {
      for (const [dir, field] of [['ingress', 'from'], ['egress', 'to']]) {
        for (const r of Array.isArray(o.spec?.[dir]) ? o.spec[dir] : []) {
          for (const peer of Array.isArray(r?.[field]) ? r[field] : []) sets(peer?.ipBlock ? [peer.ipBlock] : []);
        }
      }
    } else if (o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy') {
      for (const spec of [o.spec, ...(Array.isArray(o.specs) ? o.specs : [])]) {
        if (spec === null || typeof spec !== 'object') continue;
        for (const dir of ['ingress', 'egress', 'ingressDeny', 'egressDeny']) {
          for (const r of Array.isArray(spec[dir]) ? spec[dir] : []) {
            for (const from of ['from', 'to']) {
              for (const c of Array.isArray(r?.[`${from}CIDR`]) ? r[`${from}CIDR`] : []) add(c);
              sets(r?.[`${from}CIDRSet`]);
              const entities = r?.[`${from}Entities`];
              // the world by family: the IPv6 world needs an endpoint of its own
              if (Array.isArray(entities) && (entities.includes('world-ipv6') || entities.includes('world-ipv4'))) add('::/0');
            }
          }
        }
      }
    }
  }
  return [...out].sort();
}

/**
 * The labels without the probe label, as one text: sorted by key, each key
 * and value prefixed by its length, so that two different sets never give
 * one text (`{a: '1,b=x'}` is not `{a: '1', b: 'x'}`).
 */
function labelKey(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {}).filter(([k]) => k !== PROBE_LABEL).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k.length}:${k}=${String(v).length}:${v}`).join(',');
}

const POD_NS_KEY = 'io.kubernetes.pod.namespace';

const NS_NAME_KEY = 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name';
/** The service account of a pod, as Cilium labels it: selectors name it like a pod label. */
const SA_KEY = 'io.cilium.k8s.policy.serviceaccount';
const NS_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';

/**
 * The labels of a pod that a Cilium selector selects, and the namespace it
 * names (`io.kubernetes.pod.namespace`, or the namespace-name label), or
 * undefined when it names other label sources, is malformed, or can select
 * no pod. `matchExpressions` count: `In` takes its first value that no
 * `NotIn` excludes, `Exists` a value no `NotIn` excludes; `NotIn` and
 * `DoesNotExist` only constrain.
 */
function podLabelsOf(sel: any): { labels: Record<string, string>; namespace?: string; anyNamespace?: boolean } | undefined {
  if (sel === null || typeof sel !== 'object') return undefined;
  const { matchLabels, matchExpressions } = sel;
  const labelMap = matchLabels !== null && typeof matchLabels === 'object';
  // a malformed part makes the policy invalid: it selects nothing
  if ((matchLabels != null && !labelMap) || (matchExpressions != null && !Array.isArray(matchExpressions))) return undefined;
  const labels: Record<string, string> = {};
  let namespace: string | undefined;
  let anyNamespace = false;
  const setNamespace = (ns: string) => {
    if (namespace !== undefined && namespace !== ns) return false;
    namespace = ns;
    return true;
  };
  /** The Kubernetes label key (without a `k8s:` or `any:` source), or undefined for other sources. */
  const keyOf = (k: string): string | undefined => {
    const m = /^(?:(k8s|any):)?(.*)$/.exec(k)!;
    if (k.includes(':') && !m[1]) return undefined;
    return m[2];
  };
  for (const [k, v] of Object.entries(labelMap ? matchLabels : {})) {
    const key = keyOf(k);
    if (key === undefined) return undefined;
    if (key.startsWith(NS_LABEL_PREFIX)) anyNamespace = true;
    if (key === POD_NS_KEY || key === NS_NAME_KEY) {
      if (!setNamespace(String(v))) return undefined;
    } else if (!key.startsWith('io.cilium.k8s.') || key === SA_KEY) {
      labels[key] = String(v ?? '');
    }
  }
  const wanted: Array<{ key: string; values?: string[] }> = [];
  const excluded = new Map<string, Set<string>>();
  const absent = new Set<string>();
  for (const e of Array.isArray(matchExpressions) ? matchExpressions : []) {
    // a key-less (or null) expression: Kubernetes refuses the selector
    const key = keyOf(String(e?.key ?? ''));
    if (key === undefined || key === '') return undefined;
    const values: string[] = Array.isArray(e.values) ? e.values.map(String) : [];
    if (key === POD_NS_KEY || key.startsWith(NS_LABEL_PREFIX)) anyNamespace = true;
    if (key === POD_NS_KEY || key === NS_NAME_KEY) {
      // one named namespace; other namespace expressions do not say where the pod is
      if (e.operator === 'In' && values.length === 1 && !setNamespace(values[0])) return undefined;
      continue;
    }
    if (key.startsWith('io.cilium.k8s.') && key !== SA_KEY) continue;
    switch (e.operator) {
      case 'In':
        wanted.push({ key, values });
        break;
      case 'Exists':
        wanted.push({ key });
        break;
      case 'NotIn':
        for (const v of values) {
          if (!excluded.has(key)) excluded.set(key, new Set());
          excluded.get(key)!.add(v);
        }
        break;
      case 'DoesNotExist':
        absent.add(key);
        break;
      default:
        return undefined; // an unknown operator: the selector matches nothing (as in the model)
    }
  }
  const allowed = (key: string, v: string) => !absent.has(key) && !excluded.get(key)?.has(v);
  for (const [key, v] of Object.entries(labels)) if (!allowed(key, v)) return undefined;
  for (const w of wanted) {
    const current = labels[w.key];
    if (current !== undefined) {
      if (w.values && !w.values.includes(current)) return undefined;
      continue;
    }
    // Exists: one more candidate than there are excluded values
    const choices = w.values ?? Array.from({ length: (excluded.get(w.key)?.size ?? 0) + 1 }, (_, i) => (i === 0 ? 'x' : `x${i}`));
    const v = choices.find((c) => allowed(w.key, c));
    if (v === undefined) return undefined;
    labels[w.key] = v;
  }
  return { labels, namespace, anyNamespace: namespace === undefined && anyNamespace };
}

/**
 * Pod label sets that policies among `objects` select in tenant namespaces
 * (endpoint selectors, NetworkPolicy pod selectors, peers naming a tenant
 * namespace), so that the matrix has a representative pod for each: a
 * policy that opens only `app: api` pods must show in the matrix.
 * @internal
 */
export function selectedPodLabels(objects: any[], tenantNamespaces: Set<string>): Map<string, Array<Record<string, string>>> {
  const out = new Map<string, Map<string, Record<string, string>>>();
  const add = (ns: string | undefined, labels: Record<string, string>) => {
    if (ns !== ALL_NAMESPACES && (ns === undefined || !tenantNamespaces.has(ns))) return;
    if (Object.keys(labels).length === 0) return;
    const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let m = out.get(ns);
    if (!m) out.set(ns, (m = new Map()));
    m.set(labelKey(sorted), sorted);
  };
  const peers = (rules: unknown, ownNs: string | undefined) => {
    // Stryker disable next-line ArrayDeclaration: equivalent, a rule that is not an object is skipped like no rule
    for (const r of Array.isArray(rules) ? rules : []) {
      for (const key of ['fromEndpoints', 'toEndpoints']) {
        // Stryker disable next-line ArrayDeclaration: equivalent, a selector that is not an object selects nothing, like no selector
        for (const sel of Array.isArray(r?.[key]) ? r[key] : []) {
          const x = podLabelsOf(sel);
          if (x) add(x.namespace ?? (x.anyNamespace ? ALL_NAMESPACES : ownNs), x.labels);
        }
      }
    }
  };
  for (const o of objects) {
    if (o === null || typeof o !== 'object') continue;
    if (o.kind === 'NetworkPolicy') {
      const ns = o.metadata?.namespace;
      const x = podLabelsOf(o.spec?.podSelector);
      if (x) add(ns, x.labels);
      for (const [dir, field] of [['ingress', 'from'], ['egress', 'to']]) {
        // Stryker disable next-line ArrayDeclaration: equivalent, a rule that is not an object is skipped like no rule
        for (const r of Array.isArray(o.spec?.[dir]) ? o.spec[dir] : []) {
          // Stryker disable next-line ArrayDeclaration: equivalent, a peer that is not an object is skipped like no peer
          for (const peer of Array.isArray(r?.[field]) ? r[field] : []) {
            const pods = podLabelsOf(peer?.podSelector);
            // the peer's namespace: the policy's own, or one namespaceSelector names
            const nsSel = peer?.namespaceSelector;
            const named = nsSel?.matchLabels?.['kubernetes.io/metadata.name'];
            const peerNs = nsSel == null ? ns : named === undefined ? ALL_NAMESPACES : named;
            if (pods) add(peerNs, pods.labels); // not a tenant namespace (or none named): no pod
          }
        }
      }
      continue;
    }
    if (o.kind !== 'CiliumNetworkPolicy' && o.kind !== 'CiliumClusterwideNetworkPolicy') continue;
    const ownNs = o.kind === 'CiliumNetworkPolicy' ? o.metadata?.namespace : undefined;
    // Stryker disable next-line ArrayDeclaration: equivalent, a spec that is not an object is skipped like no spec
    for (const spec of [o.spec, ...(Array.isArray(o.specs) ? o.specs : [])]) {
      if (spec === null || typeof spec !== 'object') continue;
      const x = podLabelsOf(spec.endpointSelector);
      if (x) add(x.namespace ?? (x.anyNamespace ? ALL_NAMESPACES : ownNs) ?? ALL_NAMESPACES, x.labels);
      for (const dir of ['ingress', 'egress', 'ingressDeny', 'egressDeny']) peers(spec[dir], ownNs ?? ALL_NAMESPACES);
    }
  }
  const result = new Map<string, Array<Record<string, string>>>();
  for (const [ns, m] of out) result.set(ns, [...m.values()]);
  return result;
}

function probeValue(id: string): string {
  const v = id.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return (v.length > 63 ? v.slice(0, 63).replace(/[^A-Za-z0-9]+$/, '') : v) || 'x';
}

function isAncestorOrSelf(a: ResolvedTenant, d: ResolvedTenant): boolean {
  return a.index <= d.index && d.index < a.subtreeEnd;
}

function peerMatches(layout: Layout, p: ResolvedPeer, src: Rep): boolean {
  if (!p.tenant) return src.entity === 'world';
  if (!src.tenant) return false;
  if (!(p.subtree ? isAncestorOrSelf(p.tenant, src.tenant) : p.tenant === src.tenant)) return false;
  void layout;
  return hasLabels(src.labels, p.selector);
}

/**
 * The intended verdict for one cell (slow path; the matrix uses the
 * interval version in `intendedItems`). Undefined when the cell is not
 * checked (it involves no tenant endpoint, or the destination is not probed
 * on `p`).
 */
export function intendedCell(layout: Layout, s: number, d: number, p: number): { allowed: boolean; reason: string } | undefined {
  const cfg = layout.cfg;
  const src = layout.reps[s];
  const dst = layout.reps[d];
  if (!dst.probes.includes(p)) return undefined;
  if (!src.tenant && !dst.tenant) return undefined;
  const probe = layout.probes[p];
  const pname = probeName(probe);
  if (dst.tenant) {
    for (const e of cfg.exposures) {
      if (!layout.served[e.index].includes(d)) continue;
      if (!portMatches(e.ports, e.allowIcmp, probe)) continue;
      for (const peer of e.from) {
        if (peerMatches(layout, peer, src)) return { allowed: true, reason: `exposure ${e.name} of ${e.tenant.namespace} admits ${peerText(peer)} on ${pname}` };
      }
    }
  }
  if (src.tenant) {
    const x = src.tenant;
    if (dst.tenant) {
      const y = dst.tenant;
      if (x === y) return { allowed: true, reason: `same tenant (${x.namespace})` };
      if (isAncestorOrSelf(x, y)) return { allowed: true, reason: `${x.namespace} is an ancestor of ${y.namespace}` };
      if (isAncestorOrSelf(y, x)) {
        if (layout.shared[y.index].includes(d)) {
          return { allowed: true, reason: `${y.namespace} shares its ${dst.labels![cfg.serviceLabel]} service with its subtree, which contains ${x.namespace}` };
        }
        return { allowed: false, reason: `${x.namespace} is a descendant of ${y.namespace}, which does not share this endpoint` };
      }
      return { allowed: false, reason: `${x.namespace} and ${y.namespace} are unrelated tenants (neither is an ancestor of the other)` };
    }
    if (d === layout.dns) {
      return isDnsProbe(probe)
        ? { allowed: true, reason: 'every tenant pod may reach cluster DNS on port 53' }
        : { allowed: false, reason: `tenants reach cluster DNS on port 53 only, not ${pname}` };
    }
    if (dst.role === 'platform-service') {
      const svc = cfg.platformServices[dst.service!];
      // Stryker disable next-line BooleanLiteral: platform-service endpoints are never probed on ICMP (the cell is unchecked before this), so the ICMP flag is never read
      return portMatches(svc.ports, false, probe)
        ? { allowed: true, reason: `every tenant pod may reach the platform service ${svc.name}` }
        : { allowed: false, reason: `tenants reach the platform service ${svc.name} on its listed ports only` };
    }
    if (layout.isWorld(d)) {
      return x.allowWorldEgress
        ? { allowed: true, reason: `${x.namespace} allows egress to the world` }
        : { allowed: false, reason: `${x.namespace} does not allow egress to the world` };
    }
    if (d === layout.apiServer) {
      // Stryker disable next-line OptionalChaining: src is a tenant endpoint here, and tenant endpoints always carry labels
      if (src.labels?.[cfg.apiServerAccessLabel] !== 'true') {
        return { allowed: false, reason: `only pods labelled ${cfg.apiServerAccessLabel}="true" may reach the kube-apiserver` };
      }
      return x.allowApiServer
        ? { allowed: true, reason: `opted-in pod of ${x.namespace}, which allows the kube-apiserver` }
        : { allowed: false, reason: `${x.namespace} does not allow the kube-apiserver` };
    }
    if (d === layout.host || d === layout.remoteNode) return { allowed: false, reason: 'tenant pods do not connect to nodes' };
    return { allowed: false, reason: 'tenant pods reach no system pod except cluster DNS and the listed platform services' };
  }
  const y = dst.tenant!;
  if (layout.isWorld(s)) {
    if (y.allowWorldIngress) return { allowed: true, reason: `${y.namespace} accepts connections from the world` };
    if (layout.worldFacing[y.index].includes(d)) return { allowed: true, reason: `${dst.labels![cfg.serviceLabel]} pods accept connections from the world` };
    return { allowed: false, reason: `${y.namespace} does not accept connections from the world here` };
  }
  switch (s) {
    case layout.apiServer:
      return y.allowFromApiServer
        ? { allowed: true, reason: `${y.namespace} accepts the kube-apiserver (webhooks, aggregated APIs)` }
        : { allowed: false, reason: `${y.namespace} does not accept the kube-apiserver` };
    case layout.host:
      return cfg.allowFromHost
        ? { allowed: true, reason: 'tenant pods accept the local node (kubelet probes)' }
        : { allowed: false, reason: 'tenant pods do not accept the local node (allowFromHost is off)' };
    case layout.remoteNode:
      if (y.allowFromRemoteNode) return { allowed: true, reason: `${y.namespace} accepts other nodes` };
      if (layout.worldFacing[y.index].includes(d)) return { allowed: true, reason: 'world-facing pods accept load-balancer traffic forwarded by other nodes' };
      return { allowed: false, reason: `${y.namespace} does not accept other nodes here` };
    case layout.ingress:
      return cfg.allowFromIngress
        ? { allowed: true, reason: "tenant pods accept Cilium's Envoy (Gateway API / Ingress backends)" }
        : { allowed: false, reason: 'Gateway API and Ingress are off' };
    case layout.systemPod:
      return { allowed: true, reason: 'system namespaces may reach every tenant' };
    default:
      return src.namespace === KUBE_SYSTEM
        ? { allowed: true, reason: 'kube-system may reach every tenant' }
        : { allowed: false, reason: `${src.namespace} is neither kube-system nor a system namespace` };
  }
}

function peerText(p: ResolvedPeer): string {
  if (!p.tenant) return 'the world';
  return `${p.tenant.namespace}${p.subtree ? ' and its sub-tenants' : ''}`;
}

/** A set of probes the intention names (an exposure's ports, DNS, a platform service's ports): probe index -> 1 when named. */
interface Matcher {
  readonly id: number;
  readonly mask: Uint8Array;
}

const matchers = new WeakMap<Layout, Map<string, Matcher>>();

/** The matcher `key` of `layout`, built once from `ok`. */
function matcherOf(layout: Layout, key: string, ok: (p: Probe) => boolean): Matcher {
  let byKey = matchers.get(layout);
  if (!byKey) matchers.set(layout, (byKey = new Map()));
  let m = byKey.get(key);
  if (!m) {
    m = { id: byKey.size, mask: Uint8Array.from(layout.probes, (p) => (ok(p) ? 1 : 0)) };
    byKey.set(key, m);
  }
  return m;
}

/**
 * The intended row of a source, in parts: `base` holds on every probe, each
 * of `extras` on the probes its matcher names. `key` names the matchers, so
 * that sources with the same key split the probes alike.
 */
interface IntendedParts {
  readonly base: Intervals;
  readonly extras: ReadonlyArray<{ readonly reps: number[]; readonly matcher: Matcher }>;
  readonly key: string;
  /** Rows built so far, by which extras apply. */
  readonly rows: Map<string, Intervals>;
}

const intendedMemo = new WeakMap<Layout, Map<string, IntendedParts>>();

/**
 * The intended row of source `s`, in parts. A tenant endpoint's depends
 * only on its tenant, the exposures whose peer selectors its labels match
 * and whether it is an opted-in kube-apiserver client: endpoints alike in
 * these share one.
 */
function intendedParts(layout: Layout, s: number): IntendedParts {
  const src = layout.reps[s];
  if (!src.tenant) return buildIntendedParts(layout, s, []);
  const x = src.tenant;
  const matched: ResolvedExposure[] = [];
  for (let a: ResolvedTenant | undefined = x; a; a = a.parent) {
    for (const { e, p: peer } of layout.peerOf[a.index]) {
      if ((a === x || peer.subtree) && hasLabels(src.labels, peer.selector)) matched.push(e);
    }
  }
  // Stryker disable next-line OptionalChaining: src is a tenant endpoint here, and tenant endpoints always carry labels
  const api = src.labels?.[layout.cfg.apiServerAccessLabel] === 'true';
  const key = `${x.index}|${api}|${matched.map((e) => e.index).join(',')}`;
  let memo = intendedMemo.get(layout);
  if (!memo) intendedMemo.set(layout, (memo = new Map()));
  let parts = memo.get(key);
  if (!parts) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a memo cleared more often builds the same parts again
    if (memo.size >= 4096) memo.clear(); // endpoints of a tenant come together
    memo.set(key, (parts = buildIntendedParts(layout, s, matched)));
  }
  return parts;
}

/** `intendedParts` of source `s`; `matched`: for a tenant endpoint, the exposures whose peers it matches. */
function buildIntendedParts(layout: Layout, s: number, matched: ResolvedExposure[]): IntendedParts {
  const cfg = layout.cfg;
  const src = layout.reps[s];
  const base: Intervals[] = [];
  const basePoints: number[] = [];
  // probe-dependent: [reps, matcher]
  const extras: Array<{ reps: number[]; matcher: Matcher }> = [];
  const exposure = (e: ResolvedExposure) => {
    if (e.ports === undefined) basePoints.push(...layout.served[e.index]);
    else extras.push({ reps: layout.served[e.index], matcher: matcherOf(layout, `exposure:${e.index}`, (p) => portMatches(e.ports, e.allowIcmp, p)) });
  };
  if (src.tenant) {
    const x = src.tenant;
    for (const e of matched) exposure(e);
    base.push(layout.subtree(x));
    for (let a = x.parent; a; a = a.parent) basePoints.push(...layout.shared[a.index]);
    extras.push({ reps: [layout.dns], matcher: matcherOf(layout, 'dns', isDnsProbe) });
    for (const r of layout.platformServices) {
      const service = layout.reps[r].service!;
      const ports = cfg.platformServices[service].ports;
      // Stryker disable BooleanLiteral: platform-service endpoints are never probed on ICMP, so their ICMP cell is outside the checked mask
      if (ports === undefined) basePoints.push(r);
      else extras.push({ reps: [r], matcher: matcherOf(layout, `service:${service}`, (p) => portMatches(ports, false, p)) });
      // Stryker restore BooleanLiteral
    }
    if (x.allowWorldEgress) basePoints.push(...layout.worlds);
    // Stryker disable next-line OptionalChaining: src is a tenant endpoint here, and tenant endpoints always carry labels
    if (src.labels?.[cfg.apiServerAccessLabel] === 'true' && x.allowApiServer) basePoints.push(layout.apiServer);
  } else if (layout.isWorld(s)) {
    for (const e of cfg.exposures) if (e.from.some((peer) => !peer.tenant)) exposure(e);
    for (const t of cfg.tenants) {
      if (t.allowWorldIngress) base.push(iv.range(layout.first[t.index], layout.end[t.index]));
      else basePoints.push(...layout.worldFacing[t.index]);
    }
  } else if (s === layout.remoteNode) {
    for (const t of cfg.tenants) {
      if (t.allowFromRemoteNode) base.push(iv.range(layout.first[t.index], layout.end[t.index]));
      else basePoints.push(...layout.worldFacing[t.index]);
    }
  } else if (s === layout.apiServer) {
    for (const t of cfg.tenants) if (t.allowFromApiServer) base.push(iv.range(layout.first[t.index], layout.end[t.index]));
  } else if (s === layout.host) {
    if (cfg.allowFromHost) base.push(iv.range(0, layout.tenantEnd));
  } else if (s === layout.ingress) {
    if (cfg.allowFromIngress) base.push(iv.range(0, layout.tenantEnd));
  } else if (s === layout.systemPod || src.namespace === KUBE_SYSTEM) {
    base.push(iv.range(0, layout.tenantEnd));
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the set of no points adds nothing to the union
  if (basePoints.length > 0) base.push(iv.fromList(basePoints));
  // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: any order that is the same for equal sets names them alike; one that is not only splits groups further
  const key = [...new Set(extras.map((x) => x.matcher.id))].sort((a, b) => a - b).join(',');
  return { base: iv.unionMany(base), extras, key, rows: new Map() };
}

/** The intended row of a source on probe `p`, from its parts. */
function intendedRowOn(parts: IntendedParts, p: number): Intervals {
  // Stryker disable next-line StringLiteral: a prefix every signature shares tells none apart
  let sig = '';
  for (const x of parts.extras) sig += x.matcher.mask[p];
  let row = parts.rows.get(sig);
  // Stryker disable next-line ConditionalExpression: a row built again is the same row
  if (!row) {
    const points: number[] = [];
    for (const x of parts.extras) if (x.matcher.mask[p]) points.push(...x.reps);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the union with no points is the base
    parts.rows.set(sig, (row = points.length > 0 ? iv.union(parts.base, iv.fromList(points)) : parts.base));
  }
  return row;
}

/**
 * Intended rows of source `s` for the probes `only` (indexes into
 * `layout.probes`): unions of sets; the caller intersects them with the
 * checked mask. The part that does not depend on the probe is built once,
 * and probes that the intention names alike share one row.
 */
export function intendedRows(layout: Layout, s: number, only: number[]): Intervals[] {
  const parts = intendedParts(layout, s);
  const out: Intervals[] = new Array(layout.probes.length).fill(iv.EMPTY);
  for (const p of only) out[p] = intendedRowOn(parts, p);
  return out;
}

/** A compiled verification: the layout, the model and the evaluations. @internal */
export interface Verification {
  readonly layout: Layout;
  readonly model: CiliumPolicyModel;
  readonly upper: Reachability;
  readonly lower?: Reachability;
  readonly objects: any[];
}

/** Compiles the model of `objects` against the representative endpoints of `cfg`. @internal */
export function compileVerification(cfg: ResolvedTenantIsolation, objects: any[], systemNamespace: string = DEFAULT_SYSTEM_NAMESPACE,
  selectorsFrom: any[] = objects, ciliumVersion: CiliumVersion = DEFAULT_CILIUM_VERSION): Verification {
  assertServedVersions(objects);
  const layout = new Layout(cfg, systemNamespace, selectedPodLabels(selectorsFrom, new Set(cfg.tenants.map((t) => t.namespace))),
    { ranges: portRangesOf(selectorsFrom), cidrs: cidrsOf(selectorsFrom), workloads: workloadsOf(selectorsFrom) });
  const model = new CiliumPolicyModel(objects, { namespaces: layout.extraNamespaces(), ciliumVersion });
  // Large runs: what laying out left behind is freed before the evaluation, and what the evaluation left before the matrix.
  collectGarbageIfLarge(layout.size);
  const endpoints = layout.endpoints();
  const upper = model.evaluate(endpoints, layout.probes, { bound: 'upper', distinct: true });
  const lower = upper.uncertain.length > 0 ? model.evaluate(endpoints, layout.probes, { bound: 'lower', distinct: true }) : undefined;
  collectGarbageIfLarge(layout.size);
  return { layout, model, upper, lower, objects };
}

/** A Cilium release the model knows, or an error naming the ones it does. @internal */
export function ciliumVersionOf(v: string | undefined): CiliumVersion {
  if (v === undefined) return DEFAULT_CILIUM_VERSION;
  if (!(CILIUM_VERSIONS as readonly string[]).includes(v)) {
    throw new CozynetValidationError([{ path: 'ciliumVersion', value: CozynetValidationError.show(v), message: `must be ${CILIUM_VERSIONS.join(' or ')}` }]);
  }
  return v as CiliumVersion;
}

/** Identity rows -> endpoint rows. */
function toEndpoints(reach: Reachability, row: Intervals): Intervals {
  if (reach.oneToOne) return row;
  const out: number[] = [];
  const ids = reach.identityOfEndpoint;
  for (let e = 0; e < ids.length; e++) if (iv.has(row, ids[e])) out.push(e);
  return iv.fromSorted(out);
}

/** Actual rows (endpoint-indexed) of source `s` for every probe. @internal */
export function actualRows(reach: Reachability, s: number, probeCount: number, only?: number[]): Intervals[] {
  const sid = reach.identityOfEndpoint[s];
  const wanted = only ?? Array.from({ length: probeCount }, (_, i) => i);
  const rows = reach.rows(sid, wanted).map((r) => toEndpoints(reach, r));
  if (!only) return rows;
  const out: Intervals[] = new Array(probeCount).fill(iv.EMPTY);
  only.forEach((p, i) => { out[p] = rows[i]; });
  return out;
}

/**
 * Computes the actual reachability matrix of the representative endpoints
 * of `props`' tenant tree under `objects` (plain JSON objects as written to
 * YAML; default: the objects `TenantIsolation` synthesizes for `props`) and
 * compares it with the intended one (facts §9).
 * @jsii ignore
 */
export function verifyTenantIsolation(props: TenantIsolationProps, objects?: any[], options: VerifyOptions = {}): VerifyReport {
  const cfg = resolveTenants(props);
  return verifyResolved(cfg, objects ?? renderTenantIsolation(cfg), options);
}

/** `verifyTenantIsolation` for an already resolved configuration. @internal */
export function verifyResolved(cfg: ResolvedTenantIsolation, objs: any[], options: VerifyOptions = {}): VerifyReport {
  const systemNamespace = options.systemNamespace ?? DEFAULT_SYSTEM_NAMESPACE;
  const maxCells = options.maxMatrixCells ?? DEFAULT_MAX_MATRIX_CELLS;
  const maxDiffs = options.maxDifferences ?? DEFAULT_MAX_DIFFERENCES;
  const v = compileVerification(cfg, objs, systemNamespace, objs, ciliumVersionOf(options.ciliumVersion));
  const { layout, model, upper, lower } = v;
  const warnings: string[] = [];
  for (const t of cfg.tenants) {
    if (!model.namespaceLabels.has(t.namespace)) {
      warnings.push(`Namespace ${t.namespace} is not among the objects; its pods carry no tenant labels`);
    }
  }
  warnings.push(...model.warnings);

  const n = layout.size;
  const P = layout.probes.length;
  const includeMatrix = n * n <= maxCells;
  const tenantMask = iv.range(0, layout.tenantEnd);
  const probeDest: Intervals[] = layout.probeDestinations();
  const checkedTenant = probeDest.map((d) => iv.intersect(d, tenantMask));
  const probeDestSize = probeDest.map(iv.size);
  const checkedTenantSize = checkedTenant.map(iv.size);

  let checks = 0;
  let allowedChecks = 0;
  let diffCount = 0;
  let undeterminedCount = 0;
  const differences: VerifyDifference[] = [];
  const undetermined: VerifyDifference[] = [];
  const matrix: string[] = [];
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable guard, the layout gives every representative endpoint a distinct probe label
  if (!upper.oneToOne) throw new Error('verify: representative endpoints must have distinct labels');
  const authored = options.tenantAuthored === false ? undefined : new TenantAuthoredCheckBuilder(v, maxDiffs);

  const allProbes = layout.probes.map((_, p) => p);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression: a probe without destinations adds no cell (its mask is empty)
  const tenantProbes = allProbes.filter((p) => probeDest[p].length > 0);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression: a probe without destinations adds no cell (its mask is empty)
  const otherProbes = allProbes.filter((p) => checkedTenant[p].length > 0);
  // Probes whose checked destinations differ are never grouped together.
  const grouper = new ProbeGrouper([probeDest, checkedTenant, authored ? authored.tenantProbeDest : []].map(internedIds));
  for (let s = 0; s < n; s++) {
    const src = layout.reps[s];
    const only = includeMatrix ? undefined : src.tenant ? tenantProbes : otherProbes;
    const probeList = only ?? allProbes;
    // Probes that the rules for this source, its lower bound and its intention treat alike give one result.
    const split = upper.probeSplit(s);
    // Stryker disable next-line UnaryOperator: lowId is read only when there is a lower bound
    const lowId = lower ? lower.identityOfEndpoint[s] : -1;
    const lowSplit = lower ? lower.probeSplit(lowId) : undefined;
    const intent = intendedParts(layout, s);
    // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator: names the probe list; lists that differ also differ in their probes' masks, which the grouper splits by
    const listKey = only === undefined ? 'all' : src.tenant ? 'tenant' : 'other';
    // Stryker disable next-line LogicalOperator,StringLiteral,ArrayDeclaration: without a lower bound its part of the key is the same for every source, and a mask that is not one splits nothing
    const groups = grouper.groups(`${listKey}|${split.key}|${lowSplit?.key ?? ''}|${intent.key}`, probeList,
      // Stryker disable next-line ArrayDeclaration: without a lower bound, a list that is not masks splits nothing
      [...split.masks, ...(lowSplit?.masks ?? []), ...intent.extras.map((x) => x.matcher.mask)]);
    // Stryker disable next-line ArrayDeclaration: only probes of probeList are read (the others have empty masks)
    const rows: Intervals[] = new Array(P).fill(iv.EMPTY);
    // Stryker disable next-line ArrayDeclaration: every probe read is set below, group by group
    const lowRows: Intervals[] = lower ? new Array(P).fill(iv.EMPTY) : rows;
    // Stryker disable next-line ArrayDeclaration: every probe the matrix row reads has a non-empty mask and is set below
    const rowDiffSets: Intervals[] = new Array(P).fill(iv.EMPTY);
    // The listed cells are the first maxDiffs in (source, destination, probe)
    // order: of each probe's cells, only the first `need` can be among them.
    const rowDiffs: Array<[number, number]> = [];
    const rowUnd: Array<[number, number]> = [];
    // Stryker disable next-line ArithmeticOperator: only a bound on what is collected, the list is cut at maxDiffs below
    const needDiffs = maxDiffs - differences.length;
    // Stryker disable next-line ArithmeticOperator: only a bound on what is collected, the list is cut at maxDiffs below
    const needUnd = maxDiffs - undetermined.length;
    const authoredGroups: Array<{ probes: number[]; parts: RowParts }> = [];
    for (const g of groups) {
      const p = g.probes[0];
      const k = g.probes.length;
      const parts = upper.rowParts(s, p);
      const row = parts.row;
      const lowRow = lower ? toEndpoints(lower, lower.rowParts(lowId, p).row) : row;
      for (const q of g.probes) {
        rows[q] = row;
        lowRows[q] = lowRow;
      }
      // Stryker disable next-line ConditionalExpression,LogicalOperator: the groups are read only for a tenant source with the check on (below)
      if (src.tenant && authored) authoredGroups.push({ probes: g.probes, parts });
      const mask = src.tenant ? probeDest[p] : checkedTenant[p];
      // Stryker disable next-line ConditionalExpression: an empty mask adds no check, no allowed cell and no difference
      if (mask.length === 0) continue;
      checks += k * (src.tenant ? probeDestSize[p] : checkedTenantSize[p]);
      const want = iv.intersect(intendedRowOn(intent, p), mask);
      const got = iv.intersect(row, mask);
      allowedChecks += k * iv.size(got);
      let diff = iv.equals(got, want) ? iv.EMPTY : iv.xor(got, want);
      // Stryker disable next-line ConditionalExpression: without a lower bound lowRow is row, so und is empty and diff unchanged
      if (lower) {
        const gotLow = iv.intersect(lowRow, mask);
        const und = iv.xor(got, gotLow);
        diff = iv.intersect(diff, iv.xor(gotLow, want));
        // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty set adds 0 and lists nothing
        if (und.length > 0) {
          undeterminedCount += k * iv.size(und);
          for (const d of iv.first(und, needUnd)) for (const q of g.probes) rowUnd.push([d, q]);
        }
      }
      for (const q of g.probes) rowDiffSets[q] = diff;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty set adds 0 and lists nothing
      if (diff.length > 0) {
        diffCount += k * iv.size(diff);
        for (const d of iv.first(diff, needDiffs)) for (const q of g.probes) rowDiffs.push([d, q]);
      }
    }
    if (src.tenant && authored) authored.add(s, authoredGroups);
    for (const [list, into] of [[rowDiffs, differences], [rowUnd, undetermined]] as const) {
      list.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      for (const [d, p] of list) {
        if (into.length >= maxDiffs) break;
        into.push(cellReport(v, s, d, p));
      }
    }
    // Stryker disable next-line ConditionalExpression: the matrix is left out of the report unless includeMatrix
    if (includeMatrix) matrix.push(matrixRow(layout, s, rows, lowRows, rowDiffSets));
  }

  const tenantAuthored = authored ? authored.result() : { checked: false, ok: true, policy: WIDEST_POLICY, opened: [] };
  const crossTenantUndetermined = undetermined.some((u) => {
    const s = layout.reps[upper.endpointIndex.get(u.source)!];
    const d = layout.reps[upper.endpointIndex.get(u.destination)!];
    return s.tenant && d.tenant && s.tenant !== d.tenant;
  });

  const policies = Object.values(model.policyCounts).reduce((a, b) => a + b, 0);
  const report: VerifyReport = {
    ok: diffCount === 0 && tenantAuthored.ok && !crossTenantUndetermined,
    summary: {
      tenants: cfg.tenants.length,
      endpoints: n,
      identities: upper.size,
      policies,
      checks,
      allowed: allowedChecks,
      differences: diffCount,
      differencesListed: differences.length,
      matrixIncluded: includeMatrix,
      undetermined: undeterminedCount,
      openedByTenantPolicies: authored ? authored.total : 0,
    },
    legend: { ...LEGEND },
    endpoints: [],
    sources: layout.reps.map((r) => r.id),
    destinations: layout.reps.map((r) => r.id),
    ...(includeMatrix ? { matrix } : {}),
    differences,
    undetermined,
    uncertainRules: [...upper.uncertain],
    tenantAuthored,
    warnings,
  };
  // The endpoint list is built when it is first read (the JSON report, the
  // matrix view): a text verdict at 20,000 tenants never needs its 168,008 entries.
  lazyProperty(report, 'endpoints', () => reportEndpoints(layout));
  return report;
}

/** The report's list of endpoints (keys in sorted order, as everywhere in the report). */
function reportEndpoints(layout: Layout): VerifyEndpoint[] {
  // Endpoints probed alike share one list of probe names.
  const probeNames = layout.probes.map(probeName);
  const namesOf = new Map<number[], string[]>();
  return layout.reps.map((r) => {
    let names = namesOf.get(r.probes);
    // Stryker disable next-line ConditionalExpression: a list built again holds the same names
    if (!names) namesOf.set(r.probes, (names = r.probes.map((p) => probeNames[p])));
    const e: Record<string, unknown> = {};
    if (r.entity !== undefined) e.entity = r.entity;
    e.id = r.id;
    // a rep's labels are key-sorted already (`Layout.labelSet`), as the report lists them
    if (r.labels !== undefined) e.labels = r.labels;
    if (r.namespace !== undefined) e.namespace = r.namespace;
    e.probes = names;
    e.role = r.role;
    if (r.tenant !== undefined) e.tenant = r.tenant.namespace;
    return e as unknown as VerifyEndpoint;
  });
}

/**
 * Makes `key` of `target` an enumerable property computed by `make` when
 * first read (then a plain value: JSON, spreads and comparisons see data).
 */
function lazyProperty(target: object, key: string, make: () => unknown): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(value: unknown) {
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/** Per probe, an id shared by the probes whose sets are equal. */
function internedIds(sets: Intervals[]): Int32Array {
  const ids = new Int32Array(sets.length);
  const seen = new Map<string, number>();
  sets.forEach((x, p) => {
    const key = x.join(',');
    let id = seen.get(key);
    if (id === undefined) seen.set(key, (id = seen.size));
    ids[p] = id;
  });
  return ids;
}

/**
 * Splits a list of probes into groups on which given per-probe columns
 * agree (always the fixed ones, plus those of the call), remembering the
 * split by a key that names the columns of the call.
 */
class ProbeGrouper {
  private readonly cache = new Map<string, Array<{ probes: number[] }>>();

  constructor(private readonly fixed: ArrayLike<number>[]) {}

  public groups(key: string, probeList: number[], columns: ArrayLike<number>[]): Array<{ probes: number[] }> {
    let out = this.cache.get(key);
    // Stryker disable next-line ConditionalExpression: groups built again are the same groups
    if (!out) {
      out = [];
      const bySignature = new Map<string, { probes: number[] }>();
      for (const p of probeList) {
        // Stryker disable next-line StringLiteral: a prefix every signature shares tells none apart
        let sig = '';
        for (const c of this.fixed) sig += `${c[p]},`;
        for (const c of columns) sig += `${c[p]},`;
        let g = bySignature.get(sig);
        // Stryker disable next-line ConditionalExpression: a group per probe gives every probe its own result, the same as the group's
        if (!g) {
          g = { probes: [] };
          bySignature.set(sig, g);
          out.push(g);
        }
        g.probes.push(p);
      }
      this.cache.set(key, out);
    }
    return out;
  }
}

function cellReport(v: Verification, s: number, d: number, p: number): VerifyDifference {
  const { layout, upper } = v;
  // Stryker disable next-line ObjectLiteral,BooleanLiteral,StringLiteral: unreachable fallback, a listed cell is always part of the intended matrix
  const want = intendedCell(layout, s, d, p) ?? { allowed: false, reason: 'not part of the intended matrix' };
  const probe = layout.probes[p];
  const dec = upper.decide(upper.identityOfEndpoint[s], upper.identityOfEndpoint[d], probe);
  return {
    source: layout.reps[s].id,
    destination: layout.reps[d].id,
    probe: probeName(probe),
    intended: want.allowed,
    actual: dec.allowed,
    expectation: want.reason,
    explanation: dec.reason + (dec.uncertain.length > 0 ? `; cannot be judged offline: ${dec.uncertain.join('; ')}` : ''),
  };
}

export const WIDEST_POLICY = 'in each tenant namespace, a CiliumNetworkPolicy selecting every pod with ingress from and egress to entity "all" ' +
  '(wider than any rule a tenant can write there: namespaced policies select only their own pods)';

/**
 * Adds, for every tenant, the widest policy it can write in its own
 * namespace and compares every cell between two different tenants with the
 * verdict without it. A namespaced policy touches only its own pods' egress
 * (as senders) and ingress (as receivers), so all tenants' egress halves
 * are opened at once, then all ingress halves: a cell X -> Y changes in
 * the first case exactly when X alone could open it, in the second exactly
 * when Y alone could. Both follow from the halves of each row: with the
 * widest egress policy the source may send anywhere its deny rules allow;
 * with the widest ingress policy every tenant endpoint accepts unless its
 * deny rules refuse.
 */
class TenantAuthoredCheckBuilder {
  private readonly opened: Array<{ k: [number, number, number]; d: VerifyDifference }> = [];
  private count = 0;
  /** Per probe, the tenant endpoints probed on it. */
  public readonly tenantProbeDest: Intervals[];
  private readonly tenantReps: Intervals;
  private readonly all: Intervals;
  /** `opens` by row parts (sources of one class share them), with the tenant it was computed for. */
  private readonly opensMemo = new Map<RowParts, { tenant: number; pair: [Intervals, Intervals] }>();

  constructor(private readonly v: Verification, private readonly maxDiffs: number) {
    const layout = v.layout;
    this.tenantProbeDest = layout.probeDestinations(layout.tenantEnd);
    this.tenantReps = iv.range(0, layout.tenantEnd);
    this.all = iv.range(0, layout.size);
  }

  /** Adds the tenant source `s`, whose probes come in groups with equal row parts and equal tenant destinations. */
  public add(s: number, groups: ReadonlyArray<{ readonly probes: number[]; readonly parts: RowParts }>): void {
    const layout = this.v.layout;
    const x = layout.reps[s].tenant!;
    const own = iv.range(layout.first[x.index], layout.end[x.index]);
    // Listed: the first maxDiffs cells in (source, destination, probe) order.
    const need = this.maxDiffs - this.opened.length;
    const candidates: Array<{ d: number; p: number; direction: 'egress' | 'ingress' }> = [];
    for (const { probes, parts: r } of groups) {
      const dest = this.tenantProbeDest[probes[0]];
      // Stryker disable next-line ConditionalExpression: a probe without tenant destinations opens no cell
      if (dest.length === 0) continue;
      const pair = this.opens(r, x.index, own);
      for (const [direction, open] of [['egress', pair[0]], ['ingress', pair[1]]] as const) {
        // Stryker disable next-line ConditionalExpression: an empty set adds 0 and lists nothing
        if (open.length === 0) continue;
        const cells = iv.intersect(open, dest);
        // Stryker disable next-line ConditionalExpression: an empty set adds 0 and lists nothing
        if (cells.length === 0) continue;
        this.count += probes.length * iv.size(cells);
        for (const d of iv.first(cells, need)) for (const p of probes) candidates.push({ d, p, direction });
      }
    }
    candidates.sort((a, b) => a.d - b.d || a.p - b.p);
    // Stryker disable next-line ArrayDeclaration: the key only serves the sort in result(), which finds the cells in order already
    for (const c of candidates.slice(0, Math.max(need, 0))) this.opened.push({ k: [s, c.d, c.p], d: this.describe(c.direction, s, c.d, c.p) });
  }

  /**
   * What each scenario adds to a row with parts `r` of a source in tenant
   * `tenant` (whose endpoints are `own`), outside that tenant: [egress, ingress].
   */
  private opens(r: RowParts, tenant: number, own: Intervals): [Intervals, Intervals] {
    const known = this.opensMemo.get(r);
    if (known && known.tenant === tenant) return known.pair;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: without deny rules the longer form is accept as well
    let egressOpen = r.egressDeny.length > 0 ? iv.intersect(iv.subtract(this.all, r.egressDeny), r.accept) : r.accept;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: subtracting an empty set changes nothing
    if (r.refuse.length > 0) egressOpen = iv.subtract(egressOpen, r.refuse);
    let ingressOpen = iv.intersect(r.egress, iv.union(r.accept, this.tenantReps));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: subtracting an empty set changes nothing
    if (r.refuse.length > 0) ingressOpen = iv.subtract(ingressOpen, r.refuse);
    const pair: [Intervals, Intervals] = [iv.subtract(iv.subtract(egressOpen, r.row), own), iv.subtract(iv.subtract(ingressOpen, r.row), own)];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a memo cleared more often computes the same pairs again
    if (this.opensMemo.size >= 4096) this.opensMemo.clear();
    // Stryker disable next-line ObjectLiteral: an entry without its tenant is never used, and the pair is computed again
    this.opensMemo.set(r, { tenant, pair });
    return pair;
  }

  public result(): TenantAuthoredCheck {
    // Stryker disable next-line MethodExpression,ArrowFunction,ConditionalExpression,ArithmeticOperator: add() is called source by source and appends sorted cells, so the list is in order already
    this.opened.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2]);
    return { checked: true, ok: this.count === 0, policy: WIDEST_POLICY, opened: this.opened.map((x) => x.d) };
  }

  /** Total number of opened cells (also beyond the listed ones). */
  public get total(): number {
    return this.count;
  }

  private describe(direction: 'egress' | 'ingress', s: number, d: number, p: number): VerifyDifference {
    const { layout, upper } = this.v;
    const reason = upper.decide(upper.identityOfEndpoint[s], upper.identityOfEndpoint[d], layout.probes[p]).reason;
    const cut = reason.indexOf('; ingress ');
    const explanation = direction === 'egress'
      ? `egress allowed by the widest tenant policy (egress); ${reason.slice(cut + 2)}`
      : `${reason.slice(0, cut)}; ingress allowed by the widest tenant policy (ingress)`;
    return {
      source: layout.reps[s].id,
      destination: layout.reps[d].id,
      probe: probeName(layout.probes[p]),
      intended: false,
      actual: true,
      expectation: direction === 'egress'
        ? `${layout.reps[s].tenant!.namespace} alone opened it with an egress policy in its own namespace; the receiver must refuse`
        : `${layout.reps[d].tenant!.namespace} alone opened it with an ingress policy in its own namespace; the sender must refuse`,
      explanation,
    };
  }
}

function matrixRow(layout: Layout, s: number, rows: Intervals[], lowRows: Intervals[], diffs: Intervals[]): string {
  const src = layout.reps[s];
  // Every destination but `ingress` is probed on every probe: a cell is the union and intersection over them.
  const probes = layout.probes.map((_, p) => p);
  const any = iv.unionMany(probes.map((p) => rows[p]));
  let every = iv.range(0, layout.size);
  for (const p of probes) every = iv.intersect(every, rows[p]);
  const unknown = iv.unionMany(probes.map((p) => (rows[p] === lowRows[p] ? iv.EMPTY : iv.xor(rows[p], lowRows[p]))));
  const differs = iv.unionMany(probes.map((p) => diffs[p]));
  let row = '';
  for (let d = 0; d < layout.size; d++) {
    const dst = layout.reps[d];
    if ((!src.tenant && !dst.tenant) || dst.probes.length === 0) {
      row += CELL.notApplicable;
      continue;
    }
    row += iv.has(differs, d) ? CELL.difference : iv.has(unknown, d) ? CELL.undetermined
      : iv.has(every, d) ? CELL.allowed : iv.has(any, d) ? CELL.partial : CELL.denied;
  }
  return row;
}

/** Explanation of one cell, for `cozynet verify --explain`. @internal */
export interface CellExplanation {
  readonly source: string;
  readonly destination: string;
  readonly probe: string;
  readonly intended?: boolean;
  readonly expectation?: string;
  readonly decision: Decision;
  readonly lower?: Decision;
}

/** Explains the verdict for `src` -> `dst` on each probe (default: the destination's probes). @internal */
export function explainCell(v: Verification, src: number, dst: number, probe?: Probe): CellExplanation[] {
  const { layout, upper, lower } = v;
  const probes: Array<{ p: Probe; index?: number }> = probe
    ? [{ p: probe, index: layout.probeIndexOf(probe) }]
    : layout.reps[dst].probes.map((i) => ({ p: layout.probes[i], index: i }));
  if (probes.length === 0) probes.push({ p: layout.probes[0], index: 0 });
  const cells = probes.map(({ p, index }) => {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: index is always set, and intendedCell gives undefined for -1 (no destination carries it)
    const want = index !== undefined && index >= 0 ? intendedCell(layout, src, dst, index) : undefined;
    const decision = upper.decide(upper.identityOfEndpoint[src], upper.identityOfEndpoint[dst], p);
    const low = lower?.decide(lower.identityOfEndpoint[src], lower.identityOfEndpoint[dst], p);
    return {
      source: layout.reps[src].id,
      destination: layout.reps[dst].id,
      probe: probeName(p),
      intended: want?.allowed,
      expectation: want?.reason,
      decision,
      ...(low && low.allowed !== decision.allowed ? { lower: low } : {}),
    };
  });
  if (probe) return cells;
  // The destination's probes: those with the same verdict, intention and rules are one entry (`TCP/8080, UDP/8080`).
  const out: CellExplanation[] = [];
  const keyOf = (c: CellExplanation) => JSON.stringify([c.intended, c.expectation?.split(c.probe).join(''), c.decision, c.lower]);
  let lastKey = '';
  for (const c of cells) {
    const key = keyOf(c);
    if (out.length > 0 && key === lastKey) out[out.length - 1] = { ...out[out.length - 1], probe: `${out[out.length - 1].probe}, ${c.probe}` };
    else out.push(c);
    lastKey = key;
  }
  return out;
}

/** Every checked cell's actual verdict (upper bound), keyed `source|destination|probe`, for comparisons. @internal */
export function forEachCell(v: Verification, fn: (s: number, p: number, allowed: Intervals, mask: Intervals) => void): void {
  const { layout, upper } = v;
  const tenantMask = iv.range(0, layout.tenantEnd);
  const probeDest: Intervals[] = layout.probeDestinations();
  for (let s = 0; s < layout.size; s++) {
    const rows = actualRows(upper, s, layout.probes.length);
    for (let p = 0; p < layout.probes.length; p++) {
      const mask = layout.reps[s].tenant ? probeDest[p] : iv.intersect(probeDest[p], tenantMask);
      if (mask.length > 0) fn(s, p, iv.intersect(rows[p], mask), mask);
    }
  }
}
