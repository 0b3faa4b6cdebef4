import { parseAllDocuments, stringify } from 'yaml';
import { CollectedComponent } from './collect';
import { ClusterNetwork } from '../model/cluster';
import { CozynetValidationError } from '../model/errors';
import { formatAddress, parseCidr } from '../model/ip';
import { Distribution } from '../variants/variant';

/**
 * What the cluster itself must be set up with for this layer, derived from
 * the same model: the pod and service CIDRs, the DNS domain, no CNI of the
 * distribution (cozynet installs the network, or the user brings one with
 * `noop`), no kube-proxy when Cilium replaces it, and the node-level settings
 * the reference platform sets for its networking.
 * @internal
 */
export interface ClusterSettingsInput {
  readonly distribution: Distribution;
  readonly cluster: ClusterNetwork;
  /** The collected components (names and merged Helm values). */
  readonly components: CollectedComponent[];
  /** The Kubernetes objects of `manifests/` (L2 announcements name the node interfaces the layer needs). */
  readonly objects?: any[];
}

/** A VLAN interface a node must have: `<parent>.<vlanId>`, as Talos and iproute2 name them. @internal */
export interface VlanInterface {
  /** The interface name, e.g. `eth1.100`. */
  readonly name: string;
  /** The link it is on, e.g. `eth1`. */
  readonly parent: string;
  /** VLAN ID, 1-4094. */
  readonly vlanId: number;
}

/**
 * The sysctls the Talos patch sets: the neighbour (ARP/NDP) table sized for
 * many pods and VMs per node, as the reference platform sets it. A node may
 * have larger values.
 * @internal
 */
export const TALOS_SYSCTLS: Record<string, string> = {
  'net.ipv4.neigh.default.gc_thresh1': '4096',
  'net.ipv4.neigh.default.gc_thresh2': '8192',
  'net.ipv4.neigh.default.gc_thresh3': '16384',
};

/** The kernel's defaults of TALOS_SYSCTLS (net/ipv4/arp.c). */
const KERNEL_SYSCTL_DEFAULTS: Record<string, string> = {
  'net.ipv4.neigh.default.gc_thresh1': '128',
  'net.ipv4.neigh.default.gc_thresh2': '512',
  'net.ipv4.neigh.default.gc_thresh3': '1024',
};

/**
 * The VLAN interfaces (`eth1.100`) the MetalLB L2 announcements of `objects`
 * name, sorted by parent and VLAN ID, each once.
 * @internal
 */
export function vlanInterfacesOf(objects: any[]): VlanInterface[] {
  const found = new Map<string, VlanInterface>();
  for (const o of objects) {
    if (o?.kind !== 'L2Advertisement' || !String(o.apiVersion).startsWith('metallb.io/')) continue;
    for (const name of Array.isArray(o.spec?.interfaces) ? o.spec.interfaces : []) {
      const m = typeof name === 'string' ? /^(.+)\.(\d{1,4})$/.exec(name) : null;
      const vlanId = m ? Number(m[2]) : 0;
      if (m && vlanId >= 1 && vlanId <= 4094) found.set(name, { name, parent: m[1], vlanId });
    }
  }
  return [...found.values()].sort((a, b) => (a.parent === b.parent ? a.vlanId - b.vlanId : a.parent < b.parent ? -1 : 1));
}

/** The settings every format is derived from. @internal */
export interface ClusterSettings {
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly clusterDomain: string;
  /** The cluster DNS Service address: the 10th address of the service CIDR, as kubeadm picks it. */
  readonly clusterDns: string;
  /** Whether Cilium replaces kube-proxy (so the distribution must not run it). */
  readonly kubeProxyReplaced: boolean;
  /** KubePrism port when Cilium reaches the API server through it (Talos). */
  readonly kubePrismPort?: number;
  /** Whether Kube-OVN runs (needs the openvswitch kernel module on Talos). */
  readonly kubeOvn: boolean;
  /** API server endpoint Cilium uses on the generic variants. */
  readonly apiServer?: { readonly host: string; readonly port: number };
  /** VLAN interfaces that MetalLB announces pools on: each node must have them. */
  readonly vlans: VlanInterface[];
}

