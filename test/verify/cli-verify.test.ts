import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { parseAllDocuments, stringify } from 'yaml';
import { Platform, verifyTenantIsolation } from '../../src';
import { run } from '../../src/cli/main';
import { loadManifests, tenantTreeFromNamespaces } from '../../src/cli/verify-command';
import { readPlatformFile } from '../../src/platform/file';

const CONTRACT = path.join(__dirname, '..', '..', 'examples', 'platforms', 'contract.yaml');
const HANDWRITTEN = path.join(__dirname, 'fixtures', 'handwritten');

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-verify-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function contractObjects(): any[] {
  return new Platform(new Construct(undefined as any, ''), 'p', { ...readPlatformFile(CONTRACT), delivery: { terraform: false } }).objects();
}

/** Writes objects as `kubectl get ... -o yaml` does: one List, with server fields. */
function writeListDump(file: string, objects: any[]): void {
  const items = objects.map((o, i) => ({ ...o, metadata: { ...o.metadata, resourceVersion: String(1000 + i), uid: `uid-${i}` }, status: {} }));
  fs.writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }));
}

const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });

describe('cozynet verify on the contract example', () => {
  test('the passthrough VM, Gateway API backends and webhooks are reachable, siblings apart, tenant policies cannot breach', () => {
    const r = cli(['verify', '--config', CONTRACT]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Tenant isolation: OK \(4 tenants, 48 endpoints/);
    expect(r.out).toContain('Tenant-authored policies: OK (the widest policy each of the 4 tenants can write in its own namespace opens no path to or from another tenant)');
    // every destination on every class of ports the policies (the host firewall's included) distinguish, listed once
    expect(r.out).toMatch(/\nProbes \(every destination, one per class of protocol and port that the policies and the intention distinguish; \d+ probes\):\n  TCP\/8080 UDP\/8080 SCTP\/8080 UDP\/53 TCP\/53 /);
    expect(r.out).toContain('\n  14  tenant-acme/expose:passthrough-vm1\n');
    const row = (src: string) => r.out.split('\n').find((l) => l.startsWith(`  ${src} `))!.replace(/ +/g, ' ').trim().split(' ').slice(1);
    expect(row('world')[13]).toBe('✓'); // the VM, every probed port and ICMP
    expect(row('world')[8]).toBe('·'); // other pods of tenant-acme stay closed
    expect(new Set(row('ingress'))).toEqual(new Set(['✓'])); // Gateway API backends
    expect(new Set(row('kube-apiserver'))).toEqual(new Set(['✓'])); // webhooks
    expect(row('tenant-beta/pod').slice(8, 32)).toEqual(Array(24).fill('·')); // siblings apart, the VM included
  });

  test('--explain names the deciding rules', () => {
    const r = cli(['verify', '--config', CONTRACT, '--explain', 'world', 'tenant-acme/expose:passthrough-vm1', '--port', 'ICMP']);
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      'world -> tenant-acme/expose:passthrough-vm1 ICMP/type-8: ALLOWED (as intended)',
      '  EGRESS ALLOWED: no egress policy selects world',
      '  INGRESS ALLOWED BY: CiliumClusterwideNetworkPolicy cozynet-expose-tenant-acme-passthrough-vm1 ingress[0]',
      '  intended: exposure passthrough-vm1 of tenant-acme admits the world on ICMP/type-8',
      '',
    ].join('\n'));
    const denied = cli(['verify', '--config', CONTRACT, '--explain', 'tenant-beta', 'tenant-acme', '--port', '8080/TCP']);
    expect(denied.out).toContain('tenant-beta/pod -> tenant-acme/pod TCP/8080: DENIED (as intended)');
    expect(denied.out).toContain('EGRESS DENIED: default deny; tenant-beta/pod is selected by CiliumClusterwideNetworkPolicy cozynet-tenant-baseline specs[0]');
    const json = JSON.parse(cli(['verify', '--config', CONTRACT, '--explain', 'tenant-acme', 'tenant-acme-dev', '--format', 'json']).out);
    // every probe gives the same verdict by the same rules: one entry naming them all
    expect(json).toHaveLength(1);
    expect(json[0].probe).toMatch(/^TCP\/8080, UDP\/8080, SCTP\/8080, UDP\/53, TCP\/53, /);
    expect(json[0].decision.egress.rules).toEqual(['CiliumNetworkPolicy tenant-acme/cozynet-tenant specs[0] egress[0]']);
    expect(json[0].decision.ingress.rules).toEqual(['CiliumClusterwideNetworkPolicy cozynet-subtree-tenant-acme ingress[0]']);
  });

  test('--explain mistakes are user errors', () => {
    expect(cli(['verify', '--config', CONTRACT, '--explain', 'tenant-nope', 'world'])).toMatchObject({ code: 1, err: expect.stringMatching(/^error: --explain SRC: is not an endpoint of the matrix/) });
    expect(cli(['verify', '--config', CONTRACT, '--explain', 'world'])).toMatchObject({ code: 1, err: expect.stringMatching(/takes two endpoints/) });
    expect(cli(['verify', '--config', CONTRACT, '--explain', 'world', 'tenant-acme', '--port', '99999'])).toMatchObject({ code: 1, err: expect.stringMatching(/^error: --port: must be PORT/) });
  });
});

