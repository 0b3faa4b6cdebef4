import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { formatVerifyReport, verifyTenantIsolation } from '../../../src/verify';

// The whole text a user reads from `cozynet verify`, on small trees. Each
// expected text was checked by hand against the intended reachability
// (facts §9: same tenant and ancestor -> descendant allowed, descendant ->
// ancestor only to shared services, siblings apart, DNS on port 53 only, the
// world only into world-facing services, the kube-apiserver only for
// opted-in pods). Reports are built inside each test (mutation testing).

const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const nsLabel = (ns: string) => ({ [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' });

/** tenant-root (sharing nothing) with one child tenant-a: 18 endpoints. */
const PARENT_CHILD: TenantIsolationProps = { tenants: [{ name: 'root', sharedServices: [], children: [{ name: 'a' }] }] };
/** tenant-root with two unrelated children: 23 endpoints. */
const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
/** A leak: every entity and pod may connect into tenant-a. */
const allIntoA = () => CCNP('all-in', { endpointSelector: { matchLabels: nsLabel('tenant-a') }, ingress: [{ fromEntities: ['all'] }] });
/** Half a path from tenant-a into tenant-b, written by tenant-b: tenant-a alone can complete it. */
const fromAIntoB = () => CNP('tenant-b', 'from-a', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }] }] });

