// cilium-kilo: Cilium on Talos plus a Kilo WireGuard mesh between locations.
// Kilo replaces the platform's host firewall (Cilium's host firewall is off).
import { App } from 'cdk8s';
import { MeshGranularity, Platform, VariantName } from 'cozynet';

const app = new App();

new Platform(app, 'platform', {
  variant: VariantName.CILIUM_KILO,
  components: {
    kilo: {
      meshGranularity: MeshGranularity.LOCATION, // one WireGuard leader per location
      wireguardPort: 51820,
      meshSubnet: '10.4.0.0/16',
    },
  },
});

app.synth();
