import { firewall, issuesOf, PortsComponent } from './helpers';
import { FirewallProtocol } from '../../../src/constructs/host-firewall';

describe('host firewall input errors name the field', () => {
  test('ports and extraPorts must be lists', () => {
    expect(issuesOf(() => firewall({ ports: 9963 as any, extraPorts: { port: 1 } as any }))).toEqual([
      { path: 'ports', value: '9963', message: 'must be a list of { port, protocol }' },
      { path: 'extraPorts', value: '{"port":1}', message: 'must be a list of { port, protocol }' },
    ]);
  });

  test('each entry must be an object', () => {
    expect(issuesOf(() => firewall({ extraPorts: [null as any, 22 as any, { port: 23 }, 'ssh' as any] }))).toEqual([
      { path: 'extraPorts[0]', value: 'null', message: 'must be an object { port, protocol }' },
      { path: 'extraPorts[1]', value: '22', message: 'must be an object { port, protocol }' },
      { path: 'extraPorts[3]', value: '"ssh"', message: 'must be an object { port, protocol }' },
    ]);
  });

  test('port numbers 1-65535 only; every bad entry is reported', () => {
    expect(issuesOf(() => firewall({ ports: [{ port: 0 }, { port: 1 }, { port: 65535 }, { port: 65536 }, { port: 80.5 }, { port: '80' as any }] }))).toEqual([
      { path: 'ports[0].port', value: '0', message: 'must be a port number 1-65535' },
      { path: 'ports[3].port', value: '65536', message: 'must be a port number 1-65535' },
      { path: 'ports[4].port', value: '80.5', message: 'must be a port number 1-65535' },
      { path: 'ports[5].port', value: '"80"', message: 'must be a port number 1-65535' },
    ]);
    expect(firewall({ ports: [{ port: 1 }, { port: 65535 }] }).fw.ports.map((p) => p.port)).toEqual([1, 65535]);
  });

  test('protocol must be one of ANY, TCP, UDP, SCTP; a bad port and protocol are both reported and neither entry is kept', () => {
    expect(issuesOf(() => firewall({ extraPorts: [{ port: 1, protocol: 'tcp' as any }, { port: -1, protocol: 'ICMP' as any }] }))).toEqual([
      { path: 'extraPorts[0].protocol', value: '"tcp"', message: 'must be one of ANY (every transport, the default), TCP, UDP, SCTP' },
      { path: 'extraPorts[1].port', value: '-1', message: 'must be a port number 1-65535' },
      { path: 'extraPorts[1].protocol', value: '"ICMP"', message: 'must be one of ANY (every transport, the default), TCP, UDP, SCTP' },
    ]);
    const ok = firewall({ ports: [], extraPorts: Object.values(FirewallProtocol).map((protocol) => ({ port: 5, protocol })) }).fw;
    expect(ok.ports.map((p) => p.protocol)).toEqual(['ANY']);
  });

  test('exemptPorts must be a list of port numbers 1-65535', () => {
    expect(issuesOf(() => firewall({ exemptPorts: 9963 as any }))).toEqual([
      { path: 'exemptPorts', value: '9963', message: 'must be a list of port numbers' },
    ]);
    expect(issuesOf(() => firewall({ exemptPorts: [0, 1, 65535, 65536, 2.5, '9963' as any] }))).toEqual([
      { path: 'exemptPorts[0]', value: '0', message: 'must be a port number 1-65535' },
      { path: 'exemptPorts[3]', value: '65536', message: 'must be a port number 1-65535' },
      { path: 'exemptPorts[4]', value: '2.5', message: 'must be a port number 1-65535' },
      { path: 'exemptPorts[5]', value: '"9963"', message: 'must be a port number 1-65535' },
    ]);
  });

  test('errors of all three fields are reported together', () => {
    expect(issuesOf(() => firewall({ ports: [{ port: 0 }], extraPorts: [{ port: 0 }], exemptPorts: [0] })).map((i) => i.path)).toEqual([
      'ports[0].port', 'extraPorts[0].port', 'exemptPorts[0]',
    ]);
  });

  test('an exempt port the firewall does not close is an error listing the closed ports in numeric order', () => {
    const { app, fw } = firewall({
      ports: [{ port: 10250 }, { port: 9443 }], extraPorts: [{ port: 80, protocol: FirewallProtocol.TCP }], exemptPorts: [9443, 22, 9963],
    });
    fw.denyHostPortsOf(new PortsComponent(app, 'op', [{ port: 9963 }]));
    expect(issuesOf(() => fw._checkExemptions())).toEqual([
      { path: 'exemptPorts[1]', value: '22', message: 'is not a port the host firewall closes (it closes 80, 9443, 9963, 10250)' },
    ]);
  });

  test('no exemptions: nothing to check', () => {
    const { fw } = firewall({ ports: [] });
    expect(() => fw._checkExemptions()).not.toThrow();
  });
});
