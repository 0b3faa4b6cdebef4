import { Construct } from 'constructs';
import { ComponentsProps, StackContext } from './layers';
import { Variant, VariantName } from './variant';
import { HubbleProps } from '../constructs/cilium';
import { Component } from '../constructs/component';
import { FirewallPort } from '../constructs/host-firewall';
import { AddressPlan } from '../model/address-plan';
import { ClusterNetwork, ClusterNetworkProps } from '../model/cluster';
import { withPathPrefix } from '../model/errors';

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
   * Replaces the reference list of closed ports.
   * @default - the reference list (facts §8)
   */
  readonly ports?: FirewallPort[];
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
   * Per-component overrides (images, charts, values).
   * @default - reference platform settings
   */
  readonly components?: ComponentsProps;
}

/**
 * The networking layer of one variant: its components, each a cdk8s Chart
 * (one manifest file under the stock `cdk8s synth`), in dependency order.
 */
export class NetworkStack extends Construct {
  /** The variant. */
  public readonly variant: Variant;
  /** The validated cluster network. */
  public readonly cluster: ClusterNetwork;
  /** The components, in the order they were created (dependencies first). */
  public readonly components: Component[];

  constructor(scope: Construct, id: string, props: NetworkStackProps = {}) {
    super(scope, id);
    this.variant = Variant.lookup(props.variant ?? VariantName.KUBEOVN_CILIUM);
    this.cluster = new ClusterNetwork(props.cluster ?? {});
    AddressPlan.of(this).reserveCluster(this.cluster);

    const created = new Map<string, Component>();
    const namespaces = new Set<string>();
    const ctx: StackContext = {
      scope: this,
      cluster: this.cluster,
      hubble: props.hubble,
      firewall: props.firewall,
      components: props.components ?? {},
      created,
    };
    const layers = this.variant._layers();
    for (const layer of layers) {
      if (!layer.create) continue;
      const prefix = layer.name === 'cilium-networkpolicy' ? 'firewall' : `components.${camel(layer.name)}`;
      const component = withPathPrefix(prefix, () => layer.create!(ctx));
      if (!component) continue;
      // Each namespace is emitted once, by the first component in it.
      if (namespaces.has(component.releaseNamespace)) component._dropNamespace();
      namespaces.add(component.releaseNamespace);
      created.set(layer.name, component);
    }
    for (const layer of layers) {
      for (const [target, make] of Object.entries(layer.values ?? {})) {
        created.get(target)?.addValuesLayer(make(ctx));
      }
      layer.configure?.(ctx);
    }
    this.components = [...created.values()];
  }

  /** The component with this release name, if the variant has it. */
  public component(releaseName: string): Component | undefined {
    return this.components.find((c) => c.releaseName === releaseName);
  }
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
