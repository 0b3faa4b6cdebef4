import { ApiObject, App, Chart, ImplicitTokenResolver, LazyResolver, Names, NumberStringUnionResolver } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Component, ManifestGroup } from '../constructs/component';
import { HelmChart } from '../helm/release';
import { CozynetValidationError, ValidationIssue } from '../model/errors';

/**
 * What a construct tree synthesizes to, before any file is written: the
 * components (releases) and the Kubernetes objects grouped by manifest file.
 * @internal
 */
export interface CollectedComponent {
  readonly name: string;
  readonly namespace: string;
  readonly dependsOn: string[];
  readonly chart?: HelmChart;
  readonly values?: Record<string, any>;
  readonly manifestFile?: string;
  /** Construct id (in a stack: the layer name, e.g. `cozy-proxy`). */
  readonly id?: string;
  /** Whether the component is part of the pod network (Cilium, Kube-OVN, Kilo). */
  readonly providesNetwork?: boolean;
  /**
   * The release's workloads by what they need to start: host-network ones
   * start as soon as they are scheduled, the others need a pod network
   * (`kind/name`, e.g. `deployment/hubble-relay`); and whether those pods
   * get their addresses from a network component installed after this one
   * (Kube-OVN behind a chained Cilium). Undefined when unknown.
   */
  readonly workloads?: { readonly hostNetwork: string[]; readonly podNetwork: string[]; readonly addressesFromLaterRelease: boolean };
}

/** @internal */
export interface ManifestFile {
  /** Path relative to the output folder, e.g. `manifests/cilium.yaml`. */
  readonly path: string;
  readonly objects: any[];
}

/** @internal */
export interface Collected {
  readonly components: CollectedComponent[];
  readonly manifests: ManifestFile[];
}

/**
 * Walks the tree once: runs every construct's validations, renders every
 * ApiObject exactly once and groups objects by their manifest group (or,
 * outside any group, by their nearest chart).
 * @internal
 */
export function collect(root: IConstruct): Collected {
  const all = root.node.findAll();
  const issues: ValidationIssue[] = [];
  for (const c of all) {
    for (const message of c.node.validate()) {
      const path = Component.isComponent(c) ? `components.${c.releaseName}.values` : c.node.path;
      issues.push({ path, value: '', message });
    }
  }
  if (issues.length > 0) throw new CozynetValidationError(issues);

  const restore = provideResolvers(root);
  try {
    return render(all);
  } finally {
    restore();
  }
}

/**
 * cdk8s resolves tokens with the resolvers of the App at the root of the
 * tree. When cozynet constructs live in another tree (a cdktf App, a bare
 * Construct), lend the root cdk8s' built-in resolvers for the duration of
 * the rendering.
 */
function provideResolvers(root: IConstruct): () => void {
  const top = App.of(root) as any;
  if (Array.isArray(top.resolvers)) return () => undefined;
  Object.defineProperty(top, 'resolvers', {
    value: [new LazyResolver(), new ImplicitTokenResolver(), new NumberStringUnionResolver()],
    configurable: true,
  });
  return () => delete top.resolvers;
}

function render(all: IConstruct[]): Collected {
  const byFile = new Map<string, any[]>();
  const fileOf = new Map<IConstruct, string>();
  const components: CollectedComponent[] = [];
  const order: string[] = [];
  const groupFile = (g: IConstruct): string => {
    let f = fileOf.get(g);
    if (!f) {
      f = ManifestGroup.isManifestGroup(g)
        ? `${g.outputFolder}/${g.groupName}.yaml`
        : `manifests/${Names.toDnsLabel(g as Chart, { includeHash: false })}.yaml`;
      fileOf.set(g, f);
    }
    return f;
  };

  for (const c of all) {
    if (Component.isComponent(c)) {
      components.push({
        name: c.releaseName,
        namespace: c.releaseNamespace,
        dependsOn: c.dependsOn,
        chart: c.helmChart,
        values: c.values,
        manifestFile: groupFile(c),
        id: c.node.id,
        providesNetwork: c.providesNetwork,
        workloads: c._releaseWorkloads(),
      });
      continue;
    }
    if (!ApiObject.isApiObject(c)) continue;
    const owner = ManifestGroup.groupOf(c) ?? Chart.of(c);
    const file = groupFile(owner);
    let list = byFile.get(file);
    if (!list) {
      list = [];
      byFile.set(file, list);
      order.push(file);
    }
    list.push(c.toJson());
  }

  const manifests = order.map((path) => ({ path, objects: byFile.get(path)! }));
  const withManifests = new Set(order);
  return {
    components: components.map((c) => ({ ...c, manifestFile: c.manifestFile && withManifests.has(c.manifestFile) ? c.manifestFile : undefined })),
    manifests,
  };
}
