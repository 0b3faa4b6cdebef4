/**
 * The webhook's Deployment, Service, ServiceAccount and RBAC: what the
 * kubelet, Pod Security admission and the API server rely on.
 */
import { docsOf, one } from './helpers';
import { KUBEOVN_WEBHOOK_IMAGE } from '../../../src/constructs/kubeovn-webhook';
import { baselineViolation } from '../../../src/constructs/pod-security';

/** Reasons the pod would be refused under Pod Security "restricted" (the checks that apply to it). */
function restrictedViolations(pod: any): string[] {
  const out: string[] = [];
  const b = baselineViolation(pod);
  if (b !== undefined) out.push(b);
  const psc = pod.securityContext ?? {};
  for (const c of pod.containers) {
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot`);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) out.push(`${c.name}: runAsUser 0`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name}: capabilities.drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${c.name}: adds ${cap}`);
    const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name}: seccompProfile`);
  }
  for (const v of pod.volumes ?? []) {
    if (!['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'].some((k) => k in v)) out.push(`volume ${v.name}`);
  }
  return out;
}

describe('kube-ovn-webhook workload', () => {
  test('Deployment: the reference image by default, 2 replicas, pulled only when missing', () => {
    const deploy = one(docsOf(), 'Deployment');
    expect(deploy.metadata).toMatchObject({ name: 'kube-ovn-webhook', namespace: 'cozy-kubeovn' });
    expect(deploy.spec.replicas).toBe(2);
    const [c] = deploy.spec.template.spec.containers;
    expect(deploy.spec.template.spec.containers).toHaveLength(1);
    expect(c.name).toBe('kube-ovn-webhook');
    expect(c.image).toBe(KUBEOVN_WEBHOOK_IMAGE);
    expect(KUBEOVN_WEBHOOK_IMAGE).toMatch(/^ghcr\.io\/cozystack\/cozystack\/kubeovn-webhook:v1\.6\.0@sha256:[0-9a-f]{64}$/);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  test('image and replicas from props', () => {
    const deploy = one(docsOf({ image: 'registry.example/kubeovn-webhook:v9', replicas: 3 }), 'Deployment');
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.spec.template.spec.containers[0].image).toBe('registry.example/kubeovn-webhook:v9');
    expect(one(docsOf({ replicas: 1 }), 'Deployment').spec.replicas).toBe(1);
  });

  test('the webhook runs with port security on and reads its key pair from the mounted TLS Secret', () => {
    const pod = one(docsOf(), 'Deployment').spec.template.spec;
    const [c] = pod.containers;
    expect(c.args).toEqual(['--tls-cert-file=/etc/webhook/certs/tls.crt', '--tls-key-file=/etc/webhook/certs/tls.key', '--port-security=true']);
    const arg = (flag: string) => c.args.find((a: string) => a.startsWith(`--${flag}=`)).slice(flag.length + 3);
    expect(c.volumeMounts).toEqual([{ name: 'webhook-certs', mountPath: '/etc/webhook/certs', readOnly: true }]);
    const [mount] = c.volumeMounts;
    expect(arg('tls-cert-file')).toBe(`${mount.mountPath}/tls.crt`);
    expect(arg('tls-key-file')).toBe(`${mount.mountPath}/tls.key`);
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    expect(pod.volumes).toEqual([volume]);
    expect(volume.secret).toEqual({ secretName: 'kube-ovn-webhook-tls', defaultMode: 0o400 });
  });

  test('Pod Security "restricted" admits the pod: non-root 65534, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    const pod = one(docsOf(), 'Deployment').spec.template.spec;
    expect(restrictedViolations(pod)).toEqual([]);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.hostNetwork).toBeUndefined();
    // The check itself: each rule is enforced.
    expect(restrictedViolations({ ...pod, securityContext: {} })).toEqual(['kube-ovn-webhook: runAsNonRoot', 'kube-ovn-webhook: seccompProfile']);
    expect(restrictedViolations({ ...pod, containers: [{ name: 'x', securityContext: { runAsUser: 0, capabilities: { add: ['NET_ADMIN'] } } }], volumes: [{ name: 'h', hostPath: { path: '/' } }] }))
      .toEqual(expect.arrayContaining(['x: runAsUser 0', 'x: allowPrivilegeEscalation', 'x: capabilities.drop ALL', 'x: adds NET_ADMIN', 'volume h']));
  });

  test('requests and limits are set', () => {
    const [c] = one(docsOf(), 'Deployment').spec.template.spec.containers;
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
  });

  test('tolerates every NoSchedule and NoExecute taint and CriticalAddonsOnly (runs on tainted control-plane nodes)', () => {
    const pod = one(docsOf(), 'Deployment').spec.template.spec;
    expect(pod.tolerations).toEqual([
      { effect: 'NoSchedule', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
    ]);
  });

  test('the Deployment selects its own pods; the Service selects the same pods and forwards 443 to the container port', () => {
    const docs = docsOf();
    const deploy = one(docs, 'Deployment');
    const svc = one(docs, 'Service');
    const labels = deploy.spec.template.metadata.labels;
    expect(labels).toEqual({ 'app.kubernetes.io/name': 'kube-ovn-webhook', 'app.kubernetes.io/instance': 'kubeovn-webhook' });
    expect(deploy.spec.selector).toEqual({ matchLabels: labels });
    expect(svc.spec.selector).toEqual(labels);
    expect(svc.metadata).toEqual({ name: 'kube-ovn-webhook', namespace: deploy.metadata.namespace, labels });
    expect(deploy.metadata.labels).toEqual(labels);
    expect(svc.spec.type).toBe('ClusterIP');
    const [port] = deploy.spec.template.spec.containers[0].ports;
    expect(port).toEqual({ name: 'https', containerPort: 8443 });
    expect(svc.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: port.containerPort }]);
  });

  test('RBAC: the pods run as a service account that may only get namespaces (for the opt-out annotation)', () => {
    const docs = docsOf();
    const deploy = one(docs, 'Deployment');
    const sa = one(docs, 'ServiceAccount');
    const role = one(docs, 'ClusterRole');
    const binding = one(docs, 'ClusterRoleBinding');
    expect(deploy.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    expect(sa.metadata).toEqual({ name: 'kube-ovn-webhook', namespace: deploy.metadata.namespace, labels: deploy.metadata.labels });
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }]);
    expect(role.metadata).toEqual({ name: 'kube-ovn-webhook', labels: deploy.metadata.labels });
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    expect(binding.metadata).toEqual({ name: 'kube-ovn-webhook', labels: deploy.metadata.labels });
    expect(docs.filter((d) => /Role/.test(d.kind)).map((d) => d.kind)).toEqual(['ClusterRole', 'ClusterRoleBinding']);
  });

  test('the objects a release consists of, in order', () => {
    expect(docsOf().map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/cozy-kubeovn',
      'ServiceAccount/kube-ovn-webhook',
      'ClusterRole/kube-ovn-webhook',
      'ClusterRoleBinding/kube-ovn-webhook',
      'Deployment/kube-ovn-webhook',
      'Service/kube-ovn-webhook',
      'Issuer/kube-ovn-webhook-selfsigned-issuer',
      'Certificate/kube-ovn-webhook-root-ca',
      'Issuer/kube-ovn-webhook-ca-issuer',
      'Certificate/kube-ovn-webhook-cert',
      'MutatingWebhookConfiguration/kube-ovn-webhook',
    ]);
  });
});
