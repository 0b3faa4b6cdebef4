import { CollectedComponent } from './collect';
import { HelmRelease, HelmReleaseSpecInstallCrds, HelmReleaseSpecUpgradeCrds } from '../imports/helm.toolkit.fluxcd.io';
import { HelmRepository, OciRepository } from '../imports/source.toolkit.fluxcd.io';

/**
 * How Helm releases are delivered with Flux (platform file key `delivery`).
 */
export interface FluxOptions {
  /**
   * Namespace of the Flux HelmRepository / HelmRelease objects.
   * @default 'cozy-fluxcd'
   */
  readonly namespace?: string;

  /**
   * Reconciliation interval of releases and sources.
   * @default '5m'
   */
  readonly interval?: string;

  /**
   * Install/upgrade remediation retries.
   * @default 3
   */
  readonly retries?: number;
}

/** Default namespace of the Flux objects. */
export const DEFAULT_FLUX_NAMESPACE = 'cozy-fluxcd';

function sourceName(c: CollectedComponent): string {
  return c.chart!.name.replace(/[^a-z0-9-]/g, '-');
}

/**
 * Flux objects for every Helm component: one source per distinct chart
 * repository (HelmRepository, or OCIRepository for oci:// charts) and one
 * HelmRelease per release, with `dependsOn` on the releases it waits for.
 * @internal
 */
export function fluxObjects(components: CollectedComponent[], options: FluxOptions = {}): any[] {
  const namespace = options.namespace ?? DEFAULT_FLUX_NAMESPACE;
  const interval = options.interval ?? '5m';
  const retries = options.retries ?? 3;
  const helm = components.filter((c) => c.chart);
  const helmNames = new Set(helm.map((c) => c.name));
  const sources: any[] = [];
  const releases: any[] = [];
  const seenRepos = new Map<string, string>();

  for (const c of helm) {
    const chart = c.chart!;
    let chartSpec: Record<string, any> = {};
    let chartRef: Record<string, any> | undefined;
    if (chart.isOci) {
      const name = `${c.name}-chart`;
      sources.push(OciRepository.manifest({
        metadata: { name, namespace },
        spec: { url: `${chart.repository.replace(/\/$/, '')}/${chart.name}`, interval, ref: { tag: chart.version }, layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' as any } },
      }));
      chartRef = { kind: 'OCIRepository', name, namespace };
    } else {
      let repoName = seenRepos.get(chart.repository);
      if (!repoName) {
        repoName = sourceName(c);
        let n = 2;
        while ([...seenRepos.values()].includes(repoName)) repoName = `${sourceName(c)}-${n++}`;
        seenRepos.set(chart.repository, repoName);
        sources.push(HelmRepository.manifest({ metadata: { name: repoName, namespace }, spec: { url: chart.repository, interval } }));
      }
      chartSpec = { chart: chart.name, version: chart.version, sourceRef: { kind: 'HelmRepository' as any, name: repoName, namespace }, interval };
    }
    releases.push(HelmRelease.manifest({
      metadata: { name: c.name, namespace },
      spec: {
        ...(chartRef ? { chartRef: chartRef as any } : { chart: { spec: chartSpec as any } }),
        releaseName: c.name,
        targetNamespace: c.namespace,
        interval,
        dependsOn: c.dependsOn.filter((d) => helmNames.has(d)).map((d) => ({ name: d, namespace })),
        install: { createNamespace: true, crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE, remediation: { retries } },
        upgrade: { crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE, remediation: { retries, remediateLastFailure: true } },
        values: c.values,
      },
    }));
  }
  for (const r of releases) if (r.spec.dependsOn.length === 0) delete r.spec.dependsOn;
  return [...sources, ...releases];
}
