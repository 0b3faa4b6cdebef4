import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkValueBudgets } from './budgets';
import { BuiltComponent, checkComponents, checkPlatformValues, plainData } from './checks';
import { MAX_NESTING, parsePlatformObject } from './file';
import { kubeOvnOnlyIssues } from './kube-ovn-only';
import { CiliumChain } from '../constructs/cilium';
import { ManifestGroup } from '../constructs/component';
import { FluxReleases } from '../constructs/flux-releases';
import { KUBE_OVN_IMAGE } from '../constructs/images';
import { KubeOvnSubnet, KubeOvnSubnetProps } from '../constructs/kube-ovn-subnet';
import { KubeOvnWebhook } from '../constructs/kubeovn-webhook';
import { MetalLbPool, MetalLbPoolProps } from '../constructs/metallb-pool';
import { MultusAttachment, MultusAttachmentProps } from '../constructs/multus-attachment';
import { PassthroughService, PassthroughServiceProps } from '../constructs/passthrough';
import { ValuesLayer } from '../helm/release';
import { sortKeys } from '../helm/values';
import { CozynetValidationError, ValidationIssue, withPathPrefix } from '../model/errors';
import { collectGarbageIfLarge, LARGE_RUN_OBJECTS } from '../model/memory';
import { MtuPlan, mtuPlanJson, MtuProps, UnderlayFamily } from '../model/mtu';
import { renderApplyScript } from '../render/apply-script';
import { planDelivery } from '../render/charts';
import { clusterNotices, clusterSettings, compareClusterConfig, renderClusterSettings } from '../render/cluster-settings';
import { collect, Collected } from '../render/collect';
import { renderDiagram } from '../render/diagram';
import { recordOwnFiles, renderFiles } from '../render/files';
import { checkFluxSource, DEFAULT_FLUX_NAMESPACE, FluxOptions, fluxObjects } from '../render/flux';
import { fluxPathFor } from '../render/flux-path';
import { MtuCheck } from '../render/mtu-check';
import { applyMtuPlan, attachmentMtu, makeMtuPlan, ovnDefaultMtu, ovnDefaultMtuObjects, subnetMtu } from '../render/mtu-plan';
import { checkOutputTarget, WriteFolderOptions, writeFolderAtomically, writeFolderInterruptibly } from '../render/output';
import { renderTerraformOutput } from '../render/terraform';
import { checkDeliveryTimeout, DeliveryTimeout, deliveryTimeout } from '../render/timeout';
import { ExposureProps, TenantIsolationOptions, TenantIsolationProps, TenantProps } from '../tenants/props';
import { TenantIsolation } from '../tenants/tenant-isolation';
import { NetworkStack, NetworkStackProps } from '../variants/stack';
import { VerifyOptions, VerifyReport } from '../verify/report';
import { verifyTenantIsolation } from '../verify/verify';

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
   * Render the Terraform target (`terraform/cdk.tf.json`), which needs the
   * optional packages `cdktf` and `@cdktf/provider-helm`. `true`: required
   * (synthesis fails naming the packages when they are missing); `false`:
   * never rendered.
   * @default - rendered when the packages are installed; otherwise skipped with a one-line notice
   */
  readonly terraform?: boolean;

  /**
   * How long one release may take on every delivery path, as a duration in
   * whole hours, minutes and seconds (`10m`, `90s`, `1h30m`; 1m to 24h):
   * Helm's `--timeout`, the retry window of local charts and
   * `kubectl wait`/`rollout status` in `apply/kubectl.sh`, the HelmReleases'
   * `spec.timeout`, the `helm_release` resources' `timeout` (seconds).
   * @default '10m' - a first install pulls the Cilium and Kube-OVN images on every node and waits for OVN's databases; Flux's and Terraform's 5 minutes are tight for that
   */
  readonly timeout?: string;
}

/**
 * External load balancing (platform file key `loadBalancer`).
 */
export interface LoadBalancerProps {
  /**
   * MetalLB address pools, each announced over L2 and/or BGP.
   * @default - no pools
   */
  readonly pools?: MetalLbPoolProps[];
}

/**
 * The whole networking layer of a platform (the platform file, typed).
 */
export interface PlatformProps extends NetworkStackProps {
  /**
   * MetalLB address pools and their announcements.
   * @default - no pools
   */
  readonly loadBalancer?: LoadBalancerProps;

  /**
   * Kube-OVN subnets (per-namespace address ranges, VLAN underlays).
   * @default - none
   */
  readonly subnets?: KubeOvnSubnetProps[];

