/**
 * What a real cluster needs beyond schema-valid objects (issue 10, Helm-values
 * half): anti-spoofing in the Kube-OVN variants, the Gateway API CRDs before
 * Cilium, LB-IPAM left to MetalLB, the distribution's control-plane label.
 * Table-driven over the six variants, on the synthesized output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { _buildGatewayApiBundle } from '../../src/constructs/gateway-api-crds';
import { validateObjects } from '../../src/validation/object-validator';
import { API_SERVER, propsFor, synth } from '../helpers/synth';

/** A test CA certificate, base64 (test/fixtures/webhook-ca/ca1.pem). */
const TEST_CA = Buffer.from(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'webhook-ca', 'ca1.pem'))).toString('base64');

const VARIANTS: Array<{ variant: string; kubeOvn: boolean; cilium: boolean; talos: boolean }> = [
  { variant: 'kubeovn-cilium', kubeOvn: true, cilium: true, talos: true },
  { variant: 'kubeovn-cilium-generic', kubeOvn: true, cilium: true, talos: false },
  { variant: 'cilium', kubeOvn: false, cilium: true, talos: true },
  { variant: 'cilium-generic', kubeOvn: false, cilium: true, talos: false },
  { variant: 'cilium-kilo', kubeOvn: false, cilium: true, talos: true },
  { variant: 'noop', kubeOvn: false, cilium: false, talos: false },
];

const GATEWAY_CRDS = [
  'backendtlspolicies', 'gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'listenersets', 'referencegrants',
  'tcproutes', 'tlsroutes', 'udproutes',
].map((n) => `${n}.gateway.networking.k8s.io`).concat(['xbackendtrafficpolicies', 'xmeshes'].map((n) => `${n}.gateway.networking.x-k8s.io`));

