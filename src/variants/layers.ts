import { Construct } from 'constructs';
import { CertManager, CertManagerProps } from '../constructs/cert-manager';
import { CiliumChain, CiliumChainProps, CiliumValues, HubbleProps } from '../constructs/cilium';
import { Component } from '../constructs/component';
import { CozyProxy, CozyProxyProps } from '../constructs/cozy-proxy';
import { GatewayApiCrds, GatewayApiCrdsProps } from '../constructs/gateway-api-crds';
import { HostFirewall, HostFirewallProps } from '../constructs/host-firewall';
import { Kilo, KiloProps } from '../constructs/kilo';
import { KubeOvn, KubeOvnProps, KubeOvnValues } from '../constructs/kube-ovn';
import { KubeOvnWebhook, KubeOvnWebhookProps } from '../constructs/kubeovn-webhook';
import { MetalLb, MetalLbProps, MetalLbValues } from '../constructs/metallb';
import { Multus, MultusProps } from '../constructs/multus';
import { ValuesLayer } from '../helm/release';
import { ClusterNetwork } from '../model/cluster';
import { fail } from '../model/errors';
import { parseCidr } from '../model/ip';

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
   * Anti-spoofing admission webhook of the Kube-OVN variants (Kube-OVN port
   * security on every pod outside system namespaces): on/off, image,
   * serving certificate (cert-manager by default).
   * @default - installed, certificate from cert-manager
   */
  readonly kubeovnWebhook?: KubeOvnWebhookProps;

  /**
   * cert-manager, installed where a component needs it (the anti-spoofing
   * webhook's serving certificate): chart, values, or `preinstalled: true`
   * with the `namespace` of the cert-manager the cluster already runs.
   * @default - installed in cozy-cert-manager when the webhook needs it
   */
  readonly certManager?: CertManagerProps;

  /**
   * Gateway API CRDs (v1.5.1, experimental channel), installed before
   * Cilium whenever its Gateway API support is on.
   * @default - installed whenever Cilium's Gateway API support is on
   */
  readonly gatewayApiCrds?: GatewayApiCrdsProps;

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
  /** Pass 1: the component this layer adds (none when the user turned it off). */
  readonly create?: (ctx: StackContext) => Component | undefined;
  /** Pass 2: values for components by release name (skipped for absent components). */
  readonly values?: Record<string, (ctx: StackContext) => ValuesLayer>;
  /** Pass 2: anything else done to the stack's components. */
  readonly configure?: (ctx: StackContext) => void;
}

/** Whether Cilium's Gateway API support is on, from the user's settings (values win over `gatewayApi`). */
function gatewayApiOn(ctx: StackContext): boolean {
  const fromValues = ctx.components.cilium?.values?.gatewayAPI?.enabled;
  if (typeof fromValues === 'boolean') return fromValues;
  return ctx.components.cilium?.gatewayApi ?? true;
}

/** The Gateway API CRDs, before Cilium, when its Gateway API support is on. */
export const GATEWAY_API_CRDS: Layer = {
  name: 'gateway-api-crds',
  description: 'Gateway API CRDs (v1.5.1 experimental), installed before Cilium when its Gateway API support is on',
  create: (ctx) => {
    const props = ctx.components.gatewayApiCrds ?? {};
    if (props.enabled !== undefined && typeof props.enabled !== 'boolean') fail('enabled', props.enabled, 'must be true or false');
    if (!(props.enabled ?? true) || !gatewayApiOn(ctx)) return undefined;
    return new GatewayApiCrds(ctx.scope, 'gateway-api-crds', props);
  },
};

/** The Cilium release (after the Gateway API CRDs, when there are any). */
export const CILIUM: Layer = {
  name: 'cilium',
  description: 'Cilium release: eBPF kube-proxy replacement and policy engine',
  create: (ctx) => {
    const c = new CiliumChain(ctx.scope, 'cilium', {
      ...ctx.components.cilium,
      hubble: ctx.hubble ?? ctx.components.cilium?.hubble,
    });
    const crds = ctx.created.get('gateway-api-crds');
    if (crds) c.waitFor(crds);
    const pod = parseCidr(ctx.cluster.podCidr);
    if (pod.ok && pod.value.family === 6) c.addValuesLayer(CiliumValues.ipv6());
    return c;
  },
};

