/**
 * Issue 21, finding 2: the webhook fails closed (failurePolicy: Fail), so every namespace whose
 * controllers bring it (or its certificate) back must stay out of it, by label and by name:
 * cert-manager's, Flux's, kube-system, and every namespace of the layer's own components. And
 * cert-manager itself is part of the layer, installed after the pod network and before the webhook.
 */
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { CA_BUNDLE, docsOf, issuesOf, one } from './helpers';
import { KubeOvnWebhook } from '../../../src/constructs/kubeovn-webhook';
import { Platform, PlatformProps } from '../../../src/platform/platform';

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'Pod']);

/** Files of a platform, parsed: every manifest object, index.json and the Flux releases. */
function build(props: PlatformProps) {
  const platform = new Platform(new Construct(undefined as any, ''), 'p', { ...props, delivery: { ...props.delivery, terraform: false } });
  const files = platform._renderFiles();
  const parse = (p: string): any[] => parseAllDocuments(files.get(p)!).map((d) => d.toJS());
  const index = JSON.parse(files.get('index.json')!);
  const objects = (index.manifests as string[]).flatMap(parse);
  const hook = objects.find((o) => o.kind === 'MutatingWebhookConfiguration')?.webhooks[0];
  return { files, index, objects, hook, parse };
}

/** Whether the API server sends a pod of namespace `name` (labels `labels`) to the webhook. */
function sent(hook: any, name: string, labels: Record<string, string> = {}): boolean {
  const all: Record<string, string> = { ...labels, 'kubernetes.io/metadata.name': name };
  return hook.namespaceSelector.matchExpressions.every((e: any) => e.operator === 'NotIn' && !e.values.includes(all[e.key]));
}

/** The names the webhook leaves out by name. */
function byName(hook: any): string[] {
  return hook.namespaceSelector.matchExpressions.find((e: any) => e.key === 'kubernetes.io/metadata.name').values;
}

