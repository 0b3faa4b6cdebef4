import { IssueCollector, ValidationIssue } from './errors';
import { dnsLabelProblem, labelKeyProblem, labelValueProblem } from '../platform/checks';

/** The IP family of the underlay: the addresses nodes reach each other at (outer headers of every tunnel). */
export enum UnderlayFamily {
  /** Nodes talk IPv4 (20-byte outer headers). */
  IPV4 = 'ipv4',
  /** Nodes talk IPv6 (40-byte outer headers). */
  IPV6 = 'ipv6',
}

/**
 * A node pool with its own underlay (platform file `mtu.nodePools[]`):
 * e.g. storage nodes with jumbo frames next to 1500-byte workers.
 */
export interface MtuNodePoolProps {
  /**
   * Name of the pool: a DNS-1123 label of at most 47 characters, unique
   * among the pools (the live check names a DaemonSet `mtu-check-nodes-<name>`).
   */
  readonly name: string;

  /**
   * The node labels that select the pool's nodes (a label map, as a pod's
   * `nodeSelector`). With `check: true`, a pool whose underlay is larger
   * than the smallest gets a host-network DaemonSet on these nodes that
   * pings them with its own full-size packets.
   */
  readonly nodeSelector: { [key: string]: string };

  /**
   * MTU of the pool's underlay interface, 1280-9216.
   * @default - `mtu.underlay`
   */
  readonly underlay?: number;

  /**
   * MTU of the pool's other interfaces by name (as `mtu.interfaces`).
   * Interfaces not listed have `mtu.interfaces`' MTU, else the pool's underlay.
   * @default - `mtu.interfaces`, else the pool's underlay
   */
  readonly interfaces?: { [name: string]: number };
}

/**
 * The MTU plan's inputs (platform file key `mtu`): what the wire carries,
 * and what cozynet may set. Every MTU of the layer (Kube-OVN subnets, the
 * Cilium device, Kilo's WireGuard interface, Multus attachments, the
 * recommendation for tenant clusters) is computed from these.
 */
export interface MtuProps {
  /**
   * MTU of the nodes' underlay interface (the one their tunnels run over),
   * 1280-9216: 1500 for plain Ethernet, 9000 for jumbo frames.
   * @default 1500
   */
  readonly underlay?: number;

  /**
   * The IP family nodes reach each other at (the outer header of Geneve,
   * VXLAN and WireGuard packets).
   * @default UnderlayFamily.IPV4
   */
  readonly underlayFamily?: UnderlayFamily;

  /**
   * MTU of other node interfaces by name (e.g. `eth1: 9000`), 1280-9216:
   * the NICs of VLAN subnets (`subnets[].vlan.interface`) and of Multus
   * attachments (`master`, `bridge`). Interfaces not listed have the
   * `underlay` MTU.
   * @default - every interface has the underlay MTU
   */
  readonly interfaces?: { [name: string]: number };

  /**
   * MTU of the pod network (what pods and VMs on it get). Must fit the
   * underlay with every overhead of the variant (refused otherwise, naming
   * the layers); one more than 100 bytes below the largest that fits is
   * reported as a notice.
   * @default - the largest that fits (see `cozynet mtu`)
   */
  readonly pod?: number;

  /**
   * A live check in the output (`manifests/mtu-check.yaml`): DaemonSets in
   * namespace `cozy-mtu-check` that send don't-fragment pings of the
   * computed sizes between nodes and between pods; a pod is Ready only
   * while every peer answers.
   * @default false
   */
  readonly check?: boolean;

  /**
   * Adds a KubeVirt VM to the live check (needs `check: true` and a
   * Kube-OVN variant with an IPv4 pod network): a `VirtualMachineInstance`
   * in `checks/mtu-check-vm.yaml`, which you apply once KubeVirt runs (no
   * delivery path applies it), on the pod network (bridge binding). It gets
   * its MTU over DHCP, checks it is the plan's, pings the pod DaemonSet's
   * pods with don't-fragment packets of the computed size, and is pinged
   * by them.
   * @default false
   */
  readonly checkVm?: boolean;

  /**
   * Node pools whose underlay differs from `mtu.underlay` (which the nodes
   * no pool selects keep). The pod network fits the smallest underlay of
   * all: pods talk across pools over the overlay.
   * @default - every node has `mtu.underlay`
   */
  readonly nodePools?: MtuNodePoolProps[];
}

