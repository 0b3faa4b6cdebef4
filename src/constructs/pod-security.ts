/**
 * Pod Security Standards level of a namespace
 * (label `pod-security.kubernetes.io/enforce`).
 */
export enum PodSecurityLevel {
  /** No restrictions: host network, host PID, privileged containers, hostPath volumes. */
  PRIVILEGED = 'privileged',
  /** No known privilege escalation: what Talos enforces cluster-wide by default. */
  BASELINE = 'baseline',
  /** Hardened pods (non-root, no capabilities beyond NET_BIND_SERVICE, seccomp). */
  RESTRICTED = 'restricted',
}

/** Label that sets a namespace's enforced Pod Security level. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * Pod Security level of tenant namespaces. KubeVirt's virt-launcher pods run
 * non-root (the KubeVirt default since v1.0) and add only the
 * NET_BIND_SERVICE capability, which `baseline` allows; no host namespaces,
 * no hostPath, no privileged container. Tenants must not run host-network or
 * privileged pods (those bypass every tenant policy), so the level is pinned
 * explicitly rather than left to the cluster default (privileged on kubeadm).
 */
export const TENANT_POD_SECURITY_LEVEL = PodSecurityLevel.BASELINE;

const RANK: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

/** The less restrictive of two levels. @internal */
export function widerLevel(a: PodSecurityLevel, b: PodSecurityLevel): PodSecurityLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

// Pod Security Standards, baseline profile (kubernetes.io/docs/concepts/security/pod-security-standards).
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const BASELINE_SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);

/**
 * Why a pod spec (plain JSON, as synthesized) needs more than the `baseline`
 * level: the first violation found, or undefined when baseline admits it.
 * @internal
 */
export function baselineViolation(pod: any): string | undefined {
  if (!pod || typeof pod !== 'object') return undefined;
  if (pod.hostNetwork) return 'hostNetwork';
  if (pod.hostPID) return 'hostPID';
  if (pod.hostIPC) return 'hostIPC';
  for (const v of pod.volumes ?? []) if (v.hostPath) return `hostPath volume ${v.name}`;
  for (const s of pod.securityContext?.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) return `sysctl ${s.name}`;
  const podSe = pod.securityContext?.seLinuxOptions?.type;
  if (podSe !== undefined && !BASELINE_SELINUX_TYPES.has(podSe)) return `SELinux type ${podSe}`;
  if (pod.securityContext?.seccompProfile?.type === 'Unconfined') return 'seccomp Unconfined';
  const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) return `privileged container ${c.name}`;
    for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) return `capability ${cap} of ${c.name}`;
    for (const p of c.ports ?? []) if (p.hostPort) return `hostPort ${p.hostPort} of ${c.name}`;
    const se = sc.seLinuxOptions?.type;
    if (se !== undefined && !BASELINE_SELINUX_TYPES.has(se)) return `SELinux type ${se} of ${c.name}`;
    if (sc.procMount !== undefined && sc.procMount !== 'Default') return `procMount of ${c.name}`;
    if (sc.seccompProfile?.type === 'Unconfined') return `seccomp Unconfined of ${c.name}`;
    if (sc.appArmorProfile?.type === 'Unconfined') return `AppArmor Unconfined of ${c.name}`;
  }
  return undefined;
}

/**
 * The pod template spec of a synthesized workload object, if it is one.
 * @internal
 */
export function podSpecOf(obj: any): any | undefined {
  switch (obj?.kind) {
    case 'Pod': return obj.spec;
    case 'DaemonSet': case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'Job': return obj.spec?.template?.spec;
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.template?.spec;
    default: return undefined;
  }
}
