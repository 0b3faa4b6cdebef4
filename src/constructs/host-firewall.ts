import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { FirewallPort, FirewallProtocol } from './host-ports';
import {
  CiliumClusterwideNetworkPolicy,
  CiliumClusterwideNetworkPolicySpecIngressDenyFromEntities as DenyEntity,
  CiliumClusterwideNetworkPolicySpecIngressFromEntities as AllowEntity,
} from '../imports/cilium.io';
import { IssueCollector } from '../model/errors';

export { FirewallPort, FirewallProtocol } from './host-ports';

/**
 * Ports the reference platform closes to the world (facts §8), each on every
 * transport.
 */
export const DEFAULT_FIREWALL_PORTS: FirewallPort[] = [
  { port: 2379, description: 'etcd client' },
  { port: 2380, description: 'etcd peer' },
  { port: 3367, description: 'LINSTOR' },
  { port: 7946, description: 'MetalLB memberlist (TCP and UDP)' },
  { port: 8123, description: 'platform assets server' },
  { port: 9120, description: 'MetalLB speaker metrics' },
  { port: 9121, description: 'MetalLB FRR metrics' },
  { port: 9140, description: 'frr-k8s metrics' },
  { port: 9141, description: 'frr-k8s FRR metrics' },
  { port: 9443, description: 'etcd metrics proxy' },
  { port: 10250, description: 'kubelet' },
  { port: 10257, description: 'kube-controller-manager' },
  { port: 10259, description: 'kube-scheduler' },
  { port: 19443, description: 'frr-k8s webhook' },
];

/** Name of the host firewall policy. */
export const HOST_FIREWALL_POLICY_NAME = 'restrict-system-components';

/**
 * Host firewall settings (platform file key `firewall`).
 */
export interface HostFirewallProps extends ComponentOptions {
  /**
   * Ports closed to the world in addition to the reference list and the
   * ports the platform's components open.
   * @default - none
   */
  readonly extraPorts?: FirewallPort[];

  /**
   * Replaces the reference list of closed ports entirely (the ports the
   * platform's components open are still added).
   * @default DEFAULT_FIREWALL_PORTS
   */
  readonly ports?: FirewallPort[];

  /**
   * Ports to leave open to the world although the reference list or a
   * component names them (e.g. 9963 for a Prometheus outside the cluster).
   * Each must be one the firewall would otherwise close.
   * @default - none
   */
  readonly exemptPorts?: number[];
}

// Stryker disable next-line StringLiteral: equivalent, the key is only compared with itself (no other code uses Symbol.for(''))
const FIREWALL_SYMBOL = Symbol.for('cozynet.HostFirewall');

/** One closed port and where it comes from. */
interface ClosedPort {
  readonly port: number;
  readonly protocol: FirewallProtocol;
  readonly description?: string;
}

/**
 * The platform's host firewall (`cilium-networkpolicy`): one clusterwide
 * policy on every node that denies the world the system ports (the
 * reference list, the host-network ports of the components it is told about,
 * the user's extra ports; minus the exempt ones), on every transport, and
 * admits the world, hosts and the cluster elsewhere.
 */
export class HostFirewall extends Component {
  /** Whether `x` is a `HostFirewall` (cdk8s charts answer `instanceof` for any chart). */
  public static isHostFirewall(x: any): x is HostFirewall {
    return x !== null && typeof x === 'object' && FIREWALL_SYMBOL in x;
  }

  private readonly base: ClosedPort[];
  private readonly extra: ClosedPort[];
  private readonly exempt: number[];
  private readonly denied: Component[] = [];

