import { Construct } from 'constructs';
import {
  MetalLbBgpProps, MetalLbLabelSelector, MetalLbPool, MetalLbServiceAllocationProps,
} from './metallb-pool';
import { AddressPlan, checkDnsLabel, checkInterfaceName, checkKeys, checkVlanId, isObject } from '../model/address-plan';
import { ClusterNetwork } from '../model/cluster';
import { CozynetValidationError, IssueCollector } from '../model/errors';

/**
 * One client VLAN (a client, DMZ or public network delivered to the nodes
 * as a tagged VLAN) and the MetalLB pool that serves it.
 *
 * L2 mode (no `bgp`): the pool is announced only on the VLAN sub-interface
 * `<parent>.<vlanId>`, so ARP/NDP for its addresses is answered on that VLAN
 * alone. BGP mode (`bgp` given): the pool is announced to the listed peers
 * (the VLAN's routers) only.
 */
export interface ClientVlanProps {
  /**
   * The VLAN ID, 1-4094.
   */
  readonly vlanId: number;

  /**
   * The node interface carrying the VLAN, e.g. `eth1` (sub-interface
   * `eth1.100`, at most 15 characters in all).
   */
  readonly parent: string;

  /**
   * The VLAN's service addresses: CIDRs or `start-end` ranges.
   */
  readonly addresses: string[];

  /**
   * Name of the pool.
   * @default - `<parent>-vlan<vlanId>` (non-alphanumerics of the parent replaced by '-')
   */
  readonly name?: string;

  /**
   * BGP mode: announce to these peers instead of answering ARP on the VLAN.
   * @default - L2 mode on `<parent>.<vlanId>`
   */
  readonly bgp?: MetalLbBgpProps;

  /**
   * L2 mode: nodes that announce the addresses (those attached to the VLAN).
   * @default - all nodes
   */
  readonly nodeSelectors?: MetalLbLabelSelector[];

  /**
   * Which Services may use the pool (e.g. the namespaces of the VLAN's client).
   * @default - any Service
   */
  readonly serviceAllocation?: MetalLbServiceAllocationProps;

  /**
   * Whether Services without an explicit pool get addresses from this pool.
   * @default false
   */
  readonly autoAssign?: boolean;

  /**
   * Whether to skip addresses ending in .0 and .255.
   * @default false
   */
  readonly avoidBuggyIps?: boolean;
}

/**
 * A set of client VLANs.
 */
export interface ClientVlansProps {
  /**
   * The VLANs; each (parent, vlanId) at most once.
   */
  readonly vlans: ClientVlanProps[];

  /**
   * Namespace of MetalLB.
   * @default 'cozy-metallb'
   */
  readonly namespace?: string;

  /**
   * The cluster network, for standalone use (see `MetalLbPoolProps.cluster`).
   * @default - the cluster already registered in the construct tree, if any
   */
  readonly cluster?: ClusterNetwork;
}

const VLANS_KEYS = ['vlans', 'namespace', 'cluster'];
const VLAN_KEYS = ['vlanId', 'parent', 'addresses', 'name', 'bgp', 'nodeSelectors', 'serviceAllocation', 'autoAssign', 'avoidBuggyIps'];

/**
 * Maps client VLANs to MetalLB pools: one `MetalLbPool` per VLAN, announced
 * in L2 mode on the VLAN sub-interface `<parent>.<vlanId>` or over BGP to
 * the VLAN's peers. Client VLAN pools are not auto-assigned by default: a
 * Service picks one with `metallb.io/address-pool`.
 *
 * Errors carry paths relative to these props (`vlans[1].vlanId`,
 * `vlans[0].addresses[2]`); all VLANs are checked before the error is thrown.
 */
export class ClientVlans extends Construct {
  /** The VLAN sub-interface name `<parent>.<vlanId>`. */
  public static subInterface(parent: string, vlanId: number): string {
    return `${parent}.${vlanId}`;
  }

  /** The pools, in the order of `vlans`. */
  public readonly pools: MetalLbPool[];

  private readonly byVlan = new Map<string, MetalLbPool>();

  constructor(scope: Construct, id: string, props: ClientVlansProps) {
    super(scope, id);
    const issues = new IssueCollector();
    if (!isObject(props) || !Array.isArray(props.vlans)) {
      issues.add('vlans', isObject(props) ? props.vlans : props, 'must be a list of client VLANs ({ vlanId, parent, addresses })');
      issues.throwIfAny();
    }
    checkKeys(issues, props, VLANS_KEYS);
    if (props.namespace !== undefined) checkDnsLabel(issues, 'namespace', props.namespace, 'the namespace');
    if (props.cluster !== undefined) AddressPlan.of(this).adoptCluster(props.cluster, issues.at('cluster'));

    const seen = new Map<string, number>();
    const pools: MetalLbPool[] = [];
    props.vlans.forEach((v, i) => {
      const at = issues.at('vlans').at(i);
      if (!isObject(v)) {
        at.add(undefined, v, 'must be an object with vlanId, parent and addresses');
        return;
      }
      const before = at.issues.length;
      checkKeys(at, v, VLAN_KEYS);
      const idOk = checkVlanId(at, 'vlanId', v.vlanId);
      const parentOk = checkInterfaceName(at, 'parent', v.parent, 'the parent interface of the VLAN');
      if (idOk && parentOk) {
        const sub = ClientVlans.subInterface(v.parent, v.vlanId);
        if (sub.length > 15) at.add('parent', v.parent, `makes the sub-interface name ${sub} longer than Linux's 15 characters; use a shorter parent name`);
        const first = seen.get(sub);
        if (first !== undefined) at.add('vlanId', v.vlanId, `duplicate VLAN: vlans[${first}] already maps ${sub}`);
        else seen.set(sub, i);
      }
      if (v.bgp !== undefined && v.nodeSelectors !== undefined) {
        at.add('nodeSelectors', v.nodeSelectors, 'applies to L2 mode only; in BGP mode use bgp.nodeSelectors');
      }
      if (at.issues.length > before) return;

      const name = v.name ?? `${v.parent.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}-vlan${v.vlanId}`;
      try {
        const pool = new MetalLbPool(this, name, {
          name,
          addresses: v.addresses,
          namespace: props.namespace,
          autoAssign: v.autoAssign ?? false,
          avoidBuggyIps: v.avoidBuggyIps,
          serviceAllocation: v.serviceAllocation,
          l2: v.bgp === undefined ? { interfaces: [ClientVlans.subInterface(v.parent, v.vlanId)], nodeSelectors: v.nodeSelectors } : undefined,
          bgp: v.bgp,
        });
        pools.push(pool);
        this.byVlan.set(ClientVlans.subInterface(v.parent, v.vlanId), pool);
      } catch (e) {
        if (!(e instanceof CozynetValidationError)) throw e;
        for (const issue of e.issues) {
          // The pool's `l2.nodeSelectors` is this VLAN's `nodeSelectors`.
          const path = issue.path.startsWith('l2.nodeSelectors') ? issue.path.slice(3) : issue.path;
          issues.issues.push({ ...issue, path: !path ? at.path() : path.startsWith('[') ? `${at.path()}${path}` : `${at.path()}.${path}` });
        }
      }
    });
    issues.throwIfAny();
    this.pools = pools;
  }

  /** The pool of a VLAN, by VLAN ID and parent interface. */
  public poolFor(vlanId: number, parent: string): MetalLbPool | undefined {
    return this.byVlan.get(ClientVlans.subInterface(parent, vlanId));
  }
}
