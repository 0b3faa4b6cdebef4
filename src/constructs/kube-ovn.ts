import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { checkChartValues } from '../helm/chart-schemas';
import { HelmChart, HelmChartOverride, ValuesLayer } from '../helm/release';
import { ClusterNetwork } from '../model/cluster';
import { fail } from '../model/errors';
import { parseCidr } from '../model/ip';

/** The reference platform's Kube-OVN chart (facts §5). */
export const KUBE_OVN_CHART = HelmChart.of({ repository: 'https://kubeovn.github.io/kube-ovn/', name: 'kube-ovn', version: 'v1.15.10' });

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
      OVN_IPSEC_KEY_DIR: '/var/lib/ovs_ipsec_keys',
      DISABLE_MODULES_MANAGEMENT: true,
    };
    if (masterNodes && masterNodes.length > 0) values.MASTER_NODES = masterNodes.join(',');
    return ValuesLayer.of('base', values);
  }

  /** Talos: control-plane nodes carry `node-role.kubernetes.io/control-plane`. */
  public static talos(): ValuesLayer {
    return ValuesLayer.of('talos', { MASTER_NODES_LABEL: 'node-role.kubernetes.io/control-plane' });
  }

  /** kubeadm, k3s, RKE2: control-plane nodes carry `node-role.kubernetes.io/control-plane=true`. */
  public static generic(): ValuesLayer {
    return ValuesLayer.of('generic', { MASTER_NODES_LABEL: 'node-role.kubernetes.io/control-plane=true' });
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
    if (props.values) this._addTailLayer(ValuesLayer.of('user', props.values));
  }

  public checkValues(): string[] {
    return checkChartValues('kube-ovn', this.values ?? {});
  }
}
