import { App, Testing } from 'cdk8s';
import { DEFAULT_FIREWALL_PORTS, FirewallProtocol, HOST_FIREWALL_POLICY_NAME, HostFirewall } from '../../../src/constructs/host-firewall';
import { CozynetValidationError } from '../../../src/model/errors';

function policyOf(fw: HostFirewall): any {
  const objs = Testing.synth(fw).filter((o) => o.kind === 'CiliumClusterwideNetworkPolicy');
  expect(objs).toHaveLength(1);
  return objs[0];
}

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof CozynetValidationError) return e.issues;
    throw e;
  }
  throw new Error('expected a CozynetValidationError');
}

describe('HostFirewall', () => {
  test('the reference policy: the world is denied the system ports on every node, and admitted elsewhere', () => {
    const fw = new HostFirewall(new App(), 'fw');
    const policy = policyOf(fw);
    expect(policy.metadata.name).toBe('restrict-system-components');
    expect(HOST_FIREWALL_POLICY_NAME).toBe('restrict-system-components');
    expect([fw.releaseName, fw.releaseNamespace, fw.groupName]).toEqual(['cilium-networkpolicy', 'cozy-cilium', 'cilium-networkpolicy']);
    expect(policy.spec).toEqual({
      description: 'Deny the world access to system component ports on every node',
      nodeSelector: {},
      ingressDeny: [{
        fromEntities: ['world'],
        toPorts: [{ ports: DEFAULT_FIREWALL_PORTS.map((p) => ({ port: String(p.port), protocol: p.protocol ?? 'TCP' })) }],
      }],
      ingress: [{ fromEntities: ['world', 'host', 'cluster'] }],
    });
    expect(fw.ports.map((p) => `${p.protocol}/${p.port}`)).toEqual([
      'TCP/2379', 'TCP/2380', 'ANY/3367', 'ANY/7946', 'TCP/8123', 'TCP/9120', 'TCP/9121', 'TCP/9140', 'TCP/9141', 'TCP/9443',
      'TCP/10250', 'TCP/10257', 'TCP/10259', 'TCP/19443',
    ]);
  });

  test('the reference list of closed ports, with what listens there (facts §8)', () => {
    expect(DEFAULT_FIREWALL_PORTS.map((p) => `${p.port}/${p.protocol ?? 'TCP'} ${p.description}`)).toEqual([
      '2379/TCP etcd client', '2380/TCP etcd peer', '3367/ANY MetalLB', '7946/ANY MetalLB memberlist', '8123/TCP metrics',
      '9120/TCP MetalLB metrics', '9121/TCP MetalLB metrics', '9140/TCP MetalLB metrics', '9141/TCP MetalLB metrics', '9443/TCP webhooks',
      '10250/TCP kubelet', '10257/TCP kube-controller-manager', '10259/TCP kube-scheduler', '19443/TCP webhooks',
    ]);
  });

  test('extra ports are added after the reference ones, without duplicates; ports replace the reference list', () => {
    const fw = new HostFirewall(new App(), 'fw', { extraPorts: [{ port: 2379 }, { port: 9100, protocol: FirewallProtocol.UDP }, { port: 9100, protocol: FirewallProtocol.UDP }] });
    expect(fw.ports.slice(-2).map((p) => `${p.protocol}/${p.port}`)).toEqual(['TCP/19443', 'UDP/9100']);
    expect(fw.ports).toHaveLength(DEFAULT_FIREWALL_PORTS.length + 1);
    const own = new HostFirewall(new App(), 'fw', { ports: [{ port: 22, description: 'ssh' }, { port: 22, protocol: FirewallProtocol.SCTP }], extraPorts: [{ port: 23 }] });
    expect(own.ports).toEqual([
      { port: 22, protocol: 'TCP', description: 'ssh' },
      { port: 22, protocol: 'SCTP' },
      { port: 23, protocol: 'TCP' },
    ]);
    expect(policyOf(own).spec.ingressDeny[0].toPorts).toEqual([{ ports: [{ port: '22', protocol: 'TCP' }, { port: '22', protocol: 'SCTP' }, { port: '23', protocol: 'TCP' }] }]);
  });

  test('bad ports are refused with the field path, all at once', () => {
    expect(issuesOf(() => new HostFirewall(new App(), 'fw', {
      ports: [{ port: 0 }, { port: 65536 }, { port: 1.5 }, null as any, { port: 80, protocol: 'ICMP' as any }, { port: 1 }, { port: 65535 }, 443 as any],
      extraPorts: 'x' as any,
    }))).toEqual([
      { path: 'ports[0].port', value: '0', message: 'must be a port number 1-65535' },
      { path: 'ports[1].port', value: '65536', message: 'must be a port number 1-65535' },
      { path: 'ports[2].port', value: '1.5', message: 'must be a port number 1-65535' },
      { path: 'ports[3]', value: 'null', message: 'must be an object { port, protocol }' },
      { path: 'ports[4].protocol', value: '"ICMP"', message: 'must be one of TCP, UDP, SCTP, ANY' },
      { path: 'ports[7]', value: '443', message: 'must be an object { port, protocol }' },
      { path: 'extraPorts', value: '"x"', message: 'must be a list of { port, protocol }' },
    ]);
  });
});
