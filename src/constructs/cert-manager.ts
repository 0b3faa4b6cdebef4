import { Construct } from 'constructs';
import { Component, ComponentOptions, PodSecurityLevel } from './component';
import { checkChartValues } from '../helm/chart-schemas';
import { HelmChart, HelmChartOverride, ValuesLayer } from '../helm/release';

/**
 * The cert-manager chart the reference platform runs (cozystack/cozystack
 * `packages/system/cert-manager/charts/cert-manager`, jetstack v1.20.2).
 */
export const CERT_MANAGER_CHART = HelmChart.of({ repository: 'https://charts.jetstack.io', name: 'cert-manager', version: 'v1.20.2' });

/** The namespace cert-manager runs in by default (the reference platform's). */
export const CERT_MANAGER_NAMESPACE = 'cozy-cert-manager';

/**
 * Properties of the cert-manager release (platform file:
 * `components.certManager`). The layer installs it wherever one of its
 * components needs it: the Kube-OVN variants' anti-spoofing webhook with its
 * certificate from cert-manager (the default).
 */
export interface CertManagerProps extends ComponentOptions {
  /**
   * The cluster already runs cert-manager (and its CRDs): cozynet does not
   * install it, and `namespace` must name the namespace it runs in (that
   * namespace is left out of the anti-spoofing webhook by name, so that
   * cert-manager's pods can always be recreated).
   * @default false
   */
  readonly preinstalled?: boolean;

  /**
   * Chart source overrides.
   * @default - charts.jetstack.io cert-manager v1.20.2
   */
  readonly chart?: HelmChartOverride;

  /**
   * Extra Helm values merged over every layer.
   * @default - none
   */
  readonly values?: { [key: string]: any };
}

/**
 * The cert-manager values layers (the reference platform's
 * `packages/system/cert-manager/values.yaml`).
 */
export class CertManagerValues {
  /**
   * CRDs installed (and kept on uninstall) by the release itself, so that
   * nothing else must install them first.
   */
  public static crds(): ValuesLayer {
    return ValuesLayer.of('crds', { crds: { enabled: true, keep: true } });
  }

  /**
   * Requests and limits of the controller, webhook, CA injector and
   * start-up check, as the reference platform sets them (its CA injector
   * needs 512Mi to fill its caches on a full install). The webhook serves on
   * 10260 rather than the chart's default 10250, the kubelet's port: a
   * connection misrouted to a node then fails as refused instead of being
   * answered by the kubelet's certificate.
   */
  public static reference(): ValuesLayer {
    const r = (cpu: string, memory: string, limitCpu: string, limitMemory: string) => ({
      requests: { cpu, memory }, limits: { cpu: limitCpu, memory: limitMemory },
    });
    return ValuesLayer.of('reference', {
      resources: r('50m', '128Mi', '500m', '512Mi'),
      webhook: { securePort: 10260, resources: r('10m', '32Mi', '200m', '128Mi') },
      cainjector: { resources: r('10m', '128Mi', '200m', '512Mi') },
      startupapicheck: { resources: r('10m', '16Mi', '100m', '64Mi') },
    });
  }

  private constructor() {}
}

/**
 * cert-manager: issues the serving certificate of the anti-spoofing webhook
 * and injects its CA. Its pods are not host-network pods, so it is installed
 * once the pod network is complete (Cilium and, on the chained variants,
 * Kube-OVN), and before the webhook whose Issuer and Certificate it serves.
 * Its pods meet the `restricted` Pod Security level (non-root, no
 * capabilities, RuntimeDefault seccomp), which its namespace enforces.
 */
export class CertManager extends Component {
  constructor(scope: Construct, id: string, props: CertManagerProps = {}) {
    super(scope, id, {
      releaseName: 'cert-manager',
      namespace: CERT_MANAGER_NAMESPACE,
      chart: HelmChart.withOverride(CERT_MANAGER_CHART, props.chart),
      podSecurity: PodSecurityLevel.RESTRICTED,
    }, props);
    this.addValuesLayer(CertManagerValues.crds());
    this.addValuesLayer(CertManagerValues.reference());
    if (props.values) this._addTailLayer(ValuesLayer.of('user', props.values));
  }

  public checkValues(): string[] {
    return checkChartValues(`${this.helmChart!.name}@${this.helmChart!.version}`, this.values ?? {});
  }
}