/** One layer of the MTU plan, from the wire up. @internal */
export interface MtuLayer {
  /** What the layer is. */
  readonly layer: string;
  /** The largest packet the layer carries (its MTU). */
  readonly mtu: number;
  /** Bytes this layer's packets lose to the encapsulation under it. */
  readonly overhead: number;
  /** Where the overhead comes from (upstream source or standard). */
  readonly source: string;
}

// ---------------------------------------------------------------------------
// Overheads. Each number is read from the upstream source or the standard
// named next to it; "bytes" are counted against the MTU (the outer Ethernet
// header never is).
// ---------------------------------------------------------------------------

/**
 * Kube-OVN's Geneve allowance: kubeovn/kube-ovn v1.15.10
 * pkg/util/const.go `GeneveHeaderLength = 100`, subtracted from the node
 * NIC's MTU for pod interfaces (pkg/daemon/config.go, `config.MTU = mtu -
 * util.GeneveHeaderLength`) and from 1500 for DHCP (pkg/controller/subnet.go
 * updateSubnetDHCPOption) when `Subnet.spec.mtu` is unset.
 * @internal
 */
export const KUBE_OVN_GENEVE_ALLOWANCE = 100;
/**
 * Kube-OVN's extra allowance on an IPv6 underlay: v1.15.10
 * pkg/daemon/config.go `if encapIsIPv6 { config.MTU -= 20 }` ("IPv6 header size is 40").
 * @internal
 */
export const KUBE_OVN_IPV6_EXTRA = 20;
/**
 * What a Geneve packet of OVN really adds: outer IPv4 20 (RFC 791) or IPv6
 * 40 (RFC 8200), UDP 8 (RFC 768), Geneve base header 8 (RFC 8926 §3.4),
 * OVN's one option (4-byte option header, RFC 8926 §3.5, + 4 bytes of port
 * identifiers: ovn-org/ovn controller/physical.h `OVN_GENEVE_CLASS 0x0102`,
 * `OVN_GENEVE_TYPE 0x80`, `OVN_GENEVE_LEN 4`; ovn-architecture(7), "Tunnel
 * Encapsulations") 8, inner Ethernet 14: 58 / 78.
 * @internal
 */
export const GENEVE_OVN_OVERHEAD = { ipv4: 58, ipv6: 78 } as const;
/**
 * ESP in transport mode (OVN IPsec between nodes, Kube-OVN
 * `func.ENABLE_OVN_IPSEC`), worst case of the usual suites: header 8
 * (RFC 4303 §2: SPI 4 + sequence number 4), IV 16 (AES-CBC, RFC 3602 §3;
 * AES-GCM's is 8, RFC 4106 §3.1), padding up to 15 to the cipher block
 * (RFC 4303 §2.4), pad length + next header 2 (RFC 4303 §2.5, §2.6), ICV 16
 * (HMAC-SHA-256-128, RFC 4868 §2.6; AES-GCM-16, RFC 4106 §6): 57. Kube-OVN
 * itself subtracts nothing for IPsec.
 * @internal
 */
export const ESP_TRANSPORT_OVERHEAD = 57;
/**
 * Cilium's VXLAN/Geneve tunnel: cilium/cilium pkg/mtu/mtu.go
 * `TunnelOverheadIPv4 = 50`, `TunnelOverheadIPv6 = 70` (outer IP 20/40,
 * UDP 8, VXLAN 8, inner Ethernet 14).
 * @internal
 */
export const CILIUM_TUNNEL_OVERHEAD = { ipv4: 50, ipv6: 70 } as const;
/**
 * WireGuard (Kilo's mesh): outer IPv4 20 / IPv6 40, UDP 8, and the data
 * message's 32 bytes (16-byte header + 16-byte Poly1305 tag: linux
 * drivers/net/wireguard/messages.h `MESSAGE_MINIMUM_LENGTH`), 60 / 80;
 * cilium/cilium pkg/mtu/mtu.go `WireguardOverhead = 80` is the IPv6 case.
 * @internal
 */
export const WIREGUARD_OVERHEAD = { ipv4: 60, ipv6: 80 } as const;
/**
 * An 802.1Q VLAN sub-interface keeps its parent's MTU: the 4-byte tag is
 * part of the Ethernet header, not the payload (linux net/8021q/vlan_netlink.c
 * `vlan_newlink`: the VLAN device's MTU defaults to the real device's).
 * The switch ports must accept 1522-byte frames (IEEE 802.1Q).
 * @internal
 */
