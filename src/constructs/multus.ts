import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, ComponentOptions, ImagePullPolicy } from './component';
import { includeCrds } from './crd-include';
import { AgentContainer, checked, fieldEnv, hostAgent, hostPath, imageRef, PRIVILEGED, pullPolicy, resources } from './host-agent';
import { PATCHED_MULTUS_IMAGE } from './images';
import { IssueCollector } from '../model/errors';

/**
 * Default Multus image: the reference platform's build of the v4.3.0 thick
 * plugin, pinned by digest (a CNI DEL whose ADD never finished returns
 * success, so a pod recreated with the same name does not hang). The stock
 * image is `UPSTREAM_MULTUS_IMAGE` (`ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick`).
 */
export const MULTUS_IMAGE = PATCHED_MULTUS_IMAGE;

/**
 * Image whose `/cni-plugins` holds the reference CNI plugins
 * (containernetworking/plugins v1.9.1: bridge, host-local, static, macvlan,
 * ipvlan, vlan, tuning, portmap, firewall, bandwidth, host-device, ptp, sbr,
 * vrf): the reference platform's Multus image, pinned by digest, with `sh`.
 */
export const REFERENCE_PLUGINS_IMAGE = PATCHED_MULTUS_IMAGE;

/** The conflist Cilium writes (chained or not), Multus's master CNI by default. */
export const CILIUM_CONFLIST = '05-cilium.conflist';

/** Where the installer and the daemon live in the v4.3.0 thick image. */
const MULTUS_BIN = '/usr/src/multus-cni/bin';

/**
 * Properties of the Multus thick plugin.
 */
export interface MultusProps extends ComponentOptions {
  /**
   * Multus image (thick plugin, with `/usr/src/multus-cni/bin/install_multus`
   * and `/usr/src/multus-cni/bin/multus-daemon`). The platform file also
   * takes it as `images.multus`.
   * @default MULTUS_IMAGE - the reference platform's patched build, pinned by digest
   */
  readonly image?: string;

  /**
   * When the kubelet pulls the images.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * The conflist in `/etc/cni/net.d` Multus delegates pod networking to (the
   * one the cluster's CNI writes). The empty string lets Multus pick the
   * first conflist of the folder.
   * @default '05-cilium.conflist' (the one Cilium writes, chained or not)
   */
  readonly masterCni?: string;

  /**
   * Stage the reference CNI plugins (macvlan, ipvlan, vlan, bridge, …) into
   * /opt/cni/bin; Talos ships only a few. Each plugin is copied to a
   * temporary name and renamed into place (Cilium and Kube-OVN write into the
   * same folder, and the kubelet may be executing a plugin), from an
   * unprivileged container with every capability dropped.
   * @default true
   */
  readonly installReferencePlugins?: boolean;

  /**
   * Image whose `/cni-plugins` folder holds the plugins to stage (it needs `sh`).
   * @default REFERENCE_PLUGINS_IMAGE
   */
  readonly referencePluginsImage?: string;

  /**
   * Memory limit of the Multus daemon, in MiB (a backstop: the daemon keeps
   * per-pod state and grows with the pods of a node).
   * @default 1024
   */
  readonly memoryLimitMiB?: number;
}

/**
 * Multus (thick plugin): attaches secondary interfaces described by
 * NetworkAttachmentDefinitions. CRD, RBAC, `daemon-config.json` and a
 * privileged host DaemonSet (facts §7).
 */
export class Multus extends Component {
  /** The daemon configuration written to the `multus-daemon-config` ConfigMap. */
  public readonly daemonConfig: { [key: string]: any };

  constructor(scope: Construct, id: string, props: MultusProps = {}) {
    super(scope, id, { releaseName: 'multus', namespace: 'cozy-multus' }, props);
    const issues = new IssueCollector();
    const attempt = <T>(fn: () => T, fallback: T): T => checked(issues, fn, fallback);
    const memLimit = props.memoryLimitMiB ?? 1024;
    if (typeof memLimit !== 'number' || !Number.isInteger(memLimit) || memLimit < 128 || memLimit > 65536) {
      issues.add('memoryLimitMiB', props.memoryLimitMiB, 'must be a whole number of MiB from 128 to 65536');
    }
    const masterCni = props.masterCni ?? CILIUM_CONFLIST;
    if (typeof masterCni !== 'string' || !/^([A-Za-z0-9][\w.-]{0,99}\.(conflist|conf|json))?$/.test(masterCni)) {
      issues.add('masterCni', props.masterCni, 'must be the file name of a CNI configuration in /etc/cni/net.d ending in .conflist, .conf or .json, such as 05-cilium.conflist (no "/"), or "" to let Multus pick the first one');
    }
    const image = attempt(() => imageRef(props.image, MULTUS_IMAGE), MULTUS_IMAGE);
    const pluginsImage = attempt(() => imageRef(props.referencePluginsImage, REFERENCE_PLUGINS_IMAGE, 'referencePluginsImage'), REFERENCE_PLUGINS_IMAGE);
    const policy = attempt(() => pullPolicy(props.imagePullPolicy), ImagePullPolicy.IF_NOT_PRESENT);
    const stage = props.installReferencePlugins ?? true;
    if (typeof stage !== 'boolean') issues.add('installReferencePlugins', stage, 'must be true or false');
    issues.throwIfAny();

    const labels = { 'app.kubernetes.io/name': 'multus', 'app.kubernetes.io/part-of': 'cozynet' };
    includeCrds(this, 'k8s.cni.cncf.io.yaml');

    const config: Record<string, any> = {
      chrootDir: '/hostroot',
      cniVersion: '0.3.1',
      logLevel: 'verbose',
      logToStderr: true,
      cniConfigDir: '/host/etc/cni/net.d',
      multusAutoconfigDir: '/host/etc/cni/net.d',
      multusConfigFile: 'auto',
    };
    if (masterCni !== '') config.multusMasterCNI = masterCni;
    config.socketDir = '/host/run/multus/';
    this.daemonConfig = config;
    new k8s.KubeConfigMap(this, 'daemon-config', {
      metadata: { name: 'multus-daemon-config', namespace: this.releaseNamespace, labels },
      data: { 'daemon-config.json': JSON.stringify(config, undefined, 2) + '\n' },
    });

    const initContainers: AgentContainer[] = [{
      name: 'install-multus-binary',
      image,
      command: [`${MULTUS_BIN}/install_multus`, '-d', '/host/opt/cni/bin', '-t', 'thick'],
      securityContext: PRIVILEGED,
      resources: resources(10, 15, 128),
      volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin', mountPropagation: 'Bidirectional' }],
    }];
    if (stage) {
      initContainers.push({
        name: 'install-reference-plugins',
        image: pluginsImage,
        command: ['sh', '-c', STAGE_SCRIPT],
        // Copies files only: no privilege, every capability dropped, the
        // SELinux domain that may write the host's /opt/cni/bin.
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seLinuxOptions: { type: 'spc_t', level: 's0' } },
        resources: resources(10, 15, 128),
        volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin' }],
      });
    }

