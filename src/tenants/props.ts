/**
 * One tenant of the tenant tree (platform file: an element of `tenants` or
 * of a tenant's `children`).
 *
 * A tenant's namespace is `tenant-<name>` for a child of `root` and
 * `<parent namespace>-<name>` below that (`root` itself is `tenant-root`).
 */
export interface TenantProps {
  /**
   * Tenant name: lowercase letters and digits only (the dash is the
   * hierarchy separator). The single top-level tenant must be `root`; `root`
   * is not allowed anywhere else. Unique among siblings.
   */
  readonly name: string;

  /**
   * Sub-tenants. A tenant reaches every pod of its sub-tenants (and their
   * sub-tenants); they do not reach it, except for its shared services.
   *
   * @default - no sub-tenants
   */
  readonly children?: TenantProps[];

  /**
   * Kinds of service this tenant offers to its whole subtree. Pods of this
   * tenant labelled `<serviceLabel>: <kind>` (e.g. `cozystack.io/service: ingress`)
   * for a listed kind accept connections, on every port, from every pod of
   * every descendant tenant. An empty list shares nothing.
   *
   * @default - `TenantIsolationProps.defaultSharedServices` (`['etcd', 'ingress', 'monitoring']`)
   */
  readonly sharedServices?: string[];

  /**
   * Whether this tenant's pods may open connections to the world (outside
   * the cluster, Cilium entity `world`).
   *
   * @default - the parent's value; for `root`, `TenantIsolationProps.allowWorldEgress` (true)
   */
  readonly allowWorldEgress?: boolean;

  /**
   * Whether every pod of this tenant accepts connections from the world.
   * Independently of this, pods of the kinds in
   * `TenantIsolationProps.worldIngressServices` (the ingress controller)
   * always accept connections from the world.
   *
   * @default - the parent's value; for `root`, `TenantIsolationProps.allowWorldIngress` (false)
   */
  readonly allowWorldIngress?: boolean;

  /**
   * Whether this tenant's pods that opt in with the label
   * `<apiServerAccessLabel>: "true"` (default `policy.cozystack.io/allow-to-apiserver: "true"`)
   * may reach the kube-apiserver. Pods without the label never reach it.
   *
   * @default - the parent's value; for `root`, `TenantIsolationProps.allowApiServer` (true)
   */
  readonly allowApiServer?: boolean;
}

/**
 * Props of `TenantIsolation`: the tenant tree and the knobs of the isolation
 * policy set.
 */
export interface TenantIsolationProps extends TenantIsolationOptions {
  /**
   * The tenant tree: a list with exactly one element, the tenant `root`.
   */
  readonly tenants: TenantProps[];

  /**
   * Field path of `tenants` used as the prefix of validation error paths
   * (e.g. `tenants[0].children[1].name`).
   *
   * @default 'tenants'
   */
  readonly path?: string;
}

/**
 * The knobs of the tenant isolation policy set (platform file key
 * `isolation`).
 */
export interface TenantIsolationOptions {
  /**
   * Pod label whose value names the kind of service a pod provides; the
   * kinds listed in a tenant's `sharedServices` are reachable from its
   * subtree.
   *
   * @default 'cozystack.io/service'
   */
  readonly serviceLabel?: string;

  /**
   * Shared service kinds of a tenant that does not set `sharedServices`
   * (reference platform: ingress controller, etcd, monitoring write endpoint).
   *
   * @default ['etcd', 'ingress', 'monitoring']
   */
  readonly defaultSharedServices?: string[];

  /**
   * Service kinds whose pods accept connections from the world in every
   * tenant (so that a LoadBalancer in front of an ingress controller works
   * while other tenant pods stay closed to the world).
   *
   * @default ['ingress']
   */
  readonly worldIngressServices?: string[];

  /**
   * Pod label (value `"true"`) by which a pod opts in to reaching the
   * kube-apiserver.
   *
   * @default 'policy.cozystack.io/allow-to-apiserver'
   */
  readonly apiServerAccessLabel?: string;

  /**
   * Default of `TenantProps.allowApiServer` for `root` (inherited downwards).
   *
   * @default true
   */
  readonly allowApiServer?: boolean;

  /**
   * Default of `TenantProps.allowWorldEgress` for `root` (inherited downwards).
   *
   * @default true
   */
  readonly allowWorldEgress?: boolean;

  /**
   * Default of `TenantProps.allowWorldIngress` for `root` (inherited downwards).
   *
   * @default false
   */
  readonly allowWorldIngress?: boolean;

  /**
   * Namespace label (value `"true"`) marking system namespaces whose pods may
   * connect to every tenant.
   *
   * @default 'cozystack.io/system'
   */
  readonly systemNamespaceLabel?: string;

  /**
   * Namespace of the cluster DNS pods. (Independently of this, every pod of
   * `kube-system` may connect to every tenant.)
   *
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;

  /**
   * Pod labels of the cluster DNS pods, which every tenant pod may reach on
   * port 53 (UDP and TCP).
   *
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };
}
