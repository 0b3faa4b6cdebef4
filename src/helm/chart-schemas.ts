import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { deepMerge, isPlainObject, Values } from './values';
import { closeMatches } from '../model/suggest';

/**
 * What cozynet knows of one version of a chart, to check Helm values against
 * it: its values schema (when it publishes one), the keys of its default
 * values, and keys it declares or once read but no longer reads. A key the
 * chart does not read is a silent no-op, the same failure as a typo, so all
 * of them are errors.
 * @internal
 */
export interface ChartValuesReference {
  /** Chart name. */
  readonly chart: string;
  /** Chart version. */
  readonly version: string;
  /** File name of the values schema in schemas/helm, if the chart publishes one. */
  readonly schema?: string;
  /** File name of the chart's default values in schemas/helm. */
  readonly defaults?: string;
  /**
   * Keys (dotted paths) this version of the chart does not read, with the
   * reason: rejected even where the schema or the defaults would accept them,
   * with a message that says why. The chart render tests (test/charts) prove
   * that each one changes nothing.
   */
  readonly ignoredKeys?: Record<string, string>;
  /**
   * Sub-charts by the key their values live under (a sub-chart's values are
   * checked against its own schema and defaults).
   */
  readonly subcharts?: Record<string, { readonly schema?: string; readonly defaults?: string }>;
}

/**
 * The chart versions cozynet checks values for, by `<chart>@<version>`.
 * Values of a chart or version not listed here are not checked.
 * @internal
 */
export const CHART_REFERENCES: Record<string, ChartValuesReference> = {
  'cilium@1.19.5': {
    chart: 'cilium',
    version: '1.19.5',
    schema: 'cilium-1.19.5.values.schema.json',
    defaults: 'cilium-1.19.5.values.yaml',
    ignoredKeys: {
      'externalIPs.enabled': 'with kubeProxyReplacement on, ExternalIPs are always handled; the 1.19 chart no longer reads this value',
      'nodePort.enabled': 'with kubeProxyReplacement on, NodePort is always handled; the 1.19 chart no longer reads this value',
    },
  },
  'metallb@0.16.1': {
    chart: 'metallb',
    version: '0.16.1',
    schema: 'metallb-0.16.1.values.schema.json',
    defaults: 'metallb-0.16.1.values.yaml',
    subcharts: { 'frr-k8s': { schema: 'frr-k8s-0.0.25.values.schema.json', defaults: 'frr-k8s-0.0.25.values.yaml' } },
  },
  'kube-ovn@v1.15.10': { chart: 'kube-ovn', version: 'v1.15.10', defaults: 'kube-ovn-v1.15.10.values.yaml' },
  'cert-manager@v1.20.2': {
    chart: 'cert-manager',
    version: 'v1.20.2',
    schema: 'cert-manager-v1.20.2.values.schema.json',
    defaults: 'cert-manager-v1.20.2.values.yaml',
  },
};

/**
 * The reference of `chart` (`<name>@<version>`, or a bare name for the one
 * version cozynet knows of it), if any.
 */
function referenceOf(chart: string): [string, ChartValuesReference] | undefined {
  if (CHART_REFERENCES[chart]) return [chart, CHART_REFERENCES[chart]];
  const versions = Object.entries(CHART_REFERENCES).filter(([, r]) => r.chart === chart);
  return versions.length === 1 ? versions[0] : undefined;
}

interface KeyNode {
  children: Map<string, KeyNode>;
  /** Accepts any key below (free-form map). */
  open: boolean;
}

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schemas', 'helm');
/** Build-time artifacts (lib/generated); absent when running from src/. */
const GENERATED_DIR = path.join(__dirname, '..', 'generated');

const validators = new Map<string, ValidateFunction>();
const keyTrees = new Map<string, KeyNode>();
const defaultValues = new Map<string, Values>();
let ajv: Ajv | undefined;

function node(): KeyNode {
  return { children: new Map(), open: false };
}

