/**
 * What the bootstrap model knows that it cannot read from an output folder:
 * the workloads, CRDs and webhooks of the remote charts (they are fetched
 * from their repositories at install time, and the model runs offline), the
 * pod network each variant needs, and the defaults of the three delivery
 * tools. Every fact names the file it was checked against.
 *
 * Chart templates were read in the reference platform's vendored copies
 * (cozystack/cozystack `packages/system/<name>/charts/<chart>/templates/…`,
 * the same chart versions cozynet pins: cilium 1.19.5, kube-ovn v1.15.10,
 * metallb 0.16.1, cert-manager v1.20.2) and in the upstream repositories (metallb/metallb
 * `charts/metallb/`, kubeovn/kube-ovn `charts/kube-ovn/`,
 * cert-manager/cert-manager `deploy/charts/cert-manager/`).
 * @internal
 */

/** What a workload provides to others. @internal */
export type Provider = 'cilium' | 'kube-ovn' | 'cert-manager';

/** Pod Security Standards level a pod needs (the least permissive one that admits it). @internal */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** A workload a release creates, as the model sees it. @internal */
export interface WorkloadFact {
  readonly kind: string;
  readonly name: string;
  /** The pod uses the node's network namespace: it needs no pod address. */
  readonly hostNetwork: boolean;
  /** Least permissive Pod Security level that admits its pods. */
  readonly level: PodSecurityLevel;
  /** This workload is (part of) a pod network provider (`cilium`, `kube-ovn`) or cert-manager's controller. */
  readonly provides?: Provider;
  /** Labels of its pods (for webhook objectSelectors and Service selectors). */
  readonly labels?: Record<string, string>;
  /** Where the fact was checked. */
  readonly source: string;
}

/** A webhook configuration a remote chart creates. @internal */
export interface WebhookFact {
  readonly kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration';
  readonly name: string;
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** API groups of the objects it admits (CREATE). */
  readonly apiGroups: string[];
  /** Name of the workload (of the same release) that serves it. */
  readonly servedBy: string;
  readonly source: string;
}

/** What a remote chart creates for the values given. @internal */
export interface ChartFacts {
  readonly workloads: WorkloadFact[];
  /** API groups whose CRDs the chart installs with the release. */
  readonly crdGroups: string[];
  /** API groups whose CRDs a workload of the chart registers when it runs (not at install time). */
  readonly runtimeCrdGroups?: { readonly groups: string[]; readonly by: string; readonly source: string };
  readonly webhooks: WebhookFact[];
  readonly source: string;
  /** Namespace of the workloads when the chart does not use the release's (Kube-OVN: `.Values.namespace`). */
  readonly namespace?: string;
}

const COZY = 'cozystack/cozystack packages/system';
const CILIUM_T = `${COZY}/cilium/charts/cilium/templates`;
const KUBEOVN_T = 'kubeovn/kube-ovn@kube-ovn-v1.15.10 charts/kube-ovn/templates';
const METALLB_T = 'metallb/metallb@v0.16.1 charts/metallb/templates';
const FRR_T = `${COZY}/metallb/charts/metallb/charts/frr-k8s/templates`;
const CM_T = 'cert-manager/cert-manager deploy/charts/cert-manager/templates';

function get(values: any, path: string): any {
  let v = values;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? v[k] : undefined;
  return v;
}

/** `values[path]` when set, else `dflt` (the chart's default). */
function flag(values: any, path: string, dflt: boolean): boolean {
  const v = get(values, path);
  return v === undefined || v === null ? dflt : v === true || v === 'true';
}

