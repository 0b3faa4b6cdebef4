import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ExposureOptions, ExposurePeer } from './exposures';
import { renderExposures, renderTenantIsolation } from './policies';
import { ExposureProps, TenantIsolationProps } from './props';
import { namespaceOf, optionsPathOf, resolveExposureList, ResolvedTenantIsolation, resolveTenants } from './tree';

/**
 * Label keys and values of the tenant isolation scheme (facts §9), for use
 * in workloads that must fit into it.
 */
export class TenantLabels {
  /** Prefix of the hierarchical namespace labels: `tenant.cozystack.io/<namespace>: ""`. */
  public static readonly TENANT_PREFIX = 'tenant.cozystack.io/';
  /** Default pod label naming the kind of a (shareable) service, e.g. `ingress`. */
  public static readonly SERVICE = 'cozystack.io/service';
  /** Default pod label (value `"true"`) opting a pod in to reaching the kube-apiserver. */
  public static readonly ALLOW_API_SERVER = 'policy.cozystack.io/allow-to-apiserver';
  /** Default namespace label (value `"true"`) of system namespaces, which may reach every tenant. */
  public static readonly SYSTEM_NAMESPACE = 'cozystack.io/system';

  /** The hierarchical label a tenant namespace puts on itself and its descendants. */
  public static tenantLabel(tenantNamespace: string): string {
    return TenantLabels.TENANT_PREFIX + tenantNamespace;
  }

  private constructor() {}
}

/**
 * Namespaces and Cilium policies that isolate a tree of tenants.
 *
 * Per tenant: a `Namespace`, one `CiliumNetworkPolicy` in it and one
 * `CiliumClusterwideNetworkPolicy` for its subtree; plus one baseline
 * `CiliumClusterwideNetworkPolicy`. The objects are created directly in this
 * construct; place it in a `Chart`. Namespaced objects always name their
 * tenant namespace; a chart-wide namespace is not applied to the
 * cluster-scoped ones.
 *
 * Reachability (facts §9): pods of a tenant reach each other; a tenant reaches
 * its descendants; a descendant reaches only the shared services of its
 * ancestors; siblings and unrelated tenants are isolated both ways; every
 * tenant pod reaches cluster DNS on port 53; pods that opt in by label reach
 * the kube-apiserver; `kube-system` and system namespaces reach every tenant;
 * world egress is allowed and world ingress is limited to ingress controllers
 * by default. What the platform exposes is admitted on the receiving side:
 * the kube-apiserver (webhooks), the local node (probes), Cilium's Envoy
 * (Gateway API backends, `allowFromIngress`), other nodes into world-facing
 * services, and each exposure (`exposures`, `pods(...).allowFrom(...)`).
 */
export class TenantIsolation extends Construct {
  /**
   * The objects as plain JSON, in the order they are created (Namespaces,
   * then cluster-wide policies, then namespaced policies), with keys sorted
   * as cdk8s writes them. Validates like the constructor.
   */
  public static manifests(props: TenantIsolationProps): any[] {
    return renderTenantIsolation(resolveTenants(props));
  }

  /**
   * Namespace of the tenant at `path`: the tenant names from `root`, root
   * included (`['root']` is `tenant-root`, `['root', 'acme', 'dev']` is
   * `tenant-acme-dev`).
   */
  public static namespaceFor(path: string[]): string {
    return namespaceOf(path);
  }

  /** Tenant namespaces in depth-first pre-order (root first). */
  public readonly namespaces: string[];

  /** The API objects, in creation order. */
  public readonly apiObjects: ApiObject[];

  private readonly props: TenantIsolationProps;
  private readonly cfg: ResolvedTenantIsolation;
  private readonly added: ExposureProps[] = [];

  constructor(scope: Construct, id: string, props: TenantIsolationProps) {
    super(scope, id);
    const cfg = resolveTenants(props);
    this.props = props;
    this.cfg = cfg;
    this.namespaces = cfg.tenants.map((t) => t.namespace);
    this.apiObjects = renderTenantIsolation(cfg).map((obj) => this.addObject(obj));
  }

  /**
   * Pods of a tenant namespace (all, or those carrying `selector`), to
   * declare who else may connect to them (`allowFrom`) or whom they may
   * connect to (`allowTo`), in the style of cdk8s-plus `PodConnections`.
   */
  public pods(namespace: string, selector?: { [key: string]: string }): TenantPods {
    return new TenantPods(this, namespace, selector ?? {});
  }

  /**
   * Adds an exposure (both halves of the path), as `isolation.exposures`
   * does in a platform file. Throws `CozynetValidationError` naming the
   * field when it does not fit the tree.
   */
  public addExposure(exposure: ExposureProps): void {
    const all = [...(this.props.exposures ?? []), ...this.added, exposure];
    const resolved = resolveExposureList(this.cfg, all, optionsPathOf(this.props));
    this.added.push(exposure);
    for (const obj of renderExposures([resolved[resolved.length - 1]])) this.apiObjects.push(this.addObject(obj));
  }

