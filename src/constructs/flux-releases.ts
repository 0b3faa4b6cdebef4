import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Component, ManifestGroup } from './component';
import { sortKeys } from '../helm/values';
import { CollectedComponent } from '../render/collect';
import { FluxOptions, fluxObjects, remoteReleases } from '../render/flux';

/**
 * The Flux delivery of a set of Helm components: a HelmRepository (or
 * OCIRepository) per chart source and a HelmRelease per release, as objects
 * of the construct tree, so that the stock `cdk8s synth` writes them. Values
 * are read when the tree is synthesized, so layers added later are included.
 * `cozynet synth` writes the whole layer's Flux delivery instead (the local
 * charts as well; `render/charts.ts`).
 * @internal
 */
export class FluxReleases extends ManifestGroup {
  constructor(scope: Construct, id: string, components: Component[], options: FluxOptions = {}) {
    super(scope, id, 'releases', 'flux');
    const info = (): CollectedComponent[] => components.map((c) => ({
      name: c.releaseName,
      namespace: c.releaseNamespace,
      dependsOn: c.dependsOn,
      chart: c.helmChart,
      values: c.values && sortKeys(c.values),
      providesNetwork: c.providesNetwork,
      workloads: c._releaseWorkloads(),
    }));
    const skeleton = fluxObjects(remoteReleases(info()), options);
    for (const o of skeleton) {
      new ApiObject(this, `${o.kind}-${o.metadata.name}`, {
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: o.metadata,
        spec: Lazy.any({
          produce: () => fluxObjects(remoteReleases(info()), options).find((x) => x.kind === o.kind && x.metadata.name === o.metadata.name)!.spec,
        }),
      });
    }
  }
}
