import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ManifestGroup, SYSTEM_NAMESPACE_LABEL } from '../constructs/component';
import { POD_SECURITY_ENFORCE_LABEL, PodSecurityLevel } from '../constructs/pod-security';
import { MtuPlan, UnderlayFamily } from '../model/mtu';

/**
 * Image of the live check: netshoot, whose iputils `ping` sends
 * don't-fragment probes (`-M do`) and whose `dig` lists the peers.
 * @internal
 */
export const MTU_CHECK_IMAGE = 'docker.io/nicolaka/netshoot:v0.13';
/** Namespace of the live check. @internal */
export const MTU_CHECK_NAMESPACE = 'cozy-mtu-check';

/** The probe loop: every peer of the headless Service answers a DF ping of `size` bytes, or the pod is not Ready. */
function script(service: string, domain: string, size: number, ipv6: boolean): string {
  return [
    'set -u',
    'while true; do',
    '  ok=1; n=0',
    `  for ip in $(dig +short ${ipv6 ? 'AAAA' : 'A'} ${service}.${MTU_CHECK_NAMESPACE}.svc.${domain}.); do`,
    '    n=$((n+1))',
    `    if ping ${ipv6 ? '-6 ' : ''}-M do -c 2 -W 2 -s ${size} "$ip" >/dev/null 2>&1; then echo "ok   $ip payload ${size}"; else echo "FAIL $ip payload ${size} (don't-fragment)"; ok=0; fi`,
    '  done',
    '  if [ "$ok" = 1 ] && [ "$n" -gt 0 ]; then touch /tmp/ok; else rm -f /tmp/ok; fi',
    '  sleep 30',
    'done',
    '',
  ].join('\n');
}

/**
 * The optional live check of the MTU plan (`mtu.check: true`): in
 * `cozy-mtu-check`, a host-network DaemonSet pinging every node with the
 * underlay's full-size don't-fragment packet, and a pod-network DaemonSet
 * pinging every such pod with the pod network's. The namespace is
 * `privileged` (host network), like every component namespace running
 * host-network pods.
 * @internal
 */
export class MtuCheck extends ManifestGroup {
  private readonly domain: string;

  /**
   * @param plan the MTU plan
   * @param clusterDomain the cluster's DNS domain (the peers' headless Services)
   * @param podIpv6 whether the pod network is IPv6
   */
  constructor(scope: Construct, id: string, plan: MtuPlan, clusterDomain: string, podIpv6: boolean) {
    super(scope, id);
    this.domain = clusterDomain;
    new ApiObject(this, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: MTU_CHECK_NAMESPACE, labels: { [SYSTEM_NAMESPACE_LABEL]: 'true', [POD_SECURITY_ENFORCE_LABEL]: PodSecurityLevel.PRIVILEGED } },
    });
    const nodeV6 = plan.underlayFamily === UnderlayFamily.IPV6;
    this.probe('nodes', true, plan.pingNode, nodeV6);
    if (plan.pingPod !== undefined) this.probe('pods', false, plan.pingPod, podIpv6);
  }

  private probe(what: string, hostNetwork: boolean, size: number, ipv6: boolean): void {
    const name = `mtu-check-${what}`;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'cozynet' };
    new ApiObject(this, `${what}-service`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: MTU_CHECK_NAMESPACE, labels },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: labels, ports: [{ name: 'none', port: 9, protocol: 'UDP' }] },
    });
    new ApiObject(this, `${what}-daemonset`, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: MTU_CHECK_NAMESPACE, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...(hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
            automountServiceAccountToken: false,
            tolerations: [{ operator: 'Exists' }],
            containers: [{
              name: 'ping',
              image: MTU_CHECK_IMAGE,
              command: ['/bin/sh', '-c', script(name, this.domain, size, ipv6)],
              readinessProbe: { exec: { command: ['test', '-f', '/tmp/ok'] }, periodSeconds: 10 },
              resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_RAW'] } },
            }],
          },
        },
      },
    });
  }
}
