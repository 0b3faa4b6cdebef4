/**
 * The API versions each kind is served at, for the kinds cozynet knows: the
 * CustomResourceDefinitions in `crds/` (their `served` versions) and the
 * Kubernetes kinds of `schemas/kubernetes/` (the Kubernetes release the layer
 * targets). An object of a known kind at any other version would not exist
 * in a cluster (the API server refuses it), so `verify` and `validate` must
 * not read it as if it did: `servedVersionProblem` says why.
 *
 * The CRD files are large (Cilium's is close to 1 MB): their versions are read
 * with a line scan of the `spec.versions` list, not a full YAML parse (a test
 * checks that the scan agrees with the parsed CRDs).
 *
 * @internal
 */
import * as fs from 'fs';
import * as path from 'path';
import { CozynetValidationError, ValidationIssue } from '../model/errors';

const PACKAGE_ROOT = path.join(__dirname, '..', '..');

/** Built-in API groups, also those a kind moved out of (their old versions are no longer served). */
const KUBERNETES_GROUPS = ['', 'apps', 'batch', 'policy', 'autoscaling', 'extensions', 'networking.k8s.io', 'rbac.authorization.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'discovery.k8s.io', 'storage.k8s.io', 'coordination.k8s.io'];

/** One kind of one group and the versions it is served at. */
export interface ServedKind {
  readonly group: string;
  readonly kind: string;
  readonly versions: string[];
  /** Where the versions come from (for messages). */
  readonly source: string;
}

/** `group/version` -> [group, version]; `v1` is the core group. */
export function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** `group` + `version` as an apiVersion. */
function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/**
 * The served versions of the CRD in one document of a CRD file, from its
 * lines: `spec.group`, `spec.names.kind` and the `name`/`served` keys of the
 * items of `spec.versions` (block style, as the files are written).
 */
export function scanCrdDocument(text: string): { group: string; kind: string; versions: string[] } | undefined {
  if (!/^kind:\s*["']?CustomResourceDefinition["']?\s*$/m.test(text)) return undefined;
  const group = /^ {2}group:\s*["']?([^"'\s]+)/m.exec(text)?.[1];
  const kind = /^ {2}names:\s*\n(?: {4}.*\n)*? {4}kind:\s*["']?([^"'\s]+)/m.exec(text)?.[1];
  if (!group || !kind) return undefined;
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^ {2}versions:\s*$/.test(l));
  const versions: Array<{ name: string; served: boolean }> = [];
  let itemIndent = -1;
  let keyColumn = -1;
  for (let i = start + 1; start >= 0 && i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = /^ */.exec(line)![0].length;
    if (indent < 2 || (indent === 2 && !line.startsWith('  -'))) break; // the next key of spec
    const item = /^( *)(- +)(.*)$/.exec(line);
    let content = line.slice(indent);
    let column = indent;
    if (item && (itemIndent < 0 || item[1].length === itemIndent)) {
      itemIndent = item[1].length;
      keyColumn = itemIndent + item[2].length;
      versions.push({ name: '', served: true });
      content = item[3];
      column = keyColumn;
    }
    const key = /^(name|served):\s*["']?([^"'\s#]*)/.exec(content);
    if (key && column === keyColumn) {
      const current = versions[versions.length - 1];
      if (key[1] === 'name') current.name = key[2];
      else current.served = key[2] !== 'false';
    }
  }
  return { group, kind, versions: versions.filter((v) => v.served && v.name !== '').map((v) => v.name) };
}

let builtIn: ServedKind[] | undefined;

/** The Kubernetes kinds the layer targets, from the names of the generated schemas (`<group>-<version>-<Kind>.json`). */
function kubernetesKinds(): ServedKind[] {
  if (builtIn) return builtIn;
  const dir = path.join(PACKAGE_ROOT, 'schemas', 'kubernetes');
  const byKey = new Map<string, ServedKind>();
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    const m = /^(?:(.+)-)?(v\d+(?:(?:alpha|beta)\d+)?)-([A-Za-z0-9]+)\.json$/.exec(file);
    if (!m) continue;
    const group = m[1] ?? '';
    const key = `${group}/${m[3]}`;
    const known = byKey.get(key) ?? { group, kind: m[3], versions: [], source: 'the Kubernetes API the layer targets (schemas/kubernetes)' };
    known.versions.push(m[2]);
    byKey.set(key, known);
  }
  builtIn = [...byKey.values()];
  return builtIn;
}

let crdKinds: ServedKind[] | undefined;

/** The kinds of the CRDs in `crds/`, with their served versions. */
function customKinds(): ServedKind[] {
  if (crdKinds) return crdKinds;
  const dir = path.join(PACKAGE_ROOT, 'crds');
  const out: ServedKind[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : []) {
    for (const doc of fs.readFileSync(path.join(dir, name), 'utf8').split(/^---[ \t]*\r?$/m)) {
      const crd = scanCrdDocument(doc);
      if (crd) out.push({ ...crd, source: `the CustomResourceDefinition in crds/${name}` });
    }
  }
  crdKinds = out;
  return crdKinds;
}

/** Every kind whose served versions cozynet knows. */
export function servedKinds(): ServedKind[] {
  return [...kubernetesKinds(), ...customKinds()];
}

let byKind: Map<string, ServedKind[]> | undefined;

/** The known kinds of this name (in any group). */
function kindsNamed(kind: string): ServedKind[] {
  if (!byKind) {
    byKind = new Map();
    for (const k of servedKinds()) byKind.set(k.kind, [...(byKind.get(k.kind) ?? []), k]);
  }
  return byKind.get(kind) ?? [];
}

/**
 * Why an object cannot exist in a cluster of the platform, or undefined: a
 * kind cozynet knows (in the object's group, or in a built-in group the kind
 * lives in) at a version that is not served, or without an apiVersion.
 * Objects of kinds cozynet does not know are not judged.
 */
export function servedVersionProblem(obj: any): { value: string; message: string } | undefined {
  if (obj === null || typeof obj !== 'object' || typeof obj.kind !== 'string') return undefined;
  const kind: string = obj.kind;
  const sameKind = kindsNamed(kind);
  if (sameKind.length === 0) return undefined;
  const served = sameKind.flatMap((k) => k.versions.map((v) => apiVersionOf(k.group, v)));
  const list = served.join(', ');
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    return { value: obj.apiVersion === undefined ? '' : String(obj.apiVersion), message: `has no apiVersion: ${kind} is served at ${list}; no cluster holds this object, so it enforces nothing` };
  }
  const [group, version] = splitApiVersion(obj.apiVersion);
  const inGroup = sameKind.find((k) => k.group === group);
  if (inGroup) {
    if (inGroup.versions.includes(version)) return undefined;
  } else if (!KUBERNETES_GROUPS.includes(group) && !customKinds().some((k) => k.group === group)) {
    return undefined; // a kind of the same name in a group cozynet does not know
  }
  const from = [...new Set(sameKind.map((k) => k.source))].join('; ');
  return {
    value: obj.apiVersion,
    message: `apiVersion ${obj.apiVersion} is not served: ${kind} is served at ${list} (${from}); no cluster holds this object, so it enforces nothing`,
  };
}

/**
 * Throws a `CozynetValidationError` naming every object (`objects[i]: Kind
 * namespace/name`) of a known kind at an API version that is not served.
 */
export function assertServedVersions(objects: readonly any[], where: string = 'objects'): void {
  const issues: ValidationIssue[] = [];
  objects.forEach((o, i) => {
    const problem = servedVersionProblem(o);
    if (problem) issues.push({ path: `${where}[${i}]: ${objectName(o)}`, value: CozynetValidationError.show(problem.value), message: problem.message });
  });
  if (issues.length > 0) throw new CozynetValidationError(issues);
}

/** `Kind namespace/name` of an object, for messages. */
export function objectName(o: any): string {
  const name = typeof o?.metadata?.name === 'string' ? o.metadata.name : '(unnamed)';
  const ns = typeof o?.metadata?.namespace === 'string' ? `${o.metadata.namespace}/` : '';
  return `${String(o?.kind)} ${ns}${name}`;
}
