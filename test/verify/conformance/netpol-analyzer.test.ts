/*
 * Conformance with np-guard/netpol-analyzer's connectivity outputs.
 *
 * Source: github:np-guard/netpol-analyzer at the commit named in
 * fixtures/netpol-analyzer.json; each scenario names its input directory
 * (tests/<name>/) and its expected output
 * (test_outputs/connlist/<name>_connlist_output.txt). The fixture is a
 * translation made by convert-netpol-analyzer.js: namespaces, one endpoint
 * per workload (pod-template labels; the verifier's model takes explicit
 * endpoints), the NetworkPolicies, and the allowed connections of the output
 * (every other pair and port is denied). External address ranges become one
 * `world` endpoint at the range's first address.
 *
 * Every (source, destination) pair is probed on TCP, UDP and SCTP at every
 * port number the policies or the output name (and their neighbours), the
 * container ports behind named ports, and 1, 40000 and 65535.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSuite, Scenario, expectConformance } from './harness';
import { ModelEndpoint, Probe } from '../../../src/verify/model';

const SUITE = 'netpol-analyzer';
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'netpol-analyzer.json'), 'utf8'));
const PROTOCOLS: Array<Probe['protocol']> = ['TCP', 'UDP', 'SCTP'];

type Conns = 'all' | Map<string, Array<[number, number]>>;

/** `TCP 8080,9090,UDP 53` / `TCP 8081-8082` / `All Connections` */
function parseConns(s: string): Conns {
  if (s === 'All Connections') return 'all';
  const out = new Map<string, Array<[number, number]>>();
  let proto = '';
  for (const tok of s.split(',')) {
    const m = /^(?:(TCP|UDP|SCTP) )?(\d+)(?:-(\d+))?$/.exec(tok.trim());
    if (!m) throw new Error(`cannot read connections "${s}"`);
    if (m[1]) proto = m[1];
    const lo = Number(m[2]);
    out.set(proto, [...(out.get(proto) ?? []), [lo, m[3] ? Number(m[3]) : lo]]);
  }
  return out;
}

function portNumbers(sc: any): number[] {
  const ns = new Set<number>([1, 40000, 65535]);
  const add = (n: number) => { if (n >= 1 && n <= 65535) ns.add(n); };
  for (const p of sc.policies) {
    for (const dir of ['ingress', 'egress']) {
      for (const r of p.spec?.[dir] ?? []) {
        for (const pt of r.ports ?? []) {
          if (typeof pt.port === 'number') [pt.port - 1, pt.port, pt.port + 1].forEach(add);
          if (typeof pt.endPort === 'number') [pt.endPort, pt.endPort + 1].forEach(add);
        }
      }
    }
  }
  for (const [, , c] of sc.expected) {
    const conns = parseConns(c);
    if (conns !== 'all') for (const rs of conns.values()) for (const [lo, hi] of rs) [lo - 1, lo, hi, hi + 1].forEach(add);
  }
  for (const e of sc.endpoints) for (const v of Object.values<string>(e.namedPorts ?? {})) add(Number(v.split('/')[1]));
  return [...ns].sort((a, b) => a - b);
}

function scenario(sc: any): Scenario {
  // a workload's named container ports (`name: PROTOCOL/port`; none listed: it names none)
  const ports = (named: Record<string, string> | undefined) => Object.fromEntries(Object.entries(named ?? {}).map(([name, v]) => {
    const [protocol, port] = v.split('/');
    return [name, { port: Number(port), protocol }];
  }));
  const endpoints: ModelEndpoint[] = sc.endpoints.map((e: any) => (e.ip
    ? { id: e.id, entity: 'world', ip: e.ip }
    : { id: e.id, namespace: e.namespace, labels: e.labels, ports: ports(e.namedPorts) }));
  const ipNum = (ip: string) => ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  // does the reference (an endpoint index or an External range `first-last`) name this endpoint?
  const names = (ref: number | string, id: string) => {
    if (typeof ref === 'number') return sc.endpoints[ref].id === id;
    const ep = sc.endpoints.find((e: any) => e.id === id);
    if (!ep?.ip) return false;
    const [lo, hi] = ref.split('-').map(ipNum);
    return ipNum(ep.ip) >= lo && ipNum(ep.ip) <= hi;
  };
  const lines: Array<[number | string, number | string, Conns]> = sc.expected.map(([s, d, c]: any) => [s, d, parseConns(c)]);
  const namespaces: Record<string, Record<string, string>> = {};
  for (const e of sc.endpoints) if (e.namespace) namespaces[e.namespace] = sc.namespaces[e.namespace] ?? {};
  const externals = sc.endpoints.filter((e: any) => e.ip).map((e: any) => e.id);
  return {
    name: sc.name,
    objects: sc.policies,
    endpoints,
    probes: portNumbers(sc).flatMap((port) => PROTOCOLS.map((protocol) => ({ port, protocol }))),
    options: { namespaces },
    // netpol-analyzer reports no connection between two external ranges
    pairs: endpoints.flatMap((s) => endpoints
      .filter((d) => d.id !== s.id && !(externals.includes(s.id) && externals.includes(d.id)))
      .map((d) => [s.id, d.id] as [string, string])),
    expected: (src, dst, probe) => lines.some(([s, d, c]) => names(s, src) && names(d, dst)
      && (c === 'all' || (c.get(probe.protocol) ?? []).some(([lo, hi]) => probe.port >= lo && probe.port <= hi))),
  };
}

describe(`conformance: ${fixture.repository} connectivity outputs @ ${fixture.commit.slice(0, 12)}`, () => {
  const result = runSuite(SUITE, fixture.scenarios.map(scenario));

  expectConformance(SUITE, result, { scenarios: 45, pairs: 9868, checks: 286614, disagreeingPairs: 0 });
});
