import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ManifestGroup, SYSTEM_NAMESPACE_LABEL } from '../constructs/component';
import { POD_SECURITY_ENFORCE_LABEL, PodSecurityLevel } from '../constructs/pod-security';
import { ICMP_ECHO_HEADERS, MtuPlan, UnderlayFamily } from '../model/mtu';

/**
 * Image of the live check: netshoot, whose iputils `ping` sends
 * don't-fragment probes (`-M do`) and whose `dig` lists the peers.
 * @internal
 */
export const MTU_CHECK_IMAGE = 'docker.io/nicolaka/netshoot:v0.13';
/** Namespace of the live check. @internal */
export const MTU_CHECK_NAMESPACE = 'cozy-mtu-check';

/**
 * Disk of the check's VM (`mtu.checkVm`): Fedora Cloud from the KubeVirt
 * project's containerdisks (github.com/kubevirt/containerdisks, the image
 * the KubeVirt user guide's probe examples boot). Fedora, not the smaller
 * cirros demo disk: the check needs iputils `ping -M do` (busybox's ping
 * cannot forbid fragmentation), NetworkManager applying the DHCP
 * interface-MTU option, and python3 for the readiness endpoint. Pinned by
 * tag only: containerdisks re-publishes a release's tag with Fedora's
 * updates, so a digest would go stale (and could not be resolved offline).
 * @internal
 */
export const MTU_CHECK_VM_IMAGE = 'quay.io/containerdisks/fedora:43';
/** The VMI's file, `checks/<this>.yaml`: applied by hand, not by any delivery path. @internal */
export const MTU_CHECK_VM_FILE = 'mtu-check-vm';
/** Port of the VM's readiness endpoint (`/ok` exists while every check passes). @internal */
export const MTU_CHECK_VM_PORT = 8080;