describe.each(VARIANTS)('$variant', (v) => {
  const out = synth(propsFor(v.variant));
  const component = (name: string) => out.index.components.find((c: any) => c.name === name);

  test('anti-spoofing: the Kube-OVN variants set port security on every pod outside system namespaces (facts §11)', () => {
    const webhook = component('kubeovn-webhook');
    if (!v.kubeOvn) {
      expect(webhook).toBeUndefined();
      expect(out.objects().some((o) => o.kind === 'MutatingWebhookConfiguration')).toBe(false);
      return;
    }
    expect(webhook).toMatchObject({ namespace: 'cozy-kubeovn', dependsOn: ['kubeovn', 'cert-manager'], chart: null, manifests: ['manifests/kubeovn-webhook.yaml'] });
    const docs = out.docs('manifests/kubeovn-webhook.yaml');
    const mwc = docs.find((o) => o.kind === 'MutatingWebhookConfiguration');
    expect(mwc.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'cozy-kubeovn/kube-ovn-webhook-cert' });
    expect(mwc.webhooks).toHaveLength(1);
    const hook = mwc.webhooks[0];
    expect(hook).toMatchObject({
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      clientConfig: { service: { name: 'kube-ovn-webhook', namespace: 'cozy-kubeovn', path: '/mutate-pods' } },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    });
    expect(hook.namespaceSelector.matchExpressions).toEqual([
      { key: 'cozystack.io/system', operator: 'NotIn', values: ['true'] },
      // by name too: every namespace of the layer's controllers, cert-manager's and Flux's (issue 21)
      {
        key: 'kubernetes.io/metadata.name',
        operator: 'NotIn',
        values: ['cozy-cert-manager', 'cozy-cilium', 'cozy-fluxcd', 'cozy-gateway-api-crds', 'cozy-kubeovn', 'cozy-metallb', 'cozy-multus', 'cozy-system', 'kube-system'],
      },
    ]);
    // The webhook's own namespace is a system namespace: its pods never wait for themselves.
    const ns = out.objects().find((o) => o.kind === 'Namespace' && o.metadata.name === 'cozy-kubeovn');
    expect(ns.metadata.labels['cozystack.io/system']).toBe('true');

    const deploy = docs.find((o) => o.kind === 'Deployment');
    const pod = deploy.spec.template.spec;
    expect(deploy.metadata.namespace).toBe('cozy-kubeovn');
    expect(deploy.spec.replicas).toBe(2);
    expect(pod.containers[0]).toMatchObject({
      image: expect.stringMatching(/^ghcr\.io\/cozystack\/cozystack\/kubeovn-webhook:v1\.6\.0@sha256:[0-9a-f]{64}$/),
      imagePullPolicy: 'IfNotPresent',
      args: expect.arrayContaining(['--port-security=true', '--tls-cert-file=/etc/webhook/certs/tls.crt', '--tls-key-file=/etc/webhook/certs/tls.key']),
      ports: [{ name: 'https', containerPort: 8443 }],
    });
    expect(pod.volumes).toEqual([{ name: 'webhook-certs', secret: { secretName: 'kube-ovn-webhook-tls', defaultMode: 0o400 } }]);
    const svc = docs.find((o) => o.kind === 'Service');
    expect(svc.spec.selector).toEqual(deploy.spec.selector.matchLabels);
    expect(svc.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }]);
    // The serving certificate comes from cert-manager, for the Service's DNS names.
    const cert = docs.find((o) => o.kind === 'Certificate' && o.metadata.name === 'kube-ovn-webhook-cert');
    expect(cert.spec).toMatchObject({ secretName: 'kube-ovn-webhook-tls', dnsNames: ['kube-ovn-webhook', 'kube-ovn-webhook.cozy-kubeovn.svc'], issuerRef: { name: 'kube-ovn-webhook-ca-issuer' } });
    expect(docs.filter((o) => o.kind === 'Issuer').map((o) => o.metadata.name)).toEqual(['kube-ovn-webhook-selfsigned-issuer', 'kube-ovn-webhook-ca-issuer']);
    const role = docs.find((o) => o.kind === 'ClusterRole');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }]);
    expect(validateObjects(docs)).toEqual([]);
  });

  test('Gateway API CRDs: a component before Cilium whenever its Gateway API support is on (facts §3, §11)', () => {
    const crds = component('gateway-api-crds');
    if (!v.cilium) {
      expect(crds).toBeUndefined();
      return;
    }
    expect(out.index.components[0].name).toBe('gateway-api-crds');
    expect(crds).toMatchObject({ namespace: 'cozy-gateway-api-crds', dependsOn: [], chart: null, manifests: ['manifests/gateway-api-crds.yaml'] });
    expect(component('cilium').dependsOn).toContain('gateway-api-crds');
    expect(out.values('cilium').gatewayAPI).toEqual({ enabled: true, enableAlpn: true });
    const docs = out.docs('manifests/gateway-api-crds.yaml');
    const defs = docs.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(defs.map((o) => o.metadata.name)).toEqual(GATEWAY_CRDS);
    for (const d of defs) {
      expect(d.metadata.annotations).toMatchObject({
        'helm.sh/resource-policy': 'keep',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
        'gateway.networking.k8s.io/bundle-version': 'v1.5.1',
        'gateway.networking.k8s.io/channel': 'experimental',
      });
    }
    expect(docs.filter((o) => o.kind !== 'CustomResourceDefinition').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/cozy-gateway-api-crds',
      'ValidatingAdmissionPolicy/safe-upgrades.gateway.networking.k8s.io',
      'ValidatingAdmissionPolicyBinding/safe-upgrades.gateway.networking.k8s.io',
    ]);
  });

  test('LB-IPAM is left to MetalLB, and the speaker announces from Talos control-plane nodes (facts §3, §12)', () => {
    if (v.cilium) expect(out.values('cilium').defaultLBServiceIPAM).toBe('none');
    expect(out.values('metallb').speaker.ignoreExcludeLB).toBe(v.talos ? true : undefined);
    expect(out.values('metallb').speaker.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } });
  });
});