  /**
   * Multus NetworkAttachmentDefinitions (secondary interfaces of pods and VMs).
   * @default - none
   */
  readonly attachments?: MultusAttachmentProps[];

  /**
   * cozy-proxy services: an external IP passed straight into one pod or VM.
   * @default - none
   */
  readonly passthrough?: PassthroughServiceProps[];

  /**
   * The tenant tree: a list whose one element is `root`. Each tenant gets a
   * namespace with hierarchical labels and the Cilium policies that isolate it.
   * @default - no tenants
   */
  readonly tenants?: TenantProps[];

  /**
   * Knobs of the tenant isolation policies (shared services, DNS, world
   * and kube-apiserver access).
   * @default - the reference platform's isolation model
   */
  readonly isolation?: TenantIsolationOptions;

  /**
   * Delivery options.
   * @default - Flux and Terraform outputs with default settings
   */
  readonly delivery?: DeliveryProps;

  /**
   * The MTU plan: the underlay's MTU and IP family, other node interfaces,
   * an optional pod MTU, and the optional live check. Every MTU the layer
   * sets is computed from it (`cozynet mtu` shows the table).
   * @default - a 1500-byte IPv4 underlay, the largest MTUs that fit
   */
  readonly mtu?: MtuProps;
}

/**
 * What one synthesis wrote.
 */
export interface SynthesisSummary {
  /** The output folder as given. */
  readonly outdir: string;
  /** Files written, relative to the output folder, sorted. */
  readonly files: string[];
  /** Kubernetes objects in manifests/ and flux/ by kind. */
  readonly objectsByKind: { [kind: string]: number };
  /** Kubernetes objects in manifests/ and flux/. */
  readonly objectCount: number;
  /**
   * Lines for the user about what was not written and why (e.g. the
   * Terraform output without its packages).
   * @default []
   */
  readonly notices?: string[];
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
  /** MetalLB pools, in file order. */
  public readonly pools: MetalLbPool[] = [];
  /** Kube-OVN subnets, in file order. */
  public readonly subnets: KubeOvnSubnet[] = [];
  /** Multus attachments, in file order. */
  public readonly attachments: MultusAttachment[] = [];
  /** Passthrough services, in file order. */
  public readonly passthroughServices: PassthroughService[] = [];
  /** The tenant isolation, when the platform has tenants. */
  public readonly tenantIsolation?: TenantIsolation;
  /** The variant's name. */
  public readonly variantName: string;
  /**
   * The MTU plan (every layer from the wire up), when it could be made.
   * @internal
   */
  public readonly _mtuPlan?: MtuPlan;
  private readonly delivery: DeliveryProps;

  constructor(scope: Construct, id: string, props: PlatformProps = {}) {
    super(scope, id);
    // The platform file's checks, for every caller: shape (unknown keys with
    // a "did you mean", types, enums), then values that no construct owns.
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      throw new CozynetValidationError([{ path: '(props)', value: CozynetValidationError.show(props), message: 'must be an object of PlatformProps' }]);
    }
    checkValueBudgets(props, MAX_NESTING);
    parsePlatformObject(plainData(props));
    const valueIssues = checkPlatformValues(props);
    if (valueIssues.length > 0) throw new CozynetValidationError(valueIssues);
    this.node.addValidation({ validate: () => duplicateObjects(this) });

    // The MTU plan first: Kilo's MTU is an argument of its construct.
    const mtuIssues: ValidationIssue[] = [];
    try {
      this._mtuPlan = makeMtuPlan(props);
    } catch (e) {
      if (!(e instanceof CozynetValidationError)) throw e;
      mtuIssues.push(...e.issues);
    }
    this.stack = new NetworkStack(this, 'network', this._mtuPlan ? applyMtuPlan(props, this._mtuPlan) : props);
    this.variantName = this.stack.variant.name;
    this.delivery = props.delivery ?? {};
    // Flux's controllers recreate the webhook's release: their namespace stays out of it.
    for (const c of this.stack.components) {
      if (KubeOvnWebhook.isKubeOvnWebhook(c)) c.exemptNamespaces(this.delivery.flux?.namespace ?? DEFAULT_FLUX_NAMESPACE);
    }