  /**
   * The props with every exposure added since (what `verify` needs to know).
   * @internal
   */
  public _effectiveProps(): TenantIsolationProps {
    if (this.added.length === 0) return this.props;
    return { ...this.props, exposures: [...(this.props.exposures ?? []), ...this.added] };
  }

  /** @internal */
  public _nextExposureName(namespace: string): string {
    const used = new Set([...(this.props.exposures ?? []), ...this.added].filter((e) => e.namespace === namespace).map((e) => e.name));
    let n = 1;
    while (used.has(`allow-${n}`)) n++;
    return `allow-${n}`;
  }

  private addObject(obj: any): ApiObject {
    // A chart-wide namespace must not land on cluster-scoped objects.
    const chartNamespace = Chart.of(this).namespace;
    const namespaced = obj.metadata.namespace !== undefined;
    const objId = namespaced ? `${obj.kind}-${obj.metadata.namespace}-${obj.metadata.name}` : `${obj.kind}-${obj.metadata.name}`;
    const apiObject = new PlainApiObject(this, objId, obj);
    if (!namespaced && chartNamespace !== undefined) apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    return apiObject;
  }
}

/**
 * Pods of one tenant namespace, as a party of exposures (made by
 * `TenantIsolation.pods`).
 */
export class TenantPods {
  /** The tenant namespace. */
  public readonly namespace: string;
  /** Labels of the pods (empty: every pod of the namespace). */
  public readonly selector: { [key: string]: string };
  private readonly isolation: TenantIsolation;

  /**
   * Pods of `namespace` carrying `selector` (use `TenantIsolation.pods`).
   */
  constructor(isolation: TenantIsolation, namespace: string, selector: { [key: string]: string }) {
    this.isolation = isolation;
    this.namespace = namespace;
    this.selector = { ...selector };
  }

  /**
   * Lets `peer` connect to these pods (on `options.ports`, default every
   * port). Returns these pods, for chaining.
   */
  public allowFrom(peer: ExposurePeer, options: ExposureOptions = {}): TenantPods {
    this.isolation.addExposure({
      name: options.name ?? this.isolation._nextExposureName(this.namespace),
      namespace: this.namespace,
      ...(Object.keys(this.selector).length > 0 ? { selector: this.selector } : {}),
      ...(options.ports ? { ports: options.ports.map((p) => p.props) } : {}),
      ...(options.allowIcmp !== undefined ? { allowIcmp: options.allowIcmp } : {}),
      from: [peer.props],
    });
    return this;
  }

  /**
   * Lets these pods connect to `other` (the same as
   * `other.allowFrom(<these pods>)`). Returns these pods, for chaining.
   */
  public allowTo(other: TenantPods, options: ExposureOptions = {}): TenantPods {
    other.allowFrom(ExposurePeer.tenant(this.namespace, Object.keys(this.selector).length > 0 ? { selector: this.selector } : {}), options);
    return this;
  }
}

/**
 * An ApiObject made from plain, already sorted JSON (no tokens, no
 * undefined values): rendering skips cdk8s' token resolution, which is the
 * bulk of the synthesis time for thousands of tenants. Metadata changes and
 * JSON patches made through the ApiObject API still apply.
 */
class PlainApiObject extends ApiObject {
  private readonly plain: any;
  private metadataTouched: boolean;

  constructor(scope: Construct, id: string, plain: any) {
    super(scope, id, plain);
    this.plain = plain;
    // The plain metadata stands for `this.metadata` until anyone reaches for
    // the latter (to add a label, say), or the chart adds labels or a namespace.
    const chart = Chart.of(this);
    // (A chart namespace changes nothing here: every namespaced object names
    // its own, and cluster-scoped ones get none.)
    this.metadataTouched = Object.keys(chart.labels).length > 0;
    const metadata = this.metadata;
    Object.defineProperty(this, 'metadata', {
      get: () => {
        this.metadataTouched = true;
        return metadata;
      },
    });
  }

  public toJson(): any {
    const { apiVersion: _a, kind: _k, metadata: plainMetadata, ...rest } = this.plain;
    const metadata = this.metadataTouched ? this.metadata.toJson() : plainMetadata;
    const json = { apiVersion: this.apiVersion, kind: this.kind, metadata, ...rest };
    const patches: JsonPatch[] = (this as any).patches; // cdk8s ApiObject's own list, always there
    // JsonPatch.apply changes the document in place: patch a copy, the plain object is rendered again next time.
    return patches.length > 0 ? JsonPatch.apply(JSON.parse(JSON.stringify(json)), ...patches) : json;
  }
}