    const HOST_TO_CONTAINER = 'HostToContainer';
    hostAgent(this, {
      name: 'multus',
      namespace: this.releaseNamespace,
      labels,
      hostPid: true,
      imagePullPolicy: policy,
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
        command: [`${MULTUS_BIN}/multus-daemon`],
        // Without it every daemon watches every pod of the cluster.
        env: [fieldEnv('MULTUS_NODE_NAME', 'spec.nodeName')],
        securityContext: PRIVILEGED,
        resources: resources(100, 100, memLimit, 100),
        volumeMounts: [
          { name: 'cni', mountPath: '/host/etc/cni/net.d' },
          // multus-daemon needs the CNI binaries at the same path inside and outside.
          { name: 'cnibin', mountPath: '/opt/cni/bin' },
          { name: 'host-run', mountPath: '/host/run' },
          { name: 'host-var-lib-cni-multus', mountPath: '/var/lib/cni/multus' },
          { name: 'host-var-lib-kubelet', mountPath: '/var/lib/kubelet', mountPropagation: HOST_TO_CONTAINER },
          { name: 'host-run-k8s-cni-cncf-io', mountPath: '/run/k8s.cni.cncf.io' },
          { name: 'host-run-netns', mountPath: '/run/netns', mountPropagation: HOST_TO_CONTAINER },
          { name: 'multus-daemon-config', mountPath: '/etc/cni/net.d/multus.d', readOnly: true },
          { name: 'hostroot', mountPath: '/hostroot', mountPropagation: HOST_TO_CONTAINER },
          { name: 'multus-conf-dir', mountPath: '/etc/cni/multus/net.d' },
        ],
      }],
      volumes: [
        hostPath('cni', '/etc/cni/net.d'),
        hostPath('cnibin', '/opt/cni/bin'),
        hostPath('hostroot', '/'),
        { name: 'multus-daemon-config', configMap: { name: 'multus-daemon-config', items: [{ key: 'daemon-config.json', path: 'daemon-config.json' }] } },
        hostPath('host-run', '/run'),
        hostPath('host-var-lib-cni-multus', '/var/lib/cni/multus'),
        hostPath('host-var-lib-kubelet', '/var/lib/kubelet'),
        hostPath('host-run-k8s-cni-cncf-io', '/run/k8s.cni.cncf.io'),
        hostPath('host-run-netns', '/run/netns/'),
        hostPath('multus-conf-dir', '/etc/cni/multus/net.d'),
      ],
    });
  }
}

/**
 * Stages every file of /cni-plugins into the host's /opt/cni/bin: copy to a
 * temporary name in the same folder, then rename over the live name (atomic:
 * a plugin being executed keeps its inode). A plugin that cannot be staged is
 * reported (log and termination message) and left as it was; Multus starts
 * either way. An image without /cni-plugins stages nothing.
 */
const STAGE_SCRIPT = [
  'set -eu',
  'src=/cni-plugins',
  'dst=/host/opt/cni/bin',
  'if [ ! -d "$src" ]; then',
  '  echo "$src is not in this image: no reference plugins staged" >&2',
  '  exit 0',
  'fi',
  'trap \'rm -f "$dst"/.cozynet-staging-* || :\' EXIT',
  'failed=""',
  'for plugin in "$src"/*; do',
  '  [ -f "$plugin" ] || continue',
  '  name="${plugin##*/}"',
  '  tmp="$dst/.cozynet-staging-$name"',
  '  if [ -d "$dst/$name" ]; then',
  '    echo "$dst/$name is a folder, not a plugin: left as it is" >&2',
  '    failed="$failed $name"',
  '    continue',
  '  fi',
  '  if cp "$plugin" "$tmp" && chmod 0755 "$tmp" && mv -f "$tmp" "$dst/$name"; then',
  '    continue',
  '  fi',
  '  rm -f "$tmp" || :',
  '  failed="$failed $name"',
  'done',
  'if [ -n "$failed" ]; then',
  '  echo "reference plugins not staged:$failed (see the messages above)" >&2',
  '  echo "reference plugins not staged:$failed" > /dev/termination-log || :',
  'fi',
  'exit 0',
  '',
].join('\n');
