import { Variant, VariantName } from '../src';
import { API_SERVER, propsFor, synth } from './helpers/synth';

type Dep = [name: string, namespace: string, dependsOn: string[], helm: boolean];

const ADDONS = (net: string[]): Dep[] => [
  ['metallb', 'cozy-metallb', net, true],
  ['multus', 'cozy-multus', net, false],
  ['cozy-proxy', 'cozy-system', net, false],
];

/**
 * Facts §11: the Gateway API CRDs before Cilium, the anti-spoofing webhook after Kube-OVN; cert-manager
 * (which issues the webhook's certificate, issue 21) after the whole pod network and before the webhook.
 */
const GATEWAY_CRDS: Dep = ['gateway-api-crds', 'cozy-gateway-api-crds', [], false];
const CERT_MANAGER: Dep = ['cert-manager', 'cozy-cert-manager', ['cilium', 'kubeovn'], true];
const WEBHOOK: Dep = ['kubeovn-webhook', 'cozy-kubeovn', ['kubeovn', 'cert-manager'], false];

/** Facts §2: components, namespaces and order per variant. */
const CASES: Array<{ variant: string; components: Dep[]; distribution: 'talos' | 'generic' | 'none'; chained: boolean; firewall: boolean; kilo: boolean }> = [
  {
    variant: 'kubeovn-cilium',
    components: [
      GATEWAY_CRDS,
      ['cilium', 'cozy-cilium', ['gateway-api-crds'], true],
      ['cilium-networkpolicy', 'cozy-cilium', ['cilium'], false],
      ['kubeovn', 'cozy-kubeovn', ['cilium'], true],
      CERT_MANAGER,
      WEBHOOK,
      ...ADDONS(['cilium', 'kubeovn']),
    ],
    distribution: 'talos',
    chained: true,
    firewall: true,
    kilo: false,
  },
  {
    variant: 'kubeovn-cilium-generic',
    components: [
      GATEWAY_CRDS,
      ['cilium', 'cozy-cilium', ['gateway-api-crds'], true],
      ['cilium-networkpolicy', 'cozy-cilium', ['cilium'], false],
      ['kubeovn', 'cozy-kubeovn', ['cilium'], true],
      CERT_MANAGER,
      WEBHOOK,
      ...ADDONS(['cilium', 'kubeovn']),
    ],
    distribution: 'generic',
    chained: true,
    firewall: true,
    kilo: false,
  },
  {
    variant: 'cilium',
    components: [GATEWAY_CRDS, ['cilium', 'cozy-cilium', ['gateway-api-crds'], true], ['cilium-networkpolicy', 'cozy-cilium', ['cilium'], false], ...ADDONS(['cilium'])],
    distribution: 'talos',
    chained: false,
    firewall: true,
    kilo: false,
  },
  {
    variant: 'cilium-generic',
    components: [GATEWAY_CRDS, ['cilium', 'cozy-cilium', ['gateway-api-crds'], true], ['cilium-networkpolicy', 'cozy-cilium', ['cilium'], false], ...ADDONS(['cilium'])],
    distribution: 'generic',
    chained: false,
    firewall: true,
    kilo: false,
  },
  {
    variant: 'cilium-kilo',
    components: [GATEWAY_CRDS, ['cilium', 'cozy-cilium', ['gateway-api-crds'], true], ['kilo', 'cozy-kilo', ['cilium'], false], ...ADDONS(['cilium', 'kilo'])],
    distribution: 'talos',
    chained: false,
    firewall: false,
    kilo: true,
  },
  {
    variant: 'noop',
    components: ADDONS([]),
    distribution: 'none',
    chained: false,
    firewall: false,
    kilo: false,
  },
];

const BASE_CILIUM = {
  kubeProxyReplacement: true,
  hubble: { enabled: false },
  defaultLBServiceIPAM: 'none',
  initResources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '256Mi' } },
  loadBalancer: { algorithm: 'maglev', serviceTopology: true },
  ipam: { mode: 'kubernetes' },
  gatewayAPI: { enabled: true, enableAlpn: true },
  rollOutCiliumPods: true,
  operator: { rollOutPods: true, replicas: 1 },
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '4Gi' } },
};

const CHAINING = {
  cni: { chainingMode: 'generic-veth', chainingTarget: 'kube-ovn', customConf: true, configMap: 'cni-configuration' },
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
};

