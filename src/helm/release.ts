import { clone, deepMerge, Values } from './values';

/**
 * Where a Helm chart comes from.
 */
export interface HelmChartProps {
  /**
   * Chart repository URL: `https://…` for a classic Helm repository or
   * `oci://…` for an OCI registry.
   */
  readonly repository: string;

  /**
   * Chart name.
   */
  readonly name: string;

  /**
   * Chart version.
   */
  readonly version: string;
}

/**
 * Optional overrides of a component's chart source (platform file:
 * `components.<release>.chart`).
 */
export interface HelmChartOverride {
  /**
   * Chart repository URL.
   * @default - the reference platform's repository
   */
  readonly repository?: string;

  /**
   * Chart name.
   * @default - the reference platform's chart
   */
  readonly name?: string;

  /**
   * Chart version.
   * @default - the reference platform's version
   */
  readonly version?: string;
}

/**
 * A Helm chart reference.
 */
export class HelmChart {
  /**
   * A chart from a Helm repository or OCI registry.
   */
  public static of(props: HelmChartProps): HelmChart {
    return new HelmChart(props.repository, props.name, props.version);
  }

  /** Returns `base` with the fields of `override` applied. */
  public static withOverride(base: HelmChart, override?: HelmChartOverride): HelmChart {
    if (!override) return base;
    return new HelmChart(override.repository ?? base.repository, override.name ?? base.name, override.version ?? base.version);
  }

  private constructor(
    /** Repository URL. */
    public readonly repository: string,
    /** Chart name. */
    public readonly name: string,
    /** Chart version. */
    public readonly version: string,
  ) {}

  /** Whether the repository is an OCI registry (`oci://`). */
  public get isOci(): boolean {
    return this.repository.startsWith('oci://');
  }
}

/**
 * A named set of Helm values. A release's values are its layers deep-merged
 * in order: objects merge key by key, scalars and lists replace.
 */
export class ValuesLayer {
  /**
   * A layer from literal values.
   * @param name what the layer is for (shown in docs and diagnostics)
   * @param values the values
   */
  public static of(name: string, values: { [key: string]: any }): ValuesLayer {
    return new ValuesLayer(name, values);
  }

  /** The layer's name. */
  public readonly name: string;
  private readonly _values: Values;

  private constructor(name: string, values: Values) {
    this.name = name;
    this._values = clone(values ?? {});
  }

  /** A copy of the layer's values. */
  public get values(): { [key: string]: any } {
    return clone(this._values);
  }

  /** @internal */
  public _mergeOnto(base: Values): Values {
    return deepMerge(base, this._values);
  }
}
