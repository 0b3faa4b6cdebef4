/**
 * Moves repeated subschemas of a schema into `definitions` and refers to
 * them with `$ref`, so that ajv compiles each of them once. CRD schemas
 * repeat themselves a lot (Cilium's policy rules appear under `spec` and
 * again under `specs`, ingress and egress share selectors, ...).
 */

/** Keywords whose value is a map of subschemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
/** Keywords whose value is a subschema (or, for `items`, a list of them). */
const SCHEMA_VALUES = ['items', 'additionalProperties', 'not'];

/** Subschemas whose JSON is shorter than this are left in place. */
const DEFAULT_MIN_SIZE = 400;

/**
 * Returns a copy of `root` in which every subschema that occurs more than
 * once (and is at least `minSize` characters of JSON) is replaced by a `$ref`
 * into the root's `definitions`.
 */
export function hoistRepeatedSubschemas(root: any, minSize = DEFAULT_MIN_SIZE): any {
  const counts = new Map<string, number>();
  forEachSubschema(root, (node) => {
    const key = JSON.stringify(node);
    if (key.length >= minSize) counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const names = new Map<string, string>();
  for (const [key, count] of counts) if (count > 1) names.set(key, `hoisted${names.size}`);
  if (names.size === 0) return root;

  const definitions: Record<string, any> = {};
  const rewrite = (node: any): any => {
    const name = names.get(JSON.stringify(node));
    if (!name) return mapSubschemas(node, rewrite);
    if (!(name in definitions)) definitions[name] = mapSubschemas(node, rewrite);
    return { $ref: `#/definitions/${name}` };
  };
  const out = mapSubschemas(root, rewrite);
  out.definitions = { ...out.definitions, ...definitions };
  return inlineSingleUseDefinitions(out, new Set(Object.keys(definitions)));
}

/**
 * Puts back the hoisted definitions that ended up referenced only once (the
 * parts of a repeated subschema that occur nowhere else).
 */
function inlineSingleUseDefinitions(root: any, hoisted: ReadonlySet<string>): any {
  const uses = new Map<string, number>();
  forEachSubschema(root, (node) => {
    const name = hoistedName(node);
    if (name && hoisted.has(name)) uses.set(name, (uses.get(name) ?? 0) + 1);
  });
  const single = new Set([...hoisted].filter((name) => uses.get(name) === 1));
  if (single.size === 0) return root;
  const inline = (node: any): any => {
    const name = hoistedName(node);
    return mapSubschemas(name && single.has(name) ? root.definitions[name] : node, inline);
  };
  const out = mapSubschemas(root, inline);
  for (const name of single) delete out.definitions[name];
  return out;
}

/** The definition name of a `{ $ref: '#/definitions/<name>' }` node. */
function hoistedName(node: any): string | undefined {
  const ref = node?.$ref;
  return typeof ref === 'string' && ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
}

/** Calls `fn` on every subschema below `node` (not on `node` itself). */
function forEachSubschema(node: any, fn: (sub: any) => void): void {
  mapSubschemas(node, (sub) => {
    fn(sub);
    forEachSubschema(sub, fn);
    return sub;
  });
}

/** A shallow copy of `node` with `fn` applied to each of its direct subschemas. */
function mapSubschemas(node: any, fn: (sub: any) => any): any {
  if (!isSchemaObject(node)) return node;
  const out: any = { ...node };
  for (const key of SCHEMA_MAPS) {
    if (!isSchemaObject(node[key])) continue;
    out[key] = {};
    for (const [name, sub] of Object.entries(node[key])) out[key][name] = applyTo(sub, fn);
  }
  for (const key of SCHEMA_LISTS) {
    if (Array.isArray(node[key])) out[key] = node[key].map((sub: any) => applyTo(sub, fn));
  }
  for (const key of SCHEMA_VALUES) {
    if (Array.isArray(node[key])) out[key] = node[key].map((sub: any) => applyTo(sub, fn));
    else if (node[key] !== undefined) out[key] = applyTo(node[key], fn);
  }
  return out;
}

/** Applies `fn` to object subschemas; boolean schemas are left alone. */
function applyTo(sub: any, fn: (sub: any) => any): any {
  return isSchemaObject(sub) ? fn(sub) : sub;
}

function isSchemaObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
