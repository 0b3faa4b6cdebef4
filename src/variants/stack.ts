import { Construct } from 'constructs';
import { ComponentsProps, StackContext } from './layers';
import { registerNetworkStack } from './stack-registry';
import { Variant, VariantName } from './variant';
import { HubbleProps } from '../constructs/cilium';
import { Component } from '../constructs/component';
import { FirewallPort, HostFirewall } from '../constructs/host-firewall';
import { ImagesProps, kubeOvnImage, parseImage } from '../constructs/images';
import { KubeOvn } from '../constructs/kube-ovn';
import { AddressPlan } from '../model/address-plan';
import { ClusterNetwork, ClusterNetworkProps } from '../model/cluster';
import { fail, withPathPrefix } from '../model/errors';

/**
 * The CNI a `noop` cluster already runs (platform file key `cni`).
 */
export enum ExternalCni {
  /**
   * Cilium: its CRDs exist, so Cilium policies (tenant isolation) work, and
   * Multus delegates to the conflist Cilium writes (`05-cilium.conflist`).
   */
  CILIUM = 'cilium',
  /**
   * Another CNI: no Cilium policies (no tenant isolation); Multus picks the
   * first conflist in /etc/cni/net.d unless `components.multus.masterCni` names one.
   */
  OTHER = 'other',
}

/**
 * Host firewall settings (platform file key `firewall`).
 */
export interface FirewallProps {
  /**
   * Ports closed to the world in addition to the reference list.
   * @default - none
   */
  readonly extraPorts?: FirewallPort[];

  /**
   * Replaces the reference list of closed ports (the host-network ports of
   * the platform's own components are still closed).
   * @default - the reference list (facts §8)
   */
  readonly ports?: FirewallPort[];

  /**
   * Ports to leave open to the world although the reference list or one of
   * the platform's components names them (e.g. 9963 for a Prometheus
   * outside the cluster); each must be a port the firewall closes.
   * @default - none
   */
  readonly exemptPorts?: number[];
}

/**
 * Properties of a networking stack.
 */
export interface NetworkStackProps {
  /**
   * The networking variant.
   * @default VariantName.KUBEOVN_CILIUM
   */
  readonly variant?: string;

  /**
   * Cluster network settings.
   * @default - the reference platform's defaults
   */
  readonly cluster?: ClusterNetworkProps;

  /**
   * Hubble observability.
   * @default - off
   */
  readonly hubble?: HubbleProps;

  /**
   * Host firewall ports.
   * @default - the reference list
   */
  readonly firewall?: FirewallProps;

  /**
   * The CNI the cluster already runs, for the `noop` variant only (the other
   * variants install Cilium). Tenant isolation (Cilium policies) on `noop`
   * needs `cilium`.
   * @default - unknown: no tenant isolation, Multus picks the first conflist
   */
  readonly cni?: ExternalCni;

  /**
   * Per-component overrides (images, charts, values).
   * @default - reference platform settings
   */
  readonly components?: ComponentsProps;

  /**
   * Images of Cilium, Kube-OVN and Multus. The defaults are the reference
   * platform's patched builds pinned by digest (each fixes a failure of the
   * stock image); name stock upstream images here to run those instead.
   * @default - the reference platform's patched images (CILIUM_IMAGE, KUBE_OVN_IMAGE, MULTUS_IMAGE)
   */
  readonly images?: ImagesProps;
}

const NETWORK_STACK_SYMBOL = Symbol.for('cozynet.NetworkStack');

/** `components` with the images of `images` filled in; both set for one component is an error. */
function withImages(components: ComponentsProps, images: ImagesProps | undefined): ComponentsProps {
  if (images === undefined || images === null) return components;
  if (typeof images !== 'object' || Array.isArray(images)) fail('images', images, 'must be a mapping of cilium, kubeovn and multus to image references');
  let out = components;
  for (const key of ['cilium', 'kubeovn', 'multus'] as const) {
    const image = images[key];
    if (image === undefined) continue;
    if (key === 'kubeovn') kubeOvnImage(image, `images.${key}`);
    else parseImage(image, `images.${key}`);
    const own = (components[key] as any)?.image;
    if (own !== undefined && own !== image) {
      fail(`images.${key}`, image, `components.${key}.image names another image (${String(own).slice(0, 100)}): set one of the two`);
    }
    out = { ...out, [key]: { ...out[key], image } };
  }
  return out;
}

/**
 * The networking layer of one variant: its components, each a cdk8s Chart
 * (one manifest file under the stock `cdk8s synth`), in dependency order.
 */
export class NetworkStack extends Construct {
  /** Whether `x` is a `NetworkStack`. */
  public static isNetworkStack(x: any): x is NetworkStack {
    return x !== null && typeof x === 'object' && NETWORK_STACK_SYMBOL in x;
  }

