import { deniedPorts, firewall, PortsComponent } from './helpers';
import { CiliumChain } from '../../../src/constructs/cilium';
import { FirewallProtocol } from '../../../src/constructs/host-firewall';
import { KubeOvn } from '../../../src/constructs/kube-ovn';

const { TCP, UDP, SCTP, ANY } = FirewallProtocol;

describe('closed ports: sources, order, deduplication, exemptions', () => {
  test('component host ports are denied: cilium-operator 9963, Envoy 9964, Kube-OVN 6641-6643 and its metrics', () => {
    const { app, fw } = firewall({ ports: [] });
    fw.denyHostPortsOf(new CiliumChain(app, 'cilium'), new KubeOvn(app, 'kubeovn'));
    const ports = deniedPorts(fw).map((p) => p.port);
    for (const p of ['9963', '9964', '6641', '6642', '6643', '10660', '10661', '10665']) expect(ports).toContain(p);
    expect(deniedPorts(fw).every((p) => p.protocol === 'ANY')).toBe(true);
  });

  test('order: reference list (or ports), then each component in the order given, then extraPorts', () => {
    const { app, fw } = firewall({ ports: [{ port: 300 }, { port: 100 }], extraPorts: [{ port: 50 }, { port: 400, protocol: UDP }] });
    fw.denyHostPortsOf(new PortsComponent(app, 'b', [{ port: 200 }, { port: 20, protocol: TCP }]), new PortsComponent(app, 'a', [{ port: 10 }]));
    expect(deniedPorts(fw)).toStrictEqual([
      { port: '300', protocol: 'ANY' }, { port: '100', protocol: 'ANY' },
      { port: '200', protocol: 'ANY' }, { port: '20', protocol: 'TCP' }, { port: '10', protocol: 'ANY' },
      { port: '50', protocol: 'ANY' }, { port: '400', protocol: 'UDP' },
    ]);
  });

  test('extraPorts add to the reference list, ports replace it', () => {
    const extended = firewall({ extraPorts: [{ port: 6443, description: 'kube-apiserver' }] }).fw;
    const list = extended.ports;
    expect(list).toHaveLength(15);
    expect(list[0]).toStrictEqual({ port: 2379, protocol: ANY, description: 'etcd client' });
    expect(list[14]).toStrictEqual({ port: 6443, protocol: ANY, description: 'kube-apiserver' });
    const replaced = firewall({ ports: [{ port: 22, protocol: TCP, description: 'ssh' }] }).fw;
    expect(replaced.ports).toStrictEqual([{ port: 22, protocol: TCP, description: 'ssh' }]);
  });

  test('a port appears once; on every transport when any source closes it on every transport', () => {
    const { app, fw } = firewall({
      ports: [{ port: 9963, protocol: TCP }, { port: 53, protocol: UDP }, { port: 53, protocol: TCP }, { port: 53, protocol: UDP }],
      extraPorts: [{ port: 7000, protocol: SCTP }, { port: 7000, protocol: SCTP }, { port: 8000 }, { port: 8000 }],
    });
    fw.denyHostPortsOf(new PortsComponent(app, 'op', [{ port: 9963, description: 'cilium-operator metrics' }]));
    expect(deniedPorts(fw)).toStrictEqual([
      { port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' },
      { port: '9963', protocol: 'ANY' },
      { port: '7000', protocol: 'SCTP' }, { port: '8000', protocol: 'ANY' },
    ]);
    expect(fw.ports[2]).toStrictEqual({ port: 9963, protocol: ANY, description: 'cilium-operator metrics' });
  });

  test('a component port keeps its transport; no transport means every transport', () => {
    const { app, fw } = firewall({ ports: [] });
    fw.denyHostPortsOf(new PortsComponent(app, 'c', [{ port: 4244, protocol: UDP }, { port: 4245 }]));
    expect(fw.ports).toStrictEqual([{ port: 4244, protocol: UDP }, { port: 4245, protocol: ANY }]);
    expect('description' in fw.ports[0]).toBe(false);
  });

  test('the same component twice, or the firewall itself, adds nothing', () => {
    const { app, fw } = firewall({ ports: [{ port: 1 }] });
    const c = new PortsComponent(app, 'c', [{ port: 2 }]);
    fw.denyHostPortsOf(c, c, fw);
    fw.denyHostPortsOf(c);
    expect(fw.ports).toStrictEqual([{ port: 1, protocol: ANY }, { port: 2, protocol: ANY }]);
  });

  test('exempt ports stay open whichever source closes them; the rest keep their order', () => {
    const { app, fw } = firewall({ exemptPorts: [9963, 10250, 53], extraPorts: [{ port: 53, protocol: UDP }, { port: 54 }] });
    fw.denyHostPortsOf(new PortsComponent(app, 'op', [{ port: 9963 }, { port: 9964 }]));
    const ports = deniedPorts(fw).map((p) => p.port);
    expect(ports).not.toContain('9963');
    expect(ports).not.toContain('10250');
    expect(ports).not.toContain('53');
    expect(ports.slice(-4)).toEqual(['10259', '19443', '9964', '54']);
    expect(ports).toHaveLength(14 - 1 + 1 + 1);
    expect(() => fw._checkExemptions()).not.toThrow();
  });
});
