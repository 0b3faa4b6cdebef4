import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, ComponentOptions, ImagePullPolicy } from './component';
import { includeCrds } from './crd-include';
import { checked, fieldEnv, hostAgent, hostPath, imageRef, PRIVILEGED, pullPolicy, resources } from './host-agent';
import { FirewallPort } from './host-ports';
import { AddressPlan } from '../model/address-plan';
import { IssueCollector } from '../model/errors';
import { parseCidr } from '../model/ip';

/**
 * Kilo image: upstream release 0.7.0 (2026-03), whose `kg` knows every flag
 * and mesh granularity cozynet emits (0.6.0 knows neither `--internal-cidr`
 * nor `--mtu=auto`).
 */
export const KILO_IMAGE = 'docker.io/squat/kilo:0.7.0';

/** Default WireGuard transit range (the reference platform's). */
export const KILO_MESH_SUBNET = '100.66.0.0/16';

/** The API server through KubePrism, on every Talos node. */
export const KUBEPRISM_URL = 'https://127.0.0.1:7445';

/** How finely Kilo builds its WireGuard mesh (the values Kilo 0.7.0 accepts). */
export enum MeshGranularity {
  /** One WireGuard leader per location (topology label); nodes of a location talk directly. */
  LOCATION = 'location',
  /** Every node talks WireGuard to every other node. */
  FULL = 'full',
}

/**
 * Properties of Kilo.
 */
export interface KiloProps extends ComponentOptions {
  /**
   * Kilo image (its `kg` must know the flags cozynet emits: Kilo 0.7.0 or later).
   * @default KILO_IMAGE
   */
  readonly image?: string;

  /**
   * When the kubelet pulls the image.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Mesh granularity.
   * @default MeshGranularity.LOCATION
   */
  readonly meshGranularity?: MeshGranularity;

  /**
   * WireGuard UDP port.
   * @default 51820
   */
  readonly wireguardPort?: number;

  /**
   * WireGuard transit range (addresses of the Kilo interfaces); must not
   * overlap the pod, service and join CIDRs, pools or subnets.
   * @default '100.66.0.0/16'
   */
  readonly meshSubnet?: string;

  /**
   * MTU of the WireGuard interface, 1280-9000.
   * @default - detected from the underlay interface (`--mtu=auto`)
   */
  readonly mtu?: number;

  /**
   * URL of the API server Kilo talks to (written into its kubeconfig, with
   * the service account's token and CA). Empty: Kilo uses the in-cluster
   * service address, which needs a working service network first.
   * @default 'https://127.0.0.1:7445' (KubePrism on Talos)
   */
  readonly apiServerUrl?: string;
}

/**
 * Kilo: a WireGuard mesh between nodes and locations, next to Cilium (which
 * stays the CNI: Kilo runs with `--cni=false --compatibility=cilium`),
 * as facts §13 describe.
 */
export class Kilo extends Component {
  /** The arguments of `kg`, in order. */
  public readonly args: string[];

