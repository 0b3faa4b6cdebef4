import { BUILTIN_GROUPS, BUILTIN_NAMESPACES, PodSecurityLevel, podNetworkOf, PROVIDER_NAMES } from './facts';
import { DeliveryPath, readOutput, ReadOutput, Step, Webhook, Workload } from './read';

/**
 * The offline bootstrap model: walks each delivery path of a synthesized
 * output from an empty cluster and says, step by step, what it waits for and
 * why that can become Ready then, or why it cannot.
 *
 * The model's rules (each a fact of Kubernetes or of the delivery tools):
 * Sources: Kubernetes docs (kubernetes.io/docs/concepts/security/pod-security-standards/,
 * kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/:
 * failurePolicy, namespaceSelector, objectSelector, and the automatic
 * `kubernetes.io/metadata.name` label), the chart facts of facts.ts, and
 * the delivery tools' defaults (TOOL_FACTS).
 * 1. A custom resource needs its CRD established before it is applied; on the
 *    kubectl path `apply` retries (as long as the script's loop says: the
 *    delivery timeout), then the script stops; Helm
 *    (Flux, Terraform) needs the kind known before the install starts.
 * 2. A namespaced object needs its namespace (no path creates namespaces on
 *    the fly: `createNamespace: false`, `create_namespace = false`).
 * 3. A pod without `hostNetwork` gets an address only once the pod network is
 *    complete (Cilium and Kube-OVN on the chained variants, Cilium on cilium*,
 *    the cluster's own CNI on noop, assumed to run).
 * 4. A webhook with `failurePolicy: Fail` rejects what it matches (rules,
 *    namespaceSelector, objectSelector) until the pods behind its Service are
 *    Ready (and, with `cert-manager.io/inject-ca-from`, cert-manager runs).
 * 5. A pod that mounts a Secret issued by a cert-manager Certificate starts
 *    once cert-manager runs; cert-manager objects need cert-manager's CRDs.
 * 6. Pod Security admission: a pod needing more than its namespace's
 *    `pod-security.kubernetes.io/enforce` level (privileged when unlabelled)
 *    is never created.
 * 7. A step that waits converges only if every workload it waits on can be
 *    Ready with what was applied before it (the kubectl script's earlier
 *    lines; the Flux `dependsOn` / Terraform `depends_on` closure) and itself.
 * 8. Every path ends with every release applied and every workload Ready.
 * 9. Steady state: a webhook with failurePolicy Fail must not gate the pods
 *    it needs to come back (its own, the pod network's, cert-manager's when
 *    its certificate comes from it, Flux's on the Flux path).
 * @internal
 */

/** Kinds of findings (each one fails synth and validate). @internal */
export type FindingCode =
  | 'pod-network' | 'cert-manager' | 'webhook-lockout' | 'variant-crd' | 'flux-chart-path'
  | 'crd' | 'namespace' | 'pod-security' | 'webhook' | 'chart-missing' | 'dependency' | 'script' | 'never-ready';

/** One way a step cannot converge. @internal */
export interface Finding {
  readonly path: DeliveryPath | 'steady-state';
  /** Release (step) name, or the webhook for the steady state. */
  readonly step: string;
  readonly where: string;
  /** The object concerned (`Deployment cozy-cilium/hubble-relay`). */
  readonly object: string;
  readonly code: FindingCode;
  /** The whole sentence: path, step, object and the missing precondition. */
  readonly message: string;
}

/** One step as the plan view shows it. @internal */
export interface PlanStep {
  readonly name: string;
  readonly where: string;
  readonly chart: string;
  /** `waits 10m`, `no wait`. */
  readonly wait: string;
  readonly after: string[];
  /** What it waits for (workloads, CRDs). */
  readonly waitsFor: string[];
  /** Why it can become Ready then (or what stops it). */
  readonly ready: string;
  readonly ok: boolean;
}

/** The walk of one delivery path. @internal */
export interface PathPlan {
  readonly path: DeliveryPath;
  readonly file: string;
  readonly steps: PlanStep[];
  readonly findings: Finding[];
}

/** The whole report. @internal */
export interface BootstrapReport {
  readonly variant: string;
  /** What the model assumed about the cluster (noop's CNI, Flux). */
  readonly assumptions: string[];
  readonly paths: PathPlan[];
  readonly steadyState: Finding[];
  /** Every finding (paths, then steady state). */
  readonly findings: Finding[];
  /** Remarks that are no error (a chart the model has no facts for). */
  readonly notes: string[];
}

