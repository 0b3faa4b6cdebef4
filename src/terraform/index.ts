/**
 * The Terraform target of cozynet: the whole layer as `helm_release`
 * resources (charts from their repositories, and the local charts of the
 * output folder) through cdktf and @cdktf/provider-helm.
 *
 * This is a separate entry point (`cozynet/lib/terraform`): cdktf is archived
 * upstream and an optional peer, and importing the core library never loads
 * it.
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Platform } from '../platform/platform';
import { planDelivery } from '../render/charts';
import { collect } from '../render/collect';
import { deliveryToTerraform } from '../render/terraform';

/**
 * One Helm release for Terraform.
 */
export interface TerraformRelease {
  /** Release name. */
  readonly name: string;
  /** Namespace the release is stored in (it must exist: the `namespaces` release creates them). */
  readonly namespace: string;
  /**
   * Chart repository URL.
   * @default - none: `chart` is the path of a local chart folder
   */
  readonly repository?: string;
  /** Chart name, or the path of a local chart folder. */
  readonly chart: string;
  /**
   * Chart version.
   * @default - the local chart's own version
   */
  readonly version?: string;
  /**
   * Values as one YAML document.
   * @default - none
   */
  readonly values?: string;
  /** Release names this one waits for (must be in the same set to be wired). */
  readonly dependsOn: string[];

  /**
   * Seconds each Helm operation may take (`timeout` of the `helm_release`).
   * @default - the provider's default (300)
   */
  readonly timeout?: number;

  /**
   * Whether Terraform waits for the release's workloads to be ready. Off for
   * a release holding pods that need a pod network a later release
   * completes (Hubble Relay and UI in the Cilium release before Kube-OVN).
   * @default true
   */
  readonly wait?: boolean;
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
        // Namespaces are objects of the layer (labelled), applied first.
        createNamespace: false,
        repository: r.repository,
        chart: r.chart,
        version: r.version,
        values: r.values !== undefined ? [r.values] : undefined,
        timeout: r.timeout,
        wait: r.wait === false ? false : undefined,
        dependsOn: deps.length > 0 ? deps : undefined,
      });
      res.overrideLogicalId(r.name.replace(/[^A-Za-z0-9_]/g, '_'));
      this.releases.set(r.name, res);
    }
  }
}

/**
 * The whole layer of a platform as Terraform releases: the `namespaces`
 * release, each component (remote chart, local chart of its objects) and
 * the sections, in dependency order. The local charts are read from
 * `chartsDir`, the `charts` folder of the platform's output folder (write it
 * with `platform.synthesize(outdir)`).
 * @param platform the platform
 * @param chartsDir path of the output folder's `charts` folder, as Terraform sees it
 */
export function platformReleases(platform: Platform, chartsDir: string): TerraformRelease[] {
  return deliveryToTerraform(planDelivery(collect(platform), { charts: false }).releases, chartsDir, platform._deliveryTimeout());
}

/**
 * The root of an in-memory cdktf tree. cdktf's `App` creates its output
 * folder (`cdktf.out`) in the working folder as soon as it is constructed;
 * `TerraformStack.toTerraform()` needs none of that, only a root that cdktf
 * recognizes as an app (`App.isApp`) and the cdktf version in the context.
 */
class InMemoryApp extends Construct {
  public readonly hclOutput = false;
  public readonly skipValidation = true;
  public readonly skipBackendValidation = true;
  constructor() {
    super(undefined as any, '');
    Object.defineProperty(this, Symbol.for('cdktf/App'), { value: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.node.setContext('cdktfVersion', require('cdktf/package.json').version);
  }
}

/**
 * Renders the releases as a standalone Terraform JSON configuration
 * (`cdk.tf.json`), in memory, with a local backend at a relative path so
 * that the output names no path of the machine it was made on.
 * @internal
 */
export function renderTerraform(releases: TerraformRelease[]): Map<string, string> {
  const app = new InMemoryApp();
  const stack = new TerraformStack(app, 'cozynet');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new HelmReleases(stack, 'platform', { releases });
  const json = stack.toTerraform();
  return new Map([['cdk.tf.json', JSON.stringify(json, undefined, 2) + '\n']]);
}
