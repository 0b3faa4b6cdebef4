import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { CrdCatalog } from '../../src/validation/crd-catalog';
import { addKubernetesFormats, isCidr } from '../../src/validation/formats';
import { compileGoPattern, translateGoPattern } from '../../src/validation/go-pattern';
import { hoistRepeatedSubschemas } from '../../src/validation/hoist';
import { ObjectProblem, ObjectValidator, validateObjects } from '../../src/validation/object-validator';

const CRD_DIR = path.join(__dirname, '..', '..', 'crds');
const K8S_SCHEMA_DIR = path.join(__dirname, '..', '..', 'schemas', 'kubernetes');

/** A fresh deep copy, so tests can mutate fixtures freely. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function problemsOf(obj: any): ObjectProblem[] {
  return ObjectValidator.shared().validate(obj);
}

// ---------------------------------------------------------------------------
// Fixtures: realistic objects of every kind cozynet emits.

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'kube-ovn-cni', namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'kube-ovn-cni' } },
  spec: {
    selector: { matchLabels: { app: 'kube-ovn-cni' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
    template: {
      metadata: { labels: { app: 'kube-ovn-cni' }, annotations: { 'cozynet.io/config-hash': 'abc123' } },
      spec: {
        hostNetwork: true,
        hostPID: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
        priorityClassName: 'system-node-critical',
        serviceAccountName: 'kube-ovn-cni',
        tolerations: [{ operator: 'Exists' }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        initContainers: [{
          name: 'install-cni',
          image: 'docker.io/kubeovn/kube-ovn:v1.15.10',
          command: ['/kube-ovn/install-cni.sh'],
          securityContext: { privileged: true, runAsUser: 0 },
          volumeMounts: [{ name: 'cni-bin', mountPath: '/opt/cni/bin' }],
        }],
        containers: [{
          name: 'cni-server',
          image: 'docker.io/kubeovn/kube-ovn:v1.15.10',
          args: ['--enable-mirror=false', '--mtu=1400'],
          env: [
            { name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'OVN_DB_IPS', value: '10.0.0.1' },
          ],
          ports: [{ name: 'metrics', containerPort: 10665, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { memory: '1Gi' } },
          securityContext: { privileged: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN'] } },
          readinessProbe: { exec: { command: ['/kube-ovn/kube-ovn-cni-healthcheck'] }, periodSeconds: 7 },
          livenessProbe: { tcpSocket: { port: 10665 }, initialDelaySeconds: 30 },
          volumeMounts: [
            { name: 'host-modules', mountPath: '/lib/modules', readOnly: true },
            { name: 'host-run-ovs', mountPath: '/run/openvswitch', mountPropagation: 'Bidirectional' },
          ],
        }],
        volumes: [
          { name: 'cni-bin', hostPath: { path: '/opt/cni/bin', type: 'DirectoryOrCreate' } },
          { name: 'host-modules', hostPath: { path: '/lib/modules' } },
          { name: 'host-run-ovs', hostPath: { path: '/run/openvswitch' } },
          { name: 'config', configMap: { name: 'ovn-config', defaultMode: 420 } },
        ],
      },
    },
  },
};

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cilium-config', namespace: 'kube-system' },
  data: { 'enable-ipv4': 'true', 'cluster-name': 'default' },
};

const clusterRole = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'system:kube-ovn-cni' },
  rules: [
    { apiGroups: ['kubeovn.io'], resources: ['subnets', 'vlans', 'provider-networks'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'patch', 'watch'] },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ],
};

const loadBalancerService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'ingress',
    namespace: 'cozy-ingress',
    annotations: { 'metallb.universe.tf/address-pool': 'public' },
  },
  spec: {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    loadBalancerClass: 'metallb',
    selector: { app: 'ingress' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
    ],
  },
};

const ciliumNetworkPolicy = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'deny-world', namespace: 'tenant-a' },
  spec: {
    endpointSelector: { matchLabels: { app: 'web' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-a' } }] }],
    ingressDeny: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '22', protocol: 'ANY' }] }] }],
  },
};

const ciliumClusterwideNetworkPolicy = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumClusterwideNetworkPolicy',
  metadata: { name: 'host-firewall' },
  spec: {
    nodeSelector: {},
    ingressDeny: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '10250', protocol: 'ANY' }] }] }],
  },
};

const ipAddressPool = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'IPAddressPool',
  metadata: { name: 'public', namespace: 'cozy-metallb' },
  spec: { addresses: ['192.0.2.0/28', '2001:db8::/124'], autoAssign: true },
};

const l2Advertisement = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'L2Advertisement',
  metadata: { name: 'public', namespace: 'cozy-metallb' },
  spec: { ipAddressPools: ['public'], interfaces: ['bond0'] },
};

const bgpAdvertisement = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'BGPAdvertisement',
  metadata: { name: 'public', namespace: 'cozy-metallb' },
  spec: { ipAddressPools: ['public'], aggregationLength: 32, communities: ['65535:65282'] },
};

const bgpPeer = {
  apiVersion: 'metallb.io/v1beta2',
  kind: 'BGPPeer',
  metadata: { name: 'tor-a', namespace: 'cozy-metallb' },
  spec: { myASN: 64512, peerASN: 64513, peerAddress: '192.0.2.254', holdTime: '90s', ebgpMultiHop: false },
};

const subnet = {
  apiVersion: 'kubeovn.io/v1',
  kind: 'Subnet',
  metadata: { name: 'ovn-default' },
  spec: {
    protocol: 'IPv4',
    cidrBlock: '10.244.0.0/16',
    gateway: '10.244.0.1',
    excludeIps: ['10.244.0.1'],
    natOutgoing: true,
    default: true,
    provider: 'ovn',
    gatewayType: 'distributed',
  },
};

const providerNetwork = {
  apiVersion: 'kubeovn.io/v1',
  kind: 'ProviderNetwork',
  metadata: { name: 'physnet1' },
  spec: { defaultInterface: 'eth1', excludeNodes: ['master-0'] },
};

const vlan = {
  apiVersion: 'kubeovn.io/v1',
  kind: 'Vlan',
  metadata: { name: 'vlan100' },
  spec: { id: 100, provider: 'physnet1' },
};

const networkAttachmentDefinition = {
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: { name: 'macvlan-conf', namespace: 'tenant-a' },
  spec: { config: JSON.stringify({ cniVersion: '0.3.1', type: 'macvlan', master: 'eth1', mode: 'bridge' }) },
};

const helmRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: { name: 'cilium', namespace: 'cozy-system' },
  spec: { url: 'https://helm.cilium.io', interval: '10m' },
};

const ociRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'OCIRepository',
  metadata: { name: 'kube-ovn', namespace: 'cozy-system' },
  spec: { url: 'oci://ghcr.io/example/charts/kube-ovn', interval: '10m', ref: { tag: 'v1.15.10' } },
};

const helmRelease = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'cilium', namespace: 'cozy-system' },
  spec: {
    interval: '5m',
    releaseName: 'cilium',
    targetNamespace: 'kube-system',
    chart: { spec: { chart: 'cilium', version: '1.19.5', sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
    install: { crds: 'CreateReplace', remediation: { retries: 3 } },
    values: { kubeProxyReplacement: true, ipam: { mode: 'kubernetes' } },
  },
};

const kiloPeer = {
  apiVersion: 'kilo.squat.ai/v1alpha1',
  kind: 'Peer',
  metadata: { name: 'laptop' },
  spec: {
    allowedIPs: ['10.5.0.10/32'],
    publicKey: 'GY5aT1N9dTR/nJnT1N2f4ClZWVj0jOAld0r8ysWLyjg=',
    persistentKeepalive: 10,
    endpoint: { dnsOrIP: { ip: '192.0.2.10' }, port: 51820 },
  },
};

const VALID: Array<[string, any]> = [
  ['apps/v1 DaemonSet', daemonSet],
  ['v1 ConfigMap', configMap],
  ['rbac ClusterRole', clusterRole],
  ['v1 Service (LoadBalancer)', loadBalancerService],
  ['cilium CiliumNetworkPolicy', ciliumNetworkPolicy],
  ['cilium CiliumClusterwideNetworkPolicy', ciliumClusterwideNetworkPolicy],
  ['metallb IPAddressPool', ipAddressPool],
  ['metallb L2Advertisement', l2Advertisement],
  ['metallb BGPAdvertisement', bgpAdvertisement],
  ['metallb v1beta2 BGPPeer', bgpPeer],
  ['kube-ovn Subnet', subnet],
  ['kube-ovn ProviderNetwork', providerNetwork],
  ['kube-ovn Vlan', vlan],
  ['multus NetworkAttachmentDefinition', networkAttachmentDefinition],
  ['flux HelmRepository', helmRepository],
  ['flux OCIRepository', ociRepository],
  ['flux HelmRelease', helmRelease],
  ['kilo Peer', kiloPeer],
];

// ---------------------------------------------------------------------------

describe('ObjectValidator: valid objects pass', () => {
  test.each(VALID)('%s', (_name, obj) => {
    expect(problemsOf(obj)).toEqual([]);
  });

  test('validateObjects returns no lines for valid objects', () => {
    expect(validateObjects(VALID.map(([, obj]) => obj))).toEqual([]);
  });

  test('other core kinds pass', () => {
    const others = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cozy-system', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'Opaque', stringData: { a: 'b' }, data: { c: 'ZA==' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cilium', namespace: 'kube-system' }, automountServiceAccountToken: true },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'cilium' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cilium' },
        subjects: [{ kind: 'ServiceAccount', name: 'cilium', namespace: 'kube-system' }],
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-all', namespace: 'n' },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] },
      },
    ];
    for (const obj of others) expect(problemsOf(obj)).toEqual([]);
  });
});

describe('ObjectValidator: invalid objects are rejected with a useful path', () => {
  test('unknown top-level field', () => {
    const obj = { ...clone(configMap), extra: 1 };
    expect(problemsOf(obj)).toEqual([{ path: '/extra', message: 'unknown field "extra"' }]);
  });

  test('unknown field in spec of a core kind', () => {
    const obj = clone(loadBalancerService) as any;
    obj.spec.loadBalancerIp = '192.0.2.1';
    expect(problemsOf(obj)).toEqual([{ path: '/spec/loadBalancerIp', message: 'unknown field "loadBalancerIp"' }]);
  });

  test('unknown field in spec of a CRD kind', () => {
    const obj = clone(ipAddressPool) as any;
    obj.spec.autoassign = false;
    expect(problemsOf(obj)).toEqual([{ path: '/spec/autoassign', message: 'unknown field "autoassign"' }]);
  });

  test('unknown field deep inside a pod template container', () => {
    const obj = clone(daemonSet) as any;
    obj.spec.template.spec.containers[0].foo = 'bar';
    expect(problemsOf(obj)).toEqual([
      { path: '/spec/template/spec/containers/0/foo', message: 'unknown field "foo"' },
    ]);
  });

  test('unknown field inside metadata, of a core kind and of a CRD kind', () => {
    const core = clone(configMap) as any;
    core.metadata.label = { a: 'b' };
    expect(problemsOf(core)).toEqual([{ path: '/metadata/label', message: 'unknown field "label"' }]);

    const custom = clone(subnet) as any;
    custom.metadata.annotation = { a: 'b' };
    expect(problemsOf(custom)).toEqual([{ path: '/metadata/annotation', message: 'unknown field "annotation"' }]);

    const template = clone(daemonSet) as any;
    template.spec.template.metadata.label = { a: 'b' };
    expect(problemsOf(template)).toEqual([{ path: '/spec/template/metadata/label', message: 'unknown field "label"' }]);
  });

  test('unknown field in a Cilium rule', () => {
    const obj = clone(ciliumClusterwideNetworkPolicy) as any;
    obj.spec.ingressDeny[0].toPorts[0].ports[0].proto = 'TCP';
    expect(problemsOf(obj)).toContainEqual({
      path: '/spec/ingressDeny/0/toPorts/0/ports/0/proto',
      message: 'unknown field "proto"',
    });
  });

  test('wrong types', () => {
    const ds = clone(daemonSet) as any;
    ds.spec.template.spec.hostNetwork = 'true';
    ds.spec.template.spec.containers[0].ports[0].containerPort = '10665';
    expect(problemsOf(ds)).toEqual([
      { path: '/spec/template/spec/containers/0/ports/0/containerPort', message: 'must be integer' },
      { path: '/spec/template/spec/hostNetwork', message: 'must be boolean' },
    ]);

    const peer = clone(bgpPeer) as any;
    peer.spec.myASN = '64512';
    expect(problemsOf(peer)).toEqual([{ path: '/spec/myASN', message: 'must be integer' }]);
  });

  test('int-or-string fields accept both and nothing else', () => {
    const svc = clone(loadBalancerService) as any;
    svc.spec.ports[0].targetPort = true;
    expect(problemsOf(svc)).toEqual([{ path: '/spec/ports/0/targetPort', message: 'must be integer,string' }]);
  });

  test('resource quantities take numbers and quantity strings only', () => {
    const ok = clone(daemonSet) as any;
    ok.spec.template.spec.containers[0].resources = { requests: { cpu: 0.5, memory: '128Mi' }, limits: { cpu: 2 } };
    expect(problemsOf(ok)).toEqual([]);
    const bad = clone(daemonSet) as any;
    bad.spec.template.spec.containers[0].resources.limits.memory = '1 GiB';
    expect(problemsOf(bad)).toEqual([expect.objectContaining({
      path: '/spec/template/spec/containers/0/resources/limits/memory',
    })]);
  });

  test('values outside an enum', () => {
    const obj = clone(ciliumNetworkPolicy) as any;
    obj.spec.ingressDeny[0].toPorts[0].ports[0].protocol = 'ICMP';
    expect(problemsOf(obj)).toEqual([{
      path: '/spec/ingressDeny/0/toPorts/0/ports/0/protocol',
      message: 'must be one of "TCP", "UDP", "SCTP", "ANY"',
    }]);
  });

  test('missing required fields', () => {
    const ds = clone(daemonSet) as any;
    delete ds.spec.selector;
    delete ds.spec.template.spec.volumes[0].hostPath.path;
    expect(problemsOf(ds)).toEqual([
      { path: '/spec/selector', message: 'missing required field "selector"' },
      { path: '/spec/template/spec/volumes/0/hostPath/path', message: 'missing required field "path"' },
    ]);

    const pool = clone(ipAddressPool) as any;
    delete pool.spec.addresses;
    expect(problemsOf(pool)).toEqual([{ path: '/spec/addresses', message: 'missing required field "addresses"' }]);
  });

  test('missing selector of a Cilium policy (oneOf)', () => {
    const obj = clone(ciliumClusterwideNetworkPolicy) as any;
    delete obj.spec.nodeSelector;
    const problems = problemsOf(obj);
    expect(problems).toContainEqual({ path: '/spec/nodeSelector', message: 'missing required field "nodeSelector"' });
    expect(problems).toContainEqual({ path: '/spec', message: 'must match exactly one schema in oneOf' });
  });

  test('apiVersion and kind are pinned', () => {
    const obj = { ...clone(configMap), apiVersion: 'v1', kind: 'ConfigMap' };
    expect(ObjectValidator.shared().hasSchema('v1', 'ConfigMap')).toBe(true);
    expect(problemsOf(obj)).toEqual([]);
  });

  test('unknown kinds and versions have no schema', () => {
    const validator = ObjectValidator.shared();
    expect(problemsOf({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      { path: '/kind', message: 'no schema is known for example.com/v1 Widget' },
    ]);
    expect(problemsOf({ apiVersion: 'metallb.io/v1alpha1', kind: 'IPAddressPool' })).toHaveLength(1);
    expect(problemsOf({ apiVersion: 'v1', kind: 'Widget' })).toHaveLength(1);
    expect(problemsOf({ metadata: {} })[0].message).toMatch(/no schema is known/);
    expect(problemsOf('nope')).toHaveLength(1);
    expect(validator.hasSchema('example.com/v1', 'Widget')).toBe(false);
    expect(validator.hasSchema('cilium.io/v2', 'CiliumNetworkPolicy')).toBe(true);
    expect(validator.hasSchema('metallb.io/v1beta2', 'BGPPeer')).toBe(true);
    expect(validator.hasSchema('apps/v1', 'DaemonSet')).toBe(true);
  });

  test('validateObjects names the object in every line', () => {
    const ds = clone(daemonSet) as any;
    ds.spec.template.spec.containers[0].foo = 'bar';
    const role = clone(clusterRole) as any;
    role.rules[0].verb = role.rules[0].verbs;
    delete role.rules[0].verbs;
    expect(validateObjects([ds, role, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([
      'DaemonSet/kube-system/kube-ovn-cni: /spec/template/spec/containers/0/foo unknown field "foo"',
      'ClusterRole//system:kube-ovn-cni: /rules/0/verbs missing required field "verbs"',
      'ClusterRole//system:kube-ovn-cni: /rules/0/verb unknown field "verb"',
      'Widget//w: /kind no schema is known for example.com/v1 Widget',
    ]);
  });

  test('formats are checked', () => {
    const obj = clone(daemonSet) as any;
    obj.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 40;
    expect(problemsOf(obj)).toEqual([
      { path: '/spec/template/spec/containers/0/ports/0/containerPort', message: 'must match format "int32"' },
    ]);
  });
});

describe('CRD patterns (Go RE2 -> JavaScript)', () => {
  /** Every `pattern` keyword anywhere in a schema. */
  function collectPatterns(node: any, out: Set<string>): Set<string> {
    if (Array.isArray(node)) {
      node.forEach((n) => collectPatterns(n, out));
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'pattern' && typeof value === 'string') out.add(value);
        else collectPatterns(value, out);
      }
    }
    return out;
  }

  test('every pattern in every CRD compiles', () => {
    const versions = new CrdCatalog(CRD_DIR).all();
    expect(versions.length).toBeGreaterThan(30);
    const patterns = collectPatterns(versions.map((v) => v.schema), new Set());
    expect(patterns.size).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const pattern of patterns) {
      try {
        compileGoPattern(pattern);
      } catch (e) {
        failures.push(`${pattern}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('\\PC (printable) accepts text and rejects control characters', () => {
    const rx = compileGoPattern('^\\PC*$');
    expect(rx.test('Hello, wörld ✓')).toBe(true);
    expect(rx.test('bell\u0007')).toBe(false);
  });

  test.each([
    ['^\\pL+$', '^\\p{L}+$', ''],
    ['^\\p{Greek}\\P{Lu}$', '^\\p{Script=Greek}\\P{Lu}$', ''],
    ['^\\p{^L}$', '^\\P{L}$', ''],
    ['\\Aabc\\z', '^abc$', ''],
    ['(?P<name>[[:alpha:]]+)', '(?<name>[A-Za-z]+)', ''],
    ['(?i)^abc$', '^abc$', 'i'],
    ['a\\-b\\:c[\\-x]', 'a-b:c[\\-x]', ''],
    ['\\Qa.b\\E+', 'a\\.b+', ''],
    ['a{2}b{', 'a{2}b\\{', ''],
    ['[]a]', '[\\]a]', ''],
    ['\\x{41}', '\\u{41}', ''],
  ])('translates %s', (go, js, flags) => {
    expect(translateGoPattern(go)).toEqual({ source: js, flags });
    expect(() => compileGoPattern(go)).not.toThrow();
  });

  test('a CRD pattern is enforced', () => {
    const obj = clone(ciliumNetworkPolicy) as any;
    obj.spec.endpointSelector.matchLabels = { app: '-bad-' };
    expect(problemsOf(obj)).toEqual([{
      path: '/spec/endpointSelector/matchLabels/app',
      message: 'must match pattern "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"',
    }]);
  });
});

describe('every schema compiles', () => {
  test('every served CRD version', () => {
    const validator = ObjectValidator.shared();
    const versions = new CrdCatalog(CRD_DIR).all();
    for (const { group, version, kind } of versions) {
      const apiVersion = `${group}/${version}`;
      expect(validator.hasSchema(apiVersion, kind)).toBe(true);
      const problems = validator.validate({ apiVersion, kind, metadata: { name: 'x' } });
      expect(problems.map((p) => p.message).join('\n')).not.toMatch(/no schema is known/);
    }
  });

  test('every generated Kubernetes schema', () => {
    const validator = ObjectValidator.shared();
    const files = fs.readdirSync(K8S_SCHEMA_DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const file of files) {
      const schema = JSON.parse(fs.readFileSync(path.join(K8S_SCHEMA_DIR, file), 'utf8'));
      const apiVersion = schema.properties.apiVersion.const;
      const kind = schema.properties.kind.const;
      expect(file).toBe(`${apiVersion.replace('/', '-')}-${kind}.json`);
      expect(validator.hasSchema(apiVersion, kind)).toBe(true);
      expect(validator.validate({ apiVersion, kind, metadata: { name: 'x' }, bogus: 1 })).toContainEqual({
        path: '/bogus', message: 'unknown field "bogus"',
      });
    }
  });

  test('the required kinds are all there', () => {
    const validator = ObjectValidator.shared();
    const required: Array<[string, string]> = [
      ['v1', 'Namespace'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'ServiceAccount'],
      ['apps/v1', 'DaemonSet'], ['apps/v1', 'Deployment'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
      ['rbac.authorization.k8s.io/v1', 'Role'], ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], ['networking.k8s.io/v1', 'NetworkPolicy'],
    ];
    for (const [apiVersion, kind] of required) expect(validator.hasSchema(apiVersion, kind)).toBe(true);
  });

  test('the CRDs of the project validate as CustomResourceDefinitions', () => {
    const validator = ObjectValidator.shared();
    const files = fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'));
    let count = 0;
    for (const file of files) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
        const crd = doc.toJS();
        if (!crd) continue;
        count++;
        expect({ file, name: crd.metadata.name, problems: validator.validate(crd) }).toEqual({ file, name: crd.metadata.name, problems: [] });
      }
    }
    expect(count).toBeGreaterThan(30);
  });
});

describe('formats', () => {
  const ajv = new Ajv({ strict: false });
  addKubernetesFormats(ajv);
  const check = (format: string, value: unknown) => ajv.validate({ format }, value);

  test.each([
    ['cidr', '10.0.0.0/8', true],
    ['cidr', 'fd00::/64', true],
    ['cidr', '10.0.0.0/33', false],
    ['cidr', '10.0.0.0', false],
    ['ipv4', '192.0.2.1', true],
    ['ipv4', '192.0.2.256', false],
    ['ipv6', '2001:db8::1', true],
    ['ipv6', '192.0.2.1', false],
    ['date-time', '2024-01-02T03:04:05Z', true],
    ['date-time', '2024-01-02', false],
    ['byte', 'ZGF0YQ==', true],
    ['byte', 'not base64!', false],
    ['int32', 2147483647, true],
    ['int32', 2147483648, false],
    ['uint32', -1, false],
    ['int64', 1.5, false],
    ['hostname', 'node-1.example.com', true],
    ['hostname', '-bad', false],
    ['idn-hostname', 'bücher.example', true],
    ['idn-hostname', 'a b', false],
    ['uri', 'https://example.com/x', true],
    ['uri', 'nope', false],
    ['duration', '1h30m', true],
    ['mac', '00:11:22:33:44:55', true],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
  ])('%s %p -> %p', (format, value, valid) => {
    expect(check(format, value)).toBe(valid);
  });

  test('isCidr', () => {
    expect(isCidr('192.0.2.0/24')).toBe(true);
    expect(isCidr('192.0.2.0/x')).toBe(false);
    expect(isCidr('nope/8')).toBe(false);
  });
});

describe('hoistRepeatedSubschemas', () => {
  test('moves repeated subschemas into definitions', () => {
    const big = { type: 'object', properties: { a: { type: 'string', description: 'x'.repeat(50) } }, additionalProperties: false };
    const schema = { type: 'object', properties: { one: big, two: { type: 'array', items: big }, small: { type: 'string' } } };
    const hoisted = hoistRepeatedSubschemas(schema, 40);
    expect(hoisted.properties.one).toEqual({ $ref: '#/definitions/hoisted0' });
    expect(hoisted.properties.two.items).toEqual({ $ref: '#/definitions/hoisted0' });
    expect(hoisted.properties.small).toEqual({ type: 'string' });
    expect(hoisted.definitions.hoisted0).toEqual(big);
    const ajv = new Ajv({ strict: false });
    expect(ajv.validate(hoisted, { one: { a: 'x' }, two: [{ a: 'y' }] })).toBe(true);
    expect(ajv.validate(hoisted, { one: { b: 'x' } })).toBe(false);
  });

  test('leaves schemas without repetition alone', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(hoistRepeatedSubschemas(schema)).toBe(schema);
  });
});
