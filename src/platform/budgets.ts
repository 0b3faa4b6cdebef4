import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, Node as YamlNode } from 'yaml';
import { CozynetValidationError, ValidationIssue } from '../model/errors';

/**
 * Budgets that bound cozynet's work by what the input expands to, not by
 * the size of the file: YAML aliases copy whole subtrees (a 3.9 MB file
 * expanded to a 1.1 GB output), and a JavaScript array of length 10^7
 * takes no memory until something walks it. Each is checked before the
 * work it bounds starts, for the platform file and `new Platform(...)` alike.
 */

/** Most items of any one list (tenants are limited to MAX_TENANTS = 20,000 in all, see checks.ts). @internal */
export const MAX_LIST_LENGTH = 20_000;

/**
 * Most nodes (mappings, lists, keys and scalars) a platform document may
 * expand to, each alias counted as a copy of what it names. A platform of
 * 20,000 tenants has ~100,000.
 * @internal
 */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * Most characters of text (keys and scalar values) a platform document may
 * expand to, each alias counted as a copy: twice the largest file.
 * @internal
 */
export const MAX_EXPANDED_TEXT = 8 * 1024 * 1024;

function tooLong(path: string, length: number): ValidationIssue {
  return { path: path || '(root)', value: `a list of ${length} items`, message: `lists at most ${MAX_LIST_LENGTH} items (the limit of a list)` };
}

function tooBig(at: string, nodes: number): ValidationIssue {
  const what = nodes > MAX_EXPANDED_NODES
    ? `more than ${MAX_EXPANDED_NODES} values`
    : `more than ${MAX_EXPANDED_TEXT / 1024 / 1024} MiB of text`;
  return {
    path: at,
    value: '',
    message: `expands to ${what} (YAML aliases count as copies of what they name; the limit is ${MAX_EXPANDED_NODES} values and ${MAX_EXPANDED_TEXT / 1024 / 1024} MiB of text): write the values out, or use fewer aliases`,
  };
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return '';
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_$][\w$-]{0,99}$/.test(key)) return `${path}[${JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key)}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Checks the budgets on a parsed YAML document before it is converted to
 * JavaScript: the size it expands to (each alias counted as a copy of its
 * anchor's node) and the length of every list. The `yaml` package's own
 * `maxAliasCount` weighs an alias by the aliases inside what it names, not
 * by its size: 100 aliases of one large mapping pass it. Aliases must be
 * resolved (an alias inside what it names counts as endless). `fileName`
 * names the file in messages; `listLimit` false for manifests (only the
 * expansion is bounded there).
 * @internal
 */
export function yamlBudgetIssues(doc: Document, fileName: string, listLimit: boolean = true): ValidationIssue[] {
  const sizes = new Map<unknown, [number, number]>();
  let nodes = 0;
  let text = 0;
  const issues: ValidationIssue[] = [];
  // [nodes, characters] of a node, counting aliases as copies (memoized per node).
  const size = (node: unknown, path: string | undefined): [number, number] => {
    if (node === null || node === undefined) return [1, 0];
    if (isAlias(node)) {
      const target = (node as Alias).resolve(doc);
      return target ? (sizes.get(target) ?? size(target, undefined)) : [1, 0];
    }
    const known = sizes.get(node);
    if (known && path === undefined) return known;
    // (in progress: an alias inside what it names expands without end)
    sizes.set(node, [Infinity, Infinity]);
    let n = 1;
    let t = 0;
    if (isScalar(node)) {
      const v = node.value;
      t = typeof v === 'string' ? v.length : String(v).length;
    } else if (isSeq(node)) {
      if (listLimit && path !== undefined && node.items.length > MAX_LIST_LENGTH && issues.length < 20) issues.push(tooLong(path, node.items.length));
      node.items.forEach((item, i) => {
        const [a, b] = size(item, path === undefined ? undefined : join(path, i));
        n += a;
        t += b;
      });
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const [ka, kb] = size(pair.key, undefined);
        const [va, vb] = size(pair.value, path === undefined ? undefined : join(path, keyText(pair.key)));
        n += ka + va;
        t += kb + vb;
      }
    }
    const result: [number, number] = [n, t];
    sizes.set(node, result);
    return result;
  };
  // The document in order: anchors come before their aliases, so each
  // alias finds its target measured. Stops at the first budget exceeded.
  const top = doc.contents as YamlNode | null;
  if (top) [nodes, text] = size(top, '');
  if (nodes > MAX_EXPANDED_NODES || text > MAX_EXPANDED_TEXT) issues.unshift(tooBig(fileName, nodes));
  return issues;
}

/**
 * The same budgets on props handed to the library (plain JavaScript, no
 * aliases but shared objects count as copies): every array's `length` is
 * checked before it is walked (a sparse array of length 10^7 holds nothing
 * but would be walked item by item), and the walk stops past the budget.
 * Deeper than `maxDepth` (or self-referencing) is left to the nesting check.
 * @internal
 */
export function valueBudgetIssues(value: unknown, maxDepth: number, root: string = ''): ValidationIssue[] {
  let nodes = 0;
  let text = 0;
  const stack: Array<[unknown, string, number]> = [[value, root, 0]];
  while (stack.length > 0) {
    const [v, at, depth] = stack.pop()!;
    nodes++;
    if (typeof v === 'string') text += v.length;
    if (nodes > MAX_EXPANDED_NODES || text > MAX_EXPANDED_TEXT) return [tooBig(root || '(props)', nodes)];
    if (v === null || typeof v !== 'object' || depth > maxDepth) continue;
    if (Array.isArray(v)) {
      if (v.length > MAX_LIST_LENGTH) return [tooLong(at, v.length)];
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], join(at, i), depth + 1]);
      continue;
    }
    for (const k of Object.keys(v)) {
      text += k.length;
      stack.push([(v as any)[k], join(at, k), depth + 1]);
    }
  }
  return [];
}

/** Throws the budget issues of library props, if any. @internal */
export function checkValueBudgets(value: unknown, maxDepth: number): void {
  const issues = valueBudgetIssues(value, maxDepth);
  if (issues.length > 0) throw new CozynetValidationError(issues);
}
