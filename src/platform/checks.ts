import { CozynetValidationError, ValidationIssue } from '../model/errors';
import { closeMatches } from '../model/suggest';

/**
 * Checks of the platform's values that no single construct can make: names
 * that become file names and object names, Flux settings, chart sources,
 * dependencies between components, limits. One set of checks for the
 * platform file and for the library (`new Platform(...)`).
 */

/** Most tenants a platform may have (about 3.5 objects each; 10,000 tenants synthesize in ~5 s and ~400 MiB). @internal */
export const MAX_TENANTS = 20000;

/** DNS-1123 label: lowercase alphanumerics and '-', alphanumeric at both ends, at most 63 characters. @internal */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Flux durations (Go `time.ParseDuration` syntax as the Flux CRDs restrict it). @internal */
export const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** Helm release names: a DNS-1123 label of at most 53 characters (Helm's limit). @internal */
export const MAX_RELEASE_NAME = 53;

/** Keys of `components` and the release name each has by default. @internal */
export const COMPONENT_KEYS: Record<string, string> = {
  cilium: 'cilium',
  kubeovn: 'kubeovn',
  metallb: 'metallb',
  multus: 'multus',
  cozyProxy: 'cozy-proxy',
  kilo: 'kilo',
  kubeovnWebhook: 'kubeovn-webhook',
  certManager: 'cert-manager',
  gatewayApiCrds: 'gateway-api-crds',
};

const show = CozynetValidationError.show;

/**
 * Files and local charts of the platform's sections (`manifests/<name>.yaml`,
 * `charts/<name>`): a release of the same name would be merged with them.
 * Names ending in `-manifests` are the local charts of a chart's own objects.
 * @internal
 */
export const SECTION_RELEASES: Record<string, string> = {
  'namespaces': 'the Namespaces of the networking layer',
  'tenants': 'the tenants section',
  'load-balancer': 'the loadBalancer section',
  'subnets': 'the subnets section',
  'attachments': 'the attachments section',
  'passthrough': 'the passthrough section',
};

/**
 * Namespaces Kubernetes itself owns: a component there would label them
 * `privileged` and `cozystack.io/system`, which the tenant baseline admits
 * into every tenant.
 * @internal
 */
export const KUBERNETES_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** A DNS-1123 label check; undefined when fine, else what is allowed. @internal */
export function dnsLabelProblem(value: unknown, max: number = 63): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > max) return `must be at most ${max} characters (a DNS-1123 label), got ${value.length}`;
  if (!DNS_LABEL.test(value)) return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** Whether a value is a Go/Flux duration greater than zero. @internal */
export function durationProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !FLUX_DURATION.test(value) || value.length > 64) {
    return 'must be a duration such as 30s, 5m, 1h or 1h30m (units ms, s, m, h)';
  }
  if (!/[1-9]/.test(value)) return 'must be longer than zero';
  return undefined;
}

/** Checks of a chart override (`components.<x>.chart`). @internal */
export function chartIssues(chart: any, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!chart || typeof chart !== 'object') return issues;
  if (chart.repository !== undefined) {
    const r = chart.repository;
    let ok = false;
    if (typeof r === 'string' && r.length <= 2048) {
      try {
        const u = new URL(r);
        ok = ['http:', 'https:', 'oci:'].includes(u.protocol) && u.hostname.length > 0 && !/\s/.test(r) && !u.username && !u.password;
      } catch {
        ok = false;
      }
    }
    if (!ok) issues.push({ path: `${path}.repository`, value: show(r), message: 'must be an http(s):// Helm repository or an oci:// registry URL with a host (no credentials)' });
  }
  if (chart.name !== undefined) {
    const n = chart.name;
    if (typeof n !== 'string' || n.length > 250 || !/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(n) || n.includes('..')) {
      issues.push({ path: `${path}.name`, value: show(n), message: 'must be a chart name: lowercase letters, digits, "-", "_" and "." (no "/" or "..")' });
    }
  }
  if (chart.version !== undefined) {
    const v = chart.version;
    if (typeof v !== 'string' || v.length > 128 || !/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(v)) {
      issues.push({ path: `${path}.version`, value: show(v), message: 'must be a semantic version such as 1.19.5' });
    }
  }
  return issues;
}