export const VLAN_OVERHEAD = 0;
/**
 * IP + TCP headers for the MSS clamp: 40 on IPv4 (kubeovn/kube-ovn
 * v1.15.10 pkg/util/const.go `TCPIPHeaderLength = 40`), 60 on IPv6
 * (RFC 8200 header 40 + TCP 20).
 * @internal
 */
export const TCP_IP_HEADERS = { ipv4: 40, ipv6: 60 } as const;
/** IP + ICMP echo headers (ping payload = MTU - this): 20 + 8, 40 + 8. @internal */
export const ICMP_ECHO_HEADERS = { ipv4: 28, ipv6: 48 } as const;
/** A user-set pod MTU this much below the largest that fits is a notice. @internal */
export const MTU_SLACK_NOTICE = 100;
/** The smallest and largest interface MTU accepted (IPv6 minimum, RFC 8200 §5; common jumbo maximum). @internal */
export const MIN_MTU = 1280;
/** @internal */
export const MAX_MTU = 9216;

/** What the plan is computed from. @internal */
export interface MtuInput {
  readonly variant: string;
  /** `cluster.encryption` (Kube-OVN IPsec). */
  readonly encryption: boolean;
  /** Family of the pod network (tenant clusters' VMs address on it). */
  readonly podFamily: 4 | 6;
  readonly props?: MtuProps;
  /** `components.kilo.mtu`, when the user set it. */
  readonly kiloMtu?: number;
  /** `components.cilium.values.MTU`, when the user set it. */
  readonly ciliumMtu?: number;
  /** Field path of the props. */
  readonly path?: string;
}

/** A node pool in the plan. @internal */
export interface MtuPoolPlan {
  readonly name: string;
  readonly nodeSelector: { [key: string]: string };
  /** The pool's underlay MTU. */
  readonly underlay: number;
  /** Its interfaces: its own, then `mtu.interfaces`. */
  readonly interfaces: { [name: string]: number };
  /** The interfaces the pool itself lists. */
  readonly own: { [name: string]: number };
  /** Field path of the pool (`mtu.nodePools[0]`). */
  readonly path: string;
}

/** The computed plan. @internal */
export interface MtuPlan {
  readonly variant: string;
  /** The smallest underlay of every node (`mtu.underlay` and the pools'): every layer is computed from it. */
  readonly underlay: number;
  /** `mtu.underlay`: the nodes no pool selects. */
  readonly defaultUnderlay: number;
  /** The node pools (`mtu.nodePools`), in order. */
  readonly nodePools: MtuPoolPlan[];
  /** What sets the smallest underlay: `mtu.underlay` or `mtu.nodePools[i].underlay`. */
  readonly limitedBy: string;
  /** Whether the live check includes the KubeVirt VM (`mtu.checkVm`). */
  readonly checkVm: boolean;
  readonly underlayFamily: UnderlayFamily;
  readonly encryption: boolean;
  /** From the wire up to a tenant cluster's pod. */
  readonly layers: MtuLayer[];
  /** MTU of the pod network (pods and VMs on it); undefined on noop (the user's CNI decides). */
  readonly pod?: number;
  /** The largest pod MTU that fits. */
  readonly podMax?: number;
  /** Kube-OVN: `Subnet.spec.mtu` of overlay subnets (ovn-default included). */
  readonly kubeOvnSubnet?: number;
  /** Cilium's `MTU` value (the device MTU it owns), where Cilium owns the device. */
  readonly cilium?: number;
  /** Kilo's `--mtu`. */
  readonly kilo?: number;
  /** Recommended MTU of a nested tenant cluster's pods (its Cilium tunnels inside the VMs). */
  readonly tenantPod?: number;
  /** MSS clamp for TCP of tenant pods. */
  readonly tenantMss?: number;
  /** Ping payloads of the live check: node to node, pod to pod. */
  readonly pingNode: number;
  readonly pingPod?: number;
  /** Interface MTUs by name (`mtu.interfaces`). */
  readonly interfaces: { [name: string]: number };
  readonly notices: string[];
}

const KUBEOVN_VARIANTS = ['kubeovn-cilium', 'kubeovn-cilium-generic'];
const CILIUM_TUNNEL_VARIANTS = ['cilium', 'cilium-generic', 'cilium-kilo'];

const has = (o: { [k: string]: number }, k: string | undefined): k is string => k !== undefined && Object.prototype.hasOwnProperty.call(o, k);

/**
 * The MTU a node interface has on every node (the smallest over the nodes
 * no pool selects and every pool), and the field that sets it.
 * @internal
 */
