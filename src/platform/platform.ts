import { Construct } from 'constructs';
import { collect, Collected } from '../render/collect';
import { FluxOptions } from '../render/flux';
import { renderFiles } from '../render/files';
import { writeFolderAtomically } from '../render/output';
import { toYaml } from '../render/files';
import { sortKeys } from '../helm/values';
import { NetworkStack, NetworkStackProps } from '../variants/stack';

/**
 * How releases are delivered (platform file key `delivery`).
 */
export interface DeliveryProps {
  /**
   * Flux delivery settings.
   * @default - namespace cozy-fluxcd, interval 5m, 3 retries
   */
  readonly flux?: FluxOptions;

  /**
   * Also render the Terraform JSON target (`terraform/cdk.tf.json`).
   * @default true
   */
  readonly terraform?: boolean;
}

/**
 * The whole networking layer of a platform (the platform file, typed).
 */
export interface PlatformProps extends NetworkStackProps {
  /**
   * Delivery options.
   * @default - Flux and Terraform outputs with default settings
   */
  readonly delivery?: DeliveryProps;
}

/**
 * What one synthesis wrote.
 */
export interface SynthesisSummary {
  /** The output folder as given. */
  readonly outdir: string;
  /** Files written, relative to the output folder, sorted. */
  readonly files: string[];
  /** Kubernetes objects in manifests/ by kind. */
  readonly objectsByKind: { [kind: string]: number };
  /** Kubernetes objects in manifests/. */
  readonly objectCount: number;
}

/**
 * A platform's networking layer: the variant stack plus the objects of the
 * platform file. Attach it to any scope (a cdk8s App or Chart, a cdktf
 * stack, or a bare `Construct`) and render it with `synthesize()`, or let
 * the stock `cdk8s synth` write one file per component.
 */
export class Platform extends Construct {
  /** The networking stack (variant components). */
  public readonly stack: NetworkStack;
  /** The variant's name. */
  public readonly variantName: string;
  private readonly delivery: DeliveryProps;

  constructor(scope: Construct, id: string, props: PlatformProps = {}) {
    super(scope, id);
    this.stack = new NetworkStack(this, 'network', props);
    this.variantName = this.stack.variant.name;
    this.delivery = props.delivery ?? {};
  }

  /**
   * Renders the platform and writes the output folder of the contract
   * (index.json, manifests/, helm/, flux/, terraform/) atomically.
   * @param outdir output folder
   * @default 'dist'
   */
  public synthesize(outdir: string = 'dist'): SynthesisSummary {
    const files = this._renderFiles();
    writeFolderAtomically(outdir, files);
    return summarize(outdir, files);
  }

  /**
   * Every output file (relative path → content), without writing anything.
   * @internal
   */
  public _renderFiles(): Map<string, string> {
    const collected = collect(this);
    return renderFiles(collected, {
      variant: this.variantName,
      flux: this.delivery.flux,
      terraform: (this.delivery.terraform ?? true) ? renderTerraformLazily(collected) : undefined,
    });
  }
}

function renderTerraformLazily(collected: Collected): Map<string, string> {
  // Loaded only here: the core library never loads cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('../terraform') as typeof import('../terraform');
  return tf.renderTerraform(collected.components.filter((c) => c.chart).map((c) => ({
    name: c.name,
    namespace: c.namespace,
    repository: c.chart!.repository,
    chart: c.chart!.name,
    version: c.chart!.version,
    values: toYaml([sortKeys(c.values ?? {})]),
    dependsOn: c.dependsOn,
  })));
}

/** @internal */
export function summarize(outdir: string, files: Map<string, string>): SynthesisSummary {
  const byKind: Record<string, number> = {};
  let count = 0;
  for (const [path, content] of files) {
    if (!path.startsWith('manifests/')) continue;
    for (const m of content.matchAll(/^kind: (\S+)$/gm)) {
      byKind[m[1]] = (byKind[m[1]] ?? 0) + 1;
      count++;
    }
  }
  return { outdir, files: [...files.keys()].sort(), objectsByKind: sortKeys(byKind), objectCount: count };
}