/** Kubernetes label keys: an optional DNS subdomain prefix and "/", then a name of 1-63 characters. @internal */
export function labelKeyProblem(key: unknown): string | undefined {
  const allowed = 'must be a label key: an optional DNS prefix and "/", then 1-63 letters, digits, "-", "_" or "." starting and ending with a letter or digit';
  if (typeof key !== 'string') return allowed;
  const parts = key.split('/');
  if (parts.length > 2) return allowed;
  const name = parts[parts.length - 1];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  if (!/^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) return allowed;
  if (prefix !== undefined && !/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)) return allowed;
  return undefined;
}

/** Kubernetes label values: empty, or 1-63 letters, digits, "-", "_", "." starting and ending with a letter or digit. @internal */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && /^((?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value)) return undefined;
  return 'must be a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
}

/**
 * Container image references (registry/name:tag or @sha256 digest), as the
 * container runtime parses them: lowercase repository, no spaces.
 * @internal
 */
export function imageProblem(value: unknown): string | undefined {
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  const host = '(?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?';
  const re = new RegExp(`^${host}${component}(?:/${component})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);
  if (typeof value === 'string' && value.length <= 512 && re.test(value)) return undefined;
  return 'must be a container image reference such as ghcr.io/org/image:v1.2.3 (lowercase repository, no spaces)';
}

/** Counts the tenants of a tree, stopping past `limit`. @internal */
export function countTenants(tenants: any, limit: number): number {
  let n = 0;
  const stack: any[] = Array.isArray(tenants) ? [...tenants] : [];
  while (stack.length > 0 && n <= limit) {
    const t = stack.pop();
    n++;
    if (t && typeof t === 'object' && Array.isArray(t.children)) {
      for (const c of t.children) stack.push(c);
    }
  }
  return n;
}

/**
 * Value checks of the props that need no construct (run after the shape
 * check, so types are right).
 * @internal
 */
export function checkPlatformValues(props: any): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const components = props.components ?? {};
  for (const [key, name] of Object.entries(COMPONENT_KEYS)) {
    const c = components[key];
    if (!c || typeof c !== 'object') continue;
    const at = `components.${key}`;
    if (c.releaseName !== undefined) {
      const p = dnsLabelProblem(c.releaseName, MAX_RELEASE_NAME);
      if (p) {issues.push({ path: `${at}.releaseName`, value: show(c.releaseName), message: `${p.replace('63', String(MAX_RELEASE_NAME))} (a Helm release name and a file name; default ${name})` });} else if (Object.prototype.hasOwnProperty.call(SECTION_RELEASES, c.releaseName) || /-manifests$/.test(c.releaseName)) {
        const what = SECTION_RELEASES[c.releaseName] ?? 'the local chart of a component\'s own objects';
        issues.push({
          path: `${at}.releaseName`,
          value: show(c.releaseName),
          message: `is the name of ${what} (its manifest file, local chart and Helm release): the two would be merged into one release; choose another release name (reserved: ${Object.keys(SECTION_RELEASES).join(', ')} and names ending in -manifests)`,
        });
      }
    }
    if (c.namespace !== undefined) {
      const p = dnsLabelProblem(c.namespace);
      if (p) {issues.push({ path: `${at}.namespace`, value: show(c.namespace), message: `${p} (a Kubernetes namespace)` });} else if (KUBERNETES_NAMESPACES.includes(c.namespace)) {
        issues.push({
          path: `${at}.namespace`,
          value: show(c.namespace),
          message: `is a namespace of Kubernetes itself: cozynet labels a component's namespace privileged and cozystack.io/system (admitted into every tenant), which ${c.namespace} must not be; use a namespace of its own such as cozy-${name}`,
        });
      }
    }
    if (c.dependsOn !== undefined && Array.isArray(c.dependsOn)) {
      c.dependsOn.forEach((d: unknown, i: number) => {
        const p = dnsLabelProblem(d, MAX_RELEASE_NAME);
        if (p) issues.push({ path: `${at}.dependsOn[${i}]`, value: show(d), message: `${p} (a release name)` });
      });
    }
    issues.push(...chartIssues(c.chart, `${at}.chart`));
  }
  if (components.multus && typeof components.multus === 'object' && components.multus.memoryLimitMiB !== undefined) {
    const m = components.multus.memoryLimitMiB;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 128 || m > 65536) {
      issues.push({ path: 'components.multus.memoryLimitMiB', value: show(m), message: 'must be a whole number of MiB from 128 to 65536' });
    }
  }
  const images: Array<[string, string]> = [['multus', 'image'], ['multus', 'referencePluginsImage'], ['cozyProxy', 'image'], ['kilo', 'image'], ['kubeovnWebhook', 'image']];
  for (const [key, field] of images) {
    const v = components[key]?.[field];
    if (v === undefined) continue;
    const p = imageProblem(v);
    if (p) issues.push({ path: `components.${key}.${field}`, value: show(v), message: p });
  }
  const masterCni = components.multus?.masterCni;
  if (masterCni !== undefined && (typeof masterCni !== 'string' || !/^([A-Za-z0-9][\w.-]{0,99}\.(conflist|conf|json))?$/.test(masterCni))) {
    issues.push({ path: 'components.multus.masterCni', value: show(masterCni), message: 'must be the file name of a CNI configuration in /etc/cni/net.d ending in .conflist, .conf or .json, such as 05-cilium.conflist (no "/"), or "" to let Multus pick the first one' });
  }
  const metrics = props.hubble?.metrics ?? components.cilium?.hubble?.metrics;
  if (Array.isArray(metrics)) {
    const at = props.hubble?.metrics ? 'hubble.metrics' : 'components.cilium.hubble.metrics';
    metrics.forEach((m: unknown, i: number) => {
      if (typeof m !== 'string' || !/^[a-z0-9-]+(:[\w=,;.:/-]+)?$/.test(m) || m.length > 256) {
        issues.push({ path: `${at}[${i}]`, value: show(m), message: 'must be a Hubble metric such as dns, drop, flow or dns:query;ignoreAAAA (no spaces)' });
      }
    });
  }
  issues.push(...isolationIssues(props));
  if (components.kilo && typeof components.kilo === 'object' && components.kilo.wireguardPort !== undefined) {
    const p = components.kilo.wireguardPort;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) {
      issues.push({ path: 'components.kilo.wireguardPort', value: show(p), message: 'must be a UDP port 1-65535' });
    }
  }

  const flux = props.delivery?.flux;
  if (flux && typeof flux === 'object') {
    if (flux.namespace !== undefined) {
      const p = dnsLabelProblem(flux.namespace);
      if (p) issues.push({ path: 'delivery.flux.namespace', value: show(flux.namespace), message: `${p} (a Kubernetes namespace)` });
    }
    if (flux.interval !== undefined) {
      const p = durationProblem(flux.interval);
      if (p) issues.push({ path: 'delivery.flux.interval', value: show(flux.interval), message: p });
    }
    if (flux.retries !== undefined) {
      const r = flux.retries;
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > 1000) {
        issues.push({ path: 'delivery.flux.retries', value: show(r), message: 'must be a whole number from 0 to 1000' });
      }
    }
  }

  if (props.tenants !== undefined && countTenants(props.tenants, MAX_TENANTS) > MAX_TENANTS) {
    issues.push({ path: 'tenants', value: `more than ${MAX_TENANTS} tenants`, message: `a platform holds at most ${MAX_TENANTS} tenants` });
  }
  return issues;
}