export function interfaceLimit(plan: MtuPlan, name: string | undefined): { mtu: number; from: string } {
  let best = has(plan.interfaces, name)
    ? { mtu: plan.interfaces[name], from: `mtu.interfaces.${name}` }
    : { mtu: plan.defaultUnderlay, from: 'mtu.underlay' };
  for (const p of plan.nodePools) {
    const here = has(p.interfaces, name)
      ? { mtu: p.interfaces[name], from: has(p.own, name) ? `${p.path}.interfaces.${name}` : `mtu.interfaces.${name}` }
      : { mtu: p.underlay, from: `${p.path}.underlay` };
    if (here.mtu < best.mtu) best = here;
  }
  return best;
}

/** The MTU of a node interface on every node: its own (`mtu.interfaces`, the pools') or the underlay's. @internal */
export function interfaceMtu(plan: MtuPlan, name: string | undefined): number {
  return interfaceLimit(plan, name).mtu;
}

function checkInterfaces(issues: IssueCollector, field: string, value: unknown, into: { [name: string]: number }): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.add(field, value, 'must be a mapping of interface names to MTUs, e.g. eth1: 9000');
    return;
  }
  const map = value as { [name: string]: unknown };
  for (const name of Object.keys(map).sort()) {
    const v = map[name];
    if (name.length === 0 || name.length > 15 || /[/:\s]/.test(name)) {
      issues.add(field, name, 'names must be Linux interface names of 1-15 characters without \'/\', \':\' or whitespace');
    } else if (checkMtu(issues, `${field}.${name}`, v)) {
      into[name] = v;
    }
  }
}

/** Checks `mtu.nodePools`; the pools that are well formed. */
function checkPools(issues: IssueCollector, base: string, value: unknown, underlay: number, interfaces: { [name: string]: number }): MtuPoolPlan[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.add('nodePools', value, 'must be a list of node pools: {name, nodeSelector, underlay, interfaces}');
    return [];
  }
  const pools: MtuPoolPlan[] = [];
  const seen = new Map<string, number>();
  value.forEach((p: any, i) => {
    const at = `nodePools[${i}]`;
    if (p === null || typeof p !== 'object' || Array.isArray(p)) {
      issues.add(at, p, 'must be a mapping with name, nodeSelector, underlay, interfaces');
      return;
    }
    let ok = true;
    const nameProblem = dnsLabelProblem(p.name, 47);
    if (nameProblem) {
      issues.add(`${at}.name`, p.name, nameProblem);
      ok = false;
    } else if (seen.has(p.name)) {
      issues.add(`${at}.name`, p.name, `must be unique: nodePools[${seen.get(p.name)}] has the same name`);
      ok = false;
    } else {
      seen.set(p.name, i);
    }
    const sel = p.nodeSelector;
    if (sel === null || typeof sel !== 'object' || Array.isArray(sel) || Object.keys(sel).length === 0) {
      issues.add(`${at}.nodeSelector`, sel, 'must be a non-empty mapping of node labels, e.g. node.kubernetes.io/pool: storage');
      ok = false;
    } else {
      for (const k of Object.keys(sel).sort()) {
        const kp = labelKeyProblem(k);
        if (kp) {
          issues.add(`${at}.nodeSelector`, k, kp);
          ok = false;
        }
        const vp = labelValueProblem(sel[k]);
        if (!kp && vp) {
          issues.add(`${at}.nodeSelector.${k}`, sel[k], vp);
          ok = false;
        }
      }
    }
    const own = p.underlay === undefined ? underlay : p.underlay;
    if (!checkMtu(issues, `${at}.underlay`, own)) ok = false;
    const ifs: { [name: string]: number } = {};
    const before = issues.issues.length;
    checkInterfaces(issues, `${at}.interfaces`, p.interfaces, ifs);
    if (issues.issues.length !== before) ok = false;
    if (ok) {
      const merged: { [name: string]: number } = {};
      for (const n of [...new Set([...Object.keys(interfaces), ...Object.keys(ifs)])].sort()) merged[n] = has(ifs, n) ? ifs[n] : interfaces[n];
      pools.push({ name: p.name, nodeSelector: { ...sel }, underlay: own, interfaces: merged, path: `${base}.${at}`, own: ifs });
    }
  });
  return pools;
}

function checkMtu(issues: IssueCollector, field: string, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_MTU || value > MAX_MTU) {
    issues.add(field, value, `must be an MTU: a whole number from ${MIN_MTU} to ${MAX_MTU} (1500 for Ethernet, 9000 for jumbo frames)`);
    return false;
  }
  return true;
}

