/**
 * `cozynet diagram`: a Mermaid flowchart of a synthesized platform, drawn
 * in the style of the reference platform's network architecture page
 * (external clients → router → MetalLB pools → Cilium → CNI → tenants).
 *
 * Everything is read from the model of a built platform (its constructs and
 * the API objects they synthesize), never from the platform file, so the diagram
 * shows what was synthesized. The output is deterministic: nodes and edges
 * follow the platform's order.
 */
import type { Component } from '../constructs/component';
import type { KubeOvnSubnet } from '../constructs/kube-ovn-subnet';
import type { MetalLbPool } from '../constructs/metallb-pool';
import type { MultusAttachment } from '../constructs/multus-attachment';
import type { PassthroughService } from '../constructs/passthrough';
import type { ClusterNetwork } from '../model/cluster';

/**
 * What the diagram is drawn from: the built model of a platform (a
 * `Platform` is one). The renderer depends on the model, not on the
 * construct that owns it.
 * @internal
 */
export interface DiagramModel {
  readonly stack: {
    readonly variant: { readonly name: string };
    readonly cluster: ClusterNetwork;
    component(releaseName: string): Component | undefined;
  };
  readonly pools: MetalLbPool[];
  readonly subnets: KubeOvnSubnet[];
  readonly attachments: MultusAttachment[];
  readonly passthroughServices: PassthroughService[];
  readonly tenantIsolation?: { readonly namespaces: string[] };
  /** The MTU plan, when there is one (a line on the CNI's node). */
  readonly _mtuPlan?: { readonly underlay: number; readonly pod?: number; readonly tenantPod?: number };
  /** Every Kubernetes object of manifests/ (when `options.objects` is not given). */
  objects(): any[];
}

/**
 * Options of `renderDiagram`.
 * @internal
 */
export interface DiagramOptions {
  /**
   * The platform's synthesized objects, when the caller has already rendered
   * them (saves rendering them a second time).
   * @default - `platform.objects()`
   */
  readonly objects?: any[];

  /**
   * Tenant trees with more tenants than this are collapsed.
   * @default 50
   */
  readonly maxTenants?: number;

  /**
   * When collapsing: at most this many tenant and `… N more tenants` nodes
   * for the first levels of the tree (whole levels only). Tenants that a
   * subnet, attachment or passthrough service points at are drawn on top,
   * with their ancestors.
   * @default 30
   */
  readonly tenantNodes?: number;

  /**
   * When collapsing: at most this many children are drawn per tenant.
   * @default 8
   */
  readonly childrenPerTenant?: number;
}

const DEFAULT_MAX_TENANTS = 50;
const DEFAULT_TENANT_NODES = 30;
const DEFAULT_CHILDREN_PER_TENANT = 8;
const ROOT_NAMESPACE = 'tenant-root';
const TENANT_NAMESPACE_PREFIX = 'tenant-';
const VLAN_SUB_INTERFACE = /^(.+)\.(\d{1,4})$/;

/**
 * Escapes text for a quoted Mermaid label: `"` becomes `#quot;`; `#`, `<`
 * and `>` become entity codes too, so user text can neither close the
 * label nor inject markup. Line breaks are added by `label()` only.
 * @internal
 */
export function escapeMermaidText(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/[\r\n]+/g, ' ');
}

/** A quoted label of one or more lines (`<br/>` between them). */
function label(...lines: string[]): string {
  return `"${lines.map(escapeMermaidText).join('<br/>')}"`;
}

/**
 * Hands out Mermaid node ids: `<PREFIX>_<key>` with every run of characters
 * other than letters and digits replaced by `_`, made unique with a numeric
 * suffix. The same (prefix, key) always gets the same id.
 */
class IdRegistry {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  /** Reserves a fixed id (EXT, RTR, ...). */
  public fixed(id: string): string {
    this.used.add(id);
    return id;
  }

  public id(prefix: string, key: string): string {
    const k = `${prefix}\u0000${key}`;
    const known = this.byKey.get(k);
    if (known) return known;
    const base = `${prefix}_${key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`.replace(/_+$/, '');
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(k, id);
    return id;
  }
}