describe('the webhook cannot lock out the controllers that bring it back', () => {
  test('default platform: every namespace of the layer, cert-manager\'s, Flux\'s and kube-system are left out by name', () => {
    const { hook } = build({});
    expect(byName(hook)).toEqual([
      'cozy-cert-manager', 'cozy-cilium', 'cozy-fluxcd', 'cozy-gateway-api-crds', 'cozy-kubeovn', 'cozy-metallb', 'cozy-multus', 'cozy-system', 'kube-system',
    ]);
  });

  test.each([
    ['default', {}],
    ['generic, Flux elsewhere, renamed namespaces', {
      variant: 'kubeovn-cilium-generic',
      cluster: { apiServer: { host: '192.0.2.10', port: 6443 } },
      delivery: { flux: { namespace: 'flux-system' } },
      components: { metallb: { namespace: 'lb' }, certManager: { namespace: 'certs' }, kubeovnWebhook: { namespace: 'antispoof' } },
    }],
  ] as Array<[string, PlatformProps]>)('%s: no pod of the layer waits for the webhook, even with every system label gone', (_, props) => {
    const { hook, objects } = build(props);
    const namespaces = new Set(objects.filter((o) => WORKLOADS.has(o.kind)).map((o) => o.metadata.namespace));
    for (const o of objects.filter((x) => x.kind === 'HelmRelease' || x.kind === 'Namespace')) namespaces.add(o.metadata.namespace ?? o.metadata.name);
    const flux = props.delivery?.flux?.namespace ?? 'cozy-fluxcd';
    namespaces.add(flux);
    namespaces.add('kube-system');
    for (const ns of namespaces) {
      const emitted = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns);
      // by label (when cozynet creates the namespace) ...
      if (emitted) expect([ns, sent(hook, ns, emitted.metadata.labels)]).toEqual([ns, false]);
      // ... and by name, without any label
      expect([ns, sent(hook, ns)]).toEqual([ns, false]);
    }
    expect(byName(hook)).toContain(flux);
    // tenant namespaces are what the webhook is for
    expect(sent(hook, 'tenant-root')).toBe(true);
  });

  test('cert-manager: a Helm release of the pinned jetstack chart with its CRDs, in a restricted system namespace, after the pod network, before the webhook', () => {
    const { index, objects, parse } = build({});
    const names = index.components.map((c: any) => c.name);
    const cm = index.components.find((c: any) => c.name === 'cert-manager');
    expect(cm).toEqual({
      name: 'cert-manager',
      namespace: 'cozy-cert-manager',
      dependsOn: ['cilium', 'kubeovn'],
      chart: { repository: 'https://charts.jetstack.io', name: 'cert-manager', version: 'v1.20.2' },
      values: 'helm/cert-manager.values.yaml',
      manifests: ['manifests/cert-manager.yaml'],
    });
    expect(names.indexOf('cert-manager')).toBeLessThan(names.indexOf('kubeovn-webhook'));
    expect(index.components.find((c: any) => c.name === 'kubeovn-webhook').dependsOn).toEqual(['kubeovn', 'cert-manager']);
    const values = parse('helm/cert-manager.values.yaml')[0];
    expect(values.crds).toEqual({ enabled: true, keep: true });
    expect(values.webhook.securePort).toBe(10260);
    expect(one(objects, 'Namespace', 'cozy-cert-manager').metadata.labels).toEqual({ 'cozystack.io/system': 'true', 'pod-security.kubernetes.io/enforce': 'restricted' });
    const release = parse('flux/releases.yaml').find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'cert-manager');
    expect(release.spec.dependsOn.map((d: any) => d.name)).toEqual(['namespaces', 'cilium', 'kubeovn']);
    const webhookRelease = parse('flux/releases.yaml').find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'kubeovn-webhook');
    expect(webhookRelease.spec.dependsOn.map((d: any) => d.name)).toContain('cert-manager');
  });

  test('the apply script installs cert-manager (waiting for it) after Kube-OVN and before the webhook\'s Issuer and Certificate', () => {
    const { files } = build({});
    const script = files.get('apply/kubectl.sh')!;
    const at = (s: string) => script.indexOf(s);
    expect(script).toContain("helm upgrade --install 'cert-manager' 'cert-manager' --repo 'https://charts.jetstack.io' --version 'v1.20.2' --namespace 'cozy-cert-manager' -f 'helm/cert-manager.values.yaml' --wait");
    expect(at("helm upgrade --install 'kubeovn'")).toBeLessThan(at("helm upgrade --install 'cert-manager'"));
    expect(at("helm upgrade --install 'cert-manager'")).toBeLessThan(at("apply 'kubeovn-webhook'"));
  });

  test('only where something needs it: not with the webhook off or on its own certificate, not on variants without the webhook', () => {
    const has = (props: PlatformProps) => build(props).index.components.some((c: any) => c.name === 'cert-manager');
    expect(has({})).toBe(true);
    expect(has({ components: { kubeovnWebhook: { enabled: false } } })).toBe(false);
    expect(has({ components: { kubeovnWebhook: { certManager: false, caBundle: CA_BUNDLE } } })).toBe(false);
    for (const variant of ['cilium', 'cilium-kilo', 'noop']) expect(has({ variant })).toBe(false);
  });

  test('preinstalled: cozynet installs none, and the webhook leaves the named namespace out', () => {
    const { index, hook, objects } = build({ components: { certManager: { preinstalled: true, namespace: 'cert-manager' } } });
    expect(index.components.map((c: any) => c.name)).not.toContain('cert-manager');
    expect(index.components.find((c: any) => c.name === 'kubeovn-webhook').dependsOn).toEqual(['kubeovn']);
    expect(objects.some((o) => o.kind === 'Namespace' && o.metadata.name === 'cert-manager')).toBe(false);
    expect(byName(hook)).toContain('cert-manager');
    expect(sent(hook, 'cert-manager')).toBe(false);
    // the webhook's Issuer and Certificate are still cert-manager's
    expect(objects.filter((o) => o.apiVersion === 'cert-manager.io/v1').length).toBe(4);
  });

  test('preinstalled needs the namespace, and takes nothing of an install', () => {
    const make = (certManager: any) => () => build({ components: { certManager } });
    expect(issuesOf(make({ preinstalled: true }))).toEqual([{
      path: 'components.certManager.namespace',
      value: 'undefined',
      message: 'is required with preinstalled: true: the namespace the cluster\'s cert-manager runs in (the anti-spoofing webhook leaves it out)',
    }]);
    expect(issuesOf(make({ preinstalled: true, namespace: 'cert-manager', values: { replicaCount: 2 } }))).toEqual([{
      path: 'components.certManager.values',
      value: '{"replicaCount":2}',
      message: 'applies to the cert-manager cozynet installs; with preinstalled: true cozynet installs none',
    }]);
    expect(issuesOf(make({ preinstalled: true, namespace: 'cert-manager', chart: { version: 'v1.19.0' } }))[0].path).toBe('components.certManager.chart');
    expect(issuesOf(make({ preinstalled: 'yes' }))[0].path).toBe('components.certManager.preinstalled');
    expect(issuesOf(make({ preinstalled: true, namespace: 'Not A Namespace' }))[0].path).toBe('components.certManager.namespace');
  });

  test('values of a cert-manager nothing needs are refused, and values the chart does not read too', () => {
    const nothingNeeds = {
      path: 'components.certManager.values',
      value: '{"replicaCount":2}',
      message: 'configures a cert-manager nothing of this platform needs (only the anti-spoofing webhook of the Kube-OVN variants, with its certificate from cert-manager, does), so cozynet installs none',
    };
    const webhookOff = { kubeovnWebhook: { enabled: false }, certManager: { values: { replicaCount: 2 } } };
    expect(issuesOf(() => build({ components: webhookOff }))).toEqual([nothingNeeds]);
    expect(issuesOf(() => build({ variant: 'cilium', components: { certManager: { values: { replicaCount: 2 } } } }))).toEqual([nothingNeeds]);
    expect(issuesOf(() => build({ variant: 'noop', components: { certManager: { chart: { version: 'v1.19.0' } } } }))[0].path).toBe('components.certManager.chart');
    // a namespace alone (e.g. a platform file shared by variants) is harmless
    expect(build({ variant: 'cilium', components: { certManager: { namespace: 'certs' } } }).index.components.some((c: any) => c.name === 'cert-manager')).toBe(false);
    expect(build({ components: { certManager: { values: { replicaCount: 2 } } } }).parse('helm/cert-manager.values.yaml')[0].replicaCount).toBe(2);
    const issues = issuesOf(() => build({ components: { certManager: { values: { crd: { enabled: true } } } } }));
    expect(issues.map((i) => i.message).join('\n')).toMatch(/unknown key crd: the chart declares no such value; did you mean crds\?/);
  });
});

