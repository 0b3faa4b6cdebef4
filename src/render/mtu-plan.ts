import { KubeOvnSubnetProps } from '../constructs/kube-ovn-subnet';
import { AttachmentType, MultusAttachmentProps } from '../constructs/multus-attachment';
import { ClusterNetwork, CLUSTER_DEFAULTS } from '../model/cluster';
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
 * Kube-OVN's own pod subnet, `ovn-default`, with `spec.mtu`, when the plan
 * differs from what Kube-OVN gives without it: pods get the node NIC's MTU
 * minus 100 (120 on IPv6; kube-ovn v1.15.10 pkg/daemon/config.go), VMs get
 * 1400 over DHCP (pkg/controller/subnet.go updateSubnetDHCPOption). The
 * spec is the one Kube-OVN creates (pkg/controller/init.go
 * initDefaultLogicalSwitch): Kube-OVN keeps an existing `ovn-default`, and
 * reads `spec.mtu` for both pod interfaces (pkg/daemon/handler.go) and DHCP.
 * Undefined when Kube-OVN's own MTUs are the plan's.
 * @internal
 */
export function ovnDefaultSubnet(plan: MtuPlan, cluster: ClusterNetwork): any {
  const mtu = plan.kubeOvnSubnet;
  if (mtu === undefined) return undefined;
  const own = plan.underlay - KUBE_OVN_GENEVE_ALLOWANCE - (plan.underlayFamily === UnderlayFamily.IPV6 ? KUBE_OVN_IPV6_EXTRA : 0);
  if (mtu === own && mtu === 1500 - KUBE_OVN_GENEVE_ALLOWANCE) return undefined;
  const pod = parseCidr(cluster.podCidr);
  return {
    apiVersion: 'kubeovn.io/v1',
    kind: 'Subnet',
    metadata: { name: 'ovn-default' },
    spec: {
      vpc: 'ovn-cluster',
      default: true,
      provider: 'ovn',
      protocol: pod.ok && pod.value.family === 6 ? 'IPv6' : 'IPv4',
      cidrBlock: cluster.podCidr,
      gateway: cluster.podGateway,
      excludeIps: [cluster.podGateway],
      natOutgoing: true,
      gatewayType: 'distributed',
      mtu,
    },
  };
}