/** Lines of a flowchart: node declarations (with subgraphs) first, then edges. */
class Flowchart {
  private readonly nodes: string[] = [];
  private readonly edges: string[] = [];
  private readonly edgeSet = new Set<string>();
  private depth = 0;

  public node(id: string, text: string, shape: 'box' | 'round' | 'diamond' = 'box'): void {
    const [open, close] = shape === 'round' ? ['(', ')'] : shape === 'diamond' ? ['{', '}'] : ['[', ']'];
    this.nodes.push(`${this.indent()}${id}${open}${text}${close}`);
  }

  public subgraph(id: string, text: string, body: () => void): void {
    this.nodes.push(`${this.indent()}subgraph ${id}[${text}]`);
    this.depth++;
    try {
      body();
    } finally {
      this.depth--;
    }
    this.nodes.push(`${this.indent()}end`);
  }

  /** An edge; `dotted` draws `-.->`. Repeated identical edges are drawn once. */
  public edge(from: string, to: string, text?: string, dotted = false): void {
    const arrow = dotted ? '-.->' : '-->';
    const line = text === undefined ? `${from} ${arrow} ${to}` : `${from} ${arrow}|${label(text)}| ${to}`;
    if (this.edgeSet.has(line)) return;
    this.edgeSet.add(line);
    this.edges.push(line);
  }

  public render(): string {
    return ['flowchart TD', ...this.nodes, ...this.edges].join('\n') + '\n';
  }

  private indent(): string {
    return '  '.repeat(this.depth);
  }
}

/** One tenant of the tree, rebuilt from the namespaces (the dash is the hierarchy separator). */
interface TenantNode {
  readonly namespace: string;
  readonly parent?: TenantNode;
  readonly children: TenantNode[];
  size: number;
}

/** The BGP peers the platform's pools define, by `BGPPeer` name. */
interface PeerInfo {
  readonly asn?: number;
  readonly localAsn?: number;
}

/**
 * The synthesized objects, looked up by kind, namespace and name (the
 * diagram reads what was rendered, tokens and patches resolved).
 */
class ObjectIndex {
  private readonly byKey = new Map<string, any>();

  constructor(objects: any[]) {
    for (const o of objects) {
      const key = objectKey(o?.kind, o?.metadata?.namespace, o?.metadata?.name);
      if (!this.byKey.has(key)) this.byKey.set(key, o);
    }
  }

  public get(kind: string, namespace: string | undefined, name: string): any {
    return this.byKey.get(objectKey(kind, namespace, name));
  }
}

function objectKey(kind: unknown, namespace: unknown, name: unknown): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function collectPeers(pools: MetalLbPool[], objects: ObjectIndex): Map<string, PeerInfo> {
  const peers = new Map<string, PeerInfo>();
  for (const pool of pools) {
    for (const name of pool.peerNames) {
      if (peers.has(name)) continue;
      const spec = objects.get('BGPPeer', pool.namespace, name)?.spec;
      if (spec) peers.set(name, { asn: spec.peerASN, localAsn: spec.myASN });
    }
  }
  return peers;
}

/** The pool's announcements, one line each: `L2 (eth1)`, `BGP (peer-10-0-0-1, AS 65000)`. */
function poolModes(pool: MetalLbPool, peers: Map<string, PeerInfo>): string[] {
  const modes: string[] = [];
  if (pool.l2) modes.push(`L2 (${pool.l2Interfaces.length > 0 ? pool.l2Interfaces.join(', ') : 'all interfaces'})`);
  if (pool.peerNames.length > 0) {
    const list = pool.peerNames.map((n) => {
      const asn = peers.get(n)?.asn;
      return asn === undefined ? n : `${n}, AS ${asn}`;
    });
    modes.push(`BGP (${list.join('; ')})`);
  }
  return modes;
}

function localAsnOf(pool: MetalLbPool, peers: Map<string, PeerInfo>): number | undefined {
  for (const n of pool.peerNames) {
    const asn = peers.get(n)?.localAsn;
    if (asn !== undefined) return asn;
  }
  return undefined;
}

