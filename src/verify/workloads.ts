/**
 * The workloads among a set of Kubernetes objects, as the pods they run:
 * namespace, labels, service account and named container ports. Read from
 * Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs
 * (their pod templates) and KubeVirt VirtualMachines (`kubevirt.io/v1`: the
 * virt-launcher pod carries `spec.template.metadata.labels`, plus
 * `kubevirt.io: virt-launcher` and `vm.kubevirt.io/name`). Internal to the
 * verifier; `verify --manifests` and `verify --cluster` feed it the objects
 * they read.
 */

/** One workload, named as a user names it: `tenant-acme/deployment/api`. @internal */
export interface Workload {
  /** `<namespace>/<kind in lower case>/<name>`. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Labels of its pods. */
  readonly labels: Record<string, string>;
  /** Service account of its pods (`default` when none is named). */
  readonly serviceAccount: string;
  /** Named container ports: name -> port and protocol. */
  readonly ports: Record<string, { port: number; protocol: string }>;
}

const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = String(x);
  return out;
}

/** Named ports of the containers of a pod spec. */
function namedPorts(spec: any): Record<string, { port: number; protocol: string }> {
  const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  return containerPortsOf([...list(spec?.containers), ...list(spec?.initContainers)]);
}

/** Named ports of a list of containers (the first container naming a port wins). @internal */
export function containerPortsOf(containers: any[]): Record<string, { port: number; protocol: string }> {
  const out: Record<string, { port: number; protocol: string }> = {};
  for (const c of containers) {
    for (const p of Array.isArray(c?.ports) ? c.ports : []) {
      if (typeof p?.name === 'string' && Number.isInteger(p?.containerPort) && !(p.name in out)) {
        out[p.name] = { port: p.containerPort, protocol: String(p.protocol ?? 'TCP').toUpperCase() };
      }
    }
  }
  return out;
}

/**
 * The workloads among `objects`, in the order they come; objects of other
 * kinds, without a name, or with a malformed template are skipped, and an
 * object named again (the same kind, namespace and name: both sides of
 * `--against`, a file given twice) is the first one.
 * @internal
 */
export function workloadsOf(objects: any[]): Workload[] {
  const out: Workload[] = [];
  const seen = new Set<string>();
  for (const o of objects ?? []) {
    if (!isObject(o) || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') continue;
    const name: string = o.metadata.name;
    const namespace = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : 'default';
    const apiVersion = String(o.apiVersion ?? '');
    let meta: any;
    let spec: any;
    let extra: Record<string, string> = {};
    if (o.kind === 'Pod' && apiVersion === 'v1') {
      meta = o.metadata;
      spec = o.spec;
    } else if (TEMPLATED.has(o.kind) && (apiVersion.startsWith('apps/') || apiVersion.startsWith('batch/'))) {
      meta = o.spec?.template?.metadata;
      spec = o.spec?.template?.spec;
    } else if (o.kind === 'CronJob' && apiVersion.startsWith('batch/')) {
      meta = o.spec?.jobTemplate?.spec?.template?.metadata;
      spec = o.spec?.jobTemplate?.spec?.template?.spec;
    } else if (o.kind === 'VirtualMachine' && apiVersion.startsWith('kubevirt.io/')) {
      meta = o.spec?.template?.metadata;
      spec = o.spec?.template?.spec;
      // virt-launcher pods: the template's labels plus KubeVirt's own
      extra = { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': name };
    } else {
      continue;
    }
    if (!isObject(spec)) continue;
    const sa = spec.serviceAccountName ?? spec.serviceAccount;
    const id = `${namespace}/${o.kind.toLowerCase()}/${name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      id,
      kind: o.kind,
      name,
      namespace,
      labels: { ...stringMap(meta?.labels), ...extra },
      serviceAccount: typeof sa === 'string' && sa !== '' ? sa : 'default',
      ports: namedPorts(o.kind === 'VirtualMachine' ? undefined : spec),
    });
  }
  return out;
}