/** Labels and label values of the isolation settings and the tenant tree (they end up in selectors). */
function isolationIssues(props: any): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const iso = props.isolation;
  const services = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((v, i) => {
      const p = labelValueProblem(v);
      if (p) issues.push({ path: `${at}[${i}]`, value: show(v), message: `${p} (a value of the service label)` });
    });
  };
  if (iso && typeof iso === 'object') {
    for (const field of ['serviceLabel', 'apiServerAccessLabel', 'systemNamespaceLabel']) {
      if (iso[field] === undefined) continue;
      const p = labelKeyProblem(iso[field]);
      if (p) issues.push({ path: `isolation.${field}`, value: show(iso[field]), message: p });
    }
    if (iso.dnsNamespace !== undefined) {
      const p = dnsLabelProblem(iso.dnsNamespace);
      if (p) issues.push({ path: 'isolation.dnsNamespace', value: show(iso.dnsNamespace), message: `${p} (a Kubernetes namespace)` });
    }
    if (iso.dnsPodLabels && typeof iso.dnsPodLabels === 'object') {
      for (const [k, v] of Object.entries(iso.dnsPodLabels).slice(0, 100)) {
        const pk = labelKeyProblem(k);
        if (pk) issues.push({ path: `isolation.dnsPodLabels[${JSON.stringify(k.length > 100 ? `${k.slice(0, 100)}…` : k)}]`, value: show(k), message: pk });
        const pv = labelValueProblem(v);
        if (pv) issues.push({ path: `isolation.dnsPodLabels[${JSON.stringify(k.length > 100 ? `${k.slice(0, 100)}…` : k)}]`, value: show(v), message: pv });
      }
    }
    services(iso.defaultSharedServices, 'isolation.defaultSharedServices');
    services(iso.worldIngressServices, 'isolation.worldIngressServices');
  }
  // sharedServices of every tenant (iteratively; the tree's size is limited before)
  const stack: Array<[any, string]> = Array.isArray(props.tenants) ? props.tenants.map((t: any, i: number) => [t, `tenants[${i}]`]) : [];
  let seen = 0;
  while (stack.length > 0 && seen++ <= MAX_TENANTS && issues.length < 50) {
    const [t, at] = stack.pop()!;
    if (!t || typeof t !== 'object') continue;
    services(t.sharedServices, `${at}.sharedServices`);
    if (Array.isArray(t.children)) t.children.forEach((c: any, i: number) => stack.push([c, `${at}.children[${i}]`]));
  }
  return issues;
}