describe('anti-spoofing settings', () => {
  test('off: no webhook, nothing else changes', () => {
    const out = synth({ components: { kubeovnWebhook: { enabled: false } } });
    expect(out.index.components.map((c: any) => c.name)).not.toContain('kubeovn-webhook');
    expect(out.files.has('manifests/kubeovn-webhook.yaml')).toBe(false);
  });

  test('without cert-manager: the user gives the CA, no cert-manager objects', () => {
    const out = synth({ components: { kubeovnWebhook: { certManager: false, caBundle: TEST_CA } } });
    const docs = out.docs('manifests/kubeovn-webhook.yaml');
    expect(docs.some((o) => o.apiVersion === 'cert-manager.io/v1')).toBe(false);
    const mwc = docs.find((o) => o.kind === 'MutatingWebhookConfiguration');
    expect(mwc.metadata.annotations).toBeUndefined();
    expect(mwc.webhooks[0].clientConfig.caBundle).toBe(TEST_CA);
  });

  test('mistakes name the field', () => {
    expect(() => synth({ components: { kubeovnWebhook: { certManager: false } } })).toThrow(/components\.kubeovnWebhook\.caBundle: is required with certManager: false/);
    expect(() => synth({ components: { kubeovnWebhook: { caBundle: 'QUJD' } } })).toThrow(/components\.kubeovnWebhook\.caBundle: is injected by cert-manager/);
    expect(() => synth({ components: { kubeovnWebhook: { replicas: 0 } } })).toThrow(/components\.kubeovnWebhook\.replicas: must be a whole number of at least 1/);
    expect(() => synth({ components: { kubeovnWebhook: { enabled: 'yes' as any } } })).toThrow(/components\.kubeovnWebhook\.enabled: must be true or false/);
    expect(() => synth({ components: { kubeovnWebhook: { image: 'Registry/Webhook Image' } } })).toThrow(/components\.kubeovnWebhook\.image: must be a container image reference/);
    expect(() => synth({ components: { kubeovnWebhook: { namespace: 'Kube_OVN' } } })).toThrow(/components\.kubeovnWebhook\.namespace: must be a DNS-1123 label/);
  });
});

describe('Gateway API settings', () => {
  test.each([
    ['components.cilium.gatewayApi: false', { components: { cilium: { gatewayApi: false } } }],
    ['gatewayAPI.enabled: false in the Cilium values', { components: { cilium: { values: { gatewayAPI: { enabled: false } } } } }],
  ])('%s: no CRDs, Cilium does not wait for them, ALPN (read only with Gateway API) not emitted', (_, props) => {
    const out = synth(props as any);
    expect(out.index.components.map((c: any) => c.name)).not.toContain('gateway-api-crds');
    expect(out.index.components.find((c: any) => c.name === 'cilium').dependsOn).toEqual([]);
    expect(out.values('cilium').gatewayAPI).toEqual({ enabled: false });
  });

  test('CRDs from elsewhere: Gateway API stays on, cozynet installs no CRDs', () => {
    const out = synth({ components: { gatewayApiCrds: { enabled: false } } });
    expect(out.index.components.map((c: any) => c.name)).not.toContain('gateway-api-crds');
    expect(out.values('cilium').gatewayAPI.enabled).toBe(true);
  });

  test('the bundle is written as kept in the project: each document parses to the object cozynet reports', () => {
    const bundle = _buildGatewayApiBundle();
    expect(bundle.documents).toHaveLength(14);
    for (const d of bundle.documents) expect(parse(d.yaml)).toEqual(JSON.parse(d.json));
    // Written out verbatim: the manifest is the documents joined, nothing re-serialized.
    const out = synth({ variant: 'cilium' });
    const text = out.files.get('manifests/gateway-api-crds.yaml')!;
    for (const d of bundle.documents) expect(text).toContain(d.yaml);
    expect(validateObjects(out.docs('manifests/gateway-api-crds.yaml'))).toEqual([]);
  });
});