/** The probe loop: every peer of the headless Services answers a DF ping of `size` bytes, or the pod is not Ready. */
function script(services: string[], domain: string, size: number, ipv6: boolean): string {
  const names = services.map((service) => `${service}.${MTU_CHECK_NAMESPACE}.svc.${domain}.`);
  return [
    'set -u',
    'while true; do',
    '  ok=1; n=0',
    `  for ip in $(for s in ${names.join(' ')}; do dig +short ${ipv6 ? 'AAAA' : 'A'} "$s"; done); do`,
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
    // a pool with a larger underlay: its nodes ping each other with its full size too
    for (const pool of plan.nodePools) {
      if (pool.underlay > plan.underlay) this.probe(`nodes-${pool.name}`, true, pool.underlay - ICMP_ECHO_HEADERS[nodeV6 ? 'ipv6' : 'ipv4'], nodeV6, [], pool.nodeSelector);
    }
    if (plan.pingPod !== undefined) {
      const vm = plan.checkVm && plan.pod !== undefined;
      this.probe('pods', false, plan.pingPod, podIpv6, vm ? ['mtu-check-vm'] : []);
      if (vm) this.vm(plan.pod!, plan.pingPod);
    }
  }

  private service(id: string, name: string, labels: { [k: string]: string }): void {
    new ApiObject(this, id, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: MTU_CHECK_NAMESPACE, labels },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: labels, ports: [{ name: 'none', port: 9, protocol: 'UDP' }] },
    });
  }

  /**
   * The VM of the check: a KubeVirt VirtualMachineInstance on the pod
   * network with the bridge binding, so it holds the pod's own address and
   * gets the pod interface's MTU (Kube-OVN sets it from `Subnet.spec.mtu`,
   * pkg/daemon/handler.go) from KubeVirt's DHCP server (DHCP option 26,
   * interface-mtu: kubevirt pkg/network/dhcp/server). Its cloud-init script
   * compares the MTU it got with the plan's and pings every pod of
   * `mtu-check-pods` with don't-fragment packets of the pod network's size;
   * `/ok` on port 8080 (its readiness probe) exists only while all pass.
   * KubeVirt copies the VMI's labels to its virt-launcher pod, which the
   * `mtu-check-vm` headless Service selects: the pods ping the VM there.
   */
  private vm(mtu: number, size: number): void {
    const name = 'mtu-check-vm';
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'cozynet' };
    this.service('vm-service', name, labels);
    const peers = `mtu-check-pods.${MTU_CHECK_NAMESPACE}.svc.${this.domain}.`;
    const check = [
      '#!/bin/bash',
      '# cozynet MTU check: the MTU this VM got over DHCP, and DF pings to the pod network',
      'set -u',
      `want=${mtu}`,
      'mkdir -p /run/mtu-check/www',
      `(cd /run/mtu-check/www && exec python3 -m http.server ${MTU_CHECK_VM_PORT} >/dev/null 2>&1) &`,
      'while true; do',
      '  ok=1; n=0',
      '  dev=$(ip -o -4 route show default | awk \'{print $5; exit}\')',
      '  got=$(cat "/sys/class/net/${dev:-none}/mtu" 2>/dev/null || echo none)',
      '  if [ "$got" = "$want" ]; then echo "ok   $dev MTU $got (DHCP)"; else echo "FAIL $dev MTU $got (DHCP), the plan\'s is $want"; ok=0; fi',
      `  for ip in $(getent ahostsv4 ${peers} | awk '{print $1}' | sort -u); do`,
      '    n=$((n+1))',
      `    if ping -M do -c 2 -W 2 -s ${size} "$ip" >/dev/null 2>&1; then echo "ok   $ip payload ${size}"; else echo "FAIL $ip payload ${size} (don't-fragment)"; ok=0; fi`,
      '  done',
      '  if [ "$ok" = 1 ] && [ "$n" -gt 0 ]; then touch /run/mtu-check/www/ok; else rm -f /run/mtu-check/www/ok; fi',
      '  sleep 30',
      'done',
      '',
    ].join('\n');
    const userData = [
      '#cloud-config',
      '# the network: cloud-init\'s fallback, DHCP on the first NIC (NetworkManager applies the DHCP MTU)',
      'write_files:',
      '  - path: /usr/local/bin/mtu-check',
      '    permissions: \'0755\'',
      '    content: |',
      ...check.trimEnd().split('\n').map((l) => `      ${l}`),
      'runcmd:',
      '  - [systemd-run, --unit=mtu-check, -p, StandardOutput=journal+console, /usr/local/bin/mtu-check]',
      '',
    ].join('\n');
    // Not in manifests/: KubeVirt is no part of the network layer (it comes
    // after it), so no delivery path may apply the VMI before its CRD
    // exists; the user applies checks/mtu-check-vm.yaml once KubeVirt runs.
    const checks = new ManifestGroup(this.node.scope as Construct, 'mtu-check-vm', MTU_CHECK_VM_FILE, 'checks');
    new ApiObject(checks, 'vm', {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { name, namespace: MTU_CHECK_NAMESPACE, labels },
      spec: {
        domain: {
          devices: {
            disks: [
              { name: 'containerdisk', disk: { bus: 'virtio' } },
              { name: 'cloudinitdisk', disk: { bus: 'virtio' } },
            ],
            interfaces: [{ name: 'default', bridge: {} }],
            rng: {},
          },
          resources: { requests: { memory: '1Gi' } },
        },
        networks: [{ name: 'default', pod: {} }],
        readinessProbe: { httpGet: { port: MTU_CHECK_VM_PORT, path: '/ok' }, initialDelaySeconds: 120, periodSeconds: 10, timeoutSeconds: 5 },
        terminationGracePeriodSeconds: 0,
        volumes: [
          { name: 'containerdisk', containerDisk: { image: MTU_CHECK_VM_IMAGE } },
          { name: 'cloudinitdisk', cloudInitNoCloud: { userData } },
        ],
      },
    });
  }

  private probe(
    what: string, hostNetwork: boolean, size: number, ipv6: boolean,
    extraTargets: string[] = [], nodeSelector?: { [k: string]: string },
  ): void {
    const name = `mtu-check-${what}`;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'cozynet' };
    this.service(`${what}-service`, name, labels);
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
            ...(nodeSelector ? { nodeSelector: { ...nodeSelector } } : {}),
            automountServiceAccountToken: false,
            tolerations: [{ operator: 'Exists' }],
            containers: [{
              name: 'ping',
              image: MTU_CHECK_IMAGE,
              command: ['/bin/sh', '-c', script([name, ...extraTargets], this.domain, size, ipv6)],
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
