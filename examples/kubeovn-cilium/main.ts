// The default variant, kubeovn-cilium (Kube-OVN + chained Cilium on Talos),
// built from one Platform construct and written by the stock `cdk8s synth`.
import { App } from 'cdk8s';
import { FirewallProtocol, Platform, VariantName } from 'cozynet';

const app = new App();

new Platform(app, 'platform', {
  variant: VariantName.KUBEOVN_CILIUM, // the default; omitting it gives the same platform
  hubble: { enabled: true, relay: true, ui: true },
  firewall: {
    // Closed to the world on every node, in addition to the reference list: a host-network
    // node exporter that only the in-cluster Prometheus scrapes. Leave Talos apid (50000) and
    // trustd (50001) open: talosctl on an admin network reaches apid as `world`, and a deny from
    // the world wins over any allow, so closing it cuts talosctl off (Talos authenticates its API
    // with mutual TLS).
    extraPorts: [{ port: 9100, protocol: FirewallProtocol.TCP, description: 'node exporter' }],
  },
  loadBalancer: {
    pools: [
      // Announced with ARP on eth1 of every node.
      { name: 'public', addresses: ['192.0.2.32/28', '192.0.2.100-192.0.2.120'], l2: { interfaces: ['eth1'] } },
    ],
  },
});

app.synth();
