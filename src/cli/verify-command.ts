import * as fs from 'fs';
import * as path from 'path';
import { Composer, Document, LineCounter, Parser } from 'yaml';
import { CozynetValidationError, ValidationIssue } from '../model/errors';
import { yamlBudgetIssues } from '../platform/budgets';
import { Platform } from '../platform/platform';
import { readUserFile } from '../platform/safe-read';
import { parsePlainYamlStream } from '../render/plain-yaml';
import { sortKeysDeep } from '../tenants/policies';
import { ExposureProps, TenantIsolationOptions, TenantIsolationProps, TenantProps } from '../tenants/props';
import { ResolvedTenantIsolation, resolveTenants, TENANT_LABEL_PREFIX } from '../tenants/tree';
import { objectName, servedVersionProblem } from '../validation/api-versions';
import { formatVerifyReport } from '../verify/format';
import * as iv from '../verify/intervals';
import { analyzerMatrix, className, decideCell } from '../verify/matrix';
import { connectivityDiff, formatAnalyzerMatrix, formatConnectivityDiff, MATRIX_FORMATS, MatrixFormat } from '../verify/matrix-format';
import { CILIUM_VERSIONS, CiliumVersion, DEFAULT_CILIUM_VERSION, Probe } from '../verify/model';
import { CellExplanation, compileVerification, explainCell, forEachCell, intendedCell, probeName, Verification, verifyResolved } from '../verify/verify';

/** Limits of `--manifests` and `--against` reading. @internal */
export const MANIFEST_LIMITS = {
  /** Largest file read. */
  fileBytes: 64 * 1024 * 1024,
  /** All files together. */
  totalBytes: 512 * 1024 * 1024,
  /** Files in one run. */
  files: 20_000,
  /** Folder depth below a named folder. */
  depth: 16,
  /** YAML aliases per document (alias bombs). */
  aliases: 1_000,
  /** Cells listed by `--against` (counts stay complete). */
  listedCells: 1_000,
};

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Options of `cozynet verify`. @internal */
export interface VerifyCommandOptions {
  readonly config?: string;
  readonly manifests?: string[];
  readonly against?: string;
  readonly explain?: string[];
  readonly port?: string;
  readonly format?: string;
  /** `--cluster`: the objects read from a running cluster (`readCluster`), read before the command runs. */
  readonly cluster?: { readonly objects: any[]; readonly label: string };
  /** `--matrix`: who reaches whom on which ports (no tenant tree needed; `--format` text, json, csv, mermaid or dot). */
  readonly matrix?: boolean;
  /** `--explain-file FILE`: one `SRC DST [PORT/PROTOCOL]` a line, answered in one run. */
  readonly explainFile?: string;
  /** `--cilium-version`: the Cilium release whose policy semantics to judge by (1.19 or 1.20; default 1.19). */
  readonly ciliumVersion?: string;
}

/** What `loadManifests` read. @internal */
export interface LoadedManifests {
  readonly objects: any[];
  readonly files: string[];
}

function fail(pathText: string, value: unknown, message: string): never {
  throw new CozynetValidationError([{ path: pathText, value: CozynetValidationError.show(value), message }]);
}

/**
 * Reads Kubernetes objects from files and folders: YAML (multi-document) or
 * JSON, `kind: List` expanded (as `kubectl get -o yaml` writes it). A folder
 * holding a cozynet `index.json` contributes the manifests it lists; any
 * other folder every `.yaml`/`.yml`/`.json` file below it. Nothing outside
 * the named paths is read: a symbolic link that leads out of its folder is
 * an error, as are files above the size limits.
 * @internal
 */