/**
 * The Cilium chart (helm.cilium.io `cilium`).
 * - agent DaemonSet `cilium`: hostNetwork, privileged (`cilium-agent/daemonset.yaml`: `hostNetwork: true`).
 * - operator Deployment `cilium-operator`: hostNetwork unless `operator.hostNetwork: false` (`cilium-operator/deployment.yaml`; values.yaml `operator.hostNetwork: true`).
 * - Envoy DaemonSet `cilium-envoy`: hostNetwork (`cilium-envoy/daemonset.yaml`), unless `envoy.enabled: false`.
 * - hubble-relay Deployment: pod network, when `hubble.enabled` and `hubble.relay.enabled` (`hubble-relay/deployment.yaml` has no hostNetwork).
 * - hubble-ui Deployment: pod network, when `hubble.ui.enabled` and (`hubble.enabled` or `hubble.ui.standalone.enabled`) (`hubble-ui/deployment.yaml`).
 * - the cilium.io CRDs are registered by the operator when it starts (not templates of the chart).
 */
function ciliumFacts(values: any): ChartFacts {
  const workloads: WorkloadFact[] = [
    { kind: 'DaemonSet', name: 'cilium', hostNetwork: true, level: 'privileged', provides: 'cilium', labels: { 'k8s-app': 'cilium' }, source: `${CILIUM_T}/cilium-agent/daemonset.yaml (hostNetwork: true)` },
  ];
  if (flag(values, 'operator.enabled', true)) {
    const host = flag(values, 'operator.hostNetwork', true);
    workloads.push({ kind: 'Deployment', name: 'cilium-operator', hostNetwork: host, level: host ? 'privileged' : 'restricted', labels: { 'io.cilium/app': 'operator' }, source: `${CILIUM_T}/cilium-operator/deployment.yaml (hostNetwork: {{ .Values.operator.hostNetwork }}, default true)` });
  }
  if (flag(values, 'envoy.enabled', true)) {
    workloads.push({ kind: 'DaemonSet', name: 'cilium-envoy', hostNetwork: true, level: 'privileged', labels: { 'k8s-app': 'cilium-envoy' }, source: `${CILIUM_T}/cilium-envoy/daemonset.yaml (hostNetwork: true)` });
  }
  const hubble = flag(values, 'hubble.enabled', true);
  if (hubble && flag(values, 'hubble.relay.enabled', false)) {
    workloads.push({ kind: 'Deployment', name: 'hubble-relay', hostNetwork: false, level: 'restricted', labels: { 'k8s-app': 'hubble-relay' }, source: `${CILIUM_T}/hubble-relay/deployment.yaml (no hostNetwork: a pod address; values.yaml hubble.relay.securityContext: restricted)` });
  }
  if ((hubble || flag(values, 'hubble.ui.standalone.enabled', false)) && flag(values, 'hubble.ui.enabled', false)) {
    workloads.push({ kind: 'Deployment', name: 'hubble-ui', hostNetwork: false, level: 'baseline', labels: { 'k8s-app': 'hubble-ui' }, source: `${CILIUM_T}/hubble-ui/deployment.yaml (no hostNetwork: a pod address)` });
  }
  return {
    workloads,
    crdGroups: [],
    runtimeCrdGroups: {
      groups: ['cilium.io'],
      by: 'cilium-operator',
      source: 'the operator registers the cilium.io CRDs when it starts (cilium/cilium pkg/k8s/apis/cell.go: skip-crd-creation, default false; '
        + `docs.cilium.io internals/cilium_operator "CRD Registration"); the chart has no CRD templates (${CILIUM_T}/)`,
    },
    webhooks: [],
    source: `${CILIUM_T}/`,
  };
}

/**
 * The Kube-OVN chart (kubeovn.github.io/kube-ovn `kube-ovn`).
 * - ovn-central, kube-ovn-controller, kube-ovn-monitor Deployments; kube-ovn-cni, ovs-ovn DaemonSets: hostNetwork, privileged.
 * - kube-ovn-pinger DaemonSet: pod network (`pinger-ds.yaml` has no hostNetwork), on by default.
 * - the kubeovn.io CRDs are a template of the chart (`kube-ovn-crd.yaml`).
 */
