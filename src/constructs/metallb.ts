import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { checkChartValues } from '../helm/chart-schemas';
import { HelmChart, HelmChartOverride, ValuesLayer } from '../helm/release';

/** The reference platform's MetalLB chart (facts §6). */
export const METALLB_CHART = HelmChart.of({ repository: 'https://metallb.github.io/metallb', name: 'metallb', version: '0.16.1' });

/**
 * The MetalLB values layers of the reference platform (facts §6, §12).
 */
export class MetalLbValues {
  /**
   * Every variant: CRDs from the chart, BGP spoken by the frr-k8s
   * sub-chart (not the deprecated FRR mode of the speaker).
   */
  public static base(): ValuesLayer {
    return ValuesLayer.of('base', {
      crds: { enabled: true },
      frrk8s: { enabled: true },
      speaker: { frr: { enabled: false } },
    });
  }

  /**
   * Requests and limits of the speaker and of every frr-k8s container, as
   * the reference platform sets them (a memory limit on each gives the pod
   * cgroup a memory.max, which keeps Talos' out-of-memory handler off the
   * node's announcer). Override with `components.metallb.values`.
   */
  public static resources(): ValuesLayer {
    const r = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });
    return ValuesLayer.of('resources', {
      'speaker': { resources: r('50m', '64Mi', '512Mi') },
      'frr-k8s': {
        frrk8s: {
          resources: r('50m', '64Mi', '512Mi'),
          frr: { resources: r('50m', '64Mi', '512Mi') },
          reloader: { resources: r('10m', '16Mi', '128Mi') },
          frrMetrics: { resources: r('10m', '32Mi', '256Mi') },
          frrStatus: { resources: r('10m', '32Mi', '256Mi') },
        },
      },
    });
  }

  /**
   * Talos labels control-plane nodes
   * `node.kubernetes.io/exclude-from-external-load-balancers`, which the
   * speaker honours by default: a cluster whose nodes are all control-plane
   * nodes would announce nothing. The speaker ignores the label
   * (`--ignore-exclude-lb`).
   */
  public static talos(): ValuesLayer {
    return ValuesLayer.of('talos', { speaker: { ignoreExcludeLB: true } });
  }

  private constructor() {}
}

/**
 * Properties of the MetalLB release.
 */
export interface MetalLbProps extends ComponentOptions {
  /**
   * Chart source overrides.
   * @default - metallb.github.io metallb 0.16.1
   */
  readonly chart?: HelmChartOverride;

  /**
   * Extra Helm values merged over every layer.
   * @default - none
   */
  readonly values?: { [key: string]: any };
}

/**
 * The MetalLB release: publishes LoadBalancer Services over L2 (ARP/NDP)
 * or BGP (spoken by the frr-k8s sub-chart). Address pools are separate
 * objects (`MetalLbPool`).
 */
export class MetalLb extends Component {
  constructor(scope: Construct, id: string, props: MetalLbProps = {}) {
    super(scope, id, {
      releaseName: 'metallb',
      namespace: 'cozy-metallb',
      chart: HelmChart.withOverride(METALLB_CHART, props.chart),
    }, props);
    this.addValuesLayer(MetalLbValues.base());
    this.addValuesLayer(MetalLbValues.resources());
    if (props.values) this._addTailLayer(ValuesLayer.of('user', props.values));
  }

  public checkValues(): string[] {
    return checkChartValues(`${this.helmChart!.name}@${this.helmChart!.version}`, this.values ?? {});
  }
}
