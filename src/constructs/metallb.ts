import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { checkChartValues } from '../helm/chart-schemas';
import { HelmChart, HelmChartOverride, ValuesLayer } from '../helm/release';

/** The reference platform's MetalLB chart (facts §6). */
export const METALLB_CHART = HelmChart.of({ repository: 'https://metallb.github.io/metallb', name: 'metallb', version: '0.16.1' });

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
    this.addValuesLayer(ValuesLayer.of('base', {
      crds: { enabled: true },
      frrk8s: { enabled: true },
      speaker: { frr: { enabled: false } },
    }));
    if (props.values) this._addTailLayer(ValuesLayer.of('user', props.values));
  }

  public checkValues(): string[] {
    return checkChartValues('metallb', this.values ?? {});
  }
}
