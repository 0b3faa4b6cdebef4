import { DeliveryRelease } from './charts';
import { toYaml } from './files';
import { DeliveryTimeout, deliveryTimeout } from './timeout';
import { sortKeys } from '../helm/values';
import { CozynetValidationError } from '../model/errors';

/** The npm packages the Terraform output needs (optional peers). @internal */
export const TERRAFORM_PACKAGES = ['cdktf@^0.21.0', '@cdktf/provider-helm@^12.1.2'];

/** The CDK-for-Terraform line the Terraform output is built and tested with. @internal */
export const SUPPORTED_CDKTF = '0.21';

/** Namespace of the releases that hold cluster-wide objects and the sections (it always exists). @internal */
export const TERRAFORM_DEFAULT_NAMESPACE = 'default';

/** One release as the Terraform entry point takes it (`TerraformRelease`). @internal */
export interface TerraformReleaseSpec {
  readonly name: string;
  readonly namespace: string;
  readonly repository?: string;
  readonly chart: string;
  readonly version?: string;
  readonly values?: string;
  readonly dependsOn: string[];
  /** Seconds each Helm operation may take (the delivery timeout). */
  readonly timeout?: number;
  /** false: do not wait for the release's workloads (see `DeliveryRelease.wait`). */
  readonly wait?: boolean;
}

/**
 * The delivery plan as Terraform releases; local charts are read from
 * `chartsDir` (`${path.module}/../charts` in the output folder's
 * `terraform/cdk.tf.json`).
 * @internal
 */
export function deliveryToTerraform(
  releases: DeliveryRelease[],
  chartsDir: string,
  timeout: DeliveryTimeout = deliveryTimeout(undefined),
): TerraformReleaseSpec[] {
  return releases.map((r) => ({
    name: r.name,
    namespace: r.namespace ?? TERRAFORM_DEFAULT_NAMESPACE,
    dependsOn: r.dependsOn,
    timeout: timeout.seconds,
    ...(r.wait === false ? { wait: false } : {}),
    ...(r.remote
      ? {
        repository: r.remote.chart.repository,
        chart: r.remote.chart.name,
        version: r.remote.chart.version,
        values: toYaml([sortKeys(r.remote.values)]),
      }
      : { chart: `${chartsDir}/${r.local!.slice('charts/'.length)}` }),
  }));
}

/** What the Terraform renderer gave: files, or why there are none. @internal */
export interface TerraformOutput {
  readonly files?: Map<string, string>;
  /** One line for the user when the output was skipped. */
  readonly notice?: string;
}

/** Loads the Terraform entry point; undefined with the missing packages when cdktf is not installed. */
type TerraformModule = { renderTerraform(releases: TerraformReleaseSpec[]): Map<string, string> };

/** @internal */
export function loadTerraformModule(): { module?: TerraformModule; missing: string[] } {
  try {
    // Loaded only here: the core library never loads cdktf.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { module: require('../terraform') as TerraformModule, missing: [] };
  } catch (e: any) {
    if (e?.code !== 'MODULE_NOT_FOUND') throw e;
    // the module that could not be found, and whether the other one resolves
    const named = /Cannot find module '([^']+)'/.exec(String(e.message))?.[1] ?? '';
    const missing: string[] = [];
    for (const [pkg, probe] of [['cdktf', 'cdktf'], ['@cdktf/provider-helm', '@cdktf/provider-helm/lib/provider']]) {
      if (named === pkg || named.startsWith(`${pkg}/`)) {
        missing.push(pkg);
        continue;
      }
      try {
        require.resolve(probe);
      } catch {
        missing.push(pkg);
      }
    }
    if (missing.length === 0) throw e;
    return { missing };
  }
}

/**
 * Renders `terraform/` when the Terraform packages are installed.
 * `requested`: true when the user asked for Terraform explicitly
 * (`delivery.terraform: true`): missing packages are then an error;
 * undefined: rendered when available, else one notice line.
 * @internal
 */
export function renderTerraformOutput(
  releases: DeliveryRelease[],
  requested: boolean | undefined,
  load = loadTerraformModule,
  timeout: DeliveryTimeout = deliveryTimeout(undefined),
): TerraformOutput {
  const { module, missing } = load();
  if (!module) {
    const install = `npm install ${TERRAFORM_PACKAGES.filter((p) => missing.some((m) => p.startsWith(`${m}@`))).join(' ')}`;
    if (requested === true) {
      throw new CozynetValidationError([{
        path: 'delivery.terraform',
        value: 'true',
        message: `the Terraform output needs the packages ${missing.join(' and ')}, which are not installed: run \`${install}\` (or set delivery.terraform: false)`,
      }]);
    }
    return { notice: `cozynet: terraform/ not written: ${missing.join(' and ')} not installed (to enable the Terraform output: ${install})` };
  }
  return { files: module.renderTerraform(deliveryToTerraform(releases, '${path.module}/../charts', timeout)) };
}
