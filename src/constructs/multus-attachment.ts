import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkAttachmentDefinition } from '../imports/k8s.cni.cncf.io';
import {
  AddressPlan, checkDnsLabel, checkInteger, checkInterfaceName, checkKeys, checkList, checkVlanId, isObject, SubnetRecord,
} from '../model/address-plan';
import { IssueCollector } from '../model/errors';
import { contains, parseAddress, parseCidr } from '../model/ip';

/**
 * The CNI plugin of a Multus attachment.
 */
export enum AttachmentType {
  /** Linux bridge on the node (`bridge`, optional `vlanId`, `mtu`). */
  BRIDGE = 'bridge',
  /** macvlan on a node interface (`master`, `mode`: bridge, private, vepa, passthru). */
  MACVLAN = 'macvlan',
  /** ipvlan on a node interface (`master`, `mode`: l2, l3, l3s). */
  IPVLAN = 'ipvlan',
  /** A VLAN sub-interface of a node interface (`master`, `vlanId`). */
  VLAN = 'vlan',
  /** Moves a node device into the pod (`device`). */
  HOST_DEVICE = 'host-device',
  /** A second Kube-OVN network, addressed from a Kube-OVN subnet (`subnet`). */
  KUBE_OVN = 'kube-ovn',
}

/**
 * How an attachment's interface gets its address.
 */
export enum AttachmentIpamType {
  /** No address (`"ipam": {}`): e.g. a VM configures its own. */
  NONE = 'none',
  /** Fixed `addresses`, or addresses given per pod in the network selection annotation. */
  STATIC = 'static',
  /** DHCP on the attached network (needs the CNI dhcp daemon on the nodes). */
  DHCP = 'dhcp',
  /** Cluster-wide allocation from `range` by the whereabouts plugin. */
  WHEREABOUTS = 'whereabouts',
  /** Allocation from a Kube-OVN subnet whose provider is `<attachment>.<namespace>`. */
  KUBE_OVN = 'kube-ovn',
}

/**
 * IPAM of an attachment (platform file: `attachments[].ipam`).
 */
export interface AttachmentIpamProps {
  /**
   * The IPAM plugin.
   */
  readonly type: AttachmentIpamType;

  /**
   * `static` only: addresses with prefix length, e.g. `10.10.0.5/24`.
   * @default - addresses come from the pod's network selection annotation
   */
  readonly addresses?: string[];

  /**
   * `static` and `whereabouts`: the default gateway.
   * @default - none
   */
  readonly gateway?: string;

  /**
   * `static` and `whereabouts`: destination CIDRs routed through the interface.
   * @default - none
   */
  readonly routes?: string[];

  /**
   * `whereabouts` only (required there): the CIDR to allocate from.
   * @default - none
   */
  readonly range?: string;

  /**
   * `whereabouts` only: first address to allocate, inside `range`.
   * @default - the start of `range`
   */
  readonly rangeStart?: string;

  /**
   * `whereabouts` only: last address to allocate, inside `range`.
   * @default - the end of `range`
   */
  readonly rangeEnd?: string;

  /**
   * `whereabouts` only: CIDRs inside `range` never allocated.
   * @default - none
   */
  readonly exclude?: string[];
}

/**
 * Ready-made IPAM settings.
 */
export class AttachmentIpam {
  /** No IPAM. */
  public static none(): AttachmentIpamProps {
    return { type: AttachmentIpamType.NONE };
  }

  /** DHCP. */
  public static dhcp(): AttachmentIpamProps {
    return { type: AttachmentIpamType.DHCP };
  }

  /** Kube-OVN IPAM (the attachment's subnet is given by `MultusAttachmentProps.subnet`). */
  public static kubeOvn(): AttachmentIpamProps {
    return { type: AttachmentIpamType.KUBE_OVN };
  }

  /**
   * Static addresses.
   * @param addresses addresses with prefix length, e.g. `10.10.0.5/24`
   * @param gateway the default gateway
   */
  public static fixed(addresses: string[], gateway?: string): AttachmentIpamProps {
    return { type: AttachmentIpamType.STATIC, addresses, gateway };
  }

  /**
   * Whereabouts allocation from a CIDR.
   * @param range the CIDR to allocate from
   * @param gateway the default gateway
   */
  public static whereabouts(range: string, gateway?: string): AttachmentIpamProps {
    return { type: AttachmentIpamType.WHEREABOUTS, range, gateway };
  }

