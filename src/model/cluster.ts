import { IssueCollector } from './errors';
import { contains, endpointProblem, firstHost, IpInterval, overlaps, parseAddress, parseCidr, ParsedCidr, specialBlockProblem } from './ip';

/**
 * Where the Kubernetes API server is reached from nodes. The `*-generic`
 * variants need it: Cilium replaces kube-proxy and must reach the API
 * server before any Service works.
 */
export interface ApiServerEndpoint {
  /**
   * Address or DNS name of the API server (or its load balancer).
   */
  readonly host: string;

  /**
   * TCP port of the API server.
   * @default 6443
   */
  readonly port?: number;
}

/**
 * The Kubernetes distribution of a `*-generic` cluster. It decides the
 * control-plane node label Kube-OVN pins its central database to.
 */
export enum KubernetesDistribution {
  /** kubeadm: control-plane nodes carry `node-role.kubernetes.io/control-plane: ""`. */
  KUBEADM = 'kubeadm',
  /** k3s: control-plane nodes carry `node-role.kubernetes.io/control-plane: "true"`. */
  K3S = 'k3s',
  /** RKE2: control-plane nodes carry `node-role.kubernetes.io/control-plane: "true"`. */
  RKE2 = 'rke2',
}

/**
 * Cluster-wide network settings (platform file key `cluster`).
 */
export interface ClusterNetworkProps {
  /**
   * The one shared pod CIDR, allocated centrally by Kube-OVN.
   * @default '10.244.0.0/16'
   */
  readonly podCidr?: string;

  /**
   * Gateway of the pod CIDR; must lie inside it.
   * @default - the first address of `podCidr` (10.244.0.1)
   */
  readonly podGateway?: string;

  /**
   * Service (ClusterIP) CIDR.
   * @default '10.96.0.0/16'
   */
  readonly serviceCidr?: string;

  /**
   * Kube-OVN join CIDR (node to pod traffic over GENEVE).
   * @default '100.64.0.0/16'
   */
  readonly joinCidr?: string;

  /**
   * Cluster DNS domain.
   * @default 'cozy.local'
   */
  readonly clusterDomain?: string;

  /**
   * API server endpoint; required by the `*-generic` variants.
   * @default - none: Talos variants use KubePrism (localhost:7445)
   */
  readonly apiServer?: ApiServerEndpoint;

  /**
   * East-west encryption between nodes (Kube-OVN IPsec, `func.ENABLE_OVN_IPSEC`).
   * @default false
   */
  readonly encryption?: boolean;

  /**
   * The distribution of a `*-generic` cluster: `kubeadm`, `k3s` or `rke2`.
   * Kube-OVN finds its control-plane nodes by a label whose value differs
   * (kubeadm: empty; k3s and RKE2: `"true"`); a wrong one fails the Kube-OVN
   * install ("No nodes found with label"). Talos variants know their label
   * and reject this setting.
   * @default KubernetesDistribution.K3S (the reference platform's generic values; same labels as RKE2)
   */
  readonly distribution?: KubernetesDistribution;
}

/** Defaults of the reference platform (facts §1). */
export const CLUSTER_DEFAULTS = {
  podCidr: '10.244.0.0/16',
  podGateway: '10.244.0.1',
  serviceCidr: '10.96.0.0/16',
  joinCidr: '100.64.0.0/16',
  clusterDomain: 'cozy.local',
  apiServerPort: 6443,
};

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/**
 * A named address range that nothing else in the platform may overlap.
 * @internal
 */
export interface ReservedRange {
  readonly path: string;
  readonly label: string;
  readonly interval: IpInterval;
}

/**
 * The validated cluster network: every field resolved to its default.
 * Construction throws a `CozynetValidationError` naming each bad field.
 */
export class ClusterNetwork {
  /** The pod CIDR. */
  public readonly podCidr: string;
  /** The pod gateway. */
  public readonly podGateway: string;
  /** The service CIDR. */
  public readonly serviceCidr: string;
  /** The Kube-OVN join CIDR. */
  public readonly joinCidr: string;
  /** The cluster DNS domain. */
  public readonly clusterDomain: string;
  /** The API server endpoint, if given. */
  public readonly apiServer?: ApiServerEndpoint;
  /** Whether node-to-node (east-west) traffic is encrypted. */
  public readonly encryption: boolean;
  /** The distribution of a generic cluster, if given. */
  public readonly distribution?: KubernetesDistribution;

  /** @internal */
  public readonly _ranges: ReservedRange[];