describe('IPv6 single-stack clusters', () => {
  test('Cilium runs its IPv6 datapath, not its IPv4 one (chart defaults are the reverse)', () => {
    const v = synth({ cluster: { podCidr: 'fd00:10:244::/64', serviceCidr: 'fd00:10:96::/112', joinCidr: 'fd00:100:64::/64' } }).values('cilium');
    expect({ ipv4: v.ipv4, ipv6: v.ipv6 }).toEqual({ ipv4: { enabled: false }, ipv6: { enabled: true } });
    const v4 = synth({}).values('cilium');
    expect({ ipv4: v4.ipv4, ipv6: v4.ipv6 }).toEqual({ ipv4: undefined, ipv6: undefined });
  });
});

describe('distributions (facts §12)', () => {
  test.each([
    ['kubeadm', 'node-role.kubernetes.io/control-plane'],
    ['k3s', 'node-role.kubernetes.io/control-plane=true'],
    ['rke2', 'node-role.kubernetes.io/control-plane=true'],
  ])('%s: Kube-OVN finds control-plane nodes by %s', (distribution, label) => {
    const out = synth({ variant: 'kubeovn-cilium-generic', cluster: { apiServer: API_SERVER, distribution: distribution as any } });
    expect(out.values('kubeovn').MASTER_NODES_LABEL).toBe(label);
  });

  test('default on generic variants: k3s/RKE2, as the reference platform', () => {
    expect(synth(propsFor('kubeovn-cilium-generic')).values('kubeovn').MASTER_NODES_LABEL).toBe('node-role.kubernetes.io/control-plane=true');
  });

  test('mistakes name the field', () => {
    expect(() => synth({ variant: 'kubeovn-cilium-generic', cluster: { apiServer: API_SERVER, distribution: 'openshift' as any } }))
      .toThrow(/cluster\.distribution: must be one of kubeadm, k3s, rke2 \(got "openshift"\)/);
    expect(() => synth({ cluster: { distribution: 'kubeadm' as any } })).toThrow(/cluster\.distribution: applies to the \*-generic variants only/);
  });
});

describe('cozy-proxy wholeIP on Cilium 1.19 (facts §12)', () => {
  const props = {
    variant: 'cilium',
    loadBalancer: { pools: [{ name: 'public', addresses: ['192.0.2.32/28'], l2: {} }] },
    passthrough: [{ name: 'vm1', namespace: 'vms', selector: { 'vm.kubevirt.io/name': 'vm1' }, pool: 'public', address: '192.0.2.35', wholeIp: true }],
  };

  test('the Service is handed to cozy-proxy (Cilium skips it) and has no load-balancer class (MetalLB gives its address)', () => {
    const out = synth(props as any);
    const svc = out.docs('manifests/passthrough.yaml').find((o) => o.kind === 'Service');
    expect(svc.metadata.labels['service.kubernetes.io/service-proxy-name']).toBe('cozy-proxy');
    expect(svc.metadata.annotations['networking.cozystack.io/wholeIP']).toBe('true');
    expect(svc.spec.loadBalancerClass).toBeUndefined();
    // Cilium handles every Service without a proxy-name label only while its own name is unset,
    // and programs wildcard drop entries only for addresses its LB-IPAM allocates.
    const cilium = out.values('cilium');
    expect(cilium.k8s?.serviceProxyName).toBeUndefined();
    expect(cilium.defaultLBServiceIPAM).toBe('none');
  });

  test('a user value that would make Cilium take the Service back is an error', () => {
    expect(() => synth({ ...props, components: { cilium: { values: { k8s: { serviceProxyName: 'cilium' } } } } } as any))
      .toThrow(/components\.cilium\.values: cilium values: k8s\.serviceProxyName: must stay unset.*cozy-proxy/);
  });
});
