/**
 * Reachability as a policy analyzer shows it (`cozynet verify --matrix`):
 * who reaches whom on which ports, for any set of policies, with no tenant
 * tree and no intention.
 *
 * Endpoints: one per workload of the input (Pods without an owner,
 * Deployments, StatefulSets, DaemonSets, ReplicaSets and Jobs without an
 * owner, CronJobs, KubeVirt VirtualMachines: their template's labels and
 * service account), one per label set that a policy selects or names as a
 * peer and no workload of its namespace carries, one pod (no labels) per
 * namespace without workloads, and the entities `world`, `kube-apiserver`,
 * `host`, `remote-node` and `ingress` (pairs of two entities are shown only
 * towards `host`, whose firewall may decide them).
 *
 * Ports: per protocol, the equivalence classes of the port ranges that the
 * policies and the workloads' container ports name (`port`, `endPort`,
 * `protocol: ANY`), so that every concrete port falls in a probed class: a
 * class is a maximal range of ports on which every named range agrees. ICMP:
 * one class per type named, one for the other types.
 * @internal
 */
import * as iv from './intervals';
import { CiliumPolicyModel, CiliumVersion, Decision, DEFAULT_CILIUM_VERSION, EntityName, L4Protocol, ModelEndpoint, NamedPort, Probe, Reachability } from './model';
import { selectedPodLabels } from './verify';
import { containerPortsOf } from './workloads';
import { CozynetValidationError } from '../model/errors';

/** Label Cilium gives every pod's identity: its service account. */
const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
const L4: L4Protocol[] = ['TCP', 'UDP', 'SCTP'];
const ENTITIES: EntityName[] = ['world', 'kube-apiserver', 'host', 'remote-node', 'ingress'];
const ICMP_TYPES: Record<string, number> = { EchoReply: 0, DestinationUnreachable: 3, Redirect: 5, EchoRequest: 8, TimeExceeded: 11 };

/** Most endpoints `--matrix` lists every pair of (about 4 million pairs, some seconds). @internal */
export const MATRIX_LIMITS = { endpoints: 2_000 };

/** A port class: a protocol and a range of ports (ICMP: of types) on which every policy agrees. */
export interface PortClass {
  readonly protocol: Probe['protocol'];
  readonly from: number;
  readonly to: number;
  /** The probe that stands for the class. */
  readonly probe: Probe;
}

/** An endpoint of the analyzer's matrix. */
export interface MatrixEndpoint {
  readonly id: string;
  /** `namespace` (a pod of the namespace), `selected` (a label set a policy names), `workload`, `entity`. */
  readonly kind: 'namespace' | 'selected' | 'workload' | 'entity';
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly entity?: EntityName;
  /** A workload's named container ports. */
  readonly ports?: Record<string, NamedPort>;
}

/** The allowed connections from one endpoint to another. */
export interface MatrixConnection {
  readonly source: string;
  readonly destination: string;
  /** Port classes allowed for sure (indexes into `classes`). */
  readonly allowed: number[];
  /** Port classes the model cannot decide offline (allowed at the permissive end only). */
  readonly undetermined: number[];
}

/** The analyzer's reachability. */
export interface AnalyzerMatrix {
  readonly endpoints: MatrixEndpoint[];
  readonly classes: PortClass[];
  /** Pairs with anything allowed or undetermined (source != destination), ordered by source, destination. */
  readonly connections: MatrixConnection[];
  readonly policies: number;
  readonly warnings: string[];
  readonly uncertainRules: string[];
  /** For `--explain`: the evaluation at the permissive end, and at the strict one when some rule is uncertain. */
  readonly upper: Reachability;
  readonly lower?: Reachability;
}

function addRange(ranges: Map<string, Array<[number, number]>>, protocol: string, from: number, to: number): void {
  const protocols = protocol === 'ANY' ? L4 : [protocol];
  for (const p of protocols) {
    if (!L4.includes(p as L4Protocol)) continue;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 65535 || to < from) continue;
    let list = ranges.get(p);
    if (!list) ranges.set(p, (list = []));
    list.push([Math.max(from, 1), to]);
  }
}

function portNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,5}$/.test(v)) return Number(v);
  return undefined; // a named port: its pods say which number
}

/** The port classes of a set of objects (policies and workloads). */
export function portClasses(objects: any[]): PortClass[] {
  const ranges = new Map<string, Array<[number, number]>>();
  const icmp = new Set<number>();
  const ciliumRules = (rules: unknown) => {
    for (const r of Array.isArray(rules) ? rules : []) {
      for (const tp of Array.isArray(r?.toPorts) ? r.toPorts : []) {
        for (const p of Array.isArray(tp?.ports) ? tp.ports : []) {
          const port = portNumber(p?.port);
          if (port === undefined) continue;
          const end = portNumber(p?.endPort);
          // port 0: every port
          if (port === 0) addRange(ranges, String(p?.protocol ?? 'ANY').toUpperCase(), 1, 65535);
          else addRange(ranges, String(p?.protocol ?? 'ANY').toUpperCase(), port, end !== undefined && end > port ? end : port);
        }
      }
      for (const ic of Array.isArray(r?.icmps) ? r.icmps : []) {
        for (const f of Array.isArray(ic?.fields) ? ic.fields : []) {
          const t = typeof f?.type === 'number' ? f.type : ICMP_TYPES[String(f?.type)];
          if (Number.isInteger(t)) icmp.add(t);
        }
      }
    }
  };
  for (const o of objects) {
    if (o === null || typeof o !== 'object') continue;
    if (o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy') {
      for (const spec of [o.spec, ...(Array.isArray(o.specs) ? o.specs : [])]) {
        if (spec === null || typeof spec !== 'object') continue;
        for (const dir of ['ingress', 'egress', 'ingressDeny', 'egressDeny']) ciliumRules(spec[dir]);
      }
    } else if (o.kind === 'NetworkPolicy') {
      for (const dir of ['ingress', 'egress']) {
        for (const r of Array.isArray(o.spec?.[dir]) ? o.spec[dir] : []) {
          for (const p of Array.isArray(r?.ports) ? r.ports : []) {
            const port = portNumber(p?.port);
            const protocol = String(p?.protocol ?? 'TCP').toUpperCase();
            if (port === undefined) {
              if (p?.port === undefined) addRange(ranges, protocol, 1, 65535);
              continue;
            }
            const end = portNumber(p?.endPort);
            addRange(ranges, protocol, port, end !== undefined && end > port ? end : port);
          }
        }
      }
    } else {
      const w = workloadOf(o);
      for (const c of w?.containers ?? []) {
        for (const p of Array.isArray(c?.ports) ? c.ports : []) {
          const port = portNumber(p?.containerPort);
          if (port !== undefined) addRange(ranges, String(p?.protocol ?? 'TCP').toUpperCase(), port, port);
        }
      }
    }
  }
  const out: PortClass[] = [];
  for (const protocol of L4) {
    const cuts = new Set<number>([1, 65536]);
    for (const [a, b] of ranges.get(protocol) ?? []) {
      cuts.add(a);
      cuts.add(b + 1);
    }
    const sorted = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) {
      out.push({ protocol, from: sorted[i], to: sorted[i + 1] - 1, probe: { protocol, port: sorted[i] } });
    }
  }
  const types = [...icmp].sort((a, b) => a - b);
  if (types.length === 0) {
    out.push({ protocol: 'ICMP', from: 0, to: 255, probe: { protocol: 'ICMP', port: 8 } });
  } else {
    for (const t of types) out.push({ protocol: 'ICMP', from: t, to: t, probe: { protocol: 'ICMP', port: t } });
    let other = 0;
    while (icmp.has(other)) other++;
    if (other <= 255) out.push({ protocol: 'ICMP', from: -1, to: -1, probe: { protocol: 'ICMP', port: other } });
  }
  return out;
}