/** Talos Linux values for Cilium and Kube-OVN. */
export const TALOS: Layer = {
  name: 'talos',
  description: 'Talos Linux: KubePrism API endpoint, cgroups mounted by the OS, MetalLB speakers on control-plane nodes',
  values: {
    cilium: () => CiliumValues.talos(),
    kubeovn: () => KubeOvnValues.talos(),
    metallb: () => MetalLbValues.talos(),
  },
  configure: (ctx) => {
    if (ctx.cluster.distribution !== undefined) {
      fail('cluster.distribution', ctx.cluster.distribution, 'applies to the *-generic variants only (kubeadm, k3s, rke2); Talos variants know their node labels');
    }
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
    kubeovn: (ctx) => KubeOvnValues.generic(ctx.cluster.distribution),
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

/** Whether the anti-spoofing webhook is on and takes its certificate from cert-manager. */
function webhookNeedsCertManager(ctx: StackContext): boolean {
  const props = ctx.components.kubeovnWebhook ?? {};
  return (props.enabled ?? true) === true && (props.certManager ?? true) === true;
}

/** The namespace of a cert-manager the cluster already runs, undefined when the layer installs it (or none). */
function preinstalledCertManagerNamespace(ctx: StackContext): string | undefined {
  const props = ctx.components.certManager ?? {};
  return props.preinstalled === true ? props.namespace : undefined;
}

/**
 * cert-manager, where a component of the variant needs it (the webhook's
 * serving certificate), after the pod network (its pods are not host-network
 * pods), unless the cluster already runs it (`preinstalled`).
 */
export const CERT_MANAGER: Layer = {
  name: 'cert-manager',
  description: 'cert-manager (chart with its CRDs), for the anti-spoofing webhook\'s certificate, after the pod network',
  create: (ctx) => {
    const props = ctx.components.certManager ?? {};
    if (props.preinstalled !== undefined && typeof props.preinstalled !== 'boolean') fail('preinstalled', props.preinstalled, 'must be true or false');
    if (props.preinstalled) {
      if (props.namespace === undefined) {
        fail('namespace', undefined, 'is required with preinstalled: true: the namespace the cluster\'s cert-manager runs in (the anti-spoofing webhook leaves it out)');
      }
      for (const key of ['chart', 'values', 'releaseName', 'dependsOn', 'createNamespace'] as const) {
        if (props[key] !== undefined) fail(key, props[key], 'applies to the cert-manager cozynet installs; with preinstalled: true cozynet installs none');
      }
      return undefined;
    }
    if (!webhookNeedsCertManager(ctx)) return undefined;
    const c = new CertManager(ctx.scope, 'cert-manager', props);
    for (const other of ctx.created.values()) if (other.providesNetwork) c.waitFor(other);
    return c;
  },
};

/** Kube-OVN port security on every pod outside system namespaces, after Kube-OVN (and cert-manager). */
export const KUBEOVN_WEBHOOK: Layer = {
  name: 'kubeovn-webhook',
  description: 'Anti-spoofing: Kube-OVN port security set on every pod outside system namespaces by an admission webhook',
  create: (ctx) => {
    const props = ctx.components.kubeovnWebhook ?? {};
    if (props.enabled !== undefined && typeof props.enabled !== 'boolean') fail('enabled', props.enabled, 'must be true or false');
    if (!(props.enabled ?? true)) return undefined;
    const c = new KubeOvnWebhook(ctx.scope, 'kubeovn-webhook', props);
    c.waitFor(ctx.created.get('kubeovn')!);
    const certManager = ctx.created.get('cert-manager');
    if (certManager) c.waitFor(certManager);
    return c;
  },
  configure: (ctx) => {
    // Every namespace the layer's controllers run in stays out of the
    // webhook by name too: while the webhook is down, they must still be able
    // to create the pods that bring it back.
    const webhook = ctx.created.get('kubeovn-webhook') as KubeOvnWebhook | undefined;
    if (!webhook) return;
    webhook.exemptNamespaces(...[...ctx.created.values()].map((c) => c.releaseNamespace));
    const external = preinstalledCertManagerNamespace(ctx);
    if (external !== undefined) webhook.exemptNamespaces(external);
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

/** MetalLB, after the network; it gives LoadBalancer Services their addresses, not Cilium. */
export const METALLB: Layer = {
  ...addOn('metallb', 'MetalLB release (L2/BGP service publishing); Cilium LB-IPAM leaves it the Services',
    (ctx) => new MetalLb(ctx.scope, 'metallb', ctx.components.metallb)),
  values: { cilium: () => CiliumValues.metallbAddresses() },
};

/** Multus, after the network. */
export const MULTUS = addOn('multus', 'Multus thick plugin (secondary interfaces)',
  (ctx) => new Multus(ctx.scope, 'multus', ctx.components.multus));

/** cozy-proxy, after the network. */
export const COZY_PROXY = addOn('cozy-proxy', 'cozy-proxy (VM external IP passthrough)',
  (ctx) => new CozyProxy(ctx.scope, 'cozy-proxy', ctx.components.cozyProxy));

/** Layers every variant gets on top of (and after) its network. */
export const ADD_ONS: Layer[] = [METALLB, MULTUS, COZY_PROXY];