  private constructor() {}
}

/**
 * A Multus attachment (platform file: an item of `attachments`).
 */
export interface MultusAttachmentProps {
  /**
   * Name of the `NetworkAttachmentDefinition`.
   */
  readonly name: string;

  /**
   * Namespace of the `NetworkAttachmentDefinition` (the tenant namespace
   * whose VMs attach to it).
   */
  readonly namespace: string;

  /**
   * The CNI plugin.
   */
  readonly type: AttachmentType;

  /**
   * `bridge` only (required there): the node bridge, e.g. `br-vlan100`.
   * @default - none
   */
  readonly bridge?: string;

  /**
   * `bridge` (optional: tags the pod's port) and `vlan` (required): VLAN ID 1-4094.
   * @default - untagged
   */
  readonly vlanId?: number;

  /**
   * `bridge`, `macvlan`, `ipvlan`, `vlan`: interface MTU, 68-65535.
   * @default - the plugin's default
   */
  readonly mtu?: number;

  /**
   * `macvlan`, `ipvlan` (optional) and `vlan` (required): the node interface.
   * @default - the node's default-route interface
   */
  readonly master?: string;

  /**
   * `macvlan` (bridge, private, vepa, passthru) and `ipvlan` (l2, l3, l3s).
   * @default - bridge for macvlan, l2 for ipvlan
   */
  readonly mode?: string;

  /**
   * `host-device` only (required there): the node device to move into the pod.
   * @default - none
   */
  readonly device?: string;

  /**
   * `kube-ovn` type or Kube-OVN IPAM: name of the Kube-OVN subnet the
   * addresses come from, defined before this attachment. Its `provider`
   * must be this attachment's (`<name>.<namespace>.ovn` for the `kube-ovn`
   * type, `<name>.<namespace>` for Kube-OVN IPAM); a subnet without a
   * provider (and without `namespaces`) gets it set.
   * @default - a subnet whose provider is already this attachment's
   */
  readonly subnet?: string;

  /**
   * Address management of the interface; not allowed for the `kube-ovn` type.
   * @default - none (`"ipam": {}`)
   */
  readonly ipam?: AttachmentIpamProps;
}

/** The socket the kube-ovn CNI plugin talks to. */
const KUBE_OVN_SOCKET = '/run/openvswitch/kube-ovn-daemon.sock';
const CNI_VERSION = '0.3.1';
const ATTACHMENT_KEYS = ['name', 'namespace', 'type', 'bridge', 'vlanId', 'mtu', 'master', 'mode', 'device', 'subnet', 'ipam'];
const IPAM_KEYS = ['type', 'addresses', 'gateway', 'routes', 'range', 'rangeStart', 'rangeEnd', 'exclude'];
const TYPES = Object.values(AttachmentType) as string[];
const IPAM_TYPES = Object.values(AttachmentIpamType) as string[];

/** Which type-specific keys each type accepts, and which it requires. */
const TYPE_KEYS: Record<string, { allowed: string[]; required: string[] }> = {
  'bridge': { allowed: ['bridge', 'vlanId', 'mtu', 'ipam'], required: ['bridge'] },
  'macvlan': { allowed: ['master', 'mode', 'mtu', 'ipam'], required: [] },
  'ipvlan': { allowed: ['master', 'mode', 'mtu', 'ipam'], required: [] },
  'vlan': { allowed: ['master', 'vlanId', 'mtu', 'ipam'], required: ['master', 'vlanId'] },
  'host-device': { allowed: ['device', 'ipam'], required: ['device'] },
  'kube-ovn': { allowed: ['subnet'], required: [] },
};
const MODES: Record<string, string[]> = {
  macvlan: ['bridge', 'private', 'vepa', 'passthru'],
  ipvlan: ['l2', 'l3', 'l3s'],
};
const IPAM_FIELDS: Record<string, string[]> = {
  addresses: ['static'],
  gateway: ['static', 'whereabouts'],
  routes: ['static', 'whereabouts'],
  range: ['whereabouts'],
  rangeStart: ['whereabouts'],
  rangeEnd: ['whereabouts'],
  exclude: ['whereabouts'],
};

interface ResolvedAttachment {
  readonly config: string;
  readonly provider?: string;
  readonly bind?: SubnetRecord;
}