/** The name of a port class: `TCP/8080`, `TCP/1-79`, `ICMP/type-8`, `ICMP/other`, `ICMP/all`. */
export function className(c: PortClass): string {
  if (c.protocol === 'ICMP') return c.from === -1 ? 'ICMP/other' : c.from === 0 && c.to === 255 ? 'ICMP/all' : `ICMP/type-${c.from}`;
  return c.from === c.to ? `${c.protocol}/${c.from}` : `${c.protocol}/${c.from}-${c.to}`;
}

interface Workload {
  readonly kind: string;
  readonly labels: Record<string, string>;
  readonly serviceAccount: string;
  readonly containers: any[];
}

const WORKLOAD_KINDS: Record<string, (o: any) => any> = {
  Pod: (o) => ({ metadata: o.metadata, spec: o.spec }),
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
  VirtualMachine: (o) => o.spec?.template,
};

/** The pods a workload object makes, or undefined (not a workload, or owned by one that stands for it). */
function workloadOf(o: any): Workload | undefined {
  const template = WORKLOAD_KINDS[o?.kind]?.(o);
  if (!template || typeof o.metadata?.name !== 'string') return undefined;
  // a Pod, ReplicaSet or Job with a controller is shown as its controller
  if (['Pod', 'ReplicaSet', 'Job'].includes(o.kind) && Array.isArray(o.metadata?.ownerReferences) && o.metadata.ownerReferences.some((r: any) => r?.controller)) return undefined;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(template.metadata?.labels ?? {})) if (typeof v === 'string') labels[k] = v;
  const spec = template.spec ?? {};
  const serviceAccount = o.kind === 'VirtualMachine' ? 'default' : String(spec.serviceAccountName ?? spec.serviceAccount ?? 'default');
  const containers = o.kind === 'VirtualMachine' ? [] : [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  return { kind: o.kind, labels, serviceAccount, containers: containers.filter((c: any) => c && typeof c === 'object') };
}

