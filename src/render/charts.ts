import { createHash } from 'crypto';
import { Collected, CollectedComponent } from './collect';
import { toYaml } from './files';
import { HelmChart } from '../helm/release';
import { sortKeys } from '../helm/values';
import { CozynetValidationError, ValidationIssue } from '../model/errors';

/**
 * How the whole layer reaches a cluster through Helm releases, shared by the
 * Flux and the Terraform renderers: every object of `manifests/` belongs to
 * exactly one release, and releases wait for what they need.
 *
 * - `namespaces` (local chart): every Namespace object, first of all, so that
 *   no release creates a namespace without its labels (Pod Security, tenant
 *   and system labels).
 * - per component, in the stack's order: a Helm component is its remote chart,
 *   preceded by `<release>-manifests` (local chart) when the component has
 *   plain objects besides its Namespace (configuration the chart reads, such
 *   as Cilium's chained CNI ConfigMap); a manifests-only component is a local
 *   chart of its own name (as in the reference platform, where every
 *   component is a Helm release).
 * - per section (tenants, load-balancer, subnets, attachments, passthrough):
 *   a local chart of the section's name, after every component (their objects
 *   are custom resources of the components' CRDs).
 * @internal
 */
export interface DeliveryRelease {
  /** Helm release name. */
  readonly name: string;
  /** Namespace the release is stored in and its objects default to; undefined for releases of cluster-wide objects and sections. */
  readonly namespace?: string;
  /** Release names this one waits for (all present in the plan). */
  readonly dependsOn: string[];
  /** A chart from a repository (a Helm component). */
  readonly remote?: { readonly chart: HelmChart; readonly values: Record<string, any> };
  /** A chart of the output folder: its folder relative to the output folder (`charts/<name>`). */
  readonly local?: string;
  /** Component the release belongs to, if any. */
  readonly component?: string;
  /** Names of the CustomResourceDefinitions a local chart applies. */
  readonly crds?: string[];
  /**
   * `false`: Helm does not wait for the release's workloads, because some of
   * them need a pod network that a later release completes (Hubble Relay and
   * UI in the Cilium release, with Kube-OVN after it). Its host-network
   * workloads are waited for right after it instead, and the others after
   * that later release (`rollouts`).
   * @default true
   */
  readonly wait?: boolean;
  /** Workloads the kubectl path waits for (`kubectl rollout status`) right after this release. */
  readonly rollouts?: Rollout[];
}

/** A workload a delivery path waits for by itself. @internal */
export interface Rollout {
  readonly namespace: string;
  /** `kind/name`, e.g. `deployment/hubble-relay`. */
  readonly workload: string;
}

/**
 * Releases whose Helm wait would wait on pods that cannot get an address
 * yet: a component with workloads that need the pod network, while another
 * part of the pod network (Kube-OVN behind a chained Cilium) depends on it.
 * Such a release does not wait; its host-network workloads are waited for
 * right after it, its pod-network workloads after the release that
 * completes the pod network; and every other release that waited for it
 * also waits for that one (e.g. the host firewall, whose
 * CiliumClusterwideNetworkPolicy CRD the Cilium operator registers).
 */
interface DeferredWait {
  /** The release that completes the pod network. */
  readonly after: string;
  readonly hostNetwork: Rollout[];
  readonly podNetwork: Rollout[];
}

/** @internal */
export function deferredWaits(components: CollectedComponent[]): { deferred: Map<string, DeferredWait>; extraDeps: Map<string, string[]> } {
  const byName = new Map(components.map((c) => [c.name, c]));
  const dependsOn = (c: CollectedComponent, target: string, seen = new Set<string>()): boolean => {
    for (const d of c.dependsOn) {
      if (d === target) return true;
      const dc = byName.get(d);
      if (dc && !seen.has(d)) {
        seen.add(d);
        if (dependsOn(dc, target, seen)) return true;
      }
    }
    return false;
  };
  const out = new Map<string, DeferredWait>();
  for (const c of components) {
    const w = c.workloads;
    if (!c.chart || !w || w.podNetwork.length === 0 || !w.addressesFromLaterRelease) continue;
    const completing = components.filter((o) => o !== c && o.providesNetwork && dependsOn(o, c.name));
    if (completing.length === 0) continue;
    const after = completing[completing.length - 1].name;
    out.set(c.name, {
      after,
      hostNetwork: w.hostNetwork.map((workload) => ({ namespace: c.namespace, workload })),
      podNetwork: w.podNetwork.map((workload) => ({ namespace: c.namespace, workload })),
    });
  }
  // every other component that waited for a deferred one also waits for the release completing the network
  const extraDeps = new Map<string, string[]>();
  for (const [name, d] of out) {
    const after = byName.get(d.after)!;
    for (const c of components) {
      if (c.name === d.after || !c.dependsOn.includes(name) || c.dependsOn.includes(d.after)) continue;
      if (dependsOn(after, c.name)) continue; // would make a cycle: keep the user's order
      extraDeps.set(c.name, [...extraDeps.get(c.name) ?? [], d.after]);
    }
  }
  return { deferred: out, extraDeps };
}