export function loadManifests(paths: string[], option: string = '--manifests'): LoadedManifests {
  const files: string[] = [];
  const seen = new Set<string>();
  const addFile = (file: string) => {
    const real = fs.realpathSync(file);
    if (!seen.has(real)) {
      seen.add(real);
      files.push(file);
    }
    if (files.length > MANIFEST_LIMITS.files) fail(option, file, `more than ${MANIFEST_LIMITS.files} files`);
  };
  const inside = (root: string, p: string) => p === root || p.startsWith(root + path.sep);
  const walk = (dir: string, rootReal: string, depth: number) => {
    if (depth > MANIFEST_LIMITS.depth) fail(option, dir, `folders nest deeper than ${MANIFEST_LIMITS.depth} levels`);
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = path.join(dir, name);
      const st = fs.lstatSync(p);
      let real = p;
      if (st.isSymbolicLink()) {
        try {
          real = fs.realpathSync(p);
        } catch {
          fail(option, p, 'is a broken symbolic link');
        }
        if (!inside(rootReal, real)) fail(option, p, 'is a symbolic link that leads out of the folder; refusing to read it');
      }
      const target = fs.statSync(real);
      if (target.isDirectory()) walk(p, rootReal, depth + 1);
      else if (target.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase())) addFile(p);
    }
  };
  for (const given of paths) {
    if (typeof given !== 'string' || given.length === 0) fail(option, given, 'must name a file or folder');
    let st: fs.Stats;
    try {
      st = fs.statSync(given);
    } catch {
      fail(option, given, 'no such file or folder');
    }
    if (st.isDirectory()) {
      const rootReal = fs.realpathSync(given);
      const index = path.join(given, 'index.json');
      if (fs.existsSync(index) && fs.statSync(index).isFile()) {
        for (const rel of cozynetManifests(index, option)) {
          const p = path.join(given, rel);
          let real: string;
          try {
            real = fs.realpathSync(p);
          } catch {
            fail(option, p, 'is listed in index.json but missing');
          }
          if (!inside(rootReal, real)) fail(option, p, 'leads out of the folder; refusing to read it');
          addFile(p);
        }
      } else {
        walk(given, rootReal, 0);
      }
    } else if (st.isFile()) {
      addFile(given);
    } else {
      fail(option, given, 'is neither a file nor a folder');
    }
  }
  const objects: any[] = [];
  const issues: ValidationIssue[] = [];
  const strings = new Map<string, string>();
  let total = 0;
  for (const file of files) {
    const text = readUserFile(file, { field: option, limit: MANIFEST_LIMITS.fileBytes, what: 'a manifest file' });
    total += Buffer.byteLength(text);
    if (total > MANIFEST_LIMITS.totalBytes) fail(option, file, `the files add up to more than ${MANIFEST_LIMITS.totalBytes} bytes`);
    parseFile(file, text, strings).forEach((doc, d) => expand(doc, objects, `${file}: document ${d + 1}`, issues));
  }
  if (issues.length > 0) throw new CozynetValidationError(issues);
  return { objects, files };
}

/** Manifest paths an output folder's index.json lists (relative, inside). */
function cozynetManifests(index: string, option: string): string[] {
  let parsed: any;
  try {
    parsed = JSON.parse(readUserFile(index, { field: option, limit: MANIFEST_LIMITS.fileBytes, what: 'index.json' }));
  } catch (e) {
    if (e instanceof CozynetValidationError) throw e;
    fail(option, index, `is not valid JSON: ${(e as Error).message}`);
  }
  const list = parsed?.manifests;
  if (!Array.isArray(list) || list.some((x: unknown) => typeof x !== 'string')) fail(`${index}: manifests`, list, 'must be a list of relative paths');
  for (const rel of list as string[]) {
    const norm = path.posix.normalize(rel);
    if (path.isAbsolute(rel) || norm.startsWith('..') || norm !== rel || rel.includes('\\')) fail(`${index}: manifests`, rel, 'must be a relative path inside the folder');
  }
  return list as string[];
}