    // Problems of every section are collected and reported at once.
    const issues: ValidationIssue[] = [...mtuIssues];
    const mtuPlan = this._mtuPlan;
    if (mtuPlan?.cilium !== undefined) {
      // Cilium's tunnel runs over the underlay's family (chart value underlayProtocol, default ipv4).
      const underlayProtocol = mtuPlan.underlayFamily === UnderlayFamily.IPV6 ? { underlayProtocol: 'ipv6' } : {};
      (this.stack.component('cilium') as CiliumChain | undefined)?.addValuesLayer(ValuesLayer.of('mtu', { MTU: mtuPlan.cilium, ...underlayProtocol }));
    }
    const attempt = <T>(fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (e) {
        if (!(e instanceof CozynetValidationError)) throw e;
        issues.push(...e.issues);
        return undefined;
      }
    };

    if (props.tenants !== undefined && props.tenants !== null && !this.stack.runsCilium) {
      // Tenant isolation is Cilium policies: on noop, only if the user's CNI is Cilium.
      const message = 'tenants need Cilium policies: on the noop variant set cni: cilium if the cluster runs Cilium (its CRDs must exist), or leave tenants out';
      issues.push({ path: 'cni', value: CozynetValidationError.show(props.cni), message });
    } else if (props.tenants !== undefined && props.tenants !== null) {
      this.tenantIsolation = attempt(() => new TenantIsolation(new ManifestGroup(this, 'tenants'), 'isolation', {
        ...props.isolation,
        allowFromIngress: props.isolation?.allowFromIngress ?? ciliumServesIngress(this.stack),
        tenants: props.tenants!,
        path: 'tenants',
        optionsPath: 'isolation',
      }));
    }