  constructor(scope: Construct, id: string, props: HostFirewallProps = {}) {
    super(scope, id, { releaseName: 'cilium-networkpolicy', namespace: 'cozy-cilium' }, props);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, isHostFirewall tests presence (`in`), never the value
    Object.defineProperty(this, FIREWALL_SYMBOL, { value: true });
    const issues = new IssueCollector();
    this.base = checkPorts(issues, 'ports', props.ports ?? DEFAULT_FIREWALL_PORTS);
    this.extra = checkPorts(issues, 'extraPorts', props.extraPorts);
    const exempt = props.exemptPorts ?? [];
    if (!Array.isArray(exempt)) {
      issues.add('exemptPorts', exempt, 'must be a list of port numbers');
      // Stryker disable next-line ArrayDeclaration: equivalent, issues.throwIfAny() below throws before the list is read
      this.exempt = [];
    } else {
      exempt.forEach((p, i) => {
        if (!Number.isInteger(p) || p < 1 || p > 65535) issues.at('exemptPorts').add(i, p, 'must be a port number 1-65535');
      });
      this.exempt = exempt;
    }
    issues.throwIfAny();

    new CiliumClusterwideNetworkPolicy(this, 'policy', {
      metadata: { name: HOST_FIREWALL_POLICY_NAME },
      spec: {
        description: 'Deny the world access to system component ports on every node',
        nodeSelector: {},
        ingressDeny: [{
          fromEntities: [DenyEntity.WORLD],
          toPorts: [{ ports: Lazy.any({ produce: () => this.ports.map((p) => ({ port: String(p.port), protocol: p.protocol })) }) as any }],
        }],
        ingress: [{ fromEntities: [AllowEntity.WORLD, AllowEntity.HOST, AllowEntity.CLUSTER] }],
      },
    });
  }

  /**
   * Also closes to the world the host-network ports these components open
   * (`Component.hostNetworkPorts()`, read when the policy is synthesized).
   */
  public denyHostPortsOf(...components: Component[]): void {
    // Stryker disable next-line LogicalOperator: equivalent, portList drops the repeated ports of a component listed twice
    for (const c of components) if (c !== this && !this.denied.includes(c)) this.denied.push(c);
  }

  /**
   * The closed ports, in order: the reference list (or `ports`), then each
   * component's host-network ports, then `extraPorts`; a port appears once
   * (on every transport when any source closes it on every transport), and
   * exempt ports are left out.
   */
  public get ports(): FirewallPort[] {
    return this.portList(new Set(this.exempt));
  }

  /**
   * Checks that every exempt port is one the firewall would close without
   * the exemption (a port that is not closed is likely a typo).
   * @internal
   */
  public _checkExemptions(): void {
    if (this.exempt.length === 0) return;
    const closed = new Set(this.portList(new Set()).map((p) => p.port));
    const issues = new IssueCollector();
    this.exempt.forEach((p, i) => {
      if (!closed.has(p)) {
        const list = [...closed].sort((a, b) => a - b).join(', ');
        issues.at('exemptPorts').add(i, p, `is not a port the host firewall closes (it closes ${list})`);
      }
    });
    issues.throwIfAny();
  }

  private portList(exempt: Set<number>): FirewallPort[] {
    const all = [...this.base];
    for (const c of this.denied) {
      for (const p of c.hostNetworkPorts()) all.push({ port: p.port, protocol: p.protocol ?? FirewallProtocol.ANY, description: p.description });
    }
    all.push(...this.extra);
    const anyTransport = new Set(all.filter((p) => p.protocol === FirewallProtocol.ANY).map((p) => p.port));
    const seen = new Set<string>();
    const out: FirewallPort[] = [];
    for (const p of all) {
      if (exempt.has(p.port) || (p.protocol !== FirewallProtocol.ANY && anyTransport.has(p.port))) continue;
      const key = `${p.port}/${p.protocol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const closed: FirewallPort = { port: p.port, protocol: p.protocol };
      out.push(p.description === undefined ? closed : { ...closed, description: p.description });
    }
    return out;
  }
}

function checkPorts(issues: IssueCollector, field: string, ports: FirewallPort[] | undefined): ClosedPort[] {
  if (ports === undefined) return [];
  if (!Array.isArray(ports)) {
    issues.add(field, ports, 'must be a list of { port, protocol }');
    // Stryker disable next-line ArrayDeclaration: equivalent, the constructor throws the issue before the list is read
    return [];
  }
  const out: ClosedPort[] = [];
  ports.forEach((p, i) => {
    const at = issues.at(field).at(i);
    if (p === null || typeof p !== 'object') return at.add(undefined, p, 'must be an object { port, protocol }');
    let ok = true;
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      at.add('port', p.port, 'must be a port number 1-65535');
      // Stryker disable next-line BooleanLiteral: equivalent, the constructor throws the issue before the list is read
      ok = false;
    }
    const protocol = p.protocol ?? FirewallProtocol.ANY;
    if (!Object.values(FirewallProtocol).includes(protocol)) {
      at.add('protocol', p.protocol, 'must be one of ANY (every transport, the default), TCP, UDP, SCTP');
      // Stryker disable next-line BooleanLiteral: equivalent, the constructor throws the issue before the list is read
      ok = false;
    }
    if (ok) out.push({ port: p.port, protocol, description: p.description });
  });
  return out;
}