/** @internal */
export function clusterSettings(input: ClusterSettingsInput): ClusterSettings {
  const cilium = input.components.find((c) => c.chart?.name === 'cilium')?.values ?? undefined;
  const svc = parseCidr(input.cluster.serviceCidr);
  const clusterDns = svc.ok ? formatAddress(svc.value.start + 10n, svc.value.family) : '';
  const api = input.cluster.apiServer;
  return {
    podCidr: input.cluster.podCidr,
    serviceCidr: input.cluster.serviceCidr,
    clusterDomain: input.cluster.clusterDomain,
    clusterDns,
    kubeProxyReplaced: cilium?.kubeProxyReplacement === true || cilium?.kubeProxyReplacement === 'true',
    kubePrismPort: cilium && cilium.k8sServiceHost === 'localhost' && typeof cilium.k8sServicePort === 'number' ? cilium.k8sServicePort : undefined,
    kubeOvn: input.components.some((c) => c.chart?.name === 'kube-ovn'),
    apiServer: api ? { host: api.host, port: api.port ?? 6443 } : undefined,
    vlans: vlanInterfacesOf(input.objects ?? []),
  };
}

/**
 * Lines for the user about what the nodes need that the cluster files of the
 * distribution cannot say: the VLAN interfaces of L2 pools outside Talos.
 * @internal
 */
export function clusterNotices(input: ClusterSettingsInput): string[] {
  if (input.distribution === Distribution.TALOS) return [];
  return clusterSettings(input).vlans.map((v) => `cozynet: an L2 pool is announced on ${v.name}, VLAN ${v.vlanId} on ${v.parent}: every node that announces it must have that interface (create it in the nodes' network configuration; cozynet writes it into cluster/talos-patch.yaml for Talos only)`);
}

const HEADER = '# Written by cozynet from the platform file: the cluster must be set up with these\n# settings for the networking layer to work. Edit the platform file, not this file.\n';

/**
 * Talos machine-config patch (`talosctl ... --config-patch @talos-patch.yaml`).
 * Fields: https://www.talos.dev/v1.10/reference/configuration/v1alpha1/config/
 * @internal
 */
export function talosPatch(s: ClusterSettings): string {
  const machine: Record<string, any> = {};
  if (s.kubePrismPort !== undefined) machine.features = { kubePrism: { enabled: true, port: s.kubePrismPort } };
  if (s.kubeOvn) machine.kernel = { modules: [{ name: 'openvswitch' }] };
  machine.sysctls = { ...TALOS_SYSCTLS };
  if (s.vlans.length > 0) {
    // Talos merges this list with the machine config's by interface name, and the VLANs of one by vlanId.
    const parents = [...new Set(s.vlans.map((v) => v.parent))];
    machine.network = {
      interfaces: parents.map((parent) => ({
        interface: parent,
        vlans: s.vlans.filter((v) => v.parent === parent).map((v) => ({ vlanId: v.vlanId })),
      })),
    };
  }
  const cluster: Record<string, any> = {
    network: { cni: { name: 'none' }, dnsDomain: s.clusterDomain, podSubnets: [s.podCidr], serviceSubnets: [s.serviceCidr] },
  };
  if (s.kubeProxyReplaced) cluster.proxy = { disabled: true };
  const reasons = [
    '# cluster.network.cni.name none: cozynet installs the pod network (or you bring one with the noop variant).',
    '# cluster.network.podSubnets/serviceSubnets/dnsDomain: equal to the platform file (cluster.podCidr, serviceCidr, clusterDomain).',
    ...(s.kubeProxyReplaced ? ['# cluster.proxy.disabled: Cilium replaces kube-proxy (kubeProxyReplacement: true).'] : []),
    ...(s.kubePrismPort !== undefined ? [`# machine.features.kubePrism: Cilium reaches the API server at localhost:${s.kubePrismPort} (k8sServiceHost/k8sServicePort).`] : []),
    ...(s.kubeOvn ? ['# machine.kernel.modules openvswitch: Kube-OVN does not load kernel modules on Talos (DISABLE_MODULES_MANAGEMENT).'] : []),
    '# machine.sysctls gc_thresh1-3: neighbour (ARP) table sized for many pods and VMs per node, as the reference platform sets it.',
    ...(s.vlans.length > 0 ? [`# machine.network.interfaces vlans: MetalLB announces L2 pools on ${s.vlans.map((v) => v.name).join(', ')} (loadBalancer.pools[].l2.interfaces); Talos creates each <interface>.<vlanId> link.`] : []),
  ];
  return HEADER + reasons.join('\n') + '\n' + stringify({ machine, cluster }, { lineWidth: 0 });
}

