import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { verifyTenantIsolation, VerifyReport } from '../../../src/verify';

// The report of `verifyTenantIsolation`: endpoints and their probes, the
// intended verdict of every kind of cell (as the `expectation` of the
// differences), exact difference objects, summary counts, limits and options.
// Reports are built inside each test (mutation testing).

const CNP = (namespace: string, name: string, spec: any, specs?: any[]) =>
  ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec, ...(specs ? { specs } : {}) });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const nsLabel = (ns: string) => ({ [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' });
/** Every pod denies all ingress and egress (entities are not pods: they stay unrestricted on their side). */
const DENY_ALL = () => CCNP('deny', { endpointSelector: {}, enableDefaultDeny: { ingress: true, egress: true } });

/** tenant-root (sharing nothing) with one child tenant-a, all options at their defaults. */
const PARENT_CHILD: TenantIsolationProps = { tenants: [{ name: 'root', sharedServices: [], children: [{ name: 'a' }] }] };
const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };

/** A tree with every option away from its default, exposures and platform services. */
const RICH: TenantIsolationProps = {
  worldIngressServices: ['ingress'],
  allowFromIngress: true,
  allowFromHost: false,
  platformServices: [{ name: 'dash', namespace: 'cozy-dash', ports: [{ port: 443 }] }, { name: 'idp', namespaceSelector: { idp: 'yes' } }],
  exposures: [
    {
      name: 'api',
      namespace: 'tenant-a',
      selector: { app: 'api' },
      ports: [{ port: 8443 }, { port: 9000, endPort: 9010, protocol: 'UDP' as any }],
      allowIcmp: true,
      from: [{ namespace: 'tenant-b', selector: { role: 'client' } }, { world: true }],
    },
    { name: 'web', namespace: 'tenant-a', selector: { app: 'web' }, ports: [{ port: 80 }], from: [{ world: true }] },
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

const expectations = (r: VerifyReport) => [...new Set(r.differences.map((d) => d.expectation))].sort();
const endpointLines = (r: VerifyReport) => r.endpoints.map((e) =>
  `${e.id} ${e.role}${e.tenant ? ` tenant=${e.tenant}` : ''}${e.namespace ? ` ns=${e.namespace}` : ''}${e.entity ? ` entity=${e.entity}` : ''}` +
  ` [${e.probes.join(' ')}]${e.labels ? ' ' + JSON.stringify(e.labels) : ''}`);

describe('endpoints of the report', () => {
  test('every kind of endpoint with its role, namespace, labels and probes (exposure ports, port ranges, ICMP, platform services)', () => {
    // No objects: the rendered policies select `role: client` in tenant-b, which
    // adds a second endpoint with the peer's labels (reported, not enshrined).
    const report = verifyTenantIsolation(RICH, []);
    expect(endpointLines(report)).toEqual([
      'tenant-root/pod tenant-pod tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pod"}',
      'tenant-root/svc:etcd tenant-service tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-etcd","cozystack.io/service":"etcd"}',
      'tenant-root/svc:ingress tenant-service tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-ingress","cozystack.io/service":"ingress"}',
      'tenant-root/svc:monitoring tenant-service tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-root/api-client tenant-apiserver-client tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pod tenant-pod tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pod"}',
      'tenant-a/svc:etcd tenant-service tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-etcd","cozystack.io/service":"etcd"}',
      'tenant-a/svc:ingress tenant-service tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/svc:monitoring tenant-service tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-a/api-client tenant-apiserver-client tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/expose:api tenant-exposure tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"expose-api"}',
      'tenant-a/expose:web tenant-exposure tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"expose-web"}',
      'tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=api,cozystack.io/service=etcd tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-a/pods:app=api,cozystack.io/service=ingress tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/pods:app=api,cozystack.io/service=monitoring tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-a/pods:app=api,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=etcd tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-a/pods:app=web,cozystack.io/service=ingress tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/pods:app=web,cozystack.io/service=monitoring tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-a/pods:app=web,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=api,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-etcd-policy.cozystack.io-allo","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-etcd-policy.cozystack.io-allo","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=api,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-ingress-policy.cozystack.io-a","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-ingress-policy.cozystack.io-a","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=api,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-monitoring-policy.cozystack.i","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-monitoring-policy.cozystack.i","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a-x/pod tenant-pod tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pod"}',
      'tenant-a-x/svc:etcd tenant-service tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-etcd","cozystack.io/service":"etcd"}',
      'tenant-a-x/svc:ingress tenant-service tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-ingress","cozystack.io/service":"ingress"}',
      'tenant-a-x/svc:monitoring tenant-service tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-a-x/api-client tenant-apiserver-client tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a-x/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a-x/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a-x/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a-x ns=tenant-a-x [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/pod tenant-pod tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pod"}',
      'tenant-b/svc:etcd tenant-service tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-etcd","cozystack.io/service":"etcd"}',
      'tenant-b/svc:ingress tenant-service tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-ingress","cozystack.io/service":"ingress"}',
      'tenant-b/svc:monitoring tenant-service tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-b/api-client tenant-apiserver-client tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"api-client","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/expose:all tenant-exposure tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"expose-all"}',
      'tenant-b/from:tenant-a/api tenant-peer tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"from-tenant-a-api","role":"client"}',
      'tenant-b/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-b/pods:cozystack.io/service=etcd,role=client tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-role-client","cozystack.io/service":"etcd","role":"client"}',
      'tenant-b/pods:cozystack.io/service=ingress,role=client tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-role-client","cozystack.io/service":"ingress","role":"client"}',
      'tenant-b/pods:cozystack.io/service=monitoring,role=client tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-role-client","cozystack.io/service":"monitoring","role":"client"}',
      'tenant-b/pods:policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-role-client","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-b/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-b/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-b ns=tenant-b [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'kube-system/kube-dns dns ns=kube-system [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"k8s-app":"kube-dns"}',
      'kube-system/pod kube-system-pod ns=kube-system [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"workload"}',
      'cozy-system/pod system-pod ns=cozy-system [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"workload"}',
      'cozy-dash/svc:dash platform-service ns=cozy-dash [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-dash"}',
      'platform-idp/svc:idp platform-service ns=platform-idp [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0] {"cozynet.io/probe":"svc-idp"}',
      'world entity entity=world [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0]',
      'kube-apiserver entity entity=kube-apiserver [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0]',
      'host entity entity=host [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0]',
      'remote-node entity entity=remote-node [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 TCP/443 ICMP/type-8 TCP/8443 UDP/9000 ICMPv6/type-128 TCP/80 ICMP/type-0 ICMPv6/type-0]',
      'ingress entity entity=ingress []',
    ]);
    expect(report.sources).toEqual(report.endpoints.map((e) => e.id));
    expect(report.destinations).toEqual(report.sources);
  });

  test('pods that policies select get their own endpoint in their tenant namespace, once per label set', () => {
    const NP = (namespace: string, podSelector: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace }, spec: { podSelector } });
    const report = verifyTenantIsolation(PARENT_CHILD, [...TenantIsolation.manifests(PARENT_CHILD),
      NP('tenant-a', { matchLabels: { app: 'db' } }),
      NP('kube-system', { matchLabels: { app: 'ks' } }), // not a tenant namespace
      CNP('tenant-a', 'c', {
        // Cilium-internal keys are not pod labels
        endpointSelector: { matchLabels: { 'k8s:app': 'web', 'k8s:io.cilium.k8s.policy.serviceaccount': 'sa' } },
        ingress: [{
          fromEndpoints: [
            { matchLabels: { 'any:role': 'client', 'k8s:io.kubernetes.pod.namespace': 'tenant-root' } }, // a pod of another namespace
            { matchLabels: { 'reserved:host': '' } }, // not a pod
            { matchExpressions: [] },
          ],
        }],
        egressDeny: [{ toEndpoints: [{ matchLabels: { tier: 'x' } }] }],
      }, [
        { endpointSelector: { matchLabels: { 'cozystack.io/service': 'ingress' } } }, // already a service endpoint
        { endpointSelector: { matchLabels: { app: 'db' } } }, // already selected
        null,
      ]),
      CCNP('cc', {
        endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-root', 'app': 'ccw' } },
        egress: [{ toEndpoints: [{ matchLabels: { app: 'nons' } }] }], // no namespace: any, not one tenant's
      }),
      CNP('tenant-a', 'empty', { endpointSelector: { matchLabels: {} } }),
      CNP('tenant-a', 'odd', {
        endpointSelector: { matchLabels: null },
        ingress: [null, { fromEndpoints: 'not a list' }, { fromEndpoints: [null, { matchLabels: { 'cozynet.io/probe': 'pod' } }] }], // the tenant pod itself
        egress: [{ toEndpoints: [{ matchLabels: { 'k8s:zone': 'z1', 'app': 'api' } }] }], // keys sorted in the id
        ingressDeny: [{ fromEndpoints: [{ matchLabels: { a: 'b'.repeat(54) + '._c' } }] }], // a long id: its probe label is cut
      }),
      CNP('tenant-a', 'not-rules', { endpointSelector: {}, egressDeny: 'not a list' }),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'no-spec', namespace: 'tenant-a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'tenant-a' }, spec: { endpointSelector: { matchLabels: { app: 'cm' } } } },
      { ...CCNP('cc-ns', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { app: 'nons2' } }] }] }), metadata: { name: 'cc-ns', namespace: 'tenant-a' } },
      null,
      'not an object'] as any[]);
    expect(endpointLines(report).filter((l) => l.includes(' tenant-selected '))).toEqual([
      'tenant-root/pods:role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-role-client","role":"client"}',
      'tenant-root/pods:app=ccw tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw"}',
      'tenant-root/pods:app=nons tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons"}',
      'tenant-root/pods:app=nons2 tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2"}',
      'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=etcd,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-role-client","cozystack.io/service":"etcd","role":"client"}',
      'tenant-root/pods:cozystack.io/service=ingress,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-role-client","cozystack.io/service":"ingress","role":"client"}',
      'tenant-root/pods:cozystack.io/service=monitoring,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-role-client","cozystack.io/service":"monitoring","role":"client"}',
      'tenant-root/pods:policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-role-client","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=etcd tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=ingress tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=monitoring tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-root/pods:app=ccw,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=ccw,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-role-client","role":"client"}',
      'tenant-root/pods:app=nons,cozystack.io/service=etcd tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-root/pods:app=nons,cozystack.io/service=ingress tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-root/pods:app=nons,cozystack.io/service=monitoring tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-root/pods:app=nons,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-role-client","role":"client"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=etcd tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=ingress tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=monitoring tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-root/pods:app=nons2,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons2,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-role-client","role":"client"}',
      'tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-etcd-policy.cozystack.io-allo","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-etcd-policy.cozystack.io-all","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-etcd-policy.cozystack.io-al","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-ingress-policy.cozystack.io-a","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-ingress-policy.cozystack.io","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-ingress-policy.cozystack.io","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-monitoring-policy.cozystack.i","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-monitoring-policy.cozystack","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-monitoring-policy.cozystack","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=etcd,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-etcd-role-client","cozystack.io/service":"etcd","role":"client"}',
      'tenant-root/pods:app=nons,cozystack.io/service=etcd,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-etcd-role-client","cozystack.io/service":"etcd","role":"client"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=etcd,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-etcd-role-client","cozystack.io/service":"etcd","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=ingress,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-ingress-role-client","cozystack.io/service":"ingress","role":"client"}',
      'tenant-root/pods:app=nons,cozystack.io/service=ingress,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-ingress-role-client","cozystack.io/service":"ingress","role":"client"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=ingress,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-ingress-role-client","cozystack.io/service":"ingress","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=monitoring,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-monitoring-role-client","cozystack.io/service":"monitoring","role":"client"}',
      'tenant-root/pods:app=nons,cozystack.io/service=monitoring,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-monitoring-role-client","cozystack.io/service":"monitoring","role":"client"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=monitoring,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-monitoring-role-client","cozystack.io/service":"monitoring","role":"client"}',
      'tenant-root/pods:app=ccw,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-policy.cozystack.io-allow-to-apiserver-true-role-c","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-policy.cozystack.io-allow-to-apiserver-true-role","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons2,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-policy.cozystack.io-allow-to-apiserver-true-role","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-etcd-policy.cozystack.io-allo","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-ingress-policy.cozystack.io-a","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=ccw,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"ccw","cozynet.io/probe":"pods-app-ccw-cozystack.io-service-monitoring-policy.cozystack.i","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-etcd-policy.cozystack.io-all","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-ingress-policy.cozystack.io","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-monitoring-policy.cozystack","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-etcd-policy.cozystack.io-al","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-ingress-policy.cozystack.io","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-root/pods:app=nons2,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,role=client tenant-selected tenant=tenant-root ns=tenant-root [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-monitoring-policy.cozystack","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true","role":"client"}',
      'tenant-a/pods:app=db tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db"}',
      'tenant-a/pods:app=web,io.cilium.k8s.policy.serviceaccount=sa tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-io.cilium.k8s.policy.serviceaccount-sa","io.cilium.k8s.policy.serviceaccount":"sa"}',
      'tenant-a/pods:tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-tier-x","tier":"x"}',
      'tenant-a/pods:app=api,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-zone-z1","zone":"z1"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}',
      'tenant-a/pods:app=nons tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons"}',
      'tenant-a/pods:app=nons2 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2"}',
      'tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=db,cozystack.io/service=etcd tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-a/pods:app=db,cozystack.io/service=ingress tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/pods:app=db,cozystack.io/service=monitoring tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-a/pods:app=db,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=etcd,io.cilium.k8s.policy.serviceaccount=sa tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-etcd-io.cilium.k8s.policy.ser","cozystack.io/service":"etcd","io.cilium.k8s.policy.serviceaccount":"sa"}',
      'tenant-a/pods:app=web,cozystack.io/service=ingress,io.cilium.k8s.policy.serviceaccount=sa tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-ingress-io.cilium.k8s.policy","cozystack.io/service":"ingress","io.cilium.k8s.policy.serviceaccount":"sa"}',
      'tenant-a/pods:app=web,cozystack.io/service=monitoring,io.cilium.k8s.policy.serviceaccount=sa tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-monitoring-io.cilium.k8s.poli","cozystack.io/service":"monitoring","io.cilium.k8s.policy.serviceaccount":"sa"}',
      'tenant-a/pods:app=web,io.cilium.k8s.policy.serviceaccount=sa,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-io.cilium.k8s.policy.serviceaccount-sa-policy.cozy","io.cilium.k8s.policy.serviceaccount":"sa","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=etcd,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-tier-x","cozystack.io/service":"etcd","tier":"x"}',
      'tenant-a/pods:cozystack.io/service=ingress,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-tier-x","cozystack.io/service":"ingress","tier":"x"}',
      'tenant-a/pods:cozystack.io/service=monitoring,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-tier-x","cozystack.io/service":"monitoring","tier":"x"}',
      'tenant-a/pods:policy.cozystack.io/allow-to-apiserver=true,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-policy.cozystack.io-allow-to-apiserver-true-tier-x","policy.cozystack.io/allow-to-apiserver":"true","tier":"x"}',
      'tenant-a/pods:app=db,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-tier-x","tier":"x"}',
      'tenant-a/pods:app=web,io.cilium.k8s.policy.serviceaccount=sa,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-io.cilium.k8s.policy.serviceaccount-sa-tier-x","io.cilium.k8s.policy.serviceaccount":"sa","tier":"x"}',
      'tenant-a/pods:app=api,cozystack.io/service=etcd,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-etcd-zone-z1","cozystack.io/service":"etcd","zone":"z1"}',
      'tenant-a/pods:app=api,cozystack.io/service=ingress,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-ingress-zone-z1","cozystack.io/service":"ingress","zone":"z1"}',
      'tenant-a/pods:app=api,cozystack.io/service=monitoring,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-monitoring-zone-z1","cozystack.io/service":"monitoring","zone":"z1"}',
      'tenant-a/pods:app=api,policy.cozystack.io/allow-to-apiserver=true,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-policy.cozystack.io-allow-to-apiserver-true-zone-z","policy.cozystack.io/allow-to-apiserver":"true","zone":"z1"}',
      'tenant-a/pods:app=api,tier=x,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-tier-x-zone-z1","tier":"x","zone":"z1"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,cozystack.io/service=etcd tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","cozystack.io/service":"etcd"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,cozystack.io/service=ingress tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","cozystack.io/service":"ingress"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,cozystack.io/service=monitoring tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","cozystack.io/service":"monitoring"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,app=db tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","app":"db","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,app=web,io.cilium.k8s.policy.serviceaccount=sa tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","app":"web","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","io.cilium.k8s.policy.serviceaccount":"sa"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","tier":"x"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,app=api,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","app":"api","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","zone":"z1"}',
      'tenant-a/pods:app=nons,cozystack.io/service=etcd tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-a/pods:app=nons,cozystack.io/service=ingress tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/pods:app=nons,cozystack.io/service=monitoring tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-a/pods:app=nons,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-tier-x","tier":"x"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,app=nons tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","app":"nons","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}',
      'tenant-a/pods:app=nons2,cozystack.io/service=etcd tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-etcd","cozystack.io/service":"etcd"}',
      'tenant-a/pods:app=nons2,cozystack.io/service=ingress tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-ingress","cozystack.io/service":"ingress"}',
      'tenant-a/pods:app=nons2,cozystack.io/service=monitoring tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-monitoring","cozystack.io/service":"monitoring"}',
      'tenant-a/pods:app=nons2,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-policy.cozystack.io-allow-to-apiserver-true","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons2,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-tier-x","tier":"x"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,app=nons2 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","app":"nons2","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}',
      'tenant-a/pods:app=db,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-cozystack.io-service-etcd-policy.cozystack.io-allow","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=etcd,io.cilium.k8s.policy.serviceaccount=sa,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-etcd-io.cilium.k8s.policy.ser","cozystack.io/service":"etcd","io.cilium.k8s.policy.serviceaccount":"sa","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-etcd-policy.cozystack.io-allow-to-api","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true","tier":"x"}',
      'tenant-a/pods:app=api,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-etcd-policy.cozystack.io-allo","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true","zone":"z1"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-etcd-policy.cozystack.io-all","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons2,cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-etcd-policy.cozystack.io-al","cozystack.io/service":"etcd","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=db,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-cozystack.io-service-ingress-policy.cozystack.io-al","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=ingress,io.cilium.k8s.policy.serviceaccount=sa,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-ingress-io.cilium.k8s.policy","cozystack.io/service":"ingress","io.cilium.k8s.policy.serviceaccount":"sa","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-ingress-policy.cozystack.io-allow-to","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","tier":"x"}',
      'tenant-a/pods:app=api,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-ingress-policy.cozystack.io-a","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true","zone":"z1"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-ingress-policy.cozystack.io","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons2,cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-ingress-policy.cozystack.io","cozystack.io/service":"ingress","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=db,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-cozystack.io-service-monitoring-policy.cozystack.io","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=web,cozystack.io/service=monitoring,io.cilium.k8s.policy.serviceaccount=sa,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"web","cozynet.io/probe":"pods-app-web-cozystack.io-service-monitoring-io.cilium.k8s.poli","cozystack.io/service":"monitoring","io.cilium.k8s.policy.serviceaccount":"sa","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"cozynet.io/probe":"pods-cozystack.io-service-monitoring-policy.cozystack.io-allow","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true","tier":"x"}',
      'tenant-a/pods:app=api,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,zone=z1 tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"api","cozynet.io/probe":"pods-app-api-cozystack.io-service-monitoring-policy.cozystack.i","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true","zone":"z1"}',
      'tenant-a/pods:a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb._c","cozynet.io/probe":"pods-a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons","cozynet.io/probe":"pods-app-nons-cozystack.io-service-monitoring-policy.cozystack","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=nons2,cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"nons2","cozynet.io/probe":"pods-app-nons2-cozystack.io-service-monitoring-policy.cozystack","cozystack.io/service":"monitoring","policy.cozystack.io/allow-to-apiserver":"true"}',
      'tenant-a/pods:app=db,cozystack.io/service=etcd,tier=x tenant-selected tenant=tenant-a ns=tenant-a [TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0] {"app":"db","cozynet.io/probe":"pods-app-db-cozystack.io-service-etcd-tier-x","cozystack.io/service":"etcd","tier":"x"}',
    ]);
    // they sit inside their tenant's block of endpoints
    expect(report.sources.slice(5, 8)).toEqual(['tenant-root/pods:role=client', 'tenant-root/pods:app=ccw', 'tenant-root/pods:app=nons']);
    expect(report.summary.endpoints).toBe(148);
    expect(report.warnings).toEqual(['CiliumNetworkPolicy tenant-a/odd ingress[2]: malformed selector null matches nothing']);
  });
});

