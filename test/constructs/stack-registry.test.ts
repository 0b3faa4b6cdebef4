// A KubeOvnSubnet asks which NetworkStacks its tree holds through a registry
// by root (src/variants/stack-registry.ts) instead of walking the whole tree
// once per subnet (quadratic: 20,000 subnets took minutes). The registry
// answers as the walk did: stacks in tree order, removed ones left out.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeOvnSubnet, NetworkStack } from '../../src';
import { networkStacksOf } from '../../src/variants/stack-registry';

const subnet = { name: 'vms', cidr: '10.245.0.0/24', namespaces: ['tenant-root'] };

test('stacks are listed in tree order, not in the order they were made', () => {
  const root = new App();
  const a = new Construct(root, 'a');
  const b = new Construct(root, 'b');
  const made = new NetworkStack(b, 'net', { variant: 'cilium' as any });
  const later = new NetworkStack(a, 'net', { variant: 'cilium-kilo' as any });
  expect(networkStacksOf(root)).toEqual([later, made]);
  expect(networkStacksOf(root)).toEqual(root.node.findAll().filter((c) => NetworkStack.isNetworkStack(c)));
  const s = new KubeOvnSubnet(new Chart(root, 'subnets'), 'subnet', subnet);
  expect(s.node.validate()).toEqual([expect.stringContaining('(variant cilium-kilo, cilium) does not run Kube-OVN')]);
});

test('a stack removed from its tree no longer counts; another tree has its own', () => {
  const root = new App();
  const a = new Construct(root, 'a');
  new NetworkStack(a, 'net', { variant: 'cilium' as any });
  const kept = new NetworkStack(root, 'net', {});
  const s = new KubeOvnSubnet(new Chart(root, 'subnets'), 'subnet', subnet);
  expect(s.node.validate()).toEqual([]); // one of the stacks runs Kube-OVN
  expect(root.node.tryRemoveChild('net')).toBe(true);
  expect(networkStacksOf(root)).toEqual(root.node.findAll().filter((c) => NetworkStack.isNetworkStack(c)));
  expect(networkStacksOf(root)).not.toContain(kept);
  expect(s.node.validate()).toEqual([expect.stringContaining('(variant cilium) does not run Kube-OVN')]);
  expect(networkStacksOf(new App())).toEqual([]);
});