function parentNamespace(namespace: string): string | undefined {
  if (namespace === ROOT_NAMESPACE || !namespace.startsWith(TENANT_NAMESPACE_PREFIX)) return undefined;
  const rest = namespace.slice(TENANT_NAMESPACE_PREFIX.length);
  const dash = rest.lastIndexOf('-');
  return dash < 0 ? ROOT_NAMESPACE : TENANT_NAMESPACE_PREFIX + rest.slice(0, dash);
}

/** The tenant tree from the namespaces in pre-order (as `TenantIsolation.namespaces` lists them). */
function tenantTree(namespaces: string[]): TenantNode[] {
  const byNs = new Map<string, TenantNode>();
  const all: TenantNode[] = [];
  for (const ns of namespaces) {
    const parentNs = parentNamespace(ns);
    const parent = parentNs === undefined ? undefined : byNs.get(parentNs);
    const node: TenantNode = { namespace: ns, parent, children: [], size: 1 };
    parent?.children.push(node);
    byNs.set(ns, node);
    all.push(node);
  }
  for (let i = all.length - 1; i >= 0; i--) {
    const t = all[i];
    if (t.parent) t.parent.size += t.size;
  }
  return all;
}

/**
 * Which tenants to draw. Small trees: all. Large trees: whole levels from
 * the root, at most `perParent` children per tenant, as long as the drawn
 * tenants plus their `… N more tenants` nodes stay within `budget`; then
 * every tenant that other nodes point at, with its ancestors. Returns the
 * drawn set and, per drawn tenant, how many tenants hide below it (the
 * subtrees of its children that are not drawn).
 */
function chooseTenants(all: TenantNode[], pinned: Set<string>, options: DiagramOptions):
{ shown: Set<TenantNode>; hidden: Map<TenantNode, number> } {
  let shown = new Set<TenantNode>(all);
  if (all.length > (options.maxTenants ?? DEFAULT_MAX_TENANTS)) {
    const budget = options.tenantNodes ?? DEFAULT_TENANT_NODES;
    const perParent = options.childrenPerTenant ?? DEFAULT_CHILDREN_PER_TENANT;
    const nodeCount = (set: Set<TenantNode>) => {
      let n = set.size;
      for (const t of set) if (t.children.some((c) => !set.has(c))) n++;
      return n;
    };
    let frontier = all.filter((t) => !t.parent);
    shown = new Set(frontier);
    for (;;) {
      const next = frontier.flatMap((t) => t.children.slice(0, perParent));
      if (next.length === 0) break;
      const candidate = new Set([...shown, ...next]);
      if (nodeCount(candidate) > budget) break;
      shown = candidate;
      frontier = next;
    }
    for (const t of all) {
      if (!pinned.has(t.namespace)) continue;
      for (let a: TenantNode | undefined = t; a && !shown.has(a); a = a.parent) shown.add(a);
    }
  }
  const hidden = new Map<TenantNode, number>();
  for (const t of all) {
    if (!shown.has(t)) continue;
    const more = t.children.filter((c) => !shown.has(c)).reduce((sum, c) => sum + c.size, 0);
    if (more > 0) hidden.set(t, more);
  }
  return { shown, hidden };
}

function hubbleText(cilium: Component | undefined): string | undefined {
  const h = cilium?.values?.hubble;
  if (!h || h.enabled !== true) return undefined;
  const parts = ['flows'];
  if (h.relay?.enabled) parts.push('relay');
  if (h.ui?.enabled) parts.push('UI');
  if (Array.isArray(h.metrics?.enabled) && h.metrics.enabled.length > 0) parts.push(`metrics: ${h.metrics.enabled.join(', ')}`);
  return `Hubble observability (${parts.join(', ')})`;
}

function kiloText(kilo: Component, objects: ObjectIndex): string[] {
  const daemonSet = objects.get('DaemonSet', kilo.releaseNamespace, 'kilo');
  const args: string[] = daemonSet?.spec?.template?.spec?.containers?.[0]?.args ?? [];
  const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const details = [
    arg('mesh-granularity') && `granularity ${arg('mesh-granularity')}`,
    arg('subnet') && `mesh subnet ${arg('subnet')}`,
    arg('port') && `UDP ${arg('port')}`,
  ].filter((x): x is string => !!x);
  return [`Kilo WireGuard mesh (${kilo.releaseNamespace})`, 'between nodes and locations', ...(details.length > 0 ? [details.join(', ')] : [])];
}

