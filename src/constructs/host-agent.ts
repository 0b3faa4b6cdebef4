import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * A host-level agent: ServiceAccount, ClusterRole + binding, and a
 * privileged host-network DaemonSet on every node. Shared by Multus,
 * cozy-proxy and Kilo.
 * @internal
 */
export interface HostAgentSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly rules: k8s.PolicyRule[];
  readonly hostPid?: boolean;
  readonly containers: kplus.ContainerProps[];
  readonly initContainers?: kplus.ContainerProps[];
  readonly volumes?: kplus.Volume[];
  readonly terminationGracePeriodSeconds?: number;
}

/** Privileged, root, writable: what a CNI or NAT agent on the host needs. @internal */
export const PRIVILEGED: kplus.ContainerSecurityContextProps = {
  privileged: true,
  ensureNonRoot: false,
  readOnlyRootFilesystem: false,
  allowPrivilegeEscalation: true,
};

/** Resources helper. @internal */
export function resources(cpuMillis: number, memMi: number, memLimitMi: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuMillis) },
    memory: { request: Size.mebibytes(memMi), limit: Size.mebibytes(memLimitMi) },
  };
}

/** A hostPath volume. @internal */
export function hostPath(scope: Construct, name: string, path: string, type?: kplus.HostPathVolumeType): kplus.Volume {
  return kplus.Volume.fromHostPath(scope, `vol-${name}`, name, { path, type });
}

/**
 * Builds the agent's objects inside `scope`.
 * @internal
 */
export function hostAgent(scope: Construct, spec: HostAgentSpec): kplus.DaemonSet {
  const sa = new kplus.ServiceAccount(scope, 'service-account', {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    automountToken: true,
  });
  new k8s.KubeClusterRole(scope, 'cluster-role', {
    metadata: { name: spec.name, labels: spec.labels },
    rules: spec.rules,
  });
  new k8s.KubeClusterRoleBinding(scope, 'cluster-role-binding', {
    metadata: { name: spec.name, labels: spec.labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: spec.name },
    subjects: [{ kind: 'ServiceAccount', name: spec.name, namespace: spec.namespace }],
  });
  const ds = new kplus.DaemonSet(scope, 'daemon-set', {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    podMetadata: { labels: spec.labels },
    select: false,
    serviceAccount: sa,
    automountServiceAccountToken: true,
    hostNetwork: true,
    securityContext: { ensureNonRoot: false },
    containers: spec.containers,
    initContainers: spec.initContainers,
    volumes: spec.volumes,
    terminationGracePeriod: spec.terminationGracePeriodSeconds !== undefined ? Duration.seconds(spec.terminationGracePeriodSeconds) : undefined,
  });
  ds.select(kplus.LabelSelector.of({ labels: spec.labels }));
  const obj = ApiObject.of(ds);
  obj.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', [{ operator: 'Exists' }]));
  obj.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-node-critical'));
  obj.addJsonPatch(JsonPatch.add('/spec/updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }));
  if (spec.hostPid) obj.addJsonPatch(JsonPatch.add('/spec/template/spec/hostPID', true));
  return ds;
}