/**
 * Computes the MTU of every layer from the underlay up, and refuses (a
 * CozynetValidationError naming the layers and numbers) any user-set MTU
 * whose packet plus the overheads under it exceeds the layer below.
 * @internal
 */
export function planMtu(input: MtuInput): MtuPlan {
  const props = input.props ?? {};
  const base = input.path ?? 'mtu';
  const issues = new IssueCollector(base);
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    issues.add(undefined, props, 'must be a mapping with underlay, underlayFamily, interfaces, pod, check');
    issues.throwIfAny();
  }
  let underlay = props.underlay === undefined ? 1500 : props.underlay;
  if (!checkMtu(issues, 'underlay', underlay)) issues.throwIfAny();
  const familyName = props.underlayFamily ?? UnderlayFamily.IPV4;
  if (!Object.values(UnderlayFamily).includes(familyName)) issues.add('underlayFamily', familyName, 'must be one of ipv4, ipv6');
  const fam = familyName === UnderlayFamily.IPV6 ? 'ipv6' : 'ipv4';
  const interfaces: { [name: string]: number } = {};
  checkInterfaces(issues, 'interfaces', props.interfaces, interfaces);
  if (props.check !== undefined && typeof props.check !== 'boolean') issues.add('check', props.check, 'must be true or false');
  const pools = checkPools(issues, base, props.nodePools, underlay, interfaces);
  if (props.checkVm !== undefined && typeof props.checkVm !== 'boolean') issues.add('checkVm', props.checkVm, 'must be true or false');
  const checkVm = props.checkVm === true;
  if (checkVm) {
    if (props.check !== true) {
      issues.add('checkVm', true, 'needs check: true: the VM pings the pod DaemonSet\'s pods of the live check, and they ping it');
    } else if (!KUBEOVN_VARIANTS.includes(input.variant)) {
      issues.add('checkVm', true, `applies to the Kube-OVN variants (${KUBEOVN_VARIANTS.join(', ')}), where VMs run on the pod network and get Subnet.spec.mtu over DHCP; variant ${input.variant} runs no Kube-OVN`);
    } else if (input.podFamily === 6) {
      issues.add('checkVm', true, 'needs an IPv4 pod network: KubeVirt\'s bridge binding hands the VM the pod\'s address (and MTU) over DHCPv4 only');
    }
  }
  issues.throwIfAny();

  // Every layer is computed from the smallest underlay: pods talk across pools over the overlay.
  const defaultUnderlay = underlay;
  let limitedBy = 'mtu.underlay';
  for (const p of pools) {
    if (p.underlay < underlay) {
      underlay = p.underlay;
      limitedBy = `${p.path}.underlay`;
    }
  }
  const layers: MtuLayer[] = [{
    layer: `underlay NIC (${fam})`,
    mtu: underlay,
    overhead: 0,
    source: pools.length === 0 ? 'mtu.underlay' : `${limitedBy === 'mtu.underlay' ? 'mtu.underlay' : `${limitedBy} (pool ${pools.find((p) => `${p.path}.underlay` === limitedBy)!.name})`}, the smallest of ${pools.length + 1} node groups`,
  }];
  const notices: string[] = [];
  const variant = input.variant;
  let podMax: number | undefined;
  let kubeOvnSubnet: number | undefined;
  let cilium: number | undefined;
  let kilo: number | undefined;
  /** The overheads between the pod and the wire, for messages. */
  const below: Array<[string, number]> = [];

  if (KUBEOVN_VARIANTS.includes(variant)) {
    const real = GENEVE_OVN_OVERHEAD[fam] + (input.encryption ? ESP_TRANSPORT_OVERHEAD : 0);
    const allowance = KUBE_OVN_GENEVE_ALLOWANCE + (fam === 'ipv6' ? KUBE_OVN_IPV6_EXTRA : 0);
    if (input.encryption) {
      const esp = underlay - ESP_TRANSPORT_OVERHEAD;
      layers.push({ layer: 'IPsec ESP, transport (Kube-OVN cluster.encryption)', mtu: esp, overhead: ESP_TRANSPORT_OVERHEAD, source: 'RFC 4303 §2, RFC 3602 §3, RFC 4868 §2.6 (src/model/mtu.ts ESP_TRANSPORT_OVERHEAD)' });
      below.push(['IPsec ESP', ESP_TRANSPORT_OVERHEAD]);
    }
    podMax = underlay - Math.max(real, allowance);
    const margin = Math.max(real, allowance) - real;
    layers.push({
      layer: `Kube-OVN Geneve overlay${margin > 0 ? ` (Kube-OVN allowance ${allowance}, ${margin} spare)` : ''}`,
      mtu: podMax,
      overhead: (input.encryption ? underlay - ESP_TRANSPORT_OVERHEAD : underlay) - podMax,
      source: `kubeovn/kube-ovn v1.15.10 pkg/util/const.go GeneveHeaderLength=100${fam === 'ipv6' ? ', pkg/daemon/config.go IPv6 +20' : ''}; real ${GENEVE_OVN_OVERHEAD[fam]} (RFC 8926, ovn controller/physical.h OVN_GENEVE_LEN)`,
    });
    below.push(['Geneve', GENEVE_OVN_OVERHEAD[fam]]);
    layers.push({ layer: 'Cilium (chained, native routing: no tunnel)', mtu: podMax, overhead: 0, source: 'src/constructs/cilium.ts kubeOvnChaining routingMode: native' });
  } else if (CILIUM_TUNNEL_VARIANTS.includes(variant)) {
    if (input.encryption) notices.push(`notice: cluster.encryption is Kube-OVN's IPsec: variant ${variant} runs no Kube-OVN, so no encryption overhead is counted`);
    let device = underlay;
    if (variant === 'cilium-kilo') {
      const wg = WIREGUARD_OVERHEAD[fam];
      // (at most 9000: the range src/constructs/kilo.ts accepts)
      device = Math.min(underlay - wg, 9000);
      layers.push({ layer: 'Kilo WireGuard (kilo0)', mtu: device, overhead: underlay - device, source: 'linux drivers/net/wireguard/messages.h; cilium/cilium pkg/mtu/mtu.go WireguardOverhead' });
      below.push(['WireGuard', wg]);
      kilo = device;
      if (input.kiloMtu !== undefined) {
        if (input.kiloMtu > device) {
          issues.add('components.kilo.mtu', input.kiloMtu, `Kilo's WireGuard interface MTU ${input.kiloMtu} + WireGuard ${wg} = ${input.kiloMtu + wg} exceeds the underlay NIC's ${underlay} (mtu.underlay): at most ${device}`);
        } else if (device - input.kiloMtu > MTU_SLACK_NOTICE) {
          notices.push(`notice: components.kilo.mtu ${input.kiloMtu} is ${device - input.kiloMtu} bytes below the largest that fits (${device})`);
        }
        kilo = input.kiloMtu;
        device = input.kiloMtu;
      }
    }
    const tunnel = CILIUM_TUNNEL_OVERHEAD[fam];
    cilium = device;
    if (input.ciliumMtu !== undefined && input.ciliumMtu !== 0) {
      if (input.ciliumMtu > device) {
        issues.add('components.cilium.values.MTU', input.ciliumMtu, `Cilium's device MTU ${input.ciliumMtu} exceeds the ${variant === 'cilium-kilo' ? `Kilo WireGuard interface's ${device}` : `underlay NIC's ${underlay} (mtu.underlay)`}`);
      }
      cilium = input.ciliumMtu;
    }
    podMax = cilium - tunnel;
    layers.push({ layer: 'Cilium VXLAN tunnel (routingMode tunnel, the chart default)', mtu: podMax, overhead: tunnel, source: `cilium/cilium pkg/mtu/mtu.go TunnelOverheadIPv${fam === 'ipv6' ? 6 : 4}` });
    below.push(['Cilium VXLAN', tunnel]);
  } else {
    notices.push(`notice: variant ${variant}: the cluster's own CNI sets the pod MTU; cozynet computes only the underlay and the secondary interfaces`);
  }

  if (podMax !== undefined && input.podFamily === 6 && podMax < MIN_MTU) {
    issues.add('underlay', underlay, `leaves the IPv6 pod network ${podMax} bytes after ${below.map(([n, b]) => `${n} ${b}`).join(' + ')}${podMax < underlay - below.reduce((x, [, b]) => x + b, 0) ? ' (and Kube-OVN\'s allowance)' : ''}, below IPv6's minimum MTU ${MIN_MTU} (RFC 8200 §5): at least ${underlay + MIN_MTU - podMax}`);
  }
  let pod = podMax;
  if (props.pod !== undefined) {
    if (podMax === undefined) {
      issues.add('pod', props.pod, `applies to the variants whose CNI cozynet installs; on ${variant} the cluster's CNI sets the pod MTU`);
    } else if (checkMtuLow(issues, 'pod', props.pod)) {
      if (props.pod > podMax) {
        const chain = below.map(([n, b]) => ` + ${n} ${b}`).join('');
        const total = props.pod + below.reduce((s, [, b]) => s + b, 0);
        const realFits = total <= underlay;
        issues.add('pod', props.pod, realFits
          ? `pod network MTU ${props.pod} exceeds ${podMax}, the largest the variant ${variant} gives pods on a ${underlay}-byte underlay (${below.map(([n]) => n).join(' + ')} allowance): at most ${podMax}`
          : `pod network MTU ${props.pod}${chain} = ${total} exceeds the underlay NIC's ${underlay} (mtu.underlay): at most ${podMax}`);
      } else if (podMax - props.pod > MTU_SLACK_NOTICE) {
        notices.push(`notice: mtu.pod ${props.pod} is ${podMax - props.pod} bytes below the largest that fits (${podMax}): packets are smaller than they need to be`);
      }
      pod = props.pod;
    }
    if (variant === 'cilium' || variant === 'cilium-generic' || variant === 'cilium-kilo') {
      if (pod !== undefined && cilium !== undefined) cilium = pod + CILIUM_TUNNEL_OVERHEAD[fam];
    }
  }
  if (KUBEOVN_VARIANTS.includes(variant)) kubeOvnSubnet = pod;
  issues.throwIfAny();

  let tenantPod: number | undefined;
  let tenantMss: number | undefined;
  let pingPod: number | undefined;
  if (pod !== undefined) {
    const pf = input.podFamily === 6 ? 'ipv6' : 'ipv4';
    if (pod !== podMax) layers.push({ layer: 'pod network (mtu.pod)', mtu: pod, overhead: 0, source: 'mtu.pod' });
    layers.push({ layer: 'VM NIC on the pod network (DHCP)', mtu: pod, overhead: 0, source: KUBEOVN_VARIANTS.includes(variant) ? 'Subnet.spec.mtu (kube-ovn pkg/controller/subnet.go)' : 'pod interface MTU' });
    tenantPod = pod - CILIUM_TUNNEL_OVERHEAD[pf];
    tenantMss = tenantPod - TCP_IP_HEADERS[pf];
    layers.push({ layer: 'tenant cluster pod (its Cilium VXLAN in the VMs)', mtu: tenantPod, overhead: CILIUM_TUNNEL_OVERHEAD[pf], source: `cilium/cilium pkg/mtu/mtu.go TunnelOverheadIPv${input.podFamily}` });
    pingPod = pod - ICMP_ECHO_HEADERS[pf];
  }
  if (pod !== undefined) {
    if (pools.length > 0 && defaultUnderlay - underlay > MTU_SLACK_NOTICE) {
      notices.push(`notice: mtu.underlay (the nodes in no pool): its ${defaultUnderlay}-byte underlay carries pod packets of at most ${pod} bytes: the pod network fits the smallest underlay, ${underlay} (${limitedBy}), since pods talk across pools over the overlay`);
    }
    for (const p of pools) {
      const spare = p.underlay - underlay;
      if (spare > MTU_SLACK_NOTICE) {
        notices.push(`notice: ${p.path} (${p.name}): its ${p.underlay}-byte underlay carries pod packets of at most ${pod} bytes, like every node's: the pod network fits the smallest underlay, ${underlay} (${limitedBy}), since pods talk across pools over the overlay; ${spare} bytes of it serve only host-network traffic between the pool's nodes`);
      }
    }
  }
  return {
    variant,
    underlay,
    defaultUnderlay,
    nodePools: pools,
    limitedBy,
    checkVm,
    underlayFamily: familyName as UnderlayFamily,
    encryption: input.encryption,
    layers,
    pod,
    podMax,
    kubeOvnSubnet,
    cilium,
    kilo,
    tenantPod,
    tenantMss,
    pingNode: underlay - ICMP_ECHO_HEADERS[fam],
    pingPod,
    interfaces,
    notices,
  };
}