/**
 * A Multus `NetworkAttachmentDefinition` (`k8s.cni.cncf.io/v1`, namespaced)
 * whose `spec.config` is the CNI configuration as a JSON string with a fixed
 * key order (`cniVersion`, `name`, `type`, plugin keys, `ipam`).
 *
 * A `kube-ovn` attachment (or one with Kube-OVN IPAM) is wired to a
 * `KubeOvnSubnet` by provider: the subnet named by `subnet` must carry the
 * attachment's provider, or gets it when it has none.
 */
export class MultusAttachment extends Construct {
  /** The attachment name. */
  public readonly name: string;
  /** The attachment namespace. */
  public readonly namespace: string;
  /** The CNI plugin. */
  public readonly type: AttachmentType;
  /** The CNI configuration (`spec.config`). */
  public readonly config: string;
  /** The Kube-OVN provider string, for `kube-ovn` attachments and Kube-OVN IPAM. */
  public readonly provider?: string;
  /** The `NetworkAttachmentDefinition` object. */
  public readonly networkAttachmentDefinition: ApiObject;

  constructor(scope: Construct, id: string, props: MultusAttachmentProps) {
    const plan = AddressPlan.of(scope);
    const r = validateAttachment(props, plan);
    super(scope, id);

    this.name = props.name;
    this.namespace = props.namespace;
    this.type = props.type;
    this.config = r.config;
    this.provider = r.provider;
    plan.attachments.add(`${props.namespace}/${props.name}`);
    if (r.bind && r.provider) r.bind.bindProvider(r.provider, `attachment ${this.networkName()}`);

    this.networkAttachmentDefinition = new NetworkAttachmentDefinition(this, 'NetworkAttachmentDefinition', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: { config: r.config },
    });
  }

  /**
   * The network reference a KubeVirt VM uses:
   * `spec.template.spec.networks[].multus.networkName: <namespace>/<name>`.
   */
  public networkName(): string {
    return `${this.namespace}/${this.name}`;
  }
}