/** `bridge br-vlan100, VLAN 100` and the like, from the attachment's CNI config. */
function attachmentDetails(type: string, config: string): string {
  let c: any = {};
  try {
    c = JSON.parse(config);
  } catch {
    c = {};
  }
  const parts: string[] = [type];
  if (c.bridge) parts[0] = `${type} ${c.bridge}`;
  if (c.device) parts[0] = `${type} ${c.device}`;
  if (c.master) parts.push(`on ${c.master}`);
  if (c.vlan !== undefined) parts.push(`VLAN ${c.vlan}`);
  if (c.mode) parts.push(`mode ${c.mode}`);
  if (c.ipam?.type) parts.push(`IPAM ${c.ipam.type}`);
  return parts.join(', ');
}

/** `(TCP 22, UDP 53)` of a per-port passthrough Service. */
function portsText(service: any): string {
  const ports: any[] = service?.spec?.ports ?? [];
  return ports.map((p) => `${p.protocol ?? 'TCP'} ${p.port}`).join(', ');
}

/**
 * The platform's topology as a Mermaid `flowchart TD`: external clients →
 * upstream router → (client VLANs →) MetalLB pools → Cilium → the variant's
 * CNI → the tenant tree, with Kube-OVN subnets and Multus attachments bound
 * to their namespaces and cozy-proxy passthrough services fed by their pools.
 * Tenant trees larger than `options.maxTenants` are collapsed into their
 * first levels and `… N more tenants` nodes.
 * @internal
 */