/** What the cluster already runs before the layer (beyond an empty cluster). @internal */
export interface BootstrapAssumptions {
  /** cert-manager runs in this namespace (with these namespace labels). */
  readonly certManager?: { readonly namespace: string; readonly labels?: Record<string, string> };
  /** Labels of namespaces that exist outside the output (e.g. Flux's). */
  readonly namespaceLabels?: Record<string, Record<string, string>>;
}

/** @internal */
export interface BootstrapOptions {
  /** Where the output folder is inside the Git repository Flux reads (`--out` relative to the repository root). */
  readonly location?: string;
  readonly assume?: BootstrapAssumptions;
}

const PATH_FILE: Record<DeliveryPath, string> = { kubectl: 'apply/kubectl.sh', flux: 'flux/', terraform: 'terraform/cdk.tf.json' };
const LEVEL_RANK: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

function stepLabel(s: Step): string {
  if (s.path === 'kubectl') return `kubectl: step ${s.name} (${s.where})`;
  if (s.path === 'flux') return `flux: HelmRelease ${s.name} (${s.where})`;
  return `terraform: helm_release ${s.name} (${s.where})`;
}

function wname(w: Workload): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function plural(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** Label selector semantics (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist). @internal */
export function selectorMatches(selector: any, labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== String(v)) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = (e.values ?? []).map(String);
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function ruleMatches(h: Webhook, group: string, resource: string): boolean {
  return h.rules.some((r) => (r.groups.includes('*') || r.groups.includes(group)) && (r.resources.includes('*') || r.resources.includes(resource) || r.resources.includes(`${resource}/*`)));
}

type Reason = { code: FindingCode; text: string };

/** What a step's objects create that later steps look up: namespaces, and cert-manager Certificates by `namespace/secretName`. */
interface StepFacts {
  readonly namespaces: string[];
  readonly certificates: Array<[string, any]>;
}

/** `StepFacts` of each step, read once (every World of a path holds the steps before it). */
const STEP_FACTS = new WeakMap<Step, StepFacts>();

function stepFacts(s: Step): StepFacts {
  let facts = STEP_FACTS.get(s);
  if (facts === undefined) {
    facts = { namespaces: [], certificates: [] };
    for (const o of s.content.objects) {
      if (o?.apiVersion === 'v1' && o?.kind === 'Namespace' && typeof o.metadata?.name === 'string') facts.namespaces.push(o.metadata.name);
      if (o?.kind === 'Certificate' && groupOf(String(o.apiVersion)) === 'cert-manager.io' && o.metadata?.namespace && o.spec?.secretName) {
        facts.certificates.push([`${o.metadata.namespace}/${o.spec.secretName}`, o]);
      }
    }
    STEP_FACTS.set(s, facts);
  }
  return facts;
}

/** The state of a cluster after a set of steps: namespaces, CRDs, webhooks, workloads. */
class World {
  readonly steps: Step[];
  readonly workloads: Workload[];
  readonly webhooks: Webhook[];
  private readonly ready = new Set<Workload>();
  private readonly reasons = new Map<Workload, Reason>();
  private allObjects?: any[];
  private readonly backends = new Map<Webhook, Workload[] | undefined>();
  private readonly namespaces = new Set<string>();
  /** Certificates by `namespace/secretName`. */
  private readonly certificates = new Map<string, any>();

  constructor(private readonly model: Model, steps: Step[]) {
    this.steps = steps;
    for (const st of steps) {
      const facts = stepFacts(st);
      for (const ns of facts.namespaces) this.namespaces.add(ns);
      for (const [key, o] of facts.certificates) this.certificates.set(key, o);
    }
    this.workloads = steps.flatMap((s) => s.content.workloads);
    this.webhooks = steps.flatMap((s) => s.content.webhooks).filter((h) => h.failurePolicy === 'Fail');
    // fixpoint: a workload is Ready once everything it needs is
    for (let changed = true; changed;) {
      changed = false;
      for (const w of this.workloads) {
        if (this.ready.has(w)) continue;
        const r = this.blocker(w);
        if (r === undefined) {
          this.ready.add(w);
          changed = true;
        }
      }
    }
    for (const w of this.workloads) {
      if (!this.ready.has(w)) this.reasons.set(w, this.blocker(w)!);
    }
  }

  isReady(w: Workload): boolean {
    return this.ready.has(w);
  }

  reason(w: Workload): Reason | undefined {
    return this.reasons.get(w);
  }

  namespaceExists(ns: string): boolean {
    return BUILTIN_NAMESPACES.includes(ns) || this.model.externalNamespaces.has(ns) || this.namespaces.has(ns);
  }

  objects(): any[] {
    if (this.allObjects === undefined) this.allObjects = this.steps.flatMap((st) => st.content.objects);
    return this.allObjects;
  }

  /** The Certificate that issues a Secret, if any. */
  certificateFor(namespace: string, secret: string): any {
    return this.certificates.get(`${namespace}/${secret}`);
  }

  certManagerRuns(): boolean {
    if (this.model.assume.certManager) return true;
    const cm = this.workloads.filter((w) => w.provides === 'cert-manager');
    return cm.length > 0 && cm.every((w) => this.ready.has(w));
  }

  /** The workloads behind a webhook; undefined when its Service is in no release. */
  backend(h: Webhook): Workload[] | undefined {
    if (!this.backends.has(h)) this.backends.set(h, this.findBackend(h));
    return this.backends.get(h);
  }

  private findBackend(h: Webhook): Workload[] | undefined {
    if (h.servedBy) {
      const list = this.workloads.filter((w) => w.release === h.release && w.name === h.servedBy);
      return list.length > 0 ? list : undefined;
    }
    if (!h.service) return undefined;
    const svc = this.objects().find((o) => o?.kind === 'Service' && o.apiVersion === 'v1' && o.metadata?.name === h.service!.name
      && (o.metadata?.namespace ?? h.service!.namespace) === h.service!.namespace);
    if (!svc) return undefined;
    const sel = svc.spec?.selector ?? {};
    const list = this.workloads.filter((w) => w.namespace === h.service!.namespace
      && Object.keys(sel).length > 0 && selectorMatches({ matchLabels: sel }, w.labels));
    return list.length > 0 ? list : undefined;
  }

  /** Whether a webhook admits requests (its server Ready); the reason when not. */
  webhookDown(h: Webhook, except?: Workload): Reason | undefined {
    const b = this.backend(h);
    if (!b) return { code: 'webhook', text: `its Service ${h.service ? `${h.service.namespace}/${h.service.name}` : h.servedBy} has no pods in any release` };
    if (except && b.includes(except)) return { code: 'webhook', text: 'it serves that webhook itself' };
    const down = b.find((w) => !this.ready.has(w));
    if (down) {
      const r = this.blocker(down);
      return { code: r?.code ?? 'webhook', text: `its server ${wname(down)} is not Ready${r ? ` (it ${r.text})` : ''}` };
    }
    if (h.injectCaFrom && !this.certManagerRuns()) {
      return { code: 'cert-manager', text: `its caBundle is injected by cert-manager (cert-manager.io/inject-ca-from: ${h.injectCaFrom}), which does not run${this.model.certManagerWhere()}` };
    }
    return undefined;
  }

  /** Fail webhooks that match an object. */
  gates(group: string, kind: string, ns: string | undefined, labels: Record<string, string>): Webhook[] {
    const resource = plural(kind);
    const nsLabels = ns === undefined ? undefined : this.model.namespaceLabels(ns);
    return this.webhooks.filter((h) => ruleMatches(h, group, resource)
      && (nsLabels === undefined || selectorMatches(h.namespaceSelector, nsLabels))
      && selectorMatches(h.objectSelector, labels));
  }

  /** What keeps a workload from being Ready now (undefined: nothing). */
  private blocker(w: Workload): Reason | undefined {
    if (!this.namespaceExists(w.namespace)) return { code: 'namespace', text: `is in namespace ${w.namespace}, which no release creates before it` };
    const enforce = this.model.namespaceLabels(w.namespace)['pod-security.kubernetes.io/enforce'] ?? 'privileged';
    if (LEVEL_RANK[w.level] > (LEVEL_RANK[enforce as PodSecurityLevel] ?? 2)) {
      return { code: 'pod-security', text: `is refused by Pod Security: namespace ${w.namespace} enforces ${enforce}, its pods need ${w.level}${w.privilege ? ` (${w.privilege})` : ''}` };
    }
    for (const h of this.gates('', 'Pod', w.namespace, w.labels)) {
      const down = this.webhookDown(h, w);
      if (down) return { code: down.code === 'cert-manager' ? 'cert-manager' : 'webhook', text: `cannot be created: ${h.kind} ${h.name} (failurePolicy Fail) admits its pods, and ${down.text}` };
    }
    if (!w.hostNetwork) {
      const missing = this.model.network.filter((p) => {
        const providers = this.workloads.filter((x) => x.provides === p);
        return providers.length === 0 || providers.some((x) => !this.ready.has(x));
      });
      if (missing.length > 0) return { code: 'pod-network', text: this.model.noAddress(missing, this.steps) };
    }
    for (const secret of w.secrets) {
      const cert = this.certificateFor(w.namespace, secret);
      if (cert && !this.certManagerRuns()) {
        return { code: 'cert-manager', text: `mounts Secret ${w.namespace}/${secret}, issued by Certificate ${cert.metadata?.name}, and cert-manager does not run${this.model.certManagerWhere()}` };
      }
    }
    return undefined;
  }
}

/** The walk of one output. */
class Model {
  readonly network: Array<'cilium' | 'kube-ovn'>;
  readonly externalNamespaces = new Set<string>();
  /** Release names that provide each part of the pod network, per path. */
  private providers = new Map<string, string>();

  constructor(readonly out: ReadOutput, readonly assume: BootstrapAssumptions) {
    this.network = podNetworkOf(out.variant);
    if (assume.certManager) this.externalNamespaces.add(assume.certManager.namespace);
    // Flux's own namespace (where its HelmReleases live) exists on the Flux path
    const fluxNs = fluxNamespaceOf(out.files);
    if (fluxNs) this.externalNamespaces.add(fluxNs);
    for (const ns of Object.keys(assume.namespaceLabels ?? {})) this.externalNamespaces.add(ns);
  }

  namespaceLabels(ns: string): Record<string, string> {
    const own = this.out.namespaces.get(ns);
    if (own) return own;
    const given = this.assume.namespaceLabels?.[ns] ?? (this.assume.certManager?.namespace === ns ? this.assume.certManager.labels : undefined);
    return { ...(given ?? {}), 'kubernetes.io/metadata.name': ns };
  }

  certManagerWhere(): string {
    const release = this.providers.get('cert-manager');
    return release ? ` (release ${release} installs it, and it is not Ready before this step)` : ' (no release of this output installs it)';
  }

  networkName(): string {
    return this.network.map((p) => PROVIDER_NAMES[p]).join(' and ');
  }

  noAddress(missing: string[], before: Step[]): string {
    const names = missing.map((p) => this.providers.get(p));
    const later = names.filter((n): n is string => n !== undefined && !before.some((s) => s.name === n));
    const absent = missing.filter((p) => this.providers.get(p) === undefined).map((p) => PROVIDER_NAMES[p]);
    if (absent.length > 0) return `gets no pod address: no release installs ${absent.join(' and ')} (pod network of variant ${this.out.variant}: ${this.networkName()})`;
    if (later.length > 0) return `gets no pod address before release ${later.join(' and ')} (pod network: ${this.networkName()})`;
    return `gets no pod address: the pod network (${this.networkName()}) is not Ready`;
  }

  walk(path: DeliveryPath, steps: Step[]): PathPlan {
    this.providers = new Map();
    for (const s of steps) {
      for (const w of s.content.workloads) if (w.provides && !this.providers.has(w.provides)) this.providers.set(w.provides, s.name);
    }
    const findings: Finding[] = [];
    const plan: PlanStep[] = [];
    const byName = new Map(steps.map((s) => [s.name, s]));
    const add = (s: Step, object: string, code: FindingCode, text: string) => {
      findings.push({ path, step: s.name, where: s.where, object, code, message: `${stepLabel(s)}: ${object} ${text}` });
    };

    // order: the script's lines; Flux and Terraform: dependencies first (file order otherwise)
    const order: Step[] = [];
    if (path === 'kubectl') {
      order.push(...steps);
    } else {
      const placed = new Set<string>();
      const visiting = new Set<string>();
      const visit = (s: Step) => {
        if (placed.has(s.name)) return;
        if (visiting.has(s.name)) {
          add(s, `release ${s.name}`, 'dependency', 'is part of a dependency cycle: it never starts');
          return;
        }
        visiting.add(s.name);
        for (const d of s.after) {
          const dep = byName.get(d);
          if (dep) visit(dep);
          else add(s, `release ${s.name}`, 'dependency', `depends on ${d}, which is not part of this path: it never starts`);
        }
        visiting.delete(s.name);
        placed.add(s.name);
        order.push(s);
      };
      steps.forEach(visit);
    }

    const failed = new Set<string>();
    const blocked: string[] = [];
    const applied: Step[] = [];
    let stopped: Step | undefined;
    const closure = (s: Step): Step[] => {
      if (path === 'kubectl') return applied.slice();
      const seen = new Set<string>();
      const walk = (n: string) => {
        for (const d of byName.get(n)?.after ?? []) {
          if (seen.has(d)) continue;
          seen.add(d);
          walk(d);
        }
      };
      walk(s.name);
      return order.filter((x) => seen.has(x.name));
    };

    for (const s of order) {
      const wait = s.waits ? `waits ${s.timeout ?? ''}`.trim() : 'no wait';
      if (stopped || s.after.some((d) => failed.has(d) || blocked.includes(d))) {
        blocked.push(s.name);
        // what is wrong with the step itself is wrong whenever it would run
        if (path !== 'kubectl') for (const p of s.problems) add(s, s.local ? `chart ${s.local}` : `release ${s.name}`, p.code as FindingCode, p.message);
        plan.push({ name: s.name, where: s.where, chart: s.chart, wait, after: s.after, waitsFor: [], ready: stopped ? `never applied: the script stopped at ${stopped.name}` : `never installed: it waits for ${s.after.filter((d) => failed.has(d) || blocked.includes(d)).join(', ')}`, ok: false });
        continue;
      }
      const before = closure(s);
      const mark = findings.length;
      for (const p of s.problems) add(s, s.local ? `chart ${s.local}` : `release ${s.name}`, p.code as FindingCode, p.message);
      this.checkApply(s, before, order, add);
      const world = new World(this, [...before, s]);
      const waitsFor: string[] = [];
      let ready = '';
      if (s.waits) {
        for (const w of s.content.workloads) {
          waitsFor.push(wname(w));
          const r = world.reason(w);
          if (r) add(s, wname(w), r.code, `is waited on, and it ${r.text}`);
        }
      }
      for (const crd of s.crdWaits) waitsFor.push(`CRD ${crd} Established`);
      for (const t of s.waitOn ?? []) {
        const label = `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
        waitsFor.push(label);
        const found = world.workloads.filter((w) => w.kind === t.kind && w.name === t.name
          && (t.namespace === undefined || w.namespace === t.namespace));
        if (found.length === 0) add(s, label, 'dependency', 'is waited for, and no step before it creates it');
        for (const w of found) {
          const r = world.reason(w);
          if (r) add(s, wname(w), r.code, `is waited on, and it ${r.text}`);
        }
      }
      mergeSameCause(findings, mark, stepLabel(s));
      const own = findings.slice(mark);
      if (own.length > 0) {
        failed.add(s.name);
        const first = own[0].message.slice(stepLabel(s).length + 2);
        ready = `${first}${own.length > 1 ? ` (and ${own.length - 1} more: see the findings)` : ''}`;
        if (path === 'kubectl') stopped = s;
      } else {
        ready = this.why(s, world);
      }
      applied.push(s);
      plan.push({ name: s.name, where: s.where, chart: s.chart, wait, after: s.after, waitsFor, ready, ok: own.length === 0 });
    }

    // the end of the path: every release applied, every workload Ready (what the steps
    // that never ran would have brought counts, so that one stop is reported once)
    const end = new World(this, order);
    const reported = new Set(findings.flatMap((f) => f.object.split(', ').map((o) => `${f.step} ${o}`)));
    for (const s of applied) {
      const mark = findings.length;
      for (const w of s.content.workloads) {
        const r = end.reason(w);
        if (r && !reported.has(`${s.name} ${wname(w)}`)) add(s, wname(w), r.code === 'pod-network' ? 'never-ready' : r.code, `never becomes Ready: it ${r.text}`);
      }
      mergeSameCause(findings, mark, stepLabel(s));
    }
    if (blocked.length > 0) {
      const first = findings.find((f) => f.path === path);
      if (first) {
        const i = findings.indexOf(first);
        const tail = path === 'kubectl'
          ? `; the script stops there (set -eu): ${blocked.length === 1 ? '1 later step is' : `${blocked.length} later steps are`} never applied (${blocked.join(', ')})`
          : `; ${blocked.length === 1 ? '1 release that depends on it is' : `${blocked.length} releases that depend on it are`} never installed (${blocked.join(', ')})`;
        findings[i] = { ...first, message: first.message + tail };
      }
    }
    return { path, file: PATH_FILE[path], steps: plan, findings };
  }

  /** Objects applied by `s` after `before`: CRDs, namespaces, webhooks. */
  private checkApply(s: Step, before: Step[], all: Step[], add: (s: Step, object: string, code: FindingCode, text: string) => void): void {
    const world = new World(this, before);
    const own = s.content.objects;
    const ownNamespaces = new Set(own.filter((o) => o?.apiVersion === 'v1' && o?.kind === 'Namespace').map((o) => o.metadata?.name));
    const nsOk = (ns: string) => ownNamespaces.has(ns) || world.namespaceExists(ns);
    if (s.namespace !== undefined && !nsOk(s.namespace)) {
      add(s, `namespace ${s.namespace}`, 'namespace', 'is where the release is installed, and no earlier release creates it (and this path never creates namespaces itself)');
    }
    const crdIn = (steps: Step[], group: string, kind: string) => steps.find((x) => x.content.crds.includes(`${group}/${kind}`) || x.content.crds.includes(`${group}/*`));
    const runtimeIn = (w: World, group: string) => w.steps.find((x) => x.content.runtimeCrds?.groups.includes(group)
      && x.content.workloads.some((y) => y.name === x.content.runtimeCrds!.by && w.isReady(y)));
    for (const o of own) {
      if (!o || typeof o !== 'object') continue;
      const group = groupOf(String(o.apiVersion));
      const kind = String(o.kind);
      const ns: string | undefined = o.metadata?.namespace;
      const object = `${kind} ${ns ? `${ns}/` : ''}${o.metadata?.name}`;
      if (ns !== undefined && !nsOk(ns)) {
        add(s, object, 'namespace', `is in namespace ${ns}, which no release creates before it`);
        continue;
      }
      if (!BUILTIN_GROUPS.has(group) && kind !== 'CustomResourceDefinition') {
        // cert-manager the cluster runs; on noop, the cluster's own Cilium (synth writes cilium.io objects there only with `cni: cilium`)
        const assumed = (group.endsWith('cert-manager.io') && this.assume.certManager !== undefined)
          || (group === 'cilium.io' && this.network.length === 0);
        if (!assumed && !crdIn(before, group, kind) && !runtimeIn(world, group)) {
          const inSelf = crdIn([s], group, kind);
          if (inSelf && !s.helm) {
            // kubectl apply of one chart: the retry loop applies the objects once their CRD (same apply) is established
          } else if (inSelf) {
            add(s, object, 'crd', `is in the same chart as the CRD of ${group}/${kind}: Helm needs the kind before the install starts (no matches for kind)`);
          } else {
            const provider = crdIn(all, group, kind) ?? all.find((x) => x.content.runtimeCrds?.groups.includes(group));
            const code: FindingCode = group.endsWith('cert-manager.io') ? 'cert-manager' : (group === 'kubeovn.io' && !this.network.includes('kube-ovn') ? 'variant-crd' : 'crd');
            let why: string;
            if (provider) {
              why = s.path === 'kubectl' ? `release ${provider.name} installs it${all.indexOf(provider) > all.indexOf(s) ? ' later in the script' : ', and it is not Ready then'}` : `release ${provider.name} installs it, and this release does not depend on it`;
            } else if (code === 'cert-manager') {
              const cm = all.find((x) => x.content.workloads.some((w) => w.provides === 'cert-manager'));
              why = cm
                ? `release ${cm.name} runs cert-manager without its CRDs (its chart installs them only with crds.enabled: true), and nothing else installs cert-manager.io CRDs`
                : 'cert-manager is not installed by this output (nothing installs cert-manager.io CRDs)';
            } else if (code === 'variant-crd') {
              why = `no release installs it: Kube-OVN is not part of variant ${this.out.variant}`;
            } else {
              why = 'no release installs it';
            }
            const retry = s.path === 'kubectl' ? `; the apply retries${s.retry ? ` for ${s.retry}` : ''}, then gives up` : '';
            add(s, object, code, `needs the CRD of ${group}/${kind}, which is not established: ${why}${retry}`);
            continue;
          }
        }
      }
      for (const h of world.gates(group, kind, ns ?? (isClusterScoped(kind) ? undefined : s.namespace), o.metadata?.labels ?? {})) {
        const down = world.webhookDown(h);
        if (down) add(s, object, down.code === 'cert-manager' ? 'cert-manager' : 'webhook', `is admitted by ${h.kind} ${h.name} (failurePolicy Fail), and ${down.text}`);
      }
    }
  }

  /** Why a converging step is Ready then. */
  private why(s: Step, world: World): string {
    const parts: string[] = [];
    const workloads = s.content.workloads;
    if (s.waitOn) return 'the workloads it waits for can be Ready then (every precondition is met by the steps before it)';
    if (s.content.unknownChart) parts.push(`the model has no facts for chart ${s.content.unknownChart}: its workloads are not checked`);
    if (!s.waits) {
      const kinds = [...new Set(s.content.objects.map((o) => o?.kind))];
      if (s.local === undefined && s.content.objects.length === 0) parts.push('installs the chart without waiting for it');
      else parts.push(`applies ${s.content.objects.length} object${s.content.objects.length === 1 ? '' : 's'}${kinds.length > 0 ? ` (${kinds.slice(0, 6).join(', ')}${kinds.length > 6 ? ', …' : ''})` : ''}`);
      const pending = workloads.filter((w) => !world.isReady(w));
      if (workloads.length > 0) parts.push(pending.length === 0 ? 'its pods start at once' : `its pods start later: ${pending.map((w) => `${w.name} ${world.reason(w)?.text ?? ''}`).join('; ')}`);
      return parts.join('; ');
    }
    if (workloads.length === 0) {
      const n = s.content.objects.filter((o) => o?.kind === 'CustomResourceDefinition').length;
      parts.push(n > 0 ? `${n} CRDs and plain objects: Ready when applied` : 'plain objects: Ready when applied');
      return parts.join('; ');
    }
    const host = workloads.filter((w) => w.hostNetwork);
    const pod = workloads.filter((w) => !w.hostNetwork);
    if (host.length > 0) parts.push(`${host.map((w) => w.name).join(', ')} ${host.length > 1 ? 'use' : 'uses'} the host network (no pod address needed)`);
    if (pod.length > 0) {
      const net = this.network.length === 0 ? 'the cluster\'s own CNI (noop: assumed to run)' : `the pod network (${this.networkName()}) is up${pod.some((w) => w.release === s.name) && workloads.some((w) => w.provides && w.provides !== 'cert-manager') ? ' once this release\'s own agents run' : ''}`;
      parts.push(`${pod.map((w) => w.name).join(', ')} ${pod.length > 1 ? 'get pod addresses' : 'gets a pod address'}: ${net}`);
    }
    return parts.join('; ');
  }

  steadyState(steps: Step[], fluxNamespace: string | undefined): Finding[] {
    const world = new World(this, steps);
    const findings: Finding[] = [];
    const hooks = world.webhooks.filter((h) => h.rules.length > 0);
    for (const h of hooks) {
      if (!world.gates('', 'Pod', undefined, {}).includes(h) && !ruleMatches(h, '', 'pods')) continue;
      const backend = world.backend(h) ?? [];
      const needs: { what: string; ns: string; labels: Record<string, string>; why: string; path: Finding['path'] }[] = [];
      for (const b of backend) needs.push({ what: `its own server ${wname(b)}`, ns: b.namespace, labels: b.labels, why: 'it serves the webhook', path: 'steady-state' });
      if (backend.some((b) => !b.hostNetwork)) {
        for (const w of world.workloads.filter((x) => x.provides && x.provides !== 'cert-manager')) {
          needs.push({ what: `${PROVIDER_NAMES[w.provides!]} (${wname(w)})`, ns: w.namespace, labels: w.labels, why: 'its pods need a pod address', path: 'steady-state' });
        }
      }
      const usesCertManager = h.injectCaFrom !== undefined
        || backend.some((b) => b.secrets.some((sec) => world.certificateFor(b.namespace, sec) !== undefined));
      if (usesCertManager) {
        // cert-manager's long-running workloads (a Job such as its startupapicheck is not needed to issue)
        const cm = world.workloads.filter((w) => w.kind !== 'Job' && w.release === world.workloads.find((x) => x.provides === 'cert-manager')?.release);
        if (cm.length > 0) {for (const w of cm) needs.push({ what: `cert-manager (${wname(w)})`, ns: w.namespace, labels: w.labels, why: 'it issues the webhook\'s certificate', path: 'steady-state' });} else {
          const ns = this.assume.certManager?.namespace ?? 'cert-manager';
          needs.push({ what: `cert-manager (namespace ${ns}${this.assume.certManager ? '' : ', upstream\'s default: no release of this output installs it'})`, ns, labels: {}, why: 'it issues the webhook\'s certificate', path: 'steady-state' });
        }
      }
      if (fluxNamespace !== undefined) needs.push({ what: `Flux (namespace ${fluxNamespace})`, ns: fluxNamespace, labels: {}, why: 'it reconciles the webhook\'s release', path: 'flux' });
      const seen = new Set<string>();
      for (const n of needs) {
        if (seen.has(n.what)) continue;
        seen.add(n.what);
        if (!selectorMatches(h.namespaceSelector, this.namespaceLabels(n.ns)) || !selectorMatches(h.objectSelector, n.labels)) continue;
        findings.push({
          path: n.path,
          step: h.release,
          where: h.source,
          object: `${h.kind} ${h.name}`,
          code: 'webhook-lockout',
          message: `${n.path === 'flux' ? 'flux (steady state)' : 'steady state'}: ${h.kind} ${h.name} (failurePolicy Fail, release ${h.release}) admits the pods of ${n.what}, which it needs to come back (${n.why}): when its pods are gone, those pods cannot be created`,
        });
      }
    }
    return findings;
  }
}

/** Findings of one step with the same code and cause become one, naming every object. */
function mergeSameCause(findings: Finding[], from: number, label: string): void {
  const tail = findings.splice(from);
  const groups = new Map<string, Finding[]>();
  for (const f of tail) {
    const cause = f.message.slice(label.length + 2 + f.object.length);
    const key = `${f.code}\u0000${cause}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, list] of groups) {
    if (list.length === 1) {
      findings.push(list[0]);
      continue;
    }
    const cause = key.split('\u0000')[1];
    const object = list.map((f) => f.object).join(', ');
    findings.push({ ...list[0], object, message: `${label}: ${object}: each${cause}` });
  }
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'PriorityClass', 'StorageClass',
  'CiliumClusterwideNetworkPolicy', 'IngressClass', 'GatewayClass', 'Subnet', 'Vpc', 'IP', 'ProviderNetwork', 'Vlan', 'IPPool']);

function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/**
 * Walks every delivery path of an output (relative path → content).
 * @internal
 */
export function bootstrapReport(files: Map<string, string>, options: BootstrapOptions = {}): BootstrapReport {
  const { output, problems } = readOutput(files, options.location);
  // a cert-manager the output says the cluster runs (components.certManager.preinstalled), unless the caller says otherwise
  const assume: BootstrapAssumptions = { ...(output.assumes.certManager ? { certManager: output.assumes.certManager } : {}), ...options.assume };
  const model = new Model(output, assume);
  const paths: PathPlan[] = [];
  for (const p of ['kubectl', 'flux', 'terraform'] as DeliveryPath[]) {
    const steps = output.paths.get(p);
    if (steps) paths.push(model.walk(p, steps));
  }
  const base = output.paths.get('kubectl') ?? output.paths.get('terraform') ?? output.paths.get('flux') ?? [];
  const fluxSteps = output.paths.get('flux');
  const fluxNs = fluxSteps ? fluxNamespaceOf(files) : undefined;
  const steadyState = model.steadyState(base, fluxNs);
  const notes = problems.map((p) => p.message);
  const timeouts = timeoutNote(output);
  if (timeouts) notes.push(timeouts);
  const assumptions: string[] = [];
  if (model.network.length === 0) assumptions.push(`variant ${output.variant}: the cluster brings its own CNI, running before the layer (every pod gets an address; with cni: cilium, its cilium.io CRDs exist)`);
  if (fluxSteps) assumptions.push(`flux: Flux runs in namespace ${fluxNs} before the layer (its controllers on the host network, as the reference's flux-aio), and the GitRepository holding the output exists`);
  if (assume.certManager) assumptions.push(`cert-manager runs in namespace ${assume.certManager.namespace} before the layer${assume.certManager === output.assumes.certManager ? ' (index.json: components.certManager.preinstalled)' : ''}`);
  assumptions.push('namespaces without pod-security.kubernetes.io/enforce admit privileged pods (no cluster-wide Pod Security default is modelled)');
  return {
    variant: output.variant,
    assumptions,
    paths,
    steadyState,
    findings: [...paths.flatMap((p) => p.findings), ...steadyState],
    notes,
  };
}

/** Seconds of a Go / Helm duration (`10m`, `5m0s`, `300s`); NaN when unreadable. */
function seconds(d: string | undefined): number {
  if (d === undefined) return NaN;
  let total = 0;
  let rest = d.trim();
  if (/^\d+$/.test(rest)) return Number(rest);
  for (const m of rest.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) total += Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as 'h' | 'm' | 's'];
  rest = rest.replace(/(\d+(?:\.\d+)?)(h|m|s)/g, '');
  return rest === '' ? total : NaN;
}

/** A note when the paths wait different times for the same release. */
function timeoutNote(output: ReadOutput): string | undefined {
  const by = new Map<string, Map<string, string>>();
  for (const [path, steps] of output.paths) {
    for (const s of steps) {
      if (!s.waits || s.waitOn || s.timeout === undefined || s.content.workloads.length === 0) continue;
      if (!by.has(s.name)) by.set(s.name, new Map());
      by.get(s.name)!.set(path, s.timeout);
    }
  }
  const differing = [...by].filter(([, m]) => m.size > 1 && new Set([...m.values()].map(seconds)).size > 1);
  if (differing.length === 0) return undefined;
  const [name, m] = differing[0];
  return `the paths wait different times for the same releases (${name}: ${[...m].map(([p, t]) => `${p} ${t}`).join(', ')}${differing.length > 1 ? `; ${differing.length} releases in all` : ''})`;
}

function fluxNamespaceOf(files: Map<string, string>): string | undefined {
  for (const [f, text] of files) {
    if (!f.startsWith('flux/')) continue;
    const m = /^kind: HelmRelease\nmetadata:\n(?:  .*\n)*?  namespace: (\S+)/m.exec(text);
    if (m) return m[1];
  }
  return undefined;
}