describe('formatVerifyReport text: matrix', () => {
  test('an OK report: summary, tenant-authored line, legend, numbered destinations with their probes, the matrix, the OK line', () => {
    const text = formatVerifyReport(verifyTenantIsolation(PARENT_CHILD), 'text');
    expect(text).toBe([
      'Tenant isolation: OK (2 tenants, 24 endpoints, 24 identities, 5 policies; 3472 checks, 2160 allowed, 0 differences from the intended reachability)',
      'Tenant-authored policies: OK (the widest policy each of the 2 tenants can write in its own namespace opens no path to or from another tenant)',
      '',
      'Reachability (rows: source, columns: destination):',
      '  ✓ allowed on every probed port   · denied   ◐ allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)   ! differs from the intended reachability   ? cannot be decided offline (rules the model cannot judge; see Undetermined)   (blank) not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)',
      '',
      'Probes (every destination, one per class of protocol and port that the policies and the intention distinguish; 7 probes):',
      '  TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0',
      '',
      'Destinations:',
      '   1  tenant-root/pod',
      '   2  tenant-root/svc:etcd',
      '   3  tenant-root/svc:ingress',
      '   4  tenant-root/svc:monitoring',
      '   5  tenant-root/api-client',
      '   6  tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '   7  tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '   8  tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '   9  tenant-a/pod',
      '  10  tenant-a/svc:etcd',
      '  11  tenant-a/svc:ingress',
      '  12  tenant-a/svc:monitoring',
      '  13  tenant-a/api-client',
      '  14  tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  15  tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  16  tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  17  kube-system/kube-dns',
      '  18  kube-system/pod',
      '  19  cozy-system/pod',
      '  20  world',
      '  21  kube-apiserver',
      '  22  host',
      '  23  remote-node',
      '  24  ingress                                                                                       (not a destination)',
      '',
      '                                                                                                1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24',
      '  tenant-root/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/svc:etcd                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/svc:ingress                                                                       ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/svc:monitoring                                                                    ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/api-client                                                                        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pod                                                                                  ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/svc:etcd                                                                             ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/svc:ingress                                                                          ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/svc:monitoring                                                                       ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/api-client                                                                           ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true           ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true        ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true     ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  kube-system/kube-dns                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  kube-system/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  cozy-system/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  world                                                                                         ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                        ',
      '  kube-apiserver                                                                                ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  host                                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  remote-node                                                                                   ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                        ',
      '  ingress                                                                                       ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·                        ',
      '',
      'OK: the policies give exactly the intended reachability (3472 checks), and no tenant can open another with policies of its own.',
      '',
    ].join('\n'));
  });

  test('a leak: the matrix marks the differing cells, differences are grouped by probe, the rest is counted', () => {
    const report = verifyTenantIsolation(PARENT_CHILD, [...TenantIsolation.manifests(PARENT_CHILD), allIntoA()]);
    expect(formatVerifyReport(report, 'text', { maxDifferences: 2 })).toBe([
      'Tenant isolation: VIOLATED (2 tenants, 24 endpoints, 24 identities, 6 policies; 3472 checks, 2300 allowed, 140 differences from the intended reachability)',
      'Tenant-authored policies: OK (the widest policy each of the 2 tenants can write in its own namespace opens no path to or from another tenant)',
      '',
      'Reachability (rows: source, columns: destination):',
      '  ✓ allowed on every probed port   · denied   ◐ allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)   ! differs from the intended reachability   ? cannot be decided offline (rules the model cannot judge; see Undetermined)   (blank) not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)',
      '',
      'Probes (every destination, one per class of protocol and port that the policies and the intention distinguish; 7 probes):',
      '  TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0',
      '',
      'Destinations:',
      '   1  tenant-root/pod',
      '   2  tenant-root/svc:etcd',
      '   3  tenant-root/svc:ingress',
      '   4  tenant-root/svc:monitoring',
      '   5  tenant-root/api-client',
      '   6  tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '   7  tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '   8  tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '   9  tenant-a/pod',
      '  10  tenant-a/svc:etcd',
      '  11  tenant-a/svc:ingress',
      '  12  tenant-a/svc:monitoring',
      '  13  tenant-a/api-client',
      '  14  tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  15  tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  16  tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  17  kube-system/kube-dns',
      '  18  kube-system/pod',
      '  19  cozy-system/pod',
      '  20  world',
      '  21  kube-apiserver',
      '  22  host',
      '  23  remote-node',
      '  24  ingress                                                                                       (not a destination)',
      '',
      '                                                                                                1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24',
      '  tenant-root/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/svc:etcd                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/svc:ingress                                                                       ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/svc:monitoring                                                                    ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-root/api-client                                                                        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pod                                                                                  ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/svc:etcd                                                                             ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/svc:ingress                                                                          ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/svc:monitoring                                                                       ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ·  ·  ·   ',
      '  tenant-a/api-client                                                                           ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true           ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true        ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true     ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ✓  ✓  ·  ·   ',
      '  kube-system/kube-dns                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  kube-system/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  cozy-system/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  world                                                                                         ·  ·  ✓  ·  ·  ·  ✓  ·  !  !  ✓  !  !  !  ✓  !                        ',
      '  kube-apiserver                                                                                ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  host                                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  remote-node                                                                                   ·  ·  ✓  ·  ·  ·  ✓  ·  !  !  ✓  !  !  !  ✓  !                        ',
      '  ingress                                                                                       ·  ·  ·  ·  ·  ·  ·  ·  !  !  !  !  !  !  !  !                        ',
      '',
      'Differences (intended vs actual):',
      '  ! world -> tenant-a/pod TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied, actual allowed',
      '      intended because: tenant-a does not accept connections from the world here',
      '      actual because:   egress unrestricted (no egress policy selects the source); ingress allowed by CiliumClusterwideNetworkPolicy all-in ingress[0]',
      '  ! world -> tenant-a/svc:etcd TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied, actual allowed',
      '      intended because: tenant-a does not accept connections from the world here',
      '      actual because:   egress unrestricted (no egress policy selects the source); ingress allowed by CiliumClusterwideNetworkPolicy all-in ingress[0]',
      '  ... and 126 more differences (see --format json)',
      '',
      'VIOLATED: 140 of 3472 checks differ from the intended reachability.',
      '',
    ].join('\n'));
  });

  test('undetermined cells inside one subtree: ? in the matrix, listed with the rule; isolation between tenants still holds', () => {
    const tree: TenantIsolationProps = { tenants: [{ name: 'root', sharedServices: [], allowWorldEgress: false, children: [{ name: 'a' }] }] };
    const report = verifyTenantIsolation(tree, [...TenantIsolation.manifests(tree),
      CCNP('fqdn', { endpointSelector: { matchLabels: nsLabel('tenant-root') }, egress: [{ toFQDNs: [{ matchName: 'api.example.com' }] }] })]);
    const all = formatVerifyReport(report, 'text').split('\n');
    expect(all.filter((l) => l.startsWith('  ? '))).toEqual([
      '  ? tenant-root/pod -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-root/svc:etcd -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-root/svc:ingress -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-root/svc:monitoring -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-root/api-client -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/pod -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/svc:etcd -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/svc:ingress -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/svc:monitoring -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/api-client -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '  ? tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
    ]);
    expect(all.some((l) => l.startsWith('  ... and'))).toBe(false); // all 10 shown
    const text = formatVerifyReport(report, 'text', { maxDifferences: 1 });
    // The last line does not claim exactness: 10 cells are undetermined.
    expect(text.split('\n').slice(-2)).toEqual([
      'OK: the policies give the intended reachability on every decided cell (3472 checks; 112 cells inside single tenant subtrees cannot be decided offline, see Undetermined), and no tenant can open another with policies of its own.',
      '',
    ]);
    expect(text.split('\n').slice(0, -2)).toEqual([
      'Tenant isolation: OK (2 tenants, 24 endpoints, 24 identities, 6 policies; 3472 checks, 2160 allowed, 0 differences from the intended reachability, 112 undetermined)',
      'Tenant-authored policies: OK (the widest policy each of the 2 tenants can write in its own namespace opens no path to or from another tenant)',
      '',
      'Reachability (rows: source, columns: destination):',
      '  ✓ allowed on every probed port   · denied   ◐ allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)   ! differs from the intended reachability   ? cannot be decided offline (rules the model cannot judge; see Undetermined)   (blank) not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)',
      '',
      'Probes (every destination, one per class of protocol and port that the policies and the intention distinguish; 7 probes):',
      '  TCP/8080 UDP/8080 SCTP/8080 UDP/53 TCP/53 ICMP/type-8 ICMPv6/type-0',
      '',
      'Destinations:',
      '   1  tenant-root/pod',
      '   2  tenant-root/svc:etcd',
      '   3  tenant-root/svc:ingress',
      '   4  tenant-root/svc:monitoring',
      '   5  tenant-root/api-client',
      '   6  tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '   7  tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '   8  tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '   9  tenant-a/pod',
      '  10  tenant-a/svc:etcd',
      '  11  tenant-a/svc:ingress',
      '  12  tenant-a/svc:monitoring',
      '  13  tenant-a/api-client',
      '  14  tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  15  tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  16  tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  17  kube-system/kube-dns',
      '  18  kube-system/pod',
      '  19  cozy-system/pod',
      '  20  world',
      '  21  kube-apiserver',
      '  22  host',
      '  23  remote-node',
      '  24  ingress                                                                                       (not a destination)',
      '',
      '                                                                                                1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24',
      '  tenant-root/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-root/svc:etcd                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-root/svc:ingress                                                                       ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-root/svc:monitoring                                                                    ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-root/api-client                                                                        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  tenant-root/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  tenant-a/pod                                                                                  ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-a/svc:etcd                                                                             ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-a/svc:ingress                                                                          ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-a/svc:monitoring                                                                       ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ·  ·  ·   ',
      '  tenant-a/api-client                                                                           ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true           ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true        ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  tenant-a/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true     ·  ·  ·  ·  ·  ·  ·  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ◐  ·  ·  ?  ✓  ·  ·   ',
      '  kube-system/kube-dns                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  kube-system/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  cozy-system/pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  world                                                                                         ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                        ',
      '  kube-apiserver                                                                                ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  host                                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                        ',
      '  remote-node                                                                                   ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                        ',
      '  ingress                                                                                       ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·                        ',
      '',
      'Undetermined (rules the model cannot judge; never counted as allowed or denied):',
      '  ? tenant-root/pod -> world TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended denied',
      '      egress allowed by CiliumClusterwideNetworkPolicy fqdn egress[0]; ingress unrestricted (no ingress policy selects the destination); cannot be judged offline: CiliumClusterwideNetworkPolicy fqdn egress[0]: toFQDNs ["api.example.com"] (which addresses a name resolves to is not known offline)',
      '  ... and 105 more undetermined cell(s) (see --format json)',
      '',
      'Rules the model cannot judge:',
      '  - CiliumClusterwideNetworkPolicy fqdn egress[0]: toFQDNs ["api.example.com"] (which addresses a name resolves to is not known offline)',
      '',
    ]);
  });

  test('without the tenant-authored check, grouped by kind and relation when wider than maxColumns', () => {
    const report = verifyTenantIsolation(PARENT_CHILD, undefined, { tenantAuthored: false });
    expect(formatVerifyReport(report, 'text', { maxColumns: 17 })).toBe([
      'Tenant isolation: OK (2 tenants, 24 endpoints, 24 identities, 5 policies; 3472 checks, 2160 allowed, 0 differences from the intended reachability)',
      '',
      'Reachability, grouped (24 x 24 cells; rows: kind of source, columns: kind of destination and how its tenant relates to the source\'s):',
      '  ✓ allowed on every probed port   · denied   ◐ allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)   ! differs from the intended reachability   ? cannot be decided offline (rules the model cannot judge; see Undetermined)   (blank) not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)   (a group whose cells differ shows ◐)',
      '',
      'Destinations:',
      '   1  same tenant: pod',
      '   2  same tenant: svc:etcd',
      '   3  same tenant: svc:ingress',
      '   4  same tenant: svc:monitoring',
      '   5  same tenant: api-client',
      '   6  same tenant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '   7  same tenant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '   8  same tenant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '   9  a descendant: pod',
      '  10  a descendant: svc:etcd',
      '  11  a descendant: svc:ingress',
      '  12  a descendant: svc:monitoring',
      '  13  a descendant: api-client',
      '  14  a descendant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  15  a descendant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  16  a descendant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  17  an ancestor: pod',
      '  18  an ancestor: svc:etcd',
      '  19  an ancestor: svc:ingress',
      '  20  an ancestor: svc:monitoring',
      '  21  an ancestor: api-client',
      '  22  an ancestor: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  23  an ancestor: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  24  an ancestor: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  25  an unrelated tenant: pod',
      '  26  an unrelated tenant: svc:etcd',
      '  27  an unrelated tenant: svc:ingress',
      '  28  an unrelated tenant: svc:monitoring',
      '  29  an unrelated tenant: api-client',
      '  30  an unrelated tenant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  31  an unrelated tenant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  32  an unrelated tenant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  33  kube-system/kube-dns',
      '  34  kube-system/pod',
      '  35  cozy-system/pod',
      '  36  world',
      '  37  kube-apiserver',
      '  38  host',
      '  39  remote-node',
      '',
      '                                                                                           1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39',
      '  tenant pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:etcd                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:ingress                                                                       ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:monitoring                                                                    ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant api-client                                                                        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·                          ◐  ·  ·  ✓  ✓  ·  ·',
      '  kube-system/kube-dns                                                                     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  kube-system/pod                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  cozy-system/pod                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  world                                                                                    ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                     ',
      '  kube-apiserver                                                                           ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  host                                                                                     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  remote-node                                                                              ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                     ',
      '  ingress                                                                                  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·                     ',
      '',
      'OK: the policies give exactly the intended reachability (3472 checks).',
      '',
    ].join('\n'));
  });
});