describe('cozynet verify --manifests', () => {
  test('a kubectl List dump of the contract output verifies clean', () => {
    const file = path.join(tmp, 'dump.yaml');
    writeListDump(file, contractObjects());
    const r = cli(['verify', '--manifests', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Tenant isolation: OK \(4 tenants, 48 endpoints/);
  });

  test('hand-written NetworkPolicy and CCNP set: differences name the NetworkPolicies, FQDN cells are undetermined', () => {
    const r = cli(['verify', '--manifests', HANDWRITTEN, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.summary.tenants).toBe(3);
    expect(report.uncertainRules).toEqual(['CiliumClusterwideNetworkPolicy tenant-egress egress[1]: toFQDNs ["api.example.com"] (which addresses a name resolves to is not known offline)']);
    expect(report.undetermined.some((u: any) => u.source === 'tenant-a/pod' && u.destination === 'world')).toBe(true);
    // tenant-root reaches tenant-b on 8080 through NetworkPolicy tenant-b/from-root-and-system, but not tenant-a
    const explain = cli(['verify', '--manifests', HANDWRITTEN, '--explain', 'tenant-root', 'tenant-a']);
    expect(explain.out).toContain('INGRESS DENIED: default deny; tenant-a/pod is selected by NetworkPolicy tenant-a/same-namespace');
    const b = cli(['verify', '--manifests', HANDWRITTEN, '--explain', 'tenant-root', 'tenant-b', '--port', '8080/TCP']);
    expect(b.out).toContain('INGRESS ALLOWED BY: NetworkPolicy tenant-b/from-root-and-system ingress[0] from[0]');
    // receiver-side isolation holds: a's widest policy opens nothing in b, except b's own choices
    expect(report.tenantAuthored.opened.every((d: any) => !(d.source.startsWith('tenant-a/') && d.destination.startsWith('tenant-b/')))).toBe(true);
  });

  test('an egress-only (sender-side) isolation fails the tenant-authored check', () => {
    const namespaces = contractObjects().filter((o) => o.kind === 'Namespace' && o.metadata.name.startsWith('tenant-'));
    const nsLabel = (ns: string) => ({ [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' });
    const policies = namespaces.map((n) => CNP(n.metadata.name, 'egress-only', {
      endpointSelector: {},
      egress: [{ toEndpoints: [{ matchLabels: nsLabel(n.metadata.name) }] }],
      ingress: [{ fromEntities: ['world', 'cluster'] }],
    }));
    const file = path.join(tmp, 'egress-only.yaml');
    writeListDump(file, [...namespaces, ...policies]);
    const r = cli(['verify', '--manifests', file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Tenant-authored policies: BREACHED \(a tenant alone can open \d+ cells/);
    expect(r.out).toContain('! tenant-acme/pod -> tenant-root/pod TCP/8080, UDP/8080, SCTP/8080, UDP/53, TCP/53, ICMP/type-8, ICMPv6/type-0: tenant-acme alone opened it with an egress policy in its own namespace; the receiver must refuse');
    expect(r.out).toContain('because: egress allowed by the widest tenant policy (egress); ingress allowed by CiliumNetworkPolicy tenant-root/egress-only ingress[0]');
    const report = JSON.parse(cli(['verify', '--manifests', file, '--format', 'json']).out);
    expect(report.tenantAuthored.opened.some((d: any) => d.source === 'tenant-beta/pod' && d.destination === 'tenant-acme/pod')).toBe(true);
  });

  test('four tenants and plain CiliumNetworkPolicies (no platform isolation): a verdict, not a crash (issue 20, finding 2)', () => {
    // each policy selects its own pods: many small rows minus many selections (it crashed from about 8 policies on)
    const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'tenant.cozystack.io/tenant-root': '', [`tenant.cozystack.io/${name}`]: '' } } });
    const namespaces = ['tenant-root', 'tenant-a', 'tenant-b', 'tenant-c'].map(ns);
    for (const count of [8, 12, 200]) {
      const policies = Array.from({ length: count }, (_, i) => CNP(namespaces[i % 4].metadata.name, `p${i}`, {
        endpointSelector: { matchLabels: { app: `a${i}` } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: `b${i}` } }] }],
        egress: [{ toEndpoints: [{ matchLabels: { app: `c${i}` } }] }],
      }));
      const file = path.join(tmp, `plain-${count}.yaml`);
      fs.writeFileSync(file, [...namespaces, ...policies].map((o) => stringify(o)).join('---\n'));
      const r = cli(['verify', '--manifests', file]);
      expect([count, r.err]).toEqual([count, '']);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^Tenant isolation: VIOLATED \(4 tenants, \d+ endpoints/);
      expect(r.out).toMatch(/VIOLATED: \d+ of \d+ checks differ from the intended reachability/);
    }
  });

  test('policies at API versions no cluster serves are exit 1 naming each object, never a proof (issue 20, finding 3)', () => {
    const out = path.join(tmp, 'out-v3');
    new Platform(new Construct(undefined as any, ''), 'p', { ...readPlatformFile(CONTRACT), delivery: { terraform: false } }).synthesize(out);
    const manifests: string[] = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).manifests;
    for (const rel of manifests) {
      const file = path.join(out, rel);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('cilium.io/v2').join('cilium.io/v3'));
    }
    const r = cli(['verify', '--manifests', out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/Tenant isolation: OK|internal error/);
    expect(r.err).toMatch(/^error: 11 problems:/);
    expect(r.err).toContain(`${path.join(out, 'manifests', 'tenants.yaml')}: document 10: CiliumNetworkPolicy tenant-root/cozynet-tenant: ` +
      'apiVersion cilium.io/v3 is not served: CiliumNetworkPolicy is served at cilium.io/v2 (the CustomResourceDefinition in crds/cilium.io.yaml); ' +
      'no cluster holds this object, so it enforces nothing (got "cilium.io/v3")');
    expect(r.err).toContain(': document 5: CiliumClusterwideNetworkPolicy cozynet-tenant-baseline: apiVersion cilium.io/v3 is not served');
    // the same objects at the served version verify clean
    for (const rel of manifests) {
      const file = path.join(out, rel);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('cilium.io/v3').join('cilium.io/v2'));
    }
    expect(cli(['verify', '--manifests', out])).toMatchObject({ code: 0, out: expect.stringMatching(/^Tenant isolation: OK/) });
  });

  test('a NetworkPolicy at networking.k8s.io/v9 in a List dump is named by file, document and item', () => {
    const dir = path.join(tmp, 'handwritten-v9');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(HANDWRITTEN, 'namespaces.yaml'), path.join(dir, 'namespaces.yaml'));
    const list = JSON.parse(fs.readFileSync(path.join(HANDWRITTEN, 'policies.json'), 'utf8'));
    const k = list.items.findIndex((o: any) => o.kind === 'NetworkPolicy');
    list.items[k].apiVersion = 'networking.k8s.io/v9';
    fs.writeFileSync(path.join(dir, 'policies.json'), JSON.stringify(list));
    const r = cli(['verify', '--manifests', dir]);
    expect(r.code).toBe(1);
    const o = list.items[k];
    expect(r.err).toBe(`error: ${path.join(dir, 'policies.json')}: document 1 items[${k}]: NetworkPolicy ${o.metadata.namespace}/${o.metadata.name}: ` +
      'apiVersion networking.k8s.io/v9 is not served: NetworkPolicy is served at networking.k8s.io/v1 (the Kubernetes API the layer targets (schemas/kubernetes)); ' +
      'no cluster holds this object, so it enforces nothing (got "networking.k8s.io/v9")\n');
  });

  test('documents read one at a time give the same values as the YAML library (special numbers, a __proto__ key, lists, errors by line)', () => {
    const file = path.join(tmp, 'values.yaml');
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: default }\ndata: { x: "1" }\nextra: [.inf, -.inf, .nan, 0x1f, null, true, "long string value that is sliced"]',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b, namespace: default }\n__proto__: { polluted: yes }\nlist: &l [a, b]\nagain: *l',
      '',
    ].join('\n---\n');
    fs.writeFileSync(file, text);
    const want = parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null);
    const got = loadManifests([file]).objects;
    expect(got).toEqual(want);
    expect(Object.prototype.hasOwnProperty.call(got[1], '__proto__')).toBe(true);
    expect(({} as any).polluted).toBeUndefined();
    expect(Number.isNaN(got[0].extra[2])).toBe(true);
    fs.writeFileSync(file, 'a: 1\n---\nb: 1\nb: 2\n');
    expect(() => loadManifests([file])).toThrow(`${file}:4: is not valid YAML: Map keys must be unique at line 4, column 1`);
  });

  test('tenant tree from namespace labels', () => {
    const ns = (name: string, ...labels: string[]) => ({ kind: 'Namespace', metadata: { name, labels: Object.fromEntries(labels.map((l) => [`tenant.cozystack.io/${l}`, ''])) } });
    expect(tenantTreeFromNamespaces([
      ns('tenant-root', 'tenant-root'), ns('tenant-acme-dev', 'tenant-root', 'tenant-acme', 'tenant-acme-dev'),
      ns('tenant-acme', 'tenant-root', 'tenant-acme'), ns('tenant-beta', 'tenant-root', 'tenant-beta'), ns('default'),
    ])).toEqual([{ name: 'root', children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }]);
    expect(tenantTreeFromNamespaces([ns('default')])).toBeUndefined();
    expect(() => tenantTreeFromNamespaces([ns('tenant-a', 'tenant-a')])).toThrow(/no tenant-root/);
  });

  test('no tenants, missing files, symlinks out of the folder are user errors', () => {
    const empty = path.join(tmp, 'empty.yaml');
    fs.writeFileSync(empty, 'apiVersion: v1\nkind: Namespace\nmetadata: { name: default }\n');
    expect(cli(['verify', '--manifests', empty])).toMatchObject({ code: 1, err: expect.stringMatching(/holds no tenant namespaces/) });
    expect(cli(['verify', '--manifests', path.join(tmp, 'nope')])).toMatchObject({ code: 1, err: expect.stringMatching(/no such file or folder/) });
    const dir = path.join(tmp, 'escape');
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(HANDWRITTEN, 'namespaces.yaml'), path.join(dir, 'link.yaml'));
    expect(cli(['verify', '--manifests', dir])).toMatchObject({ code: 1, err: expect.stringMatching(/symbolic link that leads out of the folder/) });
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, 'a: [\n');
    expect(cli(['verify', '--manifests', bad])).toMatchObject({ code: 1, err: expect.stringMatching(/is not valid YAML/) });
  });

  test('loadManifests reads an output folder through its index.json only', () => {
    const out = path.join(tmp, 'out-index');
    new Platform(new Construct(undefined as any, ''), 'p', { ...readPlatformFile(CONTRACT), delivery: { terraform: false } }).synthesize(out);
    fs.writeFileSync(path.join(out, 'stray.yaml'), 'kind: Namespace\nmetadata: { name: stray }\n');
    const loaded = loadManifests([out]);
    expect(loaded.files.every((f) => f.includes(`${path.sep}manifests${path.sep}`))).toBe(true);
    expect(loaded.objects.some((o) => o.metadata?.name === 'stray')).toBe(false);
  });
});

