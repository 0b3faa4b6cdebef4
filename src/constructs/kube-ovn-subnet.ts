import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ProviderNetwork, Subnet, SubnetSpecProtocol, Vlan } from '../imports/kubeovn.io';
import {
  AddressPlan, checkBoolean, checkDnsLabel, checkInterfaceName, checkKeys, checkList, checkUnique, checkVlanId, isObject,
  SubnetRecord,
} from '../model/address-plan';
import { ClusterNetwork } from '../model/cluster';
import { IssueCollector } from '../model/errors';
import { contains, firstHost, formatAddress, IpInterval, parseAddress, parseCidr, ParsedCidr, specialBlockProblem } from '../model/ip';
import { networkStacksOf } from '../variants/stack-registry';

/**
 * VLAN underlay of a Kube-OVN subnet: the subnet is bridged onto VLAN `id`
 * of a provider network (a node NIC) instead of the GENEVE overlay.
 *
 * With `interface`, a `ProviderNetwork` is created (shared by every subnet
 * naming the same provider network with the same interface); with only
 * `providerNetwork`, an existing one is referenced. A `Vlan` object named
 * `<providerNetwork>-vlan<id>` (shared by subnets on the same VLAN) is
 * created and the subnet's `spec.vlan` names it.
 */
export interface KubeOvnSubnetVlanProps {
  /**
   * The VLAN ID, 1-4094.
   */
  readonly id: number;

  /**
   * Name of the Kube-OVN `ProviderNetwork` (at most 12 characters: Kube-OVN
   * names the OVS bridge `br-<name>`).
   * @default - derived from `interface` (e.g. `eth1`); one of the two is required
   */
  readonly providerNetwork?: string;

  /**
   * The node NIC carrying the VLAN (`defaultInterface` of the created
   * `ProviderNetwork`).
   * @default - none: `providerNetwork` must name an existing provider network
   */
  readonly interface?: string;

  /**
   * Name of the `Vlan` object.
   * @default - `<providerNetwork>-vlan<id>`
   */
  readonly name?: string;
}

/**
 * A Kube-OVN subnet (platform file: an item of `subnets`).
 */
export interface KubeOvnSubnetProps {
  /**
   * Subnet name (the cluster-scoped `Subnet` object). `ovn-default` and
   * `join` are Kube-OVN's own subnets and refused.
   */
  readonly name: string;

  /**
   * The subnet's CIDR (`spec.cidrBlock`), IPv4 or IPv6; `spec.protocol` is
   * derived from it. Must not overlap the pod, service or join CIDR, a
   * MetalLB pool or another subnet.
   */
  readonly cidr: string;

  /**
   * Gateway address, inside the CIDR.
   * @default - the first address of the CIDR
   */
  readonly gateway?: string;

  /**
   * Addresses Kube-OVN must not hand out: single addresses or inclusive
   * ranges (`10.245.0.1..10.245.0.9`; `start-end` is accepted and written in
   * Kube-OVN's `..` form), all inside the CIDR.
   * @default - none (Kube-OVN always excludes the gateway)
   */
  readonly excludeIps?: string[];

  /**
   * Namespaces whose pods get their primary address from this subnet.
   * @default - none
   */
  readonly namespaces?: string[];

  /**
   * Whether the subnet is private: only its own addresses and `allowSubnets`
   * may reach it.
   * @default false
   */
  readonly private?: boolean;

  /**
   * CIDRs allowed to reach a private subnet (requires `private: true`).
   * @default - none
   */
  readonly allowSubnets?: string[];

  /**
   * Whether traffic leaving the cluster is masqueraded to the node address.
   * @default false
   */
  readonly natOutgoing?: boolean;

  /**
   * Kube-OVN provider: `ovn` for pods' primary interfaces,
   * `<nad>.<namespace>.ovn` for a `kube-ovn` Multus attachment, or
   * `<nad>.<namespace>` for an attachment using Kube-OVN IPAM. A
   * `MultusAttachment` naming this subnet sets it when left unset.
   * @default 'ovn' (not written)
   */
  readonly provider?: string;

