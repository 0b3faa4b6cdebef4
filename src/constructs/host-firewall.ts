import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import {
  CiliumClusterwideNetworkPolicy,
  CiliumClusterwideNetworkPolicySpecIngressDenyFromEntities as DenyEntity,
  CiliumClusterwideNetworkPolicySpecIngressDenyToPortsPortsProtocol as DenyProtocol,
  CiliumClusterwideNetworkPolicySpecIngressFromEntities as AllowEntity,
} from '../imports/cilium.io';
import { IssueCollector } from '../model/errors';

/** Protocol of a host firewall port. */
export enum FirewallProtocol {
  /** TCP */
  TCP = 'TCP',
  /** UDP */
  UDP = 'UDP',
  /** SCTP */
  SCTP = 'SCTP',
  /** Any protocol */
  ANY = 'ANY',
}

/**
 * A host port closed to the world.
 */
export interface FirewallPort {
  /** Port number 1-65535. */
  readonly port: number;

  /**
   * Protocol.
   * @default FirewallProtocol.TCP
   */
  readonly protocol?: FirewallProtocol;

  /**
   * What listens there (documentation only).
   * @default - none
   */
  readonly description?: string;
}

/** Ports the reference platform closes to the world (facts §8). */
export const DEFAULT_FIREWALL_PORTS: FirewallPort[] = [
  { port: 2379, description: 'etcd client' },
  { port: 2380, description: 'etcd peer' },
  { port: 3367, protocol: FirewallProtocol.ANY, description: 'MetalLB' },
  { port: 7946, protocol: FirewallProtocol.ANY, description: 'MetalLB memberlist' },
  { port: 8123, description: 'metrics' },
  { port: 9120, description: 'MetalLB metrics' },
  { port: 9121, description: 'MetalLB metrics' },
  { port: 9140, description: 'MetalLB metrics' },
  { port: 9141, description: 'MetalLB metrics' },
  { port: 9443, description: 'webhooks' },
  { port: 10250, description: 'kubelet' },
  { port: 10257, description: 'kube-controller-manager' },
  { port: 10259, description: 'kube-scheduler' },
  { port: 19443, description: 'webhooks' },
];

/** Name of the host firewall policy. */
export const HOST_FIREWALL_POLICY_NAME = 'restrict-system-components';

/**
 * Host firewall settings (platform file key `firewall`).
 */
export interface HostFirewallProps extends ComponentOptions {
  /**
   * Ports closed to the world in addition to the reference list.
   * @default - none
   */
  readonly extraPorts?: FirewallPort[];

  /**
   * Replaces the reference list of closed ports entirely.
   * @default DEFAULT_FIREWALL_PORTS
   */
  readonly ports?: FirewallPort[];
}

/**
 * The platform's host firewall (`cilium-networkpolicy`): one clusterwide
 * policy on every node that denies the world access to system ports and
 * admits the world, hosts and the cluster elsewhere.
 */
export class HostFirewall extends Component {
  /** The closed ports, in order. */
  public readonly ports: FirewallPort[];

  constructor(scope: Construct, id: string, props: HostFirewallProps = {}) {
    super(scope, id, { releaseName: 'cilium-networkpolicy', namespace: 'cozy-cilium' }, props);
    const issues = new IssueCollector();
    const base = props.ports ?? DEFAULT_FIREWALL_PORTS;
    const list: FirewallPort[] = [];
    const seen = new Set<string>();
    const check = (field: string, ports: FirewallPort[] | undefined) => {
      if (ports === undefined) return;
      if (!Array.isArray(ports)) return issues.add(field, ports, 'must be a list of { port, protocol }');
      ports.forEach((p, i) => {
        const at = issues.at(field).at(i);
        if (p === null || typeof p !== 'object') return at.add(undefined, p, 'must be an object { port, protocol }');
        if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) at.add('port', p.port, 'must be a port number 1-65535');
        const proto = p.protocol ?? FirewallProtocol.TCP;
        if (!Object.values(FirewallProtocol).includes(proto)) at.add('protocol', p.protocol, 'must be one of TCP, UDP, SCTP, ANY');
        const key = `${p.port}/${proto}`;
        if (!seen.has(key)) {
          seen.add(key);
          list.push({ ...p, protocol: proto });
        }
      });
    };
    check('ports', props.ports);
    if (props.ports === undefined) check('defaults', base);
    check('extraPorts', props.extraPorts);
    issues.throwIfAny();
    this.ports = list;

    new CiliumClusterwideNetworkPolicy(this, 'policy', {
      metadata: { name: HOST_FIREWALL_POLICY_NAME },
      spec: {
        description: 'Deny the world access to system component ports on every node',
        nodeSelector: {},
        ingressDeny: [{
          fromEntities: [DenyEntity.WORLD],
          toPorts: [{ ports: list.map((p) => ({ port: String(p.port), protocol: p.protocol as string as DenyProtocol })) }],
        }],
        ingress: [{ fromEntities: [AllowEntity.WORLD, AllowEntity.HOST, AllowEntity.CLUSTER] }],
      },
    });
  }
}
