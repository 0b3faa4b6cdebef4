import { Construct } from 'constructs';
import { CiliumChain, CiliumChainProps, CiliumValues, HubbleProps } from '../constructs/cilium';
import { Component } from '../constructs/component';
import { CozyProxy, CozyProxyProps } from '../constructs/cozy-proxy';
import { HostFirewall, HostFirewallProps } from '../constructs/host-firewall';
import { Kilo, KiloProps } from '../constructs/kilo';
import { KubeOvn, KubeOvnProps, KubeOvnValues } from '../constructs/kube-ovn';
import { MetalLb, MetalLbProps } from '../constructs/metallb';
import { Multus, MultusProps } from '../constructs/multus';
import { ValuesLayer } from '../helm/release';
import { ClusterNetwork } from '../model/cluster';
import { fail } from '../model/errors';

/**
 * Per-component settings of a stack (platform file key `components`).
 */
export interface ComponentsProps {
  /**
   * Cilium: chart, values overrides, Gateway API.
   * @default - reference platform settings
   */
  readonly cilium?: CiliumChainProps;

  /**
   * Kube-OVN: chart, values overrides, control-plane nodes.
   * @default - reference platform settings
   */
  readonly kubeovn?: KubeOvnProps;

  /**
   * MetalLB: chart, values overrides.
   * @default - reference platform settings
   */
  readonly metallb?: MetalLbProps;

  /**
   * Multus: image, reference plugins, memory.
   * @default - reference platform settings
   */
  readonly multus?: MultusProps;

  /**
   * cozy-proxy: image.
   * @default - reference platform settings
   */
  readonly cozyProxy?: CozyProxyProps;

  /**
   * Kilo (cilium-kilo variant): image, mesh.
   * @default - reference platform settings
   */
  readonly kilo?: KiloProps;
}

/**
 * What a layer sees while a stack is assembled.
 * @internal
 */
export interface StackContext {
  readonly scope: Construct;
  readonly cluster: ClusterNetwork;
  readonly hubble?: HubbleProps;
  readonly firewall?: HostFirewallProps;
  readonly components: ComponentsProps;
  /** Components created so far, by release name. */
  readonly created: Map<string, Component>;
}

/**
 * One layer of a variant: it adds a component, or contributes values (or an
 * action) to components the variant has. A stack is assembled in two
 * passes: every layer's component first, then every layer's contributions
 * in layer order (so values merge in the order the layers are listed).
 * @internal
 */
export interface Layer {
  readonly name: string;
  readonly description: string;
  /** Pass 1: the component this layer adds. */
  readonly create?: (ctx: StackContext) => Component;
  /** Pass 2: values for components by release name (skipped for absent components). */
  readonly values?: Record<string, (ctx: StackContext) => ValuesLayer>;
  /** Pass 2: anything else done to the stack's components. */
  readonly configure?: (ctx: StackContext) => void;
}

/** The Cilium release. */
export const CILIUM: Layer = {
  name: 'cilium',
  description: 'Cilium release: eBPF kube-proxy replacement and policy engine',
  create: (ctx) => new CiliumChain(ctx.scope, 'cilium', {
    ...ctx.components.cilium,
    hubble: ctx.hubble ?? ctx.components.cilium?.hubble,
  }),
};

/** Talos Linux values for Cilium and Kube-OVN. */
export const TALOS: Layer = {
  name: 'talos',
  description: 'Talos Linux: KubePrism API endpoint, cgroups mounted by the OS',
  values: {
    cilium: () => CiliumValues.talos(),
    kubeovn: () => KubeOvnValues.talos(),
  },
};

/** kubeadm / k3s / RKE2 values for Cilium and Kube-OVN. */
export const GENERIC: Layer = {
  name: 'generic',
  description: 'kubeadm, k3s, RKE2: explicit API server endpoint, AppArmor opt-out',
  values: {
    cilium: (ctx) => {
      if (!ctx.cluster.apiServer) {
        fail('cluster.apiServer', undefined, 'is required by the *-generic variants: give the API server endpoint { host, port } that nodes reach');
      }
      return CiliumValues.generic(ctx.cluster.apiServer);
    },
    kubeovn: () => KubeOvnValues.generic(),
  },
};

/** Cilium chained behind Kube-OVN, with the chained CNI ConfigMap. */
export const KUBE_OVN_CHAINING: Layer = {
  name: 'kube-ovn-chaining',
  description: 'Cilium as a generic-veth chained plugin behind Kube-OVN',
  configure: (ctx) => (ctx.created.get('cilium') as CiliumChain).chainWithKubeOvn(),
};

/** The platform's host firewall. */
export const HOST_FIREWALL: Layer = {
  name: 'cilium-networkpolicy',
  description: 'Host firewall restrict-system-components',
  create: (ctx) => {
    const fw = new HostFirewall(ctx.scope, 'cilium-networkpolicy', { ...ctx.firewall });
    fw.waitFor(ctx.created.get('cilium')!);
    return fw;
  },
};

/** The Kube-OVN release. */
export const KUBE_OVN: Layer = {
  name: 'kubeovn',
  description: 'Kube-OVN release: pod networking and central IPAM over GENEVE',
  create: (ctx) => {
    const c = new KubeOvn(ctx.scope, 'kubeovn', {
      ...ctx.components.kubeovn,
      cluster: ctx.cluster,
    });
    c.waitFor(ctx.created.get('cilium')!);
    return c;
  },
};

/** Kilo, with Cilium's host firewall off. */
export const KILO: Layer = {
  name: 'kilo',
  description: 'Kilo WireGuard mesh; Cilium host firewall off',
  create: (ctx) => {
    const c = new Kilo(ctx.scope, 'kilo', ctx.components.kilo);
    c.waitFor(ctx.created.get('cilium')!);
    return c;
  },
  values: { cilium: () => CiliumValues.kilo() },
};

/** A component every variant gets, after the components that provide the network. */
function addOn(name: string, description: string, make: (ctx: StackContext) => Component): Layer {
  return {
    name,
    description,
    create: (ctx) => {
      const c = make(ctx);
      for (const other of ctx.created.values()) if (other.providesNetwork) c.waitFor(other);
      return c;
    },
  };
}

/** MetalLB, after the network. */
export const METALLB = addOn('metallb', 'MetalLB release (L2/BGP service publishing)',
  (ctx) => new MetalLb(ctx.scope, 'metallb', ctx.components.metallb));

/** Multus, after the network. */
export const MULTUS = addOn('multus', 'Multus thick plugin (secondary interfaces)',
  (ctx) => new Multus(ctx.scope, 'multus', ctx.components.multus));

/** cozy-proxy, after the network. */
export const COZY_PROXY = addOn('cozy-proxy', 'cozy-proxy (VM external IP passthrough)',
  (ctx) => new CozyProxy(ctx.scope, 'cozy-proxy', ctx.components.cozyProxy));

/** Layers every variant gets on top of (and after) its network. */
export const ADD_ONS: Layer[] = [METALLB, MULTUS, COZY_PROXY];
