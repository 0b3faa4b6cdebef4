import { X509Certificate } from 'crypto';
import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, ComponentOptions, SYSTEM_NAMESPACE_LABEL } from './component';
import { fail } from '../model/errors';

/** The reference platform's kubeovn-webhook image (packages/system/kubeovn-webhook/values.yaml). */
export const KUBEOVN_WEBHOOK_IMAGE = 'ghcr.io/cozystack/cozystack/kubeovn-webhook:v1.6.0@sha256:593c324a38db59495497c5b68b90cad25dfe6753c73b7a287b3280e26f70a15f';

const WEBHOOK_SYMBOL = Symbol.for('cozynet.KubeOvnWebhook');
const NAME = 'kube-ovn-webhook';
const TLS_SECRET = `${NAME}-tls`;
const PORT = 8443;

/** Why base64 `b64` is not a bundle of PEM certificates; undefined when it is one. */
function pemBundleProblem(b64: string): string | undefined {
  const blocks = Buffer.from(b64, 'base64').toString('latin1').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
  if (!blocks) return 'it holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)';
  for (let i = 0; i < blocks.length; i++) {
    try {
      new X509Certificate(blocks[i]);
    } catch (e: any) {
      return `certificate ${i + 1} of ${blocks.length} is not readable X.509 (${e.message})`;
    }
  }
  return undefined;
}

/**
 * Properties of the anti-spoofing admission webhook (platform file:
 * `components.kubeovnWebhook`; Kube-OVN variants only).
 */
export interface KubeOvnWebhookProps extends ComponentOptions {
  /**
   * Whether the webhook is installed. Without it nothing stops a pod or VM
   * of one tenant from sending with another tenant's address in the Kube-OVN
   * variants (Cilium's source-IP verification is off there).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The webhook image (tag and/or digest).
   * @default - the reference platform's image, KUBEOVN_WEBHOOK_IMAGE
   */
  readonly image?: string;

  /**
   * Number of webhook pods. Pod creation outside system namespaces fails
   * while none is ready (`failurePolicy: Fail`), so keep more than one.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Whether cert-manager issues the webhook's serving certificate (a
   * self-signed CA Issuer and a Certificate in the webhook's namespace; the
   * cert-manager CA injector fills in the webhook's `caBundle`). cert-manager
   * and its CRDs must then be installed before this component. When false,
   * create the TLS Secret `kube-ovn-webhook-tls` (`tls.crt`, `tls.key`, for
   * `kube-ovn-webhook.<namespace>.svc`) yourself and give its CA as `caBundle`.
   * @default true
   */
  readonly certManager?: boolean;

  /**
   * Base64-encoded PEM of the CA that signed the serving certificate; required
   * when `certManager` is false, not allowed otherwise.
   * @default - injected by cert-manager
   */
  readonly caBundle?: string;

  /**
   * Namespaces left out of the webhook by name, besides `kube-system` and
   * the webhook's own: those where controllers run that must be able to
   * recreate their pods while the webhook is down (cert-manager, Flux). In a
   * stack, cozynet adds the namespace of every component of the layer,
   * cert-manager's and Flux's.
   * @default []
   */
  readonly excludeNamespaces?: string[];
}

/**
 * Anti-spoofing for the Kube-OVN variants: a mutating admission webhook (the
 * reference platform's `kubeovn-webhook`) that annotates every new pod outside
 * system namespaces (`cozystack.io/system: "true"`) and `kube-system` with
 * `ovn.kubernetes.io/port_security: "true"`, so Kube-OVN pins each pod's (or
 * VM's) logical port to its own IP and MAC address. A namespace annotated
 * `ovn.kubernetes.io/port_security: "false"` opts out; a pod that sets the
 * annotation itself keeps its value.
 *
 * `failurePolicy: Fail`: while the webhook is down, such pods are not created
 * rather than created unprotected. The namespaces of the controllers that
 * bring it back (its own, kube-system, cert-manager's, Flux's, the layer's
 * other components') are left out by label and by name, so none of them
 * waits for the webhook.
 */
export class KubeOvnWebhook extends Component {
  /** Whether `x` is a `KubeOvnWebhook` (cdk8s makes `instanceof` true for every Chart). */
  public static isKubeOvnWebhook(x: any): x is KubeOvnWebhook {
    return x !== null && typeof x === 'object' && WEBHOOK_SYMBOL in x;
  }

  private readonly excluded = new Set<string>();