function kubeOvnFacts(values: any): ChartFacts {
  const host = (kind: string, name: string, file: string, provides = true): WorkloadFact => ({
    kind, name, hostNetwork: true, level: 'privileged', ...(provides ? { provides: 'kube-ovn' as const } : {}), labels: { app: name }, source: `${KUBEOVN_T}/${file} (hostNetwork: true)`,
  });
  const workloads: WorkloadFact[] = [
    host('Deployment', 'ovn-central', 'central-deploy.yaml'),
    host('Deployment', 'kube-ovn-controller', 'controller-deploy.yaml'),
    host('DaemonSet', 'ovs-ovn', 'ovsovn-ds.yaml'),
    host('DaemonSet', 'kube-ovn-cni', 'ovncni-ds.yaml'),
    host('Deployment', 'kube-ovn-monitor', 'monitor-deploy.yaml', false),
  ];
  // the pinger has no condition in the chart: always there
  workloads.push({ kind: 'DaemonSet', name: 'kube-ovn-pinger', hostNetwork: false, level: 'privileged', labels: { app: 'kube-ovn-pinger' }, source: `${KUBEOVN_T}/pinger-ds.yaml (no hostNetwork: a pod address from Kube-OVN itself)` });
  // every workload goes to `.Values.namespace`, not to the release's namespace
  const ns = typeof values?.namespace === 'string' ? values.namespace : undefined;
  return { workloads, crdGroups: ['kubeovn.io'], webhooks: [], source: `${KUBEOVN_T}/`, ...(ns ? { namespace: ns } : {}) };
}

/**
 * The MetalLB chart (metallb.github.io/metallb `metallb`).
 * - controller Deployment: pod network (`controller.yaml`, no hostNetwork); serves the validating webhook.
 * - speaker DaemonSet: hostNetwork (`speaker.yaml`).
 * - with `frrk8s.enabled`: frr-k8s DaemonSet hostNetwork (frr-k8s `controller.yaml`) and the statuscleaner
 *   Deployment on the pod network, which serves the frr-k8s webhook (frr-k8s `webhooks.yaml`, `status-cleaner.yaml`).
 * - ValidatingWebhookConfiguration `metallb-webhook-configuration` on metallb.io, failurePolicy `crds.validationFailurePolicy` (default Fail) (`webhooks.yaml`).
 * - CRDs metallb.io (and frrk8s.metallb.io) with `crds.enabled` (default true).
 */
function metallbFacts(values: any, release: string): ChartFacts {
  const fail = (get(values, 'crds.validationFailurePolicy') ?? 'Fail') === 'Fail' ? 'Fail' : 'Ignore';
  const workloads: WorkloadFact[] = [];
  const webhooks: WebhookFact[] = [];
  if (flag(values, 'controller.enabled', true)) {
    workloads.push({ kind: 'Deployment', name: `${release}-controller`, hostNetwork: false, level: 'baseline', labels: { 'app.kubernetes.io/component': 'controller' }, source: `${METALLB_T}/controller.yaml (no hostNetwork; drops ALL capabilities, no seccompProfile: baseline)` });
    if ((get(values, 'controller.webhookMode') ?? 'enabled') !== 'disabled') {
      webhooks.push({ kind: 'ValidatingWebhookConfiguration', name: 'metallb-webhook-configuration', failurePolicy: fail, apiGroups: ['metallb.io'], servedBy: `${release}-controller`, source: `${METALLB_T}/webhooks.yaml (failurePolicy: {{ .Values.crds.validationFailurePolicy }}, default Fail)` });
    }
  }
  if (flag(values, 'speaker.enabled', true)) {
    workloads.push({ kind: 'DaemonSet', name: `${release}-speaker`, hostNetwork: true, level: 'privileged', labels: { 'app.kubernetes.io/component': 'speaker' }, source: `${METALLB_T}/speaker.yaml (hostNetwork: true)` });
  }
  const groups = flag(values, 'crds.enabled', true) ? ['metallb.io'] : [];
  if (flag(values, 'frrk8s.enabled', false)) {
    workloads.push({ kind: 'DaemonSet', name: `${release}-frr-k8s`, hostNetwork: true, level: 'privileged', labels: { 'app.kubernetes.io/component': 'frr-k8s' }, source: `${FRR_T}/controller.yaml (hostNetwork: true)` });
    workloads.push({ kind: 'Deployment', name: `${release}-frr-k8s-statuscleaner`, hostNetwork: false, level: 'baseline', labels: { 'app.kubernetes.io/component': 'statuscleaner' }, source: `${FRR_T}/status-cleaner.yaml (no hostNetwork)` });
    webhooks.push({ kind: 'ValidatingWebhookConfiguration', name: 'frr-k8s-validating-webhook-configuration', failurePolicy: fail, apiGroups: ['frrk8s.metallb.io'], servedBy: `${release}-frr-k8s-statuscleaner`, source: `${FRR_T}/webhooks.yaml (service frr-k8s-webhook-service → statuscleaner)` });
    if (groups.length > 0) groups.push('frrk8s.metallb.io');
  }
  return { workloads, crdGroups: groups, webhooks, source: `${METALLB_T}/` };
}

