import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { FirewallPort } from './host-ports';
import { chartHostPorts } from './host-ports';
import { baselineViolation, POD_SECURITY_ENFORCE_LABEL, podSpecOf, PodSecurityLevel, widerLevel } from './pod-security';
import { HelmChart, ValuesLayer } from '../helm/release';
import { Values } from '../helm/values';

export { PodSecurityLevel, POD_SECURITY_ENFORCE_LABEL, TENANT_POD_SECURITY_LEVEL } from './pod-security';

const GROUP_SYMBOL = Symbol.for('cozynet.ManifestGroup');
const COMPONENT_SYMBOL = Symbol.for('cozynet.Component');

/** Label that marks a platform (system) namespace; system namespaces may reach tenants. */
export const SYSTEM_NAMESPACE_LABEL = 'cozystack.io/system';

/**
 * When the kubelet pulls a container image.
 */
export enum ImagePullPolicy {
  /**
   * Pull only when the node does not have the image: a node that reboots
   * during a registry outage still starts its network. The default of every
   * image cozynet emits.
   */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Pull on every container start (fails while the registry is unreachable). */
  ALWAYS = 'Always',
  /** Never pull: the image must be preloaded on every node. */
  NEVER = 'Never',
}

/**
 * A group of Kubernetes objects that is written to one file,
 * `manifests/<groupName>.yaml` (or `flux/…` for delivery objects). It is a cdk8s `Chart`, so the stock
 * `cdk8s synth` writes it to a file of its own as well.
 */
export class ManifestGroup extends Chart {
  /** Whether `x` is a `ManifestGroup`. */
  public static isManifestGroup(x: any): x is ManifestGroup {
    return x !== null && typeof x === 'object' && GROUP_SYMBOL in x;
  }

  /** The nearest enclosing group of a construct, if any. */
  public static groupOf(c: IConstruct): ManifestGroup | undefined {
    for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
      if (ManifestGroup.isManifestGroup(s)) return s;
    }
    return undefined;
  }

  /** The manifest file's base name. */
  public readonly groupName: string;
  /** The output folder the file goes to: `manifests` or `flux`. */
  public readonly outputFolder: string;

  /**
   * @param scope parent construct
   * @param id construct id
   * @param groupName manifest file base name; defaults to `id`
   * @param outputFolder output folder of the file; defaults to `manifests`
   */
  constructor(scope: Construct, id: string, groupName?: string, outputFolder?: string) {
    super(scope, id, { disableResourceNameHashes: true });
    this.groupName = groupName ?? id;
    this.outputFolder = outputFolder ?? 'manifests';
    Object.defineProperty(this, GROUP_SYMBOL, { value: true });
  }
}

/**
 * Options common to every component.
 */
export interface ComponentOptions {
  /**
   * Namespace the component is installed into.
   * @default - the reference platform's namespace for the component
   */
  readonly namespace?: string;

  /**
   * Helm release name; also the component's name in `index.json`.
   * @default - the reference platform's release name
   */
  readonly releaseName?: string;

  /**
   * Release names this component waits for, in addition to those the
   * variant stack adds.
   * @default []
   */
  readonly dependsOn?: string[];

  /**
   * Whether the component's manifests include its Namespace object, first in
   * its manifest file, labelled `cozystack.io/system: "true"` and
   * `pod-security.kubernetes.io/enforce` with the level its pods need
   * (`privileged` for host-network or privileged pods: Talos enforces
   * `baseline` cluster-wide and refuses them in an unlabelled namespace).
   * In a stack, each namespace is emitted once, by the first component in
   * it, with the widest level of every component in it.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * The reference platform's identity of a component, set by its class.
 */
export interface ComponentDefaults {
  /** Default release name. */
  readonly releaseName: string;
  /** Default namespace. */
  readonly namespace: string;
  /**
   * The Helm chart, for Helm releases.
   * @default - not a Helm release (manifests only)
   */
  readonly chart?: HelmChart;
  /**
   * Whether the component is part of the pod network other components wait for.
   * @default false
   */
  readonly providesNetwork?: boolean;