/** Components ordered so that every one comes after those it (now) depends on; otherwise as given. */
function dependencyOrder(components: CollectedComponent[], deps: (c: CollectedComponent) => string[]): CollectedComponent[] {
  const names = new Set(components.map((c) => c.name));
  const placed = new Set<string>();
  const out: CollectedComponent[] = [];
  const left = [...components];
  while (left.length > 0) {
    let i = left.findIndex((c) => deps(c).every((d) => !names.has(d) || placed.has(d)));
    if (i < 0) i = 0; // a cycle (refused before): keep the given order
    const [c] = left.splice(i, 1);
    placed.add(c.name);
    out.push(c);
  }
  return out;
}

/** @internal */
export interface DeliveryPlan {
  /** Releases, dependencies first. */
  readonly releases: DeliveryRelease[];
  /** Files of the local charts, relative to the output folder. */
  readonly files: Map<string, string>;
}

/** Name of the release (and chart) holding every Namespace object. @internal */
export const NAMESPACES_RELEASE = 'namespaces';

/**
 * Builds the delivery plan and the local charts of a collected platform.
 * With `charts: false` the files of the local charts are not rendered
 * (`files` is empty): the releases do not depend on them, and rendering
 * them is most of the work (what `validate` and the verifier need is only
 * the releases).
 * @internal
 */
