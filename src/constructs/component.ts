import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { HelmChart, ValuesLayer } from '../helm/release';
import { Values } from '../helm/values';

const GROUP_SYMBOL = Symbol.for('cozynet.ManifestGroup');
const COMPONENT_SYMBOL = Symbol.for('cozynet.Component');

/** Label that marks a platform (system) namespace; system namespaces may reach tenants. */
export const SYSTEM_NAMESPACE_LABEL = 'cozystack.io/system';

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
   * Whether the component's manifests include its Namespace object
   * (labelled `cozystack.io/system: "true"`). In a stack, each namespace is
   * emitted once, by the first component in it.
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

  /** Release name (the component's name). */
  public readonly releaseName: string;
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

  protected constructor(scope: Construct, id: string, defaults: ComponentDefaults, options: ComponentOptions = {}) {
    const releaseName = options.releaseName ?? defaults.releaseName;
    super(scope, id, releaseName);
    Object.defineProperty(this, COMPONENT_SYMBOL, { value: true });
    this.releaseName = releaseName;
    this.releaseNamespace = options.namespace ?? defaults.namespace;
    this.helmChart = defaults.chart;
    this.providesNetwork = defaults.providesNetwork ?? false;
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
   * Emits this component's Namespace object (once).
   * @internal
   */
  protected _ensureNamespace(options: ComponentOptions): void {
    if (this._namespaceObject || options.createNamespace === false) return;
    this._namespaceObject = new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: this.releaseNamespace, labels: { [SYSTEM_NAMESPACE_LABEL]: 'true' } },
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
