/*
 * The port ranges and ICMP types the policies name (`portRangesOf`): what
 * the probe classes are built from, so every range a rule can match must be
 * among them and nothing a rule cannot match may be.
 */
import { CiliumPolicyModel, portRangesOf, Probe, probeClasses } from '../../../src/verify/model';

const CNP = (spec: any, specs?: any[]) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec, ...(specs ? { specs } : {}) });
const NP = (spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'a' }, spec });
const text = (objects: any[]) => portRangesOf(objects).map((r) => `${r.protocol} ${r.from}-${r.to}`);

describe('portRangesOf', () => {
  test('Cilium ports: numbers, ranges, protocols; every-port entries, names and numbers out of range name no range', () => {
    expect(text([CNP({
      endpointSelector: {},
      egress: [{
        toPorts: [null, { ports: null }, {
          ports: [null, { port: '0' }, { port: '' }, { port: null }, { port: 'http' }, { port: '70000' }, { port: '-5' }, { port: '0.5' },
            { port: '80', protocol: 'TCP' }, { port: '90', endPort: null, protocol: 'udp' }, { port: '100', endPort: 50, protocol: 'SCTP' },
            { port: '65000', endPort: 70000, protocol: 'TCP' }, { port: '443' }],
        }],
      }],
    })])).toEqual(['TCP 80-80', 'UDP 90-90', 'SCTP 100-100', 'TCP 65000-65535', 'TCP 443-443', 'UDP 443-443', 'SCTP 443-443']);
  });

  test('ICMP types per family: the default family, names and numbers; what cannot be read names nothing', () => {
    expect(text([CNP({
      endpointSelector: {},
      ingress: [{
        icmps: [null, {}, { fields: null }, {
          fields: [null, { type: 8 }, { family: '', type: 0 }, { family: null, type: 'EchoReply' }, { family: 'IPv6', type: '128' },
            { family: 'IPv7', type: 8 }, { type: '300' }, { type: -1 }, { type: 'Bogus' }, { family: 'IPv6', type: 'EchoRequest' }],
        }],
      }],
    })])).toEqual(['ICMP 8-8', 'ICMP 0-0', 'ICMP 0-0', 'ICMPv6 128-128', 'ICMPv6 128-128']);
  });

  test('every rule list of every spec of a Cilium policy; NetworkPolicy ports are TCP unless given; other kinds name nothing', () => {
    const rule = (port: string) => [{ toPorts: [{ ports: [{ port, protocol: 'TCP' }] }] }];
    expect(text([
      CNP({ endpointSelector: {}, ingress: rule('1'), egress: rule('2'), ingressDeny: rule('3'), egressDeny: rule('4') }, [null, { endpointSelector: {}, egress: rule('5') }]),
      { ...CNP({ endpointSelector: {}, egress: rule('6') }), kind: 'CiliumClusterwideNetworkPolicy' },
      NP({ podSelector: {}, ingress: [null, { ports: [{ port: 7 }, { port: 8, protocol: 'UDP' }, { port: 9, endPort: 11 }] }], egress: [{ ports: [{ port: 12, protocol: 'SCTP' }] }, { ports: null }] }),
      NP({ podSelector: {}, ingress: 'x' }),
      { ...NP({ ingress: [{ ports: [{ port: 13 }] }] }), kind: 'Service' },
      null, 'x',
    ])).toEqual(['TCP 1-1', 'TCP 2-2', 'TCP 3-3', 'TCP 4-4', 'TCP 5-5', 'TCP 6-6', 'TCP 7-7', 'UDP 8-8', 'TCP 9-11', 'SCTP 12-12']);
  });
});

describe('probeClasses', () => {
  test('preferred probes outside every range or of another protocol are not probes; the last port and type are probed', () => {
    const probes = probeClasses([{ protocol: 'TCP', from: 65535, to: 65535 }, { protocol: 'ICMP', from: 255, to: 255 }],
      [{ protocol: 'TCP', port: 0 }, { protocol: 'TCP', port: 70000 }, { protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 65535 }])
      .map((p: Probe) => `${p.protocol}/${p.port}`);
    expect(probes).toEqual(['UDP/53', 'TCP/65535', 'TCP/1', 'SCTP/1', 'ICMP/0', 'ICMP/255', 'ICMPv6/0']);
  });
});

describe('ports a rule names by name', () => {
  test('numbers (as text too), every-port entries and empty names are not names: only real names resolve against the pods', () => {
    const eps = [
      { id: 'client', namespace: 'a', labels: { role: 'client' }, ports: {} },
      { id: 'web', namespace: 'a', labels: { app: 'web' }, ports: { http: { port: 8080, protocol: 'TCP' }, 80: { port: 9999, protocol: 'TCP' } } },
    ];
    const on = (ports: any[], port: number) => {
      const model = new CiliumPolicyModel([{
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'in', namespace: 'a' },
        spec: { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEndpoints: [{}], toPorts: [{ ports }] }] },
      }]);
      const probe: Probe = { protocol: 'TCP', port };
      return ['upper', 'lower'].map((bound) => model.evaluate(eps, [probe], { bound: bound as any, distinct: true }).allowed('client', 'web', port, 'TCP'));
    };
    // "80" is the number 80, not the container port named "80"
    expect(on([{ port: '80', protocol: 'TCP' }], 80)).toEqual([true, true]);
    expect(on([{ port: '80', protocol: 'TCP' }], 9999)).toEqual([false, false]);
    expect(on([{ port: '0', protocol: 'TCP' }, { port: 'http', protocol: 'TCP' }], 5)).toEqual([true, true]);
    expect(on([{ port: 'http', protocol: 'TCP' }], 8080)).toEqual([true, true]);
    expect(on([{ port: 'http', protocol: 'TCP' }], 5)).toEqual([false, false]);
    expect(on([{ port: 'http', protocol: 'udp' }], 8080)).toEqual([false, false]);
  });

  test('a host policy naming a port by name: nodes have no container ports, so it opens nothing', () => {
    const model = new CiliumPolicyModel([{
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'host' },
      spec: { nodeSelector: {}, ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: 'ssh', protocol: 'TCP' }] }] }] },
    }]);
    const eps = [{ id: 'world', entity: 'world' as const }, { id: 'host', entity: 'host' as const }];
    for (const bound of ['upper', 'lower'] as const) {
      expect(model.evaluate(eps, [{ protocol: 'TCP', port: 22 }], { bound, distinct: true }).allowed('world', 'host', 22, 'TCP')).toBe(false);
    }
  });
});
