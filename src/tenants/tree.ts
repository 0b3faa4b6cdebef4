/**
 * The tenant tree after validation and defaulting. Internal: shared by the
 * policy synthesis (`policies.ts`) and the verifier (`../verify`).
 */
import { ExposurePortProps, ExposureProps, PlatformServiceProps, TenantIsolationProps, TenantProps } from './props';
import { IssueCollector, joinPath } from '../model/errors';

/** Label-related names of the isolation scheme (facts §9). */
export const TENANT_LABEL_PREFIX = 'tenant.cozystack.io/';
export const NAMESPACE_PREFIX = 'tenant-';
export const ROOT_TENANT = 'root';
export const KUBE_SYSTEM = 'kube-system';
export const MAX_NAMESPACE_LENGTH = 63;

export const DEFAULTS = {
  path: 'tenants',
  serviceLabel: 'cozystack.io/service',
  defaultSharedServices: ['etcd', 'ingress', 'monitoring'],
  worldIngressServices: ['ingress'],
  apiServerAccessLabel: 'policy.cozystack.io/allow-to-apiserver',
  allowApiServer: true,
  allowWorldEgress: true,
  allowWorldIngress: false,
  allowFromApiServer: true,
  allowFromRemoteNode: false,
  allowFromHost: true,
  allowFromIngress: false,
  systemNamespaceLabel: 'cozystack.io/system',
  dnsNamespace: 'kube-system',
  dnsPodLabels: { 'k8s-app': 'kube-dns' } as Record<string, string>,
};

const TENANT_KEYS = ['name', 'children', 'sharedServices', 'allowWorldEgress', 'allowWorldIngress', 'allowApiServer', 'allowFromApiServer', 'allowFromRemoteNode'];
const EXPOSURE_KEYS = ['name', 'namespace', 'selector', 'ports', 'allowIcmp', 'from'];
const PEER_KEYS = ['namespace', 'subtree', 'selector', 'world'];
const PORT_KEYS = ['port', 'endPort', 'protocol'];
const PLATFORM_SERVICE_KEYS = ['name', 'namespace', 'namespaceSelector', 'selector', 'ports'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const TENANT_NAME = /^[a-z0-9]+$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** One tenant, resolved. */
export interface ResolvedTenant {
  /** Position in depth-first pre-order (root is 0). */
  readonly index: number;
  readonly name: string;
  /** Names from root to this tenant, root included. */
  readonly path: string[];
  /** Field path in the platform file, e.g. `tenants[0].children[1]`. */
  readonly fieldPath: string;
  readonly namespace: string;
  readonly parent?: ResolvedTenant;
  readonly children: ResolvedTenant[];
  readonly depth: number;
  /** Sorted, without duplicates. */
  readonly sharedServices: string[];
  readonly allowWorldEgress: boolean;
  readonly allowWorldIngress: boolean;
  readonly allowApiServer: boolean;
  readonly allowFromApiServer: boolean;
  readonly allowFromRemoteNode: boolean;
  /** Pre-order index one past the last descendant: the subtree is `[index, subtreeEnd)`. */
  subtreeEnd: number;
}

/** The whole isolation configuration, resolved. */
export interface ResolvedTenantIsolation {
  /** All tenants in depth-first pre-order (children in the order given). */
  readonly tenants: ResolvedTenant[];
  readonly root: ResolvedTenant;
  readonly serviceLabel: string;
  readonly defaultSharedServices: string[];
  readonly worldIngressServices: string[];
  readonly apiServerAccessLabel: string;
  readonly systemNamespaceLabel: string;
  readonly dnsNamespace: string;
  readonly dnsPodLabels: Record<string, string>;
  /** Every service kind mentioned anywhere (shared or world-facing), sorted. */
  readonly serviceKinds: string[];
  readonly allowFromHost: boolean;
  readonly allowFromIngress: boolean;
  readonly platformServices: ResolvedPlatformService[];
  /** Exposures, in the order given. */
  readonly exposures: ResolvedExposure[];
}

/** A port range; `endPort` equals `port` for a single port. */
export interface ResolvedPort {
  readonly port: number;
  readonly endPort: number;
  readonly protocol: string;
}

export interface ResolvedPeer {
  /** A tenant (with `subtree`: and its sub-tenants), or the world when undefined. */
  readonly tenant?: ResolvedTenant;
  readonly subtree: boolean;
  readonly selector: Record<string, string>;
}

export interface ResolvedExposure {
  readonly name: string;
  readonly tenant: ResolvedTenant;
  readonly selector: Record<string, string>;
  /** Undefined: every port and protocol, ICMP included. */
  readonly ports?: ResolvedPort[];
  readonly allowIcmp: boolean;
  readonly from: ResolvedPeer[];
  /** Index in the list. */
  readonly index: number;
}

export interface ResolvedPlatformService {
  readonly name: string;
  readonly namespace?: string;
  readonly namespaceSelector?: Record<string, string>;
  readonly selector: Record<string, string>;
  /** Undefined: every port. */
  readonly ports?: ResolvedPort[];
}

/** Namespace of the tenant at `path` (names from root, root included). */
export function namespaceOf(path: string[]): string {
  if (path.length === 0 || path[0] !== ROOT_TENANT) {
    throw new Error(`a tenant path starts with "${ROOT_TENANT}" (got ${JSON.stringify(path)})`);
  }
  return path.length === 1 ? NAMESPACE_PREFIX + ROOT_TENANT : NAMESPACE_PREFIX + path.slice(1).join('-');
}

/** The namespace label that marks `namespace` and all its descendants. */
export function tenantLabel(namespace: string): string {
  return TENANT_LABEL_PREFIX + namespace;
}

/** Whether `key` is a valid Kubernetes label key (optional DNS-subdomain prefix, then a name). */
export function isLabelKey(key: unknown): boolean {
  if (typeof key !== 'string' || key.length === 0) return false;
  const slash = key.indexOf('/');
  const name = key.slice(slash + 1); // the whole key when there is no slash (-1 + 1)
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** Whether `value` is a valid, non-empty Kubernetes label value. */
export function isNonEmptyLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= 63 && LABEL_NAME.test(value);
}

function isLabelValue(value: unknown): boolean {
  return value === '' || isNonEmptyLabelValue(value);
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function parentPath(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('.'), 0));
}

