import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { KUBE_OVN_IMAGE, kubeOvnImage } from './images';
import { checkChartValues } from '../helm/chart-schemas';
import { HelmChart, HelmChartOverride, ValuesLayer } from '../helm/release';
import { ClusterNetwork, KubernetesDistribution } from '../model/cluster';
import { fail } from '../model/errors';
import { parseCidr } from '../model/ip';

/** The reference platform's Kube-OVN chart (facts §5). */
export const KUBE_OVN_CHART = HelmChart.of({ repository: 'https://kubeovn.github.io/kube-ovn/', name: 'kube-ovn', version: 'v1.15.10' });

/** The label kubeadm, Talos, k3s and RKE2 put on control-plane nodes (values differ, see `KubeOvnValues.generic`). */
const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/**
 * The Kube-OVN values layers of the reference platform (facts §5).
 */
export class KubeOvnValues {
  /**
   * Every Kube-OVN variant: cluster CIDRs, GENEVE overlay, policy and
   * services left to Cilium, state directories outside Talos' read-only /etc.
   */
  public static base(cluster: ClusterNetwork, namespace: string = 'cozy-kubeovn', masterNodes?: string[]): ValuesLayer {
    const family = parseCidr(cluster.podCidr);
    const stack = family.ok && family.value.family === 6 ? 'ipv6' : 'ipv4';
    const values: Record<string, any> = {
      namespace,
      func: { ENABLE_NP: false, ENABLE_LB: false, ENABLE_OVN_IPSEC: cluster.encryption },
      networking: { NET_STACK: stack, NETWORK_TYPE: 'geneve', TUNNEL_TYPE: 'geneve', ENABLE_SSL: true },
      [stack]: {
        POD_CIDR: cluster.podCidr,
        POD_GATEWAY: cluster.podGateway,
        SVC_CIDR: cluster.serviceCidr,
        JOIN_CIDR: cluster.joinCidr,
      },
      cni_conf: { CNI_CONFIG_PRIORITY: '10', MOUNT_LOCAL_BIN_DIR: false },
      OPENVSWITCH_DIR: '/var/lib/openvswitch',
      OVN_DIR: '/var/lib/ovn',
      DISABLE_MODULES_MANAGEMENT: true,
    };
    // Read by the chart only with IPsec on (a key it ignores is a silent no-op).
    if (cluster.encryption) values.OVN_IPSEC_KEY_DIR = '/var/lib/ovs_ipsec_keys';
    if (masterNodes && masterNodes.length > 0) values.MASTER_NODES = masterNodes.join(',');
    return ValuesLayer.of('base', values);
  }

  /**
   * Requests and limits of every Kube-OVN workload, as the reference
   * platform sets them: a memory limit on each container gives its pod
   * cgroup a memory.max (Talos' out-of-memory handler only picks cgroups
   * without one), and ovs-ovn, where ovn-controller programs the flows of
   * new pods, gets CPU headroom (limit 4 cores) so bursts do not throttle it.
   * Override any of them with `components.kubeovn.values`.
   */
  public static resources(): ValuesLayer {
    const r = (reqCpu: string, reqMem: string, limCpu: string, limMem: string) => ({
      requests: { cpu: reqCpu, memory: reqMem },
      limits: { cpu: limCpu, memory: limMem },
    });
    return ValuesLayer.of('resources', {
      'ovn-central': r('50m', '100Mi', '3', '4Gi'),
      'ovs-ovn': r('100m', '50Mi', '4', '1000Mi'),
      'kube-ovn-controller': r('10m', '100Mi', '1000m', '1Gi'),
      'kube-ovn-cni': r('50m', '50Mi', '1000m', '2Gi'),
      'kube-ovn-pinger': r('10m', '50Mi', '200m', '400Mi'),
      'kube-ovn-monitor': r('10m', '50Mi', '200m', '200Mi'),
    });
  }