  /**
   * @param props the settings
   * @param path field path used in error messages
   */
  constructor(props: ClusterNetworkProps = {}, path: string = 'cluster') {
    const issues = new IssueCollector(path);
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      issues.add(undefined, props, 'must be an object');
      issues.throwIfAny();
    }
    this.podCidr = props.podCidr ?? CLUSTER_DEFAULTS.podCidr;
    this.serviceCidr = props.serviceCidr ?? CLUSTER_DEFAULTS.serviceCidr;
    this.joinCidr = props.joinCidr ?? CLUSTER_DEFAULTS.joinCidr;
    this.clusterDomain = props.clusterDomain ?? CLUSTER_DEFAULTS.clusterDomain;
    this.encryption = props.encryption ?? false;

    const cidrs: Array<[string, string, string]> = [
      ['podCidr', this.podCidr, 'pod CIDR'],
      ['serviceCidr', this.serviceCidr, 'service CIDR'],
      ['joinCidr', this.joinCidr, 'join CIDR'],
    ];
    const parsed: Record<string, ParsedCidr | undefined> = {};
    for (const [field, value, label] of cidrs) {
      const r = parseCidr(value);
      if (!r.ok) issues.add(field, value, r.error);
      else if (r.value.family === 4 && r.value.prefix > 30) issues.add(field, value, `the ${label} must hold more than a handful of addresses: use a prefix length of /30 or shorter`);
      else if (specialBlockProblem(r.value, `the ${label}`)) issues.add(field, value, specialBlockProblem(r.value, `the ${label}`)!);
      else parsed[field] = r.value;
    }
    // Single stack (every variant): the pod and service CIDRs, and a join CIDR given, are one family.
    const podRange = parsed.podCidr;
    for (const field of ['serviceCidr', 'joinCidr']) {
      const other = parsed[field];
      if (!podRange || !other || other.family === podRange.family || (field === 'joinCidr' && props.joinCidr === undefined)) continue;
      issues.add(field, other.text, `is IPv${other.family} but podCidr ${podRange.text} is IPv${podRange.family}: the cluster is single-stack (dual-stack is not modelled), so the pod, service and join CIDRs must be one family`);
      delete parsed[field];
    }

    const pod = parsed.podCidr;
    const defaultGateway = pod && props.podCidr !== undefined ? firstHost(pod) : CLUSTER_DEFAULTS.podGateway;
    this.podGateway = props.podGateway ?? defaultGateway;
    const gw = parseAddress(this.podGateway);
    if (!gw.ok) {
      issues.add('podGateway', this.podGateway, gw.error);
    } else if (pod && !contains(pod, gw.value)) {
      issues.add('podGateway', this.podGateway, `must lie inside podCidr ${this.podCidr}`);
    } else if (pod && (gw.value.start === pod.start || (pod.family === 4 && gw.value.start === pod.end))) {
      issues.add('podGateway', this.podGateway, `must be a host address of podCidr ${this.podCidr}, not its network or broadcast address`);
    }

    const names = Object.keys(parsed);
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const a = parsed[names[i]]!;
        const b = parsed[names[j]]!;
        if (overlaps(a, b)) {
          issues.add(names[j], b.text, `overlaps ${names[i]} ${a.text}: the pod, service and join CIDRs must be disjoint`);
        }
      }
    }

    if (typeof this.clusterDomain !== 'string' || !DNS_NAME.test(this.clusterDomain)) {
      issues.add('clusterDomain', this.clusterDomain, 'must be a lowercase DNS name such as cozy.local');
    }
    if (typeof this.encryption !== 'boolean') issues.add('encryption', this.encryption, 'must be true or false');
    if (props.distribution !== undefined) {
      const allowed = Object.values(KubernetesDistribution) as string[];
      if (!allowed.includes(props.distribution)) issues.add('distribution', props.distribution, `must be one of ${allowed.join(', ')}`);
      else this.distribution = props.distribution;
    }

    if (props.apiServer !== undefined) {
      const api = props.apiServer;
      if (api === null || typeof api !== 'object') {
        issues.add('apiServer', api, 'must be an object with host and port');
      } else {
        const host = api.host;
        const address = parseAddress(host);
        if (typeof host !== 'string' || !(address.ok || DNS_NAME.test(host))) {
          issues.add('apiServer.host', host, 'must be an IP address or a DNS name');
        } else if (!address.ok && /^[0-9.]+$/.test(host)) {
          issues.add('apiServer.host', host, 'is not an IP address (an IPv4 address is four numbers 0-255) and not a DNS name (a name\'s last label is not all digits)');
        } else if (address.ok && endpointProblem(address.value, 'the API server')) {
          issues.add('apiServer.host', host, endpointProblem(address.value, 'the API server')!);
        }
        const port = api.port ?? CLUSTER_DEFAULTS.apiServerPort;
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          issues.add('apiServer.port', port, 'must be a TCP port 1-65535');
        }
        this.apiServer = { host, port };
      }
    }
    issues.throwIfAny();

    this._ranges = cidrs.map(([field, , label]) => ({
      path: `${path}.${field}`,
      label,
      interval: parsed[field]!,
    }));
  }
}
