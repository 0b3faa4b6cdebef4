import * as fs from 'fs';
import * as path from 'path';
import { Composer, parseAllDocuments, Parser } from 'yaml';
import { CozynetValidationError, excerpt } from '../model/errors';
import { yamlBudgetIssues } from '../platform/budgets';
import { readUserFile } from '../platform/safe-read';
import { gitRootOf } from '../render/flux-path';
import { objectName, servedVersionProblem } from '../validation/api-versions';
import { parsePlainYamlStream } from '../render/plain-yaml';
import { validateObjects } from '../validation/object-validator';

/** Largest file `validate DIR` reads (index.json or a manifest). @internal */
export const MAX_VALIDATE_FILE_BYTES = 64 * 1024 * 1024;

/** Kubernetes kinds that are cluster-scoped (no namespace); CRDs are read from crds/. */
const CLUSTER_SCOPED_CORE = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'PriorityClass', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'RuntimeClass', 'IngressClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'ComponentStatus', 'IPAddress', 'ServiceCIDR',
]);

let crdScopes: Map<string, string> | undefined;

/** `group/kind` → `Cluster` | `Namespaced`, from the bundled CRD files. */
function scopes(): Map<string, string> {
  if (crdScopes) return crdScopes;
  crdScopes = new Map();
  const dir = path.join(__dirname, '..', '..', 'crds');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!f.endsWith('.yaml')) continue;
    for (const doc of fs.readFileSync(path.join(dir, f), 'utf8').split(/^---\s*$/m)) {
      const group = doc.match(/^ {2}group: (\S+)/m)?.[1];
      const kind = doc.match(/^ {4}kind: (\S+)/m)?.[1];
      const scope = doc.match(/^ {2}scope: (\S+)/m)?.[1];
      if (group && kind && scope) crdScopes.set(`${group}/${kind}`, scope);
    }
  }
  return crdScopes;
}

/** Whether the kind is cluster-scoped; undefined when unknown. */
function clusterScoped(apiVersion: string, kind: string): boolean | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const crd = scopes().get(`${group}/${kind}`);
  if (crd) return crd === 'Cluster';
  if (group === '' || group.endsWith('.k8s.io') || ['apps', 'batch', 'policy', 'autoscaling'].includes(group)) {
    return CLUSTER_SCOPED_CORE.has(kind);
  }
  return undefined;
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kinds whose names must be DNS-1123 labels, not subdomains. */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/** Problems with the name and namespace of an object. @internal */
export function metadataProblems(obj: any): string[] {
  const problems: string[] = [];
  const name = obj?.metadata?.name;
  const ns = obj?.metadata?.namespace;
  if (typeof name !== 'string') {
    problems.push('metadata.name is missing');
  } else if (!(LABEL_NAMED.has(obj.kind) ? DNS_LABEL : DNS_SUBDOMAIN).test(name)) {
    problems.push(`metadata.name ${JSON.stringify(excerpt(name, 80))} is not a DNS-1123 ${LABEL_NAMED.has(obj.kind) ? 'label (at most 63 lowercase letters, digits and "-")' : 'subdomain'}`);
  }
  const scoped = clusterScoped(String(obj.apiVersion), String(obj.kind));
  if (ns !== undefined && (typeof ns !== 'string' || !DNS_LABEL.test(ns))) {
    problems.push(`metadata.namespace ${JSON.stringify(excerpt(String(ns), 80))} is not a DNS-1123 label`);
  }
  if (scoped === true && ns !== undefined) problems.push(`${obj.kind} is cluster-scoped but has metadata.namespace ${JSON.stringify(excerpt(String(ns), 80))}`);
  if (scoped === false && ns === undefined) problems.push(`${obj.kind} is namespaced but has no metadata.namespace`);
  return problems;
}

function readBounded(file: string, field: string = file): string {
  return readUserFile(file, { field, limit: MAX_VALIDATE_FILE_BYTES, what: 'the file' });
}

/** Kubernetes objects of a file (YAML multi-document or JSON), and whether it held any. */
function objectsOf(file: string, rel: string, problems: string[], documentOf: Map<any, number>): any[] {
  let text: string;
  try {
    text = readBounded(file, rel);
  } catch (e: any) {
    if (e instanceof CozynetValidationError) {
      problems.push(e.message);
      return [];
    }
    problems.push(`${rel}: cannot be read (${e.code ?? e.message})`);
    return [];
  }
  return objectsOfText(text, rel, documentOf) ?? objectsOfTextReported(text, rel, problems, documentOf);
}

/**
 * The objects of a file read one YAML document at a time: each document's
 * syntax tree is dropped once converted (all trees of a 60 MB manifest at
 * once took 2 GB). Undefined when any document is not clean (a syntax
 * error, a budget exceeded, aliases that cannot be resolved): the caller
 * then reads the file again the way that reports it.
 */