function child(n: KeyNode, key: string): KeyNode {
  let c = n.children.get(key);
  if (!c) {
    c = node();
    n.children.set(key, c);
  }
  return c;
}

function addSchema(n: KeyNode, schema: any): void {
  if (!isPlainObject(schema)) return;
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) addSchema(n, alt);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (isPlainObject(schema.properties)) {
    for (const [k, s] of Object.entries(schema.properties)) addSchema(child(n, k), s);
  } else if (types.includes('object')) {
    n.open = true;
  }
  if (schema.additionalProperties === true || isPlainObject(schema.additionalProperties)) n.open = true;
}

function addDefaults(n: KeyNode, v: any): void {
  if (!isPlainObject(v)) return;
  if (Object.keys(v).length === 0) {
    n.open = true;
    return;
  }
  for (const [k, x] of Object.entries(v)) addDefaults(child(n, k), x);
}

/**
 * Keys documented as comments in a default values file (`# key: value`),
 * placed under the nearest less-indented key above them.
 */
function addCommentedKeys(n: KeyNode, text: string): void {
  const stack: Array<{ indent: number; node: KeyNode }> = [{ indent: -1, node: n }];
  for (const line of text.split('\n')) {
    const real = /^(\s*)([A-Za-z0-9_.-]+):(\s|$)/.exec(line);
    const commented = /^(\s*)#\s?([A-Za-z][A-Za-z0-9_-]*):(\s|$)/.exec(line);
    const m = real ?? commented;
    if (!m) continue;
    const indent = m[1].length;
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1].node;
    const c = real ? child(parent, m[2]) : (parent.children.get(m[2]) ?? child(parent, m[2]));
    stack.push({ indent, node: c });
  }
}

function readText(file: string): string {
  return fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8');
}

/** Compact JSON form of a key tree: `o` open, `c` children. */
interface SerializedKeyNode {
  o?: 1;
  c?: Record<string, SerializedKeyNode>;
}

function serialize(n: KeyNode): SerializedKeyNode {
  const out: SerializedKeyNode = {};
  if (n.open) out.o = 1;
  if (n.children.size > 0) {
    out.c = {};
    for (const k of [...n.children.keys()].sort()) out.c[k] = serialize(n.children.get(k)!);
  }
  return out;
}

function deserialize(s: SerializedKeyNode): KeyNode {
  const n = node();
  n.open = s.o === 1;
  for (const [k, c] of Object.entries(s.c ?? {})) n.children.set(k, deserialize(c));
  return n;
}

function buildKeyTree(chart: string): { tree: KeyNode; defaults: Values } {
  const ref = CHART_REFERENCES[chart];
  const tree = node();
  if (!ref) return { tree, defaults: {} };
  let defaults: Values = {};
  const add = (n: KeyNode, files: { readonly schema?: string; readonly defaults?: string }): Values => {
    if (files.schema) addSchema(n, JSON.parse(readText(files.schema)));
    if (!files.defaults) return {};
    const text = readText(files.defaults);
    const d = parse(text) ?? {};
    addDefaults(n, d);
    addCommentedKeys(n, text);
    return d;
  };
  defaults = add(tree, ref);
  for (const [key, files] of Object.entries(ref.subcharts ?? {})) {
    const sub = child(tree, key);
    sub.open = false;
    add(sub, files);
  }
  return { tree, defaults };
}

function newAjv(source: boolean): Ajv {
  return new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { source, optimize: false } });
}

function schemaOf(chart: string): any {
  const schema = JSON.parse(readText(CHART_REFERENCES[chart].schema!));
  delete schema.$schema;
  return schema;
}

/**
 * Build-time artifacts of a chart, so that the packaged library neither
 * parses the chart's default values nor compiles its schema at run time:
 * the key tree and defaults as JSON, and the schema validator as standalone
 * code (written to lib/generated by scripts/gen-chart-validators.js).
 * @internal
 */
