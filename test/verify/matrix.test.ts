/**
 * `verify --matrix` (who reaches whom on which ports, for any policy set),
 * `--explain-file` (many queries in one run) and `--matrix --against` (the
 * connectivity diff).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { Platform } from '../../src';
import { run } from '../../src/cli/main';
import { readPlatformFile } from '../../src/platform/file';
import { analyzerMatrix, className, MATRIX_LIMITS, portClasses } from '../../src/verify/matrix';
import { CiliumPolicyModel } from '../../src/verify/model';

const CONTRACT = path.join(__dirname, '..', '..', 'examples', 'platforms', 'contract.yaml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-matrix-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

function write(name: string, objects: any[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const workload = (kind: string, namespace: string, name: string, app: string, port: number, sa?: string) => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: { app } },
    template: { metadata: { labels: { app } }, spec: { ...(sa ? { serviceAccountName: sa } : {}), containers: [{ name: 'c', image: 'x', ports: [{ containerPort: port }] }] } },
  },
});
const PG_POLICY = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'pg', namespace: 'db' },
  spec: {
    podSelector: { matchLabels: { app: 'pg' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }],
  },
};
const WORKLOADS = [ns('shop'), ns('db'), workload('Deployment', 'shop', 'web', 'web', 8080), workload('StatefulSet', 'db', 'pg', 'pg', 5432, 'pg')];
const SHOP = write('shop.yaml', [...WORKLOADS, PG_POLICY]);
const OPEN = write('open.yaml', WORKLOADS);

describe('verify --matrix', () => {
  test('text: one line per connection, SRC => DST : PORTS, workloads named as a user does, no tenant tree needed', () => {
    const r = cli(['verify', '--manifests', SHOP, '--matrix']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Reachability: 7 endpoints, 8 port classes, 1 policy; 21 connections (pairs with nothing allowed are not listed)');
    expect(lines).toContain('shop/deployment/web => db/statefulset/pg : TCP 5432');
    expect(lines).toContain('db/statefulset/pg => shop/deployment/web : All Connections');
    expect(lines.filter((l) => l.endsWith('=> db/statefulset/pg : TCP 5432') || l.includes('=> db/statefulset/pg'))).toEqual(['shop/deployment/web => db/statefulset/pg : TCP 5432']);
    expect(lines).not.toContain('world => kube-apiserver : All Connections'); // entity pairs: only towards host
    expect(lines).toContain('world => host : All Connections');
  });

  test('json, csv, dot and mermaid carry the same connections', () => {
    const json = JSON.parse(cli(['verify', '--manifests', SHOP, '--matrix', '--format', 'json']).out);
    expect(json.summary).toEqual({ connections: 21, endpoints: 7, policies: 1, portClasses: 8, undetermined: 0 });
    expect(json.portClasses).toEqual(['TCP/1-5431', 'TCP/5432', 'TCP/5433-8079', 'TCP/8080', 'TCP/8081-65535', 'UDP/1-65535', 'SCTP/1-65535', 'ICMP/all']);
    expect(json.connections.find((c: any) => c.destination === 'db/statefulset/pg')).toEqual({
      source: 'shop/deployment/web', destination: 'db/statefulset/pg', ports: 'TCP 5432', allowed: ['TCP/5432'], undetermined: [],
    });
    expect(json.endpoints.find((e: any) => e.id === 'db/statefulset/pg').labels).toEqual({ 'app': 'pg', 'io.cilium.k8s.policy.serviceaccount': 'pg' });
    const csv = cli(['verify', '--manifests', SHOP, '--matrix', '--format', 'csv']).out.split('\n');
    expect(csv[0]).toBe('src,dst,conn,undetermined');
    expect(csv).toContain('shop/deployment/web,db/statefulset/pg,TCP 5432,');
    expect(csv.filter((l) => l !== '')).toHaveLength(22);
    const dot = cli(['verify', '--manifests', SHOP, '--matrix', '--format', 'dot']).out;
    expect(dot).toMatch(/^digraph reachability \{/);
    expect(dot).toContain('  "shop/deployment/web" -> "db/statefulset/pg" [label="TCP 5432"];');
    expect(dot).toContain('  "world" [shape=ellipse];');
    const mermaid = cli(['verify', '--manifests', SHOP, '--matrix', '--format', 'mermaid']).out;
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid).toContain('    n1["shop/deployment/web"]');
    expect(mermaid).toContain('  n1 -->|"TCP 5432"| n0');
  });

  test('on a tenant tree too (the contract example), exit 0', () => {
    const r = cli(['verify', '--config', CONTRACT, '--matrix']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Reachability: \d+ endpoints/);
    expect(r.out).toContain('world => tenant-acme/pods:');
  });

  test('a port class for every range a policy names: every concrete port the model allows is in an allowed class', () => {
    const cnp = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '9000', endPort: 9100, protocol: 'ANY' }, { port: '443', protocol: 'TCP' }] }] }],
        ingressDeny: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '9050', protocol: 'UDP' }] }] }],
      },
    };
    const objects = [...WORKLOADS, cnp];
    expect(portClasses(objects).map(className)).toEqual([
      'TCP/1-442', 'TCP/443', 'TCP/444-5431', 'TCP/5432', 'TCP/5433-8079', 'TCP/8080', 'TCP/8081-8999', 'TCP/9000-9100', 'TCP/9101-65535',
      'UDP/1-8999', 'UDP/9000-9049', 'UDP/9050', 'UDP/9051-9100', 'UDP/9101-65535', 'SCTP/1-8999', 'SCTP/9000-9100', 'SCTP/9101-65535', 'ICMP/all',
    ]);
    const m = analyzerMatrix(objects);
    const c = m.connections.find((x) => x.source === 'world' && x.destination === 'shop/deployment/web')!;
    const allowed = new Set(c.allowed.map((i) => className(m.classes[i])));
    expect([...allowed]).toEqual(['TCP/443', 'TCP/9000-9100', 'UDP/9000-9049', 'UDP/9051-9100', 'SCTP/9000-9100']);
    // every concrete port: the model's verdict is the verdict of its class
    const reach = new CiliumPolicyModel(objects).evaluate([{ id: 'w', entity: 'world' }, { id: 'web', namespace: 'shop', labels: { 'app': 'web', 'io.cilium.k8s.policy.serviceaccount': 'default' } }]);
    for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
      for (let port = 1; port <= 65535; port += port < 8900 || port > 9200 ? 97 : 1) {
        const cls = m.classes.find((k) => k.protocol === protocol && k.from <= port && port <= k.to)!;
        expect({ protocol, port, allowed: reach.allowed('w', 'web', port, protocol) }).toEqual({ protocol, port, allowed: allowed.has(className(cls)) });
      }
    }
  });
});

describe('verify --explain-file', () => {
  test('answers every query in one run, on the analyzer endpoints without a tenant tree', () => {
    const q = path.join(tmp, 'queries.txt');
    fs.writeFileSync(q, '# who reaches the database\nshop/deployment/web db/statefulset/pg 5432/TCP\n\nshop/deployment/web db/statefulset/pg 5433  # not this one\nworld db/statefulset/pg ICMP\n');
    const r = cli(['verify', '--manifests', SHOP, '--explain-file', q]);
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      'shop/deployment/web -> db/statefulset/pg TCP/5432: ALLOWED',
      '  EGRESS ALLOWED: no egress policy selects shop/deployment/web',
      '  INGRESS ALLOWED BY: NetworkPolicy db/pg ingress[0] from[0]',
      '',
      'shop/deployment/web -> db/statefulset/pg TCP/5433: DENIED',
      '  EGRESS ALLOWED: no egress policy selects shop/deployment/web',
      '  INGRESS DENIED: default deny; db/statefulset/pg is selected by NetworkPolicy db/pg and no ingress rule admits the peer',
      '',
      'world -> db/statefulset/pg ICMP/type-8: DENIED',
      '  EGRESS ALLOWED: no egress policy selects world',
      '  INGRESS DENIED: default deny; db/statefulset/pg is selected by NetworkPolicy db/pg and no ingress rule admits the peer',
      '',
      '3 queries answered.',
      '',
    ].join('\n'));
    const json = JSON.parse(cli(['verify', '--manifests', SHOP, '--explain-file', q, '--format', 'json']).out);
    expect(json.queries).toBe(3);
    expect(json.answers[1]).toMatchObject({ query: 'shop/deployment/web db/statefulset/pg 5433', at: `--explain-file ${q}:4` });
  });

  test('with a tenant tree: each answer against the intention, exit 1 when one differs', () => {
    const q = path.join(tmp, 'tenants.txt');
    fs.writeFileSync(q, 'tenant-beta tenant-acme 8080/TCP\nworld tenant-acme/expose:passthrough-vm1 ICMP\n');
    const ok = cli(['verify', '--config', CONTRACT, '--explain-file', q]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('tenant-beta/pod -> tenant-acme/pod TCP/8080: DENIED (as intended)');
    expect(ok.out).toMatch(/\n2 queries answered, each as intended\.\n$/);
    const objects = new Platform(new Construct(undefined as any, ''), 'p', { ...readPlatformFile(CONTRACT), delivery: { terraform: false } }).objects();
    const all = { endpointSelector: {}, ingress: [{ fromEntities: ['all'] }], egress: [{ toEntities: ['all'] }] };
    const opened = write('opened.yaml', [...objects,
      { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'open-everything' }, spec: all }]);
    const bad = cli(['verify', '--manifests', opened, '--explain-file', q]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('tenant-beta/pod -> tenant-acme/pod TCP/8080: ALLOWED (intended denied)');
    expect(bad.out).toMatch(/\nVIOLATED: 1 of 2 answers differ from the intended reachability\.\n$/);
  });

  test('a malformed line or an unknown endpoint names the file and line; nothing is answered', () => {
    const q = path.join(tmp, 'bad.txt');
    fs.writeFileSync(q, 'shop/deployment/web db/statefulset/pg\nonly-one\n');
    expect(cli(['verify', '--manifests', SHOP, '--explain-file', q])).toMatchObject({ code: 1, out: '', err: expect.stringContaining(`error: --explain-file ${q}:2: must be SRC DST [PORT/PROTOCOL]`) });
    fs.writeFileSync(q, 'shop/deployment/web db/statefulset/pg\nshop/deployment/web db/nope 80\n');
    expect(cli(['verify', '--manifests', SHOP, '--explain-file', q])).toMatchObject({ code: 1, out: '', err: expect.stringContaining(`error: --explain-file ${q}:2: DST: is not an endpoint of the matrix`) });
    fs.writeFileSync(q, 'shop/deployment/web db/statefulset/pg 70000\n');
    expect(cli(['verify', '--manifests', SHOP, '--explain-file', q])).toMatchObject({ code: 1, err: expect.stringContaining(`error: --explain-file ${q}:1: PORT: must be PORT[/PROTOCOL]`) });
    fs.writeFileSync(q, '# nothing\n');
    expect(cli(['verify', '--manifests', SHOP, '--explain-file', q])).toMatchObject({ code: 1, err: expect.stringContaining('holds no query') });
    expect(cli(['verify', '--manifests', SHOP, '--explain-file', q, '--explain', 'a', 'b'])).toMatchObject({ code: 1, err: expect.stringContaining('and --explain both ask') });
  });
});

describe('verify --matrix --against: the connectivity diff', () => {
  test('a policy that closes ports: pairs listed with before and now, exit 0 (nothing opened)', () => {
    const r = cli(['verify', '--manifests', SHOP, '--matrix', '--against', OPEN]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Connectivity diff against ${OPEN}: 6 pairs changed; 0 with ports opened, 6 with ports closed.`);
    expect(r.out).toContain('~ shop/deployment/web => db/statefulset/pg : All Connections -> TCP 5432');
    expect(r.out).toContain('- world => db/statefulset/pg : All Connections -> none');
    expect(r.out).toMatch(/\nOK: the change opens no connection\.\n$/);
  });

  test('removing it opens them: exit 1; csv and json list the same pairs', () => {
    const r = cli(['verify', '--manifests', OPEN, '--matrix', '--against', SHOP]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('+ world => db/statefulset/pg : none -> All Connections');
    expect(r.out).toContain('OPENED: the change opens ports on 6 pairs');
    const csv = cli(['verify', '--manifests', OPEN, '--matrix', '--against', SHOP, '--format', 'csv']);
    expect(csv.code).toBe(1);
    expect(csv.out.split('\n')).toContain('changed,shop/deployment/web,db/statefulset/pg,TCP 5432,All Connections');
    const json = JSON.parse(cli(['verify', '--manifests', OPEN, '--matrix', '--against', SHOP, '--format', 'json']).out);
    expect(json.summary).toEqual({ changed: 6, closed: 0, opened: 6 });
    expect(json.changes.find((c: any) => c.diff === 'changed').opened).toEqual(['TCP/1-5431', 'TCP/5433-8079', 'TCP/8080', 'TCP/8081-65535', 'UDP/1-65535', 'SCTP/1-65535', 'ICMP/all']);
  });

  test('--against without a tenant tree is the connectivity diff too', () => {
    expect(cli(['verify', '--manifests', OPEN, '--against', SHOP]).code).toBe(1);
  });
});

describe('limits', () => {
  test('more endpoints than --matrix lists: exit 1 saying how to narrow the input', () => {
    const saved = MATRIX_LIMITS.endpoints;
    (MATRIX_LIMITS as any).endpoints = 5;
    try {
      expect(cli(['verify', '--manifests', SHOP, '--matrix'])).toMatchObject({ code: 1, out: '', err: expect.stringContaining('error: --matrix: the input has more than 5 endpoints') });
    } finally {
      (MATRIX_LIMITS as any).endpoints = saved;
    }
  });
});

describe('flags', () => {
  test('csv, mermaid and dot go with --matrix; verify without a tenant tree points at --matrix', () => {
    expect(cli(['verify', '--manifests', SHOP, '--format', 'csv'])).toMatchObject({ code: 1, err: expect.stringContaining('error: --format: must be text or json; csv, mermaid and dot go with --matrix (got "csv")') });
    expect(cli(['verify', '--manifests', SHOP, '--matrix', '--format', 'png'])).toMatchObject({ code: 1, err: expect.stringContaining('must be text, json, csv, mermaid, dot with --matrix') });
    expect(cli(['verify', '--manifests', SHOP])).toMatchObject({ code: 1, err: expect.stringContaining('--matrix shows who reaches whom on which ports without one') });
  });
});