  /**
   * The Pod Security level the chart's pods need (its manifests are
   * inspected as synthesized). Every chart cozynet installs runs host-network
   * pods (Cilium agent, Kube-OVN, MetalLB speaker).
   * @default - PodSecurityLevel.PRIVILEGED for a Helm release, otherwise PodSecurityLevel.BASELINE
   */
  readonly podSecurity?: PodSecurityLevel;
}

/**
 * What a component is, independent of how it is rendered: a Helm release
 * (chart + layered values) and/or a set of manifests, with a namespace, a
 * release name and the releases it waits for.
 */
export abstract class Component extends ManifestGroup {
  /** Whether `x` is a `Component`. */
  public static isComponent(x: any): x is Component {
    return x !== null && typeof x === 'object' && COMPONENT_SYMBOL in x;
  }

  /** Release name (the component's name, unless the platform renames its release). */
  public readonly releaseName: string;
  /**
   * The component's own name (`cilium`, `kubeovn`, `metallb`, ...): its
   * default release name, whatever `releaseName` it is given.
   */
  public readonly componentName: string;
  /**
   * Namespace the component runs in: its Helm release's target namespace and
   * the namespace of its namespaced objects.
   */
  public readonly releaseNamespace: string;
  /** The Helm chart, for components delivered as a Helm release. */
  public readonly helmChart?: HelmChart;
  /**
   * Whether this component is part of the pod network that other
   * components (MetalLB, Multus, cozy-proxy) wait for.
   */
  public readonly providesNetwork: boolean;

  private readonly _dependsOn: string[] = [];
  private readonly _layers: ValuesLayer[] = [];
  private readonly _tailLayers: ValuesLayer[] = [];
  private _namespaceObject?: ApiObject;
  private readonly _namespaceMembers: Component[] = [];
  private readonly _declaredPodSecurity: PodSecurityLevel;

  protected constructor(scope: Construct, id: string, defaults: ComponentDefaults, options: ComponentOptions = {}) {
    const releaseName = options.releaseName ?? defaults.releaseName;
    super(scope, id, releaseName);
    Object.defineProperty(this, COMPONENT_SYMBOL, { value: true });
    this.releaseName = releaseName;
    this.componentName = defaults.releaseName;
    this.releaseNamespace = options.namespace ?? defaults.namespace;
    this.helmChart = defaults.chart;
    this.providesNetwork = defaults.providesNetwork ?? false;
    this._declaredPodSecurity = defaults.podSecurity ?? (defaults.chart ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.BASELINE);
    for (const d of options.dependsOn ?? []) this.addDependencyName(d);
    // Every component's namespace exists before its objects and its release
    // (a stack emits each namespace once, from the first component in it).
    if (options.createNamespace ?? true) this._ensureNamespace(options);
    this.node.addValidation({ validate: () => this.validateComponent() });
  }

  /** Release names this component waits for, in order of addition. */
  public get dependsOn(): string[] {
    return [...this._dependsOn];
  }

  /** Makes this component wait for other components. */
  public waitFor(...components: Component[]): void {
    for (const c of components) this.addDependencyName(c.releaseName);
  }

  /** Makes this component wait for a release by name. */
  public addDependencyName(releaseName: string): void {
    if (releaseName !== this.releaseName && !this._dependsOn.includes(releaseName)) this._dependsOn.push(releaseName);
  }

  /** Adds a values layer; later layers win. */
  public addValuesLayer(layer: ValuesLayer): void {
    this._layers.push(layer);
  }

  /**
   * Adds a layer that stays after every layer added with `addValuesLayer`
   * (used for user overrides).
   * @internal
   */
  public _addTailLayer(layer: ValuesLayer): void {
    this._tailLayers.push(layer);
  }

  /** The names of the values layers, in merge order. */
  public get valuesLayerNames(): string[] {
    return this.allLayers().map((l) => l.name);
  }

  /**
   * The release's Helm values: every layer merged in order. Undefined for
   * components that are not Helm releases.
   */
  public get values(): { [key: string]: any } | undefined {
    if (!this.helmChart) return undefined;
    let v: Values = {};
    for (const l of this.allLayers()) v = l._mergeOnto(v);
    return v;
  }

  /**
   * Problems with the merged values (unknown keys, wrong types), checked
   * against the chart's published values schema or default values.
   */
  public checkValues(): string[] {
    return [];
  }