/** What the checks after the stack is built need to know of one component. @internal */
export interface BuiltComponent {
  /** The field path of its settings, e.g. `components.metallb`. */
  readonly field: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly dependsOn: string[];
  /** dependsOn entries the user gave (to point at the field). */
  readonly userDependsOn: string[];
}

/**
 * Checks across the built components: release names unique
 * (case-insensitively: they become file names), `dependsOn` naming known
 * releases, no dependency cycle, no component or Flux namespace equal to a
 * tenant's namespace.
 * @internal
 */
export function checkComponents(components: BuiltComponent[], tenantNamespaces: string[], fluxNamespace: string | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const byLower = new Map<string, BuiltComponent>();
  for (const c of components) {
    const other = byLower.get(c.releaseName.toLowerCase());
    if (other) {
      issues.push({
        path: `${c.field}.releaseName`,
        value: show(c.releaseName),
        message: `is also the release name of ${other.field}: release names must be unique (they name files and Helm releases)`,
      });
    } else {
      byLower.set(c.releaseName.toLowerCase(), c);
    }
  }
  const names = components.map((c) => c.releaseName);
  for (const c of components) {
    c.userDependsOn.forEach((d, i) => {
      if (!names.includes(d)) {
        const near = closeMatches(d, names);
        issues.push({
          path: `${c.field}.dependsOn[${i}]`,
          value: show(d),
          message: `is not a component of this platform${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (components: ${names.join(', ')})`,
        });
      }
    });
  }
  const cycle = findCycle(components);
  if (cycle) {
    const first = components.find((c) => c.releaseName === cycle[0])!;
    issues.push({
      path: `${first.field}.dependsOn`,
      value: show(first.dependsOn),
      message: `makes a dependency cycle ${cycle.join(' → ')}: Flux and Terraform would wait forever`,
    });
  }
  const tenants = new Set(tenantNamespaces);
  for (const c of components) {
    if (tenants.has(c.namespace)) {
      issues.push({
        path: `${c.field}.namespace`,
        value: show(c.namespace),
        message: 'is the namespace of a tenant: system components need a namespace of their own (tenant policies would apply to them, and the tenant would get system labels)',
      });
    }
  }
  if (fluxNamespace !== undefined && tenants.has(fluxNamespace)) {
    issues.push({ path: 'delivery.flux.namespace', value: show(fluxNamespace), message: 'is the namespace of a tenant: Flux objects need a namespace of their own' });
  }
  return issues;
}

