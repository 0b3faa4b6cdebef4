// The host firewall (facts §8): the reference list and the host-network ports
// of the platform's own components, closed to the world on every transport;
// extended and exempted by the user, with errors that name the field.
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import { FirewallProtocol, HostFirewall } from '../../src/constructs/host-firewall';
import { chartHostPorts } from '../../src/constructs/host-ports';
import { API_SERVER, synth } from '../helpers/synth';

function closed(props: any = {}): string[] {
  const pol = synth(props).objects().find((o) => o.kind === 'CiliumClusterwideNetworkPolicy' && o.metadata.name === 'restrict-system-components');
  return pol.spec.ingressDeny[0].toPorts[0].ports.map((p: any) => `${p.port}/${p.protocol}`);
}

const REFERENCE = ['2379', '2380', '3367', '7946', '8123', '9120', '9121', '9140', '9141', '9443', '10250', '10257', '10259', '19443'].map((p) => `${p}/ANY`);

describe('host firewall ports', () => {
  test('default platform: reference list, then cilium-operator, Envoy and Kube-OVN host ports, all on every transport', () => {
    expect(closed()).toEqual([
      ...REFERENCE,
      '9963/ANY', '9964/ANY',
      '6641/ANY', '6642/ANY', '6643/ANY', '6644/ANY', '10660/ANY', '10661/ANY', '10665/ANY',
    ]);
  });

  test('Hubble adds its server port, and its metrics port when metrics are on', () => {
    expect(closed({ variant: 'cilium', hubble: { enabled: true } })).toEqual([...REFERENCE, '9963/ANY', '9964/ANY', '4244/ANY']);
    expect(closed({ variant: 'cilium', hubble: { enabled: true, metrics: ['dns', 'drop'] } }))
      .toEqual([...REFERENCE, '9963/ANY', '9964/ANY', '4244/ANY', '9965/ANY']);
  });

  test('ports follow the values the charts read (a moved metrics port is closed where it moved)', () => {
    const ports = closed({
      variant: 'cilium-generic',
      cluster: { apiServer: API_SERVER },
      components: { cilium: { values: { operator: { prometheus: { port: 19963 } }, envoy: { prometheus: { enabled: false } } } } },
    });
    expect(ports).toContain('19963/ANY');
    expect(ports).not.toContain('9963/ANY');
    expect(ports).not.toContain('9964/ANY');
  });

  test('extra ports are appended (every transport unless narrower), duplicates collapse', () => {
    const { UDP, TCP } = FirewallProtocol;
    const extraPorts = [{ port: 6443 }, { port: 50000, protocol: UDP }, { port: 2379, protocol: TCP }, { port: 6443 }];
    const ports = closed({ firewall: { extraPorts } });
    expect(ports.slice(-2)).toEqual(['6443/ANY', '50000/UDP']);
    expect(ports.filter((p) => p.startsWith('2379/'))).toEqual(['2379/ANY']);
  });

  test('exempt ports stay open; an exemption of a port that is not closed names the field', () => {
    const ports = closed({ firewall: { exemptPorts: [9963, 10250] } });
    expect(ports).not.toContain('9963/ANY');
    expect(ports).not.toContain('10250/ANY');
    expect(ports).toContain('9964/ANY');
    expect(() => closed({ firewall: { exemptPorts: [9964, 1234] } }))
      .toThrow(/firewall\.exemptPorts\[1\]: is not a port the host firewall closes \(it closes 2379, 2380, .*\) \(got 1234\)/);
    expect(() => closed({ firewall: { exemptPorts: [0] } })).toThrow(/firewall\.exemptPorts\[0\]: must be a port number 1-65535 \(got 0\)/);
    expect(() => closed({ firewall: { extraPorts: [{ port: 1, protocol: 'ICMP' }] } }))
      .toThrow(/firewall\.extraPorts\[0\]\.protocol: must be one of [A-Z, ]*ANY.*\(got "ICMP"\)/);
  });

  test('replacing the reference list keeps the components\' ports (Cilium\'s, then MetalLB speaker and frr-k8s)', () => {
    expect(closed({ variant: 'cilium', firewall: { ports: [{ port: 22 }] } }))
      .toEqual(['22/ANY', '9963/ANY', '9964/ANY', '9120/ANY', '7946/ANY', '9140/ANY', '9141/ANY', '19443/ANY']);
  });

  test('a HostFirewall composed by hand closes the ports of the components it is told about', () => {
    const scope = new Construct(undefined as any, '');
    const fw = new HostFirewall(scope, 'fw', { ports: [] });
    expect(fw.ports).toEqual([]);
    const other = new HostFirewall(scope, 'fw2', { ports: [{ port: 7 }] });
    fw.denyHostPortsOf(other, fw);
    expect(fw.ports).toEqual([]);
    expect(HostFirewall.isHostFirewall(fw)).toBe(true);
    expect(HostFirewall.isHostFirewall(scope)).toBe(false);
    // The construct checks what the platform file's schema checks, for callers of the library.
    expect(() => new HostFirewall(scope, 'bad', { extraPorts: [{ port: 1, protocol: 'ICMP' as any }], exemptPorts: [70000] }))
      .toThrow(/extraPorts\[0\]\.protocol: must be one of ANY \(every transport, the default\), TCP, UDP, SCTP \(got "ICMP"\)[\s\S]*exemptPorts\[0\]: must be a port number 1-65535/);
  });
});

describe('host ports read from the charts', () => {
  const defaults = (file: string) => parseYaml(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'helm', file), 'utf8'));

  test('with the chart\'s own default values, the ports are the fallbacks cozynet assumes for unset keys', () => {
    expect(chartHostPorts('cilium', defaults('cilium-1.19.5.values.yaml'))).toEqual(chartHostPorts('cilium', {}));
    expect(chartHostPorts('metallb', defaults('metallb-0.16.1.values.yaml'))).toEqual(chartHostPorts('metallb', {}));
    expect(chartHostPorts('cilium', {}).map((p) => p.port)).toEqual([9963, 9964, 4244]);
    expect(chartHostPorts('metallb', {}).map((p) => p.port)).toEqual([9120, 7946, 9140, 9141, 19443]);
    expect(chartHostPorts('kube-ovn', defaults('kube-ovn-v1.15.10.values.yaml')).map((p) => p.port)).toEqual([6641, 6642, 6643, 6644, 10660, 10661, 10665]);
    expect(chartHostPorts('unknown-chart', {})).toEqual([]);
  });
});
