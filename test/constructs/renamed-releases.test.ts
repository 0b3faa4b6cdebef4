// A component whose release the platform renames (`components.<c>.releaseName`)
// is still that component: the platform found components by release name, so
// a renamed MetalLB release put its pools in cozy-metallb while MetalLB ran in
// its own namespace (found by the fuzz target: the bootstrap model refused the
// output, "namespace cozy-metallb, which no release creates"); a renamed
// Kube-OVN release crashed on subnets, a renamed Cilium lost its MTU layer.
import { checkBootstrap } from '../../src/bootstrap';
import { API_SERVER, synth } from '../helpers/synth';

test('MetalLB renamed and in its own namespace: the pools live where MetalLB runs, and the output converges', () => {
  const out = synth({
    variant: 'cilium-kilo',
    components: { metallb: { namespace: 'metallb-system', releaseName: 'lb' } },
    loadBalancer: { pools: [{ name: 'public', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth1'] } }] },
  } as any, { terraform: true });
  const pools = out.objects().filter((o) => o.kind === 'IPAddressPool' || o.kind === 'L2Advertisement');
  expect(pools.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
    'IPAddressPool metallb-system/public',
    'L2Advertisement metallb-system/public',
  ]);
  expect(out.index.components.find((c: any) => c.name === 'lb').namespace).toBe('metallb-system');
  expect(checkBootstrap(out.files).errors.map((f) => f.message)).toEqual([]);
});

test('Kube-OVN renamed: subnets are synthesized (not an internal error) and carry the MTU', () => {
  const out = synth({
    components: { kubeovn: { releaseName: 'ovn' } },
    subnets: [{ name: 'vms', cidr: '10.245.0.0/24', namespaces: ['tenant-a'] }],
    tenants: [{ name: 'root', children: [{ name: 'a' }] }],
  } as any);
  const subnet = out.objects().find((o) => o.kind === 'Subnet' && o.metadata.name === 'vms');
  expect(subnet.spec.mtu).toBe(1400);
  expect(checkBootstrap(out.files).errors.map((f) => f.message)).toEqual([]);
});

test('Cilium renamed on a Cilium variant: its values still get the MTU of the plan', () => {
  const out = synth({ variant: 'cilium-generic', cluster: { apiServer: API_SERVER }, components: { cilium: { releaseName: 'cni' } }, mtu: { underlay: 9000 } } as any);
  expect(out.values('cni').MTU).toBe(9000); // the device MTU: Cilium takes its VXLAN overhead off the routes itself
  expect(checkBootstrap(out.files).errors.map((f) => f.message)).toEqual([]);
});
