import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { CILIUM_IMAGE, parseImage } from './images';
import { checkChartValues } from '../helm/chart-schemas';
import { HelmChart, HelmChartOverride, ValuesLayer } from '../helm/release';
import { ApiServerEndpoint, CLUSTER_DEFAULTS } from '../model/cluster';
import { fail } from '../model/errors';

/** The reference platform's Cilium chart (facts §3). */
export const CILIUM_CHART = HelmChart.of({ repository: 'https://helm.cilium.io', name: 'cilium', version: '1.19.5' });

/** Name of the chained CNI ConfigMap (facts §4). */
export const CNI_CONFIGMAP_NAME = 'cni-configuration';

const KUBE_OVN_SOCKET = '/run/openvswitch/kube-ovn-daemon.sock';

/**
 * Hubble observability (platform file key `hubble`). Off by default.
 */
export interface HubbleProps {
  /**
   * Turns Hubble on.
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * Deploys Hubble Relay (cluster-wide flow API).
   * @default - same as `enabled`
   */
  readonly relay?: boolean;

  /**
   * Deploys the Hubble UI.
   * @default - same as `enabled`
   */
  readonly ui?: boolean;

  /**
   * Hubble metrics to export to Prometheus, e.g. `dns`, `drop`, `tcp`,
   * `flow`, `port-distribution`, `icmp`, `httpV2`.
   * @default - no metrics
   */
  readonly metrics?: string[];
}

/**
 * The Cilium values layers of the reference platform (facts §3).
 */
