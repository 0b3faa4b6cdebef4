/*
 * The representative endpoints of the verifier (`Layout`): which endpoints a
 * tenant tree, its exposures and platform services get, with which labels and
 * probes; the pod label sets that policies select (`selectedPodLabels`); and
 * the probe names of the report. Fixtures are built inside each test
 * (mutation testing: per-test coverage).
 */
import { TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import * as iv from '../../../src/verify/intervals';
import { intendedCell, Layout, probeName, selectedPodLabels } from '../../../src/verify/verify';

/** One line per endpoint: id, role, tenant, kind, namespace, entity, probes, labels. */
const repLines = (layout: Layout) => layout.reps.map((r) =>
  `${r.id} ${r.role}${r.tenant ? ` tenant=${r.tenant.namespace}` : ''}${r.kind !== undefined ? ` kind=${r.kind}` : ''}` +
  `${r.namespace ? ` ns=${r.namespace}` : ''}${r.entity ? ` entity=${r.entity}` : ''}${r.service !== undefined ? ` service=${r.service}` : ''}` +
  ` [${r.probes.length === layout.probes.length ? 'all' : r.probes.map((p) => probeName(layout.probes[p])).join(' ')}]${r.labels ? ' ' + JSON.stringify(r.labels) : ''}`);
const ids = (layout: Layout, reps: number[]) => reps.map((r) => layout.reps[r].id);
const layoutOf = (props: TenantIsolationProps, selected?: Map<string, Array<Record<string, string>>>, systemNamespace = 'cozy-system') =>
  new Layout(resolveTenants(props), systemNamespace, selected);

describe('probe names', () => {
  test('protocol/port, and ICMP by its type', () => {
    expect(probeName({ protocol: 'TCP', port: 443 })).toBe('TCP/443');
    expect(probeName({ protocol: 'UDP', port: 53 })).toBe('UDP/53');
    expect(probeName({ protocol: 'SCTP', port: 8080 })).toBe('SCTP/8080');
    expect(probeName({ protocol: 'ICMP', port: 8 })).toBe('ICMP/type-8');
  });
});

describe('the layout of a small tree', () => {
  test('one pod, one pod per service kind, one apiserver client per tenant; then DNS, system pods and entities', () => {
    const layout = layoutOf({ defaultSharedServices: ['etcd'], worldIngressServices: ['vpn'], tenants: [{ name: 'root', children: [{ name: 'a' }] }] });
    expect(repLines(layout)).toEqual([
      'tenant-root/pod tenant-pod tenant=tenant-root ns=tenant-root [all] {"cozynet.io/probe":"pod"}',
      'tenant-root/svc:etcd tenant-service tenant=tenant-root kind=etcd ns=tenant-root [all] {"cozynet.io/probe":"svc-etcd","cozystack.io/service":"etcd"}',
      'tenant-root/svc:vpn tenant-service tenant=tenant-root kind=vpn ns=tenant-root [all] {"cozynet.io/probe":"svc-vpn","cozystack.io/service":"vpn"}',
      'tenant-root/api-client tenant-apiserver-client tenant=tenant-root ns=tenant-root [all] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      // a pod may carry a service kind and the apiserver label at once (changed: such pods are endpoints now)
      'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root kind=etcd ns=tenant-root [all] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=vpn,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root kind=vpn ns=tenant-root [all] {"cozynet.io/probe":"pods-cozystack.io-service-vpn-policy.cozystack.io-allow-to-apis","cozystack.io/service":"vpn","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pod tenant-pod tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pod"}',
      'tenant-a/svc:etcd tenant-service tenant=tenant-a kind=etcd ns=tenant-a [all] {"cozynet.io/probe":"svc-etcd","cozystack.io/service":"etcd"}',
      'tenant-a/svc:vpn tenant-service tenant=tenant-a kind=vpn ns=tenant-a [all] {"cozynet.io/probe":"svc-vpn","cozystack.io/service":"vpn"}',
      'tenant-a/api-client tenant-apiserver-client tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a kind=etcd ns=tenant-a [all] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=vpn,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a kind=vpn ns=tenant-a [all] {"cozynet.io/probe":"pods-cozystack.io-service-vpn-policy.cozystack.io-allow-to-apis","cozystack.io/service":"vpn","policy.cozystack.io/allow-to-apiserver":"true"}',
      'kube-system/kube-dns dns ns=kube-system [all] {"k8s-app":"kube-dns"}',
      'kube-system/pod kube-system-pod ns=kube-system [all] {"cozynet.io/probe":"workload"}',
      'cozy-system/pod system-pod ns=cozy-system [all] {"cozynet.io/probe":"workload"}',
      'world entity entity=world [all]',
      'kube-apiserver entity entity=kube-apiserver [all]',
      'host entity entity=host [all]',
      'remote-node entity entity=remote-node [all]',
      'ingress entity entity=ingress []',
    ]);
    expect(layout.size).toBe(20);
    expect([...layout.first]).toEqual([0, 6]);
    expect([...layout.end]).toEqual([6, 12]);
    expect(layout.tenantEnd).toBe(12);
    expect([layout.dns, layout.kubeSystemPod, layout.systemPod, layout.world, layout.apiServer, layout.host, layout.remoteNode, layout.ingress])
      .toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    expect(layout.worlds).toEqual([15]);
    expect(layout.platformServices).toEqual([]);
    // one probe per class of (protocol, port) the intention distinguishes (DNS: 53); 443, 6443 and 10250 are in the class of 8080
    expect(layout.probes.map(probeName)).toEqual(['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'ICMP/type-8', 'ICMPv6/type-0']);
    // root shares etcd with its subtree (defaultSharedServices); vpn pods face the world
    const both = (ns: string, kind: string) => `${ns}/pods:cozystack.io/service=${kind},policy.cozystack.io/allow-to-apiserver=true`;
    expect(layout.shared.map((s) => ids(layout, s))).toEqual([['tenant-root/svc:etcd', both('tenant-root', 'etcd')], ['tenant-a/svc:etcd', both('tenant-a', 'etcd')]]);
    expect(layout.worldFacing.map((s) => ids(layout, s))).toEqual([['tenant-root/svc:vpn', both('tenant-root', 'vpn')], ['tenant-a/svc:vpn', both('tenant-a', 'vpn')]]);
    expect(layout.served).toEqual([]);
    expect(layout.peerOf).toEqual([[], []]);
    expect([0, 11, 12, 19].map((i) => layout.isTenant(i))).toEqual([true, true, false, false]);
    const cfg = layout.cfg;
    expect(iv.toList(layout.subtree(cfg.tenants[0]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(iv.toList(layout.subtree(cfg.tenants[1]))).toEqual([6, 7, 8, 9, 10, 11]);
  });

  test('the endpoints handed to the model: entities by name, pods by namespace and labels', () => {
    const layout = layoutOf({ tenants: [{ name: 'root' }] });
    const eps = layout.endpoints();
    expect(eps).toHaveLength(layout.size);
    expect(eps[0]).toEqual({ id: 'tenant-root/pod', namespace: 'tenant-root', labels: { 'cozynet.io/probe': 'pod' } });
    expect(eps[layout.dns]).toEqual({ id: 'kube-system/kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } });
    expect(eps[layout.world]).toEqual({ id: 'world', entity: 'world', ip: '203.0.113.10' });
    expect(eps[layout.ingress]).toEqual({ id: 'ingress', entity: 'ingress' });
  });

  test('custom labels, DNS and system namespace', () => {
    const layout = layoutOf({
      serviceLabel: 'example.com/role',
      apiServerAccessLabel: 'example.com/api',
      systemNamespaceLabel: 'example.com/system',
      defaultSharedServices: [],
      worldIngressServices: [],
      dnsNamespace: 'dns',
      dnsPodLabels: { app: 'coredns' },
      tenants: [{ name: 'root' }],
    }, undefined, 'platform');
    expect(repLines(layout)).toEqual([
      'tenant-root/pod tenant-pod tenant=tenant-root ns=tenant-root [all] {"cozynet.io/probe":"pod"}',
      'tenant-root/api-client tenant-apiserver-client tenant=tenant-root ns=tenant-root [all] {"cozynet.io/probe":"api-client","example.com/api":"true"}',
      'dns/kube-dns dns ns=dns [all] {"app":"coredns"}',
      'kube-system/pod kube-system-pod ns=kube-system [all] {"cozynet.io/probe":"workload"}',
      'platform/pod system-pod ns=platform [all] {"cozynet.io/probe":"workload"}',
      'world entity entity=world [all]',
      'kube-apiserver entity entity=kube-apiserver [all]',
      'host entity entity=host [all]',
      'remote-node entity entity=remote-node [all]',
      'ingress entity entity=ingress []',
    ]);
    expect(layout.extraNamespaces()).toEqual({ 'kube-system': {}, 'dns': {}, 'platform': { 'example.com/system': 'true' } });
  });
});

describe('exposure endpoints and their probes', () => {
  test('each listed port, both ends of a range, once each; ICMP when allowed, and probed anyway when closed', () => {
    const layout = layoutOf({
      defaultSharedServices: [],
      worldIngressServices: [],
      exposures: [
        // 8080 is a base probe; UDP/9010 is both the end of the range and a port of its own; SCTP/7 twice
        { name: 'range', namespace: 'tenant-root', selector: { app: 'api' }, ports: [{ port: 9000, endPort: 9010, protocol: 'UDP' as any }, { port: 9010, protocol: 'UDP' as any }, { port: 8080 }, { port: 7, protocol: 'SCTP' as any }, { port: 7, endPort: 7, protocol: 'SCTP' as any }], from: [{ world: true }] },
        { name: 'ping', namespace: 'tenant-root', selector: { app: 'ping' }, ports: [{ port: 443 }], allowIcmp: true, from: [{ world: true }] },
        { name: 'closed', namespace: 'tenant-root', selector: { app: 'closed' }, ports: [{ port: 9000, protocol: 'UDP' as any }], from: [{ world: true }] },
        { name: 'every', namespace: 'tenant-root', selector: { app: 'every' }, from: [{ world: true }] },
      ],
      tenants: [{ name: 'root' }],
    });
    expect(repLines(layout).slice(2, 6)).toEqual([
      'tenant-root/expose:range tenant-exposure tenant=tenant-root ns=tenant-root [all] {"app":"api","cozynet.io/probe":"expose-range"}',
      'tenant-root/expose:ping tenant-exposure tenant=tenant-root ns=tenant-root [all] {"app":"ping","cozynet.io/probe":"expose-ping"}',
      'tenant-root/expose:closed tenant-exposure tenant=tenant-root ns=tenant-root [all] {"app":"closed","cozynet.io/probe":"expose-closed"}',
      'tenant-root/expose:every tenant-exposure tenant=tenant-root ns=tenant-root [all] {"app":"every","cozynet.io/probe":"expose-every"}',
    ]);
    // the named ports first, once each, in the order they are found (10250 is in the class of 6443: no range holds either);
    // then one probe for each other class: inside the range 9000-9010 (9001), ICMP other than echo, ICMPv6
    expect(layout.probes.map(probeName)).toEqual(['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'TCP/443', 'TCP/6443', 'ICMP/type-8',
      'UDP/9000', 'UDP/9010', 'SCTP/7', 'ICMPv6/type-128', 'UDP/9001', 'ICMP/type-0', 'ICMPv6/type-0']);
    expect(layout.served.map((s) => ids(layout, s))).toEqual([
      [
        'tenant-root/expose:range',
        'tenant-root/pods:app=api,policy.cozystack.io/allow-to-apiserver=true',
      ],
      [
        'tenant-root/expose:ping',
        'tenant-root/pods:app=ping,policy.cozystack.io/allow-to-apiserver=true',
      ],
      [
        'tenant-root/expose:closed',
        'tenant-root/pods:app=closed,policy.cozystack.io/allow-to-apiserver=true',
      ],
      [
        'tenant-root/expose:every',
        'tenant-root/pods:app=every,policy.cozystack.io/allow-to-apiserver=true',
      ],
    ]);
  });

  test('an exposure of a service kind: its endpoint has the kind, serves the service pods too, and shares and faces the world like them', () => {
    const layout = layoutOf({
      defaultSharedServices: ['db'],
      worldIngressServices: ['db'],
      exposures: [{ name: 'db', namespace: 'tenant-a', selector: { 'cozystack.io/service': 'db' }, ports: [{ port: 5432 }], from: [{ namespace: 'tenant-b' }] }],
      tenants: [{ name: 'root', sharedServices: [], children: [{ name: 'a' }, { name: 'b' }] }],
    });
    const a = layout.cfg.tenants[1];
    const reps = layout.reps.slice(layout.first[a.index], layout.end[a.index]);
    expect(reps.map((r) => `${r.id} ${r.kind}`)).toEqual(['tenant-a/pod undefined', 'tenant-a/svc:db db', 'tenant-a/api-client undefined', 'tenant-a/expose:db db',
      // a db pod that is also an API client (a merged label set)
      'tenant-a/pods:cozystack.io/service=db,policy.cozystack.io/allow-to-apiserver=true db']);
    const dbClient = (ns: string) => `${ns}/pods:cozystack.io/service=db,policy.cozystack.io/allow-to-apiserver=true`;
    expect(ids(layout, layout.served[0])).toEqual(['tenant-a/svc:db', 'tenant-a/expose:db', dbClient('tenant-a')]);
    expect(layout.shared.map((s) => ids(layout, s))).toEqual([[], ['tenant-a/svc:db', 'tenant-a/expose:db', dbClient('tenant-a')], ['tenant-b/svc:db', dbClient('tenant-b')]]);
    expect(layout.worldFacing.map((s) => ids(layout, s))).toEqual([['tenant-root/svc:db', dbClient('tenant-root')], ['tenant-a/svc:db', 'tenant-a/expose:db', dbClient('tenant-a')], ['tenant-b/svc:db', dbClient('tenant-b')]]);
    // the whole tenant-b is the peer: no endpoint of its own
    expect(layout.reps.filter((r) => r.role === 'tenant-peer')).toEqual([]);
    expect(layout.peerOf.map((l) => l.map(({ e, p }) => `${e.name}<-${p.tenant!.namespace}`))).toEqual([[], [], ['db<-tenant-b']]);
  });
});

describe('peer endpoints', () => {
  test('a peer with a selector gets an endpoint in its tenant, once per label set, unless an endpoint has those labels', () => {
    const layout = layoutOf({
      defaultSharedServices: [],
      worldIngressServices: ['ingress'],
      exposures: [
        { name: 'one', namespace: 'tenant-a', selector: { app: 'api' }, from: [{ namespace: 'tenant-b', selector: { role: 'client' } }, { world: true }] },
        { name: 'two', namespace: 'tenant-a', selector: { app: 'web' }, from: [{ namespace: 'tenant-b', selector: { role: 'client' } }, { namespace: 'tenant-b', selector: { 'cozystack.io/service': 'ingress' } }, { namespace: 'tenant-b', subtree: true, selector: { role: 'other' } }] },
        { name: 'self', namespace: 'tenant-b', selector: { app: 'x' }, from: [{ namespace: 'tenant-a', selector: { app: 'api' } }] },
      ],
      tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }],
    });
    const tenantReps = (t: number) => repLines(layout).slice(layout.first[t], layout.end[t]);
    expect(tenantReps(1)).toEqual([
      'tenant-a/pod tenant-pod tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pod"}',
      'tenant-a/svc:ingress tenant-service tenant=tenant-a kind=ingress ns=tenant-a [all] {"cozynet.io/probe":"svc-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/api-client tenant-apiserver-client tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/expose:one tenant-exposure tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"expose-one"}',
      'tenant-a/expose:two tenant-exposure tenant=tenant-a ns=tenant-a [all] {"app":"web","cozynet.io/probe":"expose-two"}',
      // app=api of exposure `self` is expose:one: no endpoint of its own
      // pods carrying the labels of two of the sets above (app=api and app=web never together)
      'tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a kind=ingress ns=tenant-a [all] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=api,cozystack.io/service=ingress tenant-selected tenant=tenant-a kind=ingress ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/pods:app=api,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=ingress tenant-selected tenant=tenant-a kind=ingress ns=tenant-a [all] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/pods:app=web,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"web","cozynet.io/probe":"pods-app-web-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=api,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a kind=ingress ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-ingress-policy.cozystack.io-a","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a kind=ingress ns=tenant-a [all] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-ingress-policy.cozystack.io-a","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
    ]);
    expect(tenantReps(2)).toEqual([
      'tenant-b/pod tenant-pod tenant=tenant-b ns=tenant-b [all] {"cozynet.io/probe":"pod"}',
      'tenant-b/svc:ingress tenant-service tenant=tenant-b kind=ingress ns=tenant-b [all] {"cozynet.io/probe":"svc-ingress","cozystack.io/service":"ingress"}',
      'tenant-b/api-client tenant-apiserver-client tenant=tenant-b ns=tenant-b [all] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/expose:self tenant-exposure tenant=tenant-b ns=tenant-b [all] {"app":"x","cozynet.io/probe":"expose-self"}',
      'tenant-b/from:tenant-a/one tenant-peer tenant=tenant-b ns=tenant-b [all] {"cozynet.io/probe":"from-tenant-a-one","role":"client"}',
      'tenant-b/from:tenant-a/two tenant-peer tenant=tenant-b ns=tenant-b [all] {"cozynet.io/probe":"from-tenant-a-two","role":"other"}',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/pods:app=x,cozystack.io/service=ingress tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-b/pods:app=x,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-b ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/pods:cozystack.io/service=ingress,role=client tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-role-client","cozystack.io/service":"ingress","role":"client"}',
      'tenant-b/pods:policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b ns=tenant-b [all] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-role-client","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-b/pods:app=x,role=client tenant-selected tenant=tenant-b ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-role-client","role":"client"}',
      'tenant-b/pods:cozystack.io/service=ingress,role=other tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-role-other","cozystack.io/service":"ingress","role":"other"}',
      'tenant-b/pods:policy.cozystack.io/allow-to-apiserver=true,role=other tenant-selected tenant=tenant-b ns=tenant-b [all] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-role-other","policy.cozystack.io/allow-to-apiserver":"true","role":"other"}',
      'tenant-b/pods:app=x,role=other tenant-selected tenant=tenant-b ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-role-other","role":"other"}',
      'tenant-b/pods:app=x,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-cozystack.io-service-ingress-policy.cozystack.io-all","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=other tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"other"}',
      'tenant-b/pods:app=x,cozystack.io/service=ingress,role=client tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-cozystack.io-service-ingress-role-client","cozystack.io/service":"ingress","role":"client"}',
      'tenant-b/pods:app=x,cozystack.io/service=ingress,role=other tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-cozystack.io-service-ingress-role-other","cozystack.io/service":"ingress","role":"other"}',
      'tenant-b/pods:app=x,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-policy.cozystack.io-allow-to-apiserver-true-role-cli","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-b/pods:app=x,policy.cozystack.io/allow-to-apiserver=true,role=other tenant-selected tenant=tenant-b ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-policy.cozystack.io-allow-to-apiserver-true-role-oth","policy.cozystack.io/allow-to-apiserver":"true","role":"other"}',
      'tenant-b/pods:app=x,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-cozystack.io-service-ingress-policy.cozystack.io-all","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-b/pods:app=x,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=other tenant-selected tenant=tenant-b kind=ingress ns=tenant-b [all] {"app":"x","cozynet.io/probe":"pods-app-x-cozystack.io-service-ingress-policy.cozystack.io-all","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"other"}',
    ]);
    expect(layout.peerOf.map((l) => l.map(({ e, p }) => `${e.name}<-${p.tenant!.namespace}${p.subtree ? '/*' : ''}:${JSON.stringify(p.selector)}`))).toEqual([
      [],
      ['self<-tenant-a:{"app":"api"}'],
      ['one<-tenant-b:{"role":"client"}', 'two<-tenant-b:{"role":"client"}', 'two<-tenant-b:{"cozystack.io/service":"ingress"}', 'two<-tenant-b/*:{"role":"other"}'],
    ]);
  });

  test('pods selected by policies come before peers, and take their place when the labels are the same', () => {
    const layout = layoutOf({
      defaultSharedServices: [],
      worldIngressServices: [],
      exposures: [{ name: 'api', namespace: 'tenant-root', selector: { app: 'api' }, from: [{ namespace: 'tenant-a', selector: { role: 'client' } }, { namespace: 'tenant-a', selector: { tier: 'web' } }] }],
      tenants: [{ name: 'root', children: [{ name: 'a' }] }],
    }, new Map([
      // app=api is an endpoint of tenant-root (expose:api), not of tenant-a
      ['tenant-a', [{ role: 'client' }, { app: 'db', zone: 'z1' }, { role: 'client' }, { zone: 'z1', app: 'db' }, { 'policy.cozystack.io/allow-to-apiserver': 'true' }, { app: 'api' }]],
      ['tenant-root', [{ app: 'api' }, { 'cozystack.io/service': 'etcd', 'app': 'e' }]],
      ['elsewhere', [{ app: 'nope' }]],
    ]));
    const rootIds = layout.reps.slice(layout.first[0], layout.end[0]).map((r) => r.id);
    expect(rootIds.slice(3, 5)).toEqual([
      'tenant-root/pods:cozystack.io/service=etcd,app=e',
      'tenant-root/pods:app=api,policy.cozystack.io/allow-to-apiserver=true',
    ]);
    expect(repLines(layout).slice(layout.first[0], layout.end[0]).slice(3, 5)).toEqual([
      'tenant-root/pods:cozystack.io/service=etcd,app=e tenant-selected tenant=tenant-root kind=etcd ns=tenant-root [all] {"app":"e","cozynet.io/probe":"pods-cozystack.io-service-etcd-app-e","cozystack.io/service":"etcd"}',
      'tenant-root/pods:app=api,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [all] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
    ]);
    expect(repLines(layout).slice(layout.first[1], layout.end[1])).toEqual([
      'tenant-a/pod tenant-pod tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pod"}',
      'tenant-a/api-client tenant-apiserver-client tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:role=client tenant-selected tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pods-role-client","role":"client"}',
      'tenant-a/pods:app=db,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-zone-z1","zone":"z1"}',
      'tenant-a/pods:app=api tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api"}',
      'tenant-a/from:tenant-root/api tenant-peer tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"from-tenant-root-api","tier":"web"}',
      'tenant-a/pods:policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-role-client","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-a/pods:app=db,policy.cozystack.io/allow-to-apiserver=true,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-policy.cozystack.io-allow-to-apiserver-true-zone-z1","policy.cozystack.io/allow-to-apiserver":"true","zone":"z1"}',
      'tenant-a/pods:app=db,role=client,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-role-client-zone-z1","role":"client","zone":"z1"}',
      'tenant-a/pods:app=api,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=api,role=client tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-role-client","role":"client"}',
      'tenant-a/pods:policy.cozystack.io/allow-to-apiserver=true,tier=web tenant-selected tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-tier-web","policy.cozystack.io/allow-to-apiserver":"true","tier":"web"}',
      'tenant-a/pods:role=client,tier=web tenant-selected tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pods-role-client-tier-web","role":"client","tier":"web"}',
      'tenant-a/pods:app=db,tier=web,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-tier-web-zone-z1","tier":"web","zone":"z1"}',
      'tenant-a/pods:app=api,tier=web tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-tier-web","tier":"web"}',
      'tenant-a/pods:app=db,policy.cozystack.io/allow-to-apiserver=true,role=client,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-policy.cozystack.io-allow-to-apiserver-true-role-cl","policy.cozystack.io/allow-to-apiserver":"true","role":"client","zone":"z1"}',
      'tenant-a/pods:app=api,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true-role-c","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-a/pods:policy.cozystack.io/allow-to-apiserver=true,role=client,tier=web tenant-selected tenant=tenant-a ns=tenant-a [all] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-role-client-ti","policy.cozystack.io/allow-to-apiserver":"true","role":"client","tier":"web"}',
      'tenant-a/pods:app=db,policy.cozystack.io/allow-to-apiserver=true,tier=web,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-policy.cozystack.io-allow-to-apiserver-true-tier-we","policy.cozystack.io/allow-to-apiserver":"true","tier":"web","zone":"z1"}',
      'tenant-a/pods:app=db,role=client,tier=web,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-role-client-tier-web-zone-z1","role":"client","tier":"web","zone":"z1"}',
      'tenant-a/pods:app=api,policy.cozystack.io/allow-to-apiserver=true,tier=web tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true-tier-w","policy.cozystack.io/allow-to-apiserver":"true","tier":"web"}',
      'tenant-a/pods:app=api,role=client,tier=web tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-role-client-tier-web","role":"client","tier":"web"}',
      'tenant-a/pods:app=db,policy.cozystack.io/allow-to-apiserver=true,role=client,tier=web,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"db","cozynet.io/probe":"pods-app-db-policy.cozystack.io-allow-to-apiserver-true-role-cl","policy.cozystack.io/allow-to-apiserver":"true","role":"client","tier":"web","zone":"z1"}',
      'tenant-a/pods:app=api,policy.cozystack.io/allow-to-apiserver=true,role=client,tier=web tenant-selected tenant=tenant-a ns=tenant-a [all] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true-role-c","policy.cozystack.io/allow-to-apiserver":"true","role":"client","tier":"web"}',
    ]);
    expect(layout.size).toBe(repLines(layout).length);
    expect(layout.reps.some((r) => r.namespace === 'elsewhere')).toBe(false);
  });
});

describe('platform service endpoints', () => {
  test('namespace or an invented namespace, selector labels, listed ports and TCP/8080 to show the rest stays closed', () => {
    const layout = layoutOf({
      defaultSharedServices: [],
      worldIngressServices: [],
      platformServices: [
        { name: 'dash', namespace: 'cozy-dash', selector: { app: 'dash' }, ports: [{ port: 443 }, { port: 8080 }, { port: 8000, endPort: 8100 }] },
        { name: 'idp', namespaceSelector: { idp: 'yes', zone: 'a' }, ports: [{ port: 53, protocol: 'UDP' as any }] },
        { name: 'any', namespaceSelector: { any: 'true' } },
      ],
      tenants: [{ name: 'root' }],
    });
    expect(repLines(layout).slice(layout.systemPod + 1, layout.world)).toEqual([
      'cozy-dash/svc:dash platform-service ns=cozy-dash service=0 [all] {"app":"dash","cozynet.io/probe":"svc-dash"}',
      'platform-idp/svc:idp platform-service ns=platform-idp service=1 [all] {"cozynet.io/probe":"svc-idp"}',
      'platform-any/svc:any platform-service ns=platform-any service=2 [all] {"cozynet.io/probe":"svc-any"}',
    ]);
    expect(layout.platformServices).toEqual([layout.systemPod + 1, layout.systemPod + 2, layout.systemPod + 3]);
    expect(layout.world).toBe(layout.systemPod + 4);
    expect(layout.extraNamespaces()).toEqual({
      'kube-system': {},
      'cozy-system': { 'cozystack.io/system': 'true' },
      'platform-idp': { idp: 'yes', zone: 'a' },
      'platform-any': { any: 'true' },
    });
    // 8080 is inside 8000-8100 but named on its own: the rest of the range is probed on TCP/8000
    expect(layout.probes.map(probeName)).toEqual(['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'TCP/443', 'TCP/6443', 'ICMP/type-8', 'TCP/8000', 'ICMPv6/type-0']);
  });
});

describe('pod label sets that policies select', () => {
  const tenants = () => new Set(['tenant-a', 'tenant-b']);
  const CNP = (namespace: string, spec: any, specs?: any[]) => ({ kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace }, spec, ...(specs ? { specs } : {}) });
  /** Namespace -> label sets, as `k=v,...` in key order (the order the endpoint ids show). */
  const asObject = (m: Map<string, Array<Record<string, string>>>) =>
    Object.fromEntries([...m].map(([ns, sets]) => [ns, sets.map((l) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(','))]));

  test('NetworkPolicy pod selectors in tenant namespaces', () => {
    expect(asObject(selectedPodLabels([
      { kind: 'NetworkPolicy', metadata: { namespace: 'tenant-a' }, spec: { podSelector: { matchLabels: { b: '2', a: '1' } } } },
      { kind: 'NetworkPolicy', metadata: { namespace: 'tenant-a' }, spec: { podSelector: { matchLabels: { a: '1', b: '2' } } } },
      { kind: 'NetworkPolicy', metadata: { namespace: 'tenant-b' }, spec: { podSelector: {} } },
      { kind: 'NetworkPolicy', metadata: { namespace: 'tenant-b' }, spec: { podSelector: { matchLabels: {} } } },
      { kind: 'NetworkPolicy', metadata: { namespace: 'other' }, spec: { podSelector: { matchLabels: { c: '3' } } } },
      { kind: 'NetworkPolicy', metadata: { namespace: 'tenant-b' } },
      { kind: 'NetworkPolicy' },
    ], tenants()))).toEqual({ 'tenant-a': ['a=1,b=2'] });
  });

  test('Cilium endpoint selectors and peers: own namespace, the namespace a selector names, prefixes, internal keys', () => {
    const result = selectedPodLabels([
      CNP('tenant-a', {
        endpointSelector: { matchLabels: { 'k8s:app': 'web', 'k8s:io.cilium.k8s.policy.serviceaccount': 'sa' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { 'any:role': 'client', 'k8s:io.kubernetes.pod.namespace': 'tenant-b' } }, { matchLabels: { 'reserved:host': '' } }, { matchLabels: { 'app': 'host', 'reserved:host': '' } }] }],
        egress: [{ toEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'tenant-b', 'x': 'y' } }] }],
        ingressDeny: [{ fromEndpoints: [{ matchLabels: { deny: 'in', empty: null } }] }],
        egressDeny: [{ toEndpoints: [{ matchLabels: { deny: 'out', c: '3', a: '1', b: '2' } }] }],
      }, [{ endpointSelector: { matchLabels: { second: 'spec', num: 1 } } }, null, 'x']),
      {
        kind: 'CiliumClusterwideNetworkPolicy',
        metadata: { name: 'c', namespace: 'tenant-a' },
        spec: {
          endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-b', 'cw': '1' } },
          egress: [{ toEndpoints: [{ matchLabels: { nons: '1' } }] }],
        },
      },
      // other kinds are not read, even when their selector names a tenant namespace
      { kind: 'Other', metadata: { namespace: 'tenant-a' }, spec: { endpointSelector: { matchLabels: { 'other': '1', 'k8s:io.kubernetes.pod.namespace': 'tenant-a' } } } },
      // no metadata: only selectors naming their namespace count
      { kind: 'CiliumNetworkPolicy', spec: { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-b', 'm': '1' } }, egress: [{ toEndpoints: [{ matchLabels: { n: '1' } }] }] } },
      null,
      7,
    ], tenants());
    expect(asObject(result)).toEqual({
      // the service account is a label selectors name (changed: it used to be dropped)
      'tenant-a': ['app=web,io.cilium.k8s.policy.serviceaccount=sa', 'deny=in,empty=', 'a=1,b=2,c=3,deny=out', 'num=1,second=spec'],
      'tenant-b': ['role=client', 'x=y', 'cw=1', 'm=1'],
      // peers of cluster-wide policies, without a namespace: in every namespace (changed: they used to be dropped)
      '*': ['nons=1', 'n=1'],
    });
  });

  test('malformed selectors and rules select nothing', () => {
    expect(asObject(selectedPodLabels([
      CNP('tenant-a', { endpointSelector: { matchLabels: null }, ingress: 'no', egress: [null, { toEndpoints: 'no' }, { toEndpoints: [null, 'x', { matchLabels: 'no' }, { matchExpressions: [] }] }] }),
      CNP('tenant-a', null),
      CNP('tenant-a', 'x'),
      CNP('tenant-a', { endpointSelector: null }),
      { kind: 'CiliumNetworkPolicy', metadata: { namespace: 'tenant-a' }, spec: {}, specs: { endpointSelector: { matchLabels: { s: '1' } } } },
    ], tenants()))).toEqual({});
  });
});

describe('an exposure admits its peers on its ports only', () => {
  test('the protocol counts: UDP/8080 listed does not open TCP/8080 or SCTP/8080; a range opens both ends', () => {
    const layout = layoutOf({
      defaultSharedServices: [],
      worldIngressServices: [],
      exposures: [
        { name: 'u', namespace: 'tenant-root', selector: { app: 'u' }, ports: [{ port: 8080, protocol: 'UDP' as any }, { port: 9000, endPort: 9002 }], from: [{ world: true }] },
        { name: 'r', namespace: 'tenant-root', selector: { app: 'r' }, ports: [{ port: 7000, endPort: 7999 }], allowIcmp: true, from: [{ world: true }] },
      ],
      platformServices: [{ name: 'dash', namespace: 'cozy-dash', ports: [{ port: 8080, protocol: 'UDP' as any }] }],
      tenants: [{ name: 'root' }],
    });
    const dst = layout.reps.findIndex((r) => r.id === 'tenant-root/expose:u');
    const verdicts = (src: number, d: number) => layout.reps[d].probes.map((p) => `${probeName(layout.probes[p])} ${intendedCell(layout, src, d, p)!.allowed}`);
    // every probe: a range is one class (TCP/9000 for 9000-9002), ICMP of either family closed without allowIcmp
    expect(verdicts(layout.world, dst)).toEqual(['TCP/8080 false', 'UDP/8080 true', 'SCTP/8080 false', 'UDP/53 false', 'TCP/53 false', 'ICMP/type-8 false', 'TCP/9000 true',
      'TCP/7000 false', 'ICMPv6/type-128 false', 'UDP/1 false', 'ICMP/type-0 false', 'ICMPv6/type-0 false']);
    // a port above the range (TCP/8080): closed; ICMP and ICMPv6 echo when allowed, other ICMP types not
    const r = layout.reps.findIndex((x) => x.id === 'tenant-root/expose:r');
    expect(verdicts(layout.world, r)).toEqual(['TCP/8080 false', 'UDP/8080 false', 'SCTP/8080 false', 'UDP/53 false', 'TCP/53 false', 'ICMP/type-8 true', 'TCP/9000 false',
      'TCP/7000 true', 'ICMPv6/type-128 true', 'UDP/1 false', 'ICMP/type-0 false', 'ICMPv6/type-0 false']);
    expect(intendedCell(layout, layout.world, r, layout.probes.findIndex((p) => probeName(p) === 'TCP/7000'))!.reason).toBe('exposure r of tenant-root admits the world on TCP/7000');
    // a platform service with ports: the same
    expect(verdicts(0, layout.platformServices[0])).toEqual(['TCP/8080 false', 'UDP/8080 true', 'SCTP/8080 false', 'UDP/53 false', 'TCP/53 false', 'ICMP/type-8 false', 'TCP/9000 false',
      'TCP/7000 false', 'ICMPv6/type-128 false', 'UDP/1 false', 'ICMP/type-0 false', 'ICMPv6/type-0 false']);
  });
});

describe('probe label values', () => {
  test('only letters, digits, "-", "_" and "."; starting and ending with a letter or digit; at most 63 characters', () => {
    const layout = layoutOf({ defaultSharedServices: [], worldIngressServices: [], tenants: [{ name: 'root' }] }, new Map([
      ['tenant-root', [{ 'a/b': 'c_d._' }, { x: 'y'.repeat(60) }, { z: 'w'.repeat(54) + '-.q' }]],
    ]));
    expect(layout.reps.slice(2, 5).map((r) => r.labels!['cozynet.io/probe'])).toEqual([
      'pods-a-b-c_d',
      'pods-x-' + 'y'.repeat(56),
      'pods-z-' + 'w'.repeat(54), // cut at 63 characters, then '-.' dropped
    ]);
  });
});

describe('peers of an exposure match their sources', () => {
  test('a tenant peer: its pods (with the selector), its subtree when asked; a world peer: the world only', () => {
    const layout = layoutOf({
      defaultSharedServices: [],
      worldIngressServices: [],
      exposures: [
        { name: 'e', namespace: 'tenant-b', selector: { app: 'e' }, ports: [{ port: 9 }], from: [{ namespace: 'tenant-a', selector: { role: 'c' } }] },
        { name: 's', namespace: 'tenant-b', selector: { app: 's' }, ports: [{ port: 9 }], from: [{ namespace: 'tenant-a', subtree: true }] },
        { name: 'w', namespace: 'tenant-b', selector: { app: 'w' }, ports: [{ port: 9 }], from: [{ world: true }] },
      ],
      tenants: [{ name: 'root', children: [{ name: 'c' }, { name: 'a', children: [{ name: 'x' }] }, { name: 'b' }] }],
    }, new Map([['tenant-a-x', [{ role: 'c' }]]]));
    const at = (id: string) => layout.reps.findIndex((r) => r.id === id);
    const p9 = layout.probes.findIndex((p) => probeName(p) === 'TCP/9');
    const verdict = (src: string, dst: string) => intendedCell(layout, at(src), at(dst), p9)!.allowed;
    expect(verdict('tenant-a/from:tenant-b/e', 'tenant-b/expose:e')).toBe(true); // the peer's pods
    expect(verdict('tenant-a/pod', 'tenant-b/expose:e')).toBe(false); // no role=c
    expect(verdict('tenant-a-x/pods:role=c', 'tenant-b/expose:e')).toBe(false); // not tenant-a itself
    expect(verdict('tenant-a/pod', 'tenant-b/expose:s')).toBe(true);
    expect(verdict('tenant-a-x/pod', 'tenant-b/expose:s')).toBe(true);
    expect(verdict('tenant-root/pod', 'tenant-b/expose:s')).toBe(true); // ancestor
    expect(verdict('tenant-c/pod', 'tenant-b/expose:s')).toBe(false); // a sibling laid out before tenant-a
    expect(verdict('tenant-a-x/pod', 'tenant-b/expose:w')).toBe(false);
    expect(verdict('world', 'tenant-b/expose:w')).toBe(true);
    expect(verdict('world', 'tenant-b/expose:s')).toBe(false);
    expect(verdict('remote-node', 'tenant-b/expose:s')).toBe(false);
    expect(verdict('remote-node', 'tenant-b/expose:e')).toBe(false);
    expect(intendedCell(layout, at('tenant-a/pod'), at('tenant-b/expose:s'), p9)!.reason).toBe('exposure s of tenant-b admits tenant-a and its sub-tenants on TCP/9');
  });
});
