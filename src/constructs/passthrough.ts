import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  addressKey, AddressPlan, canonicalAddress, checkBoolean, checkDns1035Label, checkDnsLabel, checkInteger, checkKeys,
  checkLabels, checkList, findContaining, isObject,
} from '../model/address-plan';
import { IssueCollector } from '../model/errors';
import { parseAddress } from '../model/ip';

/**
 * Protocol of a passthrough port.
 */
export enum PassthroughProtocol {
  /** TCP */
  TCP = 'TCP',
  /** UDP */
  UDP = 'UDP',
  /** SCTP */
  SCTP = 'SCTP',
}

/**
 * One port forwarded to the VM in per-port mode.
 */
export interface PassthroughPortProps {
  /**
   * The port, 1-65535 (cozy-proxy translates the address only, so the VM
   * receives the same port).
   */
  readonly port: number;

  /**
   * The protocol.
   * @default PassthroughProtocol.TCP
   */
  readonly protocol?: PassthroughProtocol;

  /**
   * Port name (an IANA service name: at most 15 lowercase letters, digits
   * and '-').
   * @default - `<protocol>-<port>`, e.g. `tcp-22`
   */
  readonly name?: string;
}

/**
 * A VM IP passthrough (platform file: an item of `passthrough`).
 */
export interface PassthroughServiceProps {
  /**
   * Service name (a DNS-1035 label).
   */
  readonly name: string;

  /**
   * Namespace of the Service and of the pod or VM it selects.
   */
  readonly namespace: string;

  /**
   * Labels selecting exactly one pod, e.g. `vm.kubevirt.io/name: vm1` for
   * the launcher pod of KubeVirt VM `vm1` (cozy-proxy NATs the address to
   * a single pod).
   */
  readonly selector: { [key: string]: string };

  /**
   * Name of the MetalLB pool the address comes from (defined before this
   * service).
   */
  readonly pool: string;

  /**
   * The external address handed to the VM; must lie inside `pool`, and no
   * other passthrough service may use it.
   */
  readonly address: string;

  /**
   * Whether every port and protocol is forwarded (`networking.cozystack.io/wholeIP`).
   * When false, only `ports` are.
   * @default false
   */
  readonly wholeIp?: boolean;

  /**
   * Whether ICMP is let through in per-port mode (`networking.cozystack.io/allowICMP`).
   * @default false
   */
  readonly allowIcmp?: boolean;

  /**
   * Ports forwarded in per-port mode: required (at least one) unless
   * `wholeIp` is true. With `wholeIp` and no ports, the Service gets the
   * placeholder port 65535/TCP, since Kubernetes requires a LoadBalancer
   * Service to have one port.
   * @default - none
   */
  readonly ports?: PassthroughPortProps[];

  /**
   * Extra labels of the Service.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const SERVICE_KEYS = ['name', 'namespace', 'selector', 'pool', 'address', 'wholeIp', 'allowIcmp', 'ports', 'labels'];
const PORT_KEYS = ['port', 'protocol', 'name'];
const PROTOCOLS = Object.values(PassthroughProtocol) as string[];
const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
/**
 * The label that hands a Service to cozy-proxy and makes kube-proxy and Cilium
 * skip it. On Cilium 1.19 this is also what keeps `wholeIP` working: Cilium
 * programs nothing for a Service it skips, so no "wildcard" entry drops the
 * ports the Service does not list before cozy-proxy's NAT sees them
 * (cozystack/cozystack#2327). It works while Cilium's own proxy name
 * (`k8s.serviceProxyName`) is unset, which CiliumChain enforces.
 */
const PROXY_LABEL = 'service.kubernetes.io/service-proxy-name';
/** Port of a whole-IP Service that lists no ports. */
const PLACEHOLDER_PORT = 65535;

/**
 * A cozy-proxy passthrough: a `v1` Service of `type: LoadBalancer` that
 * cozy-proxy 1:1-NATs to one pod (a VM's launcher pod), with a fixed address
 * from a MetalLB pool (`metallb.io/address-pool`, `metallb.io/loadBalancerIPs`),
 * `allocateLoadBalancerNodePorts: false` and `externalTrafficPolicy: Local`.
 * It has no `loadBalancerClass`: MetalLB assigns and announces the address,
 * and Cilium (`defaultLBServiceIPAM: none`) neither allocates it nor programs
 * wildcard entries for it.
 */
export class PassthroughService extends Construct {
  /** The Service name. */
  public readonly name: string;
  /** The Service namespace. */
  public readonly namespace: string;
  /** The external address. */
  public readonly address: string;
  /** The pool the address comes from. */
  public readonly pool: string;
  /** Whether every port is forwarded. */
  public readonly wholeIp: boolean;
  /** The `Service` object. */
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: PassthroughServiceProps) {
    const plan = AddressPlan.of(scope);
    const r = validatePassthrough(props, plan);
    super(scope, id);

    this.name = props.name;
    this.namespace = props.namespace;
    this.address = r.address;
    this.pool = props.pool;
    this.wholeIp = r.wholeIp;
    plan.services.add(`${props.namespace}/${props.name}`);
    plan.fixedAddresses.set(r.addressKey, `passthrough service ${props.namespace}/${props.name}`);

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...r.labels, [PROXY_LABEL]: 'cozy-proxy' },
        annotations: {
          'metallb.io/address-pool': props.pool,
          'metallb.io/loadBalancerIPs': r.address,
          'networking.cozystack.io/allowICMP': String(r.allowIcmp),
          'networking.cozystack.io/wholeIP': String(r.wholeIp),
        },
      },
      spec: {
        type: 'LoadBalancer',
        allocateLoadBalancerNodePorts: false,
        externalTrafficPolicy: 'Local',
        ipFamilies: r.family === 6 ? ['IPv6'] : undefined,
        ipFamilyPolicy: r.family === 6 ? 'SingleStack' : undefined,
        selector: r.selector,
        ports: r.ports.map((p) => ({
          name: p.name,
          port: p.port,
          protocol: p.protocol,
          targetPort: p.name === undefined ? undefined : k8s.IntOrString.fromNumber(p.port),
        })),
      },
    });
  }
}