  /** The variant. */
  public readonly variant: Variant;
  /** The validated cluster network. */
  public readonly cluster: ClusterNetwork;
  /** The components, in the order they were created (dependencies first). */
  public readonly components: Component[];
  /** The CNI a `noop` cluster runs, as the user stated it. */
  public readonly externalCni?: ExternalCni;
  /**
   * The namespace of the cert-manager the cluster already runs
   * (`components.certManager.preinstalled: true`), recorded in index.json
   * for the bootstrap model.
   * @internal
   */
  public readonly _preinstalledCertManager?: string;

  constructor(scope: Construct, id: string, props: NetworkStackProps = {}) {
    super(scope, id);
    this.variant = Variant.lookup(props.variant ?? VariantName.KUBEOVN_CILIUM);
    this.cluster = new ClusterNetwork(props.cluster ?? {});
    AddressPlan.of(this).reserveCluster(this.cluster);
    const cni = props.cni;
    if (cni !== undefined) {
      if (!Object.values(ExternalCni).includes(cni)) fail('cni', cni, 'must be one of cilium, other');
      if (this.variant.name !== VariantName.NOOP) fail('cni', cni, `is only for the noop variant (variant ${this.variant.name} installs Cilium itself)`);
    }
    this.externalCni = cni;
    Object.defineProperty(this, NETWORK_STACK_SYMBOL, { value: true });
    registerNetworkStack(this);
    let components = withImages(props.components ?? {}, props.images);
    if (this.variant.name === VariantName.NOOP && cni !== ExternalCni.CILIUM && components.multus?.masterCni === undefined) {
      // Not Cilium's conflist: let Multus pick the cluster CNI's own.
      components = { ...components, multus: { ...components.multus, masterCni: '' } };
    }

    const created = new Map<string, Component>();
    // The component that emits each namespace's Namespace object.
    const namespaceOwners = new Map<string, Component>();
    const withoutOwner = new Map<string, Component[]>();
    const ctx: StackContext = {
      scope: this,
      cluster: this.cluster,
      hubble: props.hubble,
      firewall: props.firewall,
      components,
      created,
    };
    const layers = this.variant._layers();
    for (const layer of layers) {
      if (!layer.create) continue;
      const prefix = layer.name === 'cilium-networkpolicy' ? 'firewall' : `components.${camel(layer.name)}`;
      const component = withPathPrefix(prefix, () => layer.create!(ctx));
      if (!component) continue;
      // Each namespace is emitted once, by the first component in it that
      // emits one; its Pod Security label covers every component in it.
      const owner = namespaceOwners.get(component.releaseNamespace);
      if (owner) {
        component._dropNamespace();
        owner._shareNamespaceWith(component);
      } else if (component.emitsNamespace) {
        namespaceOwners.set(component.releaseNamespace, component);
        for (const earlier of withoutOwner.get(component.releaseNamespace) ?? []) component._shareNamespaceWith(earlier);
      } else {
        withoutOwner.set(component.releaseNamespace, [...withoutOwner.get(component.releaseNamespace) ?? [], component]);
      }
      created.set(layer.name, component);
    }
    for (const layer of layers) {
      for (const [target, make] of Object.entries(layer.values ?? {})) {
        created.get(target)?.addValuesLayer(make(ctx));
      }
      layer.configure?.(ctx);
    }
    this.components = [...created.values()];
    if (components.certManager?.preinstalled === true) this._preinstalledCertManager = components.certManager.namespace;
    // Settings of a cert-manager that no component needs (and so is not installed) would change nothing.
    const certManager = components.certManager;
    if (certManager && certManager.preinstalled !== true && !created.has('cert-manager')) {
      for (const key of ['chart', 'values'] as const) {
        if (certManager[key] !== undefined) {
          withPathPrefix('components.certManager', () => fail(key, certManager[key],
            'configures a cert-manager nothing of this platform needs (only the anti-spoofing webhook of the Kube-OVN variants, with its certificate from cert-manager, does), so cozynet installs none'));
        }
      }
    }
    // The host firewall also closes the host-network ports the other components open.
    for (const fw of this.components.filter(HostFirewall.isHostFirewall)) {
      fw.denyHostPortsOf(...this.components);
      withPathPrefix('firewall', () => fw._checkExemptions());
    }
  }

  /**
   * Whether the cluster's CNI is Cilium (so that Cilium policies work): the
   * variant installs it, or `cni` says the cluster runs it.
   */
  public get runsCilium(): boolean {
    return this.components.some((c) => c.componentName === 'cilium') || this.externalCni === ExternalCni.CILIUM;
  }

  /**
   * Whether the variant runs Kube-OVN (so that Kube-OVN's CRDs, CNI plugin
   * and IPAM exist: `Subnet` objects and `kube-ovn` attachments work).
   */
  public get runsKubeOvn(): boolean {
    // (not instanceof: cdk8s' Chart answers instanceof for every chart)
    return this.components.some((c) => Object.prototype.isPrototypeOf.call(KubeOvn.prototype, c));
  }

  /**
   * The component of this name (`cilium`, `kubeovn`, `metallb`, ...), if the
   * variant has it, even when the platform gives its release another name;
   * else the component with this release name.
   */
  public component(name: string): Component | undefined {
    return this.components.find((c) => c.componentName === name) ?? this.components.find((c) => c.releaseName === name);
  }
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