function parseFile(file: string, text: string, strings: Map<string, string>): any[] {
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return [JSON.parse(text)];
    } catch (e) {
      fail(file, '', `is not valid JSON: ${(e as Error).message}`);
    }
  }
  // What cozynet writes: read without the library's syntax trees (src/render/plain-yaml.ts;
  // what it returns is what the library reads, or undefined to use the library).
  const plain = parsePlainYamlStream(text, (v) => fresh(v, strings));
  if (plain !== undefined) return plain;
  // One document at a time (parser -> composer -> plain objects): the syntax
  // tree of a document is dropped once it is converted, so a 60 MB file
  // costs its objects, not its syntax tree too (about 8 times the objects).
  const lines = new LineCounter();
  const composer = new Composer();
  const out: any[] = [];
  const take = (d: Document.Parsed) => {
    const err = d.errors[0];
    if (err) {
      const at = err.pos[0] >= 0 ? lines.linePos(err.pos[0]) : undefined;
      fail(`${file}:${at?.line ?? '?'}`, '', `is not valid YAML: ${err.message.split('\n')[0]}${at ? ` at line ${at.line}, column ${at.col}` : ''}`);
    }
    const budget = yamlBudgetIssues(d, file, false);
    if (budget.length > 0) throw new CozynetValidationError(budget);
    try {
      out.push(compact(d.toJS({ maxAliasCount: MANIFEST_LIMITS.aliases }), strings));
    } catch (e) {
      fail(file, '', `cannot be read: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  for (const d of composer.compose(new Parser(lines.addNewLine).parse(text))) take(d);
  for (const d of composer.end()) take(d);
  return out;
}

/**
 * One fresh string per distinct text (not a slice of the file's text): the
 * concatenation is flattened into a new string when sliced, so what is kept
 * holds a copy of the text, never the file.
 */
function fresh(v: string, strings: Map<string, string>): string {
  let f = strings.get(v);
  if (f === undefined) {
    f = (' ' + v).slice(1);
    strings.set(f, f);
  }
  return f;
}

/**
 * A copy of a parsed YAML value whose strings are fresh (one per distinct
 * text): the YAML library's strings are slices that keep large parts of the
 * parser's input alive, about ten times the size of the objects themselves
 * (450 MB against 47 MB for a 60 MB file of 20,000 tenants' policies).
 */
function compact(v: any, strings: Map<string, string>): any {
  if (typeof v === 'string') return fresh(v, strings);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => compact(x, strings));
  const out: any = {};
  for (const k of Object.keys(v)) {
    const value = compact(v[k], strings);
    // a "__proto__" key stays a key (an own property), as the YAML library made it
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[compact(k, strings)] = value;
  }
  return out;
}

/**
 * Adds the objects of a document (the items of a `kind: List`); an object of
 * a kind cozynet knows at an API version no cluster serves is an issue, not
 * an object (a policy at `cilium.io/v3` would not exist, so it enforces nothing).
 */
function expand(doc: any, out: any[], where: string, issues: ValidationIssue[]): void {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return;
  if (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
    doc.items.forEach((item: any, i: number) => expand(item, out, `${where} items[${i}]`, issues));
    return;
  }
  const problem = servedVersionProblem(doc);
  if (problem) issues.push({ path: `${where}: ${objectName(doc)}`, value: CozynetValidationError.show(problem.value), message: problem.message });
  else out.push(doc);
}

/**
 * Objects read from elsewhere (a cluster) under the same rule as files: an
 * object of a kind cozynet knows at an API version no cluster serves is an
 * issue. @internal
 */
export function servedObjects(objects: any[], where: string): any[] {
  const out: any[] = [];
  const issues: ValidationIssue[] = [];
  objects.forEach((o, i) => expand(o, out, `${where}: items[${i}]`, issues));
  if (issues.length > 0) throw new CozynetValidationError(issues);
  return out;
}

/**
 * The tenant tree of a set of objects, from the `tenant.cozystack.io/<ns>`
 * labels of their Namespaces (facts §9): a namespace carrying its own label
 * is a tenant; its parent is the deepest other tenant whose label it carries.
 * @internal
 */
export function tenantTreeFromNamespaces(objects: any[], where: string = '--manifests'): TenantProps[] | undefined {
  const tenants = new Map<string, string[]>();
  for (const o of objects) {
    if (o?.kind !== 'Namespace') continue;
    const name = o.metadata?.name;
    const labels = Object.keys(o.metadata?.labels ?? {})
      .filter((k) => k.startsWith(TENANT_LABEL_PREFIX))
      .map((k) => k.slice(TENANT_LABEL_PREFIX.length));
    if (typeof name === 'string' && labels.includes(name)) tenants.set(name, labels.filter((l) => l !== name));
  }
  if (tenants.size === 0) return undefined;
  if (!tenants.has('tenant-root')) fail(where, [...tenants.keys()].slice(0, 5), 'tenant namespaces but no tenant-root: the tree needs its root namespace');
  const nodes = new Map<string, TenantProps & { children: TenantProps[] }>();
  const names = [...tenants.keys()].sort((a, b) => tenants.get(a)!.length - tenants.get(b)!.length || a.localeCompare(b));
  for (const ns of names) {
    const ancestors = tenants.get(ns)!.filter((a) => tenants.has(a));
    if (ns === 'tenant-root') {
      nodes.set(ns, { name: 'root', children: [] });
      continue;
    }
    // A tenant namespace carries the label of itself and of every ancestor, tenant-root first.
    if (!ancestors.includes('tenant-root')) {
      fail(`${where}: Namespace ${ns}`, [ns, ...ancestors].map((a) => TENANT_LABEL_PREFIX + a),
        `lacks the label ${TENANT_LABEL_PREFIX}tenant-root: every tenant namespace carries the label ${TENANT_LABEL_PREFIX}<ns> of itself and of each ancestor tenant, tenant-root included`);
    }
    const parent = ancestors.sort((a, b) => tenants.get(b)!.length - tenants.get(a)!.length)[0];
    const missing = tenants.get(parent)!.filter((a) => a !== ns && tenants.has(a) && !ancestors.includes(a));
    if (missing.length > 0) {
      fail(`${where}: Namespace ${ns}`, [ns, ...ancestors].map((a) => TENANT_LABEL_PREFIX + a),
        `lacks the label ${TENANT_LABEL_PREFIX}${missing[0]}: it carries the label of its parent tenant ${parent}, so it must carry those of ${parent}'s ancestors too`);
    }
    const prefix = parent === 'tenant-root' ? 'tenant-' : `${parent}-`;
    if (!ns.startsWith(prefix)) fail(`${where}: Namespace ${ns}`, ns, `its parent tenant (from its labels) is ${parent}, so its name must start with ${prefix}`);
    const node = { name: ns.slice(prefix.length), children: [] };
    nodes.set(ns, node);
    const p = nodes.get(parent);
    if (!p) fail(`${where}: Namespace ${ns}`, parent, 'names a parent tenant that comes later in the tree');
    p.children.push(node);
  }
  const strip = (t: TenantProps & { children: TenantProps[] }): TenantProps =>
    (t.children.length > 0 ? { name: t.name, children: t.children.map((c) => strip(c as any)) } : { name: t.name });
  return [strip(nodes.get('tenant-root')!)];
}

