import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { includeCrds } from './crd-include';
import { hostAgent, hostPath, PRIVILEGED, resources } from './host-agent';
import { IssueCollector } from '../model/errors';
import { parseCidr } from '../model/ip';

/** Kilo image. */
export const KILO_IMAGE = 'ghcr.io/squat/kilo:0.6.0';

/** How finely Kilo builds its WireGuard mesh. */
export enum MeshGranularity {
  /** One WireGuard leader per location (topology label); nodes of a location talk directly. */
  LOCATION = 'location',
  /** Every node talks WireGuard to every other node. */
  FULL = 'full',
  /** WireGuard only between nodes of different locations and subnets. */
  CROSS = 'cross',
}

/**
 * Properties of Kilo.
 */
export interface KiloProps extends ComponentOptions {
  /**
   * Kilo image.
   * @default KILO_IMAGE
   */
  readonly image?: string;

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
   * Subnet of the WireGuard interfaces.
   * @default '10.4.0.0/16'
   */
  readonly meshSubnet?: string;
}

/**
 * Kilo: a WireGuard mesh between nodes and locations, next to Cilium (which
 * stays the CNI: Kilo runs with `--cni=false --compatibility=cilium`).
 */
export class Kilo extends Component {
  constructor(scope: Construct, id: string, props: KiloProps = {}) {
    super(scope, id, { releaseName: 'kilo', namespace: 'cozy-kilo', providesNetwork: true }, props);
    const issues = new IssueCollector();
    const port = props.wireguardPort ?? 51820;
    if (!Number.isInteger(port) || port < 1 || port > 65535) issues.add('wireguardPort', port, 'must be a UDP port 1-65535');
    const subnet = props.meshSubnet ?? '10.4.0.0/16';
    const parsed = parseCidr(subnet);
    if (!parsed.ok) issues.add('meshSubnet', subnet, parsed.error);
    const granularity = props.meshGranularity ?? MeshGranularity.LOCATION;
    if (!Object.values(MeshGranularity).includes(granularity)) issues.add('meshGranularity', granularity, 'must be one of location, full, cross');
    issues.throwIfAny();
    includeCrds(this, 'kilo.squat.ai.yaml');
    const labels = { 'app.kubernetes.io/name': 'kilo', 'app.kubernetes.io/part-of': 'cozynet' };
    const v = {
      modules: hostPath(this, 'lib-modules', '/lib/modules'),
      kiloDir: hostPath(this, 'kilo-dir', '/var/lib/kilo', kplus.HostPathVolumeType.DIRECTORY_OR_CREATE),
      xtables: hostPath(this, 'xtables-lock', '/run/xtables.lock', kplus.HostPathVolumeType.FILE_OR_CREATE),
    };
    hostAgent(this, {
      name: 'kilo',
      namespace: this.releaseNamespace,
      labels,
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'patch', 'watch'] },
        { apiGroups: ['kilo.squat.ai'], resources: ['peers'], verbs: ['list', 'watch'] },
        { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get'] },
      ],
      containers: [{
        name: 'kilo',
        image: props.image ?? KILO_IMAGE,
        args: [
          '--hostname=$(NODE_NAME)',
          '--cni=false',
          '--compatibility=cilium',
          '--local=false',
          '--encapsulate=crosssubnet',
          '--clean-up-interface=true',
          `--mesh-granularity=${granularity}`,
          `--port=${port}`,
          `--subnet=${subnet}`,
        ],
        envVariables: { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) },
        securityContext: PRIVILEGED,
        resources: resources(50, 64, 256),
        ports: [{ number: 1107, name: 'metrics' }],
        volumeMounts: [
          { path: '/lib/modules', volume: v.modules, readOnly: true },
          { path: '/var/lib/kilo', volume: v.kiloDir },
          { path: '/run/xtables.lock', volume: v.xtables },
        ],
      }],
      volumes: Object.values(v),
    });
  }
}