  constructor(scope: Construct, id: string, props: KiloProps = {}) {
    super(scope, id, { releaseName: 'kilo', namespace: 'cozy-kilo', providesNetwork: true }, props);
    const issues = new IssueCollector();
    const image = checked(issues, () => imageRef(props.image, KILO_IMAGE), KILO_IMAGE);
    const policy = checked(issues, () => pullPolicy(props.imagePullPolicy), ImagePullPolicy.IF_NOT_PRESENT);
    const port = props.wireguardPort ?? 51820;
    if (!Number.isInteger(port) || port < 1 || port > 65535) issues.add('wireguardPort', port, 'must be a UDP port 1-65535');
    const subnet = props.meshSubnet ?? KILO_MESH_SUBNET;
    const parsed = parseCidr(subnet);
    if (!parsed.ok) {
      issues.add('meshSubnet', subnet, parsed.error);
    } else {
      for (const hit of AddressPlan.of(this).ranges.overlapping(parsed.value)) {
        issues.add('meshSubnet', subnet, `overlaps ${hit.owner}; the WireGuard transit range must not overlap the cluster's ranges, pools or subnets`);
      }
    }
    const granularity = props.meshGranularity ?? MeshGranularity.LOCATION;
    if (!Object.values(MeshGranularity).includes(granularity)) issues.add('meshGranularity', granularity, 'must be one of location, full (the granularities Kilo 0.7.0 knows)');
    const mtu = props.mtu;
    if (mtu !== undefined && (!Number.isInteger(mtu) || mtu < 1280 || mtu > 9000)) issues.add('mtu', mtu, 'must be a whole number from 1280 to 9000 (omit it to detect the MTU from the underlay)');
    const apiServerUrl = props.apiServerUrl ?? KUBEPRISM_URL;
    if (typeof apiServerUrl !== 'string' || (apiServerUrl !== '' && !/^https:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(apiServerUrl))) {
      issues.add('apiServerUrl', props.apiServerUrl, 'must be an https://host:port URL of the API server, e.g. https://127.0.0.1:7445, or "" for the in-cluster address');
    }
    issues.throwIfAny();
    if (parsed.ok) {
      const path = 'components.kilo.meshSubnet';
      AddressPlan.of(this).ranges.insert({ interval: parsed.value, kind: 'cluster', name: path, path, owner: `the Kilo WireGuard transit range ${subnet} (${path})` });
    }

    includeCrds(this, 'kilo.squat.ai.yaml');
    const labels = { 'app.kubernetes.io/name': 'kilo', 'app.kubernetes.io/part-of': 'cozynet' };
    const volumes: k8s.Volume[] = [
      hostPath('kilo-dir', '/var/lib/kilo', 'DirectoryOrCreate'),
      hostPath('lib-modules', '/lib/modules'),
      hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'kilo-dir', mountPath: '/var/lib/kilo' },
      { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
      { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
    ];
    const args: string[] = [];
    if (apiServerUrl !== '') {
      new k8s.KubeConfigMap(this, 'kubeconfig', {
        metadata: { name: 'kubeconfig-in-cluster', namespace: this.releaseNamespace, labels },
        data: { kubeconfig: kubeconfig(apiServerUrl) },
      });
      volumes.push({ name: 'kubeconfig', configMap: { name: 'kubeconfig-in-cluster' } });
      mounts.push({ name: 'kubeconfig', mountPath: '/etc/kubernetes', readOnly: true });
      args.push('--kubeconfig=/etc/kubernetes/kubeconfig');
    }
    args.push(
      '--hostname=$(NODE_NAME)',
      '--cni=false',
      '--compatibility=cilium',
      '--encapsulate=crosssubnet',
      '--local=false',
      `--mesh-granularity=${granularity}`,
      `--port=${port}`,
      `--subnet=${subnet}`,
      `--mtu=${mtu ?? 'auto'}`,
      // Keep the WireGuard interface (and the mesh) across pod restarts.
      '--clean-up-interface=false',
      // The node's own address is its endpoint, not whatever else it carries.
      '--internal-cidr=$(NODE_IP)/32',
    );
    this.args = args;

    hostAgent(this, {
      name: 'kilo',
      namespace: this.releaseNamespace,
      labels,
      imagePullPolicy: policy,
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'patch', 'watch'] },
        { apiGroups: ['kilo.squat.ai'], resources: ['peers'], verbs: ['list', 'watch'] },
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get'] },
      ],
      containers: [{
        name: 'kilo',
        image,
        args,
        env: [fieldEnv('NODE_NAME', 'spec.nodeName'), fieldEnv('NODE_IP', 'status.hostIP')],
        securityContext: PRIVILEGED,
        resources: resources(50, 64, 256),
        ports: [{ containerPort: 1107, name: 'metrics' }],
        volumeMounts: mounts,
      }],
      volumes,
    });
  }

  /** Kilo's metrics and health listener (`--listen=:1107`). */
  public hostNetworkPorts(): FirewallPort[] {
    return [{ port: 1107, description: 'Kilo metrics' }];
  }
}

function kubeconfig(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: local',
    '    cluster:',
    `      server: ${server}`,
    '      certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    'users:',
    '  - name: service-account',
    '    user:',
    '      tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
    'contexts:',
    '  - name: local',
    '    context:',
    '      cluster: local',
    '      user: service-account',
    'current-context: local',
    '',
  ].join('\n');
}
