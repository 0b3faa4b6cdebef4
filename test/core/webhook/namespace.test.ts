/** The namespace override (ComponentOptions.namespace) reaches every reference to the namespace. */
import { docsOf, one } from './helpers';

describe('kube-ovn-webhook in another namespace', () => {
  test('every namespaced object, the binding subject, the webhook service, the CA injection and the DNS names follow it', () => {
    const docs = docsOf({ namespace: 'net-webhook' });
    expect(one(docs, 'Namespace').metadata.name).toBe('net-webhook');
    expect(one(docs, 'Namespace').metadata.labels['cozystack.io/system']).toBe('true');
    const namespaced = docs.filter((d) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration'].includes(d.kind));
    expect(namespaced).toHaveLength(7);
    for (const d of namespaced) expect(`${d.kind}/${d.metadata.name} ${d.metadata.namespace}`).toBe(`${d.kind}/${d.metadata.name} net-webhook`);
    expect(one(docs, 'ClusterRoleBinding').subjects[0].namespace).toBe('net-webhook');
    const mwc = one(docs, 'MutatingWebhookConfiguration');
    expect(mwc.webhooks[0].clientConfig.service.namespace).toBe('net-webhook');
    expect(mwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('net-webhook/kube-ovn-webhook-cert');
    expect(one(docs, 'Certificate', 'kube-ovn-webhook-cert').spec.dnsNames).toEqual(['kube-ovn-webhook', 'kube-ovn-webhook.net-webhook.svc']);
  });

  test('the release name is the instance label of the pods and of the Service selector', () => {
    const docs = docsOf({ releaseName: 'antispoof' });
    const labels = one(docs, 'Deployment').spec.template.metadata.labels;
    expect(labels).toEqual({ 'app.kubernetes.io/name': 'kube-ovn-webhook', 'app.kubernetes.io/instance': 'antispoof' });
    expect(one(docs, 'Service').spec.selector).toEqual(labels);
  });
});