export class CiliumValues {
  /**
   * Every variant: kube-proxy replacement, host firewall, maglev load
   * balancing, Gateway API, resources of the agent, its init containers and
   * Envoy.
   *
   * `externalIPs.enabled` and `nodePort.enabled`, which the reference
   * platform still sets, are left out: the 1.19 chart no longer reads them
   * (with the kube-proxy replacement on, both features are always on).
   * @param gatewayApi whether Gateway API support is on (needs the Gateway API CRDs)
   */
  public static base(gatewayApi: boolean = true): ValuesLayer {
    return ValuesLayer.of('base', {
      kubeProxyReplacement: true,
      hostFirewall: { enabled: true },
      hubble: { enabled: false },
      loadBalancer: { algorithm: 'maglev', serviceTopology: true },
      ipam: { mode: 'kubernetes' },
      envoy: {
        enabled: true,
        resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      },
      // ALPN is only read when Gateway API support is on.
      gatewayAPI: gatewayApi ? { enabled: true, enableAlpn: true } : { enabled: false },
      rollOutCiliumPods: true,
      operator: { rollOutPods: true, replicas: 1 },
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '4Gi' } },
      // Every init container of the agent (config, mount-cgroup,
      // apply-sysctl-overwrites, mount-bpf-fs, clean-cilium-state): a memory
      // limit on each is what gives the pod cgroup its memory.max.
      initResources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '256Mi' } },
    });
  }

  /**
   * MetalLB gives LoadBalancer Services their addresses: Cilium's LB-IPAM
   * takes no Service without a load-balancer class
   * (`defaultLBServiceIPAM: none`). This also keeps Cilium 1.19 from
   * programming "wildcard" drop entries for those addresses (it does so only
   * for addresses it allocates), which would drop traffic to every port a
   * Service does not declare.
   */
  public static metallbAddresses(): ValuesLayer {
    return ValuesLayer.of('metallb-addresses', { defaultLBServiceIPAM: 'none' });
  }

  /**
   * Talos Linux: cgroups are mounted by the OS, the API server is reached
   * through KubePrism on localhost:7445.
   */
  public static talos(): ValuesLayer {
    return ValuesLayer.of('talos', {
      cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
      k8sServiceHost: 'localhost',
      k8sServicePort: 7445,
    });
  }

  /**
   * kubeadm, k3s, RKE2: Cilium mounts cgroups itself, reaches the API server
   * at the given endpoint, and opts out of AppArmor for its privileged containers.
   */
  public static generic(apiServer: ApiServerEndpoint): ValuesLayer {
    const containers = ['cilium-agent', 'clean-cilium-state', 'mount-cgroup', 'apply-sysctl-overwrites'];
    const podAnnotations: Record<string, string> = {};
    for (const c of containers) podAnnotations[`container.apparmor.security.beta.kubernetes.io/${c}`] = 'unconfined';
    return ValuesLayer.of('generic', {
      cgroup: { autoMount: { enabled: true } },
      k8sServiceHost: apiServer.host,
      k8sServicePort: apiServer.port ?? CLUSTER_DEFAULTS.apiServerPort,
      podAnnotations,
    });
  }

  /**
   * Cilium chained behind Kube-OVN (generic-veth): Kube-OVN does pod
   * networking and IPAM, Cilium enforces policy and balances services.
   */
  public static kubeOvnChaining(): ValuesLayer {
    return ValuesLayer.of('kube-ovn-chaining', {
      cni: { chainingMode: 'generic-veth', chainingTarget: 'kube-ovn', customConf: true, configMap: CNI_CONFIGMAP_NAME },
      routingMode: 'native',
      enableIPv4Masquerade: false,
      enableIPv6Masquerade: false,
      bpf: { masquerade: false },
      autoDirectNodeRoutes: false,
      enableIdentityMark: false,
      forceDeviceDetection: true,
      devices: 'ovn0 genev_sys_6081',
      sctp: { enabled: true },
      daemon: { enableSourceIPVerification: false },
    });
  }

  /**
   * An IPv6 single-stack cluster (the pod CIDR is IPv6): Cilium's IPv4
   * datapath off, its IPv6 datapath on (the chart's defaults are the reverse).
   */
  public static ipv6(): ValuesLayer {
    return ValuesLayer.of('ipv6', { ipv4: { enabled: false }, ipv6: { enabled: true } });
  }

  /**
   * The agent image, as the chart reads it (`image.repository`, `image.tag`,
   * `image.digest`, `image.useDigest`): a reference without a digest turns
   * `useDigest` off, so the chart's own digest (of its stock tag) is not
   * appended to another tag.
   * @param image an image reference with a tag, a digest or both
   * @default CILIUM_IMAGE
   */
  public static image(image: string = CILIUM_IMAGE): ValuesLayer {
    const parts = parseImage(image, 'image');
    return ValuesLayer.of('image', {
      image: {
        repository: parts.repository,
        ...(parts.tag !== undefined ? { tag: parts.tag } : { tag: '' }),
        ...(parts.digest !== undefined ? { digest: parts.digest, useDigest: true } : { useDigest: false }),
      },
    });
  }

  /** Kilo runs the WireGuard mesh: Cilium's host firewall is turned off. */
  public static kilo(): ValuesLayer {
    return ValuesLayer.of('kilo', { hostFirewall: { enabled: false } });
  }

  /**
   * Hubble relay, UI and metrics. With Hubble off only `hubble.enabled` is
   * set: the chart reads relay, UI and metrics only when Hubble is on.
   */
  public static hubble(props: HubbleProps): ValuesLayer {
    const enabled = props.enabled ?? false;
    if (!enabled) return ValuesLayer.of('hubble', { hubble: { enabled: false } });
    const hubble: Record<string, any> = {
      enabled,
      relay: { enabled: props.relay ?? true },
      ui: { enabled: props.ui ?? true },
    };
    if (props.metrics && props.metrics.length > 0) hubble.metrics = { enabled: [...props.metrics] };
    return ValuesLayer.of('hubble', { hubble });
  }

  private constructor() {}
}

/**
 * Properties of the Cilium release.
 */
export interface CiliumChainProps extends ComponentOptions {
  /**
   * Chart source overrides.
   * @default - helm.cilium.io cilium 1.19.5
   */
  readonly chart?: HelmChartOverride;

  /**
   * Hubble settings.
   * @default - Hubble off
   */
  readonly hubble?: HubbleProps;

  /**
   * Gateway API support (needs the Gateway API CRDs installed first).
   * @default true
   */
  readonly gatewayApi?: boolean;

  /**
   * The agent image (a tag, a digest or both). The platform file also takes
   * it as `images.cilium`.
   * @default CILIUM_IMAGE - the reference platform's patched build, pinned by digest
   */
  readonly image?: string;

  /**
   * Extra Helm values merged over every layer.
   * @default - none
   */
  readonly values?: { [key: string]: any };
}

/**
 * The Cilium release (eBPF kube-proxy replacement and policy engine) with its
 * values layers, and, when chained behind Kube-OVN, the `cni-configuration`
 * ConfigMap holding the chained CNI conflist.
 */
