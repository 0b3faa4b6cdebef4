/**
 * `cozynet verify --cluster` against a local HTTP server on 127.0.0.1 that
 * serves recorded API responses (test/verify/cluster-fixtures/api, written
 * by record.ts there), through a kubeconfig that points at it.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import { parseAllDocuments, stringify } from 'yaml';
import { CLUSTER_RESOURCES, listPath, readCluster } from '../../src/cli/cluster-reader';
import { run, runInterruptible } from '../../src/cli/main';
import { loadManifests } from '../../src/cli/verify-command';

const FIXTURES = path.join(__dirname, 'cluster-fixtures', 'api');
const RBAC = path.join(__dirname, '..', '..', 'examples', 'verify-rbac.yaml');
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.verify-test';

interface Served { method: string; path: string; query: URLSearchParams; auth?: string }

/** The recorded API server: GET of a recorded list, 401 without the token, 403 for `forbidden`, 404 for what is not recorded. */
class RecordedApiServer {
  public readonly requests: Served[] = [];
  public forbidden = new Set<string>();
  public hidden = new Set<string>();
  private server = http.createServer((req, res) => this.handle(req, res));

  public async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  public stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, auth: req.headers.authorization });
    const status = (code: number, reason: string, message: string) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
    };
    if (req.method !== 'GET') return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return status(401, 'Unauthorized', 'Unauthorized');
    const parts = url.pathname.split('/');
    const resource = parts[parts.length - 1];
    const group = parts[1] === 'api' ? '' : parts[2];
    if (this.forbidden.has(resource)) {
      return status(403, 'Forbidden', `${resource}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:kube-system:cozynet-verify" ` +
        `cannot list resource "${resource}" in API group "${group}" at the cluster scope`);
    }
    const token = url.searchParams.get('continue');
    const file = path.join(FIXTURES, `${url.pathname.slice(1).replace(/\//g, '_')}${token ? `@${token}` : ''}.json`);
    if (this.hidden.has(resource) || !fs.existsSync(file)) return status(404, 'NotFound', 'the server could not find the requested resource');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(fs.readFileSync(file));
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-cluster-'));
const api = new RecordedApiServer();
let kubeconfig: string;
let port: number;

function writeKubeconfig(file: string, server: string, context = 'verify@test'): string {
  fs.writeFileSync(file, stringify({
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: 'test', cluster: { server } }],
    'users': [{ name: 'verify', user: { token: TOKEN } }],
    'contexts': [{ name: context, context: { cluster: 'test', user: 'verify' } }, { name: 'other', context: { cluster: 'test', user: 'nobody' } }],
    'current-context': context,
  }));
  return file;
}

