/** Transport of a host firewall port. */
export enum FirewallProtocol {
  /** TCP only. */
  TCP = 'TCP',
  /** UDP only. */
  UDP = 'UDP',
  /** SCTP only. */
  SCTP = 'SCTP',
  /** Every transport (TCP, UDP and SCTP): the default. */
  ANY = 'ANY',
}

/**
 * A host port closed to the world.
 */
export interface FirewallPort {
  /** Port number 1-65535. */
  readonly port: number;

  /**
   * Transport. A port is closed on every transport unless a narrower one is
   * given (which leaves the other transports of that port open).
   * @default FirewallProtocol.ANY
   */
  readonly protocol?: FirewallProtocol;

  /**
   * What listens there (documentation only).
   * @default - none
   */
  readonly description?: string;
}

/*
 * Ports that the charts cozynet installs open on the host network (their pods
 * run with hostNetwork), as a function of the release's merged values. Read
 * from the chart templates and default values of the versions cozynet pins
 * (Cilium 1.19.5, Kube-OVN v1.15.10, MetalLB 0.16.1); listeners bound to
 * 127.0.0.1 (health probes) are left out, and so are ports other nodes or the
 * outside must reach (tunnels, BGP, WireGuard).
 */

type Values = Record<string, any>;

function get(values: Values, path: string): any {
  let v: any = values;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

function num(value: any, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : fallback;
}

function on(value: any, fallback: boolean): boolean {
  return value === undefined || value === null ? fallback : value === true || value === 'true';
}

const CHART_HOST_PORTS: Record<string, (values: Values) => FirewallPort[]> = {
  // cilium-operator and cilium-envoy run with hostNetwork; the agent too.
  'cilium': (v) => {
    const ports: FirewallPort[] = [];
    if (on(get(v, 'operator.enabled'), true) && on(get(v, 'operator.prometheus.enabled'), true)) {
      ports.push({ port: num(get(v, 'operator.prometheus.port'), 9963), description: 'cilium-operator metrics' });
    }
    if (on(get(v, 'envoy.enabled'), true) && on(get(v, 'envoy.prometheus.enabled'), true)) {
      ports.push({ port: num(get(v, 'envoy.prometheus.port'), 9964), description: 'cilium-envoy metrics' });
    }
    if (on(get(v, 'prometheus.enabled'), false)) {
      ports.push({ port: num(get(v, 'prometheus.port'), 9962), description: 'cilium-agent metrics' });
    }
    if (on(get(v, 'hubble.enabled'), true)) {
      const listen = String(get(v, 'hubble.listenAddress') ?? ':4244');
      ports.push({ port: num(listen.slice(listen.lastIndexOf(':') + 1), 4244), description: 'Hubble server (peer of hubble-relay)' });
      const metrics = get(v, 'hubble.metrics.enabled');
      if (Array.isArray(metrics) && metrics.length > 0) {
        ports.push({ port: num(get(v, 'hubble.metrics.port'), 9965), description: 'Hubble metrics' });
      }
    }
    return ports;
  },
  // ovn-central, kube-ovn-controller, kube-ovn-monitor, kube-ovn-cni: hostNetwork.
  'kube-ovn': () => [
    { port: 6641, description: 'OVN northbound database' },
    { port: 6642, description: 'OVN southbound database' },
    { port: 6643, description: 'OVN northbound database (raft)' },
    { port: 6644, description: 'OVN southbound database (raft)' },
    { port: 10660, description: 'kube-ovn-controller metrics and health' },
    { port: 10661, description: 'kube-ovn-monitor metrics' },
    { port: 10665, description: 'kube-ovn-cni metrics and health' },
  ],
  // The speaker and frr-k8s run with hostNetwork.
  'metallb': (v) => {
    const ports: FirewallPort[] = [{ port: num(get(v, 'prometheus.metricsPort'), 9120), description: 'MetalLB speaker metrics' }];
    if (on(get(v, 'speaker.memberlist.enabled'), true)) {
      ports.push({ port: num(get(v, 'speaker.memberlist.mlBindPort'), 7946), description: 'MetalLB memberlist' });
    }
    if (on(get(v, 'speaker.frr.enabled'), false)) {
      ports.push({ port: num(get(v, 'speaker.frr.metricsPort'), 9121), description: 'MetalLB FRR metrics' });
    }
    if (on(get(v, 'frrk8s.enabled'), true)) {
      ports.push(
        { port: 9140, description: 'frr-k8s metrics' },
        { port: 9141, description: 'frr-k8s FRR metrics' },
        { port: 19443, description: 'frr-k8s webhook' },
      );
    }
    return ports;
  },
};

/**
 * Host-network ports a chart's pods open with the given values.
 * @internal
 */
export function chartHostPorts(chartName: string, values: Values): FirewallPort[] {
  return CHART_HOST_PORTS[chartName]?.(values) ?? [];
}
