import { KubeOvnSubnetProps } from '../constructs/kube-ovn-subnet';
import { AttachmentType, MultusAttachmentProps } from '../constructs/multus-attachment';
import { CLUSTER_DEFAULTS } from '../model/cluster';
import { CozynetValidationError } from '../model/errors';
import { parseCidr } from '../model/ip';
import { interfaceMtu, KUBE_OVN_GENEVE_ALLOWANCE, KUBE_OVN_IPV6_EXTRA, MtuPlan, planMtu, secondaryMtuIssue, UnderlayFamily } from '../model/mtu';
import type { PlatformProps } from '../platform/platform';

/**
 * The MTU plan of a platform's props (variant, `cluster.encryption`, the
 * pod CIDR's family, `mtu`, the user's Kilo and Cilium MTUs).
 * @internal
 */
export function makeMtuPlan(props: PlatformProps): MtuPlan {
  const pod = parseCidr(props.cluster?.podCidr ?? CLUSTER_DEFAULTS.podCidr);
  const userCilium = props.components?.cilium?.values?.MTU;
  return planMtu({
    variant: props.variant ?? 'kubeovn-cilium',
    encryption: props.cluster?.encryption === true,
    podFamily: pod.ok && pod.value.family === 6 ? 6 : 4,
    props: props.mtu,
    kiloMtu: typeof props.components?.kilo?.mtu === 'number' ? props.components.kilo.mtu : undefined,
    ciliumMtu: typeof userCilium === 'number' ? userCilium : undefined,
  });
}

/** The props with Kilo's MTU from the plan, unless the user set it. @internal */
export function applyMtuPlan(props: PlatformProps, plan: MtuPlan): PlatformProps {
  if (plan.kilo === undefined || props.components?.kilo?.mtu !== undefined) return props;
  return { ...props, components: { ...props.components, kilo: { ...props.components?.kilo, mtu: plan.kilo } } };
}

function refuse(path: string, value: number, message: string): never {
  throw new CozynetValidationError([{ path, value: String(value), message }]);
}

/**
 * A subnet's props with `mtu` from the plan (overlay: the pod network's;
 * VLAN: its node interface's), or the user's checked against it.
 * @internal
 */
export function subnetMtu(plan: MtuPlan, props: KubeOvnSubnetProps, _at: string): KubeOvnSubnetProps {
  if (props === null || typeof props !== 'object') return props;
  const vlan = props.vlan !== null && typeof props.vlan === 'object' ? props.vlan : undefined;
  const nic = vlan?.interface;
  const limit = vlan ? interfaceMtu(plan, nic) : plan.kubeOvnSubnet;
  if (limit === undefined) return props;
  if (props.mtu === undefined) return { ...props, mtu: limit };
  if (typeof props.mtu === 'number' && props.mtu > limit) {
    if (vlan) {
      const issue = secondaryMtuIssue(plan, 'mtu', props.mtu, nic, 'the VLAN subnet\'s');
      if (issue) throw new CozynetValidationError([issue]);
    }
    refuse('mtu', props.mtu, `the overlay subnet's MTU ${props.mtu} exceeds the pod network's ${limit} (see cozynet mtu: the underlay ${plan.underlay} minus the Geneve${plan.encryption ? ' and IPsec' : ''} overheads): at most ${limit}`);
  }
  return props;
}

const ON_A_NIC: string[] = [AttachmentType.BRIDGE, AttachmentType.MACVLAN, AttachmentType.IPVLAN, AttachmentType.VLAN];

/**
 * An attachment's props with `mtu` from its node interface (`master`, or
 * the bridge), or the user's checked against it.
 * @internal
 */
export function attachmentMtu(plan: MtuPlan, props: MultusAttachmentProps, _at: string): MultusAttachmentProps {
  if (props === null || typeof props !== 'object' || !ON_A_NIC.includes(props.type)) return props;
  const nic = props.type === AttachmentType.BRIDGE ? props.bridge : props.master;
  if (typeof nic !== 'string' && nic !== undefined) return props;
  const limit = interfaceMtu(plan, nic);
  if (props.mtu === undefined) return { ...props, mtu: limit };
  if (typeof props.mtu === 'number') {
    const issue = secondaryMtuIssue(plan, 'mtu', props.mtu, nic, `the ${props.type} attachment's`);
    if (issue) throw new CozynetValidationError([issue]);
  }
  return props;
}

/**
 * `spec.mtu` of Kube-OVN's own pod subnet, `ovn-default`, when the plan
 * differs from what Kube-OVN gives without it: pods get the node NIC's MTU
 * minus 100 (120 on IPv6; kube-ovn v1.15.10 pkg/daemon/config.go), VMs get
 * 1400 over DHCP (pkg/controller/subnet.go updateSubnetDHCPOption). Kube-OVN
 * reads `spec.mtu` for both pod interfaces (pkg/daemon/handler.go) and DHCP.
 * Undefined when Kube-OVN's own MTUs are the plan's.
 * @internal
 */
export function ovnDefaultMtu(plan: MtuPlan): number | undefined {
  const mtu = plan.kubeOvnSubnet;
  if (mtu === undefined) return undefined;
  // every node's own (node pools included): Kube-OVN derives each node's pod MTU from that node's NIC
  const allowance = KUBE_OVN_GENEVE_ALLOWANCE + (plan.underlayFamily === UnderlayFamily.IPV6 ? KUBE_OVN_IPV6_EXTRA : 0);
  const own = [plan.defaultUnderlay, ...plan.nodePools.map((p) => p.underlay)].map((u) => u - allowance);
  return own.every((o) => o === mtu) && mtu === 1500 - KUBE_OVN_GENEVE_ALLOWANCE ? undefined : mtu;
}

/**
 * The objects that set `ovn-default`'s `spec.mtu`: Kube-OVN's controller
 * creates that Subnet itself (pkg/controller/init.go), so a Helm release
 * cannot own it (Helm refuses to adopt an object it did not create). A Job
 * in Kube-OVN's namespace waits for it and patches `spec.mtu` (named after
 * the value: a new MTU is a new Job), with the Kube-OVN image's kubectl
 * (dist/images/Dockerfile.base copies it to /usr/bin), allowed to get and
 * patch that one Subnet only.
 * @internal
 */
export function ovnDefaultMtuObjects(mtu: number, namespace: string, image: string): any[] {
  const name = 'cozynet-ovn-default-mtu';
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'cozynet' };
  const patch = JSON.stringify({ spec: { mtu } });
  const script = [
    'set -eu',
    'for i in $(seq 1 120); do',
    '  if kubectl get subnet ovn-default >/dev/null 2>&1; then',
    `    kubectl patch subnet ovn-default --type merge -p '${patch}'`,
    `    echo "ovn-default: spec.mtu ${mtu}"; exit 0`,
    '  fi',
    '  sleep 5',
    'done',
    'echo "ovn-default did not appear in 10 minutes" >&2; exit 1',
    '',
  ].join('\n');
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels },
      rules: [{ apiGroups: ['kubeovn.io'], resources: ['subnets'], resourceNames: ['ovn-default'], verbs: ['get', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${name}-${mtu}`, namespace, labels },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            restartPolicy: 'OnFailure',
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'patch',
              image,
              command: ['/bin/sh', '-c', script],
              env: [{ name: 'HOME', value: '/tmp' }],
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
  ];
}