function validateAttachment(props: MultusAttachmentProps, plan: AddressPlan): ResolvedAttachment {
  const issues = new IssueCollector();
  if (!isObject(props)) {
    issues.add(undefined, props, 'must be an object with name, namespace and type');
    issues.throwIfAny();
  }
  checkKeys(issues, props, ATTACHMENT_KEYS);
  const nameOk = checkDnsLabel(issues, 'name', props.name, 'the attachment name');
  const nsOk = checkDnsLabel(issues, 'namespace', props.namespace, 'the namespace');
  if (nameOk && nsOk && plan.attachments.has(`${props.namespace}/${props.name}`)) {
    issues.add('name', props.name, `an attachment named ${props.namespace}/${props.name} already exists; names must be unique per namespace`);
  }

  const type = props.type as string;
  if (!TYPES.includes(type)) {
    issues.add('type', props.type, `must be one of ${TYPES.join(', ')}`);
    issues.throwIfAny();
  }
  const rules = TYPE_KEYS[type];
  const ipamType = isObject(props.ipam) ? props.ipam.type as string : undefined;
  for (const key of ['bridge', 'vlanId', 'mtu', 'master', 'mode', 'device', 'subnet', 'ipam']) {
    const value = (props as any)[key];
    if (value === undefined) {
      if (rules.required.includes(key)) issues.add(key, value, `is required for a ${type} attachment`);
      continue;
    }
    if (key === 'subnet' && ipamType === AttachmentIpamType.KUBE_OVN) continue;
    if (!rules.allowed.includes(key)) {
      const users = Object.keys(TYPE_KEYS).filter((t) => TYPE_KEYS[t].allowed.includes(key));
      const why = key === 'ipam' ? 'a kube-ovn attachment takes its addresses from its Kube-OVN subnet; remove ipam'
        : key === 'subnet' ? 'applies only to type kube-ovn or to ipam type kube-ovn'
          : `applies only to type ${users.join(' or ')}, not ${type}`;
      issues.add(key, value, why);
    }
  }

  const config: Record<string, unknown> = { cniVersion: CNI_VERSION, name: props.name, type };
  if (rules.allowed.includes('bridge') && props.bridge !== undefined) {
    if (checkInterfaceName(issues, 'bridge', props.bridge, 'a bridge name')) config.bridge = props.bridge;
  }
  if (rules.allowed.includes('master') && props.master !== undefined) {
    if (checkInterfaceName(issues, 'master', props.master, 'the node interface')) config.master = props.master;
  }
  if (rules.allowed.includes('mode') && props.mode !== undefined) {
    if (!MODES[type].includes(props.mode)) issues.add('mode', props.mode, `must be one of ${MODES[type].join(', ')} for a ${type} attachment`);
    else config.mode = props.mode;
  }
  if (rules.allowed.includes('vlanId') && props.vlanId !== undefined) {
    if (checkVlanId(issues, 'vlanId', props.vlanId)) config[type === 'bridge' ? 'vlan' : 'vlanId'] = props.vlanId;
  }
  if (rules.allowed.includes('mtu') && props.mtu !== undefined) {
    if (checkInteger(issues, 'mtu', props.mtu, 68, 65535, 'an MTU')) config.mtu = props.mtu;
  }
  if (rules.allowed.includes('device') && props.device !== undefined) {
    if (checkInterfaceName(issues, 'device', props.device, 'a node device name')) config.device = props.device;
  }

  let provider: string | undefined;
  if (type === AttachmentType.KUBE_OVN) {
    provider = `${props.name}.${props.namespace}.ovn`;
    config.server_socket = KUBE_OVN_SOCKET;
    config.provider = provider;
  } else if (rules.allowed.includes('ipam')) {
    const ipam = validateIpam(issues.at('ipam'), props.ipam, props.name, props.namespace);
    if (ipam.capabilities) config.capabilities = ipam.capabilities;
    config.ipam = ipam.ipam;
    provider = ipam.provider;
  }

  // Secondary networks must not shadow the cluster's own CIDRs inside the pod.
  if (isObject(props.ipam) && typeof props.ipam.range === 'string' && props.ipam.type === AttachmentIpamType.WHEREABOUTS) {
    const range = parseCidr(props.ipam.range);
    if (range.ok) {
      for (const hit of plan.ranges.overlapping(range.value)) {
        if (hit.kind === 'cluster') issues.add('ipam.range', props.ipam.range, `overlaps ${hit.owner}; an attachment's addresses must not overlap the pod, service or join CIDR`);
      }
    }
  }

  let bind: SubnetRecord | undefined;
  if (provider !== undefined && nameOk && nsOk) bind = resolveSubnet(issues, props.subnet, provider, plan);

  issues.throwIfAny();
  return { config: JSON.stringify(config), provider, bind };
}

