import { ExposurePeerProps, ExposurePortProps, ExposureProtocol } from './props';

/**
 * A port (or port range) of an exposure, in the style of aws-ec2 `Port`.
 */
export class ExposurePort {
  /** A TCP port. */
  public static tcp(port: number): ExposurePort {
    return new ExposurePort({ port, protocol: ExposureProtocol.TCP });
  }

  /** A UDP port. */
  public static udp(port: number): ExposurePort {
    return new ExposurePort({ port, protocol: ExposureProtocol.UDP });
  }

  /** An SCTP port. */
  public static sctp(port: number): ExposurePort {
    return new ExposurePort({ port, protocol: ExposureProtocol.SCTP });
  }

  /** A range of TCP ports, both ends included. */
  public static tcpRange(from: number, to: number): ExposurePort {
    return new ExposurePort({ port: from, endPort: to, protocol: ExposureProtocol.TCP });
  }

  /** A range of UDP ports, both ends included. */
  public static udpRange(from: number, to: number): ExposurePort {
    return new ExposurePort({ port: from, endPort: to, protocol: ExposureProtocol.UDP });
  }

  /** The port as platform-file props. */
  public readonly props: ExposurePortProps;

  private constructor(props: ExposurePortProps) {
    this.props = props;
  }
}

/**
 * Options of `ExposurePeer.tenant`.
 */
export interface ExposureTenantPeerOptions {
  /**
   * Also the pods of the tenant's sub-tenants.
   * @default false
   */
  readonly subtree?: boolean;

  /**
   * Only pods carrying these labels.
   * @default - every pod
   */
  readonly selector?: { [key: string]: string };
}

/**
 * Who may connect to an exposure (in the style of cdk8s-plus `IPeer` and
 * aws-ec2 `Peer`).
 */
export class ExposurePeer {
  /** Pods of a tenant namespace (optionally its subtree, optionally some pods only). */
  public static tenant(namespace: string, options: ExposureTenantPeerOptions = {}): ExposurePeer {
    return new ExposurePeer({ namespace, subtree: options.subtree, selector: options.selector });
  }

  /** The world (Cilium entity `world`: everything outside the cluster). */
  public static world(): ExposurePeer {
    return new ExposurePeer({ world: true });
  }

  /** The peer as platform-file props. */
  public readonly props: ExposurePeerProps;

  private constructor(props: ExposurePeerProps) {
    this.props = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as ExposurePeerProps;
  }
}

/**
 * Options of `TenantPods.allowFrom` and `TenantPods.allowTo`.
 */
export interface ExposureOptions {
  /**
   * Name of the exposure (a DNS label, unique per namespace).
   * @default - `allow-<n>`, counting the exposures of the serving namespace
   */
  readonly name?: string;

  /**
   * Ports offered.
   * @default - every port and protocol
   */
  readonly ports?: ExposurePort[];

  /**
   * With `ports`: also ICMP echo requests.
   * @default false
   */
  readonly allowIcmp?: boolean;
}
