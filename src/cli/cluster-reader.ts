/**
 * `cozynet verify --cluster`: reads, read-only (HTTP GET of list endpoints
 * only), the objects the verifier judges from a running cluster, through the
 * current kubeconfig context (or `--kubeconfig FILE` / `--context NAME`).
 *
 * The result is exactly the object list `--manifests` reads from
 * `kubectl get … -A -o yaml` of the same objects: every item with its
 * `apiVersion` and `kind` filled in (the API server leaves them out of the
 * items of built-in lists; kubectl fills them in), `managedFields` dropped
 * (kubectl's default), in the order of `CLUSTER_RESOURCES`, each list in the
 * order the API server returns it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { CozynetValidationError } from '../model/errors';

/** A resource `verify --cluster` lists (cluster-wide). @internal */
export interface ClusterResource {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly version: string;
  /** Plural resource name, as RBAC names it. */
  readonly resource: string;
  /** Kind of its items. */
  readonly kind: string;
  /**
   * What a 404 (the resource is not served) means: `skip` (an optional CRD:
   * no KubeVirt, no CiliumEndpoints) or `fail` (the verdict would be wrong
   * without it).
   */
  readonly whenAbsent: 'skip' | 'fail';
}

/**
 * Every resource the reader lists, in output order. The Cilium policy CRDs
 * are required: without them Cilium is not installed (or not at cilium.io/v2),
 * so a model of Cilium's enforcement says nothing true about the cluster.
 * CiliumEndpoints and KubeVirt VirtualMachines are skipped when their CRD is
 * not served.
 * @internal
 */
export const CLUSTER_RESOURCES: readonly ClusterResource[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', whenAbsent: 'fail' },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', whenAbsent: 'fail' },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', whenAbsent: 'fail' },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', whenAbsent: 'fail' },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', whenAbsent: 'fail' },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', whenAbsent: 'fail' },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', whenAbsent: 'fail' },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', whenAbsent: 'fail' },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', whenAbsent: 'fail' },
  { group: 'kubevirt.io', version: 'v1', resource: 'virtualmachines', kind: 'VirtualMachine', whenAbsent: 'skip' },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', whenAbsent: 'fail' },
  { group: 'cilium.io', version: 'v2', resource: 'ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', whenAbsent: 'fail' },
  { group: 'cilium.io', version: 'v2', resource: 'ciliumclusterwidenetworkpolicies', kind: 'CiliumClusterwideNetworkPolicy', whenAbsent: 'fail' },
  { group: 'cilium.io', version: 'v2', resource: 'ciliumendpoints', kind: 'CiliumEndpoint', whenAbsent: 'skip' },
];

/** Options of `readCluster`. @internal */
export interface ClusterReadOptions {
  /** `--kubeconfig FILE`; default: `$KUBECONFIG` (a path list, merged as kubectl does), else `~/.kube/config`. */
  readonly kubeconfig?: string;
  /** `--context NAME`; default: the kubeconfig's `current-context`. */
  readonly context?: string;
  /** Items per page (`limit`); the reader follows `continue` tokens. */
  readonly pageSize?: number;
  /** Seconds before a request is abandoned. */
  readonly timeoutSeconds?: number;
  /** Environment (`KUBECONFIG`, `HOME`); default: the process's. */
  readonly env?: Record<string, string | undefined>;
  /** Notes for the user (skipped resources). */
  readonly note?: (text: string) => void;
}

/** What `readCluster` read. @internal */
export interface ClusterRead {
  readonly objects: any[];
  /** `context NAME (server URL)`, for the report's label. */
  readonly label: string;
  /** Resources skipped because their CRD is not served. */
  readonly skipped: string[];
}