    const metallbNamespace = this.stack.component('metallb')?.releaseNamespace;
    const each = <P, C>(list: P[] | undefined, field: string, groupName: string, make: (group: Construct, item: P, i: number) => C, into: C[]) => {
      if (list === undefined || list === null) return;
      if (!Array.isArray(list)) {
        issues.push({ path: field, value: CozynetValidationError.show(list), message: 'must be a list' });
        return;
      }
      if (list.length === 0) return;
      const group = new ManifestGroup(this, groupName);
      list.forEach((item, i) => {
        const made = attempt(() => withPathPrefix(`${field}[${i}]`, () => make(group, item, i)));
        if (made !== undefined) into.push(made);
      });
    };
    each(props.loadBalancer?.pools, 'loadBalancer.pools', 'load-balancer',
      (group, p, i) => new MetalLbPool(group, `pool-${i}`, { namespace: metallbNamespace, ...p }), this.pools);
    // Kube-OVN objects only where Kube-OVN runs (src/platform/kube-ovn-only.ts).
    const withoutKubeOvn = this.stack.runsKubeOvn ? [] : kubeOvnOnlyIssues(props, this.variantName);
    issues.push(...withoutKubeOvn);
    if (withoutKubeOvn.length === 0) {
      each(props.subnets, 'subnets', 'subnets', (group, p, i) => new KubeOvnSubnet(group, `subnet-${i}`, mtuPlan ? subnetMtu(mtuPlan, p, `subnets[${i}]`) : p), this.subnets);
    }
    const ovnDefault = mtuPlan && this.stack.runsKubeOvn ? ovnDefaultMtu(mtuPlan) : undefined;
    if (ovnDefault !== undefined) {
      const kubeovn = this.stack.component('kubeovn')!;
      const image = props.images?.kubeovn ?? props.components?.kubeovn?.image ?? KUBE_OVN_IMAGE;
      const group = new ManifestGroup(this, 'ovn-default-mtu');
      ovnDefaultMtuObjects(ovnDefault, kubeovn.releaseNamespace, image).forEach((o, i) => new ApiObject(group, `object-${i}`, o));
    }
    // (an attachment refused for calling Kube-OVN is not built: its subnet errors would only repeat it)
    const refused = new Set(withoutKubeOvn.map((x) => /^attachments\[(\d+)\]/.exec(x.path)?.[1]).filter((x) => x !== undefined).map(Number));
    each(props.attachments, 'attachments', 'attachments',
      (group, p, i) => (refused.has(i) ? undefined : new MultusAttachment(group, `attachment-${i}`, mtuPlan ? attachmentMtu(mtuPlan, p, `attachments[${i}]`) : p)) as MultusAttachment, this.attachments);
    if (mtuPlan && props.mtu?.check === true) {
      const cluster = this.stack.cluster;
      new MtuCheck(this, 'mtu-check', mtuPlan, cluster.clusterDomain, cluster.podCidr.includes(':'));
    }
    each(props.passthrough, 'passthrough', 'passthrough', (group, p, i) => new PassthroughService(group, `service-${i}`, p), this.passthroughServices);
    if (this.tenantIsolation) {
      issues.push(...tenantNamespaceReferences(props, this.tenantIsolation.namespaces));
      for (const svc of this.passthroughServices) {
        const exposure = passthroughExposure(svc, this.tenantIsolation.namespaces);
        if (exposure) attempt(() => this.tenantIsolation!.addExposure(exposure));
      }
    }
    issues.push(...checkComponents(
      this.stack.components.map((c): BuiltComponent => {
        const key = camel(c.node.id);
        const field = c.node.id === 'cilium-networkpolicy' ? 'firewall' : `components.${key}`;
        const user = (props.components as any)?.[key]?.dependsOn;
        return {
          field,
          releaseName: c.releaseName,
          namespace: c.releaseNamespace,
          dependsOn: c.dependsOn,
          userDependsOn: Array.isArray(user) ? user : [],
        };
      }),
      this.tenantIsolation?.namespaces ?? [],
      this.delivery.flux?.namespace,
    ));
    if (issues.length > 0) throw new CozynetValidationError(issues);
    const helm = this.stack.components.filter((c) => c.helmChart);
    if (helm.length > 0) new FluxReleases(this, 'flux', helm, this.delivery.flux);
    issues.push(...checkFluxSource(this.delivery.flux));
    issues.push(...checkDeliveryTimeout(this.delivery.timeout));
    if (issues.length > 0) throw new CozynetValidationError(issues);
  }

  /**
   * The delivery timeout every path applies (`delivery.timeout`).
   * @internal
   */
  public _deliveryTimeout(): DeliveryTimeout {
    return deliveryTimeout(this.delivery.timeout);
  }

  /**
   * Renders the platform and writes the output folder of the contract
   * (index.json, manifests/, helm/, flux/, terraform/) atomically. The Flux
   * HelmReleases name the local charts by where `outdir` lies in its Git
   * repository (`delivery.flux.path`, when given, must say the same).
   * @param outdir output folder
   * @default 'dist'
   */
  public synthesize(outdir: string = 'dist'): SynthesisSummary {
    return this._synthesize(outdir);
  }

  /**
   * `synthesize()`, reporting its phases to `progress` (the CLI's terminal line).
   * @internal
   */
  public _synthesize(
    outdir: string,
    progress?: (text: string) => void,
    options: WriteFolderOptions = {},
  ): SynthesisSummary {
    const { files, notices, objects } = this._prepare(outdir, progress, options);
    // and what rendering left behind, before writing (and the bootstrap model) allocate
    collectGarbageIfLarge(objects, LARGE_RUN_OBJECTS);
    writeFolderAtomically(outdir, files, options);
    progress?.('');
    return { ...summarize(outdir, files), notices };
  }

  /**
   * `_synthesize`, stopping cleanly at SIGINT, SIGTERM or SIGHUP while the
   * folder is written (the earlier output is restored; rejects with
   * WriteInterrupted). The CLI's synth.
   * @internal
   */
  public async _synthesizeInterruptibly(
    outdir: string,
    progress?: (text: string) => void,
    options: WriteFolderOptions = {},
  ): Promise<SynthesisSummary> {
    const { files, notices, objects } = this._prepare(outdir, progress, options);
    // and what rendering left behind, before writing (and the bootstrap model) allocate
    collectGarbageIfLarge(objects, LARGE_RUN_OBJECTS);
    await writeFolderInterruptibly(outdir, files, options);
    progress?.('');
    return { ...summarize(outdir, files), notices };
  }

  private _prepare(outdir: string, progress: ((text: string) => void) | undefined, options: WriteFolderOptions) {
    progress?.('cozynet: rendering');
    // the platform's own problems first, then an --out that is not ours,
    // both before any file is written
    const collected = collect(this);
    checkOutputTarget(outdir, options.config);
    // Large platforms: what collecting left behind is freed before rendering allocates.
    const objects = collectedObjectCount(collected);
    collectGarbageIfLarge(objects, LARGE_RUN_OBJECTS);
    // The local charts' paths in flux/ are where the output lands in its Git repository.
    const flux = fluxPathFor(outdir, this.delivery.flux?.path);
    const rendered = this._render(collected, flux.path);
    const notices = flux.notice ? [...rendered.notices, flux.notice] : rendered.notices;
    progress?.(`cozynet: writing ${rendered.files.size} files`);
    return { files: rendered.files, notices, objects };
  }

  /**
   * The Kubernetes objects of the output folder: those of `manifests/` and
   * the whole layer's Flux objects (`flux/`), as `synth` writes them.
   * @internal
   */
  public _outputObjects(collected: Collected = collect(this)): any[] {
    const manifests = collected.manifests.filter((m) => m.path.startsWith('manifests/')).flatMap((m) => m.objects);
    return [...manifests, ...fluxObjects(planDelivery(collected, { charts: false }).releases, this.delivery.flux, this._deliveryTimeout())];
  }

  /**
   * Every Kubernetes object the platform synthesizes (plain JSON), in
   * manifest order.
   */
  public objects(): any[] {
    return collect(this).manifests.filter((m) => m.path.startsWith('manifests/')).flatMap((m) => m.objects);
  }

  /**
   * Checks offline that the synthesized Cilium policies give exactly the
   * intended tenant reachability (facts §9). Undefined without tenants.
   */
  public verifyTenants(options?: VerifyOptions): VerifyReport | undefined {
    if (!this.tenantIsolation) return undefined;
    return verifyTenantIsolation(this.tenantIsolation._effectiveProps(), this.objects(), options);
  }

  /**
   * The tenant isolation props as verified (exposures of passthrough
   * services and Gateway API included). Undefined without tenants.
   * @internal
   */
  public _isolationProps(): TenantIsolationProps | undefined {
    return this.tenantIsolation?._effectiveProps();
  }

  /**
   * Every output file (relative path → content), without writing anything.
   * @internal
   */
  public _renderFiles(collected: Collected = collect(this)): Map<string, string> {
    return this._render(collected).files;
  }

  /**
   * Mismatches between an existing Talos machine config, kubeadm
   * configuration or k3s/RKE2 config file (its YAML documents) and what this
   * platform needs of the cluster (`cluster/` of the output folder).
   * @internal
   */
  public _clusterConfigIssues(file: string, docs: any[]): ValidationIssue[] {
    const collected = collect(this);
    const settings = clusterSettings({
      distribution: this.stack.variant.distribution,
      cluster: this.stack.cluster,
      components: collected.components,
      objects: collected.manifests.filter((m) => m.path.startsWith('manifests/')).flatMap((m) => m.objects),
    });
    return compareClusterConfig(file, docs, settings);
  }

  /**
   * Every output file, and the notices about what was left out.
   * @internal
   */
  public _render(collected: Collected = collect(this), fluxPath?: string): { files: Map<string, string>; notices: string[] } {
    const plan = planDelivery(collected);
    const timeout = this._deliveryTimeout();
    const objects = collected.manifests.filter((m) => m.path.startsWith('manifests/')).flatMap((m) => m.objects);
    const settingsInput = { distribution: this.stack.variant.distribution, cluster: this.stack.cluster, components: collected.components, objects };
    const fluxOptions = fluxPath === undefined ? this.delivery.flux : { ...this.delivery.flux, path: fluxPath };
    const terraform = this.delivery.terraform === false ? {} : renderTerraformOutput(plan.releases, this.delivery.terraform, undefined, timeout);
    const files = renderFiles(collected, {
      variant: this.variantName,
      terraform: terraform.files,
      charts: plan.files,
      flux: fluxObjects(plan.releases, fluxOptions, timeout),
      apply: new Map([['apply/kubectl.sh', renderApplyScript(plan.releases, timeout)]]),
      clusterSettings: renderClusterSettings(settingsInput),
      ...(this._mtuPlan ? { mtu: mtuPlanJson(this._mtuPlan) } : {}),
      cluster: {
        podCidr: this.stack.cluster.podCidr,
        serviceCidr: this.stack.cluster.serviceCidr,
        joinCidr: this.stack.cluster.joinCidr,
        clusterDomain: this.stack.cluster.clusterDomain,
      },
      ...(this.stack._preinstalledCertManager !== undefined ? { assumes: { certManager: { namespace: this.stack._preinstalledCertManager } } } : {}),
    });
    files.set('topology.mmd', renderDiagram(this, { objects }));
    recordOwnFiles(files);
    return { files, notices: [...terraform.notice ? [terraform.notice] : [], ...clusterNotices(settingsInput), ...(this._mtuPlan?.notices ?? []).map((n) => `cozynet: ${n}`)] };
  }
}