function checkMtuLow(issues: IssueCollector, field: string, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_MTU || value > MAX_MTU) {
    issues.add(field, value, `must be an MTU: a whole number from ${MIN_MTU} (the IPv6 minimum, RFC 8200 §5) to ${MAX_MTU}`);
    return false;
  }
  return true;
}

/**
 * Checks a secondary interface's MTU (a Multus attachment, a VLAN subnet)
 * against the node interface under it.
 * @internal
 */
export function secondaryMtuIssue(plan: MtuPlan, field: string, mtu: number, nic: string | undefined, what: string): ValidationIssue | undefined {
  const { mtu: limit, from } = interfaceLimit(plan, nic);
  if (mtu <= limit) return undefined;
  return {
    path: field,
    value: String(mtu),
    message: `${what} MTU ${mtu} + VLAN/bridge ${VLAN_OVERHEAD} = ${mtu + VLAN_OVERHEAD} exceeds the node interface ${nic ?? '(underlay)'}'s ${limit} (${from}): at most ${limit}`,
  };
}

/** What each node pool gets, for the table and JSON. */
function poolRows(plan: MtuPlan) {
  return plan.nodePools.map((p) => ({
    name: p.name,
    nodeSelector: { ...p.nodeSelector },
    selector: Object.entries(p.nodeSelector).map(([k, v]) => `${k}=${v}`).join(','),
    underlay: p.underlay,
    pod: plan.pod,
    spare: p.underlay - plan.underlay,
    limiting: plan.limitedBy === `${p.path}.underlay`,
    ifs: { ...p.interfaces },
    interfaces: Object.entries(p.interfaces).map(([n, v]) => `, interface ${n}: ${v}`).join(''),
  }));
}