/** Finds the subnet of a Kube-OVN provider; returns it when its provider must be set. */
function resolveSubnet(issues: IssueCollector, subnet: string | undefined, provider: string, plan: AddressPlan): SubnetRecord | undefined {
  if (subnet === undefined) {
    if (plan.subnetsWithProvider(provider).length === 0) {
      issues.add('subnet', subnet, `needs a Kube-OVN subnet with provider "${provider}": set subnet to the name of a subnet defined before this attachment, or give such a subnet provider "${provider}"`);
    }
    return undefined;
  }
  if (typeof subnet !== 'string') {
    issues.add('subnet', subnet, 'must be the name of a Kube-OVN subnet');
    return undefined;
  }
  const rec = plan.subnets.get(subnet);
  if (!rec) {
    const known = [...plan.subnets.keys()];
    issues.add('subnet', subnet, `no Kube-OVN subnet with this name is defined before this attachment (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
    return undefined;
  }
  if (rec.provider === provider) return undefined;
  if (rec.provider !== undefined) {
    issues.add('subnet', subnet, `Kube-OVN subnet "${subnet}" has provider "${rec.provider}"${rec.providerBoundBy ? ` (set by ${rec.providerBoundBy})` : ''}, but this attachment needs provider "${provider}"; a subnet serves one attachment`);
    return undefined;
  }
  if (rec.namespaces.length > 0) {
    issues.add('subnet', subnet, `Kube-OVN subnet "${subnet}" is the primary subnet of namespaces ${rec.namespaces.join(', ')} (provider ovn); give the attachment a subnet of its own`);
    return undefined;
  }
  return rec;
}

function validateIpam(at: IssueCollector, ipam: AttachmentIpamProps | undefined, name: string, namespace: string):
{ ipam: Record<string, unknown>; capabilities?: Record<string, unknown>; provider?: string } {
  if (ipam === undefined) return { ipam: {} };
  if (!isObject(ipam)) {
    at.add(undefined, ipam, `must be an object with a type (${IPAM_TYPES.join(', ')})`);
    return { ipam: {} };
  }
  checkKeys(at, ipam, IPAM_KEYS);
  const type = ipam.type as string;
  if (!IPAM_TYPES.includes(type)) {
    at.add('type', ipam.type, `must be one of ${IPAM_TYPES.join(', ')}`);
    return { ipam: {} };
  }
  for (const [field, types] of Object.entries(IPAM_FIELDS)) {
    if ((ipam as any)[field] !== undefined && !types.includes(type)) {
      at.add(field, (ipam as any)[field], `applies only to ipam type ${types.join(' or ')}, not ${type}`);
    }
  }

  const gateway = ipam.gateway;
  if (gateway !== undefined && IPAM_FIELDS.gateway.includes(type) && !parseAddress(gateway).ok) {
    at.add('gateway', gateway, 'must be an IPv4 or IPv6 address');
  }
  const routes = IPAM_FIELDS.routes.includes(type) ? checkList(at, 'routes', ipam.routes, 'destination CIDRs', (item, v) => {
    const p = parseCidr(v);
    if (!p.ok) item.add(undefined, v, p.error);
    return p.ok ? { dst: p.value.text } : undefined;
  }) : [];

  switch (type) {
    case AttachmentIpamType.NONE:
      return { ipam: {} };
    case AttachmentIpamType.DHCP:
      return { ipam: { type: 'dhcp' } };
    case AttachmentIpamType.KUBE_OVN: {
      const provider = `${name}.${namespace}`;
      return { ipam: { type: 'kube-ovn', server_socket: KUBE_OVN_SOCKET, provider }, provider };
    }
    case AttachmentIpamType.STATIC: {
      const addresses = checkList(at, 'addresses', ipam.addresses, 'addresses with prefix length', (item, v) => {
        const ok = typeof v === 'string' && /^[^/]+\/\d{1,3}$/.test(v);
        const a = ok ? parseAddress((v as string).split('/')[0]) : undefined;
        const bits = ok ? Number((v as string).split('/')[1]) : NaN;
        if (!a || !a.ok || bits > (a.value.family === 4 ? 32 : 128)) {
          item.add(undefined, v, 'must be an address with prefix length, e.g. 10.10.0.5/24');
          return undefined;
        }
        return { address: v as string, gateway };
      });
      const out: Record<string, unknown> = { type: 'static' };
      if (addresses.length > 0) out.addresses = addresses;
      if (routes.length > 0) out.routes = routes;
      return addresses.length > 0 ? { ipam: out } : { ipam: out, capabilities: { ips: true } };
    }
    case AttachmentIpamType.WHEREABOUTS: {
      const range = parseCidr(ipam.range);
      if (!range.ok) {
        at.add('range', ipam.range, ipam.range === undefined ? 'is required for whereabouts: the CIDR to allocate from' : range.error);
        return { ipam: {} };
      }
      const out: Record<string, unknown> = { type: 'whereabouts', range: range.value.text };
      let start: bigint | undefined;
      for (const field of ['rangeStart', 'rangeEnd'] as const) {
        const v = ipam[field];
        if (v === undefined) continue;
        const a = parseAddress(v);
        if (!a.ok) {
          at.add(field, v, a.error);
        } else if (!contains(range.value, a.value)) {
          at.add(field, v, `must lie inside range ${range.value.text}`);
        } else if (field === 'rangeEnd' && start !== undefined && a.value.start < start) {
          at.add(field, v, `must not be below rangeStart ${ipam.rangeStart}`);
        } else {
          if (field === 'rangeStart') start = a.value.start;
          out[field === 'rangeStart' ? 'range_start' : 'range_end'] = v;
        }
      }
      const exclude = checkList(at, 'exclude', ipam.exclude, 'CIDRs', (item, v) => {
        const p = parseCidr(v);
        if (!p.ok) item.add(undefined, v, p.error);
        else if (!contains(range.value, p.value)) item.add(undefined, v, `must lie inside range ${range.value.text}`);
        else return p.value.text;
        return undefined;
      });
      if (exclude.length > 0) out.exclude = exclude;
      if (gateway !== undefined) out.gateway = gateway;
      if (routes.length > 0) out.routes = routes;
      return { ipam: out };
    }
  }
  return { ipam: {} };
}