beforeAll(async () => {
  port = await api.start();
  kubeconfig = writeKubeconfig(path.join(tmp, 'kubeconfig'), `http://127.0.0.1:${port}`);
});
afterAll(async () => {
  await api.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  api.requests.length = 0;
  api.forbidden.clear();
  api.hidden.clear();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runInterruptible(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** `kubectl get ns,svc,pods,deploy,sts,ds,rs,jobs,cronjobs,netpol,cnp,ccnp,cep -A -o yaml` of the recorded objects: one List, apiVersion and kind on every item, no managedFields. */
function kubectlDump(file: string): void {
  const items: any[] = [];
  for (const r of CLUSTER_RESOURCES) {
    let name = listPath(r).slice(1).replace(/\//g, '_');
    for (;;) {
      const f = path.join(FIXTURES, `${name}.json`);
      if (!fs.existsSync(f)) break;
      const list = JSON.parse(fs.readFileSync(f, 'utf8'));
      for (const item of list.items) {
        const { managedFields: _m, ...metadata } = item.metadata;
        items.push({ ...item, apiVersion: list.apiVersion, kind: list.kind.replace(/List$/, ''), metadata });
      }
      if (!list.metadata.continue) break;
      name = `${listPath(r).slice(1).replace(/\//g, '_')}@${list.metadata.continue}`;
    }
  }
  fs.writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }));
}

describe('verify --cluster', () => {
  test('reads every resource with GET, page by page, and gives the objects of a kubectl dump', async () => {
    const notes: string[] = [];
    const read = await readCluster({ kubeconfig, note: (t) => notes.push(t) });
    expect(api.requests.every((r) => r.method === 'GET' && r.auth === `Bearer ${TOKEN}` && r.query.get('limit') === '500')).toBe(true);
    // every resource asked for once, pods twice (the second page through the continue token)
    expect(api.requests.map((r) => r.path)).toEqual(CLUSTER_RESOURCES.flatMap((r) => (r.resource === 'pods' ? [listPath(r), listPath(r)] : [listPath(r)])));
    const continued = api.requests.filter((r) => r.query.has('continue'));
    expect(continued.map((r) => r.path)).toEqual(['/api/v1/pods']);
    expect(read.skipped).toEqual(['virtualmachines.kubevirt.io']);
    expect(notes).toEqual(['cozynet: the cluster does not serve virtualmachines.kubevirt.io (kubevirt.io/v1); read none\n']);
    expect(read.label).toBe(`context verify@test (http://127.0.0.1:${port})`);
    const pods = read.objects.filter((o) => o.kind === 'Pod');
    expect(pods).toHaveLength(5);
    expect(read.objects.every((o) => typeof o.apiVersion === 'string' && typeof o.kind === 'string' && o.metadata.managedFields === undefined)).toBe(true);
    const dump = path.join(tmp, 'dump.yaml');
    kubectlDump(dump);
    expect(read.objects).toEqual(loadManifests([dump]).objects);
    expect(new Set(read.objects.map((o) => o.kind))).toEqual(new Set(['Namespace', 'Service', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob',
      'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'CiliumEndpoint']));
  });

  test.each([['text'], ['json']])('gives the same report as --manifests on a kubectl dump (%s)', async (format) => {
    const dump = path.join(tmp, `dump-${format}.yaml`);
    kubectlDump(dump);
    let out = '';
    let err = '';
    const offline = run(['verify', '--manifests', dump, '--format', format], { out: (t) => { out += t; }, err: (t) => { err += t; } });
    const live = await cli(['verify', '--cluster', '--kubeconfig', kubeconfig, '--format', format]);
    expect(err).toBe('');
    expect(live.err).toBe('cozynet: the cluster does not serve virtualmachines.kubevirt.io (kubevirt.io/v1); read none\n');
    expect(live.code).toBe(offline);
    expect(live.out).toBe(out);
    expect(live.code).toBe(0);
    if (format === 'text') expect(live.out).toMatch(/^Tenant isolation: OK \(4 tenants/);
  });

  test.each([['text'], ['csv']])('--matrix gives the same reachability as on the kubectl dump (%s)', async (format) => {
    const dump = path.join(tmp, `dump-matrix-${format}.yaml`);
    kubectlDump(dump);
    let out = '';
    const offline = run(['verify', '--manifests', dump, '--matrix', '--format', format], { out: (t) => { out += t; }, err: () => undefined });
    const live = await cli(['verify', '--cluster', '--kubeconfig', kubeconfig, '--matrix', '--format', format]);
    expect(live.code).toBe(offline);
    expect(live.out).toBe(out);
    // the workloads read from the cluster are endpoints, named as a user names them
    expect(live.out).toContain('tenant-acme/deployment/api');
    expect(live.out).not.toContain('replicaset/api-'); // owned by the Deployment
  });

  test('--against compares the cluster with a manifest set', async () => {
    const dump = path.join(tmp, 'dump-against.yaml');
    kubectlDump(dump);
    const r = await cli(['verify', '--cluster', '--kubeconfig', kubeconfig, '--against', dump]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('0 cell(s) opened, 0 closed');
  });

  test('KUBECONFIG and --context pick the kubeconfig and context as kubectl does', async () => {
    const env = { KUBECONFIG: [path.join(tmp, 'absent'), kubeconfig].join(path.delimiter), HOME: tmp };
    const read = await readCluster({ env });
    expect(read.label).toContain('context verify@test');
    await expect(readCluster({ env, context: 'other' })).rejects.toThrow(/context other: user: is not a user of the kubeconfig \(got "nobody"\)/);
  });

  test('a list the user may not read: exit 1 naming the resource and the verb', async () => {
    api.forbidden.add('networkpolicies');
    const r = await cli(['verify', '--cluster', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error: --cluster: may not list networkpolicies.networking.k8s.io cluster-wide (403 Forbidden: networkpolicies.networking.k8s.io is forbidden: User "system:serviceaccount:kube-system:cozynet-verify" cannot list resource "networkpolicies" in API group "networking.k8s.io" at the cluster scope); grant the verbs get and list on it (the ClusterRole in examples/verify-rbac.yaml)');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('Cilium policy CRDs absent: exit 1 (the model of Cilium does not apply); CiliumEndpoints absent: skipped', async () => {
    api.hidden.add('ciliumendpoints');
    const ok = await cli(['verify', '--cluster', '--kubeconfig', kubeconfig]);
    expect(ok.code).toBe(0);
    expect(ok.err).toContain('does not serve ciliumendpoints.cilium.io (cilium.io/v2); read none');
    api.hidden.add('ciliumnetworkpolicies');
    const r = await cli(['verify', '--cluster', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('does not serve ciliumnetworkpolicies.cilium.io at cilium.io/v2: Cilium (1.19: cilium.io/v2) is not installed, so the model of its enforcement does not apply to this cluster');
  });

  test('an unreachable API server, refused credentials, a bad kubeconfig or context: exit 1 with a clear message', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const dead = writeKubeconfig(path.join(tmp, 'dead'), `http://127.0.0.1:${deadPort}`);
    const cases: Array<[string[], RegExp]> = [
      [['--kubeconfig', dead], new RegExp(`^error: --cluster: cannot reach the API server: connect ECONNREFUSED 127.0.0.1:${deadPort} \\(got "context verify@test \\(http://127.0.0.1:${deadPort}\\)"\\)`)],
      [['--kubeconfig', kubeconfig, '--context', 'nope'], /--context: is not a context of the kubeconfig; its contexts: verify@test, other \(got "nope"\)/],
      [['--kubeconfig', path.join(tmp, 'missing')], /--kubeconfig: no such kubeconfig file \(give --kubeconfig FILE, or set KUBECONFIG\) \(got ".*missing"\)/],
      [['--kubeconfig', path.join(tmp, 'dump.yaml')], /current-context: .*is not a context of the kubeconfig \(it has none\)|sets no current-context/],
    ];
    fs.writeFileSync(path.join(tmp, 'garbage'), 'clusters: [1, 2\n');
    cases.push([['--kubeconfig', path.join(tmp, 'garbage')], /is not a valid kubeconfig/]);
    const wrongToken = path.join(tmp, 'wrong-token');
    fs.writeFileSync(wrongToken, fs.readFileSync(kubeconfig, 'utf8').replace(TOKEN, 'expired'));
    cases.push([['--kubeconfig', wrongToken], /the API server refused the credentials \(401 Unauthorized: Unauthorized\)/]);
    for (const [args, message] of cases) {
      const r = await cli(['verify', '--cluster', ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 1 });
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
  });

  test('flags that only apply to --cluster, and --cluster with --manifests, are mistakes', async () => {
    expect((await cli(['verify', '--kubeconfig', kubeconfig])).err).toContain(`error: --kubeconfig: only applies to --cluster (got "${kubeconfig}")`);
    expect((await cli(['verify', '--context', 'x'])).err).toContain('error: --context: only applies to --cluster (got "x")');
    const both = await cli(['verify', '--cluster', '--kubeconfig', kubeconfig, '--manifests', tmp]);
    expect(both.code).toBe(1);
    expect(both.err).toContain('and --manifests name two inputs; give one');
  });
});

describe('verify --cluster over TLS, with a client certificate or an exec credential plugin', () => {
  const TLS = path.join(__dirname, 'cluster-fixtures', 'tls');
  const pem = (f: string) => fs.readFileSync(path.join(TLS, f));
  const b64 = (f: string) => pem(f).toString('base64');
  let server: https.Server;
  let tlsPort: number;
  const seen: Array<{ cn?: string; auth?: string }> = [];

  beforeAll(async () => {
    server = https.createServer({ key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const cert = (req.socket as tls.TLSSocket).getPeerCertificate();
      const authorized = (req.socket as tls.TLSSocket).authorized;
      seen.push({ cn: authorized ? cert?.subject?.CN : undefined, auth: req.headers.authorization });
      if (!authorized && req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
        return;
      }
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const token = url.searchParams.get('continue');
      const file = path.join(FIXTURES, `${url.pathname.slice(1).replace(/\//g, '_')}${token ? `@${token}` : ''}.json`);
      if (!fs.existsSync(file)) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tlsPort = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => { seen.length = 0; });

  const config = (file: string, cluster: any, user: any) => {
    fs.writeFileSync(file, stringify({
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name: 'tls', cluster: { server: `https://127.0.0.1:${tlsPort}`, ...cluster } }],
      'users': [{ name: 'u', user }],
      'contexts': [{ name: 'tls', context: { cluster: 'tls', user: 'u' } }],
      'current-context': 'tls',
    }));
    return file;
  };

  test('client certificate, CA data: the same objects as over HTTP', async () => {
    const file = config(path.join(tmp, 'tls-cert'), { 'certificate-authority-data': b64('ca.crt') }, { 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('client.key') });
    const read = await readCluster({ kubeconfig: file });
    expect(seen.every((x) => x.cn === 'verify' && x.auth === undefined)).toBe(true);
    expect(read.objects).toEqual((await readCluster({ kubeconfig })).objects);
  });

  test('CA and key files relative to the kubeconfig; an exec credential plugin gives the token', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'kc-'));
    fs.copyFileSync(path.join(TLS, 'ca.crt'), path.join(dir, 'ca.crt'));
    const plugin = 'console.log(JSON.stringify({ apiVersion: \'client.authentication.k8s.io/v1\', kind: \'ExecCredential\', status: { token: process.env.TOKEN_FOR_TEST } }))';
    const file = config(path.join(dir, 'config'), { 'certificate-authority': 'ca.crt' }, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', plugin], env: [{ name: 'TOKEN_FOR_TEST', value: TOKEN }] },
    });
    const r = await cli(['verify', '--cluster', '--kubeconfig', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Tenant isolation: OK/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  test('a server certificate the kubeconfig does not trust, or a failing plugin: exit 1 with the reason', async () => {
    const untrusted = config(path.join(tmp, 'tls-untrusted'), {}, { token: TOKEN });
    const r = await cli(['verify', '--cluster', '--kubeconfig', untrusted]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: --cluster: cannot reach the API server: .*(self[- ]signed|unable to verify|issuer certificate)/i);
    const failing = config(path.join(tmp, 'tls-plugin'), { 'certificate-authority-data': b64('ca.crt') }, { exec: { command: process.execPath, args: ['-e', 'console.error("token expired; log in again"); process.exit(3)'] } });
    const p = await cli(['verify', '--cluster', '--kubeconfig', failing]);
    expect(p.code).toBe(1);
    expect(p.err).toContain('the credential plugin failed: token expired; log in again');
    const provider = config(path.join(tmp, 'tls-provider'), {}, { 'auth-provider': { name: 'gcp' } });
    expect((await cli(['verify', '--cluster', '--kubeconfig', provider])).err).toContain('auth-provider plugins are not supported; use an exec credential plugin');
  });
});

describe('examples/verify-rbac.yaml', () => {
  test('a ClusterRole with get and list only, on exactly the resources the reader lists', () => {
    const docs = parseAllDocuments(fs.readFileSync(RBAC, 'utf8')).map((d) => d.toJS());
    const role = docs.find((d) => d.kind === 'ClusterRole');
    expect(role.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    const granted = new Set<string>();
    for (const rule of role.rules) {
      expect([...rule.verbs].sort()).toEqual(['get', 'list']);
      expect(rule.resourceNames).toBeUndefined();
      for (const g of rule.apiGroups) for (const r of rule.resources) granted.add(`${r}.${g}`);
    }
    expect([...granted].sort()).toEqual(CLUSTER_RESOURCES.map((r) => `${r.resource}.${r.group}`).sort());
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
  });
});