/** Limits of `--cluster` reading. @internal */
export const CLUSTER_LIMITS = {
  /** Default items per page. */
  pageSize: 500,
  /** Largest response body. */
  responseBytes: 256 * 1024 * 1024,
  /** Pages of one resource (a server that never stops sending `continue`). */
  pages: 10_000,
  /** Seconds per request. */
  timeoutSeconds: 30,
  /** Largest kubeconfig file. */
  kubeconfigBytes: 16 * 1024 * 1024,
};

function fail(field: string, value: unknown, message: string): never {
  throw new CozynetValidationError([{ path: field, value: CozynetValidationError.show(value), message }]);
}

/** The connection of one kubeconfig context: where and as whom. @internal */
export interface ClusterConnection {
  readonly context: string;
  readonly server: URL;
  readonly ca?: Buffer;
  readonly insecure: boolean;
  readonly serverName?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly headers: Record<string, string>;
}

interface Named { readonly name: string; readonly [k: string]: any }

/** The kubeconfig files in force, as kubectl picks them. */
function kubeconfigFiles(opts: ClusterReadOptions): { files: string[]; field: string } {
  if (opts.kubeconfig !== undefined) {
    if (opts.kubeconfig === '') fail('--kubeconfig', opts.kubeconfig, 'must name a kubeconfig file');
    return { files: [opts.kubeconfig], field: '--kubeconfig' };
  }
  const env = opts.env ?? process.env;
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
  if (list.length > 0) {
    const present = list.filter((f) => fs.existsSync(f));
    if (present.length === 0) fail('KUBECONFIG', env.KUBECONFIG, 'names no kubeconfig file that exists');
    return { files: present, field: 'KUBECONFIG' };
  }
  const home = env.HOME ?? os.homedir();
  return { files: [path.join(home, '.kube', 'config')], field: '--kubeconfig' };
}

function readFileField(file: string, field: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e: any) {
    return fail(field, file, `cannot read ${what} (${e?.code ?? e?.message})`);
  }
}

/**
 * Resolves the context of a kubeconfig (merged from several files as kubectl
 * merges them: the first file that names a cluster, user or context wins;
 * the first `current-context` set wins). Supports certificate and token
 * authentication, token files, basic authentication and exec credential
 * plugins; auth-provider plugins and proxies are refused with a message.
 * @internal
 */