/**
 * The cert-manager chart (charts.jetstack.io / quay.io/jetstack/charts `cert-manager`).
 * - controller, webhook and cainjector Deployments: pod network (`deployment.yaml`, `webhook-deployment.yaml`:
 *   hostNetwork only with `webhook.hostNetwork`, default false; `cainjector-deployment.yaml`).
 * - startupapicheck Job (`startupapicheck-job.yaml`, `startupapicheck.enabled` default true; a post-install hook by
 *   the default `startupapicheck.jobAnnotations`): pod network; it checks that the cert-manager API answers.
 * - ValidatingWebhookConfiguration on cert-manager.io and acme.cert-manager.io, failurePolicy Fail
 *   (`webhook-validating-webhook.yaml`), served by the webhook Deployment.
 * - CRDs cert-manager.io, acme.cert-manager.io with `crds.enabled` or `installCRDs` (`crd-*.yaml`; both default false).
 */
function certManagerFacts(values: any, release: string): ChartFacts {
  const webhookHost = flag(values, 'webhook.hostNetwork', false);
  const workloads: WorkloadFact[] = [
    { kind: 'Deployment', name: release, hostNetwork: false, level: 'restricted', provides: 'cert-manager', labels: { 'app.kubernetes.io/component': 'controller' }, source: `${CM_T}/deployment.yaml (no hostNetwork; values.yaml securityContext/containerSecurityContext: restricted)` },
    { kind: 'Deployment', name: `${release}-webhook`, hostNetwork: webhookHost, level: webhookHost ? 'privileged' : 'restricted', labels: { 'app.kubernetes.io/component': 'webhook' }, source: `${CM_T}/webhook-deployment.yaml (hostNetwork: {{ .Values.webhook.hostNetwork }}, default false)` },
  ];
  if (flag(values, 'cainjector.enabled', true)) {
    workloads.push({ kind: 'Deployment', name: `${release}-cainjector`, hostNetwork: false, level: 'restricted', labels: { 'app.kubernetes.io/component': 'cainjector' }, source: `${CM_T}/cainjector-deployment.yaml (no hostNetwork)` });
  }
  if (flag(values, 'startupapicheck.enabled', true)) {
    workloads.push({ kind: 'Job', name: `${release}-startupapicheck`, hostNetwork: false, level: 'restricted', labels: { 'app.kubernetes.io/component': 'startupapicheck' }, source: `${CM_T}/startupapicheck-job.yaml ({{- if .Values.startupapicheck.enabled }}, no hostNetwork; values.yaml startupapicheck.jobAnnotations helm.sh/hook: post-install, so Helm's wait includes it; startupapicheck.securityContext/containerSecurityContext: restricted)` });
  }
  const crds = flag(values, 'crds.enabled', false) || flag(values, 'installCRDs', false);
  return {
    workloads,
    crdGroups: crds ? ['cert-manager.io', 'acme.cert-manager.io'] : [],
    webhooks: [{ kind: 'ValidatingWebhookConfiguration', name: `${release}-webhook`, failurePolicy: 'Fail', apiGroups: ['cert-manager.io', 'acme.cert-manager.io'], servedBy: `${release}-webhook`, source: `${CM_T}/webhook-validating-webhook.yaml (failurePolicy: Fail)` }],
    source: `${CM_T}/`,
  };
}

