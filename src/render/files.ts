import { stringify } from 'yaml';
import { Collected } from './collect';
import { PRERENDERED_YAML } from './prerendered';
import { sortKeys } from '../helm/values';

/** @internal */
export interface RenderOptions {
  readonly variant: string;
  /** Terraform JSON file contents by name (from the terraform entry point), if rendered. */
  readonly terraform?: Map<string, string>;
  /** The cluster network the output assumes (index.json `cluster`: what a running cluster cannot change by an apply). */
  readonly cluster?: { podCidr: string; serviceCidr: string; joinCidr: string; clusterDomain: string };
}

/** Multi-document YAML with stable formatting. @internal */
export function toYaml(docs: any[]): string {
  return docs.map((d) => PRERENDERED_YAML.get(d) ?? stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/**
 * Renders every output file (path relative to the output folder → content),
 * `index.json` last, as specified by the contract.
 * @internal
 */
export function renderFiles(collected: Collected, options: RenderOptions): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of collected.manifests) files.set(m.path, toYaml(m.objects));
  const manifestFiles = collected.manifests.map((m) => m.path).filter((p) => p.startsWith('manifests/'));
  const fluxFiles = collected.manifests.map((m) => m.path).filter((p) => p.startsWith('flux/'));

  const valuesFiles = new Map<string, string>();
  for (const c of collected.components) {
    if (!c.chart) continue;
    const path = `helm/${c.name}.values.yaml`;
    valuesFiles.set(c.name, path);
    files.set(path, toYaml([sortKeys(c.values ?? {})]));
  }

  const terraformFiles: string[] = [];
  for (const [name, content] of options.terraform ?? []) {
    files.set(`terraform/${name}`, content);
    terraformFiles.push(`terraform/${name}`);
  }

  const index = {
    variant: options.variant,
    components: collected.components.map((c) => ({
      name: c.name,
      namespace: c.namespace,
      dependsOn: c.dependsOn,
      chart: c.chart ? { repository: c.chart.repository, name: c.chart.name, version: c.chart.version } : null,
      values: valuesFiles.get(c.name) ?? null,
      manifests: c.manifestFile ? [c.manifestFile] : [],
    })),
    manifests: manifestFiles,
    flux: fluxFiles,
    terraform: terraformFiles,
    ...(options.cluster ? { cluster: options.cluster } : {}),
    // how the next synth recognizes this folder as cozynet's to replace
    generator: 'cozynet',
  };
  files.set('index.json', JSON.stringify(index, undefined, 2) + '\n');
  return files;
}
