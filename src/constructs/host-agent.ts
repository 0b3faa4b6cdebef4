import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ImagePullPolicy } from './component';
import { CozynetValidationError, fail, IssueCollector } from '../model/errors';

/*
 * Host agents (Multus, Kilo, cozy-proxy) are written with the typed Kubernetes
 * objects (`k8s.Kube*`) rather than the cdk8s-plus workload classes: the
 * cdk8s-plus classes have no field for hostPID, update strategy, priority
 * class or toleration effects, and a JSON patch on top of them is dropped
 * when the typed object re-serializes its props (`toJson` reads `hostPid`,
 * not `hostPID`). Every field of the pod below is therefore a typed prop
 * that reaches the output, and tests assert on the synthesized YAML.
 */

/** A container of a host agent. @internal */
export interface AgentContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: k8s.EnvVar[];
  readonly ports?: k8s.ContainerPort[];
  readonly resources: k8s.ResourceRequirements;
  readonly securityContext: k8s.SecurityContext;
  readonly volumeMounts?: k8s.VolumeMount[];
}

/**
 * A host-level agent: ServiceAccount, ClusterRole + binding, and a
 * host-network DaemonSet on every node. Shared by Multus, cozy-proxy and Kilo.
 * @internal
 */
export interface HostAgentSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly rules: k8s.PolicyRule[];
  readonly hostPid?: boolean;
  readonly containers: AgentContainer[];
  readonly initContainers?: AgentContainer[];
  readonly volumes?: k8s.Volume[];
  readonly terminationGracePeriodSeconds?: number;
  /** Default: IfNotPresent. */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Default: NoSchedule and NoExecute taints of every key. */
  readonly tolerations?: k8s.Toleration[];
}

/** Privileged container (a CNI or NAT agent on the host). @internal */
export const PRIVILEGED: k8s.SecurityContext = { privileged: true };

/** Tolerates every NoSchedule and NoExecute taint: a network agent runs on every node. @internal */
export const TOLERATE_ALL_TAINTS: k8s.Toleration[] = [
  { operator: 'Exists', effect: 'NoSchedule' },
  { operator: 'Exists', effect: 'NoExecute' },
];

/**
 * Resource requests and limits. `cpuLimitMillis` is optional (most agents
 * have none); a memory limit always, so that the pod's cgroup gets memory.max.
 * @internal
 */
export function resources(cpuMillis: number, memMi: number, memLimitMi: number, cpuLimitMillis?: number): k8s.ResourceRequirements {
  const limits: Record<string, k8s.Quantity> = { memory: k8s.Quantity.fromString(mebibytes(memLimitMi)) };
  if (cpuLimitMillis !== undefined) limits.cpu = k8s.Quantity.fromString(`${cpuLimitMillis}m`);
  return {
    requests: { cpu: k8s.Quantity.fromString(`${cpuMillis}m`), memory: k8s.Quantity.fromString(`${memMi}Mi`) },
    limits,
  };
}

/** A memory quantity: whole gibibytes as `Gi`, otherwise `Mi`. */
function mebibytes(mi: number): string {
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}

/** A hostPath volume. @internal */
export function hostPath(name: string, path: string, type?: string): k8s.Volume {
  return { name, hostPath: type ? { path, type } : { path } };
}

/** Environment variable from a field of the pod (`spec.nodeName`, `status.hostIP`). @internal */
export function fieldEnv(name: string, fieldPath: string): k8s.EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/**
 * Checks an image pull policy prop.
 * @internal
 */
export function pullPolicy(value: ImagePullPolicy | undefined, field = 'imagePullPolicy'): ImagePullPolicy {
  if (value === undefined) return ImagePullPolicy.IF_NOT_PRESENT;
  if (!Object.values(ImagePullPolicy).includes(value)) fail(field, value, 'must be one of IfNotPresent, Always, Never');
  return value;
}

/**
 * Checks an image reference prop: a name with a tag or a digest, no spaces.
 * @internal
 */
export function imageRef(value: unknown, fallback: string, field = 'image'): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/.test(value) || !/[:@]/.test(value.split('/').pop()!)) {
    fail(field, value, 'must be an image reference with a tag or a digest, e.g. registry.example/multus-cni:v4.3.0-thick');
  }
  return value;
}

/**
 * Runs a check; its validation issues join `issues` and `fallback` is returned.
 * @internal
 */
export function checked<T>(issues: IssueCollector, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CozynetValidationError)) throw e;
    issues.issues.push(...e.issues);
    return fallback;
  }
}

/**
 * Builds the agent's objects inside `scope`.
 * @internal
 */
export function hostAgent(scope: Construct, spec: HostAgentSpec): k8s.KubeDaemonSet {
  const policy = spec.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT;
  new k8s.KubeServiceAccount(scope, 'service-account', {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
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
  const container = (c: AgentContainer): k8s.Container => ({
    name: c.name,
    image: c.image,
    imagePullPolicy: policy,
    command: c.command,
    args: c.args,
    env: c.env,
    ports: c.ports,
    resources: c.resources,
    securityContext: c.securityContext,
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: c.volumeMounts,
  });
  return new k8s.KubeDaemonSet(scope, 'daemon-set', {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      selector: { matchLabels: spec.labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
      template: {
        metadata: { labels: spec.labels },
        spec: {
          serviceAccountName: spec.name,
          hostNetwork: true,
          hostPid: spec.hostPid,
          priorityClassName: 'system-node-critical',
          tolerations: spec.tolerations ?? TOLERATE_ALL_TAINTS,
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
          initContainers: spec.initContainers?.map(container),
          containers: spec.containers.map(container),
          volumes: spec.volumes,
        },
      },
    },
  });
}