describe('KubeOvnWebhook.excludeNamespaces and exemptNamespaces', () => {
  const names = (docs: any[]) => byName(one(docs, 'MutatingWebhookConfiguration').webhooks[0]);

  test('extra namespaces are left out by name, sorted, each once', () => {
    expect(names(docsOf({ excludeNamespaces: ['flux-system', 'kube-system', 'cert-manager', 'flux-system'] })))
      .toEqual(['cert-manager', 'cozy-kubeovn', 'flux-system', 'kube-system']);
    const app = Testing.app();
    const w = new KubeOvnWebhook(app, 'w');
    w.exemptNamespaces('zz-late', 'aa-late');
    expect(w.excludedNamespaces).toEqual(['aa-late', 'cozy-kubeovn', 'kube-system', 'zz-late']);
    // added after construction, still in the synthesized object
    expect(names(Testing.synth(w))).toEqual(['aa-late', 'cozy-kubeovn', 'kube-system', 'zz-late']);
  });

  test('names must be namespace names', () => {
    const message = 'must be a namespace name (a DNS-1123 label)';
    expect(issuesOf(() => docsOf({ excludeNamespaces: ['ok', 'Bad_Name'] }))).toEqual([{ path: 'excludeNamespaces[1]', value: '"Bad_Name"', message }]);
    expect(issuesOf(() => docsOf({ excludeNamespaces: [7 as any] }))).toEqual([{ path: 'excludeNamespaces[0]', value: '7', message }]);
    expect(issuesOf(() => docsOf({ excludeNamespaces: ['a'.repeat(64)] }))[0].path).toBe('excludeNamespaces[0]');
    expect(names(docsOf({ excludeNamespaces: ['a'.repeat(63), '0', 'a-0'] }))).toContain('a'.repeat(63));
    expect(issuesOf(() => docsOf({ excludeNamespaces: ['-a'] }))[0].path).toBe('excludeNamespaces[0]');
    expect(issuesOf(() => docsOf({ excludeNamespaces: ['a-'] }))[0].path).toBe('excludeNamespaces[0]');
    expect(issuesOf(() => docsOf({ excludeNamespaces: ['xa-', 'ok'] }))[0].value).toBe('"xa-"');
    expect(issuesOf(() => docsOf({ excludeNamespaces: 'kube-system' as any }))).toEqual([{ path: 'excludeNamespaces', value: '"kube-system"', message: 'must be a list of namespace names' }]);
    const w = new KubeOvnWebhook(Testing.app(), 'w');
    expect(issuesOf(() => w.exemptNamespaces('Flux'))).toEqual([{ path: 'excludeNamespaces', value: '"Flux"', message }]);
  });

  test('isKubeOvnWebhook tells the webhook from other constructs', () => {
    const app = Testing.app();
    expect(KubeOvnWebhook.isKubeOvnWebhook(new KubeOvnWebhook(app, 'w'))).toBe(true);
    expect(KubeOvnWebhook.isKubeOvnWebhook(new Construct(app, 'c'))).toBe(false);
    expect(KubeOvnWebhook.isKubeOvnWebhook(null)).toBe(false);
    expect(KubeOvnWebhook.isKubeOvnWebhook('kube-ovn-webhook')).toBe(false);
  });
});