  /**
   * VLAN underlay.
   * @default - overlay (GENEVE)
   */
  readonly vlan?: KubeOvnSubnetVlanProps;

  /**
   * MTU of the subnet's interfaces (`spec.mtu`): what Kube-OVN gives pods
   * and, over DHCP, VMs on it, 1280-9216. In a Platform it is computed from
   * the MTU plan (`mtu`), and a larger one is refused.
   * @default - in a Platform, the plan's (overlay: the pod network's; VLAN: its interface's); standalone, Kube-OVN's own (1400 over DHCP)
   */
  readonly mtu?: number;

  /**
   * The cluster network, for standalone use (see `MetalLbPoolProps.cluster`).
   * @default - the cluster already registered in the construct tree, if any
   */
  readonly cluster?: ClusterNetwork;
}

const SUBNET_KEYS = ['name', 'cidr', 'gateway', 'excludeIps', 'namespaces', 'private', 'allowSubnets', 'natOutgoing', 'provider', 'vlan', 'mtu', 'cluster'];
const VLAN_KEYS = ['id', 'providerNetwork', 'interface', 'name'];
const RESERVED_SUBNETS = ['ovn-default', 'join'];
const PROVIDER = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.ovn)?$/;

interface ResolvedSubnet {
  readonly name: string;
  readonly cidr: ParsedCidr;
  readonly gateway: string;
  readonly excludeIps: string[];
  readonly namespaces: string[];
  readonly private: boolean;
  readonly allowSubnets: string[];
  readonly natOutgoing: boolean;
  readonly provider?: string;
  readonly mtu?: number;
  readonly vlan?: { id: number; providerNetwork: string; interface?: string; name: string; createNetwork: boolean; createVlan: boolean };
}

/**
 * A Kube-OVN `Subnet` (`kubeovn.io/v1`, cluster-scoped), and for a VLAN
 * underlay its `ProviderNetwork` and `Vlan`.
 *
 * Validated at construction (paths relative to the props: `cidr`,
 * `excludeIps[2]`, `vlan.id`); overlaps are checked against the pools,
 * subnets and cluster CIDRs registered earlier in the construct tree.
 */
export class KubeOvnSubnet extends Construct {
  /** The subnet name. */
  public readonly name: string;
  /** The CIDR. */
  public readonly cidr: string;
  /** The gateway address. */
  public readonly gateway: string;
  /** `IPv4` or `IPv6`. */
  public readonly protocol: string;
  /** The `Subnet` object. */
  public readonly subnet: ApiObject;
  /** The `ProviderNetwork` this subnet created, if any. */
  public readonly providerNetwork?: ApiObject;
  /** The `Vlan` object this subnet created, if any. */
  public readonly vlan?: ApiObject;
  /** Name of the `Vlan` the subnet is bridged onto, for a VLAN underlay. */
  public readonly vlanName?: string;

  private readonly record: SubnetRecord;