describe('cozynet verify --cilium-version', () => {
  // A NetworkPolicy admitting pods of every namespace but b (cilium/cilium#46949).
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'not-b', namespace: 'a' },
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['b'] }] } }] }] },
    },
  ];

  test('1.19 (the default) lets a NotIn namespace selector admit the world and the nodes; 1.20 admits pods only', () => {
    const file = path.join(tmp, 'notin.yaml');
    fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    const rowsTo = (out: string, dst: string) => out.split('\n').filter((l) => l.split(',')[1] === dst).map((l) => l.split(',')[0]);
    const byDefault = cli(['verify', '--manifests', file, '--matrix', '--format', 'csv']);
    const v119 = cli(['verify', '--manifests', file, '--matrix', '--format', 'csv', '--cilium-version', '1.19']);
    const v120 = cli(['verify', '--manifests', file, '--matrix', '--format', 'csv', '--cilium-version', '1.20']);
    expect([byDefault.code, v119.code, v120.code]).toEqual([0, 0, 0]);
    expect(v119.out).toBe(byDefault.out);
    expect(rowsTo(v119.out, 'a/pod')).toEqual(['world', 'kube-apiserver', 'host', 'remote-node', 'ingress']);
    expect(rowsTo(v120.out, 'a/pod')).toEqual([]);
    // b is refused either way
    expect(v120.out).not.toMatch(/^b\/pod,a\/pod/m);
  });

  test('a release the verifier does not know is exit 1 naming the option and the releases it knows', () => {
    const r = cli(['verify', '--cilium-version', '1.21']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--cilium-version: must be 1.19 or 1.20');
    expect(r.err).toContain('(got "1.21")');
  });

  test('the library option: verifyTenantIsolation refuses an unknown release by field', () => {
    expect(() => verifyTenantIsolation({ tenants: [{ name: 'root' }] }, undefined, { ciliumVersion: '2.0' })).toThrow(/ciliumVersion: must be 1\.19 or 1\.20 \(got "2\.0"\)/);
  });
});

