/**
 * The Terraform target of cozynet: Helm releases as `helm_release`
 * resources through cdktf and @cdktf/provider-helm.
 *
 * This is a separate entry point (`cozynet/lib/terraform`): cdktf is
 * deprecated upstream, and importing the core library never loads it.
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { App, LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';

/**
 * One Helm release for Terraform.
 */
export interface TerraformRelease {
  /** Release name. */
  readonly name: string;
  /** Target namespace (created if missing). */
  readonly namespace: string;
  /** Chart repository URL. */
  readonly repository: string;
  /** Chart name. */
  readonly chart: string;
  /** Chart version. */
  readonly version: string;
  /** Values as one YAML document. */
  readonly values: string;
  /** Release names this one waits for (must be in the same set to be wired). */
  readonly dependsOn: string[];
}

/**
 * Properties of `HelmReleases`.
 */
export interface HelmReleasesProps {
  /** The releases, dependencies first. */
  readonly releases: TerraformRelease[];
  /**
   * Declare the helm provider (with a `kubeconfig_path` variable).
   * Turn off when the stack already configures the helm provider.
   * @default true
   */
  readonly provider?: boolean;
}

/**
 * `helm_release` resources for a cozynet platform, attachable to any cdktf
 * stack.
 */
export class HelmReleases extends Construct {
  /** The resources by release name. */
  public readonly releases: Map<string, Release> = new Map();

  constructor(scope: Construct, id: string, props: HelmReleasesProps) {
    super(scope, id);
    if (props.provider ?? true) {
      const kubeconfig = new TerraformVariable(this, 'kubeconfig_path', {
        type: 'string',
        default: '~/.kube/config',
        description: 'Path of the kubeconfig the helm provider uses',
      });
      kubeconfig.overrideLogicalId('kubeconfig_path');
      new HelmProvider(this, 'helm', { kubernetes: { configPath: kubeconfig.stringValue } });
    }
    for (const r of props.releases) {
      const deps = r.dependsOn.map((d) => this.releases.get(d)).filter((x): x is Release => x !== undefined);
      const res = new Release(this, r.name, {
        name: r.name,
        namespace: r.namespace,
        createNamespace: true,
        repository: r.repository,
        chart: r.chart,
        version: r.version,
        values: [r.values],
        dependsOn: deps.length > 0 ? deps : undefined,
      });
      res.overrideLogicalId(r.name.replace(/[^A-Za-z0-9_]/g, '_'));
      this.releases.set(r.name, res);
    }
  }
}

/**
 * Renders the releases as a standalone Terraform JSON configuration
 * (`cdk.tf.json`), with a local backend at a relative path so that the
 * output names no path of the machine it was made on.
 */
export function renderTerraform(releases: TerraformRelease[]): Map<string, string> {
  const app = new App({ outdir: 'cdktf.out', skipValidation: true, skipBackendValidation: true } as any);
  const stack = new TerraformStack(app, 'cozynet');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new HelmReleases(stack, 'platform', { releases });
  const json = stack.toTerraform();
  return new Map([['cdk.tf.json', JSON.stringify(json, undefined, 2) + '\n']]);
}
