/**
 * The serving certificate: cert-manager's chain from a self-signed root to
 * the Secret the pods mount, or the user's own Secret and CA.
 */
import { CA_BUNDLE, docsOf, one } from './helpers';

describe('kube-ovn-webhook certificates', () => {
  test('cert-manager chain: self-signed Issuer -> root CA Certificate -> CA Issuer -> serving Certificate in the mounted Secret', () => {
    const docs = docsOf();
    const certManagerDocs = docs.filter((d) => d.apiVersion === 'cert-manager.io/v1');
    expect(certManagerDocs).toHaveLength(4);
    const ns = one(docs, 'Deployment').metadata.namespace;
    for (const d of certManagerDocs) expect(d.metadata.namespace).toBe(ns);

    const selfSigned = one(docs, 'Issuer', 'kube-ovn-webhook-selfsigned-issuer');
    expect(selfSigned.spec).toEqual({ selfSigned: {} });

    const root = one(docs, 'Certificate', 'kube-ovn-webhook-root-ca');
    expect(root.spec).toEqual({
      secretName: 'kube-ovn-webhook-root-ca',
      duration: '43800h',
      commonName: 'kube-ovn-webhook-root-ca',
      isCA: true,
      privateKey: { rotationPolicy: 'Never' },
      issuerRef: { name: selfSigned.metadata.name },
    });

    const caIssuer = one(docs, 'Issuer', 'kube-ovn-webhook-ca-issuer');
    expect(caIssuer.spec).toEqual({ ca: { secretName: root.spec.secretName } });

    const serving = one(docs, 'Certificate', 'kube-ovn-webhook-cert');
    expect(serving.spec.issuerRef).toEqual({ name: caIssuer.metadata.name });
    expect(serving.spec).toMatchObject({ duration: '8760h', renewBefore: '720h', commonName: 'kube-ovn-webhook-tls' });
    const pod = one(docs, 'Deployment').spec.template.spec;
    const mounted = pod.volumes.find((v: any) => v.name === pod.containers[0].volumeMounts[0].name);
    expect(serving.spec.secretName).toBe(mounted.secret.secretName);
    expect(serving.spec.secretName).toBe('kube-ovn-webhook-tls');
  });

  test('the serving certificate is valid for the name the API server dials: <service>.<namespace>.svc', () => {
    const docs = docsOf();
    const { service } = one(docs, 'MutatingWebhookConfiguration').webhooks[0].clientConfig;
    const serving = one(docs, 'Certificate', 'kube-ovn-webhook-cert');
    expect(serving.spec.dnsNames).toEqual([service.name, `${service.name}.${service.namespace}.svc`]);
    expect(serving.spec.dnsNames).toContain('kube-ovn-webhook.cozy-kubeovn.svc');
  });

  test('certManager defaults to true', () => {
    expect(docsOf().filter((d) => d.apiVersion === 'cert-manager.io/v1').map((d) => d.metadata.name))
      .toEqual(docsOf({ certManager: true }).filter((d) => d.apiVersion === 'cert-manager.io/v1').map((d) => d.metadata.name));
    expect(one(docsOf({}), 'MutatingWebhookConfiguration').metadata.annotations).toBeDefined();
  });

  test('without cert-manager: no cert-manager objects, the pods still mount kube-ovn-webhook-tls', () => {
    const docs = docsOf({ certManager: false, caBundle: CA_BUNDLE });
    expect(docs.filter((d) => d.apiVersion === 'cert-manager.io/v1')).toEqual([]);
    const pod = one(docs, 'Deployment').spec.template.spec;
    expect(pod.volumes).toEqual([{ name: 'webhook-certs', secret: { secretName: 'kube-ovn-webhook-tls', defaultMode: 0o400 } }]);
    expect(docs.map((d) => d.kind)).toEqual([
      'Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service', 'MutatingWebhookConfiguration',
    ]);
  });
});
