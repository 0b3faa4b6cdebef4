import { deferredWaits, DeliveryRelease } from './charts';
import { CollectedComponent } from './collect';
import { DeliveryTimeout, deliveryTimeout } from './timeout';
import {
  HelmRelease, HelmReleaseSpecChartSpecReconcileStrategy, HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallCrds, HelmReleaseSpecUpgradeCrds,
} from '../imports/helm.toolkit.fluxcd.io';
import { HelmRepository, OciRepository } from '../imports/source.toolkit.fluxcd.io';
import { CozynetValidationError, ValidationIssue } from '../model/errors';

/**
 * How the layer is delivered with Flux (platform file key `delivery.flux`).
 */
export interface FluxOptions {
  /**
   * Namespace of the Flux HelmRepository / HelmRelease objects (and of the
   * GitRepository that holds the output folder).
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

  /**
   * Name of the Flux GitRepository (in `namespace`) that holds the output
   * folder; the HelmReleases of the local charts (`charts/`) come from it.
   * You create it (it names your Git repository and its credentials).
   * @default 'cozynet'
   */
  readonly gitRepository?: string;

  /**
   * Path of the output folder inside that Git repository: the chart paths of
   * the local charts in `flux/` start with it. `synth` refuses a path that is
   * not where `--out` lies in its Git repository.
   * @default - where `synth --out` lies in its Git repository (the nearest folder above it with a `.git`), else in the working folder, else 'dist'
   */
  readonly path?: string;
}

/** Default namespace of the Flux objects. */
export const DEFAULT_FLUX_NAMESPACE = 'cozy-fluxcd';

/** Default name of the GitRepository holding the output folder. @internal */
export const DEFAULT_FLUX_GIT_REPOSITORY = 'cozynet';

/** Default path of the output folder inside the GitRepository. @internal */
export const DEFAULT_FLUX_PATH = 'dist';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const REPO_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Problems with the fields of `delivery.flux` that this renderer reads.
 * @internal
 */