/** Reference platform packages/system/kubeovn/values.yaml. */
const KUBE_OVN_RESOURCES = {
  'ovn-central': { requests: { cpu: '50m', memory: '100Mi' }, limits: { cpu: '3', memory: '4Gi' } },
  'ovs-ovn': { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '4', memory: '1000Mi' } },
  'kube-ovn-controller': { requests: { cpu: '10m', memory: '100Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
  'kube-ovn-cni': { requests: { cpu: '50m', memory: '50Mi' }, limits: { cpu: '1000m', memory: '2Gi' } },
  'kube-ovn-pinger': { requests: { cpu: '10m', memory: '50Mi' }, limits: { cpu: '200m', memory: '400Mi' } },
  'kube-ovn-monitor': { requests: { cpu: '10m', memory: '50Mi' }, limits: { cpu: '200m', memory: '200Mi' } },
};

describe.each(CASES)('variant $variant', (c) => {
  const out = synth(propsFor(c.variant));

  test('index.json lists the components of facts §2 in order, with namespaces and dependencies', () => {
    expect(out.index.variant).toBe(c.variant);
    expect(out.index.components.map((x: any) => [x.name, x.namespace, x.dependsOn, x.chart !== null])).toEqual(c.components);
    for (const comp of out.index.components) {
      expect(comp.values).toBe(comp.chart ? `helm/${comp.name}.values.yaml` : null);
      for (const m of comp.manifests) expect(out.index.manifests).toContain(m);
    }
    expect(out.index.flux).toEqual(['flux/releases.yaml']);
  });

  test('each component namespace is created once, as a system namespace, with the first component in it', () => {
    const nsObjects = out.objects().filter((o) => o.kind === 'Namespace');
    const expected = [...new Set(c.components.map((x) => x[1]))];
    expect(nsObjects.map((o) => o.metadata.name)).toEqual(expected);
    // System namespaces with the Pod Security level their pods need (facts §11): privileged where
    // host-network pods run (see test/real-cluster/workloads.test.ts for the derivation).
    const hostNetwork = c.components.filter((x) => ['cilium', 'kubeovn', 'metallb', 'multus', 'cozy-proxy', 'kilo'].includes(x[0])).map((x) => x[1]);
    // cert-manager's pods are non-root, drop every capability and use the RuntimeDefault seccomp profile.
    const restricted = c.components.filter((x) => x[0] === 'cert-manager').map((x) => x[1]);
    for (const o of nsObjects) {
      const level = hostNetwork.includes(o.metadata.name) ? 'privileged' : restricted.includes(o.metadata.name) ? 'restricted' : 'baseline';
      expect(o.metadata.labels).toEqual({ 'cozystack.io/system': 'true', 'pod-security.kubernetes.io/enforce': level });
    }
    for (const name of expected) {
      const first = out.index.components.find((x: any) => x.namespace === name);
      expect(out.docs(first.manifests[0]).some((o: any) => o.kind === 'Namespace' && o.metadata.name === name)).toBe(true);
    }
  });

  test('Cilium values carry the layers of facts §3', () => {
    if (c.distribution === 'none') {
      expect(out.files.has('helm/cilium.values.yaml')).toBe(false);
      return;
    }
    const v = out.values('cilium');
    expect(v).toMatchObject(BASE_CILIUM);
    // Facts §3: no longer read by the 1.19 chart, so never emitted.
    expect(v.externalIPs).toBeUndefined();
    expect(v.nodePort).toBeUndefined();
    expect(v.envoy).toEqual({ enabled: true, resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } } });
    expect(v.hostFirewall).toEqual({ enabled: !c.kilo });
    if (c.distribution === 'talos') {
      expect(v).toMatchObject({ cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' }, k8sServiceHost: 'localhost', k8sServicePort: 7445 });
      expect(v.podAnnotations).toBeUndefined();
    } else {
      expect(v).toMatchObject({ cgroup: { autoMount: { enabled: true } }, k8sServiceHost: API_SERVER.host, k8sServicePort: API_SERVER.port });
      for (const ctr of ['cilium-agent', 'clean-cilium-state', 'mount-cgroup', 'apply-sysctl-overwrites']) {
        expect(v.podAnnotations[`container.apparmor.security.beta.kubernetes.io/${ctr}`]).toBe('unconfined');
      }
    }
    if (c.chained) {expect(v).toMatchObject(CHAINING);} else {
      expect(v.cni).toBeUndefined();
      expect(v.devices).toBeUndefined();
      expect(v.routingMode).toBeUndefined();
    }
  });

  test('the chained CNI ConfigMap (facts §4) exists exactly in Kube-OVN variants', () => {
    const cms = out.objects().filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cni-configuration');
    if (!c.chained) {
      expect(cms).toHaveLength(0);
      return;
    }
    expect(cms).toHaveLength(1);
    expect(cms[0].metadata.namespace).toBe('cozy-cilium');
    const conf = JSON.parse(cms[0].data['cni-config']);
    expect(conf).toEqual({
      cniVersion: '0.3.1',
      name: 'generic-veth',
      plugins: [
        { type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', ipam: { type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock' } },
        { type: 'portmap', snat: true, capabilities: { portMappings: true } },
        { type: 'cilium-cni' },
      ],
    });
  });

  test('Kube-OVN values follow facts §5', () => {
    if (!c.chained) {
      expect(out.files.has('helm/kubeovn.values.yaml')).toBe(false);
      return;
    }
    expect(out.values('kubeovn')).toEqual({
      namespace: 'cozy-kubeovn',
      func: { ENABLE_NP: false, ENABLE_LB: false, ENABLE_OVN_IPSEC: false },
      networking: { NET_STACK: 'ipv4', NETWORK_TYPE: 'geneve', TUNNEL_TYPE: 'geneve', ENABLE_SSL: true },
      ipv4: { POD_CIDR: '10.244.0.0/16', POD_GATEWAY: '10.244.0.1', SVC_CIDR: '10.96.0.0/16', JOIN_CIDR: '100.64.0.0/16' },
      cni_conf: { CNI_CONFIG_PRIORITY: '10', MOUNT_LOCAL_BIN_DIR: false },
      OPENVSWITCH_DIR: '/var/lib/openvswitch',
      OVN_DIR: '/var/lib/ovn',
      DISABLE_MODULES_MANAGEMENT: true,
      MASTER_NODES_LABEL: c.distribution === 'talos' ? 'node-role.kubernetes.io/control-plane' : 'node-role.kubernetes.io/control-plane=true',
      // the reference platform's patched image, by digest (packages/system/kubeovn/values.yaml)
      global: {
        registry: { address: 'ghcr.io/cozystack/cozystack' },
        images: { kubeovn: { repository: 'kubeovn', tag: 'v1.15.10@sha256:741299cbd0081a786a6b60c460fa3156b3a42a38141c559dd8ac031f50c5504f' } },
      },
      ...KUBE_OVN_RESOURCES,
    });
  });

  test('host firewall (facts §8) exactly where the variant has it', () => {
    const pols = out.objects().filter((o) => o.kind === 'CiliumClusterwideNetworkPolicy' && o.metadata.name === 'restrict-system-components');
    if (!c.firewall) {
      expect(pols).toHaveLength(0);
      return;
    }
    expect(pols).toHaveLength(1);
    const spec = pols[0].spec;
    expect(pols[0].metadata.namespace).toBeUndefined();
    expect(spec.nodeSelector).toEqual({});
    expect(spec.ingress).toEqual([{ fromEntities: ['world', 'host', 'cluster'] }]);
    expect(spec.ingressDeny[0].fromEntities).toEqual(['world']);
    const ports = spec.ingressDeny[0].toPorts[0].ports.map((p: any) => `${p.port}/${p.protocol}`);
    // The reference list, then the host-network ports of the variant's own
    // components (cilium-operator and Envoy metrics; Kube-OVN's databases and
    // metrics), every one on every transport.
    expect(ports).toEqual([
      '2379/ANY', '2380/ANY', '3367/ANY', '7946/ANY', '8123/ANY', '9120/ANY', '9121/ANY', '9140/ANY', '9141/ANY',
      '9443/ANY', '10250/ANY', '10257/ANY', '10259/ANY', '19443/ANY',
      '9963/ANY', '9964/ANY',
      ...(c.chained ? ['6641/ANY', '6642/ANY', '6643/ANY', '6644/ANY', '10660/ANY', '10661/ANY', '10665/ANY'] : []),
    ]);
  });

  test('Flux releases mirror the Helm components with dependsOn (facts §10)', () => {
    // the releases of charts from repositories; the local charts (namespaces,
    // plain objects) are checked in test/delivery
    const releases = out.flux().filter((o) => o.kind === 'HelmRelease' && o.spec.chart?.spec?.sourceRef?.kind !== 'GitRepository');
    const helm = out.index.components.filter((x: any) => x.chart);
    expect(releases.map((r) => r.metadata.name)).toEqual(helm.map((x: any) => x.name));
    for (const r of releases) {
      const comp = helm.find((x: any) => x.name === r.metadata.name);
      expect(r.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
      expect(r.spec.releaseName).toBe(comp.name);
      expect(r.spec.targetNamespace).toBe(comp.namespace);
      // the namespaces release applies every Namespace, labelled, first
      expect(r.spec.install.createNamespace).toBe(false);
      expect(r.spec.chart.spec).toMatchObject({ chart: comp.chart.name, version: comp.chart.version });
      const helmDeps = comp.dependsOn.filter((d: string) => helm.some((h: any) => h.name === d));
      const deps = (r.spec.dependsOn ?? []).map((d: any) => d.name);
      expect(deps.filter((d: string) => helm.some((h: any) => h.name === d))).toEqual(helmDeps);
      expect(deps.filter((d: string) => !helm.some((h: any) => h.name === d)).every((d: string) => d === 'namespaces' || d === `${comp.name}-manifests` || comp.dependsOn.includes(d))).toBe(true);
      expect(r.spec.values).toEqual(out.values(comp.name));
    }
  });
});

describe('variant lookup', () => {
  test('every name resolves, default first', () => {
    expect(Variant.names()).toEqual(['kubeovn-cilium', 'kubeovn-cilium-generic', 'cilium', 'cilium-generic', 'cilium-kilo', 'noop']);
    expect(Variant.lookup(VariantName.CILIUM_KILO).layerNames).toEqual(['gateway-api-crds', 'cilium', 'talos', 'kilo', 'metallb', 'multus', 'cozy-proxy']);
    expect(Variant.lookup('kubeovn-cilium-generic').requiresApiServer).toBe(true);
  });

  test('an unknown variant names the field and the allowed values', () => {
    expect(() => Variant.lookup('calico')).toThrow(/^variant: is not a variant; allowed: kubeovn-cilium, .*noop \(got "calico"\)$/);
  });

  test('generic variants need the API server endpoint', () => {
    expect(() => synth({ variant: 'cilium-generic' })).toThrow(/cluster\.apiServer: is required by the \*-generic variants/);
  });

  test('Hubble settings reach the Cilium values', () => {
    const v = synth({ hubble: { enabled: true, metrics: ['dns', 'drop'] } }).values('cilium');
    expect(v.hubble).toEqual({ enabled: true, relay: { enabled: true }, ui: { enabled: true }, metrics: { enabled: ['dns', 'drop'] } });
  });

  test('extra firewall ports are appended', () => {
    const out = synth({ firewall: { extraPorts: [{ port: 6443 }, { port: 50000, protocol: 'UDP' as any }] } });
    const pol = out.objects().find((o) => o.kind === 'CiliumClusterwideNetworkPolicy');
    const ports = pol.spec.ingressDeny[0].toPorts[0].ports.map((p: any) => `${p.port}/${p.protocol}`);
    expect(ports.slice(-2)).toEqual(['6443/ANY', '50000/UDP']);
  });

  test('a bad firewall port names its path', () => {
    expect(() => synth({ firewall: { extraPorts: [{ port: 70000 }] } })).toThrow(/firewall\.extraPorts\[0\]\.port: must be a port number 1-65535 \(got 70000\)/);
  });

  test('a typo in user Helm values is an error', () => {
    expect(() => synth({ components: { cilium: { values: { hostFirewal: { enabled: false } } } } })).toThrow(/unknown key hostFirewal.*did you mean hostFirewall/);
    expect(() => synth({ components: { kubeovn: { values: { func: { ENABLE_NPP: true } } } } })).toThrow(/unknown key func\.ENABLE_NPP/);
    expect(() => synth({ components: { cilium: { values: { kubeProxyReplacement: 42 } } } })).toThrow(/kubeProxyReplacement must be string,boolean/);
  });

  test('chart versions and images can be overridden', () => {
    const out = synth({ components: { cilium: { chart: { version: '1.19.6' } }, cozyProxy: { image: 'registry.example/cozy-proxy:v9' } } });
    expect(out.index.components.find((x: any) => x.name === 'cilium').chart.version).toBe('1.19.6');
    const ds = out.docs('manifests/cozy-proxy.yaml').find((o) => o.kind === 'DaemonSet');
    expect(ds.spec.template.spec.containers[0].image).toBe('registry.example/cozy-proxy:v9');
  });

  test('encryption turns on Kube-OVN IPsec', () => {
    const v = synth({ cluster: { encryption: true } }).values('kubeovn');
    expect(v.func.ENABLE_OVN_IPSEC).toBe(true);
    // Outside Talos' read-only /etc; the chart reads it only with IPsec on.
    expect(v.OVN_IPSEC_KEY_DIR).toBe('/var/lib/ovs_ipsec_keys');
  });
});
