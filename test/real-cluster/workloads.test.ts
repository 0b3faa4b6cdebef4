// What a real cluster does with the synthesized output of every variant
// (facts §7, §8, §11, §13): Pod Security admission of every pod, labelled
// namespaces ahead of everything in them, Multus and Kilo as their images
// run, pull policies, host firewall transports and ports. Asserts on the
// synthesized YAML only.
import { baselineViolation, podSpecOf } from '../../src/constructs/pod-security';
import { ExternalCni } from '../../src/variants/stack';
import { propsFor, synth, Synthesized } from '../helpers/synth';

const VARIANTS = ['kubeovn-cilium', 'kubeovn-cilium-generic', 'cilium', 'cilium-generic', 'cilium-kilo', 'noop'];
const PSA = 'pod-security.kubernetes.io/enforce';
const TENANTS = [{ name: 'root', children: [{ name: 'acme' }] }];

/** Every container of a pod spec, init containers first. */
function containers(pod: any): any[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

function workloads(out: Synthesized): any[] {
  return out.objects().filter((o) => podSpecOf(o) !== undefined);
}

describe.each(VARIANTS)('variant %s on a real cluster', (variant) => {
  const props = { ...propsFor(variant), tenants: TENANTS, ...(variant === 'noop' ? { cni: ExternalCni.CILIUM } : {}) };
  const out = synth(props);
  const objects = out.objects();
  const namespaces = new Map<string, any>(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o]));

  test('every namespace an object lives in is a Namespace object of the output, emitted once', () => {
    const names = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    for (const o of objects) {
      if (o.metadata.namespace !== undefined) expect(namespaces.has(o.metadata.namespace)).toBe(true);
    }
    for (const c of out.index.components) expect(namespaces.has(c.namespace)).toBe(true);
  });

  test('in manifest order, each Namespace object comes before every object in it, first in its file', () => {
    const seen = new Set<string>();
    for (const file of out.index.manifests as string[]) {
      const docs = out.docs(file);
      docs.forEach((o, i) => {
        if (o.kind === 'Namespace') {
          seen.add(o.metadata.name);
          // Namespaces lead their file.
          expect(docs.slice(0, i).every((d) => d.kind === 'Namespace')).toBe(true);
        } else if (o.metadata.namespace !== undefined) {
          expect(seen.has(o.metadata.namespace)).toBe(true);
        }
      });
    }
  });

  test('component namespaces are system namespaces whose Pod Security level admits their pods (facts §11)', () => {
    const HOST_NETWORK_COMPONENTS = ['cilium', 'kubeovn', 'metallb', 'multus', 'cozy-proxy', 'kilo'];
    for (const c of out.index.components) {
      const ns = namespaces.get(c.namespace);
      expect(ns.metadata.labels['cozystack.io/system']).toBe('true');
      expect(ns.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      // Cilium, Kube-OVN, the MetalLB speaker, Multus, cozy-proxy and Kilo run host-network pods (facts §11).
      if (HOST_NETWORK_COMPONENTS.includes(c.name)) expect(`${c.namespace}: ${ns.metadata.labels[PSA]}`).toBe(`${c.namespace}: privileged`);
    }
    // No wider than needed: a namespace is privileged only for a Helm release of host-network pods or a pod that
    // baseline refuses; cert-manager's pods meet restricted (its chart rendered in test/charts/cert-manager.test.ts).
    const RESTRICTED_CHARTS = ['cert-manager'];
    for (const ns of namespaces.values()) {
      const inNs = out.index.components.filter((c: any) => c.namespace === ns.metadata.name);
      if (inNs.length === 0) continue;
      const podNeeds = workloads(out).some((w) => w.metadata.namespace === ns.metadata.name && baselineViolation(podSpecOf(w)));
      const needs = inNs.some((c: any) => c.chart && !RESTRICTED_CHARTS.includes(c.chart.name)) || podNeeds;
      const onlyRestricted = inNs.every((c: any) => c.chart && RESTRICTED_CHARTS.includes(c.chart.name));
      const level = needs ? 'privileged' : onlyRestricted ? 'restricted' : 'baseline';
      expect(`${ns.metadata.name}: ${ns.metadata.labels[PSA]}`).toBe(`${ns.metadata.name}: ${level}`);
    }
  });

  test('tenant namespaces enforce baseline and carry no system label', () => {
    for (const name of ['tenant-root', 'tenant-acme']) {
      expect(namespaces.get(name).metadata.labels[PSA]).toBe('baseline');
      expect(namespaces.get(name).metadata.labels['cozystack.io/system']).toBeUndefined();
    }
  });

  test('Pod Security admission would accept every synthesized pod in its namespace', () => {
    for (const w of workloads(out)) {
      const level = namespaces.get(w.metadata.namespace).metadata.labels[PSA];
      const violation = baselineViolation(podSpecOf(w));
      if (violation !== undefined) expect(`${w.kind}/${w.metadata.name}: ${level}`).toBe(`${w.kind}/${w.metadata.name}: privileged`);
    }
  });

  test('every image is pinned by tag or digest and pulled IfNotPresent', () => {
    const all = workloads(out).flatMap((w) => containers(podSpecOf(w)));
    expect(all.length).toBeGreaterThan(0);
    for (const c of all) {
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(c.image).toMatch(/^[^\s]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  test('no Helm release is told to pull Always (the charts default to IfNotPresent or to Kubernetes\' default for tags)', () => {
    const policies: string[] = [];
    const walk = (v: any, key?: string): void => {
      if (key === 'pullPolicy' && v !== null && v !== undefined) policies.push(v);
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    for (const c of out.index.components.filter((x: any) => x.values)) walk(out.values(c.name));
    for (const p of policies) expect(p).toBe('IfNotPresent');
  });

  test('host agents: host network, critical priority, every taint tolerated, one node at a time', () => {
    for (const w of workloads(out).filter((o) => o.kind === 'DaemonSet')) {
      const pod = podSpecOf(w);
      expect(pod.hostNetwork).toBe(true);
      expect(pod.priorityClassName).toBe('system-node-critical');
      expect(w.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
      const tolerated = (effect: string) => pod.tolerations.some((t: any) => t.operator === 'Exists' && !t.key && (t.effect === undefined || t.effect === effect));
      expect(tolerated('NoSchedule') && tolerated('NoExecute')).toBe(true);
      expect(w.spec.selector.matchLabels).toEqual(w.spec.template.metadata.labels);
      for (const c of containers(pod)) {
        expect(c.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
        expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
      }
    }
  });

  test('Multus as facts §7', () => {
    const docs = out.docs('manifests/multus.yaml');
    const ds = docs.find((o) => o.kind === 'DaemonSet');
    const pod = ds.spec.template.spec;
    expect(pod.hostPID).toBe(true);
    expect(pod.hostNetwork).toBe(true);
    expect(pod.terminationGracePeriodSeconds).toBe(10);
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }]);
    const [install, stage] = pod.initContainers;
    expect(install.name).toBe('install-multus-binary');
    // the reference platform's patched build of the v4.3.0 thick plugin, by digest; same
    // installer and daemon paths (packages/system/multus/templates/multus-daemonset-thick.yml)
    expect(install.image).toBe('ghcr.io/cozystack/cozystack/multus-cni:v1.6.0@sha256:0a92e861ead179dd6b46f475fd8878d44b3cfa40ce4d7a8ff92f790d54250d25');
    expect(pod.containers[0].image).toBe(install.image);
    expect(install.command).toEqual(['/usr/src/multus-cni/bin/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick']);
    expect(install.securityContext).toEqual({ privileged: true });
    expect(install.resources).toEqual({ requests: { cpu: '10m', memory: '15Mi' }, limits: { memory: '128Mi' } });
    expect(install.volumeMounts).toEqual([{ name: 'cnibin', mountPath: '/host/opt/cni/bin', mountPropagation: 'Bidirectional' }]);
    // Reference plugins staged by default, from an image that has them, without privilege.
    expect(stage.name).toBe('install-reference-plugins');
    expect(stage.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(stage.command[2]).toMatch(/mv -f "\$tmp" "\$dst\/\$name"/);
    expect(stage.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seLinuxOptions: { type: 'spc_t', level: 's0' } });
    expect(stage.volumeMounts).toEqual([{ name: 'cnibin', mountPath: '/host/opt/cni/bin' }]);
    expect(stage.resources.limits.memory).toBe('128Mi');

    const [daemon] = pod.containers;
    expect(pod.containers).toHaveLength(1);
    expect(daemon.command).toEqual(['/usr/src/multus-cni/bin/multus-daemon']);
    expect(daemon.env).toEqual([{ name: 'MULTUS_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(daemon.securityContext).toEqual({ privileged: true });
    expect(daemon.resources).toEqual({ requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '100m', memory: '1Gi' } });
    const mounts = Object.fromEntries(daemon.volumeMounts.map((m: any) => [m.mountPath, m]));
    const hostPathOf = (mountPath: string) => pod.volumes.find((v: any) => v.name === mounts[mountPath].name).hostPath?.path;
    // /opt/cni/bin at the same path inside and outside: multus-daemon requires it.
    expect(hostPathOf('/opt/cni/bin')).toBe('/opt/cni/bin');
    expect(hostPathOf('/host/etc/cni/net.d')).toBe('/etc/cni/net.d');
    expect(hostPathOf('/host/run')).toBe('/run');
    expect(hostPathOf('/var/lib/cni/multus')).toBe('/var/lib/cni/multus');
    expect(hostPathOf('/var/lib/kubelet')).toBe('/var/lib/kubelet');
    expect(hostPathOf('/run/k8s.cni.cncf.io')).toBe('/run/k8s.cni.cncf.io');
    expect(hostPathOf('/run/netns')).toBe('/run/netns/');
    expect(hostPathOf('/etc/cni/multus/net.d')).toBe('/etc/cni/multus/net.d');
    expect(hostPathOf('/hostroot')).toBe('/');
    for (const p of ['/var/lib/kubelet', '/run/netns', '/hostroot']) expect(mounts[p].mountPropagation).toBe('HostToContainer');
    expect(mounts['/etc/cni/net.d/multus.d']).toEqual({ name: 'multus-daemon-config', mountPath: '/etc/cni/net.d/multus.d', readOnly: true });
    // Every mount has its volume.
    for (const c of containers(pod)) for (const m of c.volumeMounts) expect(pod.volumes.some((v: any) => v.name === m.name)).toBe(true);

    const config = JSON.parse(docs.find((o) => o.kind === 'ConfigMap').data['daemon-config.json']);
    expect(config).toEqual({
      chrootDir: '/hostroot',
      cniVersion: '0.3.1',
      logLevel: 'verbose',
      logToStderr: true,
      cniConfigDir: '/host/etc/cni/net.d',
      multusAutoconfigDir: '/host/etc/cni/net.d',
      multusConfigFile: 'auto',
      multusMasterCNI: '05-cilium.conflist',
      socketDir: '/host/run/multus/',
    });
    const sa = docs.find((o) => o.kind === 'ServiceAccount');
    expect(pod.serviceAccountName).toBe(sa.metadata.name);
  });

  test('Kilo exactly in cilium-kilo, as facts §13', () => {
    const kilo = objects.filter((o) => o.kind === 'DaemonSet' && o.metadata.name === 'kilo');
    if (variant !== 'cilium-kilo') {
      expect(kilo).toHaveLength(0);
      return;
    }
    const docs = out.docs('manifests/kilo.yaml');
    const c = kilo[0].spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/squat/kilo:0.7.0');
    expect(c.args).toEqual([
      '--kubeconfig=/etc/kubernetes/kubeconfig',
      '--hostname=$(NODE_NAME)',
      '--cni=false',
      '--compatibility=cilium',
      '--encapsulate=crosssubnet',
      '--local=false',
      '--mesh-granularity=location',
      '--port=51820',
      '--subnet=100.66.0.0/16',
      // the MTU plan's (issue 23): a 1500-byte IPv4 underlay minus WireGuard's 60 bytes
      '--mtu=1440',
      '--clean-up-interface=false',
      '--internal-cidr=$(NODE_IP)/32',
    ]);
    expect(c.env).toEqual([
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    ]);
    // The kubeconfig points at KubePrism (Talos), with the service account's credentials.
    const kubeconfig = docs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kubeconfig-in-cluster').data.kubeconfig;
    expect(kubeconfig).toContain('server: https://127.0.0.1:7445');
    expect(kubeconfig).toContain('tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(c.volumeMounts).toContainEqual({ name: 'kubeconfig', mountPath: '/etc/kubernetes', readOnly: true });
  });

  test('cozy-proxy as v0.3.0 reads: Services and Endpoints only, NET_ADMIN', () => {
    const docs = out.docs('manifests/cozy-proxy.yaml');
    expect(docs.find((o) => o.kind === 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['get', 'list', 'watch'] }]);
    const pod = docs.find((o) => o.kind === 'DaemonSet').spec.template.spec;
    expect(pod.containers[0].securityContext).toEqual({ privileged: true, capabilities: { add: ['NET_ADMIN'] } });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('the host firewall closes every port on every transport, the components\' host ports included (facts §8)', () => {
    const pols = objects.filter((o) => o.kind === 'CiliumClusterwideNetworkPolicy' && o.metadata.name === 'restrict-system-components');
    if (variant === 'cilium-kilo' || variant === 'noop') {
      expect(pols).toHaveLength(0);
      return;
    }
    const ports = pols[0].spec.ingressDeny[0].toPorts[0].ports;
    for (const p of ports) expect(p.protocol).toBe('ANY');
    const numbers = ports.map((p: any) => Number(p.port));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const p of [2379, 2380, 3367, 7946, 8123, 9120, 9121, 9140, 9141, 9443, 10250, 10257, 10259, 19443]) expect(numbers).toContain(p);
    // cilium-operator and Envoy metrics (chart defaults: both on, host network).
    expect(numbers).toEqual(expect.arrayContaining([9963, 9964]));
    const kubeOvn = [6641, 6642, 6643, 6644, 10660, 10661, 10665];
    if (variant.startsWith('kubeovn')) expect(numbers).toEqual(expect.arrayContaining(kubeOvn));
    else for (const p of kubeOvn) expect(numbers).not.toContain(p);
  });
});