  constructor(scope: Construct, id: string, props: KubeOvnSubnetProps) {
    const plan = AddressPlan.of(scope);
    const r = validateSubnet(props, plan);
    super(scope, id);

    this.name = r.name;
    this.cidr = r.cidr.text;
    this.gateway = r.gateway;
    this.protocol = r.cidr.family === 4 ? 'IPv4' : 'IPv6';
    this.vlanName = r.vlan?.name;

    this.subnet = new Subnet(this, 'Subnet', {
      metadata: { name: r.name },
      spec: {
        protocol: r.cidr.family === 4 ? SubnetSpecProtocol.I_PV4 : SubnetSpecProtocol.I_PV6,
        cidrBlock: r.cidr.text,
        gateway: r.gateway,
        excludeIps: r.excludeIps.length > 0 ? r.excludeIps : undefined,
        namespaces: r.namespaces.length > 0 ? r.namespaces : undefined,
        provider: r.provider,
        vlan: r.vlan?.name,
        private: r.private,
        allowSubnets: r.private && r.allowSubnets.length > 0 ? r.allowSubnets : undefined,
        natOutgoing: r.natOutgoing,
        mtu: r.mtu,
      },
    });

    if (r.vlan) {
      const v = r.vlan;
      if (v.createNetwork) {
        this.providerNetwork = new ProviderNetwork(this, 'ProviderNetwork', {
          metadata: { name: v.providerNetwork },
          spec: { defaultInterface: v.interface! },
        });
        plan.registerShared('ProviderNetwork', v.providerNetwork, { interface: v.interface }, `Kube-OVN subnet "${r.name}"`);
      }
      if (v.createVlan) {
        this.vlan = new Vlan(this, 'Vlan', {
          metadata: { name: v.name },
          spec: { id: v.id, provider: v.providerNetwork },
        });
        plan.registerShared('Vlan', v.name, { id: v.id, providerNetwork: v.providerNetwork }, `Kube-OVN subnet "${r.name}"`);
      }
    }

    const subnetObject = this.subnet;
    this.record = {
      name: r.name,
      cidr: r.cidr,
      namespaces: r.namespaces,
      provider: r.provider,
      bindProvider(provider: string, by: string) {
        this.provider = provider;
        this.providerBoundBy = by;
        subnetObject.addJsonPatch(JsonPatch.add('/spec/provider', provider));
      },
    };
    plan.subnets.set(r.name, this.record);
    this.node.addValidation({ validate: () => withoutKubeOvn(this) });
    plan.ranges.insert({ interval: r.cidr, kind: 'subnet', name: r.name, owner: `Kube-OVN subnet "${r.name}" (${r.cidr.text})` });
  }

  /**
   * The Kube-OVN provider of the subnet: `ovn`, or the provider of the
   * Multus attachment it serves (set by props or by a `MultusAttachment`).
   */
  public get provider(): string {
    return this.record.provider ?? 'ovn';
  }
}

/** Parses an `excludeIps` entry: an address, or `a..b` / `a-b`. */
function parseExclude(text: unknown): { ok: true; value: IpInterval; normalized: string } | { ok: false; error: string } {
  const allowed = 'must be an address or an inclusive range such as 10.245.0.2..10.245.0.9';
  if (typeof text !== 'string' || text.length === 0) return { ok: false, error: allowed };
  const parts = text.includes('..') ? text.split('..') : text.includes('-') ? text.split('-') : [text];
  if (parts.length > 2) return { ok: false, error: allowed };
  const a = parseAddress(parts[0].trim());
  const b = parts.length === 2 ? parseAddress(parts[1].trim()) : a;
  if (!a.ok || !b.ok) return { ok: false, error: allowed };
  if (a.value.family !== b.value.family) return { ok: false, error: 'both ends of a range must be of the same IP family' };
  if (a.value.start > b.value.start) return { ok: false, error: 'range is reversed: the start must not be above the end' };
  const normalized = parts.length === 2 ? `${parts[0].trim()}..${parts[1].trim()}` : parts[0].trim();
  return { ok: true, value: { family: a.value.family, start: a.value.start, end: b.value.start, text }, normalized };
}

