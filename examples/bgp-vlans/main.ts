// Load-balancer pools on client VLANs, announced over BGP or ARP, next to
// the default platform. The Platform and the Chart below share one address
// plan (one per construct tree), so every pool is checked against the
// cluster CIDRs and the other pools, and all BGP pools use one local ASN.
import { App, Chart } from 'cdk8s';
import { ClientVlans, MetalLbPool, Platform } from 'cozynet';

const app = new App();

// The platform first: it registers the cluster CIDRs the pools must avoid.
const platform = new Platform(app, 'platform', {
  loadBalancer: {
    pools: [
      // A transit pool announced to the upstream routers (a pool of the platform file).
      {
        name: 'transit',
        addresses: ['198.51.100.0/27'],
        bgp: {
          localAsn: 65001,
          peers: [
            { address: '10.0.0.1', asn: 65000 },
            { address: '10.0.0.2', asn: 65000 },
          ],
        },
      },
    ],
  },
});
const metallbNamespace = platform.stack.component('metallb')!.releaseNamespace;

const vlans = new Chart(app, 'client-vlans');

// Client VLANs delivered to the nodes as tagged VLANs on eth1. A VLAN without
// `bgp` answers ARP only on its sub-interface (eth1.200); a VLAN with `bgp`
// is announced to that VLAN's own routers.
new ClientVlans(vlans, 'clients', {
  namespace: metallbNamespace,
  vlans: [
    {
      vlanId: 100,
      parent: 'eth1',
      addresses: ['203.0.113.0/26'],
      bgp: {
        localAsn: 65001, // MetalLB speaks BGP with one local ASN
        peers: [{ address: '10.100.0.1', asn: 64600, holdTime: '90s' }],
        communities: ['64600:100'],
      },
      serviceAllocation: { namespaces: ['tenant-acme'] },
    },
    {
      vlanId: 200,
      parent: 'eth1',
      addresses: ['203.0.113.64-203.0.113.94'],
      nodeSelectors: [{ matchLabels: { 'network.example.com/vlan200': 'true' } }],
    },
  ],
});

// A pool on its own: announced to the transit routers too (the peers are
// shared with the platform's `transit` pool, not defined twice), aggregated
// to one /28 route.
new MetalLbPool(vlans, 'backup', {
  name: 'backup',
  namespace: metallbNamespace,
  addresses: ['198.51.100.48/28'],
  autoAssign: false,
  bgp: {
    localAsn: 65001,
    peers: [{ address: '10.0.0.1', asn: 65000 }],
    aggregationLength: 28,
  },
});

app.synth();