  /**
   * The Pod Security level this component's pods need: the chart's level for
   * a Helm release, raised by whatever its own manifests run (host network,
   * host PID, privileged containers, hostPath volumes, … make it
   * `privileged`).
   */
  public get podSecurityLevel(): PodSecurityLevel {
    let level = this._declaredPodSecurity;
    for (const c of this.node.findAll()) {
      if (c === this._namespaceObject || !ApiObject.isApiObject(c) || !WORKLOAD_KINDS.has(c.kind)) continue;
      if (baselineViolation(podSpecOf(c.toJson())) !== undefined) level = widerLevel(level, PodSecurityLevel.PRIVILEGED);
    }
    return level;
  }

  /**
   * Host-network ports this component's pods listen on (reachable from
   * outside the node unless the host firewall denies them). For a Helm
   * release, read from the chart's templates as the merged values configure
   * them.
   */
  public hostNetworkPorts(): FirewallPort[] {
    return this.helmChart ? chartHostPorts(this.helmChart.name, this.values ?? {}) : [];
  }

  /**
   * The Helm release's workloads (`kind/name`) by what they need to start:
   * host-network ones, and those that need the pod network, and whether
   * their addresses come from a network component installed after this one
   * (a chained CNI). Undefined when
   * the component does not know (the delivery then waits on the release as
   * a whole).
   * @internal
   */
  public _releaseWorkloads(): { hostNetwork: string[]; podNetwork: string[]; addressesFromLaterRelease: boolean } | undefined {
    return undefined;
  }

  /** Whether this component emits its Namespace object. */
  public get emitsNamespace(): boolean {
    return this._namespaceObject !== undefined;
  }

  /**
   * Leaves the Namespace object out (another component of the same stack
   * emits it).
   * @internal
   */
  public _dropNamespace(): void {
    if (this._namespaceObject) {
      this.node.tryRemoveChild(this._namespaceObject.node.id);
      this._namespaceObject = undefined;
    }
  }

  /**
   * Another component runs in this component's namespace, whose Namespace
   * object this one emits: the label carries the level both need.
   * @internal
   */
  public _shareNamespaceWith(other: Component): void {
    if (other !== this && !this._namespaceMembers.includes(other)) this._namespaceMembers.push(other);
  }

  /**
   * Emits this component's Namespace object (once), first among its objects.
   * Labels: `cozystack.io/system: "true"` and
   * `pod-security.kubernetes.io/enforce` with the widest level its pods (and
   * those of components sharing the namespace) need; annotation
   * `helm.sh/resource-policy: keep` (a namespace outlives an uninstall).
   * @internal
   */
  protected _ensureNamespace(options: ComponentOptions): void {
    if (this._namespaceObject || options.createNamespace === false) return;
    this._namespaceObject = new ComponentNamespace(this, 'namespace', this.releaseNamespace, () => {
      let level = this.podSecurityLevel;
      for (const m of this._namespaceMembers) level = widerLevel(level, m.podSecurityLevel);
      return level;
    });
  }

  private allLayers(): ValuesLayer[] {
    return [...this._layers, ...this._tailLayers];
  }

  private validateComponent(): string[] {
    if (!this.helmChart) return [];
    return this.checkValues().map((e) => `${this.releaseName} values: ${e}`);
  }
}

const WORKLOAD_KINDS = new Set(['Pod', 'DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet', 'Job', 'CronJob']);

/** Annotation that keeps an object when the Helm release that made it is uninstalled. */
export const HELM_KEEP_ANNOTATION = 'helm.sh/resource-policy';

/**
 * A component's Namespace object, labelled at synthesis with the Pod Security
 * level its pods need.
 */
class ComponentNamespace extends ApiObject {
  constructor(scope: Construct, id: string, name: string, private readonly level: () => PodSecurityLevel) {
    super(scope, id, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations: { [HELM_KEEP_ANNOTATION]: 'keep' } } });
  }

  public toJson(): any {
    const json = super.toJson();
    const { name, annotations } = json.metadata;
    json.metadata = { name, labels: { [SYSTEM_NAMESPACE_LABEL]: 'true', [POD_SECURITY_ENFORCE_LABEL]: this.level() }, annotations };
    return json;
  }
}