/** A dependency cycle as release names (first repeated at the end), or undefined. */
function findCycle(components: BuiltComponent[]): string[] | undefined {
  const deps = new Map(components.map((c) => [c.releaseName, c.dependsOn]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 2) return undefined;
    if (state.get(n) === 1) return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 1);
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      if (!deps.has(d)) continue;
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const c of components) {
    const found = visit(c.releaseName);
    if (found) return found;
  }
  return undefined;
}

/** What an object that is not plain data is, in words, or undefined for class instances cozynet accepts (left out). */
function exoticObject(value: object): string | undefined {
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  const boxed: Record<string, string> = { Number: 'number', String: 'string', Boolean: 'boolean', BigInt: 'bigint', Symbol: 'symbol' };
  if (Object.prototype.hasOwnProperty.call(boxed, tag) && !(value instanceof Array)) {
    return `is a ${tag} object (${describeBoxed(value, tag)}), not a ${boxed[tag]}: use the plain value ${primitiveOf(value)}`;
  }
  if (['Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'RegExp', 'Promise', 'Error', 'ArrayBuffer', 'DataView'].includes(tag) || ArrayBuffer.isView(value)) {
    return `is a ${tag}${tag === 'Map' ? ` (${(value as Map<unknown, unknown>).size} entries)` : ''}: props hold plain data only (objects, arrays, strings, numbers, booleans)${tag === 'Map' ? '; use a plain object' : ''}`;
  }
  const proto = Object.getPrototypeOf(value);
  if (!Object.prototype.hasOwnProperty.call(proto, 'constructor')) {
    const inherited: string[] = [];
    // eslint-disable-next-line guard-for-in
    for (const k in value) if (inherited.length < 5) inherited.push(k);
    return `is an object made with Object.create: its keys${inherited.length ? ` (${inherited.join(', ')})` : ''} are inherited, not its own, and would be ignored; use a plain object`;
  }
  return undefined;
}

function primitiveOf(value: object): string {
  try {
    return CozynetValidationError.show((value as any).valueOf());
  } catch {
    return '';
  }
}

function describeBoxed(value: object, tag: string): string {
  return `new ${tag}(${primitiveOf(value)})`;
}

function plainJoin(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_$][\w$-]{0,99}$/.test(key)) return `${path}[${JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key)}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * A copy of the props holding only plain data (objects, arrays, scalars):
 * instances of classes (a `ClusterNetwork` handed to a pool) are TypeScript
 * conveniences outside the platform file's schema and are left out. Objects
 * that only look like data (a Date, a Map, a boxed `new Number(6443)`, an
 * object made with `Object.create` whose keys are inherited) are refused
 * with their field path.
 * @internal
 */
export function plainData(value: any): any {
  const issues: ValidationIssue[] = [];
  const out = plainCopy(value, 0, '', issues);
  if (issues.length > 0) throw new CozynetValidationError(issues);
  return out;
}

function plainCopy(value: any, depth: number, at: string, issues: ValidationIssue[]): any {
  if (depth > 300) throw new CozynetValidationError([{ path: '(props)', value: '', message: 'nested too deeply, or refers to itself' }]);
  if (Array.isArray(value)) return value.map((v, i) => plainCopy(v, depth + 1, plainJoin(at, i), issues));
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const exotic = exoticObject(value);
      if (exotic && issues.length < 50) issues.push({ path: at || '(props)', value: '', message: exotic });
      return undefined;
    }
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      const p = plainCopy(v, depth + 1, plainJoin(at, k), issues);
      if (p !== undefined || v === undefined) {
        // an own `__proto__` key (JSON.parse makes them) stays a key, so the
        // schema names it, as it does in the file; `out[k] =` would set the prototype
        if (v !== undefined) Object.defineProperty(out, k, { value: p, enumerable: true, writable: true, configurable: true });
      }
    }
    return out;
  }
  return value;
}
