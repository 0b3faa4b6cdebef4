// Issue 20 item 6: values no cluster, or no safe layer, can take are refused
// where they enter, in the library as in the platform file (the file cases
// are test/fixtures/bad/77-98), with the field path and the reason.
import { Construct } from 'constructs';
import { refusal } from './helpers';
import { Platform, ValidationErrors } from '../../src';

const pool = (addresses: string[], extra: any = {}) => ({ loadBalancer: { pools: [{ name: 'a', addresses, ...extra }] } });

describe('new Platform refuses values no cluster can take', () => {
  const cases: Array<[string, any, string]> = [
    ['a release named like the loadBalancer section', { components: { metallb: { releaseName: 'load-balancer' } } },
      'components.metallb.releaseName: is the name of the loadBalancer section (its manifest file, local chart and Helm release): the two would be merged into one release; choose another release name (reserved: namespaces, tenants, load-balancer, subnets, attachments, passthrough and names ending in -manifests) (got "load-balancer")'],
    ['a release named like a local chart of objects', { components: { multus: { releaseName: 'cilium-manifests' } } },
      'components.multus.releaseName: is the name of the local chart of a component\'s own objects (its manifest file, local chart and Helm release): the two would be merged into one release; choose another release name (reserved: namespaces, tenants, load-balancer, subnets, attachments, passthrough and names ending in -manifests) (got "cilium-manifests")'],
    ['namespace kube-system', { components: { metallb: { namespace: 'kube-system' } } },
      'components.metallb.namespace: is a namespace of Kubernetes itself: cozynet labels a component\'s namespace privileged and cozystack.io/system (admitted into every tenant), which kube-system must not be; use a namespace of its own such as cozy-metallb (got "kube-system")'],
    ['namespace default', { components: { cilium: { namespace: 'default' } } }, 'components.cilium.namespace: is a namespace of Kubernetes itself'],
    ['namespace kube-public', { components: { multus: { namespace: 'kube-public' } } }, 'components.multus.namespace: is a namespace of Kubernetes itself'],
    ['namespace kube-node-lease', { components: { kilo: { namespace: 'kube-node-lease' } }, variant: 'cilium-kilo' }, 'components.kilo.namespace: is a namespace of Kubernetes itself'],
    ['a loopback pool', pool(['127.0.0.0/24']), 'loadBalancer.pools[0].addresses[0]: lies in 127.0.0.0/8, loopback (RFC 1122): MetalLB pool addresses cannot use special-purpose addresses (got "127.0.0.0/24")'],
    ['a link-local pool', pool(['169.254.0.0/24']), 'loadBalancer.pools[0].addresses[0]: lies in 169.254.0.0/16, link-local (RFC 3927)'],
    ['a multicast pool', pool(['224.0.0.0/24']), 'loadBalancer.pools[0].addresses[0]: lies in 224.0.0.0/4, multicast (RFC 5771)'],
    ['the limited broadcast address', pool(['255.255.255.255/32']), 'loadBalancer.pools[0].addresses[0]: is in 255.255.255.255/32, limited broadcast (RFC 919)'],
    ['0.0.0.0/32', pool(['0.0.0.0/32']), 'loadBalancer.pools[0].addresses[0]: is in 0.0.0.0/32, this host on this network (RFC 1122)'],
    ['the pod CIDR written IPv4-mapped', pool(['::ffff:10.244.0.0/112']), 'loadBalancer.pools[0].addresses[0]: lies in ::ffff:0:0/96, IPv4-mapped addresses (RFC 4291): that is IPv4 10.244.0.0-10.244.255.255 written as IPv6'],
    ['a loopback pod CIDR', { cluster: { podCidr: '127.0.0.0/16' } }, 'cluster.podCidr: lies in 127.0.0.0/8, loopback (RFC 1122): the pod CIDR cannot use special-purpose addresses (got "127.0.0.0/16")'],
    ['a link-local pod CIDR', { cluster: { podCidr: '169.254.0.0/16' } }, 'cluster.podCidr: lies in 169.254.0.0/16, link-local (RFC 3927)'],
    ['a multicast pod CIDR', { cluster: { podCidr: '224.0.0.0/16' } }, 'cluster.podCidr: lies in 224.0.0.0/4, multicast (RFC 5771)'],
    ['an IPv6 pod CIDR with an IPv4 service CIDR', { variant: 'cilium', cluster: { podCidr: 'fd00:10:244::/64' } },
      'cluster.serviceCidr: is IPv4 but podCidr fd00:10:244::/64 is IPv6: the cluster is single-stack (dual-stack is not modelled), so the pod, service and join CIDRs must be one family (got "10.96.0.0/16")'],
    ['an IPv4 join CIDR with IPv6 pod and service CIDRs', { cluster: { podCidr: 'fd00:10:244::/64', serviceCidr: 'fd00:96::/112', joinCidr: '100.64.0.0/16' } }, 'cluster.joinCidr: is IPv4 but podCidr fd00:10:244::/64 is IPv6'],
    ['apiServer.host 0.0.0.0', { variant: 'cilium-generic', cluster: { apiServer: { host: '0.0.0.0' } } },
      'cluster.apiServer.host: is in 0.0.0.0/32, this host on this network (RFC 1122): the API server must be a unicast address of a host (got "0.0.0.0")'],
    ['apiServer.host 999.1.1.1', { variant: 'cilium-generic', cluster: { apiServer: { host: '999.1.1.1' } } },
      'cluster.apiServer.host: is not an IP address (an IPv4 address is four numbers 0-255) and not a DNS name (a name\'s last label is not all digits) (got "999.1.1.1")'],
    ['a BGP peer 0.0.0.0', pool(['198.51.100.0/27'], { bgp: { localAsn: 65001, peers: [{ address: '0.0.0.0', asn: 65000 }] } }),
      'loadBalancer.pools[0].bgp.peers[0].address: is in 0.0.0.0/32, this host on this network (RFC 1122): a BGP peer must be a unicast address of a host (got "0.0.0.0")'],
    ['a BGP peer 999.1.1.1', pool(['198.51.100.0/27'], { bgp: { localAsn: 65001, peers: [{ address: '999.1.1.1', asn: 65000 }] } }),
      'loadBalancer.pools[0].bgp.peers[0].address: the peer address must be an IPv4 or IPv6 address (got "999.1.1.1")'],
    ['a __proto__ key (as JSON.parse makes it)', JSON.parse('{"variant": "cilium", "__proto__": {"x": 1}}'), '__proto__: unknown key (allowed here: '],
    ['a nested __proto__ key', JSON.parse('{"cluster": {"__proto__": {"podCidr": "192.0.2.0/24"}}}'), 'cluster.__proto__: unknown key (allowed here: '],
  ];
  test.each(cases)('%s', (_name, props, expected) => {
    expect(refusal(props).startsWith(expected)).toBe(true);
  });

  test('ordinary values are still fine: loopback and link-local endpoints, an IPv6 cluster, 240/4', () => {
    expect(() => new Platform(new Construct(undefined as any, ''), 'p', {
      variant: 'cilium-generic',
      cluster: { apiServer: { host: '127.0.0.1', port: 6444 } },
    } as any)).not.toThrow();
    expect(() => new Platform(new Construct(undefined as any, ''), 'p', {
      variant: 'cilium',
      cluster: { podCidr: 'fd00:10:244::/64', serviceCidr: 'fd00:96::/112' },
    } as any)).not.toThrow();
    expect(() => new Platform(new Construct(undefined as any, ''), 'p', {
      ...pool(['240.0.0.0/28'], { bgp: { localAsn: 65001, peers: [{ address: 'fe80::1', asn: 65000 }] } }),
    } as any)).not.toThrow();
  });
});