/** Field path of the isolation options (prefix of their error paths). */
export function optionsPathOf(props: Pick<TenantIsolationProps, 'path' | 'optionsPath'>): string {
  return props?.optionsPath ?? parentPath(props?.path ?? DEFAULTS.path);
}

function checkBoolean(issues: IssueCollector, field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    issues.add(field, value, 'must be true or false');
    return undefined;
  }
  return value;
}

function checkServiceList(issues: IssueCollector, field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    issues.add(field, value, 'must be a list of service kinds (label values such as "ingress")');
    return undefined;
  }
  const inner = issues.at(field);
  const out: string[] = [];
  value.forEach((v, i) => {
    if (!isNonEmptyLabelValue(v)) {
      inner.add(i, v, 'must be a non-empty label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    } else {
      out.push(v);
    }
  });
  return sortedUnique(out);
}

function checkLabelKey(issues: IssueCollector, field: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (!isLabelKey(value)) {
    issues.add(field, value, 'must be a Kubernetes label key such as "example.com/name"');
    return fallback;
  }
  return value as string;
}

/**
 * Validates the props and resolves defaults and inheritance. Throws a
 * `CozynetValidationError` listing every problem, each with its field path.
 */
export function resolveTenants(props: TenantIsolationProps): ResolvedTenantIsolation {
  const path = props?.path ?? DEFAULTS.path;
  const allIssues = new IssueCollector('');
  const issues = allIssues.at(path);
  const optionIssues = allIssues.at(optionsPathOf(props));
  if (props === null || typeof props !== 'object') {
    issues.add(undefined, props, 'tenant isolation props must be an object with a "tenants" list');
    issues.throwIfAny();
  }

  const serviceLabel = checkLabelKey(optionIssues, 'serviceLabel', props.serviceLabel, DEFAULTS.serviceLabel);
  const apiServerAccessLabel = checkLabelKey(optionIssues, 'apiServerAccessLabel', props.apiServerAccessLabel, DEFAULTS.apiServerAccessLabel);
  const systemNamespaceLabel = checkLabelKey(optionIssues, 'systemNamespaceLabel', props.systemNamespaceLabel, DEFAULTS.systemNamespaceLabel);
  const defaultSharedServices = checkServiceList(optionIssues, 'defaultSharedServices', props.defaultSharedServices)
    ?? [...DEFAULTS.defaultSharedServices];
  const worldIngressServices = checkServiceList(optionIssues, 'worldIngressServices', props.worldIngressServices)
    ?? [...DEFAULTS.worldIngressServices];
  const rootApiServer = checkBoolean(optionIssues, 'allowApiServer', props.allowApiServer) ?? DEFAULTS.allowApiServer;
  const rootWorldEgress = checkBoolean(optionIssues, 'allowWorldEgress', props.allowWorldEgress) ?? DEFAULTS.allowWorldEgress;
  const rootWorldIngress = checkBoolean(optionIssues, 'allowWorldIngress', props.allowWorldIngress) ?? DEFAULTS.allowWorldIngress;
  const rootFromApiServer = checkBoolean(optionIssues, 'allowFromApiServer', props.allowFromApiServer) ?? DEFAULTS.allowFromApiServer;
  const rootFromRemoteNode = checkBoolean(optionIssues, 'allowFromRemoteNode', props.allowFromRemoteNode) ?? DEFAULTS.allowFromRemoteNode;
  const allowFromHost = checkBoolean(optionIssues, 'allowFromHost', props.allowFromHost) ?? DEFAULTS.allowFromHost;
  const allowFromIngress = checkBoolean(optionIssues, 'allowFromIngress', props.allowFromIngress) ?? DEFAULTS.allowFromIngress;
  let dnsNamespace = DEFAULTS.dnsNamespace;
  if (props.dnsNamespace !== undefined) {
    if (typeof props.dnsNamespace !== 'string' || props.dnsNamespace.length > 63 || !DNS_LABEL.test(props.dnsNamespace)) {
      optionIssues.add('dnsNamespace', props.dnsNamespace, 'must be a namespace name (lowercase letters, digits and "-", at most 63 characters)');
    } else {
      dnsNamespace = props.dnsNamespace;
    }
  }
  let dnsPodLabels: Record<string, string> = { ...DEFAULTS.dnsPodLabels };
  if (props.dnsPodLabels !== undefined) {
    const labels = props.dnsPodLabels as unknown;
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels) || Object.keys(labels).length === 0) {
      optionIssues.add('dnsPodLabels', labels, 'must be a non-empty map of pod labels, e.g. { k8s-app: kube-dns }');
    } else {
      const inner = optionIssues.at('dnsPodLabels');
      const out: Record<string, string> = {};
      for (const key of Object.keys(labels).sort()) {
        const v = (labels as Record<string, unknown>)[key];
        if (!isLabelKey(key)) inner.add(key, key, 'must be a Kubernetes label key');
        else if (!isLabelValue(v)) inner.add(key, v, 'must be a Kubernetes label value');
        else out[key] = v as string;
      }
      dnsPodLabels = out;
    }
  }

  const tenants: ResolvedTenant[] = [];
  const list = props.tenants as unknown;
  if (!Array.isArray(list)) {
    issues.add(undefined, list, `must be a list with exactly one top-level tenant, "${ROOT_TENANT}"`);
  } else if (list.length === 0) {
    issues.add(undefined, list, `must contain exactly one top-level tenant, "${ROOT_TENANT}"`);
  } else {
    for (let i = 1; i < list.length; i++) {
      issues.add(i, list[i]?.name ?? list[i],
        `only one top-level tenant ("${ROOT_TENANT}") is allowed; place other tenants in ${joinPath(path, 0)}.children`);
    }
    walk(list[0], joinPath(path, 0));
  }

  function walk(top: unknown, topField: string): void {
    // Iterative depth-first pre-order walk; a deep tree must not overflow the stack.
    interface Item { props: unknown; field: string; parent?: ResolvedTenant }
    const stack: Item[] = [{ props: top, field: topField }];
    while (stack.length > 0) {
      const item = stack.pop()!;
      const t = item.props as TenantProps;
      const at = allIssues.at(item.field);
      if (t === null || typeof t !== 'object' || Array.isArray(t)) {
        at.add(undefined, t, 'must be a tenant: an object with at least a "name"');
        continue;
      }
      for (const key of Object.keys(t)) {
        if (!TENANT_KEYS.includes(key)) at.add(key, (t as any)[key], `unknown key; allowed keys: ${TENANT_KEYS.join(', ')}`);
      }
      const parent = item.parent;
      let nameOk = true;
      if (typeof t.name !== 'string' || !TENANT_NAME.test(t.name)) {
        at.add('name', t.name, 'must be lowercase letters and digits only (the dash is the hierarchy separator)');
        nameOk = false;
      } else if (parent === undefined && t.name !== ROOT_TENANT) {
        at.add('name', t.name, `the top-level tenant must be named "${ROOT_TENANT}"`);
        nameOk = false;
      } else if (parent !== undefined && t.name === ROOT_TENANT) {
        at.add('name', t.name, `"${ROOT_TENANT}" is reserved for the top-level tenant`);
        nameOk = false;
      }
      const sharedServices = checkServiceList(at, 'sharedServices', t.sharedServices) ?? defaultSharedServices;
      const allowWorldEgress = checkBoolean(at, 'allowWorldEgress', t.allowWorldEgress) ?? parent?.allowWorldEgress ?? rootWorldEgress;
      const allowWorldIngress = checkBoolean(at, 'allowWorldIngress', t.allowWorldIngress) ?? parent?.allowWorldIngress ?? rootWorldIngress;
      const allowApiServer = checkBoolean(at, 'allowApiServer', t.allowApiServer) ?? parent?.allowApiServer ?? rootApiServer;
      const allowFromApiServer = checkBoolean(at, 'allowFromApiServer', t.allowFromApiServer) ?? parent?.allowFromApiServer ?? rootFromApiServer;
      const allowFromRemoteNode = checkBoolean(at, 'allowFromRemoteNode', t.allowFromRemoteNode) ?? parent?.allowFromRemoteNode ?? rootFromRemoteNode;
      let children: unknown[] = [];
      if (t.children !== undefined) {
        if (!Array.isArray(t.children)) at.add('children', t.children, 'must be a list of tenants');
        else children = t.children;
      }
      if (!nameOk) continue; // descendants of an invalid tenant would only repeat the problem

      const namePath = parent ? [...parent.path, t.name] : [t.name];
      const namespace = namespaceOf(namePath);
      if (namespace.length > MAX_NAMESPACE_LENGTH) {
        at.add('name', t.name, `the resulting namespace "${namespace}" is ${namespace.length} characters long; ` +
          `at most ${MAX_NAMESPACE_LENGTH} are allowed (shorten this name or an ancestor's)`);
        continue;
      }
      const tenant: ResolvedTenant = {
        index: tenants.length,
        name: t.name,
        path: namePath,
        fieldPath: item.field,
        namespace,
        parent,
        children: [],
        depth: parent ? parent.depth + 1 : 0,
        sharedServices,
        allowWorldEgress,
        allowWorldIngress,
        allowApiServer,
        allowFromApiServer,
        allowFromRemoteNode,
        // Stryker disable next-line UnaryOperator: a placeholder, set once the subtree is walked
        subtreeEnd: -1,
      };
      tenants.push(tenant);
      parent?.children.push(tenant);

      // Sibling uniqueness, then push children in reverse so they pop in order.
      const seen = new Map<string, number>();
      const accepted: Item[] = [];
      children.forEach((c, i) => {
        const field = joinPath(joinPath(item.field, 'children'), i);
        const name = (c as any)?.name;
        if (typeof name === 'string' && TENANT_NAME.test(name)) {
          const first = seen.get(name);
          if (first !== undefined) {
            at.add(`children[${i}].name`, name,
              `duplicate tenant name among siblings (already used by ${joinPath(joinPath(item.field, 'children'), first)}); sibling names must be unique`);
            return;
          }
          seen.set(name, i);
        }
        accepted.push({ props: c, field, parent: tenant });
      });
      for (let i = accepted.length - 1; i >= 0; i--) stack.push(accepted[i]);
    }
  }

  const byNamespace = new Map(tenants.map((t) => [t.namespace, t]));
  const exposures = resolveExposures(optionIssues, props.exposures, byNamespace);
  const platformServices = resolvePlatformServices(optionIssues, props.platformServices, byNamespace);

  allIssues.throwIfAny();

  // Subtree ranges: in pre-order, a subtree is contiguous. Walk backwards so
  // children are finished before their parent.
  for (let i = tenants.length - 1; i >= 0; i--) {
    const t = tenants[i];
    t.subtreeEnd = t.children.length === 0 ? i + 1 : t.children[t.children.length - 1].subtreeEnd;
  }

  const kinds = new Set<string>([...defaultSharedServices, ...worldIngressServices]);
  for (const t of tenants) for (const k of t.sharedServices) kinds.add(k);

  return {
    tenants,
    root: tenants[0],
    serviceLabel,
    defaultSharedServices,
    worldIngressServices,
    apiServerAccessLabel,
    systemNamespaceLabel,
    dnsNamespace,
    dnsPodLabels,
    serviceKinds: [...kinds].sort(),
    allowFromHost,
    allowFromIngress,
    platformServices,
    exposures,
  };
}

