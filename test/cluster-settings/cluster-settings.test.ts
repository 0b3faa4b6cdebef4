/**
 * The cluster side from the same model: Talos, kubeadm, k3s and RKE2
 * settings in cluster/, for every variant, equal to the platform file's CIDRs
 * and domain, and made only of fields the upstream documentation of each
 * format defines.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { Platform, Variant } from '../../src';
import { run } from '../../src/cli/main';
import { parseClusterConfig } from '../../src/render/cluster-settings';

const CLUSTER = { podCidr: '10.150.0.0/16', serviceCidr: '10.160.0.0/20', joinCidr: '100.70.0.0/16', clusterDomain: 'prod.example' };

function render(variant: string) {
  const cluster = { ...CLUSTER, ...(variant.endsWith('-generic') ? { apiServer: { host: '192.0.2.10', port: 6443 } } : {}) };
  // an L2 pool on a VLAN interface: the Talos patch creates it (issue 21)
  const loadBalancer = { pools: [{ name: 'public', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth1.100'] } }] };
  const files = new Platform(new Construct(undefined as any, ''), 'p', { variant, cluster, loadBalancer, delivery: { terraform: false } })._renderFiles();
  const index = JSON.parse(files.get('index.json')!);
  const docs = (p: string) => parseAllDocuments(files.get(p)!).map((d) => d.toJS());
  return { files, index, docs };
}

/**
 * Field paths each format defines, from its upstream reference:
 * - Talos v1alpha1 machine config, https://www.talos.dev/v1.10/reference/configuration/v1alpha1/config/
 *   (ClusterConfig.network: cni.name "none", dnsDomain, podSubnets, serviceSubnets; ClusterConfig.proxy.disabled;
 *   MachineConfig.features.kubePrism.enabled/port; MachineConfig.kernel.modules[].name; MachineConfig.sysctls;
 *   MachineConfig.network.interfaces[].interface and .vlans[].vlanId, https://www.talos.dev/v1.10/advanced/advanced-networking/)
 * - kubeadm v1beta4, https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/
 *   (InitConfiguration.skipPhases; ClusterConfiguration.controlPlaneEndpoint, networking.podSubnet/serviceSubnet/dnsDomain;
 *   kube-proxy phase name "addon/kube-proxy": https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init-phase/)
 * - k3s server flags (config file keys are the flag names), https://docs.k3s.io/cli/server
 *   and https://docs.k3s.io/installation/configuration#configuration-file
 * - RKE2 server configuration, https://docs.rke2.io/reference/server_config
 */
const TALOS_FIELDS = [
  'machine.features.kubePrism.enabled', 'machine.features.kubePrism.port', 'machine.kernel.modules[].name', 'machine.sysctls.*',
  'machine.network.interfaces[].interface', 'machine.network.interfaces[].vlans[].vlanId',
  'cluster.network.cni.name', 'cluster.network.dnsDomain', 'cluster.network.podSubnets[]', 'cluster.network.serviceSubnets[]', 'cluster.proxy.disabled',
];
const KUBEADM_FIELDS = ['apiVersion', 'kind', 'skipPhases[]', 'controlPlaneEndpoint', 'networking.podSubnet', 'networking.serviceSubnet', 'networking.dnsDomain'];
const K3S_FLAGS = ['flannel-backend', 'disable-network-policy', 'disable-kube-proxy', 'disable[]', 'cluster-cidr', 'service-cidr', 'cluster-dns', 'cluster-domain'];
const RKE2_FLAGS = ['cni', 'disable-kube-proxy', 'cluster-cidr', 'service-cidr', 'cluster-dns', 'cluster-domain'];

function fieldPaths(v: any, prefix = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => fieldPaths(x, `${prefix}[]`));
  if (v && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) => {
      const p = prefix.endsWith('sysctls') ? `${prefix}.*` : prefix ? `${prefix}.${k}` : k;
      return prefix.endsWith('sysctls') ? [p] : fieldPaths(x, p);
    });
  }
  return [prefix];
}