/**
 * What a remote chart creates for `values`; undefined for a chart the model
 * does not know (its workloads are then invisible to it: a note in the plan).
 * @internal
 */
export function remoteChartFacts(chart: string, values: any, release: string): ChartFacts | undefined {
  switch (chart) {
    case 'cilium': return ciliumFacts(values ?? {});
    case 'kube-ovn': return kubeOvnFacts(values ?? {});
    case 'metallb': return metallbFacts(values ?? {}, release);
    case 'cert-manager': return certManagerFacts(values ?? {}, release);
    default: return undefined;
  }
}

/**
 * The pod network each variant needs before any pod without hostNetwork gets
 * an address: the chained variants run Cilium on top of Kube-OVN (both must
 * run); the cilium* variants Cilium alone; noop brings none (the cluster's
 * own CNI is assumed to run already).
 * Source: this project's variants (src/variants/variant.ts) and the reference
 * `packages/system/cilium/values.yaml` / `packages/system/kubeovn/values.yaml`
 * (cni.chainingMode generic-veth, chainingTarget kube-ovn).
 * @internal
 */
export function podNetworkOf(variant: string): Array<'cilium' | 'kube-ovn'> {
  if (variant.startsWith('kubeovn-cilium')) return ['cilium', 'kube-ovn'];
  if (variant.startsWith('cilium')) return ['cilium'];
  return [];
}

/** Display names of the pod network providers. @internal */
export const PROVIDER_NAMES: Record<string, string> = { 'cilium': 'Cilium', 'kube-ovn': 'Kube-OVN' };

/**
 * Defaults of the delivery tools.
 * @internal
 */
export const TOOL_FACTS = {
  /**
   * helm-controller: a HelmRelease starts once every `dependsOn` is Ready, and waits for its resources unless
   * `spec.install.disableWait`; `spec.timeout` defaults to 5m0s (fluxcd/helm-controller docs/spec helmreleases.md,
   * fluxcd.io/flux/components/helm/helmreleases/: "Timeout is the time to wait … Defaults to '5m0s'", "Dependencies").
   */
  fluxTimeout: '5m',
  /**
   * hashicorp/helm provider `helm_release`: `wait` "Will wait until all resources are in a ready state … Defaults to
   * `true`", `timeout` default 300 seconds (hashicorp/terraform-provider-helm docs/resources/release.md).
   */
  terraformTimeout: '300s',
  /**
   * Helm: a CRD must be registered before any resource of its kind can be used; a chart's templates are sent as one
   * set, so a CRD and its objects cannot share templates/ (helm.sh/docs/chart_best_practices/custom_resource_definitions/:
   * "Install a CRD Declaration Before Using the Resource").
   */
  helmNeedsKindsFirst: true,
} as const;

/** Namespaces every cluster has. @internal */
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** API groups served by the API server itself (no CRD needed). @internal */
export const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'networking.k8s.io', 'rbac.authorization.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'certificates.k8s.io', 'node.k8s.io',
  'flowcontrol.apiserver.k8s.io', 'apiregistration.k8s.io', 'events.k8s.io', 'resource.k8s.io',
]);