/** Passthrough exposures of cozy-proxy Services among the objects (in tenant namespaces). @internal */
export function passthroughExposuresOf(objects: any[], tenantNamespaces: Set<string>): ExposureProps[] {
  const out: ExposureProps[] = [];
  for (const o of objects) {
    if (o?.kind !== 'Service' || o.metadata?.labels?.['service.kubernetes.io/service-proxy-name'] !== 'cozy-proxy') continue;
    const ns = o.metadata?.namespace;
    if (!tenantNamespaces.has(ns) || typeof o.metadata?.name !== 'string') continue;
    const a = o.metadata.annotations ?? {};
    const wholeIp = a['networking.cozystack.io/wholeIP'] === 'true';
    out.push({
      name: `passthrough-${o.metadata.name}`.slice(0, 63).replace(/-+$/, ''),
      namespace: ns,
      selector: { ...(o.spec?.selector ?? {}) },
      ...(wholeIp ? {} : {
        ports: (o.spec?.ports ?? []).filter((p: any) => Number.isInteger(p?.port)).map((p: any) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
        allowIcmp: a['networking.cozystack.io/allowICMP'] === 'true',
      }),
      from: [{ world: true }],
    });
  }
  return out;
}

/** One side of a verification: the objects and the intended configuration. */
interface Side {
  readonly objects: any[];
  readonly cfg: ResolvedTenantIsolation;
  readonly label: string;
}

function platformOf(config: string | undefined, load: (c?: string) => Platform): Platform {
  return load(config);
}

/** Intended configuration for a set of objects: tree from labels, options from the platform file. */
function sideFromObjects(objects: any[], label: string, options: TenantIsolationOptions, where: string): Side | undefined {
  const tenants = tenantTreeFromNamespaces(objects, where);
  if (!tenants) return undefined;
  const namespaces = new Set(objects.filter((o) => o?.kind === 'Namespace').map((o) => o.metadata?.name));
  const props: TenantIsolationProps = {
    ...options,
    tenants,
    exposures: [...(options.exposures ?? []), ...passthroughExposuresOf(objects, namespaces)],
  };
  return { objects, cfg: resolveTenants(props), label };
}

/**
 * `cozynet verify`: the reachability matrix of a platform file's output (or
 * of any set of manifests) against the intended one; `--explain` for one
 * cell, `--against` for what a change opens and closes. Returns the exit code.
 * @internal
 */
export function verifyCommand(opts: VerifyCommandOptions, io: { out(t: string): void }, loadPlatform: (config?: string) => Platform): number {
  const format = opts.format ?? 'text';
  if (opts.ciliumVersion !== undefined && !(CILIUM_VERSIONS as readonly string[]).includes(opts.ciliumVersion)) {
    fail('--cilium-version', opts.ciliumVersion, `must be ${CILIUM_VERSIONS.join(' or ')} (the Cilium releases whose policy semantics the verifier knows; default ${DEFAULT_CILIUM_VERSION})`);
  }
  const version = (opts.ciliumVersion ?? DEFAULT_CILIUM_VERSION) as CiliumVersion;
  const formats: readonly string[] = opts.matrix ? MATRIX_FORMATS : ['text', 'json'];
  if (!formats.includes(format)) {
    fail('--format', format, opts.matrix ? `must be ${MATRIX_FORMATS.join(', ')} with --matrix`
      : MATRIX_FORMATS.includes(format as MatrixFormat) ? 'must be text or json; csv, mermaid and dot go with --matrix' : 'must be text or json');
  }
  if (opts.explain !== undefined && opts.explain.length !== 2) fail('--explain', opts.explain.join(' '), 'takes two endpoints: SRC DST (e.g. tenant-beta/pod tenant-acme/pod)');
  if (opts.explain !== undefined && opts.explainFile !== undefined) fail('--explain-file', opts.explainFile, 'and --explain both ask; give the query as a line of the file');
  if (opts.port !== undefined && opts.explain === undefined) fail('--port', opts.port, 'only applies to --explain');
  const explaining = opts.explain !== undefined || opts.explainFile !== undefined;
  if (explaining && opts.against !== undefined) fail('--against', opts.against, 'compares two policy sets; --explain asks about one: give one of them');
  if (opts.matrix && explaining && format !== 'text' && format !== 'json') fail('--format', format, 'must be text or json with --explain');

  let side: Side | undefined;
  let objects: any[];
  let options: TenantIsolationOptions = {};
  if (opts.manifests !== undefined && opts.cluster !== undefined) fail('--cluster', opts.manifests.join(' '), 'and --manifests name two inputs; give one');
  if (opts.manifests !== undefined || opts.cluster !== undefined) {
    const input = opts.cluster !== undefined ? '--cluster' : '--manifests';
    if (opts.manifests !== undefined && opts.manifests.length === 0) fail('--manifests', '', 'must name at least one file or folder');
    if (opts.config !== undefined) {
      const platform = platformOf(opts.config, loadPlatform);
      const p = platform._isolationProps();
      options = p ? { ...p, exposures: p.exposures?.filter((e) => !e.name.startsWith('passthrough-')) } : {};
      delete (options as any).tenants;
      delete (options as any).path;
    } else {
      options = { allowFromIngress: true }; // the Cilium values' default: Gateway API on
    }
    objects = opts.cluster !== undefined ? servedObjects(opts.cluster.objects, '--cluster') : loadManifests(opts.manifests!).objects;
    const label = opts.cluster !== undefined ? opts.cluster.label : opts.manifests!.join(' ');
    side = sideFromObjects(objects, label, options, input);
    if (!side && !opts.matrix && !explaining && opts.against === undefined) {
      fail(input, label, `holds no tenant namespaces (Namespaces labelled ${TENANT_LABEL_PREFIX}<their own name>), so there is no intention to verify against; ` +
        '--matrix shows who reaches whom on which ports without one (--explain and --against work too)');
    }
  } else {
    const platform = platformOf(opts.config, loadPlatform);
    const props = platform._isolationProps();
    objects = platform.objects();
    if (props) {
      side = { objects, cfg: resolveTenants(props), label: opts.config ?? 'the default platform' };
      options = { ...props };
      delete (options as any).tenants;
      delete (options as any).path;
      options = { ...options, exposures: props.exposures?.filter((e) => !e.name.startsWith('passthrough-')) };
    }
  }
  const queries = opts.explainFile !== undefined ? readQueries(opts.explainFile)
    : opts.explain !== undefined ? [{ src: opts.explain[0], dst: opts.explain[1], port: opts.port, where: '--explain' }] : undefined;
  // no tenant tree, or --matrix: the analyzer's endpoints and ports, no intention
  if (!side || opts.matrix) {
    if (queries) return explainGeneric(objects, queries, opts.explainFile !== undefined, format, io, version);
    if (opts.against !== undefined) {
      const then = loadManifests([opts.against], '--against').objects;
      const both = [...objects, ...then];
      const changes = connectivityDiff(analyzerMatrix(objects, both, version), analyzerMatrix(then, both, version));
      io.out(formatConnectivityDiff(changes, opts.against, format as MatrixFormat));
      return changes.some((c) => c.opened.length > 0) ? 1 : 0;
    }
    if (opts.matrix) {
      io.out(formatAnalyzerMatrix(analyzerMatrix(objects, objects, version), format as MatrixFormat));
      return 0;
    }
    io.out(format === 'json' ? '{"ok":true,"tenants":0}\n' : 'cozynet: the platform has no tenants; nothing to verify (--matrix shows who reaches whom)\n');
    return 0;
  }

  if (queries) return explainCommand(side, queries, opts.explainFile !== undefined, format, io, version);
  if (opts.against !== undefined) return againstCommand(side, opts.against, options, format, io, version);
  const report = verifyResolved(side.cfg, side.objects, { ciliumVersion: version });
  io.out(formatVerifyReport(report, format as 'text' | 'json'));
  return report.ok ? 0 : 1;
}

/** One `--explain` question: SRC DST [PORT/PROTO], and where it was asked (for messages). */
interface Query {
  readonly src: string;
  readonly dst: string;
  readonly port?: string;
  readonly where: string;
}

/** Largest `--explain-file`, and most queries in it. @internal */
export const EXPLAIN_FILE_LIMITS = { bytes: 4 * 1024 * 1024, queries: 100_000 };

/** The queries of an `--explain-file`: one `SRC DST [PORT/PROTO]` a line; blank lines and `#` comments skipped. */
function readQueries(file: string): Query[] {
  const text = readUserFile(file, { field: '--explain-file', limit: EXPLAIN_FILE_LIMITS.bytes, what: 'the file of queries', allowPipe: true });
  const out: Query[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const where = `--explain-file ${file}:${i + 1}`;
    const words = line.split(/\s+/);
    if (words.length < 2 || words.length > 3) fail(where, line, 'must be SRC DST [PORT/PROTOCOL] (e.g. tenant-beta/pod tenant-acme/pod 5432/TCP)');
    out.push({ src: words[0], dst: words[1], port: words[2], where });
    if (out.length > EXPLAIN_FILE_LIMITS.queries) fail('--explain-file', file, `holds more than ${EXPLAIN_FILE_LIMITS.queries} queries`);
  });
  if (out.length === 0) fail('--explain-file', file, 'holds no query (one SRC DST [PORT/PROTOCOL] a line)');
  return out;
}

