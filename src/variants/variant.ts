import * as L from './layers';
import { fail } from '../model/errors';

/** The networking variants of the reference platform. */
export enum VariantName {
  /** Kube-OVN + Cilium (chained) on Talos Linux. The default. */
  KUBEOVN_CILIUM = 'kubeovn-cilium',
  /** Kube-OVN + Cilium (chained) on kubeadm, k3s or RKE2. */
  KUBEOVN_CILIUM_GENERIC = 'kubeovn-cilium-generic',
  /** Cilium only, on Talos Linux. */
  CILIUM = 'cilium',
  /** Cilium only, on kubeadm, k3s or RKE2. */
  CILIUM_GENERIC = 'cilium-generic',
  /** Cilium + Kilo WireGuard mesh, on Talos Linux. */
  CILIUM_KILO = 'cilium-kilo',
  /** No CNI: bring your own. MetalLB, Multus and cozy-proxy are still installed. */
  NOOP = 'noop',
}

/** Which Kubernetes distribution a variant targets. */
export enum Distribution {
  /** Talos Linux. */
  TALOS = 'talos',
  /** kubeadm, k3s, RKE2. */
  GENERIC = 'generic',
  /** Any (no distribution-specific settings). */
  ANY = 'any',
}

interface VariantDefinition {
  readonly name: VariantName;
  readonly distribution: Distribution;
  readonly description: string;
  readonly layers: L.Layer[];
}

const DEFINITIONS: VariantDefinition[] = [
  {
    name: VariantName.KUBEOVN_CILIUM,
    distribution: Distribution.TALOS,
    description: 'Kube-OVN + Cilium (default)',
    layers: [L.GATEWAY_API_CRDS, L.CILIUM, L.TALOS, L.KUBE_OVN_CHAINING, L.HOST_FIREWALL, L.KUBE_OVN, L.CERT_MANAGER, L.KUBEOVN_WEBHOOK],
  },
  {
    name: VariantName.KUBEOVN_CILIUM_GENERIC,
    distribution: Distribution.GENERIC,
    description: 'Kube-OVN + Cilium',
    layers: [L.GATEWAY_API_CRDS, L.CILIUM, L.GENERIC, L.KUBE_OVN_CHAINING, L.HOST_FIREWALL, L.KUBE_OVN, L.CERT_MANAGER, L.KUBEOVN_WEBHOOK],
  },
  {
    name: VariantName.CILIUM,
    distribution: Distribution.TALOS,
    description: 'Cilium only',
    layers: [L.GATEWAY_API_CRDS, L.CILIUM, L.TALOS, L.HOST_FIREWALL],
  },
  {
    name: VariantName.CILIUM_GENERIC,
    distribution: Distribution.GENERIC,
    description: 'Cilium only',
    layers: [L.GATEWAY_API_CRDS, L.CILIUM, L.GENERIC, L.HOST_FIREWALL],
  },
  {
    name: VariantName.CILIUM_KILO,
    distribution: Distribution.TALOS,
    description: 'Cilium + Kilo',
    layers: [L.GATEWAY_API_CRDS, L.CILIUM, L.TALOS, L.KILO],
  },
  {
    name: VariantName.NOOP,
    distribution: Distribution.ANY,
    description: 'None (bring your own CNI)',
    layers: [],
  },
];

/**
 * A networking variant: an ordered list of layers (components and values
 * layers), followed by the add-ons every variant gets.
 */
export class Variant {
  /** The default variant, `kubeovn-cilium`. */
  public static readonly DEFAULT_NAME = VariantName.KUBEOVN_CILIUM;

  /**
   * Looks a variant up by name.
   * @throws CozynetValidationError naming `variant` when the name is unknown
   */
  public static lookup(name: string, fieldPath: string = 'variant'): Variant {
    const def = DEFINITIONS.find((d) => d.name === name);
    if (!def) fail(fieldPath, name, `is not a variant; allowed: ${Variant.names().join(', ')}`);
    return new Variant(def);
  }

  /** All variant names, default first. */
  public static names(): string[] {
    return DEFINITIONS.map((d) => d.name);
  }

  /** All variants. */
  public static all(): Variant[] {
    return DEFINITIONS.map((d) => new Variant(d));
  }

  /** The variant's name. */
  public readonly name: string;
  /** The distribution it targets. */
  public readonly distribution: Distribution;
  /** One line on what it installs. */
  public readonly description: string;

  private constructor(private readonly def: VariantDefinition) {
    this.name = def.name;
    this.distribution = def.distribution;
    this.description = def.description;
  }

  /** The names of the variant's layers, add-ons included, in order. */
  public get layerNames(): string[] {
    return this._layers().map((l) => l.name);
  }

  /** Whether the variant needs `cluster.apiServer`. */
  public get requiresApiServer(): boolean {
    return this.def.layers.includes(L.GENERIC);
  }

  /** @internal */
  public _layers(): L.Layer[] {
    return [...this.def.layers, ...L.ADD_ONS];
  }
}
