// The designs issue 21 item 2 allows for the fixes converge by the model (so
// that the model does not refuse them once they are merged): a Cilium
// release without --wait whose Hubble relay/UI is waited for after
// Kube-OVN, and cert-manager delivered by the layer before the webhook.
import { stringify } from 'yaml';
import { dropRelease, editObjects, editValues, outputOf, report } from './helpers';

const HUBBLE = { enabled: true, relay: { enabled: true }, ui: { enabled: true } };

test('kubectl: cilium installed without --wait, Hubble waited for by kubectl rollout status after kubeovn', () => {
  const files = editValues(outputOf(), 'cilium', (v) => {
    v.hubble = HUBBLE;
  });
  const script = files.get('apply/kubectl.sh')!
    .replace(/(helm upgrade --install 'cilium' [^\n]*) --wait --timeout 10m/, '$1')
    .replace(/(echo 'cozynet: kubeovn-webhook')/, "echo 'cozynet: hubble'\nkubectl rollout status deployment/hubble-relay deployment/hubble-ui -n cozy-cilium --timeout=10m\n\n$1");
  files.set('apply/kubectl.sh', script);
  const r = report(files, { assume: { certManager: { namespace: 'cozy-cert-manager', labels: { 'cozystack.io/system': 'true' } }, namespaceLabels: { 'cozy-fluxcd': { 'cozystack.io/system': 'true' } } } });
  const kubectl = r.paths.find((p) => p.path === 'kubectl')!;
  expect(kubectl.findings).toEqual([]);
  const wait = kubectl.steps.find((s) => s.name.startsWith('wait '))!;
  expect(wait).toMatchObject({ name: 'wait Deployment/hubble-relay Deployment/hubble-ui', wait: 'waits 10m', waitsFor: ['Deployment cozy-cilium/hubble-relay', 'Deployment cozy-cilium/hubble-ui'], ok: true });
  // the same wait before kubeovn is refused
  files.set('apply/kubectl.sh', script.replace(/\necho 'cozynet: hubble'\n[^\n]+\n/, '\n').replace(/(echo 'cozynet: kubeovn'\n)/, "echo 'cozynet: hubble'\nkubectl rollout status deployment/hubble-relay -n cozy-cilium\n\n$1"));
  const early = report(files).findings.filter((f) => f.path === 'kubectl' && f.code === 'pod-network');
  expect(early.map((f) => f.message)).toEqual([expect.stringMatching(/^kubectl: step wait Deployment\/hubble-relay \(apply\/kubectl\.sh:\d+\): Deployment cozy-cilium\/hubble-relay is waited on, and it gets no pod address before release kubeovn/)]);
});

