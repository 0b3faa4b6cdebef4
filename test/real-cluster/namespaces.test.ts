// Namespaces and admission (facts §11), and the noop variant's CNI setting
// (facts §12): labels derived from what the pods need, one Namespace object
// per namespace, Multus's master conflist and tenant isolation on noop.
import { App, Chart } from 'cdk8s';
import { ImagePullPolicy } from '../../src/constructs/component';
import { CozyProxy } from '../../src/constructs/cozy-proxy';
import { HostFirewall } from '../../src/constructs/host-firewall';
import { Multus } from '../../src/constructs/multus';
import { baselineViolation, PodSecurityLevel } from '../../src/constructs/pod-security';
import { ExternalCni } from '../../src/variants/stack';
import { synth } from '../helpers/synth';

const PSA = 'pod-security.kubernetes.io/enforce';

function namespaceOf(out: ReturnType<typeof synth>, name: string): any[] {
  return out.objects().filter((o) => o.kind === 'Namespace' && o.metadata.name === name);
}

describe('component namespaces', () => {
  test('a namespace shared by components is emitted once, by the first, with the widest level of all', () => {
    // The host firewall alone runs no pod (baseline); it shares cozy-cilium with Cilium (privileged).
    const out = synth({ variant: 'cilium' });
    const ns = namespaceOf(out, 'cozy-cilium');
    expect(ns).toHaveLength(1);
    expect(ns[0].metadata.labels[PSA]).toBe('privileged');
    expect(out.docs('manifests/cilium.yaml')[0]).toEqual(ns[0]);
    expect(out.docs('manifests/cilium-networkpolicy.yaml').some((o) => o.kind === 'Namespace')).toBe(false);
  });

  test('components that share a namespace with a pod-less component raise its level', () => {
    const out = synth({ components: { cozyProxy: { namespace: 'cozy-multus' } } });
    expect(namespaceOf(out, 'cozy-multus')).toHaveLength(1);
    expect(out.docs('manifests/cozy-proxy.yaml').some((o) => o.kind === 'Namespace')).toBe(false);
  });

  test('the level is derived from the pods a component runs', () => {
    const scope = new Chart(new App(), 'c');
    expect(new HostFirewall(scope, 'fw').podSecurityLevel).toBe(PodSecurityLevel.BASELINE);
    expect(new Multus(scope, 'm').podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    expect(new CozyProxy(scope, 'p').podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('a standalone host firewall labels its own namespace baseline', () => {
    const scope = new App();
    const fw = new HostFirewall(scope, 'fw', { namespace: 'fw-only' });
    const ns = fw.node.findAll().map((c: any) => c.toJson?.()).filter((o) => o?.kind === 'Namespace');
    expect(ns).toEqual([{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'fw-only',
        labels: { 'cozystack.io/system': 'true', [PSA]: 'baseline' },
        annotations: { 'helm.sh/resource-policy': 'keep' },
      },
    }]);
  });

  test('createNamespace: false leaves the Namespace to a later component of the same namespace', () => {
    const out = synth({ components: { multus: { createNamespace: false, namespace: 'cozy-system' } } });
    const ns = namespaceOf(out, 'cozy-system');
    expect(ns).toHaveLength(1);
    expect(ns[0].metadata.labels[PSA]).toBe('privileged');
    expect(out.docs('manifests/cozy-proxy.yaml')[0].kind).toBe('Namespace');
  });
});

describe('noop: the cluster brings its own CNI', () => {
  const multusConfig = (props: any) => JSON.parse(synth({ variant: 'noop', ...props }).docs('manifests/multus.yaml')
    .find((o) => o.kind === 'ConfigMap').data['daemon-config.json']);

  test('Multus delegates to Cilium\'s conflist when the CNI is Cilium, else picks the CNI\'s own', () => {
    expect(multusConfig({ cni: ExternalCni.CILIUM }).multusMasterCNI).toBe('05-cilium.conflist');
    expect(multusConfig({}).multusMasterCNI).toBeUndefined();
    expect(multusConfig({ cni: ExternalCni.OTHER }).multusMasterCNI).toBeUndefined();
    expect(multusConfig({ components: { multus: { masterCni: '10-calico.conflist' } } }).multusMasterCNI).toBe('10-calico.conflist');
  });

  test('the master conflist is a file name', () => {
    expect(() => synth({ components: { multus: { masterCni: '../../etc/passwd' } } }))
      .toThrow(/components\.multus\.masterCni: must be the file name of a CNI configuration in \/etc\/cni\/net\.d ending in \.conflist, \.conf or \.json/);
  });

  test('tenant isolation needs the user to state that the CNI is Cilium', () => {
    const tenants = [{ name: 'root' }];
    expect(() => synth({ variant: 'noop', tenants })).toThrow(/^cni: tenants need Cilium policies: on the noop variant set cni: cilium/m);
    expect(() => synth({ variant: 'noop', cni: ExternalCni.OTHER, tenants })).toThrow(/cni: tenants need Cilium policies.*\(got "other"\)/);
    const out = synth({ variant: 'noop', cni: ExternalCni.CILIUM, tenants });
    expect(out.objects().some((o) => o.kind === 'CiliumClusterwideNetworkPolicy')).toBe(true);
  });

  test('cni is only for noop', () => {
    expect(() => synth({ variant: 'cilium', cni: ExternalCni.CILIUM })).toThrow(/cni: is only for the noop variant \(variant cilium installs Cilium itself\)/);
    expect(() => synth({ variant: 'noop', cni: 'calico' as any })).toThrow(/cni: must be one of cilium, other \(got "calico"\)/);
  });
});

describe('what baseline admits (Pod Security Standards)', () => {
  const pod = (extra: any = {}, container: any = {}) => ({ containers: [{ name: 'c', image: 'x:1', ...container }], ...extra });
  test.each<[string, any, string | undefined]>([
    ['a plain pod', pod(), undefined],
    ['a virt-launcher-like pod (non-root, NET_BIND_SERVICE)', pod({}, { securityContext: { runAsUser: 107, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } } }), undefined],
    ['host network', pod({ hostNetwork: true }), 'hostNetwork'],
    ['host PID', pod({ hostPID: true }), 'hostPID'],
    ['a hostPath volume', pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }), 'hostPath volume h'],
    ['a privileged container', pod({}, { securityContext: { privileged: true } }), 'privileged container c'],
    ['NET_ADMIN', pod({}, { securityContext: { capabilities: { add: ['NET_ADMIN'] } } }), 'capability NET_ADMIN of c'],
    ['SYS_NICE (KubeVirt root mode)', pod({}, { securityContext: { capabilities: { add: ['SYS_NICE'] } } }), 'capability SYS_NICE of c'],
    ['spc_t', pod({}, { securityContext: { seLinuxOptions: { type: 'spc_t' } } }), 'SELinux type spc_t of c'],
    ['a host port', pod({}, { ports: [{ containerPort: 80, hostPort: 80 }] }), 'hostPort 80 of c'],
    ['an unsafe sysctl', pod({ securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1' }] } }), 'sysctl net.core.somaxconn'],
  ])('%s', (_, spec, expected) => {
    expect(baselineViolation(spec)).toBe(expected);
  });
});

describe('Multus options', () => {
  test('without reference plugins, one init container; the pull policy can be changed', () => {
    const out = synth({ components: { multus: { installReferencePlugins: false, imagePullPolicy: ImagePullPolicy.ALWAYS, memoryLimitMiB: 512 } } });
    const pod = out.docs('manifests/multus.yaml').find((o) => o.kind === 'DaemonSet').spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['install-multus-binary']);
    expect([...pod.initContainers, ...pod.containers].map((c: any) => c.imagePullPolicy)).toEqual(['Always', 'Always']);
    expect(pod.containers[0].resources.limits.memory).toBe('512Mi');
  });

  test('bad settings name their field', () => {
    expect(() => synth({ components: { multus: { imagePullPolicy: 'Sometimes' as any } } }))
      .toThrow(/components\.multus\.imagePullPolicy: must be one of IfNotPresent, Always, Never \(got "Sometimes"\)/);
    expect(() => synth({ components: { multus: { memoryLimitMiB: 1e300 } } })).toThrow(/components\.multus\.memoryLimitMiB: must be a whole number of MiB from 128 to 65536/);
    expect(() => synth({ components: { multus: { referencePluginsImage: 'no tag' } } })).toThrow(/components\.multus\.referencePluginsImage: must be a(n| container) image reference/);
  });
});