describe('formatVerifyReport text: without the matrix', () => {
  test('the matrix left out of the report (maxMatrixCells) and differences capped by the report (maxDifferences)', () => {
    const report = verifyTenantIsolation(PARENT_CHILD, [...TenantIsolation.manifests(PARENT_CHILD), allIntoA()],
      { maxMatrixCells: 323, maxDifferences: 1 });
    expect(formatVerifyReport(report, 'text')).toBe([
      'Tenant isolation: VIOLATED (2 tenants, 24 endpoints, 24 identities, 6 policies; 3472 checks, 2300 allowed, 140 differences from the intended reachability)',
      'Tenant-authored policies: OK (the widest policy each of the 2 tenants can write in its own namespace opens no path to or from another tenant)',
      '',
      '(matrix of 24 x 24 cells not included; differences and summary are complete)',
      '',
      'Differences (intended vs actual):',
      '  ! world -> tenant-a/pod TCP/8080: intended denied, actual allowed',
      '      intended because: tenant-a does not accept connections from the world here',
      '      actual because:   egress unrestricted (no egress policy selects the source); ingress allowed by CiliumClusterwideNetworkPolicy all-in ingress[0]',
      '  ... and 139 more differences (not all listed in the report)',
      '',
      'VIOLATED: 140 of 3472 checks differ from the intended reachability.',
      '',
    ].join('\n'));
  });

  test('a tenant-authored breach: the opened cells grouped by probe, with who opened them and which rule completes the path', () => {
    const report = verifyTenantIsolation(SIBLINGS, [...TenantIsolation.manifests(SIBLINGS), fromAIntoB()], { maxMatrixCells: 0 });
    expect(formatVerifyReport(report, 'text', { maxDifferences: 2 })).toBe([
      'Tenant isolation: VIOLATED (3 tenants, 32 endpoints, 32 identities, 8 policies; 6552 checks, 4136 allowed, 0 differences from the intended reachability; but a tenant alone can open 448 cells to or from another tenant)',
      'Tenant-authored policies: BREACHED (a tenant alone can open 448 cells to or from another tenant with a policy in its own namespace)',
      '',
      '(matrix of 32 x 32 cells not included; differences and summary are complete)',
      '',
      'Opened by a tenant-authored policy (the receiving or sending side must refuse on its own):',
      '  ! tenant-a/pod -> tenant-b/pod TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: tenant-a alone opened it with an egress policy in its own namespace; the receiver must refuse',
      '      because: egress allowed by the widest tenant policy (egress); ingress allowed by CiliumNetworkPolicy tenant-b/from-a ingress[0]',
      '  ! tenant-a/pod -> tenant-b/svc:etcd TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: tenant-a alone opened it with an egress policy in its own namespace; the receiver must refuse',
      '      because: egress allowed by the widest tenant policy (egress); ingress allowed by CiliumNetworkPolicy tenant-b/from-a ingress[0]',
      '  ... and 434 more (see --format json)',
      '',
      'VIOLATED: a tenant alone can open 448 cells to or from another tenant.',
      '',
    ].join('\n'));
  });

  test('a tenant-authored breach of one cell: no "and more" line', () => {
    // `cozynet.io/probe: pod` is the label of the representative tenant pod.
    const report = verifyTenantIsolation(SIBLINGS, [...TenantIsolation.manifests(SIBLINGS),
      CNP('tenant-b', 'from-a-pod', {
        endpointSelector: { matchLabels: { 'cozynet.io/probe': 'pod' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { ...nsLabel('tenant-a'), 'cozynet.io/probe': 'pod' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
      })], { maxMatrixCells: 0 });
    expect(formatVerifyReport(report, 'text')).toBe([
      'Tenant isolation: VIOLATED (3 tenants, 32 endpoints, 32 identities, 8 policies; 7488 checks, 4720 allowed, 0 differences from the intended reachability; but a tenant alone can open 1 cell to or from another tenant)',
      'Tenant-authored policies: BREACHED (a tenant alone can open 1 cell to or from another tenant with a policy in its own namespace)',
      '',
      '(matrix of 32 x 32 cells not included; differences and summary are complete)',
      '',
      'Opened by a tenant-authored policy (the receiving or sending side must refuse on its own):',
      '  ! tenant-a/pod -> tenant-b/pod TCP/8080: tenant-a alone opened it with an egress policy in its own namespace; the receiver must refuse',
      '      because: egress allowed by the widest tenant policy (egress); ingress allowed by CiliumNetworkPolicy tenant-b/from-a-pod ingress[0]',
      '',
      'VIOLATED: a tenant alone can open 1 cell to or from another tenant.',
      '',
    ].join('\n'));
  });

  test('differences and a breach together: both reasons on the last line; maxDifferences 0 prints only the counts', () => {
    const report = verifyTenantIsolation(SIBLINGS, [...TenantIsolation.manifests(SIBLINGS), allIntoA(), fromAIntoB()], { maxMatrixCells: 0 });
    expect(formatVerifyReport(report, 'text', { maxDifferences: 0 })).toBe([
      'Tenant isolation: VIOLATED (3 tenants, 32 endpoints, 32 identities, 9 policies; 6552 checks, 4276 allowed, 140 differences from the intended reachability)',
      'Tenant-authored policies: BREACHED (a tenant alone can open 896 cells to or from another tenant with a policy in its own namespace)',
      '',
      '(matrix of 32 x 32 cells not included; differences and summary are complete)',
      '',
      'Differences (intended vs actual):',
      '  ... and 140 more differences (see --format json)',
      '',
      'Opened by a tenant-authored policy (the receiving or sending side must refuse on its own):',
      '  ... and 896 more (see --format json)',
      '',
      'VIOLATED: 140 of 6552 checks differ from the intended reachability; a tenant alone can open 896 cells to or from another tenant.',
      '',
    ].join('\n'));
  });

  test('undetermined cells between tenants: listed with the rule the model cannot judge, and the report is VIOLATED for them alone', () => {
    const report = verifyTenantIsolation(SIBLINGS, [...TenantIsolation.manifests(SIBLINGS),
      CNP('tenant-a', 'to-b', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-b') }] }] }),
      CNP('tenant-b', 'from-a', {
        endpointSelector: {},
        ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
      })], { maxMatrixCells: 0, tenantAuthored: false });
    expect(formatVerifyReport(report, 'text', { maxDifferences: 2 })).toBe([
      'Tenant isolation: VIOLATED (3 tenants, 32 endpoints, 32 identities, 9 policies; 7488 checks, 4784 allowed, 0 differences from the intended reachability, 64 undetermined; but cells between tenants cannot be decided offline)',
      '',
      '(matrix of 32 x 32 cells not included; differences and summary are complete)',
      '',
      'Undetermined (rules the model cannot judge; never counted as allowed or denied):',
      '  ? tenant-a/pod -> tenant-b/pod TCP/8080: intended denied',
      '      egress allowed by CiliumNetworkPolicy tenant-a/to-b egress[0]; ingress allowed by CiliumNetworkPolicy tenant-b/from-a ingress[0]; cannot be judged offline: CiliumNetworkPolicy tenant-b/from-a ingress[0]: L7 rules (http) filter requests on the port (not modelled)',
      '  ? tenant-a/pod -> tenant-b/svc:etcd TCP/8080: intended denied',
      '      egress allowed by CiliumNetworkPolicy tenant-a/to-b egress[0]; ingress allowed by CiliumNetworkPolicy tenant-b/from-a ingress[0]; cannot be judged offline: CiliumNetworkPolicy tenant-b/from-a ingress[0]: L7 rules (http) filter requests on the port (not modelled)',
      '  ... and 62 more undetermined cell(s) (see --format json)',
      '',
      'Rules the model cannot judge:',
      '  - CiliumNetworkPolicy tenant-b/from-a ingress[0]: L7 rules (http) filter requests on the port (not modelled)',
      '',
      'VIOLATED: cells between tenants cannot be decided offline (see Undetermined).',
      '',
    ].join('\n'));
  });

  test('warnings: a missing tenant namespace', () => {
    const report = verifyTenantIsolation(PARENT_CHILD,
      TenantIsolation.manifests(PARENT_CHILD).filter((o) => !(o.kind === 'Namespace' && o.metadata.name === 'tenant-a')), { maxMatrixCells: 0 });
    expect(formatVerifyReport(report, 'text', { maxDifferences: 3 })).toBe([
      'Tenant isolation: VIOLATED (2 tenants, 24 endpoints, 24 identities, 5 policies; 3472 checks, 996 allowed, 1164 differences from the intended reachability)',
      'Tenant-authored policies: OK (the widest policy each of the 2 tenants can write in its own namespace opens no path to or from another tenant)',
      '',
      '(matrix of 24 x 24 cells not included; differences and summary are complete)',
      '',
      'Differences (intended vs actual):',
      '  ! tenant-root/pod -> tenant-a/pod TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended allowed, actual denied',
      '      intended because: tenant-root is an ancestor of tenant-a',
      '      actual because:   egress default-deny (source selected by CiliumClusterwideNetworkPolicy cozynet-tenant-baseline specs[0]); ingress default-deny (destination selected by CiliumNetworkPolicy tenant-a/cozynet-tenant specs[3])',
      '  ! tenant-root/pod -> tenant-a/svc:etcd TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended allowed, actual denied',
      '      intended because: tenant-root is an ancestor of tenant-a',
      '      actual because:   egress default-deny (source selected by CiliumClusterwideNetworkPolicy cozynet-tenant-baseline specs[0]); ingress default-deny (destination selected by CiliumNetworkPolicy tenant-a/cozynet-tenant specs[1])',
      '  ! tenant-root/pod -> tenant-a/svc:ingress TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended allowed, actual denied',
      '      intended because: tenant-root is an ancestor of tenant-a',
      '      actual because:   egress default-deny (source selected by CiliumClusterwideNetworkPolicy cozynet-tenant-baseline specs[0]); ingress default-deny (destination selected by CiliumNetworkPolicy tenant-a/cozynet-tenant specs[1])',
      '  ... and 1143 more differences (see --format json)',
      '',
      'Warnings:',
      '  - Namespace tenant-a is not among the objects; its pods carry no tenant labels',
      '',
      'VIOLATED: 1164 of 3472 checks differ from the intended reachability.',
      '',
    ].join('\n'));
  });
});

describe('formatVerifyReport text: grouped view of mixed groups', () => {
  test('a group whose cells differ shows ◐, a group with an undetermined cell ?, with a difference !', () => {
    // tenant-a shares etcd with tenant-a-x, tenant-root shares nothing: "an ancestor: svc:etcd" is mixed.
    // tenant-b admits tenant-a to its etcd pods behind an L7 rule: "an unrelated tenant: svc:etcd" is undetermined.
    // The world reaches tenant-a-x's monitoring pods: a difference (entities fill every relation column).
    const tree: TenantIsolationProps = {
      tenants: [{ name: 'root', sharedServices: [], children: [{ name: 'a', sharedServices: ['etcd'], children: [{ name: 'x' }] }, { name: 'b' }] }],
    };
    const report = verifyTenantIsolation(tree, [...TenantIsolation.manifests(tree),
      CCNP('world-in', { endpointSelector: { matchLabels: { ...nsLabel('tenant-a-x'), 'cozystack.io/service': 'monitoring' } }, ingress: [{ fromEntities: ['world'] }] }),
      CNP('tenant-a', 'to-b', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: nsLabel('tenant-b') }] }] }),
      CNP('tenant-b', 'from-a', {
        endpointSelector: { matchLabels: { 'cozystack.io/service': 'etcd' } },
        ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-a') }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
      })], { tenantAuthored: false });
    expect(formatVerifyReport(report, 'text', { maxColumns: 0, maxDifferences: 0 })).toBe([
      'Tenant isolation: VIOLATED (4 tenants, 40 endpoints, 40 identities, 12 policies; 12032 checks, 6112 allowed, 16 differences from the intended reachability, 16 undetermined)',
      '',
      'Reachability, grouped (40 x 40 cells; rows: kind of source, columns: kind of destination and how its tenant relates to the source\'s):',
      '  ✓ allowed on every probed port   · denied   ◐ allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)   ! differs from the intended reachability   ? cannot be decided offline (rules the model cannot judge; see Undetermined)   (blank) not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)   (a group whose cells differ shows ◐)',
      '',
      'Destinations:',
      '   1  same tenant: pod',
      '   2  same tenant: svc:etcd',
      '   3  same tenant: svc:ingress',
      '   4  same tenant: svc:monitoring',
      '   5  same tenant: api-client',
      '   6  same tenant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '   7  same tenant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '   8  same tenant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '   9  a descendant: pod',
      '  10  a descendant: svc:etcd',
      '  11  a descendant: svc:ingress',
      '  12  a descendant: svc:monitoring',
      '  13  a descendant: api-client',
      '  14  a descendant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  15  a descendant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  16  a descendant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  17  an ancestor: pod',
      '  18  an ancestor: svc:etcd',
      '  19  an ancestor: svc:ingress',
      '  20  an ancestor: svc:monitoring',
      '  21  an ancestor: api-client',
      '  22  an ancestor: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  23  an ancestor: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  24  an ancestor: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  25  an unrelated tenant: pod',
      '  26  an unrelated tenant: svc:etcd',
      '  27  an unrelated tenant: svc:ingress',
      '  28  an unrelated tenant: svc:monitoring',
      '  29  an unrelated tenant: api-client',
      '  30  an unrelated tenant: pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true',
      '  31  an unrelated tenant: pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true',
      '  32  an unrelated tenant: pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true',
      '  33  kube-system/kube-dns',
      '  34  kube-system/pod',
      '  35  cozy-system/pod',
      '  36  world',
      '  37  kube-apiserver',
      '  38  host',
      '  39  remote-node',
      '',
      '                                                                                           1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39',
      '  tenant pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:etcd                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:ingress                                                                       ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant svc:monitoring                                                                    ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
      '  tenant api-client                                                                        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true        ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  tenant pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ◐  ·  ·  ·  ◐  ·  ·  ·  ?  ·  ·  ·  ?  ·  ·  ◐  ·  ·  ✓  ✓  ·  ·',
      '  kube-system/kube-dns                                                                     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  kube-system/pod                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  cozy-system/pod                                                                          ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  world                                                                                    ·  ·  ✓  !  ·  ·  ✓  !  ·  ·  ✓  !  ·  ·  ✓  !  ·  ·  ✓  !  ·  ·  ✓  !  ·  ·  ✓  !  ·  ·  ✓  !                     ',
      '  kube-apiserver                                                                           ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  host                                                                                     ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓                     ',
      '  remote-node                                                                              ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·  ·  ·  ✓  ·                     ',
      '  ingress                                                                                  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·                     ',
      '',
      'Differences (intended vs actual):',
      '  ... and 16 more differences (see --format json)',
      '',
      'Undetermined (rules the model cannot judge; never counted as allowed or denied):',
      '  ... and 16 more undetermined cell(s) (see --format json)',
      '',
      'Rules the model cannot judge:',
      '  - CiliumNetworkPolicy tenant-b/from-a ingress[0]: L7 rules (http) filter requests on the port (not modelled)',
      '',
      'VIOLATED: 16 of 12032 checks differ from the intended reachability.',
      '',
    ].join('\n'));
  });
});