  /**
   * The image of every Kube-OVN workload, as the chart composes it:
   * `<global.registry.address>/<global.images.kubeovn.repository>:<global.images.kubeovn.tag>`
   * (a digest follows the tag, as the reference platform writes it).
   * @param image an image reference with a tag (and optionally a digest)
   * @default KUBE_OVN_IMAGE
   */
  public static image(image: string = KUBE_OVN_IMAGE): ValuesLayer {
    const parts = kubeOvnImage(image, 'image');
    return ValuesLayer.of('image', {
      global: { registry: { address: parts.registry }, images: { kubeovn: { repository: parts.repository, tag: parts.tag } } },
    });
  }

  /**
   * Talos: control-plane nodes carry `node-role.kubernetes.io/control-plane`
   * with an empty value.
   */
  public static talos(): ValuesLayer {
    return ValuesLayer.of('talos', { MASTER_NODES_LABEL: CONTROL_PLANE_LABEL });
  }

  /**
   * kubeadm, k3s, RKE2: the control-plane label `ovn-central` is pinned to
   * (and its nodes found by) follows the distribution: kubeadm sets
   * `node-role.kubernetes.io/control-plane` with an empty value, k3s and RKE2
   * set it to `"true"`.
   * @param distribution the distribution
   * @default KubernetesDistribution.K3S
   */
  public static generic(distribution: KubernetesDistribution = KubernetesDistribution.K3S): ValuesLayer {
    const label = distribution === KubernetesDistribution.KUBEADM ? CONTROL_PLANE_LABEL : `${CONTROL_PLANE_LABEL}=true`;
    return ValuesLayer.of('generic', { MASTER_NODES_LABEL: label });
  }

  private constructor() {}
}

/**
 * Properties of the Kube-OVN release.
 */
export interface KubeOvnProps extends ComponentOptions {
  /**
   * Cluster network settings (CIDRs, encryption).
   * @default - the reference platform's defaults
   */
  readonly cluster?: ClusterNetwork;

  /**
   * Control-plane node IPs (`MASTER_NODES`), when they cannot be found by label.
   * @default - found by `MASTER_NODES_LABEL`
   */
  readonly masterNodes?: string[];

  /**
   * The image of every Kube-OVN workload (with a tag, optionally a digest).
   * The platform file also takes it as `images.kubeovn`.
   * @default KUBE_OVN_IMAGE - the reference platform's patched build, pinned by digest
   */
  readonly image?: string;

  /**
   * Chart source overrides.
   * @default - kubeovn.github.io kube-ovn v1.15.10
   */
  readonly chart?: HelmChartOverride;

  /**
   * Extra Helm values merged over every layer.
   * @default - none
   */
  readonly values?: { [key: string]: any };
}

/**
 * The Kube-OVN release: pod networking and central IPAM over GENEVE; its own
 * network policy and load balancer are off (Cilium's job).
 */
export class KubeOvn extends Component {
  constructor(scope: Construct, id: string, props: KubeOvnProps = {}) {
    super(scope, id, {
      releaseName: 'kubeovn',
      namespace: 'cozy-kubeovn',
      chart: HelmChart.withOverride(KUBE_OVN_CHART, props.chart),
      providesNetwork: true,
    }, props);
    if (props.masterNodes !== undefined && (!Array.isArray(props.masterNodes) || props.masterNodes.some((n) => typeof n !== 'string'))) {
      fail('masterNodes', props.masterNodes, 'must be a list of node IP addresses');
    }
    this.addValuesLayer(KubeOvnValues.base(props.cluster ?? new ClusterNetwork(), this.releaseNamespace, props.masterNodes));
    this.addValuesLayer(KubeOvnValues.resources());
    this.addValuesLayer(KubeOvnValues.image(props.image ?? KUBE_OVN_IMAGE));
    if (props.values) this._addTailLayer(ValuesLayer.of('user', props.values));
  }

  public checkValues(): string[] {
    return checkChartValues(`${this.helmChart!.name}@${this.helmChart!.version}`, this.values ?? {});
  }
}