test('cert-manager delivered by the layer (its namespace labelled system), ordered after the pod network and before the webhook: all paths converge', () => {
  const files = dropRelease(outputOf(), 'cert-manager');
  files.set('charts/namespaces/templates/namespaces.yaml', `${files.get('charts/namespaces/templates/namespaces.yaml')}---\n${stringify({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cozy-cert-manager', labels: { 'cozystack.io/system': 'true', 'pod-security.kubernetes.io/enforce': 'restricted' } },
  })}`);
  const values = { crds: { enabled: true } };
  files.set('helm/cert-manager.values.yaml', stringify(values));
  // kubectl: after kubeovn, before kubeovn-webhook
  files.set('apply/kubectl.sh', files.get('apply/kubectl.sh')!.replace(/(echo 'cozynet: kubeovn-webhook')/,
    "echo 'cozynet: cert-manager'\nhelm upgrade --install 'cert-manager' 'cert-manager' --repo 'https://charts.jetstack.io' --version 'v1.19.1' --namespace 'cozy-cert-manager' -f 'helm/cert-manager.values.yaml' --wait --timeout 10m\n\n$1"));
  // flux: a HelmRelease after namespaces and kubeovn; the webhook depends on it
  editObjects(files, /^flux\//, (o) => {
    if (o?.kind === 'HelmRelease' && o.metadata.name === 'kubeovn-webhook') o.spec.dependsOn.push({ name: 'cert-manager', namespace: 'cozy-fluxcd' });
    return o;
  });
  files.set('flux/releases.yaml', `${files.get('flux/releases.yaml')}---\n${stringify({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'cert-manager', namespace: 'cozy-fluxcd' },
    spec: { chart: { spec: { chart: 'cert-manager', version: 'v1.19.1', sourceRef: { kind: 'HelmRepository', name: 'cert-manager', namespace: 'cozy-fluxcd' } } }, releaseName: 'cert-manager', targetNamespace: 'cozy-cert-manager', dependsOn: [{ name: 'namespaces', namespace: 'cozy-fluxcd' }, { name: 'kubeovn', namespace: 'cozy-fluxcd' }], values },
  })}`);
  // terraform: a helm_release after namespaces and kubeovn; the webhook depends on it
  const tf = JSON.parse(files.get('terraform/cdk.tf.json')!);
  const rel = tf.resource.helm_release;
  rel.cert_manager = { name: 'cert-manager', namespace: 'cozy-cert-manager', repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.19.1', values: [stringify(values)], depends_on: ['helm_release.namespaces', 'helm_release.kubeovn'] };
  rel.kubeovn_webhook.depends_on.push('helm_release.cert_manager');
  files.set('terraform/cdk.tf.json', JSON.stringify(tf));
  // and the webhook excludes Flux's namespace by name
  editObjects(files, /^charts\/kubeovn-webhook\//, (o) => {
    if (o?.kind === 'MutatingWebhookConfiguration') o.webhooks[0].namespaceSelector.matchExpressions[1].values.push('cozy-fluxcd');
    return o;
  });
  const r = report(files);
  expect(r.findings.map((f) => f.message)).toEqual([]);
  const kubectl = r.paths.find((p) => p.path === 'kubectl')!;
  expect(kubectl.steps.find((s) => s.name === 'cert-manager')).toMatchObject({
    waitsFor: ['Deployment cozy-cert-manager/cert-manager', 'Deployment cozy-cert-manager/cert-manager-webhook', 'Deployment cozy-cert-manager/cert-manager-cainjector'],
    ok: true,
  });
  // cert-manager before kubeovn would wait on pods with no address
  const early = new Map(files);
  early.set('apply/kubectl.sh', files.get('apply/kubectl.sh')!.replace(/\necho 'cozynet: cert-manager'\n[^\n]+\n/, '\n').replace(/(echo 'cozynet: cilium'\n)/, "echo 'cozynet: cert-manager'\nhelm upgrade --install 'cert-manager' 'cert-manager' --repo 'https://charts.jetstack.io' --version 'v1.19.1' --namespace 'cozy-cert-manager' -f 'helm/cert-manager.values.yaml' --wait --timeout 10m\n\n$1"));
  expect(report(early).findings.find((f) => f.path === 'kubectl')!.message).toMatch(/^kubectl: step cert-manager \(apply\/kubectl\.sh:\d+\): Deployment cozy-cert-manager\/cert-manager, Deployment cozy-cert-manager\/cert-manager-webhook, Deployment cozy-cert-manager\/cert-manager-cainjector: each is waited on, and it gets no pod address before release cilium and kubeovn/);
});

test('cert-manager as a local chart of the output (its controller known by its chart\'s labels) also serves the webhook\'s certificate', () => {
  const files = dropRelease(outputOf(), 'cert-manager');
  files.set('charts/namespaces/templates/namespaces.yaml', `${files.get('charts/namespaces/templates/namespaces.yaml')}---\n${stringify({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cozy-cert-manager', labels: { 'cozystack.io/system': 'true', 'pod-security.kubernetes.io/enforce': 'restricted' } },
  })}`);
  const crd = (kind: string, plural: string) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.cert-manager.io` },
    spec: { group: 'cert-manager.io', names: { kind, plural }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
  });
  const restricted = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
  const container = { name: 'controller', image: 'quay.io/jetstack/cert-manager-controller:v1.19.1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
  const controller = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cert-manager', namespace: 'cozy-cert-manager' },
    spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/component': 'controller' } }, spec: { securityContext: restricted, containers: [container] } } },
  };
  files.set('charts/cert-manager/Chart.yaml', stringify({ apiVersion: 'v2', name: 'cert-manager', version: '0.0.0' }));
  files.set('charts/cert-manager/templates/cert-manager.yaml', [crd('Issuer', 'issuers'), crd('Certificate', 'certificates'), controller].map((o) => stringify(o)).join('---\n'));
  files.set('apply/kubectl.sh', files.get('apply/kubectl.sh')!.replace(/(echo 'cozynet: kubeovn-webhook')/,
    "echo 'cozynet: cert-manager'\napply 'cert-manager' 'charts/cert-manager' --namespace 'cozy-cert-manager'\nkubectl wait --for=condition=Established --timeout=120s 'crd/issuers.cert-manager.io' 'crd/certificates.cert-manager.io'\n\n$1"));
  const r = report(files);
  expect(r.paths.find((p) => p.path === 'kubectl')!.findings).toEqual([]);
  expect(r.steadyState.map((f) => f.message)).toEqual([expect.stringContaining('admits the pods of Flux (namespace cozy-fluxcd)')]);
});
