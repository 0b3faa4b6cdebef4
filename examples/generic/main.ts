// kubeovn-cilium-generic: Kube-OVN + chained Cilium on kubeadm, k3s or RKE2.
// Unlike Talos (KubePrism on localhost:7445), a generic cluster has no local
// API server endpoint, so Cilium is told where the API server is.
import { App } from 'cdk8s';
import { Platform, VariantName } from 'cozynet';

const app = new App();

const platform = new Platform(app, 'platform', {
  variant: VariantName.KUBEOVN_CILIUM_GENERIC,
  cluster: {
    apiServer: { host: '192.0.2.10', port: 6443 }, // required by the *-generic variants
    podCidr: '10.42.0.0/16', // k3s / RKE2 defaults instead of the reference platform's
    podGateway: '10.42.0.1',
    serviceCidr: '10.43.0.0/16',
  },
  components: {
    kubeovn: { masterNodes: ['192.0.2.11', '192.0.2.12', '192.0.2.13'] },
  },
  loadBalancer: {
    pools: [{ name: 'public', addresses: ['192.0.2.64/27'] }], // L2 on all interfaces
  },
});

// Helm values are not Kubernetes objects, so `cdk8s synth` does not write
// them; they are available on the components (and `platform.synthesize()`
// writes them to helm/<release>.values.yaml).
const cilium = platform.stack.component('cilium')!.values!;
if (cilium.k8sServiceHost !== '192.0.2.10' || cilium.k8sServicePort !== 6443) {
  throw new Error('the generic layer did not set the API server endpoint');
}

app.synth();