  constructor(scope: Construct, id: string, props: KubeOvnWebhookProps = {}) {
    super(scope, id, { releaseName: 'kubeovn-webhook', namespace: 'cozy-kubeovn' }, props);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, isKubeOvnWebhook tests presence (`in`), never the value
    Object.defineProperty(this, WEBHOOK_SYMBOL, { value: true });
    const certManager = props.certManager ?? true;
    if (typeof certManager !== 'boolean') fail('certManager', props.certManager, 'must be true or false');
    if (certManager && props.caBundle !== undefined) {
      fail('caBundle', props.caBundle, 'is injected by cert-manager; give it only with certManager: false');
    }
    // The API server decodes caBundle as padded base64: a length not a multiple of 4 is refused at apply time.
    if (!certManager && (typeof props.caBundle !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(props.caBundle) || props.caBundle.length % 4 !== 0)) {
      fail('caBundle', props.caBundle, 'is required with certManager: false: the base64-encoded PEM of the CA that signed the Secret kube-ovn-webhook-tls');
    }
    const pemProblem = certManager ? undefined : pemBundleProblem(props.caBundle!);
    if (pemProblem !== undefined) {
      // A wrong CA: the API server cannot call the webhook, and with failurePolicy Fail no pod outside system namespaces is created.
      fail('caBundle', props.caBundle, `must be the base64-encoded PEM of the CA that signed the Secret kube-ovn-webhook-tls, but ${pemProblem}`);
    }
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) fail('replicas', props.replicas, 'must be a whole number of at least 1');
    const image = props.image ?? KUBEOVN_WEBHOOK_IMAGE;
    if (typeof image !== 'string' || image.length === 0) fail('image', props.image, 'must be an image reference');

    const namespace = this.releaseNamespace;
    // The webhook's own pods must never wait for the webhook (failurePolicy
    // Fail: they would never start, and with them no pod outside system
    // namespaces), nor may those of the controllers that bring it back. A
    // namespace cozynet creates is a system namespace, left out by its label;
    // every one is left out by name as well, since a label can be missing (a
    // namespace created elsewhere) or removed.
    this.excluded.add('kube-system').add(namespace);
    const extra = props.excludeNamespaces ?? [];
    if (!Array.isArray(extra)) fail('excludeNamespaces', extra, 'must be a list of namespace names');
    extra.forEach((n, i) => this.exempt(`excludeNamespaces[${i}]`, n));
    const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': this.releaseName };

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: NAME, namespace, labels } });
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: NAME, labels },
      // Reads the pod's namespace for its opt-out annotation.
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: NAME, labels },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
    });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: NAME, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: NAME,
              image,
              imagePullPolicy: 'IfNotPresent',
              args: ['--tls-cert-file=/etc/webhook/certs/tls.crt', '--tls-key-file=/etc/webhook/certs/tls.key', '--port-security=true'],
              ports: [{ name: 'https', containerPort: PORT }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
              },
              volumeMounts: [{ name: 'webhook-certs', mountPath: '/etc/webhook/certs', readOnly: true }],
            }],
            tolerations: [
              { effect: 'NoSchedule', operator: 'Exists' },
              { effect: 'NoExecute', operator: 'Exists' },
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
            ],
            volumes: [{ name: 'webhook-certs', secret: { secretName: TLS_SECRET, defaultMode: 0o400 } }],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name: NAME, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(PORT) }],
      },
    });

    if (certManager) {
      // A self-signed root, a CA issuer from it, and the serving certificate.
      new ApiObject(this, 'selfsigned-issuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: `${NAME}-selfsigned-issuer`, namespace },
        spec: { selfSigned: {} },
      });
      new ApiObject(this, 'root-ca', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: `${NAME}-root-ca`, namespace },
        spec: {
          secretName: `${NAME}-root-ca`,
          duration: '43800h',
          commonName: `${NAME}-root-ca`,
          isCA: true,
          privateKey: { rotationPolicy: 'Never' },
          issuerRef: { name: `${NAME}-selfsigned-issuer` },
        },
      });
      new ApiObject(this, 'ca-issuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: `${NAME}-ca-issuer`, namespace },
        spec: { ca: { secretName: `${NAME}-root-ca` } },
      });
      new ApiObject(this, 'serving-certificate', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: `${NAME}-cert`, namespace },
        spec: {
          secretName: TLS_SECRET,
          duration: '8760h',
          renewBefore: '720h',
          commonName: TLS_SECRET,
          dnsNames: [NAME, `${NAME}.${namespace}.svc`],
          issuerRef: { name: `${NAME}-ca-issuer` },
        },
      });
    }

    new k8s.KubeMutatingWebhookConfiguration(this, 'webhook', {
      metadata: {
        name: NAME,
        labels,
        annotations: certManager ? { 'cert-manager.io/inject-ca-from': `${namespace}/${NAME}-cert` } : undefined,
      },
      webhooks: [{
        name: 'kube-ovn-webhook.cozystack.io',
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Fail',
        clientConfig: {
          service: { name: NAME, namespace, path: '/mutate-pods' },
          caBundle: certManager ? undefined : props.caBundle,
        },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        namespaceSelector: {
          matchExpressions: [
            { key: SYSTEM_NAMESPACE_LABEL, operator: 'NotIn', values: ['true'] },
            { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: Lazy.any({ produce: () => this.excludedNamespaces }) },
          ],
        },
      }],
    });
  }

  /** The namespaces left out of the webhook by name, sorted. */
  public get excludedNamespaces(): string[] {
    return [...this.excluded].sort();
  }

  /**
   * Leaves namespaces out of the webhook by name (a stack adds those of its
   * components, cert-manager's and Flux's).
   */
  public exemptNamespaces(...namespaces: string[]): void {
    for (const n of namespaces) this.exempt('excludeNamespaces', n);
  }

  private exempt(path: string, n: string): void {
    if (typeof n !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n)) fail(path, n, 'must be a namespace name (a DNS-1123 label)');
    this.excluded.add(n);
  }
}
