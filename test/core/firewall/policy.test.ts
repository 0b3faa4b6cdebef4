import { Testing } from 'cdk8s';
import { deniedPorts, firewall, manifests, PortsComponent } from './helpers';
import { DEFAULT_FIREWALL_PORTS, HOST_FIREWALL_POLICY_NAME, HostFirewall } from '../../../src/constructs/host-firewall';

const REFERENCE_PORTS = [2379, 2380, 3367, 7946, 8123, 9120, 9121, 9140, 9141, 9443, 10250, 10257, 10259, 19443];

describe('host firewall policy restrict-system-components (facts §8)', () => {
  test('one clusterwide policy on every node: world denied the reference ports on every transport; world, host, cluster admitted', () => {
    const { fw } = firewall();
    expect(HOST_FIREWALL_POLICY_NAME).toBe('restrict-system-components');
    expect(manifests(fw).filter((d) => d.kind !== 'Namespace')).toStrictEqual([{
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'restrict-system-components' },
      spec: {
        description: 'Deny the world access to system component ports on every node',
        nodeSelector: {},
        ingressDeny: [{
          fromEntities: ['world'],
          toPorts: [{ ports: REFERENCE_PORTS.map((p) => ({ port: String(p), protocol: 'ANY' })) }],
        }],
        ingress: [{ fromEntities: ['world', 'host', 'cluster'] }],
      },
    }]);
  });

  test('the release is cilium-networkpolicy in cozy-cilium', () => {
    const { fw } = firewall();
    expect(fw.releaseName).toBe('cilium-networkpolicy');
    expect(fw.releaseNamespace).toBe('cozy-cilium');
  });

  test('the reference list names what listens on each port', () => {
    const { fw } = firewall();
    expect(fw.ports).toStrictEqual([
      { port: 2379, protocol: 'ANY', description: 'etcd client' },
      { port: 2380, protocol: 'ANY', description: 'etcd peer' },
      { port: 3367, protocol: 'ANY', description: 'LINSTOR' },
      { port: 7946, protocol: 'ANY', description: 'MetalLB memberlist (TCP and UDP)' },
      { port: 8123, protocol: 'ANY', description: 'platform assets server' },
      { port: 9120, protocol: 'ANY', description: 'MetalLB speaker metrics' },
      { port: 9121, protocol: 'ANY', description: 'MetalLB FRR metrics' },
      { port: 9140, protocol: 'ANY', description: 'frr-k8s metrics' },
      { port: 9141, protocol: 'ANY', description: 'frr-k8s FRR metrics' },
      { port: 9443, protocol: 'ANY', description: 'etcd metrics proxy' },
      { port: 10250, protocol: 'ANY', description: 'kubelet' },
      { port: 10257, protocol: 'ANY', description: 'kube-controller-manager' },
      { port: 10259, protocol: 'ANY', description: 'kube-scheduler' },
      { port: 19443, protocol: 'ANY', description: 'frr-k8s webhook' },
    ]);
    expect(DEFAULT_FIREWALL_PORTS.map((p) => p.port)).toEqual(REFERENCE_PORTS);
  });

  test('isHostFirewall answers for the firewall only', () => {
    const { app, fw } = firewall();
    const other = new PortsComponent(app, 'other', []);
    expect(HostFirewall.isHostFirewall(fw)).toBe(true);
    expect(HostFirewall.isHostFirewall(other)).toBe(false);
    expect(HostFirewall.isHostFirewall({})).toBe(false);
    expect(HostFirewall.isHostFirewall(null)).toBe(false);
    expect(HostFirewall.isHostFirewall(undefined)).toBe(false);
    expect(HostFirewall.isHostFirewall('cilium-networkpolicy')).toBe(false);
    expect(HostFirewall.isHostFirewall(9963)).toBe(false);
  });

  test('ports are read when the policy is synthesized: components added later are denied too', () => {
    const { app, fw } = firewall({ ports: [{ port: 2379 }] });
    const before = deniedPorts(fw);
    expect(before).toEqual([{ port: '2379', protocol: 'ANY' }]);
    fw.denyHostPortsOf(new PortsComponent(app, 'late', [{ port: 9963 }]));
    expect(Testing.synth(fw)[1].spec.ingressDeny[0].toPorts[0].ports).toEqual([
      { port: '2379', protocol: 'ANY' }, { port: '9963', protocol: 'ANY' },
    ]);
  });
});