describe('formatVerifyReport text: more cases', () => {
  test('undetermined cells that are intended allowed: a host policy on some nodes (node labels are not modelled)', () => {
    const report = verifyTenantIsolation(PARENT_CHILD, [...TenantIsolation.manifests(PARENT_CHILD),
      CCNP('some-nodes', { nodeSelector: { matchLabels: { role: 'edge' } }, egress: [{ toEntities: ['world'] }] })], { maxMatrixCells: 0 });
    const lines = formatVerifyReport(report, 'text', { maxDifferences: 2 }).split('\n');
    expect(lines[0]).toBe('Tenant isolation: OK (2 tenants, 24 endpoints, 24 identities, 6 policies; 3472 checks, 2160 allowed, 0 differences from the intended reachability, 140 undetermined)');
    expect(lines.filter((l) => l.startsWith('  ? ') || l.startsWith('  ... '))).toEqual([
      '  ? host -> tenant-root/pod TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended allowed',
      '  ? host -> tenant-root/svc:etcd TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: intended allowed',
      '  ... and 126 more undetermined cell(s) (see --format json)',
    ]);
    // (the explanation lines are not pinned: they do not name the host policy that makes the cells undetermined; reported)
    expect(lines.slice(lines.indexOf('Rules the model cannot judge:'), -3)).toEqual([
      'Rules the model cannot judge:',
      '  - CiliumClusterwideNetworkPolicy some-nodes: nodeSelector {"matchLabels":{"role":"edge"}} (node labels are not modelled)',
    ]);
  });

  test('siblings whose names share a prefix (a, ab) are unrelated in the grouped view', () => {
    const tree: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'ab' }] }] };
    const lines = formatVerifyReport(verifyTenantIsolation(tree, undefined, { tenantAuthored: false }), 'text', { maxColumns: 0 }).split('\n');
    expect(lines.filter((l) => l.startsWith('  tenant pod '))).toEqual([
      '  tenant pod                                                                               ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ✓  ✓  ✓  ·  ·  ·  ·  ·  ·  ·  ·  ◐  ·  ·  ✓  ·  ·  ·',
    ]);
  });

  test('a breach counted but not listed (maxDifferences 0 in the report): no section, the counts say it', () => {
    const report = verifyTenantIsolation(SIBLINGS, [...TenantIsolation.manifests(SIBLINGS), fromAIntoB()], { maxMatrixCells: 0, maxDifferences: 0 });
    expect(formatVerifyReport(report, 'text')).toBe([
      'Tenant isolation: VIOLATED (3 tenants, 32 endpoints, 32 identities, 8 policies; 6552 checks, 4136 allowed, 0 differences from the intended reachability; but a tenant alone can open 448 cells to or from another tenant)',
      'Tenant-authored policies: BREACHED (a tenant alone can open 448 cells to or from another tenant with a policy in its own namespace)',
      '',
      '(matrix of 32 x 32 cells not included; differences and summary are complete)',
      '',
      'VIOLATED: a tenant alone can open 448 cells to or from another tenant.',
      '',
    ].join('\n'));
  });
});