function objectsOfText(text: string, rel: string, documentOf: Map<any, number>): any[] | undefined {
  const isObject = (v: any) => v && typeof v === 'object' && 'apiVersion' in v && 'kind' in v;
  // What cozynet writes: read without the library's syntax trees (src/render/plain-yaml.ts).
  const out: any[] = [];
  const take = (v: any, document: number) => {
    if (!isObject(v)) return;
    out.push(v);
    documentOf.set(v, document);
  };
  const plain = parsePlainYamlStream(text);
  if (plain !== undefined) {
    plain.forEach((v, i) => take(v, i + 1));
    return out;
  }
  try {
    let document = 0;
    for (const d of new Composer().compose(new Parser().parse(text))) {
      if (d.errors.length > 0 || yamlBudgetIssues(d, rel, false).length > 0) return undefined;
      take(d.toJS({ maxAliasCount: 100 }), ++document);
    }
  } catch {
    return undefined;
  }
  return out;
}

/** The objects of a file with all its documents parsed at once, and the first problem of any. */
function objectsOfTextReported(text: string, rel: string, problems: string[], documentOf: Map<any, number>): any[] {
  const out: any[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (e: any) {
    problems.push(`${rel}: cannot be parsed (${excerpt(String(e.message).split('\n')[0], 200)})`);
    return [];
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const [index, d] of docs.entries()) {
    if (d.errors.length > 0) {
      problems.push(`${rel}: YAML syntax error: ${excerpt(d.errors[0].message.split('\n')[0], 200)}`);
      return [];
    }
    const budget = yamlBudgetIssues(d, rel, false);
    if (budget.length > 0) {
      problems.push(CozynetValidationError.formatIssue(budget[0]));
      return [];
    }
    let v: any;
    try {
      v = d.toJS({ maxAliasCount: 100 });
    } catch (e: any) {
      problems.push(`${rel}: YAML aliases cannot be resolved (${excerpt(String(e.message).split('\n')[0], 200)})`);
      return [];
    }
    if (v && typeof v === 'object' && 'apiVersion' in v && 'kind' in v) {
      out.push(v);
      documentOf.set(v, index + 1);
    }
  }
  return out;
}

/** YAML files below `dir`; symbolic links are not followed (listed in `links`). */
function yamlFilesUnder(dir: string, links: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 32) return;
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(d, { withFileTypes: true });
    } catch (e: any) {
      throw new CozynetValidationError([{ path: 'DIR', value: CozynetValidationError.show(d), message: `cannot be read (${e.code ?? e.message})` }]);
    }
    for (const e of list.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) {
        if (/\.(ya?ml)$/.test(e.name)) links.push(p);
      } else if (e.isDirectory()) {
        walk(p, depth + 1);
      } else if (e.isFile() && /\.(ya?ml)$/.test(e.name)) {
        out.push(p);
      }
    }
  };
  walk(dir, 0);
  return out;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The files of a folder that hold Kubernetes objects: those `index.json`
 * lists (manifests and Flux) for a cozynet output folder, otherwise every
 * YAML file below it (e.g. the `dist/` of `cdk8s synth`). Every listed path
 * must be a relative path to a regular file inside `dir` (no `..`, no
 * absolute path, no symbolic link leading out); a damaged index.json is a
 * user error.
 * @internal
 */
export function objectFilesOf(dir: string, links: string[] = []): string[] {
  const index = path.join(dir, 'index.json');
  if (!fs.existsSync(index)) return yamlFilesUnder(dir, links);
  const bad = (message: string): never => {
    throw new CozynetValidationError([{ path: `${dir}/index.json`, value: '', message }]);
  };
  let i: any;
  try {
    if (fs.lstatSync(index).isSymbolicLink()) bad('is a symbolic link; cozynet writes a regular file');
    i = JSON.parse(readBounded(index, `${dir}/index.json`));
  } catch (e: any) {
    if (e instanceof CozynetValidationError) throw e;
    bad(`is not the index.json of a cozynet output (${excerpt(String(e.code ?? e.message).split('\n')[0], 200)})`);
  }
  if (!i || typeof i !== 'object' || Array.isArray(i)) bad('is not the index.json of a cozynet output (not an object)');
  const listed: string[] = [];
  for (const key of ['manifests', 'flux']) {
    const v = i[key];
    if (v === undefined) continue;
    if (!Array.isArray(v)) bad(`${key}: must be a list of files (got ${CozynetValidationError.show(v)})`);
    v.forEach((f: unknown, n: number) => {
      if (typeof f !== 'string' || f.length === 0 || f.length > 1024) bad(`${key}[${n}]: must be a relative file name (got ${CozynetValidationError.show(f)})`);
      const s = f as string;
      if (path.isAbsolute(s) || s.split(/[\\/]/).includes('..') || s.includes('\0')) {
        bad(`${key}[${n}]: names a file outside the output folder (got ${CozynetValidationError.show(s)})`);
      }
      listed.push(s);
    });
  }
  const realDir = fs.realpathSync(dir);
  return [...new Set(listed)].map((rel) => {
    const file = path.join(dir, rel);
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch (e: any) {
      return bad(`lists ${CozynetValidationError.show(rel)}, which does not exist (${e.code ?? 'unreadable'})`);
    }
    if (!isInside(real, realDir)) bad(`lists ${CozynetValidationError.show(rel)}, which leads outside the output folder`);
    if (!fs.statSync(real).isFile()) bad(`lists ${CozynetValidationError.show(rel)}, which is not a regular file`);
    return file;
  });
}

