// cilium: Cilium alone (no Kube-OVN) on Talos, with the platform's host
// firewall, MetalLB, Multus and cozy-proxy.
import { App } from 'cdk8s';
import { Platform, VariantName } from 'cozynet';

const app = new App();

new Platform(app, 'platform', {
  variant: VariantName.CILIUM,
  hubble: { enabled: true, relay: true, metrics: ['dns', 'drop', 'tcp'] },
  components: {
    cilium: {
      gatewayApi: false, // no Gateway API CRDs on this cluster
      values: { operator: { replicas: 2 } }, // checked against the chart's values schema
    },
  },
  loadBalancer: {
    pools: [{ name: 'public', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth0'] } }],
  },
});

app.synth();