describe.each(Variant.names())('variant %s', (variant) => {
  const { files, index, docs } = render(variant);
  const distribution = Variant.lookup(variant).distribution;
  const ciliumReplacesKubeProxy = variant !== 'noop';

  test('index.json lists the cluster settings of its distribution', () => {
    const expected = [
      ...(distribution !== 'generic' ? ['cluster/talos-patch.yaml'] : []),
      ...(distribution !== 'talos' ? ['cluster/kubeadm.yaml', 'cluster/k3s-config.yaml', 'cluster/rke2-config.yaml'] : []),
    ];
    expect(index.clusterSettings).toEqual(expected);
    for (const f of expected) expect(files.get(f)).toMatch(/^# Written by cozynet/);
  });

  if (distribution !== 'generic') {
    test('Talos patch: no CNI, kube-proxy off, the platform file\'s subnets and domain, KubePrism as Cilium uses it', () => {
      const [patch] = docs('cluster/talos-patch.yaml');
      for (const p of fieldPaths(patch)) expect(TALOS_FIELDS).toContain(p);
      expect(patch.cluster.network).toEqual({ cni: { name: 'none' }, dnsDomain: CLUSTER.clusterDomain, podSubnets: [CLUSTER.podCidr], serviceSubnets: [CLUSTER.serviceCidr] });
      expect(patch.cluster.proxy?.disabled === true).toBe(ciliumReplacesKubeProxy);
      if (variant !== 'noop') {
        const cilium = docs('helm/cilium.values.yaml')[0];
        expect(cilium.k8sServiceHost).toBe('localhost');
        expect(patch.machine.features.kubePrism).toEqual({ enabled: true, port: cilium.k8sServicePort });
        expect(patch.machine.features.kubePrism.port).toBe(7445);
      }
      // Kube-OVN needs openvswitch loaded by the node (its values turn module management off on Talos)
      const kubeovn = index.components.some((c: any) => c.name === 'kubeovn');
      expect((patch.machine.kernel?.modules ?? []).map((m: any) => m.name)).toEqual(kubeovn ? ['openvswitch'] : []);
      if (kubeovn) expect(docs('helm/kubeovn.values.yaml')[0].DISABLE_MODULES_MANAGEMENT).toBe(true);
      expect(patch.machine.sysctls['net.ipv4.neigh.default.gc_thresh3']).toBe('16384');
      for (const v of Object.values(patch.machine.sysctls)) expect(typeof v).toBe('string');
      // each setting carries its reason
      for (const word of ['cni.name none', 'podSubnets', 'gc_thresh']) expect(files.get('cluster/talos-patch.yaml')).toContain(word);
    });
  }

  if (distribution !== 'talos') {
    test('kubeadm: InitConfiguration skips the kube-proxy phase; ClusterConfiguration networking equals the platform file', () => {
      const [init, cluster] = docs('cluster/kubeadm.yaml');
      for (const d of [init, cluster]) for (const p of fieldPaths(d)) expect(KUBEADM_FIELDS).toContain(p);
      expect(init).toMatchObject({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration' });
      expect(init.skipPhases ?? []).toEqual(ciliumReplacesKubeProxy ? ['addon/kube-proxy'] : []);
      expect(cluster).toMatchObject({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration' });
      expect(cluster.networking).toEqual({ podSubnet: CLUSTER.podCidr, serviceSubnet: CLUSTER.serviceCidr, dnsDomain: CLUSTER.clusterDomain });
      if (variant.endsWith('-generic')) {
        const cilium = docs('helm/cilium.values.yaml')[0];
        expect(cluster.controlPlaneEndpoint).toBe(`${cilium.k8sServiceHost}:${cilium.k8sServicePort}`);
      }
    });

    test('k3s and RKE2: no flannel/CNI, no network policy, no kube-proxy, the same CIDRs, a DNS address inside the service CIDR', () => {
      const [k3s] = docs('cluster/k3s-config.yaml');
      for (const p of fieldPaths(k3s)) expect(K3S_FLAGS).toContain(p);
      expect(k3s).toMatchObject({ 'flannel-backend': 'none', 'disable-network-policy': true, 'cluster-cidr': CLUSTER.podCidr, 'service-cidr': CLUSTER.serviceCidr, 'cluster-domain': CLUSTER.clusterDomain, 'cluster-dns': '10.160.0.10' });
      expect(k3s['disable-kube-proxy'] === true).toBe(ciliumReplacesKubeProxy);
      expect(k3s.disable).toEqual(['servicelb']);
      const [rke2] = docs('cluster/rke2-config.yaml');
      for (const p of fieldPaths(rke2)) expect(RKE2_FLAGS).toContain(p);
      expect(rke2).toMatchObject({ 'cni': 'none', 'cluster-cidr': CLUSTER.podCidr, 'service-cidr': CLUSTER.serviceCidr, 'cluster-domain': CLUSTER.clusterDomain, 'cluster-dns': '10.160.0.10' });
      expect(rke2['disable-kube-proxy'] === true).toBe(ciliumReplacesKubeProxy);
    });
  }
});

test('the defaults give the reference platform\'s settings', () => {
  const files = new Platform(new Construct(undefined as any, ''), 'p', { delivery: { terraform: false } })._renderFiles();
  const [patch] = parseAllDocuments(files.get('cluster/talos-patch.yaml')!).map((d) => d.toJS());
  expect(patch.cluster.network).toEqual({ cni: { name: 'none' }, dnsDomain: 'cozy.local', podSubnets: ['10.244.0.0/16'], serviceSubnets: ['10.96.0.0/16'] });
});

describe('an existing cluster configuration compared with the platform file (validate --cluster-config)', () => {
  const platformOf = (variant: string) => new Platform(new Construct(undefined as any, ''), 'p', {
    variant, cluster: { ...CLUSTER, ...(variant.endsWith('-generic') ? { apiServer: { host: '192.0.2.10', port: 6443 } } : {}) }, delivery: { terraform: false },
  });

  test.each(Variant.names())('cozynet\'s own cluster/ files of %s match', (variant) => {
    const p = platformOf(variant);
    const files = p._renderFiles();
    const index = JSON.parse(files.get('index.json')!);
    for (const f of index.clusterSettings) {
      expect(p._clusterConfigIssues(f, parseClusterConfig(f, files.get(f)!))).toEqual([]);
    }
  });

  test('every mismatch names the file\'s field and the platform file\'s, unset fields with the distribution\'s default', () => {
    const p = platformOf('kubeovn-cilium-generic');
    const msgs = (f: string, text: string) => p._clusterConfigIssues(f, parseClusterConfig(f, text)).map((i) => `${i.path}: ${i.message} (got ${i.value})`);
    expect(msgs('kubeadm.yaml', 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n')).toEqual([
      'kubeadm.yaml: networking.podSubnet: must equal the platform file\'s cluster.podCidr ("10.150.0.0/16") (got "10.244.0.0/16")',
      'kubeadm.yaml: networking.serviceSubnet: must equal the platform file\'s cluster.serviceCidr ("10.160.0.0/20") (got unset, so "10.96.0.0/12")',
      'kubeadm.yaml: networking.dnsDomain: must equal the platform file\'s cluster.clusterDomain ("prod.example") (got unset, so "cluster.local")',
      'kubeadm.yaml: skipPhases: must be "addon/kube-proxy": Cilium replaces kube-proxy (the list must hold addon/kube-proxy) (got unset, so [])',
    ]);
    expect(msgs('config.yaml', 'cluster-cidr: 10.150.0.0/16\nservice-cidr: 10.160.0.0/20\ncluster-domain: prod.example\nflannel-backend: vxlan\ndisable-kube-proxy: true\ndisable-network-policy: true\n')).toEqual([
      'config.yaml: flannel-backend: must be "none": cozynet installs the pod network (got "vxlan")',
    ]);
    expect(msgs('rke2.yaml', 'cni: canal\ncluster-cidr: 10.150.0.0/16\nservice-cidr: 10.160.0.0/20\ncluster-domain: prod.example\n')).toEqual([
      'rke2.yaml: cni: must be "none": cozynet installs the pod network (got "canal")',
      'rke2.yaml: disable-kube-proxy: must be true: Cilium replaces kube-proxy (got unset, so false)',
    ]);
    expect(msgs('x.yaml', 'hello: world\n')).toEqual(['x.yaml: is not a Talos machine config, a kubeadm configuration, or a k3s/RKE2 config file (got )']);
  });

  test('the CLI: exit 1 naming both fields; a YAML error names the file and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-cc-'));
    try {
      // the default platform's needs: no CNI or kube-proxy of Talos, the CIDRs, and what the patch asks of the nodes
      fs.writeFileSync(path.join(dir, 'talos.yaml'), 'machine:\n  type: controlplane\n  kernel: { modules: [{ name: openvswitch }] }\n  sysctls:\n    net.ipv4.neigh.default.gc_thresh1: "4096"\n    net.ipv4.neigh.default.gc_thresh2: "8192"\n    net.ipv4.neigh.default.gc_thresh3: "16384"\ncluster:\n  network:\n    cni: { name: none }\n    dnsDomain: cozy.local\n    podSubnets: [10.244.0.0/16]\n    serviceSubnets: [10.96.0.0/16]\n  proxy: { disabled: true }\n');
      let err = '';
      const io = { out: () => undefined, err: (t: string) => { err += t; } };
      expect(run(['validate', '--cluster-config', path.join(dir, 'talos.yaml')], io)).toBe(0);
      fs.writeFileSync(path.join(dir, 'p.yaml'), 'cluster:\n  podCidr: 10.150.0.0/16\n');
      expect(run(['validate', '--config', path.join(dir, 'p.yaml'), '--cluster-config', path.join(dir, 'talos.yaml')], io)).toBe(1);
      expect(err).toContain('talos.yaml: cluster.network.podSubnets: must equal the platform file\'s cluster.podCidr (["10.150.0.0/16"]) (got ["10.244.0.0/16"])');
      err = '';
      fs.writeFileSync(path.join(dir, 'bad.yaml'), 'cluster: [\n');
      expect(run(['validate', '--cluster-config', path.join(dir, 'bad.yaml')], io)).toBe(1);
      expect(err).toMatch(/bad\.yaml:\d+:\d+: YAML: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