/**
 * Strictly validates every object of an output folder: against the schemas,
 * names and namespaces (DNS rules; namespaced kinds carry a namespace,
 * cluster-scoped ones none), and the same object (apiVersion, kind,
 * namespace, name) twice. Returns problem lines (empty when valid), counts,
 * and the YAML files skipped (no Kubernetes objects, or symbolic links).
 * @internal
 */
export function validateFolder(dir: string): { problems: string[]; files: number; objects: number; skipped: string[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CozynetValidationError([{ path: 'DIR', value: CozynetValidationError.show(dir), message: 'is not a folder' }]);
  }
  const links: string[] = [];
  const files = objectFilesOf(dir, links);
  const problems: string[] = [];
  const skipped = links.map((l) => `${path.relative(dir, l)} (symbolic link, not followed)`);
  const seen = new Map<string, string>();
  let objects = 0;
  for (const f of files) {
    const rel = path.relative(dir, f);
    const documentOf = new Map<any, number>();
    const objs = objectsOf(f, rel, problems, documentOf);
    if (objs.length === 0) skipped.push(`${rel} (no Kubernetes objects)`);
    objects += objs.length;
    // a kind at a version no cluster serves: said once, with the versions served, instead of "no schema"
    const served = objs.filter((o) => {
      const bad = servedVersionProblem(o);
      if (bad) problems.push(`${rel}: document ${documentOf.get(o)}: ${excerpt(objectName(o), 200)}: ${bad.message}`);
      return !bad;
    });
    for (const p of validateObjects(served)) problems.push(`${rel}: ${p}`);
    for (const o of objs) {
      const label = `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
      for (const p of metadataProblems(o)) problems.push(`${rel}: ${excerpt(label, 200)}: ${p}`);
      const key = `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''} ${o.metadata?.name ?? ''}`;
      const other = seen.get(key);
      if (other !== undefined) {
        problems.push(`${rel}: ${excerpt(`${o.apiVersion} ${label}`, 200)} is also in ${other}: the same object twice (a cluster holds it once)`);
      } else {
        seen.set(key, rel);
      }
      const chart = gitChartProblem(o, dir);
      if (chart) problems.push(`${rel}: ${excerpt(label, 200)}: ${chart}`);
    }
  }
  return { problems, files: files.length, objects, skipped };
}

/**
 * Whether the chart a Flux HelmRelease takes from a GitRepository is where
 * it says: its path is from the root of the repository, which for the output
 * folder is the nearest folder above it with a `.git` (else the working
 * folder). Undefined when fine or not such a release.
 */
function gitChartProblem(o: any, dir: string): string | undefined {
  const spec = o?.kind === 'HelmRelease' ? o.spec?.chart?.spec : undefined;
  if (spec?.sourceRef?.kind !== 'GitRepository' || typeof spec.chart !== 'string') return undefined;
  const root = gitRootOf(dir);
  const base = root ?? fs.realpathSync(process.cwd());
  const rel = path.relative(base, fs.realpathSync(dir)).split(path.sep).join('/') || '.';
  // Outside any repository and the working folder, where Flux will read it from cannot be told.
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  if (fs.existsSync(path.join(base, spec.chart, 'Chart.yaml'))) return undefined;
  const where = root ? 'the root of the Git repository holding this folder' : 'the working folder (no Git repository holds this folder)';
  const at = ` This folder is ./${rel === '.' ? '' : rel} from there: synthesize with --out at the folder Flux reads, or delivery.flux.path: ${rel}.`;
  return `chart ${excerpt(spec.chart, 200)} (from GitRepository ${excerpt(String(spec.sourceRef.name), 80)}) does not exist: Flux reads it from ${where}, and there is no Chart.yaml there.${at}`;
}