describe('cozynet verify --against', () => {
  const before = path.join(tmp, 'before');
  beforeAll(() => {
    new Platform(new Construct(undefined as any, ''), 'p', { ...readPlatformFile(CONTRACT), delivery: { terraform: false } }).synthesize(before);
  });

  test('the same platform: nothing opens or closes', () => {
    const r = cli(['verify', '--config', CONTRACT, '--against', before]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`cozynet verify --against ${before}: 0 cell(s) opened, 0 closed.`);
  });

  test('a change that opens a path between siblings exits 1 and says so', () => {
    const file = path.join(tmp, 'leaky.yaml');
    writeListDump(file, [...contractObjects(),
      CNP('tenant-beta', 'to-acme', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme' } }] }] }),
      CNP('tenant-acme', 'from-beta', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta' } }] }] })]);
    const r = cli(['verify', '--manifests', file, '--against', before]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\n  \+ tenant-beta\/pod -> tenant-acme\/pod TCP\/8080, UDP\/8080, SCTP\/8080, UDP\/53, TCP\/53, [^\n]*ICMPv6\/type-0 {2}\*\* between tenants, not intended \*\*\n/);
    expect(r.out).toContain('now: egress allowed by CiliumNetworkPolicy tenant-beta/to-acme egress[0]; ingress allowed by CiliumNetworkPolicy tenant-acme/from-beta ingress[0]');
    expect(r.out.trimEnd().split('\n').pop()).toMatch(/^VIOLATED: the change opens \d+ cell\(s\) between tenants that are not intended\.$/);
    const json = JSON.parse(cli(['verify', '--manifests', file, '--against', before, '--format', 'json']).out);
    expect(json.ok).toBe(false);
    expect(json.opened.breaches).toBeGreaterThan(0);
    expect(json.closed.count).toBe(0);
  });

  test('pods that only a user policy selects get their own row and column', () => {
    const file = path.join(tmp, 'api.yaml');
    writeListDump(file, [...contractObjects(),
      CNP('tenant-beta', 'to-acme', { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }] }),
      CNP('tenant-acme', 'from-beta', { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta' } }] }] })]);
    const r = cli(['verify', '--manifests', file, '--against', before]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('cozynet verify --against');
    // the app=api pods, alone or with a service kind, the apiserver label or both (8 endpoints), from tenant-beta's 16, on TCP/8080
    expect(r.out).toContain(': 128 cell(s) opened, 0 closed; 128 open a path between tenants that is not intended.');
    expect(r.out).toContain('  + tenant-beta/pod -> tenant-acme/pods:app=api TCP/8080  ** between tenants, not intended **');
  });

  test('a change that closes the passthrough lists the closed cells and exits 0', () => {
    const file = path.join(tmp, 'closed.yaml');
    writeListDump(file, contractObjects().filter((o) => o.metadata.name !== 'cozynet-expose-tenant-acme-passthrough-vm1'));
    const r = cli(['verify', '--manifests', file, '--against', before]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n  - world -> tenant-acme\/expose:passthrough-vm1 TCP\/8080, UDP\/8080, SCTP\/8080, [^\n]*ICMP\/type-8, [^\n]* {2}\(intended allowed\)\n/);
  });
});