export function resolveConnection(opts: ClusterReadOptions): ClusterConnection {
  const { files, field } = kubeconfigFiles(opts);
  const clusters = new Map<string, Named & { dir: string }>();
  const users = new Map<string, Named & { dir: string }>();
  const contexts = new Map<string, Named>();
  let current: string | undefined;
  for (const file of files) {
    let text: string;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) fail(field, file, 'is not a file');
      if (st.size > CLUSTER_LIMITS.kubeconfigBytes) fail(field, file, `is larger than ${CLUSTER_LIMITS.kubeconfigBytes} bytes`);
      text = fs.readFileSync(file, 'utf8');
    } catch (e: any) {
      if (e instanceof CozynetValidationError) throw e;
      fail(field, file, e?.code === 'ENOENT' ? 'no such kubeconfig file (give --kubeconfig FILE, or set KUBECONFIG)' : `cannot read the kubeconfig (${e?.code ?? e?.message})`);
    }
    let doc: any;
    try {
      doc = parse(text, { maxAliasCount: 100 });
    } catch (e: any) {
      fail(field, file, `is not a valid kubeconfig: ${String(e?.message).split('\n')[0]}`);
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) fail(field, file, 'is not a valid kubeconfig: not a mapping');
    const dir = path.dirname(path.resolve(file));
    const take = <T extends Named>(list: any, into: Map<string, T>, key: string, extra: object) => {
      if (list === undefined || list === null) return;
      if (!Array.isArray(list)) fail(`${file}: ${key}`, list, 'must be a list');
      list.forEach((x: any, i: number) => {
        if (typeof x?.name !== 'string') fail(`${file}: ${key}[${i}].name`, x?.name, 'must be a string');
        if (!into.has(x.name)) into.set(x.name, { ...(x[key.slice(0, -1)] ?? {}), name: x.name, ...extra } as T);
      });
    };
    take(doc.clusters, clusters, 'clusters', { dir });
    take(doc.users, users, 'users', { dir });
    take(doc.contexts, contexts, 'contexts', {});
    if (current === undefined && typeof doc['current-context'] === 'string' && doc['current-context'] !== '') current = doc['current-context'];
  }
  const where = files.join(path.delimiter);
  const name = opts.context ?? current;
  if (name === undefined) fail('--context', where, 'the kubeconfig sets no current-context; give --context NAME');
  const ctx = contexts.get(name);
  if (!ctx) {
    const known = [...contexts.keys()];
    fail(opts.context !== undefined ? '--context' : `${where}: current-context`, name,
      `is not a context of the kubeconfig${known.length > 0 ? `; its contexts: ${known.slice(0, 10).join(', ')}` : ' (it has none)'}`);
  }
  const cluster = clusters.get(ctx.cluster);
  if (!cluster) fail(`context ${name}: cluster`, ctx.cluster, 'is not a cluster of the kubeconfig');
  const user: any = ctx.user === undefined ? { dir: cluster.dir } : users.get(ctx.user);
  if (!user) fail(`context ${name}: user`, ctx.user, 'is not a user of the kubeconfig');
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    fail(`cluster ${cluster.name}: server`, cluster.server, 'must be the API server\'s URL (https://HOST:PORT)');
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') fail(`cluster ${cluster.name}: server`, cluster.server, 'must be an http or https URL');
  if (cluster['proxy-url'] !== undefined) fail(`cluster ${cluster.name}: proxy-url`, cluster['proxy-url'], 'proxies are not supported by verify --cluster; reach the API server directly (e.g. through kubectl port-forward or an SSH tunnel)');
  const rel = (dir: string, f: string) => (path.isAbsolute(f) ? f : path.join(dir, f));
  const b64 = (at: string, v: unknown): Buffer => {
    if (typeof v !== 'string') fail(at, v, 'must be base64 text');
    return Buffer.from(v, 'base64');
  };
  const ca = cluster['certificate-authority-data'] !== undefined ? b64(`cluster ${cluster.name}: certificate-authority-data`, cluster['certificate-authority-data'])
    : cluster['certificate-authority'] !== undefined ? readFileField(rel(cluster.dir, cluster['certificate-authority']), `cluster ${cluster.name}: certificate-authority`, 'the CA certificate') : undefined;
  const headers: Record<string, string> = {};
  let cert: Buffer | undefined;
  let key: Buffer | undefined;
  const who = `user ${ctx.user ?? '(none)'}`;
  if (user['auth-provider'] !== undefined) {
    fail(`${who}: auth-provider`, user['auth-provider']?.name, 'auth-provider plugins are not supported; use an exec credential plugin (client.authentication.k8s.io), a token or a client certificate');
  }
  if (user['client-certificate-data'] !== undefined) cert = b64(`${who}: client-certificate-data`, user['client-certificate-data']);
  else if (user['client-certificate'] !== undefined) cert = readFileField(rel(user.dir, user['client-certificate']), `${who}: client-certificate`, 'the client certificate');
  if (user['client-key-data'] !== undefined) key = b64(`${who}: client-key-data`, user['client-key-data']);
  else if (user['client-key'] !== undefined) key = readFileField(rel(user.dir, user['client-key']), `${who}: client-key`, 'the client key');
  let token: string | undefined = typeof user.token === 'string' ? user.token : undefined;
  if (token === undefined && typeof user.tokenFile === 'string') token = readFileField(rel(user.dir, user.tokenFile), `${who}: tokenFile`, 'the token file').toString('utf8').trim();
  if (token === undefined && user.exec !== undefined) {
    const c = execCredential(user.exec, who, server);
    token = c.token;
    cert = cert ?? c.cert;
    key = key ?? c.key;
  }
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  else if (typeof user.username === 'string') headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  if ((cert === undefined) !== (key === undefined)) fail(who, '', 'gives a client certificate without its key (or a key without its certificate)');
  return {
    context: name,
    server,
    ca,
    insecure: cluster['insecure-skip-tls-verify'] === true,
    serverName: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    cert,
    key,
    headers,
  };
}

