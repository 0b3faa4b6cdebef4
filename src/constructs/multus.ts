import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { includeCrds } from './crd-include';
import { hostAgent, hostPath, PRIVILEGED, resources } from './host-agent';
import { fail } from '../model/errors';

/** Upstream thick-plugin image of Multus v4.3.0 (facts §7). */
export const MULTUS_IMAGE = 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick';

/** Image that stages the reference CNI plugins into /opt/cni/bin on Talos. */
export const REFERENCE_PLUGINS_IMAGE = 'ghcr.io/siderolabs/install-cni:v1.11.0';

/**
 * Properties of the Multus thick plugin.
 */
export interface MultusProps extends ComponentOptions {
  /**
   * Multus image.
   * @default MULTUS_IMAGE
   */
  readonly image?: string;

  /**
   * The conflist Multus delegates to (the one Cilium writes, chained or not).
   * @default '05-cilium.conflist'
   */
  readonly masterCni?: string;

  /**
   * Stage the reference CNI plugins (macvlan, ipvlan, vlan, bridge, …) into
   * /opt/cni/bin; Talos ships only a few.
   * @default true
   */
  readonly installReferencePlugins?: boolean;

  /**
   * Image that stages the reference plugins.
   * @default REFERENCE_PLUGINS_IMAGE
   */
  readonly referencePluginsImage?: string;

  /**
   * Memory limit of the Multus daemon, in MiB.
   * @default 300
   */
  readonly memoryLimitMiB?: number;
}

/**
 * Multus (thick plugin): attaches secondary interfaces described by
 * NetworkAttachmentDefinitions. CRD, RBAC, `daemon-config.json` and a
 * privileged host DaemonSet.
 */
export class Multus extends Component {
  /** The daemon configuration written to the `multus-daemon-config` ConfigMap. */
  public readonly daemonConfig: { [key: string]: any };

  constructor(scope: Construct, id: string, props: MultusProps = {}) {
    super(scope, id, { releaseName: 'multus', namespace: 'cozy-multus' }, props);
    const memLimit = props.memoryLimitMiB ?? 300;
    if (!Number.isInteger(memLimit) || memLimit < 50) fail('memoryLimitMiB', props.memoryLimitMiB, 'must be a whole number of MiB, at least 50');
    const image = props.image ?? MULTUS_IMAGE;
    const labels = { 'app.kubernetes.io/name': 'multus', 'app.kubernetes.io/part-of': 'cozynet' };

    includeCrds(this, 'k8s.cni.cncf.io.yaml');

    this.daemonConfig = {
      chrootDir: '/hostroot',
      cniVersion: '0.3.1',
      logLevel: 'verbose',
      logToStderr: true,
      cniConfigDir: '/host/etc/cni/net.d',
      multusAutoconfigDir: '/host/etc/cni/net.d',
      multusConfigFile: 'auto',
      multusMasterCNI: props.masterCni ?? '05-cilium.conflist',
      socketDir: '/host/run/multus/',
    };
    const config = new kplus.ConfigMap(this, 'daemon-config', {
      metadata: { name: 'multus-daemon-config', namespace: this.releaseNamespace, labels },
      data: { 'daemon-config.json': JSON.stringify(this.daemonConfig, undefined, 2) + '\n' },
    });

    const v = {
      cni: hostPath(this, 'cni', '/etc/cni/net.d'),
      cnibin: hostPath(this, 'cnibin', '/opt/cni/bin'),
      hostroot: hostPath(this, 'hostroot', '/'),
      run: hostPath(this, 'host-run', '/run'),
      multusState: hostPath(this, 'host-var-lib-cni-multus', '/var/lib/cni/multus'),
      kubelet: hostPath(this, 'host-var-lib-kubelet', '/var/lib/kubelet'),
      netns: hostPath(this, 'host-run-netns', '/run/netns/'),
      config: kplus.Volume.fromConfigMap(this, 'vol-config', config, { name: 'multus-daemon-config' }),
    };
    const H2C = kplus.MountPropagation.HOST_TO_CONTAINER;

    const initContainers: kplus.ContainerProps[] = [{
      name: 'install-multus-binary',
      image,
      command: ['/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick'],
      securityContext: PRIVILEGED,
      resources: resources(10, 15, 50),
      volumeMounts: [{ path: '/host/opt/cni/bin', volume: v.cnibin, propagation: kplus.MountPropagation.BIDIRECTIONAL }],
    }];
    if (props.installReferencePlugins ?? true) {
      initContainers.push({
        name: 'install-reference-plugins',
        image: props.referencePluginsImage ?? REFERENCE_PLUGINS_IMAGE,
        command: ['/install-cni.sh'],
        securityContext: PRIVILEGED,
        resources: resources(10, 15, 50),
        volumeMounts: [{ path: '/host/opt/cni/bin', volume: v.cnibin }],
      });
    }

    hostAgent(this, {
      name: 'multus',
      namespace: this.releaseNamespace,
      labels,
      hostPid: true,
      terminationGracePeriodSeconds: 10,
      rules: [
        { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
        { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
      initContainers,
      containers: [{
        name: 'kube-multus',
        image,
        command: ['/usr/src/multus-cni/bin/multus-daemon'],
        securityContext: PRIVILEGED,
        resources: resources(100, 50, memLimit),
        volumeMounts: [
          { path: '/host/etc/cni/net.d', volume: v.cni },
          { path: '/host/opt/cni/bin', volume: v.cnibin },
          { path: '/hostroot', volume: v.hostroot, propagation: H2C },
          { path: '/etc/cni/net.d/multus.d', volume: v.config },
          { path: '/host/run', volume: v.run },
          { path: '/var/lib/cni/multus', volume: v.multusState },
          { path: '/var/lib/kubelet', volume: v.kubelet, propagation: H2C },
          { path: '/run/netns', volume: v.netns, propagation: H2C },
        ],
      }],
      volumes: Object.values(v),
    });
  }
}
