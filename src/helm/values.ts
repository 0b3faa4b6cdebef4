/**
 * Helm values utilities: deep merge in layer order.
 * @internal
 */
export type Values = { [key: string]: any };

/** @internal */
export function isPlainObject(v: unknown): v is Values {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Deep-merges `overlay` onto `base` (neither is modified): objects merge key
 * by key, everything else (scalars, arrays, null) replaces.
 * @internal
 */
export function deepMerge(base: Values, overlay: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : clone(v);
  }
  return out;
}

/** Deep copy of JSON-like data. @internal */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as any;
  if (isPlainObject(v)) {
    const o: Values = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = clone(x);
    return o as T;
  }
  return v;
}

/**
 * Returns a copy with object keys sorted recursively, for deterministic output.
 * @internal
 */
export function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as any;
  if (isPlainObject(v)) {
    const o: Values = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) o[k] = sortKeys(v[k]);
    return o as T;
  }
  return v;
}

/** Leaf paths of a values tree (`a.b.c`), arrays and empty objects count as leaves. @internal */
export function leafPaths(v: Values, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, x] of Object.entries(v)) {
    const p = [...prefix, k];
    if (isPlainObject(x) && Object.keys(x).length > 0) out.push(...leafPaths(x, p));
    else out.push(p);
  }
  return out;
}
