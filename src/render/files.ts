import { stringify } from 'yaml';
import { Collected } from './collect';
import { plainYaml } from './plain-yaml';
import { PRERENDERED_YAML } from './prerendered';
import { sortKeys } from '../helm/values';

/** @internal */
export interface RenderOptions {
  readonly variant: string;
  /** Terraform JSON file contents by name (from the terraform entry point), if rendered. */
  readonly terraform?: Map<string, string>;
  /** Files of the local charts (`charts/<name>/...`), if any. */
  readonly charts?: Map<string, string>;
  /** The whole layer's Flux objects (replaces the Flux objects of the tree), if rendered. */
  readonly flux?: any[];
  /** Cluster settings (`cluster/...`), if any. */
  readonly clusterSettings?: Map<string, string>;
  /** Scripts of the kubectl path (`apply/...`), if any. */
  readonly apply?: Map<string, string>;
  /** The MTU plan (index.json `mtu`: every layer's MTU, the tenant clusters' recommendation). */
  readonly mtu?: any;
  /** The cluster network the output assumes (index.json `cluster`: what a running cluster cannot change by an apply). */
  readonly cluster?: { podCidr: string; serviceCidr: string; joinCidr: string; clusterDomain: string };
  /** What the output needs the cluster to run already (index.json `assumes`): cert-manager's namespace with `preinstalled: true`. */
  readonly assumes?: { certManager?: { namespace: string } };
}

/** Multi-document YAML with stable formatting. @internal */
export function toYaml(docs: any[]): string {
  return docs.map((d) => {
    let text = PRERENDERED_YAML.get(d);
    if (text === undefined) {
      text = plainYaml(d) ?? stringify(d, { lineWidth: 0, aliasDuplicateObjects: false });
      if (d !== null && typeof d === 'object') PRERENDERED_YAML.set(d, text);
    }
    return text;
  }).join('---\n');
}

/**
 * Renders every output file (path relative to the output folder → content),
 * `index.json` last, as specified by the contract.
 * @internal
 */
export function renderFiles(collected: Collected, options: RenderOptions): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of collected.manifests) {
    if (options.flux && m.path.startsWith('flux/')) continue;
    files.set(m.path, toYaml(m.objects));
  }
  const manifestFiles = collected.manifests.map((m) => m.path).filter((p) => p.startsWith('manifests/'));
  const fluxFiles = options.flux ? [] : collected.manifests.map((m) => m.path).filter((p) => p.startsWith('flux/'));
  if (options.flux && options.flux.length > 0) {
    files.set('flux/releases.yaml', toYaml(options.flux));
    fluxFiles.push('flux/releases.yaml');
  }
  const chartFolders: string[] = [];
  for (const [p, content] of options.charts ?? []) {
    files.set(p, content);
    const folder = p.split('/').slice(0, 2).join('/');
    if (!chartFolders.includes(folder)) chartFolders.push(folder);
  }
  const clusterFiles: string[] = [];
  for (const [p, content] of options.clusterSettings ?? []) {
    files.set(p, content);
    clusterFiles.push(p);
  }
  const applyFiles: string[] = [];
  for (const [p, content] of options.apply ?? []) {
    files.set(p, content);
    applyFiles.push(p);
  }

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
    charts: chartFolders,
    clusterSettings: clusterFiles,
    apply: applyFiles,
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.assumes?.certManager ? { assumes: options.assumes } : {}),
    ...(options.mtu ? { mtu: options.mtu } : {}),
    // how the next synth recognizes this folder as cozynet's to replace
    generator: 'cozynet',
  };
  files.set('index.json', JSON.stringify(index, undefined, 2) + '\n');
  return files;
}

/**
 * Records in `index.json` (key `files`, sorted) exactly the paths of the
 * output folder that cozynet writes, `index.json` included. The next synth
 * replaces a folder only when every entry in it is one of these paths (or a
 * folder holding them): the record, not strings that look like paths, says
 * what is cozynet's. Call it once every file is in `files`.
 * @internal
 */
export function recordOwnFiles(files: Map<string, string>): void {
  const text = files.get('index.json');
  if (text === undefined) return;
  const index = JSON.parse(text);
  const { generator, ...rest } = index;
  const own = [...new Set([...files.keys(), 'index.json'])].sort();
  files.set('index.json', JSON.stringify({ ...rest, files: own, generator }, undefined, 2) + '\n');
}