export function _chartArtifacts(chart: string): { data: string; validator?: string } {
  const { tree, defaults } = buildKeyTree(chart);
  const data = JSON.stringify({ keys: serialize(tree), defaults });
  if (!CHART_REFERENCES[chart].schema) return { data };
  const a = newAjv(true);
  const v = a.compile(schemaOf(chart));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const standalone = require('ajv/dist/standalone').default as (ajv: Ajv, fn: ValidateFunction) => string;
  return { data, validator: standalone(a, v) };
}

function generated(file: string): any {
  const p = path.join(GENERATED_DIR, file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return fs.existsSync(p) ? require(p) : undefined;
}

function keyTree(chart: string): KeyNode {
  let tree = keyTrees.get(chart);
  if (tree) return tree;
  const pre = generated(`${chart}.chart.json`);
  if (pre) {
    tree = deserialize(pre.keys);
    defaultValues.set(chart, pre.defaults);
  } else {
    const built = buildKeyTree(chart);
    tree = built.tree;
    defaultValues.set(chart, built.defaults);
  }
  keyTrees.set(chart, tree);
  return tree;
}

function validator(chart: string): ValidateFunction | undefined {
  const ref = CHART_REFERENCES[chart];
  if (!ref.schema) return undefined;
  let v = validators.get(chart);
  if (!v) {
    const pre = generated(`${chart}.validate.js`);
    if (pre) {
      v = (pre.default ?? pre) as ValidateFunction;
    } else {
      ajv ??= newAjv(false);
      v = ajv.compile(schemaOf(chart));
    }
    validators.set(chart, v);
  }
  return v;
}

function unknownKeys(n: KeyNode, v: Values, prefix: string[], out: string[], ref: ChartValuesReference): void {
  for (const [k, x] of Object.entries(v)) {
    const p = [...prefix, k];
    // (own keys only: `toString` or `constructor` are values like any other)
    const ignored = ref.ignoredKeys && Object.prototype.hasOwnProperty.call(ref.ignoredKeys, p.join('.')) ? ref.ignoredKeys[p.join('.')] : undefined;
    if (ignored !== undefined) {
      out.push(`${p.join('.')}: ${ref.chart} ${ref.version} does not read this value (${ignored}); remove it`);
      continue;
    }
    const c = n.children.get(k);
    if (!c && isPlainObject(x) && Object.keys(ref.ignoredKeys ?? {}).some((i) => i.startsWith(`${p.join('.')}.`))) {
      // A whole section the chart no longer declares: name the ignored keys in it.
      unknownKeys(node(), x, p, out, ref);
      continue;
    }
    if (!c) {
      if (n.open) continue;
      const near = closeMatches(k, [...n.children.keys()].sort());
      const hint = near.length > 0 ? `; did you mean ${near.map((s) => [...prefix, s].join('.')).join(' or ')}?` : '';
      out.push(`unknown key ${p.join('.')}: the chart declares no such value${hint}`);
      continue;
    }
    if (isPlainObject(x)) unknownKeys(c, x, p, out, ref);
  }
}

/**
 * Problems of `values` for `chart` (`<name>@<version>`, or a bare name for
 * the one version cozynet knows of it): schema violations, keys the chart
 * does not declare and keys it does not read. A chart or version without a
 * reference in CHART_REFERENCES is not checked.
 * @internal
 */
export function checkChartValues(chart: string, values: Values): string[] {
  const found = referenceOf(chart);
  if (!found) return [];
  const [key, ref] = found;
  const out: string[] = [];
  unknownKeys(keyTree(key), values, [], out, ref);
  const v = validator(key);
  // Helm validates the schema against the chart defaults coalesced with the
  // user's values; do the same.
  if (v && !v(deepMerge(defaultValues.get(key) ?? {}, values))) {
    for (const e of v.errors ?? []) {
      const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(root)';
      out.push(`${where} ${e.message}${e.params && (e.params as any).allowedValues ? ` (${(e.params as any).allowedValues.join(', ')})` : ''}`);
    }
  }
  return out;
}
