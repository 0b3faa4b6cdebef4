import { TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { verifyTenantIsolation } from '../../../src/verify';
import * as iv from '../../../src/verify/intervals';
import { CiliumPolicyModel, ModelEndpoint, Probe } from '../../../src/verify/model';
import { actualRows, compileVerification, intendedCell, intendedRows, Layout, probeName, Verification } from '../../../src/verify/verify';

// What the verifier decides SHOULD be reachable (facts §9): the intended
// verdict and its reason for every kind of cell (`intendedCell`, the slow path
// that writes the `expectation` of each difference), and the fast intended rows
// (`intendedRows`) that must agree with it on every checked cell. Layouts are
// built inside each test (mutation testing: per-test coverage).

type Selected = Array<[string, Array<Record<string, string>>]>;
const layoutOf = (props: TenantIsolationProps, selected: Selected = []) => new Layout(resolveTenants(props), 'cozy-system', new Map(selected));
const API = 'policy.cozystack.io/allow-to-apiserver';
const SVC = 'cozystack.io/service';

/** Every option away from its default, exposures of every shape, platform services with and without ports, DNS outside kube-system. */
const RICH: TenantIsolationProps = {
  worldIngressServices: ['ingress'],
  allowFromIngress: true,
  allowFromHost: false,
  dnsNamespace: 'dns',
  platformServices: [{ name: 'dash', namespace: 'cozy-dash', ports: [{ port: 443 }] }, { name: 'idp', namespaceSelector: { idp: 'yes' } }],
  exposures: [
    { name: 'api', namespace: 'tenant-a', selector: { app: 'api' }, ports: [{ port: 8443 }], allowIcmp: true, from: [{ namespace: 'tenant-b', selector: { role: 'client' } }, { world: true }] },
    { name: 'web', namespace: 'tenant-b', selector: { app: 'web' }, ports: [{ port: 80 }], from: [{ namespace: 'tenant-a' }] },
    { name: 'all', namespace: 'tenant-b', from: [{ namespace: 'tenant-a', subtree: true }] },
  ],
  tenants: [{
    name: 'root',
    sharedServices: ['etcd'],
    children: [
      { name: 'a', allowWorldEgress: false, allowFromApiServer: false, children: [{ name: 'x', allowWorldIngress: true, allowFromRemoteNode: true }] },
      { name: 'b', allowApiServer: false },
    ],
  }],
};

/** A deeper tree: exposures to an ancestor, peers named with and without their subtree, port ranges, pods that policies select. */
const DEEP: TenantIsolationProps = {
  worldIngressServices: ['vpn'],
  allowFromApiServer: false,
  platformServices: [{ name: 'logs', namespace: 'cozy-logs', ports: [{ port: 514, protocol: 'UDP' as any }, { port: 6000, endPort: 6002 }] }],
  exposures: [
    { name: 'db', namespace: 'tenant-b', selector: { app: 'db' }, ports: [{ port: 5432 }], from: [{ namespace: 'tenant-a', selector: { role: 'client' } }] },
    { name: 'range', namespace: 'tenant-b', ports: [{ port: 9000, endPort: 9002, protocol: 'UDP' as any }], from: [{ namespace: 'tenant-a', subtree: true, selector: { role: 'client' } }] },
    { name: 'up', namespace: 'tenant-root', selector: { app: 'api' }, ports: [{ port: 8080, protocol: 'SCTP' as any }], from: [{ namespace: 'tenant-a-a1' }] },
    { name: 'open', namespace: 'tenant-a-a1', from: [{ namespace: 'tenant-b' }, { world: true }] },
  ],
  tenants: [{
    name: 'root',
    sharedServices: [],
    children: [
      { name: 'a', sharedServices: ['etcd'], allowFromRemoteNode: true, children: [{ name: 'a1', allowWorldIngress: true, children: [{ name: 'a2', sharedServices: ['vpn'] }] }] },
      { name: 'b', allowWorldEgress: false, allowFromApiServer: true },
    ],
  }],
};
const DEEP_SELECTED: Selected = [
  ['tenant-a-a1', [{ role: 'client' }, { app: 'api', [API]: 'true' }]],
  ['tenant-a-a1-a2', [{ role: 'client', [SVC]: 'etcd' }, { [SVC]: 'vpn', app: 'gw' }]],
  ['tenant-b', [{ app: 'db', role: 'client' }]],
];

/** Sorted distinct `allow|deny reason` of every checked cell. */
function reasons(layout: Layout): string[] {
  const out = new Set<string>();
  for (let s = 0; s < layout.size; s++) {
    for (let d = 0; d < layout.size; d++) {
      for (let p = 0; p < layout.probes.length; p++) {
        const c = intendedCell(layout, s, d, p);
        if (c) out.add(`${c.allowed ? 'allow' : 'deny'} ${c.reason}`);
      }
    }
  }
  return [...out].sort();
}

/** `allow|deny reason` of one cell named by endpoint ids and probe name (undefined: not checked). */
function cellOf(layout: Layout, src: string, dst: string, probe: string): string | undefined {
  const s = layout.reps.findIndex((r) => r.id === src);
  const d = layout.reps.findIndex((r) => r.id === dst);
  // the probe of the port's class (every port is probed through its class)
  const [protocol, port] = probe.replace('/type-', '/').split('/');
  const p = layout.probeIndexOf({ protocol: protocol as any, port: Number(port) });
  if (s < 0 || d < 0 || p < 0) throw new Error(`no cell ${src} -> ${dst} ${probe}`);
  const c = intendedCell(layout, s, d, p);
  return c && `${c.allowed ? 'allow' : 'deny'} ${c.reason}`;
}

/**
 * Compares the fast rows with the slow cells over every cell: a cell is
 * checked exactly when its destination is probed on the probe and one end is
 * a tenant endpoint; on checked cells both verdicts agree; asking for one
 * probe gives that probe's row and empty rows for the others.
 * Returns the mismatches and the number of checked cells.
 */
function agreement(layout: Layout): { mismatches: string[]; checked: number; allowed: number } {
  const P = layout.probes.length;
  const all = Array.from({ length: P }, (_, i) => i);
  const mismatches: string[] = [];
  let checked = 0;
  let allowed = 0;
  for (let s = 0; s < layout.size; s++) {
    const src = layout.reps[s];
    const rows = intendedRows(layout, s, all);
    for (let p = 0; p < P; p++) {
      const one = intendedRows(layout, s, [p]);
      if (!one.every((r, q) => (q === p ? iv.equals(r, rows[p]) : r.length === 0)) || one.length !== P) mismatches.push(`${src.id} only ${p}`);
    }
    for (let d = 0; d < layout.size; d++) {
      const dst = layout.reps[d];
      for (let p = 0; p < P; p++) {
        const where = `${src.id} -> ${dst.id} ${probeName(layout.probes[p])}`;
        const c = intendedCell(layout, s, d, p);
        const isChecked = dst.probes.includes(p) && (src.tenant !== undefined || dst.tenant !== undefined);
        if (!isChecked || !c) {
          if (isChecked || c) mismatches.push(`${where}: checked ${isChecked}, cell ${JSON.stringify(c)}`);
          continue;
        }
        checked++;
        if (c.allowed) allowed++;
        if (iv.has(rows[p], d) !== c.allowed) mismatches.push(`${where}: cell ${c.allowed} (${c.reason}), row ${!c.allowed}`);
      }
    }
  }
  return { mismatches, checked, allowed };
}

describe('the intended verdict and reason of every kind of cell', () => {
  test('defaults: same tenant, ancestors, shared services, DNS, entities, system pods', () => {
    const layout = layoutOf({ tenants: [{ name: 'root', children: [{ name: 'a' }] }] });
    expect(reasons(layout)).toEqual([
      'allow every tenant pod may reach cluster DNS on port 53',
      'allow ingress pods accept connections from the world',
      'allow kube-system may reach every tenant',
      'allow opted-in pod of tenant-a, which allows the kube-apiserver',
      'allow opted-in pod of tenant-root, which allows the kube-apiserver',
      'allow same tenant (tenant-a)',
      'allow same tenant (tenant-root)',
      'allow system namespaces may reach every tenant',
      'allow tenant pods accept the local node (kubelet probes)',
      'allow tenant-a accepts the kube-apiserver (webhooks, aggregated APIs)',
      'allow tenant-a allows egress to the world',
      'allow tenant-root accepts the kube-apiserver (webhooks, aggregated APIs)',
      'allow tenant-root allows egress to the world',
      'allow tenant-root is an ancestor of tenant-a',
      'allow tenant-root shares its etcd service with its subtree, which contains tenant-a',
      'allow tenant-root shares its ingress service with its subtree, which contains tenant-a',
      'allow tenant-root shares its monitoring service with its subtree, which contains tenant-a',
      'allow world-facing pods accept load-balancer traffic forwarded by other nodes',
      'deny Gateway API and Ingress are off',
      'deny only pods labelled policy.cozystack.io/allow-to-apiserver="true" may reach the kube-apiserver',
      'deny tenant pods do not connect to nodes',
      'deny tenant pods reach no system pod except cluster DNS and the listed platform services',
      'deny tenant-a does not accept connections from the world here',
      'deny tenant-a does not accept other nodes here',
      'deny tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'deny tenant-root does not accept connections from the world here',
      'deny tenant-root does not accept other nodes here',
      'deny tenants reach cluster DNS on port 53 only, not ICMP/type-8',
      'deny tenants reach cluster DNS on port 53 only, not ICMPv6/type-0',
      'deny tenants reach cluster DNS on port 53 only, not SCTP/8080',
      'deny tenants reach cluster DNS on port 53 only, not TCP/8080',
      'deny tenants reach cluster DNS on port 53 only, not UDP/8080',
    ]);
  });

  test('options, exposures and platform services', () => {
    const layout = layoutOf(RICH);
    expect(reasons(layout)).toEqual([
      'allow every tenant pod may reach cluster DNS on port 53',
      'allow every tenant pod may reach the platform service dash',
      'allow every tenant pod may reach the platform service idp',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on ICMP/type-0',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on ICMP/type-8',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on ICMPv6/type-0',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on ICMPv6/type-128',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on SCTP/8080',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/443',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/53',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/80',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/8080',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/8443',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on UDP/53',
      'allow exposure all of tenant-b admits tenant-a and its sub-tenants on UDP/8080',
      'allow exposure api of tenant-a admits tenant-b on ICMP/type-8',
      'allow exposure api of tenant-a admits tenant-b on ICMPv6/type-128',
      'allow exposure api of tenant-a admits tenant-b on TCP/8443',
      'allow exposure api of tenant-a admits the world on ICMP/type-8',
      'allow exposure api of tenant-a admits the world on ICMPv6/type-128',
      'allow exposure api of tenant-a admits the world on TCP/8443',
      'allow exposure web of tenant-b admits tenant-a on TCP/80',
      'allow ingress pods accept connections from the world',
      'allow kube-system may reach every tenant',
      'allow opted-in pod of tenant-a, which allows the kube-apiserver',
      'allow opted-in pod of tenant-a-x, which allows the kube-apiserver',
      'allow opted-in pod of tenant-root, which allows the kube-apiserver',
      'allow same tenant (tenant-a)',
      'allow same tenant (tenant-a-x)',
      'allow same tenant (tenant-b)',
      'allow same tenant (tenant-root)',
      'allow system namespaces may reach every tenant',
      'allow tenant pods accept Cilium\'s Envoy (Gateway API / Ingress backends)',
      'allow tenant-a is an ancestor of tenant-a-x',
      'allow tenant-a shares its etcd service with its subtree, which contains tenant-a-x',
      'allow tenant-a shares its ingress service with its subtree, which contains tenant-a-x',
      'allow tenant-a shares its monitoring service with its subtree, which contains tenant-a-x',
      'allow tenant-a-x accepts connections from the world',
      'allow tenant-a-x accepts other nodes',
      'allow tenant-b accepts the kube-apiserver (webhooks, aggregated APIs)',
      'allow tenant-b allows egress to the world',
      'allow tenant-root accepts the kube-apiserver (webhooks, aggregated APIs)',
      'allow tenant-root allows egress to the world',
      'allow tenant-root is an ancestor of tenant-a',
      'allow tenant-root is an ancestor of tenant-a-x',
      'allow tenant-root is an ancestor of tenant-b',
      'allow tenant-root shares its etcd service with its subtree, which contains tenant-a',
      'allow tenant-root shares its etcd service with its subtree, which contains tenant-a-x',
      'allow tenant-root shares its etcd service with its subtree, which contains tenant-b',
      'allow world-facing pods accept load-balancer traffic forwarded by other nodes',
      'deny cozy-dash is neither kube-system nor a system namespace',
      'deny dns is neither kube-system nor a system namespace',
      'deny only pods labelled policy.cozystack.io/allow-to-apiserver="true" may reach the kube-apiserver',
      'deny platform-idp is neither kube-system nor a system namespace',
      'deny tenant pods do not accept the local node (allowFromHost is off)',
      'deny tenant pods do not connect to nodes',
      'deny tenant pods reach no system pod except cluster DNS and the listed platform services',
      'deny tenant-a does not accept connections from the world here',
      'deny tenant-a does not accept other nodes here',
      'deny tenant-a does not accept the kube-apiserver',
      'deny tenant-a does not allow egress to the world',
      'deny tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'deny tenant-a-x does not accept the kube-apiserver',
      'deny tenant-a-x does not allow egress to the world',
      'deny tenant-a-x is a descendant of tenant-a, which does not share this endpoint',
      'deny tenant-a-x is a descendant of tenant-root, which does not share this endpoint',
      'deny tenant-b and tenant-a are unrelated tenants (neither is an ancestor of the other)',
      'deny tenant-b and tenant-a-x are unrelated tenants (neither is an ancestor of the other)',
      'deny tenant-b does not accept connections from the world here',
      'deny tenant-b does not accept other nodes here',
      'deny tenant-b does not allow the kube-apiserver',
      'deny tenant-b is a descendant of tenant-root, which does not share this endpoint',
      'deny tenant-root does not accept connections from the world here',
      'deny tenant-root does not accept other nodes here',
      'deny tenants reach cluster DNS on port 53 only, not ICMP/type-0',
      'deny tenants reach cluster DNS on port 53 only, not ICMP/type-8',
      'deny tenants reach cluster DNS on port 53 only, not ICMPv6/type-0',
      'deny tenants reach cluster DNS on port 53 only, not ICMPv6/type-128',
      'deny tenants reach cluster DNS on port 53 only, not SCTP/8080',
      'deny tenants reach cluster DNS on port 53 only, not TCP/443',
      'deny tenants reach cluster DNS on port 53 only, not TCP/80',
      'deny tenants reach cluster DNS on port 53 only, not TCP/8080',
      'deny tenants reach cluster DNS on port 53 only, not TCP/8443',
      'deny tenants reach cluster DNS on port 53 only, not UDP/8080',
      'deny tenants reach the platform service dash on its listed ports only',
    ]);
  });
});

describe('the intended verdict of single cells', () => {
  test('exposures: listed ports, ICMP only when allowed, peers with selectors and subtrees, the first exposure that admits', () => {
    const layout = layoutOf(RICH);
    const cells: Array<[string, string, string, string | undefined]> = [
      ['world', 'tenant-a/expose:api', 'TCP/8443', 'allow exposure api of tenant-a admits the world on TCP/8443'],
      ['world', 'tenant-a/expose:api', 'ICMP/type-8', 'allow exposure api of tenant-a admits the world on ICMP/type-8'],
      // a port the exposure does not list
      ['world', 'tenant-a/expose:api', 'TCP/8080', 'deny tenant-a does not accept connections from the world here'],
      // ICMP of an exposure with ports and no allowIcmp stays closed, unless another exposure admits it
      ['tenant-a/pod', 'tenant-b/expose:web', 'TCP/80', 'allow exposure web of tenant-b admits tenant-a on TCP/80'],
      ['tenant-a/pod', 'tenant-b/expose:web', 'ICMP/type-8', 'allow exposure all of tenant-b admits tenant-a and its sub-tenants on ICMP/type-8'],
      ['tenant-a-x/pod', 'tenant-b/expose:web', 'TCP/80', 'allow exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/80'],
      ['tenant-a-x/pod', 'tenant-b/pod', 'UDP/8080', 'allow exposure all of tenant-b admits tenant-a and its sub-tenants on UDP/8080'],
      ['tenant-root/pod', 'tenant-b/pod', 'UDP/8080', 'allow tenant-root is an ancestor of tenant-b'],
      // the peer's selector: only pods with role=client
      ['tenant-b/from:tenant-a/api', 'tenant-a/expose:api', 'TCP/8443', 'allow exposure api of tenant-a admits tenant-b on TCP/8443'],
      ['tenant-b/from:tenant-a/api', 'tenant-a/expose:api', 'TCP/8080', 'deny tenant-b and tenant-a are unrelated tenants (neither is an ancestor of the other)'],
      ['tenant-b/pod', 'tenant-a/expose:api', 'TCP/8443', 'deny tenant-b and tenant-a are unrelated tenants (neither is an ancestor of the other)'],
      ['tenant-b/expose:all', 'tenant-a/expose:api', 'ICMP/type-8', 'deny tenant-b and tenant-a are unrelated tenants (neither is an ancestor of the other)'],
      ['tenant-a/pod', 'tenant-a/expose:api', 'ICMP/type-8', 'allow same tenant (tenant-a)'],
      ['world', 'tenant-b/expose:all', 'ICMP/type-8', 'deny tenant-b does not accept connections from the world here'],
    ];
    expect(cells.map(([s, d, p]) => [s, d, p, cellOf(layout, s, d, p)])).toEqual(cells);
  });

  test('tenant pods to the platform: DNS, platform services, the world, the kube-apiserver, nodes, system pods', () => {
    const layout = layoutOf(RICH);
    const cells: Array<[string, string, string, string | undefined]> = [
      ['tenant-a/pod', 'dns/kube-dns', 'UDP/53', 'allow every tenant pod may reach cluster DNS on port 53'],
      ['tenant-a/pod', 'dns/kube-dns', 'TCP/53', 'allow every tenant pod may reach cluster DNS on port 53'],
      ['tenant-a/pod', 'dns/kube-dns', 'TCP/8080', 'deny tenants reach cluster DNS on port 53 only, not TCP/8080'],
      ['tenant-a/pod', 'cozy-dash/svc:dash', 'TCP/443', 'allow every tenant pod may reach the platform service dash'],
      ['tenant-a/pod', 'cozy-dash/svc:dash', 'TCP/8080', 'deny tenants reach the platform service dash on its listed ports only'],
      ['tenant-a/pod', 'platform-idp/svc:idp', 'TCP/8080', 'allow every tenant pod may reach the platform service idp'],
      ['tenant-a/pod', 'world', 'TCP/443', 'deny tenant-a does not allow egress to the world'],
      ['tenant-a-x/pod', 'world', 'TCP/443', 'deny tenant-a-x does not allow egress to the world'],
      ['tenant-b/pod', 'world', 'TCP/443', 'allow tenant-b allows egress to the world'],
      ['tenant-a/pod', 'kube-apiserver', 'TCP/443', 'deny only pods labelled policy.cozystack.io/allow-to-apiserver="true" may reach the kube-apiserver'],
      ['tenant-a-x/api-client', 'kube-apiserver', 'TCP/443', 'allow opted-in pod of tenant-a-x, which allows the kube-apiserver'],
      ['tenant-b/api-client', 'kube-apiserver', 'TCP/443', 'deny tenant-b does not allow the kube-apiserver'],
      ['tenant-a/pod', 'host', 'TCP/8080', 'deny tenant pods do not connect to nodes'],
      ['tenant-a/pod', 'remote-node', 'UDP/8080', 'deny tenant pods do not connect to nodes'],
      ['tenant-a/pod', 'kube-system/pod', 'TCP/8080', 'deny tenant pods reach no system pod except cluster DNS and the listed platform services'],
      ['tenant-a/pod', 'cozy-system/pod', 'TCP/8080', 'deny tenant pods reach no system pod except cluster DNS and the listed platform services'],
      // every destination is probed on every class of ports (changed: these were not checked)
      ['tenant-a/pod', 'world', 'TCP/8080', 'deny tenant-a does not allow egress to the world'],
      ['tenant-a/pod', 'tenant-b/pod', 'TCP/443', 'allow exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/443'],
      // not checked: cells without a tenant endpoint, and the ingress (never a destination)
      ['tenant-a/pod', 'ingress', 'TCP/8080', undefined],
      ['world', 'host', 'TCP/10250', undefined],
      ['kube-system/pod', 'dns/kube-dns', 'UDP/53', undefined],
      ['kube-system/pod', 'cozy-system/pod', 'TCP/8080', undefined],
    ];
    expect(cells.map(([s, d, p]) => [s, d, p, cellOf(layout, s, d, p)])).toEqual(cells);
  });

  test('the platform to tenant pods: the world, nodes, the kube-apiserver, the ingress, system namespaces', () => {
    const layout = layoutOf(RICH);
    const cells: Array<[string, string, string, string | undefined]> = [
      ['world', 'tenant-a-x/svc:ingress', 'TCP/8080', 'allow tenant-a-x accepts connections from the world'],
      ['world', 'tenant-a/svc:ingress', 'UDP/8080', 'allow ingress pods accept connections from the world'],
      ['world', 'tenant-a/svc:etcd', 'TCP/8080', 'deny tenant-a does not accept connections from the world here'],
      ['remote-node', 'tenant-a-x/svc:ingress', 'TCP/8080', 'allow tenant-a-x accepts other nodes'],
      ['remote-node', 'tenant-a/svc:ingress', 'SCTP/8080', 'allow world-facing pods accept load-balancer traffic forwarded by other nodes'],
      ['remote-node', 'tenant-a/pod', 'TCP/8080', 'deny tenant-a does not accept other nodes here'],
      ['host', 'tenant-a/pod', 'TCP/8080', 'deny tenant pods do not accept the local node (allowFromHost is off)'],
      ['ingress', 'tenant-b/pod', 'TCP/8080', 'allow tenant pods accept Cilium\'s Envoy (Gateway API / Ingress backends)'],
      ['kube-apiserver', 'tenant-a-x/pod', 'TCP/8080', 'deny tenant-a-x does not accept the kube-apiserver'],
      ['kube-apiserver', 'tenant-b/pod', 'TCP/8080', 'allow tenant-b accepts the kube-apiserver (webhooks, aggregated APIs)'],
      ['cozy-system/pod', 'tenant-a/pod', 'TCP/8080', 'allow system namespaces may reach every tenant'],
      ['kube-system/pod', 'tenant-a/pod', 'TCP/8080', 'allow kube-system may reach every tenant'],
      ['dns/kube-dns', 'tenant-a/pod', 'TCP/8080', 'deny dns is neither kube-system nor a system namespace'],
      ['cozy-dash/svc:dash', 'tenant-a/pod', 'TCP/8080', 'deny cozy-dash is neither kube-system nor a system namespace'],
      // entities are probed on every port too (changed)
      ['world', 'tenant-a/expose:api', 'TCP/443', 'deny tenant-a does not accept connections from the world here'],
    ];
    expect(cells.map(([s, d, p]) => [s, d, p, cellOf(layout, s, d, p)])).toEqual(cells);
  });

  test('defaults: the local node is accepted, Gateway API and Ingress are off, DNS pods in kube-system reach tenants', () => {
    const layout = layoutOf({ tenants: [{ name: 'root', children: [{ name: 'a' }] }] });
    const cells: Array<[string, string, string, string | undefined]> = [
      ['host', 'tenant-a/pod', 'UDP/8080', 'allow tenant pods accept the local node (kubelet probes)'],
      ['ingress', 'tenant-a/pod', 'TCP/8080', 'deny Gateway API and Ingress are off'],
      ['kube-system/kube-dns', 'tenant-a/pod', 'TCP/8080', 'allow kube-system may reach every tenant'],
      ['tenant-a/pod', 'tenant-root/svc:etcd', 'TCP/8080', 'allow tenant-root shares its etcd service with its subtree, which contains tenant-a'],
      ['tenant-a/pod', 'tenant-root/api-client', 'TCP/8080', 'deny tenant-a is a descendant of tenant-root, which does not share this endpoint'],
      ['tenant-root/api-client', 'tenant-a/api-client', 'SCTP/8080', 'allow tenant-root is an ancestor of tenant-a'],
      ['tenant-a/svc:etcd', 'tenant-a/api-client', 'SCTP/8080', 'allow same tenant (tenant-a)'],
    ];
    expect(cells.map(([s, d, p]) => [s, d, p, cellOf(layout, s, d, p)])).toEqual(cells);
  });

  test('a deeper tree: an exposure to an ancestor, peers with and without their subtree, selected pods', () => {
    const layout = layoutOf(DEEP, DEEP_SELECTED);
    const cells: Array<[string, string, string, string | undefined]> = [
      // a descendant may reach its ancestor's pods through an exposure, on its ports only, and not the descendant's own descendants
      ['tenant-a-a1/pod', 'tenant-root/expose:up', 'SCTP/8080', 'allow exposure up of tenant-root admits tenant-a-a1 on SCTP/8080'],
      ['tenant-a-a1/pod', 'tenant-root/expose:up', 'TCP/8080', 'deny tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint'],
      ['tenant-a-a1/pod', 'tenant-root/expose:up', 'ICMP/type-8', 'deny tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint'],
      ['tenant-a-a1-a2/pod', 'tenant-root/expose:up', 'SCTP/8080', 'deny tenant-a-a1-a2 is a descendant of tenant-root, which does not share this endpoint'],
      // a peer without subtree: tenant-a's role=client pods, not those of its sub-tenants
      ['tenant-a/from:tenant-b/db', 'tenant-b/expose:db', 'TCP/5432', 'allow exposure db of tenant-b admits tenant-a on TCP/5432'],
      ['tenant-a-a1/pods:role=client', 'tenant-b/expose:db', 'TCP/5432', 'deny tenant-a-a1 and tenant-b are unrelated tenants (neither is an ancestor of the other)'],
      // a peer with subtree and selector: role=client pods of tenant-a and below, on both ends of the range
      ['tenant-a-a1/pods:role=client', 'tenant-b/expose:range', 'UDP/9000', 'allow exposure range of tenant-b admits tenant-a and its sub-tenants on UDP/9000'],
      ['tenant-a-a1-a2/pods:role=client,cozystack.io/service=etcd', 'tenant-b/expose:range', 'UDP/9002', 'allow exposure range of tenant-b admits tenant-a and its sub-tenants on UDP/9000'],
      ['tenant-a-a1-a2/pods:role=client,cozystack.io/service=etcd', 'tenant-b/expose:range', 'UDP/8080', 'deny tenant-a-a1-a2 and tenant-b are unrelated tenants (neither is an ancestor of the other)'],
      ['tenant-a-a1/pod', 'tenant-b/expose:range', 'UDP/9000', 'deny tenant-a-a1 and tenant-b are unrelated tenants (neither is an ancestor of the other)'],
      // an exposure without ports: every port and ICMP, to the world as well
      ['tenant-b/pod', 'tenant-a-a1/expose:open', 'ICMP/type-8', 'allow exposure open of tenant-a-a1 admits tenant-b on ICMP/type-8'],
      ['world', 'tenant-a-a1/pod', 'SCTP/8080', 'allow exposure open of tenant-a-a1 admits the world on SCTP/8080'],
      ['world', 'tenant-a-a1/expose:open', 'ICMP/type-8', 'allow exposure open of tenant-a-a1 admits the world on ICMP/type-8'],
      ['tenant-b/pod', 'tenant-a-a1-a2/pod', 'TCP/8080', 'deny tenant-b and tenant-a-a1-a2 are unrelated tenants (neither is an ancestor of the other)'],
      // selected pods: opted in to the kube-apiserver, a world-facing kind, a service kind shared with the subtree
      ['tenant-a-a1/pods:app=api,policy.cozystack.io/allow-to-apiserver=true', 'kube-apiserver', 'TCP/6443', 'allow opted-in pod of tenant-a-a1, which allows the kube-apiserver'],
      ['world', 'tenant-a-a1-a2/pods:cozystack.io/service=vpn,app=gw', 'TCP/8080', 'allow tenant-a-a1-a2 accepts connections from the world'],
      ['world', 'tenant-b/svc:vpn', 'TCP/8080', 'allow vpn pods accept connections from the world'],
      ['remote-node', 'tenant-b/svc:vpn', 'TCP/8080', 'allow world-facing pods accept load-balancer traffic forwarded by other nodes'],
      ['remote-node', 'tenant-b/pod', 'TCP/8080', 'deny tenant-b does not accept other nodes here'],
      ['remote-node', 'tenant-a-a1-a2/pod', 'TCP/8080', 'allow tenant-a-a1-a2 accepts other nodes'],
      ['tenant-a-a1-a2/pod', 'tenant-a/svc:etcd', 'TCP/8080', 'allow tenant-a shares its etcd service with its subtree, which contains tenant-a-a1-a2'],
      ['tenant-a-a1-a2/pod', 'tenant-a/svc:monitoring', 'TCP/8080', 'deny tenant-a-a1-a2 is a descendant of tenant-a, which does not share this endpoint'],
      ['tenant-a-a1-a2/pod', 'tenant-a-a1/svc:monitoring', 'TCP/8080', 'allow tenant-a-a1 shares its monitoring service with its subtree, which contains tenant-a-a1-a2'],
      ['tenant-a/pod', 'tenant-root/svc:etcd', 'TCP/8080', 'deny tenant-a is a descendant of tenant-root, which does not share this endpoint'],
      // platform service ports: a UDP port and both ends of a TCP range
      ['tenant-b/pod', 'cozy-logs/svc:logs', 'UDP/514', 'allow every tenant pod may reach the platform service logs'],
      ['tenant-b/pod', 'cozy-logs/svc:logs', 'TCP/6002', 'allow every tenant pod may reach the platform service logs'],
      ['tenant-b/pod', 'cozy-logs/svc:logs', 'TCP/8080', 'deny tenants reach the platform service logs on its listed ports only'],
      ['kube-apiserver', 'tenant-b/pod', 'TCP/8080', 'allow tenant-b accepts the kube-apiserver (webhooks, aggregated APIs)'],
      ['kube-apiserver', 'tenant-root/pod', 'TCP/8080', 'deny tenant-root does not accept the kube-apiserver'],
    ];
    expect(cells.map(([s, d, p]) => [s, d, p, cellOf(layout, s, d, p)])).toEqual(cells);
  });
});

describe('the fast intended rows agree with the intended cells on every checked cell', () => {
  test('defaults', () => {
    const r = agreement(layoutOf({ tenants: [{ name: 'root', children: [{ name: 'a', children: [{ name: 'a1' }] }, { name: 'b' }] }] }));
    expect(r.mismatches).toEqual([]);
    expect(r.checked).toBeGreaterThan(1000);
    expect(r.allowed).toBeGreaterThan(0);
    expect(r.allowed).toBeLessThan(r.checked);
  });

  test('every option away from its default, exposures and platform services', () => {
    const r = agreement(layoutOf(RICH));
    expect(r.mismatches).toEqual([]);
    expect(r.checked).toBeGreaterThan(2000);
  });

  test('a deeper tree with selected pods and exposures to ancestors', () => {
    const r = agreement(layoutOf(DEEP, DEEP_SELECTED));
    expect(r.mismatches).toEqual([]);
    expect(r.checked).toBeGreaterThan(4000);
  });

  test('options the other way round: Gateway API on, host off, no world-facing kinds, every tenant open to the world and nodes', () => {
    const r = agreement(layoutOf({
      allowFromIngress: true,
      allowFromHost: false,
      worldIngressServices: [],
      allowWorldIngress: true,
      allowFromRemoteNode: true,
      allowApiServer: false,
      allowWorldEgress: false,
      platformServices: [{ name: 'p', namespaceSelector: { p: 'yes' }, ports: [{ port: 53, protocol: 'UDP' as any }] }],
      exposures: [{ name: 'w', namespace: 'tenant-b', ports: [{ port: 8080, protocol: 'UDP' as any }], allowIcmp: true, from: [{ world: true }] }],
      tenants: [{ name: 'root', children: [{ name: 'a', allowWorldIngress: false, allowFromRemoteNode: false }, { name: 'b' }] }],
    }));
    expect(r.mismatches).toEqual([]);
    expect(r.checked).toBeGreaterThan(1000);
  });
});

describe('compiling the verification and reading the actual rows', () => {
  const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
  const TCP = (port: number): Probe => ({ protocol: 'TCP', port });

  test('the lower bound is evaluated only when some rule is uncertain; every representative endpoint is its own identity at both bounds', () => {
    // DNS pods labelled like the kube-system workload pod: two endpoints with one label set, yet two identities
    const props: TenantIsolationProps = { dnsPodLabels: { 'cozynet.io/probe': 'workload' }, tenants: [{ name: 'root', children: [{ name: 'a' }] }] };
    const plain = compileVerification(resolveTenants(props), []);
    expect(plain.upper.bound).toBe('upper');
    expect(plain.lower).toBeUndefined();
    expect([plain.upper.oneToOne, plain.upper.size, plain.layout.size]).toEqual([true, 24, 24]);
    expect(plain.layout.systemNamespace).toBe('cozy-system');
    const l7 = CNP('tenant-a', 'l7', {
      endpointSelector: {},
      ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
    });
    const v = compileVerification(resolveTenants(props), [l7], 'platform');
    expect(v.upper.uncertain).toEqual(['CiliumNetworkPolicy tenant-a/l7 ingress[0]: L7 rules (http) filter requests on the port (not modelled)']);
    expect(v.upper.bound).toBe('upper');
    expect(v.lower?.bound).toBe('lower');
    expect(v.layout.systemNamespace).toBe('platform');
    expect(v.layout.reps.map((r) => r.id)).toContain('platform/pod');
    // at the upper bound the L7 rule admits tenant-a's pods on TCP/8080, at the lower it does not
    const s = v.layout.reps.findIndex((r) => r.id === 'tenant-a/pod');
    const d = v.layout.reps.findIndex((r) => r.id === 'tenant-a/svc:etcd');
    const P = v.layout.probes.length;
    expect([iv.has(actualRows(v.upper, s, P)[0], d), iv.has(actualRows(v.lower!, s, P)[0], d)]).toEqual([true, false]);
    expect([v.upper.oneToOne, v.upper.size, v.lower!.oneToOne, v.lower!.size]).toEqual([true, 24, true, 24]);
  });

  test('pods that the policies select in tenant namespaces get endpoints; selectors can come from other objects than the model', () => {
    const props: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }] }] };
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'tenant-a' }, spec: { podSelector: { matchLabels: { app: 'db' } } } };
    const selectedIn = (v: Verification) => v.layout.reps.filter((r) => r.role === 'tenant-selected').map((r) => r.id);
    expect(selectedIn(compileVerification(resolveTenants(props), [np]))).toEqual([
      'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db',
      'tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=etcd',
      'tenant-a/pods:app=db,cozystack.io/service=ingress',
      'tenant-a/pods:app=db,cozystack.io/service=monitoring',
      'tenant-a/pods:app=db,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
    ]);
    expect(selectedIn(compileVerification(resolveTenants(props), [np], 'cozy-system', []))).toEqual([
      'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
    ]);
    const v = compileVerification(resolveTenants(props), [], 'cozy-system', [np]);
    expect(selectedIn(v)).toEqual([
      'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db',
      'tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=etcd',
      'tenant-a/pods:app=db,cozystack.io/service=ingress',
      'tenant-a/pods:app=db,cozystack.io/service=monitoring',
      'tenant-a/pods:app=db,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      'tenant-a/pods:app=db,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
    ]);
    expect(v.model.policyCounts).toEqual({}); // the model has no policy
  });

  test('actual rows map identities back to endpoints, for every probe or the asked ones', () => {
    // web-1 and web-2 share their labels: one identity for two endpoints
    const endpoints: ModelEndpoint[] = [
      { id: 'b/db', namespace: 'b', labels: { app: 'db' } },
      { id: 'a/web-1', namespace: 'a', labels: { app: 'web' } },
      { id: 'a/web-2', namespace: 'a', labels: { app: 'web' } },
      { id: 'world', entity: 'world' },
    ];
    const model = new CiliumPolicyModel([CNP('b', 'db', {
      endpointSelector: {},
      ingress: [{ fromEndpoints: [{ matchLabels: { 'app': 'web', 'k8s:io.kubernetes.pod.namespace': 'a' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }],
    })]);
    const ids = (row: iv.Intervals) => iv.toList(row).map((i) => endpoints[i].id);
    for (const distinct of [false, true]) {
      const reach = model.evaluate(endpoints, [TCP(5432), TCP(80)], { distinct });
      expect([distinct, reach.oneToOne, reach.size]).toEqual([distinct, distinct, distinct ? 4 : 3]);
      // db admits web pods on TCP/5432 only, and nothing else
      expect([distinct, actualRows(reach, 2, 2).map(ids)]).toEqual([distinct, [['b/db', 'a/web-1', 'a/web-2', 'world'], ['a/web-1', 'a/web-2', 'world']]]);
      expect([distinct, actualRows(reach, 0, 2).map(ids)]).toEqual([distinct, [['a/web-1', 'a/web-2', 'world'], ['a/web-1', 'a/web-2', 'world']]]);
      // rows stay canonical interval lists (what iv.equals and the emptiness checks of the verifier rely on)
      expect([distinct, actualRows(reach, 0, 2)]).toEqual([distinct, [iv.range(1, 4), iv.range(1, 4)]]);
      expect([distinct, actualRows(reach, 1, 2, [1]).map(ids)]).toEqual([distinct, [[], ['a/web-1', 'a/web-2', 'world']]]);
      expect([distinct, actualRows(reach, 1, 3, [1, 0]).map(ids)]).toEqual([distinct, [['b/db', 'a/web-1', 'a/web-2', 'world'], ['a/web-1', 'a/web-2', 'world'], []]]);
    }
  });
});

describe('the intended verdict and reason in the report', () => {
  test('an exposure that opens an ancestor to one descendant: its port for that descendant, nothing more', () => {
    const props: TenantIsolationProps = {
      exposures: [{ name: 'up', namespace: 'tenant-root', selector: { app: 'api' }, ports: [{ port: 8080, protocol: 'SCTP' as any }], from: [{ namespace: 'tenant-a-a1' }] }],
      tenants: [{ name: 'root', sharedServices: [], children: [{ name: 'a', children: [{ name: 'a1' }] }] }],
    };
    const denyAll = { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'deny' }, spec: { endpointSelector: {}, enableDefaultDeny: { ingress: true, egress: true } } };
    const lines = (objects: any[]) => verifyTenantIsolation(props, objects, { tenantAuthored: false }).differences
      .filter((d) => d.destination === 'tenant-root/expose:up' && (d.source === 'tenant-a/pod' || d.source === 'tenant-a-a1/pod'))
      .map((d) => `${d.source} ${d.probe} intended=${d.intended} actual=${d.actual}: ${d.expectation}`);
    // nothing enforced: every cell but the exposed one is a difference
    expect(lines([])).toEqual([
      'tenant-a/pod TCP/8080 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a/pod UDP/8080 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a/pod SCTP/8080 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a/pod UDP/53 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a/pod TCP/53 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a/pod ICMP/type-8 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a/pod SCTP/1 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a/pod ICMPv6/type-0 intended=false actual=true: tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-a1/pod TCP/8080 intended=false actual=true: tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-a1/pod UDP/8080 intended=false actual=true: tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-a1/pod UDP/53 intended=false actual=true: tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-a1/pod TCP/53 intended=false actual=true: tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-a1/pod ICMP/type-8 intended=false actual=true: tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-a1/pod SCTP/1 intended=false actual=true: tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-a1/pod ICMPv6/type-0 intended=false actual=true: tenant-a-a1 is a descendant of tenant-root, which does not share this endpoint',
    ]);
    // every pod closed: the exposed cell is the only difference
    expect(lines([denyAll])).toEqual([
      'tenant-a-a1/pod SCTP/8080 intended=true actual=false: exposure up of tenant-root admits tenant-a-a1 on SCTP/8080',
    ]);
  });
});