describe('the intended verdict of every kind of cell', () => {
  test('defaults, nothing enforced: every intended-denied cell is a difference, with why it is denied', () => {
    const report = verifyTenantIsolation(PARENT_CHILD, [], { tenantAuthored: false });
    expect(expectations(report)).toEqual([
      'Gateway API and Ingress are off',
      'only pods labelled policy.cozystack.io/allow-to-apiserver="true" may reach the kube-apiserver',
      'tenant pods do not connect to nodes',
      'tenant pods reach no system pod except cluster DNS and the listed platform services',
      'tenant-a does not accept connections from the world here',
      'tenant-a does not accept other nodes here',
      'tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-root does not accept connections from the world here',
      'tenant-root does not accept other nodes here',
      'tenants reach cluster DNS on port 53 only, not ICMP/type-8',
      'tenants reach cluster DNS on port 53 only, not ICMPv6/type-0',
      'tenants reach cluster DNS on port 53 only, not SCTP/8080',
      'tenants reach cluster DNS on port 53 only, not TCP/8080',
      'tenants reach cluster DNS on port 53 only, not UDP/8080',
    ]);
    // 630 checks: 10 tenant sources x 54 probed destination ports + 9 other sources x 10 tenant endpoints x 3 ports
    expect(report.summary).toEqual({
      tenants: 2,
      endpoints: 24,
      identities: 24,
      policies: 0,
      checks: 3472,
      allowed: 3472,
      differences: 1312,
      differencesListed: 1312,
      matrixIncluded: true,
      undetermined: 0,
      openedByTenantPolicies: 0,
    });
    expect(report.differences.every((d) => !d.intended && d.actual)).toBe(true);
    expect(report.differences.filter((d) => d.source === 'tenant-a/pod' && d.destination === 'host')).toEqual([
      {
        source: 'tenant-a/pod',
        destination: 'host',
        probe: 'TCP/8080',
        intended: false,
        actual: true,
        expectation: 'tenant pods do not connect to nodes',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-a/pod',
        destination: 'host',
        probe: 'UDP/8080',
        intended: false,
        actual: true,
        expectation: 'tenant pods do not connect to nodes',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-a/pod',
        destination: 'host',
        probe: 'SCTP/8080',
        intended: false,
        actual: true,
        expectation: 'tenant pods do not connect to nodes',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-a/pod',
        destination: 'host',
        probe: 'UDP/53',
        intended: false,
        actual: true,
        expectation: 'tenant pods do not connect to nodes',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-a/pod',
        destination: 'host',
        probe: 'TCP/53',
        intended: false,
        actual: true,
        expectation: 'tenant pods do not connect to nodes',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-a/pod',
        destination: 'host',
        probe: 'ICMP/type-8',
        intended: false,
        actual: true,
        expectation: 'tenant pods do not connect to nodes',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
      {
        source: 'tenant-a/pod',
        destination: 'host',
        probe: 'ICMPv6/type-0',
        intended: false,
        actual: true,
        expectation: 'tenant pods do not connect to nodes',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress unrestricted (no ingress policy selects the destination)',
      },
    ]);
    expect(report.tenantAuthored).toEqual({ checked: false, ok: true, policy: expect.stringMatching(/^in each tenant namespace, a CiliumNetworkPolicy selecting every pod/), opened: [] });
    expect(report.warnings).toEqual([
      'Namespace tenant-root is not among the objects; its pods carry no tenant labels',
      'Namespace tenant-a is not among the objects; its pods carry no tenant labels',
    ]);
  });

  test('defaults, every pod closed: every intended-allowed cell is a difference, with why it is allowed', () => {
    const report = verifyTenantIsolation(PARENT_CHILD, [DENY_ALL()], { tenantAuthored: false });
    expect(expectations(report)).toEqual([
      'every tenant pod may reach cluster DNS on port 53',
      'ingress pods accept connections from the world',
      'kube-system may reach every tenant',
      'opted-in pod of tenant-a, which allows the kube-apiserver',
      'opted-in pod of tenant-root, which allows the kube-apiserver',
      'same tenant (tenant-a)',
      'same tenant (tenant-root)',
      'system namespaces may reach every tenant',
      'tenant pods accept the local node (kubelet probes)',
      'tenant-a accepts the kube-apiserver (webhooks, aggregated APIs)',
      'tenant-a allows egress to the world',
      'tenant-root accepts the kube-apiserver (webhooks, aggregated APIs)',
      'tenant-root allows egress to the world',
      'tenant-root is an ancestor of tenant-a',
      'world-facing pods accept load-balancer traffic forwarded by other nodes',
    ]);
    expect(report.summary).toEqual({
      tenants: 2,
      endpoints: 24,
      identities: 24,
      policies: 1,
      checks: 3472,
      allowed: 0,
      differences: 2160,
      differencesListed: 2160,
      matrixIncluded: true,
      undetermined: 0,
      openedByTenantPolicies: 0,
    });
    expect(report.differences.every((d) => d.intended && !d.actual)).toBe(true);
    expect(report.differences.filter((d) => d.source === 'host' && d.destination === 'tenant-a/pod')).toEqual([
      {
        source: 'host',
        destination: 'tenant-a/pod',
        probe: 'TCP/8080',
        intended: true,
        actual: false,
        expectation: 'tenant pods accept the local node (kubelet probes)',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy deny)',
      },
      {
        source: 'host',
        destination: 'tenant-a/pod',
        probe: 'UDP/8080',
        intended: true,
        actual: false,
        expectation: 'tenant pods accept the local node (kubelet probes)',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy deny)',
      },
      {
        source: 'host',
        destination: 'tenant-a/pod',
        probe: 'SCTP/8080',
        intended: true,
        actual: false,
        expectation: 'tenant pods accept the local node (kubelet probes)',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy deny)',
      },
      {
        source: 'host',
        destination: 'tenant-a/pod',
        probe: 'UDP/53',
        intended: true,
        actual: false,
        expectation: 'tenant pods accept the local node (kubelet probes)',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy deny)',
      },
      {
        source: 'host',
        destination: 'tenant-a/pod',
        probe: 'TCP/53',
        intended: true,
        actual: false,
        expectation: 'tenant pods accept the local node (kubelet probes)',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy deny)',
      },
      {
        source: 'host',
        destination: 'tenant-a/pod',
        probe: 'ICMP/type-8',
        intended: true,
        actual: false,
        expectation: 'tenant pods accept the local node (kubelet probes)',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy deny)',
      },
      {
        source: 'host',
        destination: 'tenant-a/pod',
        probe: 'ICMPv6/type-0',
        intended: true,
        actual: false,
        expectation: 'tenant pods accept the local node (kubelet probes)',
        explanation: 'egress unrestricted (no egress policy selects the source); ingress default-deny (destination selected by CiliumClusterwideNetworkPolicy deny)',
      },
    ]);
  });

  test('options, exposures and platform services, nothing enforced: why each denied cell is denied', () => {
    const report = verifyTenantIsolation(RICH, [], { tenantAuthored: false, maxDifferences: 1_000_000 });
    expect(expectations(report)).toEqual([
      'cozy-dash is neither kube-system nor a system namespace',
      'only pods labelled policy.cozystack.io/allow-to-apiserver="true" may reach the kube-apiserver',
      'platform-idp is neither kube-system nor a system namespace',
      'tenant pods do not accept the local node (allowFromHost is off)',
      'tenant pods do not connect to nodes',
      'tenant pods reach no system pod except cluster DNS and the listed platform services',
      'tenant-a does not accept connections from the world here',
      'tenant-a does not accept other nodes here',
      'tenant-a does not accept the kube-apiserver',
      'tenant-a does not allow egress to the world',
      'tenant-a is a descendant of tenant-root, which does not share this endpoint',
      'tenant-a-x does not accept the kube-apiserver',
      'tenant-a-x does not allow egress to the world',
      'tenant-a-x is a descendant of tenant-a, which does not share this endpoint',
      'tenant-a-x is a descendant of tenant-root, which does not share this endpoint',
      'tenant-b and tenant-a are unrelated tenants (neither is an ancestor of the other)',
      'tenant-b and tenant-a-x are unrelated tenants (neither is an ancestor of the other)',
      'tenant-b does not accept connections from the world here',
      'tenant-b does not accept other nodes here',
      'tenant-b does not allow the kube-apiserver',
      'tenant-b is a descendant of tenant-root, which does not share this endpoint',
      'tenant-root does not accept connections from the world here',
      'tenant-root does not accept other nodes here',
      'tenants reach cluster DNS on port 53 only, not ICMP/type-0',
      'tenants reach cluster DNS on port 53 only, not ICMP/type-8',
      'tenants reach cluster DNS on port 53 only, not ICMPv6/type-0',
      'tenants reach cluster DNS on port 53 only, not ICMPv6/type-128',
      'tenants reach cluster DNS on port 53 only, not SCTP/8080',
      'tenants reach cluster DNS on port 53 only, not TCP/443',
      'tenants reach cluster DNS on port 53 only, not TCP/80',
      'tenants reach cluster DNS on port 53 only, not TCP/8080',
      'tenants reach cluster DNS on port 53 only, not TCP/8443',
      'tenants reach cluster DNS on port 53 only, not UDP/8080',
      'tenants reach cluster DNS on port 53 only, not UDP/9000',
      'tenants reach the platform service dash on its listed ports only',
    ]);
    expect(report.summary).toEqual({
      tenants: 4,
      endpoints: 67,
      identities: 67,
      policies: 0,
      checks: 56316,
      allowed: 56316,
      differences: 20005,
      differencesListed: 20005,
      matrixIncluded: true,
      undetermined: 0,
      openedByTenantPolicies: 0,
    });
    // an exposure with ports admits its peers on those ports only: ICMP of expose:web stays closed
    expect(report.differences.filter((d) => d.source === 'world' && d.destination === 'tenant-a/expose:web').map((d) => `${d.probe}: ${d.expectation}`)).toEqual([
      'TCP/8080: tenant-a does not accept connections from the world here',
      'UDP/8080: tenant-a does not accept connections from the world here',
      'SCTP/8080: tenant-a does not accept connections from the world here',
      'UDP/53: tenant-a does not accept connections from the world here',
      'TCP/53: tenant-a does not accept connections from the world here',
      'TCP/443: tenant-a does not accept connections from the world here',
      'ICMP/type-8: tenant-a does not accept connections from the world here',
      'TCP/8443: tenant-a does not accept connections from the world here',
      'UDP/9000: tenant-a does not accept connections from the world here',
      'ICMPv6/type-128: tenant-a does not accept connections from the world here',
      'ICMP/type-0: tenant-a does not accept connections from the world here',
      'ICMPv6/type-0: tenant-a does not accept connections from the world here',
    ]);
    // a peer with a selector: only its pods
    expect(report.differences.filter((d) => d.source === 'tenant-b/pod' && d.destination === 'tenant-a/expose:api').map((d) => d.probe))
      .toEqual([
        'TCP/8080',
        'UDP/8080',
        'SCTP/8080',
        'UDP/53',
        'TCP/53',
        'TCP/443',
        'ICMP/type-8',
        'TCP/8443',
        'UDP/9000',
        'ICMPv6/type-128',
        'TCP/80',
        'ICMP/type-0',
        'ICMPv6/type-0',
      ]); // probes in the order they were found
    expect(report.differences.filter((d) => d.source === 'tenant-b/from:tenant-a/api' && d.destination === 'tenant-a/expose:api').map((d) => d.probe))
      .toEqual(['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'TCP/443', 'TCP/80', 'ICMP/type-0', 'ICMPv6/type-0']);
  });

  test('options, exposures and platform services, every pod closed: why each allowed cell is allowed', () => {
    const report = verifyTenantIsolation(RICH, [DENY_ALL()], { tenantAuthored: false, maxDifferences: 1_000_000 });
    expect(expectations(report)).toEqual([
      'every tenant pod may reach cluster DNS on port 53',
      'every tenant pod may reach the platform service dash',
      'every tenant pod may reach the platform service idp',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on ICMP/type-0',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on ICMP/type-8',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on ICMPv6/type-0',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on ICMPv6/type-128',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on SCTP/8080',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/443',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/53',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/80',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/8080',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on TCP/8443',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on UDP/53',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on UDP/8080',
      'exposure all of tenant-b admits tenant-a and its sub-tenants on UDP/9000',
      'exposure api of tenant-a admits tenant-b on ICMP/type-8',
      'exposure api of tenant-a admits tenant-b on ICMPv6/type-128',
      'exposure api of tenant-a admits tenant-b on TCP/8443',
      'exposure api of tenant-a admits tenant-b on UDP/9000',
      'exposure api of tenant-a admits the world on ICMP/type-8',
      'exposure api of tenant-a admits the world on ICMPv6/type-128',
      'exposure api of tenant-a admits the world on TCP/8443',
      'exposure api of tenant-a admits the world on UDP/9000',
      'exposure web of tenant-a admits the world on TCP/80',
      'ingress pods accept connections from the world',
      'kube-system may reach every tenant',
      'opted-in pod of tenant-a, which allows the kube-apiserver',
      'opted-in pod of tenant-a-x, which allows the kube-apiserver',
      'opted-in pod of tenant-root, which allows the kube-apiserver',
      'same tenant (tenant-a)',
      'same tenant (tenant-a-x)',
      'same tenant (tenant-b)',
      'same tenant (tenant-root)',
      'system namespaces may reach every tenant',
      'tenant pods accept Cilium\'s Envoy (Gateway API / Ingress backends)',
      'tenant-a is an ancestor of tenant-a-x',
      'tenant-a shares its etcd service with its subtree, which contains tenant-a-x',
      'tenant-a shares its ingress service with its subtree, which contains tenant-a-x',
      'tenant-a shares its monitoring service with its subtree, which contains tenant-a-x',
      'tenant-a-x accepts connections from the world',
      'tenant-a-x accepts other nodes',
      'tenant-b accepts the kube-apiserver (webhooks, aggregated APIs)',
      'tenant-b allows egress to the world',
      'tenant-root accepts the kube-apiserver (webhooks, aggregated APIs)',
      'tenant-root allows egress to the world',
      'tenant-root is an ancestor of tenant-a',
      'tenant-root is an ancestor of tenant-a-x',
      'tenant-root is an ancestor of tenant-b',
      'tenant-root shares its etcd service with its subtree, which contains tenant-a',
      'tenant-root shares its etcd service with its subtree, which contains tenant-a-x',
      'tenant-root shares its etcd service with its subtree, which contains tenant-b',
      'world-facing pods accept load-balancer traffic forwarded by other nodes',
    ]);
    expect(report.summary).toEqual({
      tenants: 4,
      endpoints: 67,
      identities: 67,
      policies: 1,
      checks: 56316,
      allowed: 0,
      differences: 36311,
      differencesListed: 36311,
      matrixIncluded: true,
      undetermined: 0,
      openedByTenantPolicies: 0,
    });
    // exposures admit their peers on their ports (ICMP only when allowed), subtree peers include sub-tenants
    const probes = (src: string, dst: string) => report.differences.filter((d) => d.source === src && d.destination === dst).map((d) => d.probe);
    expect(probes('world', 'tenant-a/expose:api')).toEqual(['ICMP/type-8', 'TCP/8443', 'UDP/9000', 'ICMPv6/type-128']);
    expect(probes('tenant-b/from:tenant-a/api', 'tenant-a/expose:api')).toEqual(['ICMP/type-8', 'TCP/8443', 'UDP/9000', 'ICMPv6/type-128']);
    expect(probes('tenant-b/pod', 'tenant-a/expose:api')).toEqual([]);
    expect(probes('world', 'tenant-a/expose:web')).toEqual(['TCP/80']);
    expect(probes('tenant-a-x/pod', 'tenant-b/expose:all')).toEqual(['TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'TCP/443', 'ICMP/type-8', 'TCP/8443', 'UDP/9000', 'ICMPv6/type-128', 'TCP/80', 'ICMP/type-0', 'ICMPv6/type-0']);
    expect(probes('tenant-root/pod', 'tenant-b/expose:all')).toEqual([
      'TCP/8080',
      'UDP/8080',
      'SCTP/8080',
      'UDP/53',
      'TCP/53',
      'TCP/443',
      'ICMP/type-8',
      'TCP/8443',
      'UDP/9000',
      'ICMPv6/type-128',
      'TCP/80',
      'ICMP/type-0',
      'ICMPv6/type-0',
    ]); // an ancestor reaches every port
    // the platform service with ports: the listed port only
    expect(report.differences.filter((d) => d.source === 'tenant-b/pod' && d.destination === 'cozy-dash/svc:dash').map((d) => d.probe)).toEqual(['TCP/443']);
    expect(report.differences.filter((d) => d.source === 'tenant-b/pod' && d.destination === 'platform-idp/svc:idp').map((d) => d.probe)).toEqual([
      'TCP/8080', 'UDP/8080', 'SCTP/8080', 'UDP/53', 'TCP/53', 'TCP/443', 'ICMP/type-8', 'TCP/8443', 'UDP/9000', 'ICMPv6/type-128', 'TCP/80', 'ICMP/type-0', 'ICMPv6/type-0',
    ]); // a platform service without ports: every port
  });
});