export function planDelivery(collected: Collected, options: { charts?: boolean } = {}): DeliveryPlan {
  const withCharts = options.charts ?? true;
  const manifests = collected.manifests.filter((m) => m.path.startsWith('manifests/'));
  const byFile = new Map(manifests.map((m) => [m.path, m.objects]));
  const componentFiles = new Set(collected.components.map((c) => c.manifestFile).filter((f): f is string => f !== undefined));
  const files = new Map<string, string>();
  const releases: DeliveryRelease[] = [];
  const taken = new Map<string, string>();
  const issues: ValidationIssue[] = [];
  const claim = (name: string, owner: string) => {
    const other = taken.get(name);
    if (other !== undefined) {
      issues.push({
        path: owner.startsWith('components.') || !other.startsWith('components.') ? owner : other,
        value: CozynetValidationError.show(name),
        message: `the delivery would have two Helm releases named "${name}" (${other} and ${owner}); choose another release name`,
      });
    }
    taken.set(name, owner);
  };
  const addLocal = (name: string, description: string, objects: any[], owner: string, rest: Omit<DeliveryRelease, 'name' | 'local'>) => {
    claim(name, owner);
    const dir = `charts/${name}`;
    if (withCharts) for (const [p, content] of localChart(name, description, objects)) files.set(`${dir}/${p}`, content);
    const crds = objects.filter((o) => o?.kind === 'CustomResourceDefinition').map((o) => String(o.metadata?.name));
    releases.push({ name, local: dir, ...rest, ...(crds.length > 0 ? { crds } : {}) });
  };

  const namespaces = manifests.flatMap((m) => m.objects.filter(isNamespace));
  if (namespaces.length > 0) {
    addLocal(NAMESPACES_RELEASE, 'Namespaces of the networking layer (labelled), installed before everything else', namespaces, 'namespaces', { dependsOn: [] });
  }
  const first = namespaces.length > 0 ? [NAMESPACES_RELEASE] : [];

  // Release that stands for a component (what dependents wait for); a
  // component without a release passes on what it waits for.
  const finalRelease = new Map<string, string>();
  const inherited = new Map<string, string[]>();
  const componentNames = new Set(collected.components.map((c) => c.name));
  const { deferred, extraDeps } = deferredWaits(collected.components);
  const depsOf = (c: CollectedComponent): string[] => [...c.dependsOn, ...extraDeps.get(c.name) ?? []];
  // rollouts waited for after the release that completes the pod network
  const laterRollouts = new Map<string, Rollout[]>();
  for (const d of deferred.values()) laterRollouts.set(d.after, [...laterRollouts.get(d.after) ?? [], ...d.podNetwork]);
  const waitsFor = (c: CollectedComponent): string[] => {
    const out: string[] = [];
    for (const d of depsOf(c)) {
      if (!componentNames.has(d)) continue;
      const r = finalRelease.get(d);
      if (r !== undefined && !out.includes(r)) out.push(r);
      else if (r === undefined) for (const x of inherited.get(d) ?? []) if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  for (const c of dependencyOrder(collected.components, depsOf)) {
    const owner = c.id === 'cilium-networkpolicy' ? 'firewall' : `components.${camel(c.id ?? c.name)}.releaseName`;
    const objects = (c.manifestFile ? byFile.get(c.manifestFile) ?? [] : []).filter((o) => !isNamespace(o));
    const deps = [...first, ...waitsFor(c)];
    if (c.chart) {
      let before: string[] = [];
      if (objects.length > 0) {
        const name = `${c.name}-manifests`;
        addLocal(name, `Objects of ${c.name} applied before its chart`, objects, owner, { namespace: c.namespace, dependsOn: deps, component: c.name });
        before = [name];
      }
      claim(c.name, owner);
      // (the component's own objects already wait for the namespaces)
      const remoteDeps = before.length > 0 ? [...deps.filter((d) => d !== NAMESPACES_RELEASE), ...before] : deps;
      const d = deferred.get(c.name);
      const rollouts = [...d?.hostNetwork ?? [], ...laterRollouts.get(c.name) ?? []];
      releases.push({
        name: c.name,
        namespace: c.namespace,
        dependsOn: remoteDeps,
        remote: { chart: c.chart, values: sortKeys(c.values ?? {}) },
        component: c.name,
        ...(d ? { wait: false } : {}),
        ...(rollouts.length > 0 ? { rollouts } : {}),
      });
      finalRelease.set(c.name, c.name);
    } else if (objects.length > 0) {
      const rollouts = laterRollouts.get(c.name) ?? [];
      addLocal(c.name, `${c.name}, a component of the networking layer`, objects, owner, {
        namespace: c.namespace, dependsOn: deps, component: c.name, ...(rollouts.length > 0 ? { rollouts } : {}),
      });
      finalRelease.set(c.name, c.name);
    } else {
      inherited.set(c.name, waitsFor(c));
    }
  }

  const everyComponent = [...new Set(collected.components.map((c) => finalRelease.get(c.name)).filter((r): r is string => r !== undefined))];
  for (const m of manifests) {
    if (componentFiles.has(m.path)) continue;
    const objects = m.objects.filter((o) => !isNamespace(o));
    if (objects.length === 0) continue;
    const name = m.path.slice('manifests/'.length, -'.yaml'.length);
    addLocal(name, `The ${name} objects of the platform file`, objects, `manifests/${name}.yaml`, { dependsOn: [...first, ...everyComponent] });
  }
  if (issues.length > 0) throw new CozynetValidationError(issues);
  return { releases, files };
}

function isNamespace(o: any): boolean {
  return o?.apiVersion === 'v1' && o?.kind === 'Namespace';
}

/**
 * A Helm chart whose one template holds `objects` verbatim: `{{` is escaped so
 * that Helm renders the text as written. The chart version carries a hash of
 * the content, so that Helm, Flux and Terraform see every change as an
 * upgrade.
 */
function localChart(name: string, description: string, objects: any[]): Map<string, string> {
  const template = escapeTemplate(toYaml(objects));
  const hash = createHash('sha256').update(template).digest('hex').slice(0, 12);
  const chartYaml = toYaml([{
    apiVersion: 'v2',
    name,
    description,
    type: 'application',
    version: `0.0.0-h${hash}`,
  }]);
  return new Map([
    ['Chart.yaml', chartYaml],
    [`templates/${name}.yaml`, template],
  ]);
}

/**
 * Escapes Go template actions: every `{{` becomes an action printing `{{`.
 * @internal
 */
export function escapeTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, x) => x.toUpperCase());
}