function checkKeys(issues: IssueCollector, value: object, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) issues.add(key, (value as any)[key], `unknown key; allowed keys: ${allowed.join(', ')}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Label map (keys and values checked); `{}` when absent. */
function checkLabelMap(issues: IssueCollector, field: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.add(field, value, 'must be a map of labels, e.g. { app: api }');
    return {};
  }
  const inner = issues.at(field);
  const out: Record<string, string> = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (!isLabelKey(key)) inner.add(key, key, 'must be a Kubernetes label key');
    else if (!isLabelValue(v)) inner.add(key, v, 'must be a Kubernetes label value');
    else out[key] = v as string;
  }
  return out;
}

function checkDnsLabelName(issues: IssueCollector, field: string, value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    issues.add(field, value, 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters');
    return false;
  }
  return true;
}

function checkPorts(issues: IssueCollector, field: string, value: unknown): ResolvedPort[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    issues.add(field, value, 'must be a non-empty list of { port, endPort, protocol }; leave it out for every port');
    return undefined;
  }
  const out: ResolvedPort[] = [];
  value.forEach((p: ExposurePortProps, i) => {
    const at = issues.at(field).at(i);
    if (!isPlainObject(p)) return at.add(undefined, p, 'must be an object { port, endPort, protocol }');
    checkKeys(at, p, PORT_KEYS);
    const portOk = Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535;
    if (!portOk) at.add('port', p.port, 'must be a port number 1-65535');
    let endPort = p.port;
    if (p.endPort !== undefined) {
      if (!Number.isInteger(p.endPort) || p.endPort < p.port || p.endPort > 65535) at.add('endPort', p.endPort, `must be a port number from port (${p.port}) to 65535`);
      else endPort = p.endPort;
    }
    const protocol = p.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(protocol)) at.add('protocol', p.protocol, `must be one of ${PROTOCOLS.join(', ')}`);
    // Stryker disable next-line ConditionalExpression: equivalent, a bad port is an issue, thrown before the list is read
    else if (portOk) out.push({ port: p.port, endPort, protocol });
  });
  return out;
}

const NAMESPACE_MAPS = new WeakMap<ResolvedTenantIsolation, Map<string, ResolvedTenant>>();

/**
 * Resolves a list of exposures against an already resolved tree (for
 * exposures added after the tree). Throws like `resolveTenants`.
 */
export function resolveExposureList(cfg: ResolvedTenantIsolation, list: ExposureProps[], optionsPath = ''): ResolvedExposure[] {
  const allIssues = new IssueCollector('');
  let byNamespace = NAMESPACE_MAPS.get(cfg);
  // Stryker disable next-line ConditionalExpression: a cache; building the map again gives the same map
  if (!byNamespace) NAMESPACE_MAPS.set(cfg, (byNamespace = new Map(cfg.tenants.map((t) => [t.namespace, t]))));
  const out = resolveExposures(allIssues.at(optionsPath), list, byNamespace);
  allIssues.throwIfAny();
  return out;
}

function resolveExposures(issues: IssueCollector, list: ExposureProps[] | undefined, tenants: Map<string, ResolvedTenant>): ResolvedExposure[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    issues.add('exposures', list, 'must be a list of exposures { name, namespace, selector, ports, from }');
    // Stryker disable next-line ArrayDeclaration: equivalent, the issue is thrown before the list is read
    return [];
  }
  const out: ResolvedExposure[] = [];
  const seen = new Map<string, number>();
  const tenantOf = (at: IssueCollector, field: string, ns: unknown): ResolvedTenant | undefined => {
    const t = tenants.get(ns as string); // a number or object is no key of the map
    if (!t) {
      const known = [...tenants.keys()];
      at.add(field, ns, `must be the namespace of a tenant (${known.length > 8 ? known.slice(0, 8).join(', ') + ', …' : known.join(', ')})`);
    }
    return t;
  };
  list.forEach((e, i) => {
    const at = issues.at('exposures').at(i);
    if (!isPlainObject(e)) return at.add(undefined, e, 'must be an exposure { name, namespace, selector, ports, from }');
    checkKeys(at, e, EXPOSURE_KEYS);
    const nameOk = checkDnsLabelName(at, 'name', e.name);
    const tenant = tenantOf(at, 'namespace', e.namespace);
    if (nameOk && tenant) {
      const key = `${tenant.namespace}/${e.name}`;
      const first = seen.get(key);
      if (first !== undefined) at.add('name', e.name, `duplicate exposure name in ${tenant.namespace} (already used by exposures[${first}])`);
      else seen.set(key, i);
    }
    const selector = checkLabelMap(at, 'selector', e.selector);
    const ports = checkPorts(at, 'ports', e.ports);
    const allowIcmp = checkBoolean(at, 'allowIcmp', e.allowIcmp) ?? false;
    const from: ResolvedPeer[] = [];
    if (!Array.isArray(e.from) || e.from.length === 0) {
      at.add('from', e.from, 'must list at least one peer: { namespace: tenant-x } (with subtree, selector) or { world: true }');
    } else {
      e.from.forEach((p, j) => {
        const pat = at.at('from').at(j);
        if (!isPlainObject(p)) return pat.add(undefined, p, 'must be a peer { namespace, subtree, selector } or { world: true }');
        checkKeys(pat, p, PEER_KEYS);
        const world = checkBoolean(pat, 'world', p.world) ?? false;
        const subtree = checkBoolean(pat, 'subtree', p.subtree) ?? false;
        const sel = checkLabelMap(pat, 'selector', p.selector);
        if (world === (p.namespace !== undefined)) {
          return pat.add(undefined, p, 'must set exactly one of namespace (a tenant) and world: true');
        }
        if (world) {
          if (p.subtree !== undefined || p.selector !== undefined) pat.add(undefined, p, 'subtree and selector apply to a tenant peer only');
          from.push({ subtree: false, selector: {} });
          return;
        }
        const t = tenantOf(pat, 'namespace', p.namespace);
        // Stryker disable next-line ConditionalExpression: equivalent, an unknown namespace is an issue, thrown before the list is read
        if (t) from.push({ tenant: t, subtree, selector: sel });
      });
    }
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, a bad name or namespace is an issue, thrown before the list is read
    if (nameOk && tenant) out.push({ name: e.name, tenant, selector, ports, allowIcmp, from, index: i });
  });
  return out;
}

function resolvePlatformServices(issues: IssueCollector, list: PlatformServiceProps[] | undefined,
  tenants: Map<string, ResolvedTenant>): ResolvedPlatformService[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    issues.add('platformServices', list, 'must be a list of { name, namespace or namespaceSelector, selector, ports }');
    // Stryker disable next-line ArrayDeclaration: equivalent, the issue is thrown before the list is read
    return [];
  }
  const out: ResolvedPlatformService[] = [];
  const names = new Set<string>();
  list.forEach((s, i) => {
    const at = issues.at('platformServices').at(i);
    if (!isPlainObject(s)) return at.add(undefined, s, 'must be an object { name, namespace or namespaceSelector, selector, ports }');
    checkKeys(at, s, PLATFORM_SERVICE_KEYS);
    const nameOk = checkDnsLabelName(at, 'name', s.name);
    if (nameOk) {
      if (names.has(s.name)) at.add('name', s.name, 'duplicate platform service name');
      names.add(s.name);
    }
    if ((s.namespace === undefined) === (s.namespaceSelector === undefined)) {
      at.add(undefined, s.name, 'must set exactly one of namespace and namespaceSelector');
    }
    let nsOk = true;
    if (s.namespace !== undefined) nsOk = checkDnsLabelName(at, 'namespace', s.namespace);
    const owner = tenants.get(s.namespace as string); // no tenant namespace is undefined or invalid
    if (owner) {
      // Its pods would be behind that tenant's own baseline, which admits
      // only the tenant's subtree: other tenants could never reach it.
      at.add('namespace', s.namespace, `is the namespace of tenant ${owner.path.join('/')} (${owner.fieldPath}); a platform service must live outside the tenant namespaces (give its own namespace, or make it an exposure of that tenant)`);
    }
    const nsSel = s.namespaceSelector !== undefined ? checkLabelMap(at, 'namespaceSelector', s.namespaceSelector) : undefined;
    if (nsSel !== undefined && Object.keys(nsSel).length === 0) at.add('namespaceSelector', s.namespaceSelector, 'must name at least one label (an empty selector would be every namespace, tenants included)');
    const selector = checkLabelMap(at, 'selector', s.selector);
    const ports = checkPorts(at, 'ports', s.ports);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, a bad name or namespace is an issue, thrown before the list is read
    if (nameOk && nsOk) out.push({ name: s.name, namespace: s.namespace, namespaceSelector: nsSel, selector, ports });
  });
  return out;
}
