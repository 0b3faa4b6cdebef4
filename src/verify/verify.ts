/* eslint-disable no-bitwise */
/**
 * Offline proof of tenant isolation: the reachability the policies actually
 * give (computed with the Cilium model) against the reachability facts §9
 * intends for the tenant tree.
 */
import { forEachBit, hasBit, newBits, popcount, setBit, setRange, words } from './bitset';
import { CiliumPolicyModel, ModelEndpoint, Probe, Reachability } from './model';
import { VerifyDifference, VerifyEndpoint, VerifyOptions, VerifyReport } from './report';
import { CELL, LEGEND } from './symbols';
import { renderTenantIsolation, sortKeysDeep } from '../tenants/policies';
import { TenantIsolationProps } from '../tenants/props';
import { KUBE_SYSTEM, ResolvedTenant, ResolvedTenantIsolation, resolveTenants } from '../tenants/tree';

const DEFAULT_SYSTEM_NAMESPACE = 'cozy-system';
const DEFAULT_MAX_MATRIX_CELLS = 1_000_000;
const DEFAULT_MAX_DIFFERENCES = 10_000;
/** Label of the ordinary representative pods (any label that no policy names). */
const WORKLOAD_LABEL = 'cozynet.io/probe';

/** Probes, by index. */
export const PROBES: Probe[] = [
  { protocol: 'TCP', port: 8080 },
  { protocol: 'UDP', port: 8080 },
  { protocol: 'SCTP', port: 8080 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
  { protocol: 'TCP', port: 443 },
  { protocol: 'TCP', port: 6443 },
];
const P_POD = [0, 1, 2];
const P_DNS = [3, 4, 0];
const P_PLAIN = [0];
const P_WORLD = [5];
const P_APISERVER = [6];
const DNS_PROBES = new Set([3, 4]);

export function probeName(p: Probe): string {
  return `${p.protocol}/${p.port}`;
}

type Role = 'tenant-pod' | 'tenant-service' | 'tenant-apiserver-client' | 'dns' | 'kube-system-pod' | 'system-pod' | 'world' | 'kube-apiserver';

interface Rep {
  readonly id: string;
  readonly role: Role;
  readonly tenant?: ResolvedTenant;
  readonly kind?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly entity?: 'world' | 'kube-apiserver';
  readonly probes: number[];
}

/** The representative endpoints and how they are laid out. */
export class Layout {
  public readonly reps: Rep[] = [];
  /** Endpoints per tenant: ordinary pod, one per service kind, apiserver client. */
  public readonly perTenant: number;
  public readonly tenantEnd: number;
  public readonly dns: number;
  public readonly kubeSystemPod: number;
  public readonly systemPod: number;
  public readonly world: number;
  public readonly apiServer: number;
  public readonly kindIndex = new Map<string, number>();

  constructor(public readonly cfg: ResolvedTenantIsolation, public readonly systemNamespace: string) {
    cfg.serviceKinds.forEach((k, i) => this.kindIndex.set(k, i));
    this.perTenant = cfg.serviceKinds.length + 2;
    for (const t of cfg.tenants) {
      const ns = t.namespace;
      this.reps.push({ id: `${ns}/pod`, role: 'tenant-pod', tenant: t, namespace: ns, labels: { [WORKLOAD_LABEL]: 'workload' }, probes: P_POD });
      for (const k of cfg.serviceKinds) {
        this.reps.push({ id: `${ns}/svc:${k}`, role: 'tenant-service', tenant: t, kind: k, namespace: ns, labels: { [cfg.serviceLabel]: k }, probes: P_POD });
      }
      this.reps.push({
        id: `${ns}/api-client`,
        role: 'tenant-apiserver-client',
        tenant: t,
        namespace: ns,
        labels: { [cfg.apiServerAccessLabel]: 'true' },
        probes: P_POD,
      });
    }
    this.tenantEnd = this.reps.length;
    this.dns = this.push({ id: `${cfg.dnsNamespace}/kube-dns`, role: 'dns', namespace: cfg.dnsNamespace, labels: { ...cfg.dnsPodLabels }, probes: P_DNS });
    this.kubeSystemPod = this.push({
      id: `${KUBE_SYSTEM}/pod`, role: 'kube-system-pod', namespace: KUBE_SYSTEM, labels: { [WORKLOAD_LABEL]: 'workload' }, probes: P_PLAIN,
    });
    this.systemPod = this.push({
      id: `${systemNamespace}/pod`, role: 'system-pod', namespace: systemNamespace, labels: { [WORKLOAD_LABEL]: 'workload' }, probes: P_PLAIN,
    });
    this.world = this.push({ id: 'world', role: 'world', entity: 'world', probes: P_WORLD });
    this.apiServer = this.push({ id: 'kube-apiserver', role: 'kube-apiserver', entity: 'kube-apiserver', probes: P_APISERVER });
  }

  public get size(): number {
    return this.reps.length;
  }

  public first(t: ResolvedTenant): number {
    return t.index * this.perTenant;
  }

  public service(t: ResolvedTenant, kind: string): number {
    return this.first(t) + 1 + this.kindIndex.get(kind)!;
  }

  /** Whether `i` is a source row (pods and the world; not the kube-apiserver). */
  public isSource(i: number): boolean {
    return i !== this.apiServer;
  }

  private push(rep: Rep): number {
    this.reps.push(rep);
    return this.reps.length - 1;
  }
}

function isAncestorOrSelf(a: ResolvedTenant, d: ResolvedTenant): boolean {
  return a.index <= d.index && d.index < a.subtreeEnd;
}

/**
 * The intended verdict for one cell (slow path; the matrix uses the bit-set
 * version in `intendedRow`). Undefined when the cell is not checked (it
 * involves no tenant pod, or it is world -> world/kube-apiserver).
 */
export function intendedCell(layout: Layout, s: number, d: number, p: number): { allowed: boolean; reason: string } | undefined {
  const cfg = layout.cfg;
  const src = layout.reps[s];
  const dst = layout.reps[d];
  if (!dst.probes.includes(p)) return undefined;
  const probe = probeName(PROBES[p]);
  if (src.tenant) {
    const x = src.tenant;
    if (dst.tenant) {
      const y = dst.tenant;
      if (x === y) return { allowed: true, reason: `same tenant (${x.namespace})` };
      if (isAncestorOrSelf(x, y)) return { allowed: true, reason: `${x.namespace} is an ancestor of ${y.namespace}` };
      if (isAncestorOrSelf(y, x)) {
        if (dst.role === 'tenant-service' && y.sharedServices.includes(dst.kind!)) {
          return { allowed: true, reason: `${y.namespace} shares its ${dst.kind} service with its subtree, which contains ${x.namespace}` };
        }
        return { allowed: false, reason: `${x.namespace} is a descendant of ${y.namespace}, which does not share this endpoint` };
      }
      return { allowed: false, reason: `${x.namespace} and ${y.namespace} are unrelated tenants (neither is an ancestor of the other)` };
    }
    switch (dst.role) {
      case 'dns':
        return DNS_PROBES.has(p)
          ? { allowed: true, reason: 'every tenant pod may reach cluster DNS on port 53' }
          : { allowed: false, reason: `tenants reach cluster DNS on port 53 only, not ${probe}` };
      case 'kube-system-pod':
      case 'system-pod':
        return { allowed: false, reason: 'tenant pods reach no system pod except cluster DNS' };
      case 'world':
        return x.allowWorldEgress
          ? { allowed: true, reason: `${x.namespace} allows egress to the world` }
          : { allowed: false, reason: `${x.namespace} does not allow egress to the world` };
      case 'kube-apiserver':
        if (src.role !== 'tenant-apiserver-client') {
          return { allowed: false, reason: `only pods labelled ${cfg.apiServerAccessLabel}="true" may reach the kube-apiserver` };
        }
        return x.allowApiServer
          ? { allowed: true, reason: `opted-in pod of ${x.namespace}, which allows the kube-apiserver` }
          : { allowed: false, reason: `${x.namespace} does not allow the kube-apiserver` };
      default:
        return undefined;
    }
  }
  if (!dst.tenant) return undefined;
  const y = dst.tenant;
  switch (src.role) {
    case 'world':
      if (y.allowWorldIngress) return { allowed: true, reason: `${y.namespace} accepts connections from the world` };
      if (dst.role === 'tenant-service' && cfg.worldIngressServices.includes(dst.kind!)) {
        return { allowed: true, reason: `${dst.kind} pods accept connections from the world` };
      }
      return { allowed: false, reason: `${y.namespace} does not accept connections from the world` };
    case 'system-pod':
      return { allowed: true, reason: 'system namespaces may reach every tenant' };
    default:
      return src.namespace === KUBE_SYSTEM
        ? { allowed: true, reason: 'kube-system may reach every tenant' }
        : { allowed: false, reason: `${src.namespace} is neither kube-system nor a system namespace` };
  }
}

/** Bit-set version of `intendedCell` for one source and probe (unchecked cells are 0). */
function intendedRow(layout: Layout, s: number, p: number, out: Uint32Array, tenantMask: Uint32Array): void {
  out.fill(0);
  const cfg = layout.cfg;
  const src = layout.reps[s];
  const podProbe = P_POD.includes(p);
  if (src.tenant) {
    const x = src.tenant;
    if (podProbe) {
      setRange(out, layout.first(x), x.subtreeEnd * layout.perTenant);
      for (let a = x.parent; a; a = a.parent) for (const k of a.sharedServices) setBit(out, layout.service(a, k));
    }
    if (DNS_PROBES.has(p)) setBit(out, layout.dns);
    if (p === P_WORLD[0] && x.allowWorldEgress) setBit(out, layout.world);
    if (p === P_APISERVER[0] && src.role === 'tenant-apiserver-client' && x.allowApiServer) setBit(out, layout.apiServer);
    return;
  }
  if (!podProbe) return;
  if (src.role === 'world') {
    for (const t of cfg.tenants) {
      if (t.allowWorldIngress) setRange(out, layout.first(t), layout.first(t) + layout.perTenant);
      else for (const k of cfg.worldIngressServices) setBit(out, layout.service(t, k));
    }
  } else if (src.role === 'system-pod' || src.namespace === KUBE_SYSTEM) {
    out.set(tenantMask);
  }
}

function modelEndpoints(layout: Layout): ModelEndpoint[] {
  return layout.reps.map((r) => (r.entity ? { id: r.id, entity: r.entity } : { id: r.id, namespace: r.namespace, labels: r.labels }));
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
  const objs = objects ?? renderTenantIsolation(cfg);
  const systemNamespace = options.systemNamespace ?? DEFAULT_SYSTEM_NAMESPACE;
  const maxCells = options.maxMatrixCells ?? DEFAULT_MAX_MATRIX_CELLS;
  const maxDiffs = options.maxDifferences ?? DEFAULT_MAX_DIFFERENCES;
  const layout = new Layout(cfg, systemNamespace);

  const model = new CiliumPolicyModel(objs, {
    namespaces: {
      [KUBE_SYSTEM]: {},
      [cfg.dnsNamespace]: {},
      [systemNamespace]: { [cfg.systemNamespaceLabel]: 'true' },
    },
  });
  const warnings: string[] = [];
  for (const t of cfg.tenants) {
    if (!model.namespaceLabels.has(t.namespace)) {
      warnings.push(`Namespace ${t.namespace} is not among the objects; its pods carry no tenant labels`);
    }
  }
  const reach = model.evaluate(modelEndpoints(layout), PROBES);
  warnings.push(...model.warnings);

  const n = layout.size;
  const w = words(n);
  const sources: number[] = [];
  for (let i = 0; i < n; i++) if (layout.isSource(i)) sources.push(i);
  const includeMatrix = sources.length * n <= maxCells;

  // Per-probe destination masks, the tenant mask and the entity mask.
  const probeDest = PROBES.map(() => newBits(n));
  layout.reps.forEach((r, i) => { for (const p of r.probes) setBit(probeDest[p], i); });
  const tenantMask = newBits(n);
  setRange(tenantMask, 0, layout.tenantEnd);

  const actual = PROBES.map(() => newBits(n));
  const intended = newBits(n);
  const diff = PROBES.map(() => newBits(n));
  const idRow = newBits(reach.size);

  let checks = 0;
  let allowedChecks = 0;
  let diffCount = 0;
  const differences: VerifyDifference[] = [];
  const matrix: string[] = [];

  for (const s of sources) {
    const src = layout.reps[s];
    const checkedMask = src.tenant ? null : tenantMask; // null: every destination
    const sid = reach.identityOfEndpoint[s];
    const rowDiffs: Array<[number, number]> = [];
    for (let p = 0; p < PROBES.length; p++) {
      const a = actual[p];
      reach.row(sid, p, idRow);
      toEndpointRow(reach, idRow, a);
      intendedRow(layout, s, p, intended, tenantMask);
      const dp = diff[p];
      for (let k = 0; k < w; k++) {
        const mask = checkedMask ? probeDest[p][k] & checkedMask[k] : probeDest[p][k];
        a[k] &= probeDest[p][k];
        dp[k] = (a[k] ^ intended[k]) & mask;
        checks += popcount1(mask);
        allowedChecks += popcount1(a[k] & mask);
      }
      const c = popcount(dp);
      if (c > 0) {
        diffCount += c;
        forEachBit(dp, (d) => rowDiffs.push([d, p]));
      }
    }
    if (rowDiffs.length > 0 && differences.length < maxDiffs) {
      rowDiffs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      for (const [d, p] of rowDiffs) {
        if (differences.length >= maxDiffs) break;
        const want = intendedCell(layout, s, d, p)!;
        const got = hasBit(actual[p], d);
        differences.push({
          source: src.id,
          destination: layout.reps[d].id,
          probe: probeName(PROBES[p]),
          intended: want.allowed,
          actual: got,
          expectation: want.reason,
          explanation: reach.explain(sid, reach.identityOfEndpoint[d], PROBES[p]),
        });
      }
    }
    if (includeMatrix) matrix.push(matrixRow(layout, s, actual, diff));
  }

  const policies = objs.filter((o) => o && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('cilium.io/') &&
    (o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy')).length;

  const endpoints: VerifyEndpoint[] = layout.reps.map((r) => sortKeysDeep({
    id: r.id,
    role: r.role,
    tenant: r.tenant?.namespace,
    namespace: r.namespace,
    labels: r.labels,
    probes: r.probes.map((p) => probeName(PROBES[p])),
  }));

  return {
    ok: diffCount === 0,
    summary: {
      tenants: cfg.tenants.length,
      endpoints: n,
      identities: reach.size,
      policies,
      checks,
      allowed: allowedChecks,
      differences: diffCount,
      differencesListed: differences.length,
      matrixIncluded: includeMatrix,
    },
    legend: { ...LEGEND },
    endpoints,
    sources: sources.map((s) => layout.reps[s].id),
    destinations: layout.reps.map((r) => r.id),
    ...(includeMatrix ? { matrix } : {}),
    differences,
    warnings,
  };
}

function popcount1(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Copies an identity-indexed row into an endpoint-indexed row. */
function toEndpointRow(reach: Reachability, idRow: Uint32Array, out: Uint32Array): void {
  if (reach.oneToOne) {
    out.set(idRow);
    return;
  }
  out.fill(0);
  const ids = reach.identityOfEndpoint;
  for (let e = 0; e < ids.length; e++) if (hasBit(idRow, ids[e])) setBit(out, e);
}

function matrixRow(layout: Layout, s: number, actual: Uint32Array[], diff: Uint32Array[]): string {
  const src = layout.reps[s];
  let row = '';
  for (let d = 0; d < layout.size; d++) {
    const dst = layout.reps[d];
    if (src.role === 'world' && dst.entity) {
      row += CELL.notApplicable;
      continue;
    }
    let allowed = 0;
    let differs = false;
    for (const p of dst.probes) {
      if (hasBit(actual[p], d)) allowed++;
      if (hasBit(diff[p], d)) differs = true;
    }
    row += differs ? CELL.difference : allowed === dst.probes.length ? CELL.allowed : allowed === 0 ? CELL.denied : CELL.partial;
  }
  return row;
}