export function checkFluxSource(options: FluxOptions | undefined, prefix = 'delivery.flux'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (options === undefined || options === null || typeof options !== 'object') return issues;
  const repo = options.gitRepository;
  if (repo !== undefined && (typeof repo !== 'string' || !DNS_LABEL.test(repo))) {
    issues.push({ path: `${prefix}.gitRepository`, value: CozynetValidationError.show(repo), message: 'must be the name of a Flux GitRepository (a DNS label such as cozynet)' });
  }
  const p = options.path;
  if (p !== undefined) {
    const clean = typeof p === 'string' ? p.replace(/^\.\//, '').replace(/\/$/, '') : p;
    const ok = typeof clean === 'string' && (clean === '.' || clean === '' || (REPO_PATH.test(clean) && !clean.split('/').some((s) => s === '..' || s === '.')));
    if (!ok) {
      issues.push({ path: `${prefix}.path`, value: CozynetValidationError.show(p), message: 'must be a relative path inside the Git repository, such as dist or clusters/prod/network (no .., no leading /)' });
    }
  }
  return issues;
}

/** `dist` → `./dist`, `.` → `.`. */
function repoPath(p: string | undefined): string {
  const clean = (p ?? DEFAULT_FLUX_PATH).replace(/^\.\//, '').replace(/\/$/, '');
  return clean === '' || clean === '.' ? '.' : `./${clean}`;
}

function sourceName(chartName: string): string {
  return chartName.replace(/[^a-z0-9-]/g, '-');
}

/**
 * The Helm components of a construct tree as delivery releases (remote charts
 * only, waiting for each other): what the stock `cdk8s synth` writes.
 * @internal
 */
export function remoteReleases(components: CollectedComponent[]): DeliveryRelease[] {
  const helm = components.filter((c) => c.chart);
  const names = new Set(helm.map((c) => c.name));
  const { deferred } = deferredWaits(components);
  return helm.map((c) => ({
    name: c.name,
    namespace: c.namespace,
    dependsOn: c.dependsOn.filter((d) => names.has(d)),
    remote: { chart: c.chart!, values: c.values ?? {} },
    component: c.name,
    ...(deferred.has(c.name) ? { wait: false } : {}),
  }));
}

/**
 * Flux objects for a list of releases: one source per distinct chart
 * repository (HelmRepository, or OCIRepository for oci:// charts), and one
 * HelmRelease per release with `dependsOn` on the releases it waits for.
 * Local charts come from the GitRepository that holds the output folder.
 * Namespaces are never created by Flux: the `namespaces` release applies
 * them, labelled, first. Every HelmRelease takes the delivery timeout
 * (`spec.timeout`); a release that must not wait (`wait: false`: pods that
 * need a pod network a later release completes) has `disableWait` on
 * install and upgrade.
 * @internal
 */
export function fluxObjects(list: DeliveryRelease[], options: FluxOptions = {}, timeout: DeliveryTimeout = deliveryTimeout(undefined)): any[] {
  const namespace = options.namespace ?? DEFAULT_FLUX_NAMESPACE;
  const interval = options.interval ?? '5m';
  const retries = options.retries ?? 3;
  const gitRepository = options.gitRepository ?? DEFAULT_FLUX_GIT_REPOSITORY;
  const base = repoPath(options.path);
  const sources: any[] = [];
  const releases: any[] = [];
  const seenRepos = new Map<string, string>();

  for (const r of list) {
    let chartSpec: Record<string, any> | undefined;
    let chartRef: Record<string, any> | undefined;
    if (r.remote) {
      const chart = r.remote.chart;
      if (chart.isOci) {
        const name = `${r.name}-chart`;
        sources.push(OciRepository.manifest({
          metadata: { name, namespace },
          spec: { url: `${chart.repository.replace(/\/$/, '')}/${chart.name}`, interval, ref: { tag: chart.version }, layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' as any } },
        }));
        chartRef = { kind: 'OCIRepository', name, namespace };
      } else {
        let repoName = seenRepos.get(chart.repository);
        if (!repoName) {
          repoName = sourceName(chart.name);
          let n = 2;
          while ([...seenRepos.values()].includes(repoName)) repoName = `${sourceName(chart.name)}-${n++}`;
          seenRepos.set(chart.repository, repoName);
          sources.push(HelmRepository.manifest({ metadata: { name: repoName, namespace }, spec: { url: chart.repository, interval } }));
        }
        chartSpec = {
          chart: chart.name,
          version: chart.version,
          sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: repoName, namespace },
          interval,
        };
      }
    } else {
      chartSpec = {
        chart: `${base}/${r.local}`,
        reconcileStrategy: HelmReleaseSpecChartSpecReconcileStrategy.REVISION,
        sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.GIT_REPOSITORY, name: gitRepository, namespace },
        interval,
      };
    }
    const noWait = r.wait === false ? { disableWait: true } : {};
    const spec: Record<string, any> = {
      ...(chartRef ? { chartRef } : { chart: { spec: chartSpec } }),
      releaseName: r.name,
      ...(r.namespace !== undefined ? { targetNamespace: r.namespace } : {}),
      interval,
      timeout: timeout.text,
      ...(r.dependsOn.length > 0 ? { dependsOn: r.dependsOn.map((d) => ({ name: d, namespace })) } : {}),
      install: {
        createNamespace: false,
        ...(r.remote ? { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE } : {}),
        ...noWait,
        remediation: { retries },
      },
      upgrade: {
        ...(r.remote ? { crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE } : {}),
        ...noWait,
        remediation: { retries, remediateLastFailure: true },
      },
      ...(r.remote ? { values: r.remote.values } : {}),
    };
    releases.push(HelmRelease.manifest({ metadata: { name: r.name, namespace }, spec: spec as any }));
  }
  return [...sources, ...releases];
}