interface ResolvedPassthrough {
  readonly address: string;
  readonly addressKey: string;
  readonly family: 4 | 6;
  readonly wholeIp: boolean;
  readonly allowIcmp: boolean;
  readonly selector: { [key: string]: string };
  readonly labels: { [key: string]: string };
  readonly ports: Array<{ name?: string; port: number; protocol: string }>;
}

function validatePassthrough(props: PassthroughServiceProps, plan: AddressPlan): ResolvedPassthrough {
  const issues = new IssueCollector();
  if (!isObject(props)) {
    issues.add(undefined, props, 'must be an object with name, namespace, selector, pool and address');
    issues.throwIfAny();
  }
  checkKeys(issues, props, SERVICE_KEYS);
  const nameOk = checkDns1035Label(issues, 'name', props.name, 'the Service name');
  const nsOk = checkDnsLabel(issues, 'namespace', props.namespace, 'the namespace');
  if (nameOk && nsOk && plan.services.has(`${props.namespace}/${props.name}`)) {
    issues.add('name', props.name, `a passthrough service ${props.namespace}/${props.name} already exists; names must be unique per namespace`);
  }

  const selector = checkLabels(issues, 'selector', props.selector, true) ?? {};
  const labels = checkLabels(issues, 'labels', props.labels) ?? {};
  if (PROXY_LABEL in labels) issues.add(`labels["${PROXY_LABEL}"]`, labels[PROXY_LABEL], 'is set by the construct (cozy-proxy); remove it');
  checkBoolean(issues, 'wholeIp', props.wholeIp);
  checkBoolean(issues, 'allowIcmp', props.allowIcmp);
  const wholeIp = props.wholeIp ?? false;

  // Pool and address.
  let address = '';
  let key = '';
  let family: 4 | 6 = 4;
  const a = parseAddress(props.address);
  if (!a.ok) {
    issues.add('address', props.address, `the external address ${a.error}`);
  } else {
    address = canonicalAddress(a.value);
    key = addressKey(a.value);
    family = a.value.family;
    const taken = plan.fixedAddresses.get(key);
    if (taken) issues.add('address', props.address, `is already used by ${taken}; each passthrough needs its own address`);
  }
  if (typeof props.pool !== 'string' || props.pool.length === 0) {
    issues.add('pool', props.pool, 'must name the MetalLB pool the address comes from');
  } else {
    const pool = plan.pools.get(props.pool);
    if (!pool) {
      const known = [...plan.pools.keys()];
      issues.add('pool', props.pool, `no MetalLB pool with this name is defined before this service (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
    } else if (a.ok && !findContaining(pool.intervals, a.value)) {
      issues.add('address', props.address, `must lie inside MetalLB pool "${props.pool}" (${pool.intervals.map((i) => i.text).join(', ')})`);
    }
  }

  // Ports.
  const seen = new Map<string, number>();
  const ports = checkList(issues, 'ports', props.ports, 'ports', (item, v, i) => {
    if (!isObject(v)) {
      item.add(undefined, v, 'must be an object with port and optional protocol and name');
      return undefined;
    }
    checkKeys(item, v, PORT_KEYS);
    const portOk = checkInteger(item, 'port', v.port, 1, 65535, 'a port');
    const protocol = v.protocol ?? PassthroughProtocol.TCP;
    const protoOk = PROTOCOLS.includes(protocol);
    if (!protoOk) item.add('protocol', v.protocol, `must be one of ${PROTOCOLS.join(', ')}`);
    const name = v.name ?? `${String(protocol).toLowerCase()}-${v.port}`;
    if (v.name !== undefined && (typeof v.name !== 'string' || !IANA_SVC_NAME.test(v.name))) {
      item.add('name', v.name, 'must be an IANA service name: 1-15 lowercase letters, digits and single dashes, with at least one letter');
    }
    if (!portOk || !protoOk) return undefined;
    const dup = seen.get(`${protocol}/${v.port}`);
    if (dup !== undefined) {
      item.add('port', v.port, `duplicate port: ports[${dup}] already forwards ${v.port}/${protocol}`);
      return undefined;
    }
    seen.set(`${protocol}/${v.port}`, i);
    return { name, port: v.port as number, protocol, index: i };
  });
  const names = new Map<string, number>();
  for (const p of ports) {
    const first = names.get(p.name);
    if (first !== undefined) issues.at('ports').at(p.index).add('name', p.name, `duplicate port name: ports[${first}] uses it`);
    else names.set(p.name, p.index);
  }
  if (!wholeIp && (props.ports === undefined || (Array.isArray(props.ports) && props.ports.length === 0))) {
    issues.add('ports', props.ports, 'per-port mode (wholeIp: false) must list at least one port; set wholeIp: true to forward every port');
  }

  issues.throwIfAny();
  return {
    address,
    addressKey: key,
    family,
    wholeIp,
    allowIcmp: props.allowIcmp ?? false,
    selector,
    labels,
    ports: ports.length > 0 ? ports.map(({ name, port, protocol }) => ({ name, port, protocol })) : [{ port: PLACEHOLDER_PORT, protocol: 'TCP' }],
  };
}