/** Runs an exec credential plugin (client.authentication.k8s.io v1 or v1beta1). */
function execCredential(exec: any, who: string, server: URL): { token?: string; cert?: Buffer; key?: Buffer } {
  if (typeof exec?.command !== 'string') fail(`${who}: exec.command`, exec?.command, 'must name the credential plugin');
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1';
  const env: Record<string, string> = { ...process.env as Record<string, string> };
  for (const e of Array.isArray(exec.env) ? exec.env : []) if (typeof e?.name === 'string') env[e.name] = String(e.value ?? '');
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false, cluster: { server: server.toString() } } });
  let out: string;
  try {
    out = execFileSync(exec.command, Array.isArray(exec.args) ? exec.args.map(String) : [], { env, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    fail(`${who}: exec.command`, exec.command, `the credential plugin failed: ${String(e?.stderr || e?.message).trim().split('\n')[0]}`);
  }
  let status: any;
  try {
    status = JSON.parse(out).status;
  } catch {
    fail(`${who}: exec.command`, exec.command, 'the credential plugin printed no ExecCredential JSON');
  }
  const token = typeof status?.token === 'string' ? status.token : undefined;
  const cert = typeof status?.clientCertificateData === 'string' ? Buffer.from(status.clientCertificateData) : undefined;
  const key = typeof status?.clientKeyData === 'string' ? Buffer.from(status.clientKeyData) : undefined;
  if (token === undefined && cert === undefined) fail(`${who}: exec.command`, exec.command, 'the credential plugin returned neither a token nor a client certificate');
  return { token, cert, key };
}

/** An HTTP response of the API server. */
interface ApiResponse { readonly status: number; readonly body: string }

/** One GET (the reader never sends anything else). */
function get(conn: ClusterConnection, pathAndQuery: string, timeoutSeconds: number): Promise<ApiResponse> {
  const url = new URL(pathAndQuery, conn.server);
  // a server URL with a path prefix (a proxy in front of the API server) keeps it
  const prefix = conn.server.pathname.replace(/\/+$/, '');
  url.pathname = prefix + url.pathname;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, {
      method: 'GET',
      headers: { ...conn.headers, 'Accept': 'application/json', 'User-Agent': 'cozynet-verify' },
      ...(url.protocol === 'https:' ? {
        ca: conn.ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecure, servername: conn.serverName,
      } : {}),
      timeout: timeoutSeconds * 1000,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > CLUSTER_LIMITS.responseBytes) {
          req.destroy(new Error(`a response larger than ${CLUSTER_LIMITS.responseBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutSeconds} s`)));
    req.on('error', reject);
    req.end();
  });
}

/** The path of a resource's cluster-wide list. @internal */
export function listPath(r: ClusterResource): string {
  return r.group === '' ? `/api/${r.version}/${r.resource}` : `/apis/${r.group}/${r.version}/${r.resource}`;
}

/** `resource.group`, as RBAC and kubectl name it. */
function resourceName(r: ClusterResource): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body);
    if (typeof s?.message === 'string') return s.message.slice(0, 300);
  } catch {
    // not a Status object
  }
  return body.slice(0, 200).replace(/\s+/g, ' ').trim();
}

/** An object as kubectl prints it: apiVersion and kind first, no managedFields. */
function asKubectlItem(item: any, r: ClusterResource): any {
  const apiVersion = r.group === '' ? r.version : `${r.group}/${r.version}`;
  const out: any = { apiVersion: item?.apiVersion ?? apiVersion, kind: item?.kind ?? r.kind };
  for (const [k, v] of Object.entries(item ?? {})) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'metadata' && v && typeof v === 'object' && 'managedFields' in (v as any)) {
      const { managedFields: _m, ...rest } = v as any;
      out.metadata = rest;
    } else {
      out[k] = v;
    }
  }
  return out;
}