export class CiliumChain extends Component {
  /** The conflist of the Kube-OVN + Cilium generic-veth chain (facts §4). */
  public static chainedConflist(): { [key: string]: any } {
    return {
      cniVersion: '0.3.1',
      name: 'generic-veth',
      plugins: [
        { type: 'kube-ovn', server_socket: KUBE_OVN_SOCKET, ipam: { type: 'kube-ovn', server_socket: KUBE_OVN_SOCKET } },
        { type: 'portmap', snat: true, capabilities: { portMappings: true } },
        { type: 'cilium-cni' },
      ],
    };
  }

  private _chained = false;

  constructor(scope: Construct, id: string, props: CiliumChainProps = {}) {
    super(scope, id, {
      releaseName: 'cilium',
      namespace: 'cozy-cilium',
      chart: HelmChart.withOverride(CILIUM_CHART, props.chart),
      providesNetwork: true,
    }, props);
    if (props.gatewayApi !== undefined && typeof props.gatewayApi !== 'boolean') fail('gatewayApi', props.gatewayApi, 'must be true or false');
    // Gateway API on or off, the user's values winning (ALPN is only read when on).
    const fromValues = props.values?.gatewayAPI?.enabled;
    this.addValuesLayer(CiliumValues.base(typeof fromValues === 'boolean' ? fromValues : props.gatewayApi ?? true));
    this.addValuesLayer(CiliumValues.image(props.image ?? CILIUM_IMAGE));
    if (props.hubble) this._addTailLayer(CiliumValues.hubble(props.hubble));
    if (props.values) this._addTailLayer(ValuesLayer.of('user', props.values));
  }

  /** Whether Cilium is chained behind Kube-OVN. */
  public get chained(): boolean {
    return this._chained;
  }

  /**
   * Chains Cilium behind Kube-OVN: adds the chaining values layer and the
   * `cni-configuration` ConfigMap (in Cilium's namespace, created with it).
   */
  public chainWithKubeOvn(): void {
    if (this._chained) return;
    this._chained = true;
    this.addValuesLayer(CiliumValues.kubeOvnChaining());
    new k8s.KubeConfigMap(this, 'cni-configuration', {
      metadata: { name: CNI_CONFIGMAP_NAME, namespace: this.releaseNamespace },
      data: { 'cni-config': JSON.stringify(CiliumChain.chainedConflist(), undefined, 2) + '\n' },
    });
  }

  /**
   * The chart's workloads as the merged values enable them: the agent and
   * Envoy DaemonSets and the operator run on the host network (they start
   * before any pod network); Hubble Relay and the Hubble UI do not (they get
   * an address only once the pod network is complete: from Cilium itself,
   * in the same release, or, chained, from Kube-OVN, a later release).
   * @internal
   */
  public _releaseWorkloads(): { hostNetwork: string[]; podNetwork: string[]; addressesFromLaterRelease: boolean } {
    const v = this.values ?? {};
    const hostNetwork: string[] = [];
    if (v.agent !== false) hostNetwork.push('daemonset/cilium');
    if (v.envoy?.enabled !== false) hostNetwork.push('daemonset/cilium-envoy');
    if (v.operator?.enabled !== false) hostNetwork.push('deployment/cilium-operator');
    const podNetwork: string[] = [];
    if (v.hubble?.enabled === true && v.hubble?.relay?.enabled === true) podNetwork.push('deployment/hubble-relay');
    if (v.hubble?.enabled === true && v.hubble?.ui?.enabled === true) podNetwork.push('deployment/hubble-ui');
    return { hostNetwork, podNetwork, addressesFromLaterRelease: this._chained };
  }

  public checkValues(): string[] {
    const values = this.values ?? {};
    const problems: string[] = [];
    // Cilium handles every Service that carries no service.kubernetes.io/service-proxy-name
    // label only while its own proxy name is unset; with a name it handles only
    // Services labelled with it: either the cluster's Services or cozy-proxy's
    // passthrough Services (label value cozy-proxy) would change hands.
    if (values.k8s?.serviceProxyName !== undefined && values.k8s?.serviceProxyName !== '') {
      problems.push(`k8s.serviceProxyName: must stay unset: Cilium would then handle only Services labelled service.kubernetes.io/service-proxy-name=${values.k8s.serviceProxyName}, and passthrough Services belong to cozy-proxy (got ${JSON.stringify(values.k8s.serviceProxyName)})`);
    }
    return [...problems, ...checkChartValues(`${this.helmChart!.name}@${this.helmChart!.version}`, values)];
  }
}
