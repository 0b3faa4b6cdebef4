// The fixes of issue 21 item 2 converge by the model: as the renderers write
// them (a Cilium release without a wait whose Hubble relay/UI is waited for
// after Kube-OVN by kubectl rollout status), and in the other shapes the
// issue allows (cert-manager delivered as a local chart or a hand-written
// release before the webhook), so that the model does not refuse them.
import { stringify } from 'yaml';
import { dropRelease, editObjects, editValues, outputOf, report } from './helpers';

const HUBBLE = { enabled: true, relay: { enabled: true }, ui: { enabled: true } };

test('as rendered with Hubble relay and UI: cilium installed without a wait, its host agents waited for at once, Hubble after kubeovn (kubectl rollout status)', () => {
  const files = outputOf({ hubble: { enabled: true, relay: true, ui: true } });
  const r = report(files);
  expect(r.findings.map((f) => f.message)).toEqual([]);
  // every line of the script is one the model reads
  expect(r.notes).toEqual([]);
  const kubectl = r.paths.find((p) => p.path === 'kubectl')!;
  const names = kubectl.steps.map((s) => s.name);
  expect(names.slice(3, 7)).toEqual(['cilium', 'wait DaemonSet/cilium DaemonSet/cilium-envoy Deployment/cilium-operator', 'kubeovn', 'wait Deployment/hubble-relay Deployment/hubble-ui']);
  expect(kubectl.steps[3]).toMatchObject({ wait: 'no wait', ok: true });
  expect(kubectl.steps[4]).toMatchObject({ chart: 'kubectl rollout status', wait: 'waits 10m', waitsFor: ['DaemonSet cozy-cilium/cilium', 'DaemonSet cozy-cilium/cilium-envoy', 'Deployment cozy-cilium/cilium-operator'], ok: true });
  expect(kubectl.steps[6]).toMatchObject({ wait: 'waits 10m', waitsFor: ['Deployment cozy-cilium/hubble-relay', 'Deployment cozy-cilium/hubble-ui'], ok: true });
  for (const p of ['flux', 'terraform']) expect(r.paths.find((x) => x.path === p)!.steps.find((s) => s.name === 'cilium')!.wait).toBe('no wait');
  // the same Hubble wait moved before kubeovn is refused
  const script = files.get('apply/kubectl.sh')!;
  const hubble = /\n(kubectl --namespace 'cozy-cilium' rollout status 'deployment\/hubble-relay'[^\n]*\nkubectl --namespace 'cozy-cilium' rollout status 'deployment\/hubble-ui'[^\n]*)\n/.exec(script)![1];
  const early = new Map(files);
  early.set('apply/kubectl.sh', script.replace(`\n${hubble}\n`, '\n').replace(/(\necho 'cozynet: kubeovn'\n)/, `\n${hubble}\n$1`));
  const stop = report(early).findings.filter((f) => f.path === 'kubectl');
  expect(stop.map((f) => [f.step, f.code])).toEqual([['wait Deployment/hubble-relay Deployment/hubble-ui', 'pod-network']]);
  expect(stop[0].message).toMatch(/^kubectl: step wait Deployment\/hubble-relay Deployment\/hubble-ui \(apply\/kubectl\.sh:\d+\): Deployment cozy-cilium\/hubble-relay, Deployment cozy-cilium\/hubble-ui: each is waited on, and it gets no pod address before release kubeovn/);
  // and a wait on a workload no earlier line creates is refused too
  const missing = new Map(files);
  missing.set('apply/kubectl.sh', script.replace("'deployment/hubble-ui'", "'deployment/hubble-uii'"));
  expect(report(missing).findings.map((f) => f.message)).toEqual([expect.stringContaining('Deployment cozy-cilium/hubble-uii is waited for, and no step before it creates it')]);
});

test('kubectl: a wait line in another spelling (kubectl rollout status KIND/NAME -n NS) is read the same', () => {
  const files = editValues(outputOf(), 'cilium', (v) => {
    v.hubble = HUBBLE;
  });
  const script = files.get('apply/kubectl.sh')!
    .replace(/(helm upgrade --install 'cilium' [^\n]*) --wait --timeout 10m/, '$1')
    .replace(/(echo 'cozynet: kubeovn-webhook')/, "echo 'cozynet: hubble'\nkubectl rollout status deployment/hubble-relay deployment/hubble-ui -n cozy-cilium --timeout=10m\n\n$1");
  files.set('apply/kubectl.sh', script);
  const r = report(files);
  const kubectl = r.paths.find((p) => p.path === 'kubectl')!;
  expect(kubectl.findings).toEqual([]);
  const wait = kubectl.steps.find((s) => s.name.startsWith('wait '))!;
  expect(wait).toMatchObject({ name: 'wait Deployment/hubble-relay Deployment/hubble-ui', wait: 'waits 10m', waitsFor: ['Deployment cozy-cilium/hubble-relay', 'Deployment cozy-cilium/hubble-ui'], ok: true });
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
    waitsFor: ['Deployment cozy-cert-manager/cert-manager', 'Deployment cozy-cert-manager/cert-manager-webhook', 'Deployment cozy-cert-manager/cert-manager-cainjector', 'Job cozy-cert-manager/cert-manager-startupapicheck'],
    ok: true,
  });
  // cert-manager before kubeovn would wait on pods with no address
  const early = new Map(files);
  early.set('apply/kubectl.sh', files.get('apply/kubectl.sh')!.replace(/\necho 'cozynet: cert-manager'\n[^\n]+\n/, '\n').replace(/(echo 'cozynet: cilium'\n)/, "echo 'cozynet: cert-manager'\nhelm upgrade --install 'cert-manager' 'cert-manager' --repo 'https://charts.jetstack.io' --version 'v1.19.1' --namespace 'cozy-cert-manager' -f 'helm/cert-manager.values.yaml' --wait --timeout 10m\n\n$1"));
  expect(report(early).findings.find((f) => f.path === 'kubectl')!.message).toMatch(/^kubectl: step cert-manager \(apply\/kubectl\.sh:\d+\): Deployment cozy-cert-manager\/cert-manager, Deployment cozy-cert-manager\/cert-manager-webhook, Deployment cozy-cert-manager\/cert-manager-cainjector, Job cozy-cert-manager\/cert-manager-startupapicheck: each is waited on, and it gets no pod address before release cilium and kubeovn/);
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
  // the rendered webhook leaves cert-manager's and Flux's namespaces out by name: nothing it needs is gated
  expect(r.steadyState).toEqual([]);
});