/**
 * kubeadm configuration: InitConfiguration skipping the kube-proxy addon
 * phase, and the networking part of ClusterConfiguration.
 * Fields: https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/
 * @internal
 */
export function kubeadmConfig(s: ClusterSettings): string {
  const init: Record<string, any> = { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration' };
  if (s.kubeProxyReplaced) init.skipPhases = ['addon/kube-proxy'];
  const cluster: Record<string, any> = { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration' };
  if (s.apiServer) cluster.controlPlaneEndpoint = `${s.apiServer.host.includes(':') ? `[${s.apiServer.host}]` : s.apiServer.host}:${s.apiServer.port}`;
  cluster.networking = { podSubnet: s.podCidr, serviceSubnet: s.serviceCidr, dnsDomain: s.clusterDomain };
  const reasons = [
    '# kubeadm init --config kubeadm.yaml (merge with your own InitConfiguration/ClusterConfiguration).',
    ...(s.kubeProxyReplaced ? ['# skipPhases addon/kube-proxy: Cilium replaces kube-proxy.'] : []),
    ...(s.apiServer ? ['# controlPlaneEndpoint: the API server Cilium reaches (cluster.apiServer).'] : []),
    '# networking: equal to the platform file; no CNI is installed by kubeadm.',
  ];
  return HEADER + reasons.join('\n') + '\n' + stringify(init, { lineWidth: 0 }) + '---\n' + stringify(cluster, { lineWidth: 0 });
}

/**
 * k3s server configuration (`/etc/rancher/k3s/config.yaml`, keys are the
 * server flags). Flags: https://docs.k3s.io/cli/server
 * @internal
 */
export function k3sConfig(s: ClusterSettings): string {
  const c: Record<string, any> = {
    'flannel-backend': 'none',
    'disable-network-policy': true,
    ...(s.kubeProxyReplaced ? { 'disable-kube-proxy': true } : {}),
    'disable': ['servicelb'],
    'cluster-cidr': s.podCidr,
    'service-cidr': s.serviceCidr,
    'cluster-dns': s.clusterDns,
    'cluster-domain': s.clusterDomain,
  };
  const reasons = [
    '# flannel-backend none, disable-network-policy: cozynet installs the pod network and its policies.',
    ...(s.kubeProxyReplaced ? ['# disable-kube-proxy: Cilium replaces kube-proxy.'] : []),
    '# disable servicelb: MetalLB announces LoadBalancer addresses.',
    '# cluster-dns: the 10th address of service-cidr (k3s default 10.43.0.10 lies outside another service CIDR).',
  ];
  return HEADER + reasons.join('\n') + '\n' + stringify(c, { lineWidth: 0 });
}

/**
 * RKE2 server configuration (`/etc/rancher/rke2/config.yaml`).
 * Keys: https://docs.rke2.io/reference/server_config
 * @internal
 */
export function rke2Config(s: ClusterSettings): string {
  const c: Record<string, any> = {
    'cni': 'none',
    ...(s.kubeProxyReplaced ? { 'disable-kube-proxy': true } : {}),
    'cluster-cidr': s.podCidr,
    'service-cidr': s.serviceCidr,
    'cluster-dns': s.clusterDns,
    'cluster-domain': s.clusterDomain,
  };
  const reasons = [
    '# cni none: cozynet installs the pod network (RKE2 has no network policy controller of its own besides its CNIs).',
    ...(s.kubeProxyReplaced ? ['# disable-kube-proxy: Cilium replaces kube-proxy.'] : []),
    '# cluster-dns: the 10th address of service-cidr.',
  ];
  return HEADER + reasons.join('\n') + '\n' + stringify(c, { lineWidth: 0 });
}

/**
 * The `cluster/` files of the output folder for the variant's distribution:
 * Talos variants get the Talos patch; the generic ones kubeadm, k3s and RKE2
 * settings; `noop` (any distribution) all of them.
 * @internal
 */
export function renderClusterSettings(input: ClusterSettingsInput): Map<string, string> {
  const s = clusterSettings(input);
  const files = new Map<string, string>();
  if (input.distribution !== Distribution.GENERIC) files.set('cluster/talos-patch.yaml', talosPatch(s));
  if (input.distribution !== Distribution.TALOS) {
    files.set('cluster/kubeadm.yaml', kubeadmConfig(s));
    files.set('cluster/k3s-config.yaml', k3sConfig(s));
    files.set('cluster/rke2-config.yaml', rke2Config(s));
  }
  return files;
}

/** One field of a distribution's configuration compared with the model. */
interface Expectation {
  /** Field path in the distribution's file. */
  readonly field: string;
  /** Its value (undefined: not set). */
  readonly actual: unknown;
  /** What the distribution uses when it is not set. */
  readonly fallback?: unknown;
  /** The value the layer needs. */
  readonly expected: unknown;
  /** The platform file field it comes from, or why. */
  readonly because: string;
}

/**
 * What the Talos patch asks of the nodes, checked in a machine config: the
 * openvswitch module (Kube-OVN), the neighbour-table sysctls (at least the
 * patch's values), the VLAN interfaces of L2 pools.
 */
function talosNodeChecks(d: any, s: ClusterSettings): Expectation[] {
  const checks: Expectation[] = [];
  if (s.kubeOvn) {
    const modules = get(d, 'machine.kernel.modules');
    const loaded = Array.isArray(modules) && modules.some((m) => m?.name === 'openvswitch');
    checks.push({
      field: 'machine.kernel.modules',
      actual: loaded ? 'openvswitch' : modules,
      fallback: [],
      expected: 'openvswitch',
      because: 'Kube-OVN needs the openvswitch kernel module and does not load modules on Talos (the list must hold { name: openvswitch })',
    });
  }
  const sysctls = get(d, 'machine.sysctls') as Record<string, unknown> | undefined;
  for (const [key, want] of Object.entries(TALOS_SYSCTLS)) {
    const actual = sysctls !== null && typeof sysctls === 'object' ? sysctls[key] : undefined;
    const n = Number(actual ?? KERNEL_SYSCTL_DEFAULTS[key]);
    checks.push({
      field: `machine.sysctls["${key}"]`,
      actual,
      fallback: KERNEL_SYSCTL_DEFAULTS[key],
      // a larger table is as good
      expected: Number.isFinite(n) && n >= Number(want) ? actual ?? KERNEL_SYSCTL_DEFAULTS[key] : want,
      because: 'a node with many pods and VMs needs a larger neighbour table (this value or more, as cluster/talos-patch.yaml sets it)',
    });
  }
  const interfaces = get(d, 'machine.network.interfaces');
  for (const v of s.vlans) {
    const has = Array.isArray(interfaces)
      && interfaces.some((i) => i?.interface === v.parent && Array.isArray(i.vlans) && i.vlans.some((x: any) => x?.vlanId === v.vlanId));
    checks.push({
      field: `machine.network.interfaces[interface=${v.parent}].vlans`,
      actual: has ? v.vlanId : undefined,
      fallback: 'no such VLAN',
      expected: v.vlanId,
      because: `MetalLB announces an L2 pool on ${v.name}, which the node must have (VLAN ${v.vlanId} on ${v.parent})`,
    });
  }
  return checks;
}

function get(o: any, path: string): unknown {
  return path.split('.').reduce((x, k) => (x !== null && typeof x === 'object' ? x[k] : undefined), o);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compares an existing Talos machine config, kubeadm configuration, or k3s /
 * RKE2 config file with what the layer needs, and returns one issue per
 * mismatch, naming the file's field and the platform file's. Unset fields
 * count with the distribution's default.
 * @param file the file's name (for messages)
 * @param docs the file's YAML documents
 * @internal
 */
export function compareClusterConfig(file: string, docs: any[], s: ClusterSettings): Array<{ path: string; value: string; message: string }> {
  const checks: Expectation[] = [];
  let recognized = false;
  for (const d of docs) {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) continue;
    if (typeof d.apiVersion === 'string' && d.apiVersion.startsWith('kubeadm.k8s.io/')) {
      recognized = true;
      if (d.kind === 'ClusterConfiguration') {
        checks.push(
          { field: 'networking.podSubnet', actual: get(d, 'networking.podSubnet'), expected: s.podCidr, because: 'cluster.podCidr' },
          { field: 'networking.serviceSubnet', actual: get(d, 'networking.serviceSubnet'), fallback: '10.96.0.0/12', expected: s.serviceCidr, because: 'cluster.serviceCidr' },
          { field: 'networking.dnsDomain', actual: get(d, 'networking.dnsDomain'), fallback: 'cluster.local', expected: s.clusterDomain, because: 'cluster.clusterDomain' },
        );
      } else if (d.kind === 'InitConfiguration' && s.kubeProxyReplaced) {
        const phases = Array.isArray(d.skipPhases) ? d.skipPhases : [];
        checks.push({ field: 'skipPhases', actual: phases.includes('addon/kube-proxy') ? 'addon/kube-proxy' : d.skipPhases, fallback: [], expected: 'addon/kube-proxy', because: 'Cilium replaces kube-proxy (the list must hold addon/kube-proxy)' });
      }
    } else if ('machine' in d || 'cluster' in d) {
      recognized = true;
      checks.push(
        { field: 'cluster.network.cni.name', actual: get(d, 'cluster.network.cni.name'), fallback: 'flannel', expected: 'none', because: 'cozynet installs the pod network' },
        { field: 'cluster.network.podSubnets', actual: get(d, 'cluster.network.podSubnets'), fallback: ['10.244.0.0/16'], expected: [s.podCidr], because: 'cluster.podCidr' },
        { field: 'cluster.network.serviceSubnets', actual: get(d, 'cluster.network.serviceSubnets'), fallback: ['10.96.0.0/12'], expected: [s.serviceCidr], because: 'cluster.serviceCidr' },
        { field: 'cluster.network.dnsDomain', actual: get(d, 'cluster.network.dnsDomain'), fallback: 'cluster.local', expected: s.clusterDomain, because: 'cluster.clusterDomain' },
      );
      if (s.kubeProxyReplaced) checks.push({ field: 'cluster.proxy.disabled', actual: get(d, 'cluster.proxy.disabled'), fallback: false, expected: true, because: 'Cilium replaces kube-proxy' });
      checks.push(...talosNodeChecks(d, s));
      if (s.kubePrismPort !== undefined) {
        checks.push(
          { field: 'machine.features.kubePrism.enabled', actual: get(d, 'machine.features.kubePrism.enabled'), fallback: true, expected: true, because: `Cilium reaches the API server at localhost:${s.kubePrismPort}` },
          { field: 'machine.features.kubePrism.port', actual: get(d, 'machine.features.kubePrism.port'), fallback: 7445, expected: s.kubePrismPort, because: 'Cilium\'s k8sServicePort' },
        );
      }
    } else if ('cluster-cidr' in d || 'service-cidr' in d || 'flannel-backend' in d || 'cni' in d || 'cluster-domain' in d || 'disable-kube-proxy' in d) {
      recognized = true;
      const rke2 = 'cni' in d;
      checks.push(
        { field: 'cluster-cidr', actual: d['cluster-cidr'], fallback: '10.42.0.0/16', expected: s.podCidr, because: 'cluster.podCidr' },
        { field: 'service-cidr', actual: d['service-cidr'], fallback: '10.43.0.0/16', expected: s.serviceCidr, because: 'cluster.serviceCidr' },
        { field: 'cluster-domain', actual: d['cluster-domain'], fallback: 'cluster.local', expected: s.clusterDomain, because: 'cluster.clusterDomain' },
        rke2
          ? { field: 'cni', actual: d.cni, expected: 'none', because: 'cozynet installs the pod network' }
          : { field: 'flannel-backend', actual: d['flannel-backend'], fallback: 'vxlan', expected: 'none', because: 'cozynet installs the pod network' },
      );
      if (!rke2) checks.push({ field: 'disable-network-policy', actual: d['disable-network-policy'], fallback: false, expected: true, because: 'Cilium enforces network policy' });
      if (s.kubeProxyReplaced) checks.push({ field: 'disable-kube-proxy', actual: d['disable-kube-proxy'], fallback: false, expected: true, because: 'Cilium replaces kube-proxy' });
    }
  }
  if (!recognized) {
    return [{ path: file, value: '', message: 'is not a Talos machine config, a kubeadm configuration, or a k3s/RKE2 config file' }];
  }
  const issues: Array<{ path: string; value: string; message: string }> = [];
  for (const c of checks) {
    const value = c.actual === undefined ? c.fallback : c.actual;
    if (same(value, c.expected)) continue;
    const shown = c.actual === undefined ? `unset, so ${JSON.stringify(c.fallback)}` : JSON.stringify(c.actual);
    const message = c.because.startsWith('cluster.')
      ? `must equal the platform file's ${c.because} (${JSON.stringify(c.expected)})`
      : `must be ${JSON.stringify(c.expected)}: ${c.because}`;
    issues.push({ path: `${file}: ${c.field}`, value: shown, message });
  }
  return issues;
}

/** Largest existing configuration file read (1 MiB). @internal */
export const MAX_CLUSTER_CONFIG_BYTES = 1024 * 1024;

/**
 * The YAML documents of an existing configuration file's text; a syntax
 * error is a user error naming the file and position.
 * @internal
 */
export function parseClusterConfig(file: string, text: string): any[] {
  if (text.length > MAX_CLUSTER_CONFIG_BYTES) {
    throw new CozynetValidationError([{ path: file, value: '', message: `is larger than ${MAX_CLUSTER_CONFIG_BYTES} bytes; not a cluster configuration` }]);
  }
  const docs = parseAllDocuments(text);
  const issues = docs.flatMap((d) => d.errors.map((e) => ({ path: `${file}:${e.linePos?.[0]?.line ?? '?'}:${e.linePos?.[0]?.col ?? '?'}`, value: '', message: `YAML: ${e.message.split('\n')[0]}` })));
  if (issues.length > 0) throw new CozynetValidationError(issues);
  try {
    return docs.map((d) => d.toJS({ maxAliasCount: 100 }));
  } catch (e: any) {
    throw new CozynetValidationError([{ path: file, value: '', message: `YAML: ${String(e?.message ?? e).split('\n')[0]}` }]);
  }
}