function validateSubnet(props: KubeOvnSubnetProps, plan: AddressPlan): ResolvedSubnet {
  const issues = new IssueCollector();
  if (!isObject(props)) {
    issues.add(undefined, props, 'must be an object with name and cidr');
    issues.throwIfAny();
  }
  checkKeys(issues, props, SUBNET_KEYS);

  if (checkDnsLabel(issues, 'name', props.name, 'the subnet name')) {
    if (RESERVED_SUBNETS.includes(props.name)) {
      issues.add('name', props.name, `is the name of a subnet Kube-OVN creates itself (${RESERVED_SUBNETS.join(', ')}); choose another name`);
    } else if (plan.subnets.has(props.name)) {
      issues.add('name', props.name, 'a Kube-OVN subnet with this name already exists; subnet names must be unique');
    }
  }

  if (props.cluster !== undefined) plan.adoptCluster(props.cluster, issues.at('cluster'));

  let cidr: ParsedCidr | undefined;
  if (typeof props.cidr === 'string' && props.cidr.includes(',')) {
    issues.add('cidr', props.cidr, 'must be a single CIDR: dual-stack subnets are not supported; define one subnet per family');
  } else {
    const p = parseCidr(props.cidr);
    if (!p.ok) {
      issues.add('cidr', props.cidr, p.error);
    } else if (p.value.prefix > (p.value.family === 4 ? 30 : 126)) {
      issues.add('cidr', props.cidr, `is too small for a subnet: use a prefix length of /${p.value.family === 4 ? 30 : 126} or shorter`);
    } else if (specialBlockProblem(p.value, 'a Kube-OVN subnet')) {
      issues.add('cidr', props.cidr, specialBlockProblem(p.value, 'a Kube-OVN subnet')!);
    } else {
      cidr = p.value;
      for (const hit of plan.ranges.overlapping(cidr)) {
        const rule = hit.kind === 'cluster' ? 'a Kube-OVN subnet must not overlap the pod, service or join CIDR'
          : hit.kind === 'pool' ? 'a Kube-OVN subnet must not overlap a load-balancer pool' : 'Kube-OVN subnets must be disjoint';
        issues.add('cidr', props.cidr, `overlaps ${hit.owner}; ${rule}`);
      }
    }
  }

  // Gateway.
  let gateway = '';
  if (cidr) {
    gateway = props.gateway ?? firstHost(cidr);
    const g = parseAddress(gateway);
    if (!g.ok) {
      issues.add('gateway', props.gateway, `the gateway ${g.error}`);
    } else if (!contains(cidr, g.value)) {
      issues.add('gateway', props.gateway, `must lie inside the subnet's CIDR ${cidr.text}`);
    } else if (g.value.start === cidr.start || (cidr.family === 4 && g.value.start === cidr.end)) {
      issues.add('gateway', props.gateway, `must be a host address of ${cidr.text}, not its network or broadcast address`);
    }
  } else if (props.gateway !== undefined && !parseAddress(props.gateway).ok) {
    issues.add('gateway', props.gateway, 'must be an IPv4 or IPv6 address inside the CIDR');
  }

  // Excluded addresses.
  const excludeIps = checkList(issues, 'excludeIps', props.excludeIps, 'addresses or ranges', (item, v) => {
    const e = parseExclude(v);
    if (!e.ok) {
      item.add(undefined, v, e.error);
      return undefined;
    }
    if (cidr && !contains(cidr, e.value)) {
      item.add(undefined, v, `must lie inside the subnet's CIDR ${cidr.text} (${formatAddress(cidr.start, cidr.family)} to ${formatAddress(cidr.end, cidr.family)})`);
      return undefined;
    }
    return e.normalized;
  });

  const namespaces = checkList(issues, 'namespaces', props.namespaces, 'namespaces', (item, v) => (checkDnsLabel(item, undefined, v, 'a namespace') ? v : undefined));
  checkUnique(issues, 'namespaces', namespaces, 'namespace');

  checkBoolean(issues, 'private', props.private);
  checkBoolean(issues, 'natOutgoing', props.natOutgoing);
  const allowSubnets = checkList(issues, 'allowSubnets', props.allowSubnets, 'CIDRs', (item, v) => {
    const p = parseCidr(v);
    if (!p.ok) {
      item.add(undefined, v, p.error);
      return undefined;
    }
    return p.value.text;
  });
  if (props.allowSubnets !== undefined && props.private !== true) {
    issues.add('allowSubnets', props.allowSubnets, 'applies only to a private subnet: set private: true, or remove allowSubnets');
  }

  if (props.provider !== undefined && props.provider !== 'ovn') {
    if (typeof props.provider !== 'string' || !PROVIDER.test(props.provider)) {
      issues.add('provider', props.provider, 'must be ovn, <attachment>.<namespace>.ovn (a kube-ovn Multus attachment) or <attachment>.<namespace> (an attachment using Kube-OVN IPAM)');
    }
  }

  if (props.mtu !== undefined && (typeof props.mtu !== 'number' || !Number.isInteger(props.mtu) || props.mtu < 1280 || props.mtu > 9216)) {
    issues.add('mtu', props.mtu, 'must be an MTU: a whole number from 1280 to 9216');
  }

  let vlan: ResolvedSubnet['vlan'];
  if (props.vlan !== undefined) vlan = validateVlan(issues.at('vlan'), props.vlan, plan);

  issues.throwIfAny();
  return {
    name: props.name,
    cidr: cidr!,
    gateway,
    excludeIps,
    namespaces,
    private: props.private ?? false,
    allowSubnets,
    natOutgoing: props.natOutgoing ?? false,
    provider: props.provider === 'ovn' ? undefined : props.provider,
    mtu: props.mtu,
    vlan,
  };
}

