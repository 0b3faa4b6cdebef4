/**
 * The MutatingWebhookConfiguration: what the API server does with it
 * (which pods it sends, where, what happens while the webhook is down).
 */
import { CA_BUNDLE, docsOf, one } from './helpers';

describe('kube-ovn-webhook admission configuration', () => {
  test('one webhook: fails closed, no side effects, only pod CREATE in the core v1 API, AdmissionReview v1', () => {
    const mwc = one(docsOf(), 'MutatingWebhookConfiguration');
    expect(mwc.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(mwc.metadata.name).toBe('kube-ovn-webhook');
    expect(mwc.webhooks).toHaveLength(1);
    const hook = mwc.webhooks[0];
    expect(hook.name).toBe('kube-ovn-webhook.cozystack.io');
    expect(hook.failurePolicy).toBe('Fail');
    expect(hook.sideEffects).toBe('None');
    expect(hook.admissionReviewVersions).toEqual(['v1']);
    expect(hook.rules).toEqual([{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }]);
  });

  test('system namespaces (cozystack.io/system: "true"), kube-system and its own namespace are never sent to the webhook', () => {
    const hook = one(docsOf(), 'MutatingWebhookConfiguration').webhooks[0];
    expect(hook.namespaceSelector).toEqual({
      matchExpressions: [
        { key: 'cozystack.io/system', operator: 'NotIn', values: ['true'] },
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['cozy-kubeovn', 'kube-system'] },
      ],
    });
    expect(hook.objectSelector).toBeUndefined();
  });

  test("the webhook's own namespace is a system namespace, so its pods never wait for themselves", () => {
    const docs = docsOf();
    const hook = one(docs, 'MutatingWebhookConfiguration').webhooks[0];
    const ns = one(docs, 'Namespace');
    expect(ns.metadata.name).toBe(one(docs, 'Deployment').metadata.namespace);
    const systemRule = hook.namespaceSelector.matchExpressions.find((e: any) => e.key in ns.metadata.labels);
    expect(systemRule).toEqual({ key: 'cozystack.io/system', operator: 'NotIn', values: [ns.metadata.labels['cozystack.io/system']] });
  });

  test('its own namespace is left out by name too, whether cozynet creates it (label) or not (a namespace created elsewhere may lack the label)', () => {
    const selector = (props: object) => one(docsOf(props), 'MutatingWebhookConfiguration').webhooks[0].namespaceSelector.matchExpressions;
    expect(selector({ createNamespace: false })).toEqual([
      { key: 'cozystack.io/system', operator: 'NotIn', values: ['true'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['cozy-kubeovn', 'kube-system'] },
    ]);
    expect(selector({ createNamespace: false, namespace: 'net-webhook' })[1].values).toEqual(['kube-system', 'net-webhook']);
    expect(selector({ createNamespace: false, namespace: 'kube-system' })[1].values).toEqual(['kube-system']);
    expect(selector({ createNamespace: true, namespace: 'net-webhook' })[1].values).toEqual(['kube-system', 'net-webhook']);
  });

  test.each([
    {},
    { namespace: 'net-webhook' },
    { createNamespace: false },
    { createNamespace: false, namespace: 'net-webhook' },
    { createNamespace: false, namespace: 'kube-system' },
    { createNamespace: true, namespace: 'kube-system' },
  ])('the webhook never intercepts its own pods (%j)', (props) => {
    const docs = docsOf(props);
    const ownNamespace = one(docs, 'Deployment').metadata.namespace;
    const emitted = docs.find((d) => d.kind === 'Namespace' && d.metadata.name === ownNamespace);
    const labels = { ...(emitted?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ownNamespace };
    const { matchExpressions } = one(docs, 'MutatingWebhookConfiguration').webhooks[0].namespaceSelector;
    // The API server sends a pod only when every NotIn expression holds for its namespace's labels.
    const sent = matchExpressions.every((e: any) => e.operator === 'NotIn' && !e.values.includes(labels[e.key]));
    expect(sent).toBe(false);
  });

  test('the API server calls the Service at /mutate-pods (the path the webhook serves)', () => {
    const docs = docsOf();
    const svc = one(docs, 'Service');
    const { service } = one(docs, 'MutatingWebhookConfiguration').webhooks[0].clientConfig;
    expect(service).toEqual({ name: svc.metadata.name, namespace: svc.metadata.namespace, path: '/mutate-pods' });
    // No port: the API server uses 443, the Service's port.
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([443]);
  });

  test('with cert-manager: the CA injector fills in caBundle from the serving Certificate', () => {
    const docs = docsOf({ certManager: true });
    const mwc = one(docs, 'MutatingWebhookConfiguration');
    const cert = one(docs, 'Certificate', 'kube-ovn-webhook-cert');
    expect(mwc.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': `${cert.metadata.namespace}/${cert.metadata.name}` });
    expect(mwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('cozy-kubeovn/kube-ovn-webhook-cert');
    expect(mwc.webhooks[0].clientConfig).not.toHaveProperty('caBundle');
  });

  test('without cert-manager: the given caBundle, no injector annotation', () => {
    const mwc = one(docsOf({ certManager: false, caBundle: CA_BUNDLE }), 'MutatingWebhookConfiguration');
    expect(mwc.webhooks[0].clientConfig.caBundle).toBe(CA_BUNDLE);
    expect(mwc.metadata.annotations).toBeUndefined();
    expect(mwc.webhooks[0].clientConfig.service.path).toBe('/mutate-pods');
  });

  test('labelled like the rest of the release', () => {
    const docs = docsOf();
    expect(one(docs, 'MutatingWebhookConfiguration').metadata.labels).toEqual(one(docs, 'Deployment').metadata.labels);
  });
});