/** Whether Cilium's Envoy serves Gateway API or Ingress (its traffic to backends is entity `ingress`). */
function ciliumServesIngress(stack: NetworkStack): boolean {
  const values = stack.component('cilium')?.values ?? {};
  return values.gatewayAPI?.enabled === true || values.ingressController?.enabled === true;
}

/**
 * The exposure a passthrough Service needs in a tenant namespace: the world
 * reaches its one pod on the Service's ports, on every port with wholeIP,
 * ICMP echo with allowICMP (read from the Service object).
 */
function passthroughExposure(svc: PassthroughService, tenantNamespaces: string[]): ExposureProps | undefined {
  if (!tenantNamespaces.includes(svc.namespace)) return undefined;
  // The Service's own props (toJson needs the App's resolvers, which a bare scope lacks).
  const obj: any = (svc.service as any).props ?? {};
  const annotations = obj.metadata?.annotations ?? {};
  const wholeIp = annotations['networking.cozystack.io/wholeIP'] === 'true';
  const allowIcmp = annotations['networking.cozystack.io/allowICMP'] === 'true';
  const name = `passthrough-${svc.name}`.slice(0, 63).replace(/-+$/, '');
  return {
    name,
    namespace: svc.namespace,
    selector: { ...(obj.spec?.selector ?? {}) },
    ...(wholeIp ? {} : {
      ports: (obj.spec?.ports ?? []).map((p: any) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
      allowIcmp,
    }),
    from: [{ world: true }],
  };
}

/** @internal */
/** Objects of every manifest and Flux file of a collection. */
function collectedObjectCount(collected: Collected): number {
  let n = 0;
  for (const m of collected.manifests) n += m.objects.length;
  return n;
}

export function summarize(outdir: string, files: Map<string, string>): SynthesisSummary {
  const byKind: Record<string, number> = {};
  let count = 0;
  for (const [path, content] of files) {
    // every Kubernetes object of the folder, as `validate DIR` counts them
    if (!path.startsWith('manifests/') && !path.startsWith('flux/')) continue;
    for (const m of content.matchAll(/^kind: (\S+)$/gm)) {
      byKind[m[1]] = (byKind[m[1]] ?? 0) + 1;
      count++;
    }
  }
  return { outdir, files: [...files.keys()].sort(), objectsByKind: sortKeys(byKind), objectCount: count };
}

/**
 * Tenant namespaces (`tenant-…`) that subnets, attachments and passthrough
 * services name must belong to the platform's tenant tree.
 */
function tenantNamespaceReferences(props: PlatformProps, known: string[]): ValidationIssue[] {
  const tenants = new Set(known);
  const issues: ValidationIssue[] = [];
  const check = (path: string, ns: unknown) => {
    if (typeof ns === 'string' && ns.startsWith('tenant-') && !tenants.has(ns)) {
      const list = known.length > 8 ? `${known.slice(0, 8).join(', ')}, …` : known.join(', ');
      issues.push({ path, value: CozynetValidationError.show(ns), message: `is not the namespace of a tenant of this platform (tenants: ${list})` });
    }
  };
  (props.subnets ?? []).forEach((s, i) => (Array.isArray(s?.namespaces) ? s.namespaces : []).forEach((ns, j) => check(`subnets[${i}].namespaces[${j}]`, ns)));
  (props.attachments ?? []).forEach((a, i) => check(`attachments[${i}].namespace`, a?.namespace));
  (props.passthrough ?? []).forEach((p, i) => check(`passthrough[${i}].namespace`, p?.namespace));
  return issues;
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function objectKey(o: ApiObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.name}`;
}

/**
 * The same Kubernetes object (apiVersion, kind, namespace, name) twice in
 * one construct tree, e.g. two Platforms (or a Platform and a
 * TenantIsolation) over one tenant tree. Reported by the first Platform of
 * the tree only.
 */
function duplicateObjects(self: Platform): string[] {
  const all = self.node.root.node.findAll();
  const first = all.find((c: IConstruct) => c instanceof Platform);
  if (first !== self) return [];
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const c of all) {
    if (!ApiObject.isApiObject(c)) continue;
    const key = objectKey(c);
    const other = seen.get(key);
    if (other === undefined) seen.set(key, c.node.path);
    else if (problems.length < 20) problems.push(`the object ${key} is emitted twice (by ${other} and by ${c.node.path}): a cluster holds it once; two Platforms or a Platform and a TenantIsolation over one tenant tree cannot share an app`);
  }
  return problems;
}