function parseProbe(text: string, where: string = '--port'): Probe {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(text);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 65535) return { port: Number(m[1]), protocol: (m[2] ?? 'TCP').toUpperCase() as Probe['protocol'] };
  if (/^icmp$/i.test(text)) return { port: 8, protocol: 'ICMP' };
  fail(where, text, 'must be PORT[/PROTOCOL] with a port 1-65535 and TCP, UDP or SCTP (e.g. 8443/TCP), or ICMP');
}

function endpointIndex(ids: string[], text: string, option: string): number {
  let i = ids.indexOf(text);
  if (i < 0) i = ids.indexOf(`${text}/pod`);
  if (i < 0) {
    const known = ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, … (${ids.length} in all; --format json lists them)` : ids.join(', ');
    fail(option, text, `is not an endpoint of the matrix; use an id such as ${known}, or a namespace for its pod`);
  }
  return i;
}

/** The text of explained cells; `true` when each is as intended (or nothing is intended). */
function explainLines(cells: CellExplanation[], lines: string[]): boolean {
  let asIntended = true;
  for (const c of cells) {
    const d = c.decision;
    const verdict = c.lower ? 'UNDETERMINED' : d.allowed ? 'ALLOWED' : 'DENIED';
    const ok = c.intended === undefined || (c.intended === d.allowed && !c.lower);
    if (!ok) asIntended = false;
    lines.push(`${c.source} -> ${c.destination} ${c.probe}: ${verdict}` +
      (c.intended === undefined ? '' : ok ? ' (as intended)' : ` (intended ${c.intended ? 'allowed' : 'denied'})`));
    for (const [dir, x, who] of [['egress', d.egress, c.source], ['ingress', d.ingress, c.destination]] as const) {
      const head = `  ${dir.toUpperCase()} ${x.allowed ? 'ALLOWED' : 'DENIED'}`;
      switch (x.how) {
        case 'allowed': lines.push(`${head} BY: ${x.rules.join(', ')}`); break;
        case 'denied': lines.push(`${head} BY: ${x.rules.join(', ')} (deny wins over allow)`); break;
        case 'default-deny': lines.push(`${head}: default deny; ${who} is selected by ${x.selectedBy} and no ${dir} rule admits the peer`); break;
        default: lines.push(`${head}: no ${dir} policy selects ${who}`);
      }
    }
    if (c.expectation) lines.push(`  intended: ${c.expectation}`);
    if (d.uncertain.length > 0 || c.lower) lines.push(`  cannot be judged offline: ${[...d.uncertain, ...(c.lower?.uncertain ?? [])].filter((x, i, a) => a.indexOf(x) === i).join('; ')}`);
  }
  return asIntended;
}

/**
 * Answers the queries and prints them; exit 1 when an answer differs from
 * the intended verdict (a file of queries as a gate), else 0.
 */
function printAnswers(answers: Array<{ q: Query; cells: CellExplanation[] }>, many: boolean, format: string, io: { out(t: string): void }): number {
  const differs = (c: CellExplanation) => c.intended !== undefined && (c.intended !== c.decision.allowed || c.lower !== undefined);
  const wrong = answers.filter((a) => a.cells.some(differs)).length;
  if (format === 'json') {
    io.out(JSON.stringify(sortKeysDeep(many
      ? { ok: wrong === 0, queries: answers.length, notAsIntended: wrong, answers: answers.map((a) => ({ query: [a.q.src, a.q.dst, a.q.port].filter((x) => x !== undefined).join(' '), at: a.q.where, cells: a.cells })) }
      : answers[0].cells), null, 2) + '\n');
    return wrong === 0 ? 0 : 1;
  }
  const lines: string[] = [];
  answers.forEach((a, i) => {
    if (many && i > 0) lines.push('');
    explainLines(a.cells, lines);
  });
  if (many || wrong > 0) {
    lines.push('');
    const intended = answers.some((a) => a.cells.some((c) => c.intended !== undefined));
    lines.push(wrong > 0 ? `VIOLATED: ${wrong} of ${answers.length} ${answers.length === 1 ? 'answer differs' : 'answers differ'} from the intended reachability.`
      : `${answers.length} ${answers.length === 1 ? 'query' : 'queries'} answered${intended ? ', each as intended' : ''}.`);
  }
  io.out(lines.join('\n') + '\n');
  return wrong === 0 ? 0 : 1;
}

function explainCommand(side: Side, queries: Query[], many: boolean, format: string, io: { out(t: string): void }, version: CiliumVersion): number {
  const v = compileVerification(side.cfg, side.objects, undefined, side.objects, version);
  const ids = v.layout.reps.map((r) => r.id);
  // every query checked before any is answered
  const asked = queries.map((q) => ({
    q,
    src: endpointIndex(ids, q.src, many ? `${q.where}: SRC` : '--explain SRC'),
    dst: endpointIndex(ids, q.dst, many ? `${q.where}: DST` : '--explain DST'),
    probe: q.port !== undefined ? parseProbe(q.port, many ? `${q.where}: PORT` : '--port') : undefined,
  }));
  return printAnswers(asked.map((a) => ({ q: a.q, cells: explainCell(v, a.src, a.dst, a.probe) })), many, format, io);
}

/** `--explain` on the analyzer's endpoints (no tenant tree, or `--matrix`): no intention, every port class without a port. */
function explainGeneric(objects: any[], queries: Query[], many: boolean, format: string, io: { out(t: string): void },
  version: CiliumVersion): number {
  const m = analyzerMatrix(objects, objects, version);
  const ids = m.endpoints.map((e) => e.id);
  const asked = queries.map((q) => ({
    q,
    src: endpointIndex(ids, q.src, many ? `${q.where}: SRC` : '--explain SRC'),
    dst: endpointIndex(ids, q.dst, many ? `${q.where}: DST` : '--explain DST'),
    probe: q.port !== undefined ? parseProbe(q.port, many ? `${q.where}: PORT` : '--port') : undefined,
  }));
  return printAnswers(asked.map((a) => {
    const probes = a.probe ? [{ probe: a.probe, name: probeName(a.probe) }] : m.classes.map((c) => ({ probe: c.probe, name: className(c) }));
    return {
      q: a.q,
      cells: probes.map(({ probe, name }) => ({ source: ids[a.src], destination: ids[a.dst], probe: name, ...decideCell(m, a.src, a.dst, probe) })),
    };
  }), many, format, io);
}

interface CellChange {
  /** Sort key: source, destination, probe indexes. */
  readonly key: [number, number, number];
  readonly source: string;
  readonly destination: string;
  readonly probe: string;
  /** Whether the cell lies between two different tenants. */
  readonly betweenTenants: boolean;
  /** The intended verdict (of the changed side). */
  readonly intended?: boolean;
  readonly explanation: string;
}

function againstCommand(side: Side, dir: string, options: TenantIsolationOptions, format: string, io: { out(t: string): void },
  version: CiliumVersion): number {
  const loaded = loadManifests([dir], '--against');
  const before = sideFromObjects(loaded.objects, dir, options, '--against');
  // Both object sets under the same endpoints (pods either side's policies select included).
  const both = [...side.objects, ...loaded.objects];
  const now = compileVerification(side.cfg, side.objects, undefined, both, version);
  const then = compileVerification(side.cfg, loaded.objects, undefined, both, version);
  const tenantsNow = new Set(side.cfg.tenants.map((t) => t.namespace));
  const tenantsThen = new Set(before?.cfg.tenants.map((t) => t.namespace) ?? []);
  const added = [...tenantsNow].filter((t) => !tenantsThen.has(t));
  const removed = [...tenantsThen].filter((t) => !tenantsNow.has(t));
  const layout = now.layout;
  const skip = iv.fromList(layout.reps.flatMap((r, i) => (r.tenant && !tenantsThen.has(r.tenant.namespace) ? [i] : [])));
  const thenRows = new Map<string, iv.Intervals>();
  forEachCell(then, (s, p, allowed) => thenRows.set(`${s}|${p}`, allowed));
  const opened: CellChange[] = [];
  const closed: CellChange[] = [];
  let openedCount = 0;
  let closedCount = 0;
  let breaches = 0;
  const describe = (v: Verification, s: number, d: number, p: number): CellChange => {
    const probe = layout.probes[p];
    const src = layout.reps[s];
    const dst = layout.reps[d];
    return {
      key: [s, d, p],
      source: src.id,
      destination: dst.id,
      probe: probeName(probe),
      betweenTenants: !!(src.tenant && dst.tenant && src.tenant !== dst.tenant),
      intended: intendedCell(layout, s, d, p)?.allowed,
      explanation: v.upper.decide(v.upper.identityOfEndpoint[s], v.upper.identityOfEndpoint[d], probe).reason,
    };
  };
  forEachCell(now, (s, p, allowed) => {
    if (iv.has(skip, s)) return;
    const was = thenRows.get(`${s}|${p}`) ?? iv.EMPTY;
    const o = iv.subtract(iv.subtract(allowed, was), skip);
    const c = iv.subtract(iv.subtract(was, allowed), skip);
    iv.forEach(o, (d) => {
      openedCount++;
      const ch = describe(now, s, d, p);
      if (ch.betweenTenants && !ch.intended) breaches++;
      if (opened.length < MANIFEST_LIMITS.listedCells || (ch.betweenTenants && !ch.intended)) opened.push(ch);
    });
    iv.forEach(c, (d) => {
      closedCount++;
      if (closed.length < MANIFEST_LIMITS.listedCells) closed.push(describe(then, s, d, p));
    });
  });
  const ok = breaches === 0;
  const byKey = (a: CellChange, b: CellChange) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2];
  opened.sort(byKey);
  closed.sort(byKey);
  const strip = (list: CellChange[]) => list.map(({ key: _k, ...rest }) => rest);
  if (format === 'json') {
    io.out(JSON.stringify(sortKeysDeep({
      ok,
      against: dir,
      opened: { count: openedCount, breaches, cells: strip(opened) },
      closed: { count: closedCount, cells: strip(closed) },
      tenantsAdded: added,
      tenantsRemoved: removed,
    }), null, 2) + '\n');
    return ok ? 0 : 1;
  }
  const lines: string[] = [];
  lines.push(`cozynet verify --against ${dir}: ${openedCount} cell(s) opened, ${closedCount} closed` +
    (breaches > 0 ? `; ${breaches} open a path between tenants that is not intended` : '') + '.');
  if (added.length > 0) lines.push(`New tenants (their cells are not compared): ${added.join(', ')}`);
  if (removed.length > 0) lines.push(`Removed tenants: ${removed.join(', ')}`);
  const group = (list: CellChange[]) => {
    const out: CellChange[][] = [];
    for (const x of list) {
      const last = out[out.length - 1];
      if (last && last[0].source === x.source && last[0].destination === x.destination && last[0].explanation === x.explanation) last.push(x);
      else out.push([x]);
    }
    return out;
  };
  if (opened.length > 0) {
    lines.push('');
    lines.push('Opened:');
    for (const g of group(opened)) {
      const x = g[0];
      const tag = x.betweenTenants && !x.intended ? '  ** between tenants, not intended **' : x.intended ? '  (intended)' : '';
      lines.push(`  + ${x.source} -> ${x.destination} ${g.map((y) => y.probe).join(', ')}${tag}`);
      lines.push(`      now: ${x.explanation}`);
    }
    if (openedCount > opened.length) lines.push(`  ... and ${openedCount - opened.length} more (see --format json)`);
  }
  if (closed.length > 0) {
    lines.push('');
    lines.push('Closed:');
    for (const g of group(closed)) {
      const x = g[0];
      lines.push(`  - ${x.source} -> ${x.destination} ${g.map((y) => y.probe).join(', ')}${x.intended ? '  (intended allowed)' : ''}`);
      lines.push(`      before: ${x.explanation}`);
    }
    if (closedCount > closed.length) lines.push(`  ... and ${closedCount - closed.length} more (see --format json)`);
  }
  lines.push('');
  lines.push(ok ? 'OK: the change opens no path between tenants that is not intended.' : `VIOLATED: the change opens ${breaches} cell(s) between tenants that are not intended.`);
  io.out(lines.join('\n') + '\n');
  return ok ? 0 : 1;
}