function validateVlan(at: IssueCollector, v: KubeOvnSubnetVlanProps, plan: AddressPlan): ResolvedSubnet['vlan'] {
  if (!isObject(v)) {
    at.add(undefined, v, 'must be an object with id and providerNetwork and/or interface');
    return undefined;
  }
  const before = at.issues.length;
  checkKeys(at, v, VLAN_KEYS);
  checkVlanId(at, 'id', v.id);
  if (v.interface !== undefined) checkInterfaceName(at, 'interface', v.interface, 'the node interface carrying the VLAN');

  let providerNetwork = v.providerNetwork;
  if (providerNetwork === undefined) {
    if (v.interface === undefined) {
      at.add('providerNetwork', undefined, 'a VLAN underlay needs a provider network: set providerNetwork (an existing one) and/or interface (the node NIC, to create one)');
    } else if (typeof v.interface === 'string') {
      const derived = v.interface.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
      if (derived.length === 0 || derived.length > 12) {
        at.add('interface', v.interface, `yields the provider network name "${derived}", but Kube-OVN provider network names have 1-12 characters; set vlan.providerNetwork`);
      } else {
        providerNetwork = derived;
      }
    }
  } else {
    checkDnsLabel(at, 'providerNetwork', providerNetwork, 'the provider network name', 12);
  }
  if (v.name !== undefined) checkDnsLabel(at, 'name', v.name, 'the Vlan name');
  if (at.issues.length > before || providerNetwork === undefined) return undefined;

  let createNetwork = false;
  if (v.interface !== undefined) {
    const claim = plan.claim('ProviderNetwork', providerNetwork, { interface: v.interface });
    if (claim.status === 'conflict') {
      at.add('interface', v.interface, `provider network "${providerNetwork}" is already defined by ${claim.existing.owner} on interface ${claim.theirs}; use a different providerNetwork name for this interface`);
      return undefined;
    }
    createNetwork = claim.status === 'new';
  }
  const name = v.name ?? `${providerNetwork}-vlan${v.id}`;
  const claim = plan.claim('Vlan', name, { id: v.id, providerNetwork });
  if (claim.status === 'conflict') {
    const field = v.name !== undefined ? 'name' : claim.key === 'id' ? 'id' : 'providerNetwork';
    at.add(field, (v as any)[field] ?? name, `Vlan "${name}" is already defined by ${claim.existing.owner} with ${claim.key} ${JSON.stringify(claim.theirs)}; give this VLAN another name`);
    return undefined;
  }
  return { id: v.id, providerNetwork, interface: v.interface, name, createNetwork, createVlan: claim.status === 'new' };
}

/**
 * A subnet in a construct tree whose networking stacks run no Kube-OVN
 * (`cilium`, `cilium-generic`, `cilium-kilo`, `noop`): the `Subnet` CRD never
 * exists there. (A `Platform` refuses `subnets` itself, naming the field.)
 */
function withoutKubeOvn(subnet: KubeOvnSubnet): string[] {
  const stacks: any[] = networkStacksOf(subnet.node.root);
  if (stacks.length === 0 || stacks.some((s: any) => s.runsKubeOvn === true)) return [];
  const variants = [...new Set(stacks.map((s: any) => String(s.variant?.name)))].join(', ');
  return [`Kube-OVN subnet "${subnet.name}": the networking stack (variant ${variants}) does not run Kube-OVN, so the Subnet CRD never exists; variants that run it: kubeovn-cilium, kubeovn-cilium-generic`];
}