/**
 * Lists every resource of `CLUSTER_RESOURCES` cluster-wide, page by page
 * (`limit` and `continue`). Errors are the user's (exit 1): a kubeconfig or
 * context that does not resolve, an API server that cannot be reached or
 * refuses the credentials, a list the user may not read (named by resource
 * and verb), a required resource that is not served.
 * @internal
 */
export async function readCluster(opts: ClusterReadOptions = {}): Promise<ClusterRead> {
  const conn = resolveConnection(opts);
  const pageSize = opts.pageSize ?? CLUSTER_LIMITS.pageSize;
  const timeout = opts.timeoutSeconds ?? CLUSTER_LIMITS.timeoutSeconds;
  const at = `context ${conn.context} (${conn.server.origin}${conn.server.pathname.replace(/\/+$/, '')})`;
  const objects: any[] = [];
  const skipped: string[] = [];
  for (const r of CLUSTER_RESOURCES) {
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (token !== undefined) query.set('continue', token);
      const p = `${listPath(r)}?${query.toString()}`;
      let res: ApiResponse;
      try {
        res = await get(conn, p, timeout);
      } catch (e: any) {
        const text = String(e?.message ?? e).split('\n')[0];
        fail('--cluster', at, `cannot reach the API server: ${e?.code && !text.includes(e.code) ? `${e.code} ` : ''}${text}`);
      }
      if (res.status === 404 && token === undefined) {
        if (r.whenAbsent === 'skip') {
          skipped.push(resourceName(r));
          opts.note?.(`cozynet: the cluster does not serve ${resourceName(r)} (${r.group}/${r.version}); read none\n`);
          break;
        }
        fail('--cluster', at, r.group === 'cilium.io'
          ? `does not serve ${resourceName(r)} at ${r.group}/${r.version}: Cilium (1.19: cilium.io/v2) is not installed, so the model of its enforcement does not apply to this cluster`
          : `does not serve ${resourceName(r)} at ${r.group === '' ? '' : `${r.group}/`}${r.version}; verify needs it`);
      }
      if (res.status === 401) fail('--cluster', at, `the API server refused the credentials (401 Unauthorized: ${statusMessage(res.body)}); log in again or check the user of the context`);
      if (res.status === 403) {
        fail('--cluster', at, `may not list ${resourceName(r)} cluster-wide (403 Forbidden: ${statusMessage(res.body)}); grant the verbs get and list on it (the ClusterRole in examples/verify-rbac.yaml)`);
      }
      if (res.status === 410) fail('--cluster', at, `the list of ${resourceName(r)} changed too much while it was paged (410 Gone: the continue token expired); run again`);
      if (res.status !== 200) fail('--cluster', at, `listing ${resourceName(r)} failed: HTTP ${res.status}: ${statusMessage(res.body)}`);
      let list: any;
      try {
        list = JSON.parse(res.body);
      } catch {
        fail('--cluster', at, `listing ${resourceName(r)} returned no JSON (is the server a Kubernetes API server?)`);
      }
      if (!Array.isArray(list?.items) && list?.items !== null) fail('--cluster', at, `listing ${resourceName(r)} returned no list (is the server a Kubernetes API server?)`);
      for (const item of list.items ?? []) objects.push(asKubectlItem(item, r));
      const next = list.metadata?.continue;
      if (typeof next !== 'string' || next === '') break;
      if (++pages >= CLUSTER_LIMITS.pages) fail('--cluster', at, `the list of ${resourceName(r)} goes on for more than ${CLUSTER_LIMITS.pages} pages`);
      token = next;
    }
  }
  return { objects, label: at, skipped };
}