/** The plan as a table (the `cozynet mtu` text format). @internal */
export function formatMtuTable(plan: MtuPlan): string {
  const rows = plan.layers.map((l) => [l.layer, String(l.mtu), l.overhead === 0 ? '-' : `-${l.overhead}`, l.source]);
  const head = ['layer', 'MTU', 'overhead', 'source'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 3 ? c : c.padEnd(width[i]))).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  const extra: string[] = [];
  if (plan.kubeOvnSubnet !== undefined) extra.push(`Kube-OVN Subnet.spec.mtu: ${plan.kubeOvnSubnet}`);
  if (plan.cilium !== undefined) extra.push(`Cilium MTU value: ${plan.cilium}`);
  if (plan.kilo !== undefined) extra.push(`Kilo --mtu: ${plan.kilo}`);
  if (plan.tenantPod !== undefined) extra.push(`tenant clusters: MTU ${plan.tenantPod}, TCP MSS clamp ${plan.tenantMss}`);
  for (const [n, v] of Object.entries(plan.interfaces)) extra.push(`interface ${n}: ${v}`);
  for (const p of poolRows(plan)) {
    extra.push(`node pool ${p.name} (${p.selector}): underlay ${p.underlay}${p.pod === undefined ? '' : `, pod network ${p.pod}`}${p.limiting ? ' (the smallest underlay: it limits the pod MTU)' : `, ${p.spare} bytes of it unused by pods`}${p.interfaces}`);
  }
  if (plan.nodePools.length > 0) {
    extra.push(`nodes in no pool: underlay ${plan.defaultUnderlay}${plan.limitedBy === 'mtu.underlay' ? ' (the smallest underlay: it limits the pod MTU)' : ''}`);
  }
  return `${out.join('\n')}\n${extra.map((e) => `${e}\n`).join('')}${plan.notices.map((n) => `${n}\n`).join('')}`;
}