export function renderDiagram(platform: DiagramModel, options: DiagramOptions = {}): string {
  const chart = new Flowchart();
  const ids = new IdRegistry();
  const stack = platform.stack;
  const cluster = stack.cluster;
  const variant = stack.variant.name;
  const objects = new ObjectIndex(options.objects ?? platform.objects());

  const EXT = ids.fixed('EXT');
  const RTR = ids.fixed('RTR');
  const MLB = ids.fixed('MLB');
  const VLANS = ids.fixed('VLANS');
  const CIL = ids.fixed('CIL');
  const CNI = ids.fixed('CNI');
  const KILO = ids.fixed('KILO');
  const PODS = ids.fixed('PODS');
  const TENANTS = ids.fixed('TENANTS');
  const SUBNETS = ids.fixed('SUBNETS');
  const MULTUS = ids.fixed('MULTUS');
  const PROXY = ids.fixed('PROXY');

  const cilium = stack.component('cilium');
  const kubeovn = stack.component('kubeovn');
  const kilo = stack.component('kilo');
  const metallb = stack.component('metallb');
  const cozyProxy = stack.component('cozy-proxy');
  const multus = stack.component('multus');

  // --- Entry: clients and the router.
  chart.node(EXT, label('External Clients'));
  chart.node(RTR, label('Upstream Router / Gateway'));
  chart.edge(EXT, RTR);

  // --- Client VLANs: the VLAN sub-interfaces L2 pools are announced on.
  const vlanIds = new Map<string, string>();
  for (const pool of platform.pools) {
    for (const itf of pool.l2 ? pool.l2Interfaces : []) {
      if (VLAN_SUB_INTERFACE.test(itf) && !vlanIds.has(itf)) vlanIds.set(itf, ids.id('VLAN', itf));
    }
  }
  if (vlanIds.size > 0) {
    chart.subgraph(VLANS, label('Client VLANs'), () => {
      for (const [itf, id] of vlanIds) {
        const m = VLAN_SUB_INTERFACE.exec(itf)!;
        chart.node(id, label(`VLAN ${Number(m[2])}`, `${itf} on ${m[1]}`));
      }
    });
    for (const id of vlanIds.values()) chart.edge(RTR, id);
  }

  // --- MetalLB pools.
  const peers = collectPeers(platform.pools, objects);
  const poolIds = new Map<string, string>();
  const mlbTitle = metallb ? `MetalLB (${metallb.releaseNamespace})` : 'MetalLB';
  const entries: string[] = [];
  if (platform.pools.length > 0) {
    chart.subgraph(MLB, label(mlbTitle), () => {
      for (const pool of platform.pools) {
        const id = ids.id('POOL', pool.name);
        poolIds.set(pool.name, id);
        const localAsn = localAsnOf(pool, peers);
        chart.node(id, label(
          `Pool ${pool.name}`,
          pool.addresses.join(', '),
          ...poolModes(pool, peers),
          ...(localAsn !== undefined ? [`local AS ${localAsn}`] : []),
        ));
      }
    });
    for (const pool of platform.pools) {
      const id = poolIds.get(pool.name)!;
      if (pool.l2) {
        const vlans = pool.l2Interfaces.filter((i) => vlanIds.has(i));
        for (const itf of vlans) chart.edge(vlanIds.get(itf)!, id, 'L2 (ARP)');
        if (vlans.length < pool.l2Interfaces.length || pool.l2Interfaces.length === 0) chart.edge(RTR, id, 'L2 (ARP)');
      }
      if (pool.peerNames.length > 0) chart.edge(RTR, id, 'BGP');
      entries.push(id);
    }
  } else if (metallb) {
    chart.node(MLB, label(mlbTitle, '(no address pools)'));
    chart.edge(RTR, MLB);
    entries.push(MLB);
  } else {
    entries.push(RTR);
  }

  // --- Cilium: service load balancing and policy.
  let cniEntry: string[] = entries;
  if (cilium) {
    const lines = [
      `Cilium eBPF (${cilium.releaseNamespace})`,
      '(Service Load Balancing + Network Policies)',
      kubeovn ? 'kube-proxy replacement, chained behind Kube-OVN (generic-veth)' : 'kube-proxy replacement',
    ];
    const hubble = hubbleText(cilium);
    if (hubble) lines.push(hubble);
    chart.node(CIL, label(...lines));
    for (const e of entries) chart.edge(e, CIL);
    cniEntry = [CIL];
  }

  // --- The variant's CNI.
  const mtu = platform._mtuPlan;
  const podCidr = `Pod CIDR ${cluster.podCidr}${mtu?.pod !== undefined ? `, MTU ${mtu.pod} (underlay ${mtu.underlay}; tenant cluster pods ${mtu.tenantPod})` : ''}`;
  if (kubeovn) {
    chart.node(CNI, label(
      `Kube-OVN (${kubeovn.releaseNamespace})`,
      '(Pod Networking + IPAM)',
      `${podCidr} (gateway ${cluster.podGateway})`,
      `Join CIDR ${cluster.joinCidr}`,
      cluster.encryption ? 'GENEVE overlay, IPsec between nodes' : 'GENEVE overlay',
    ));
  } else if (cilium) {
    chart.node(CNI, label('Cilium as CNI', '(Pod Networking + IPAM)', podCidr));
  } else {
    chart.node(CNI, label('Bring your own CNI', `(variant ${variant}: no CNI installed by cozynet)`, podCidr));
  }
  for (const e of cniEntry) chart.edge(e, CNI);
  if (kilo) {
    chart.node(KILO, label(...kiloText(kilo, objects)));
    chart.edge(CNI, KILO, 'cross-node traffic', true);
  }

  // --- Namespaces other nodes point at.
  const tenantNamespaces = platform.tenantIsolation?.namespaces ?? [];
  const tenantSet = new Set(tenantNamespaces);
  const subnetNamespaces = platform.subnets.map((s) => {
    const ns = objects.get('Subnet', undefined, s.name)?.spec?.namespaces;
    return Array.isArray(ns) ? ns.map(String) : [];
  });
  const referenced: string[] = [
    ...subnetNamespaces.flat(),
    ...platform.attachments.map((a) => a.namespace),
    ...platform.passthroughServices.map((p) => p.namespace),
  ];
  const pinned = new Set(referenced.filter((ns) => tenantSet.has(ns)));
  const nsId = (ns: string) => ids.id('NS', ns);

  // --- Tenants.
  if (tenantNamespaces.length > 0) {
    const all = tenantTree(tenantNamespaces);
    const { shown, hidden } = chooseTenants(all, pinned, options);
    const title = shown.size < all.length ? `Tenants (${all.length}, ${shown.size} shown)` : `Tenants (${all.length})`;
    chart.subgraph(TENANTS, label(title), () => {
      for (const t of all) {
        if (!shown.has(t)) continue;
        chart.node(nsId(t.namespace), label(t.namespace));
        const more = hidden.get(t);
        if (more !== undefined) chart.node(ids.id('MORE', t.namespace), label(`… ${more} more ${more === 1 ? 'tenant' : 'tenants'}`));
      }
    });
    chart.edge(CNI, TENANTS);
    for (const t of all) {
      if (!shown.has(t)) continue;
      if (t.parent) chart.edge(nsId(t.parent.namespace), nsId(t.namespace));
      if (hidden.has(t)) chart.edge(nsId(t.namespace), ids.id('MORE', t.namespace), undefined, true);
    }
  } else {
    chart.node(PODS, label('Pods', `(Pod CIDR ${cluster.podCidr})`));
    chart.edge(CNI, PODS);
  }

  // Namespaces outside the tenant tree.
  const others = [...new Set(referenced.filter((ns) => !tenantSet.has(ns)))];
  for (const ns of others) {
    chart.node(nsId(ns), label(`namespace ${ns}`));
    chart.edge(CNI, nsId(ns));
  }

  // --- Kube-OVN subnets, bound to their namespaces.
  const nadIds = new Map<string, string>();
  for (const a of platform.attachments) nadIds.set(a.networkName(), ids.id('NAD', a.networkName()));
  if (platform.subnets.length > 0) {
    chart.subgraph(SUBNETS, label('Kube-OVN subnets'), () => {
      for (const s of platform.subnets) {
        const lines = [`Subnet ${s.name}`, `${s.cidr} (gateway ${s.gateway})`];
        lines.push(s.vlanName ? `VLAN underlay ${s.vlanName}` : 'GENEVE overlay');
        if (s.provider !== 'ovn') lines.push(`provider ${s.provider}`);
        chart.node(ids.id('SUB', s.name), label(...lines));
      }
    });
    platform.subnets.forEach((s, i) => {
      const id = ids.id('SUB', s.name);
      for (const ns of subnetNamespaces[i]) chart.edge(id, nsId(ns));
      for (const a of platform.attachments) {
        if (a.provider !== undefined && a.provider === s.provider) chart.edge(id, nadIds.get(a.networkName())!, 'addresses', true);
      }
    });
  }

  // --- Multus attachments, into their namespaces.
  if (platform.attachments.length > 0) {
    chart.subgraph(MULTUS, label(multus ? `Multus attachments (${multus.releaseNamespace})` : 'Multus attachments'), () => {
      for (const a of platform.attachments) {
        chart.node(nadIds.get(a.networkName())!, label(`NAD ${a.networkName()}`, attachmentDetails(a.type, a.config)));
      }
    });
    for (const a of platform.attachments) chart.edge(nadIds.get(a.networkName())!, nsId(a.namespace), 'secondary interface');
  }

  // --- cozy-proxy passthrough services: fed by their pool, into their namespace.
  if (platform.passthroughServices.length > 0) {
    chart.subgraph(PROXY, label(cozyProxy ? `cozy-proxy passthrough (${cozyProxy.releaseNamespace})` : 'cozy-proxy passthrough'), () => {
      for (const p of platform.passthroughServices) {
        const mode = p.wholeIp ? 'whole IP' : portsText(objects.get('Service', p.namespace, p.name));
        chart.node(ids.id('PT', `${p.namespace}/${p.name}`), label(`${p.name} ${p.address} (${mode})`));
      }
    });
    for (const p of platform.passthroughServices) {
      const id = ids.id('PT', `${p.namespace}/${p.name}`);
      const pool = poolIds.get(p.pool);
      if (pool) chart.edge(pool, id);
      chart.edge(id, nsId(p.namespace), '1:1 NAT');
    }
  }

  return chart.render();
}
