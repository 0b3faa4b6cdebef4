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

  /**
   * Whether this tenant's pods accept connections from the kube-apiserver
   * (Cilium entity `kube-apiserver`): admission webhooks, aggregated APIs
   * and conversion webhooks served from the tenant's namespace. Only the
   * API server calls them, on behalf of objects whose configuration a
   * tenant cannot write cluster-wide.
   *
   * @default - the parent's value; for `root`, `TenantIsolationProps.allowFromApiServer` (true)
   */
  readonly allowFromApiServer?: boolean;

  /**
   * Whether every pod of this tenant accepts connections from other nodes
   * (Cilium entity `remote-node`): load-balancer traffic that another node
   * forwarded with source NAT (a LoadBalancer or NodePort Service with
   * `externalTrafficPolicy: Cluster`) and host-network pods of other nodes.
   * Independently of this, pods of the world-facing service kinds
   * (`TenantIsolationProps.worldIngressServices`) always accept it.
   *
   * @default - the parent's value; for `root`, `TenantIsolationProps.allowFromRemoteNode` (false)
   */
  readonly allowFromRemoteNode?: boolean;
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

  /**
   * Field path of the options (everything but `tenants`) used as the prefix
   * of their validation error paths (e.g. `isolation.exposures[0].name` with
   * `isolation`).
   *
   * @default - the parent of `path` (the top level for `tenants`)
   */
  readonly optionsPath?: string;
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

  /**
   * Default of `TenantProps.allowFromApiServer` for `root` (inherited
   * downwards): tenant pods accept connections from the kube-apiserver
   * (webhooks, aggregated APIs).
   *
   * @default true
   */
  readonly allowFromApiServer?: boolean;

  /**
   * Default of `TenantProps.allowFromRemoteNode` for `root` (inherited
   * downwards).
   *
   * @default false
   */
  readonly allowFromRemoteNode?: boolean;

  /**
   * Whether tenant pods accept connections from the local node (Cilium
   * entity `host`): kubelet liveness, readiness and startup probes. Cilium
   * lets the local host in anyway in its default `allow-localhost` mode;
   * the explicit rule keeps probes working where that mode is `policy`.
   *
   * @default true
   */
  readonly allowFromHost?: boolean;

  /**
   * Whether tenant pods accept connections from Cilium's Envoy proxy
   * (Cilium entity `ingress`): the backends of Gateway API routes and
   * Ingress objects that Cilium serves. Which backends a route reaches is
   * governed by Gateway API itself (a route reaches another namespace's
   * Service only with a ReferenceGrant there).
   *
   * @default false (`Platform` sets it from the Cilium values: on when
   * `gatewayAPI.enabled` or `ingressController.enabled` is true, which is
   * the default of the Cilium values)
   */
  readonly allowFromIngress?: boolean;

  /**
   * Platform services outside the tenants that every tenant pod may connect
   * to (the sending half; the service's own namespace decides what it
   * accepts), e.g. the platform's dashboard or identity provider.
   *
   * @default - none (tenants reach cluster DNS and, when opted in, the kube-apiserver only)
   */
  readonly platformServices?: PlatformServiceProps[];

  /**
   * Services of a tenant offered to other tenants or to the world, beyond
   * the tree's own rules (e.g. one tenant's API offered to a sibling).
   * Each exposure opens both halves of the path: ingress on the serving
   * pods and egress on the client tenant's pods. The same can be declared
   * in code with `TenantIsolation.pods(...).allowFrom(...)`.
   *
   * @default - none (`Platform` adds one per passthrough service in a tenant namespace)
   */
  readonly exposures?: ExposureProps[];
}

/**
 * Protocol of an exposed port.
 */
export enum ExposureProtocol {
  /** TCP */
  TCP = 'TCP',
  /** UDP */
  UDP = 'UDP',
  /** SCTP */
  SCTP = 'SCTP',
}

/**
 * A port (or range) of an exposure.
 */
export interface ExposurePortProps {
  /** Port number, 1-65535. */
  readonly port: number;

  /**
   * Last port of a range `port`-`endPort`.
   * @default - the single port
   */
  readonly endPort?: number;

  /**
   * Protocol.
   * @default ExposureProtocol.TCP
   */
  readonly protocol?: ExposureProtocol;
}

/**
 * Who may connect to an exposure: pods of a tenant (optionally its whole
 * subtree, optionally only some pods), or the world. Set either
 * `namespace` or `world`.
 */
export interface ExposurePeerProps {
  /**
   * A tenant namespace whose pods may connect.
   * @default - none (then `world` must be true)
   */
  readonly namespace?: string;

  /**
   * With `namespace`: also the pods of that tenant's sub-tenants.
   * @default false
   */
  readonly subtree?: boolean;

  /**
   * With `namespace`: only pods carrying these labels.
   * @default - every pod
   */
  readonly selector?: { [key: string]: string };

  /**
   * The world (outside the cluster, Cilium entity `world`).
   * @default false
   */
  readonly world?: boolean;
}

/**
 * A service of a tenant offered to peers (platform file: an item of
 * `isolation.exposures`).
 */
export interface ExposureProps {
  /**
   * Name of the exposure: a DNS label, unique per namespace. The policy is
   * named `cozynet-expose-<namespace>-<name>`.
   */
  readonly name: string;

  /** The tenant namespace of the serving pods. */
  readonly namespace: string;

  /**
   * Labels of the serving pods.
   * @default - every pod of the namespace
   */
  readonly selector?: { [key: string]: string };

  /**
   * Ports offered.
   * @default - every port and protocol (ICMP included)
   */
  readonly ports?: ExposurePortProps[];

  /**
   * With `ports`: also ICMP echo requests (ping).
   * @default false
   */
  readonly allowIcmp?: boolean;

  /** Who may connect (at least one peer). */
  readonly from: ExposurePeerProps[];
}

/**
 * A platform service that tenant pods may connect to (platform file: an
 * item of `isolation.platformServices`). Give `namespace` or
 * `namespaceSelector`.
 */
export interface PlatformServiceProps {
  /** A name for it (a DNS label), used in descriptions and verify output. */
  readonly name: string;

  /**
   * Its namespace. Not a tenant's namespace: that tenant's baseline would
   * keep every other tenant out (use an exposure there instead).
   * @default - none (then `namespaceSelector` is required)
   */
  readonly namespace?: string;

  /**
   * Labels of its namespaces (instead of `namespace`).
   * @default - none
   */
  readonly namespaceSelector?: { [key: string]: string };

  /**
   * Labels of its pods.
   * @default - every pod of the namespace(s)
   */
  readonly selector?: { [key: string]: string };

  /**
   * Ports tenants may connect to.
   * @default - every port
   */
  readonly ports?: ExposurePortProps[];
}