/** The plan as plain data (index.json, `cozynet mtu --format json`). @internal */
export function mtuPlanJson(plan: MtuPlan): any {
  const out: any = {
    variant: plan.variant,
    underlay: plan.underlay,
    underlayFamily: plan.underlayFamily,
    encryption: plan.encryption,
    layers: plan.layers.map((l) => ({ ...l })),
  };
  for (const key of ['pod', 'kubeOvnSubnet', 'cilium', 'kilo', 'tenantPod', 'tenantMss'] as const) {
    if (plan[key] !== undefined) out[key] = plan[key];
  }
  if (Object.keys(plan.interfaces).length > 0) out.interfaces = { ...plan.interfaces };
  if (plan.nodePools.length > 0) {
    out.defaultUnderlay = plan.defaultUnderlay;
    out.limitedBy = plan.limitedBy;
    out.nodePools = poolRows(plan).map((p) => ({
      name: p.name,
      nodeSelector: p.nodeSelector,
      underlay: p.underlay,
      ...(Object.keys(p.ifs).length > 0 ? { interfaces: p.ifs } : {}),
      ...(p.pod === undefined ? {} : { pod: p.pod }),
      unusedByPods: p.spare,
      limitsPod: p.limiting,
    }));
  }
  if (plan.notices.length > 0) out.notices = [...plan.notices];
  return out;
}