/** The analyzer's endpoints of a set of objects. */
export function matrixEndpoints(objects: any[]): MatrixEndpoint[] {
  const namespaces = new Set<string>();
  for (const o of objects) {
    if (o?.kind === 'Namespace' && typeof o.metadata?.name === 'string') namespaces.add(o.metadata.name);
    else if (typeof o?.metadata?.namespace === 'string' && o.kind !== 'CiliumClusterwideNetworkPolicy') namespaces.add(o.metadata.namespace);
  }
  const out: MatrixEndpoint[] = [];
  const ids = new Set<string>();
  const push = (e: MatrixEndpoint) => {
    if (ids.has(e.id)) return;
    ids.add(e.id);
    out.push(e);
  };
  const selected = selectedPodLabels(objects, namespaces);
  const workloads = new Map<string, Array<{ id: string; labels: Record<string, string>; ports: Record<string, NamedPort> }>>();
  for (const o of objects) {
    const w = workloadOf(o);
    const ns = o?.metadata?.namespace ?? 'default';
    if (!w) continue;
    namespaces.add(ns);
    if (!workloads.has(ns)) workloads.set(ns, []);
    workloads.get(ns)!.push({ id: `${ns}/${w.kind.toLowerCase()}/${o.metadata.name}`, labels: { ...w.labels, [SERVICE_ACCOUNT_LABEL]: w.serviceAccount }, ports: containerPortsOf(w.containers) });
  }
  for (const ns of [...namespaces].sort()) {
    const mine = (workloads.get(ns) ?? []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // a namespace with workloads is represented by them, and by the label sets policies name that none of them carries
    if (mine.length === 0) push({ id: `${ns}/pod`, kind: 'namespace', namespace: ns, labels: {} });
    for (const labels of selected.get(ns) ?? []) {
      if (mine.some((w) => Object.entries(labels).every(([k, v]) => w.labels[k] === v))) continue;
      push({ id: `${ns}/pods:${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`, kind: 'selected', namespace: ns, labels });
    }
    for (const w of mine) push({ id: w.id, kind: 'workload', namespace: ns, labels: w.labels, ports: w.ports });
  }
  for (const entity of ENTITIES) push({ id: entity, kind: 'entity', entity });
  return out;
}

/**
 * Who reaches whom on which port classes under `objects`, on the endpoints
 * and port classes of `layoutFrom` (default: the same objects; `--against`
 * passes both sides so that the two matrices share them).
 */
export function analyzerMatrix(objects: any[], layoutFrom: any[] = objects, ciliumVersion: CiliumVersion = DEFAULT_CILIUM_VERSION): AnalyzerMatrix {
  const endpoints = matrixEndpoints(layoutFrom);
  if (endpoints.length > MATRIX_LIMITS.endpoints) {
    throw new CozynetValidationError([{
      path: '--matrix',
      value: CozynetValidationError.show(endpoints.length),
      message: `the input has more than ${MATRIX_LIMITS.endpoints} endpoints (workloads, selected label sets, namespaces): every pair is listed, ` +
        'so give the namespaces you mean (e.g. --manifests of a kubectl get -n NS dump), or run verify without --matrix',
    }]);
  }
  const classes = portClasses(layoutFrom);
  const model = new CiliumPolicyModel(objects, { ciliumVersion });
  const modelEndpoints: ModelEndpoint[] = endpoints.map((e) => (e.entity
    ? { id: e.id, entity: e.entity }
    : { id: e.id, namespace: e.namespace, labels: e.labels, ...(e.ports ? { ports: e.ports } : {}) }));
  const probes = classes.map((c) => c.probe);
  const upper = model.evaluate(modelEndpoints, probes, { bound: 'upper' });
  const lower = upper.uncertain.length > 0 ? model.evaluate(modelEndpoints, probes, { bound: 'lower' }) : undefined;
  const all = classes.map((_, i) => i);
  const connections: MatrixConnection[] = [];
  const ids = upper.identityOfEndpoint;
  for (let s = 0; s < endpoints.length; s++) {
    const up = upper.rows(ids[s], all);
    const low = lower ? lower.rows(lower.identityOfEndpoint[s], all) : up;
    for (let d = 0; d < endpoints.length; d++) {
      // between two entities only the host's firewall decides anything
      if (d === s || (endpoints[s].entity && endpoints[d].entity && endpoints[d].entity !== 'host')) continue;
      const allowed: number[] = [];
      const undetermined: number[] = [];
      for (let p = 0; p < classes.length; p++) {
        const u = iv.has(up[p], ids[d]);
        const l = lower ? iv.has(low[p], lower.identityOfEndpoint[d]) : u;
        if (l) allowed.push(p);
        else if (u) undetermined.push(p);
      }
      if (allowed.length === 0 && undetermined.length === 0) continue;
      connections.push({ source: endpoints[s].id, destination: endpoints[d].id, allowed, undetermined });
    }
  }
  const policies = Object.values(model.policyCounts).reduce((a, b) => a + b, 0);
  return { endpoints, classes, connections, policies, warnings: [...model.warnings], uncertainRules: [...upper.uncertain], upper, lower };
}

/** The decision for one cell (for `--explain` without a tenant tree). */
export function decideCell(m: AnalyzerMatrix, src: number, dst: number, probe: Probe): { decision: Decision; lower?: Decision } {
  const decision = m.upper.decide(m.upper.identityOfEndpoint[src], m.upper.identityOfEndpoint[dst], probe);
  const low = m.lower?.decide(m.lower.identityOfEndpoint[src], m.lower.identityOfEndpoint[dst], probe);
  return { decision, ...(low && low.allowed !== decision.allowed ? { lower: low } : {}) };
}
