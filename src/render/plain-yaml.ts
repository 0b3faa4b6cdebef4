import { Document } from 'yaml';

/**
 * A serializer for the plain data of Kubernetes objects that writes exactly
 * what `stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })` of
 * the `yaml` library writes, about ten times faster and without building a
 * YAML syntax tree per object (at 20,000 tenants that tree was most of the
 * synthesis' time and memory).
 *
 * It knows only the simple cases and gives up (returns undefined) on
 * anything else, for which the caller uses the `yaml` library: a document
 * that is not a mapping or a list; objects that are not plain (class
 * instances, Maps, Dates); numbers other than safe integers; strings with a
 * line break, a character outside printable ASCII, a leading document
 * marker (`%`, `---`, `...`) or more than 1,000 characters; undefined or a
 * hole in a list; nesting deeper than 100. test/core/plain-yaml.test.ts
 * compares it with the library on random and hostile data.
 * @internal
 */
export function plainYaml(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object') return undefined;
  const outer = written; // (re-entered from a getter: unlikely, but kept apart)
  written = '';
  try {
    return collection(doc as object, '', 0) ? `${written}\n` : undefined;
  } finally {
    written = outer;
  }
}

/** Longest string written here (the library writes keys over 1,024 characters as explicit keys). */
const MAX_STRING = 1000;
const MAX_DEPTH = 100;
/** Characters a plain or simply quoted scalar may hold: printable ASCII. */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
/** Lines the library writes specially (document markers, directives). */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** What the library never writes as a plain scalar (its stringifyString, one line). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

let otherTypes: RegExp[] | undefined;

/** Patterns of the core schema's scalars that are not strings (null, booleans, numbers): such strings are quoted. */
function nonStringPatterns(): RegExp[] {
  otherTypes ??= new Document().schema.tags
    .filter((t: any) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp)
    .map((t: any) => t.test as RegExp);
  return otherTypes;
}

/** Strings that are plain for certain but for the words below: a letter, then letters, digits and `_./-`. */
const SIMPLE = /^[A-Za-z][\w./-]*$/;
/** The only SIMPLE strings the core schema reads as something else (null, booleans). */
const SIMPLE_NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** A string as one scalar (the same as a key and as a value, on one line). */
function str(s: string): string | undefined {
  if (s.length <= MAX_STRING && SIMPLE.test(s)) return SIMPLE_NOT_STRINGS.has(s) ? `"${s}"` : s;
  if (s.length > MAX_STRING || NOT_PRINTABLE_ASCII.test(s) || DOCUMENT_MARKER.test(s)) return undefined;
  if (!NOT_PLAIN.test(s) && !nonStringPatterns().some((re) => re.test(s))) return s;
  // quoted: single quotes only when that avoids escaping a double quote
  return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
}

function scalar(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string': return str(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : undefined;
    default: return v === null ? 'null' : undefined;
  }
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `[]` or `{}` for a collection the library writes empty (a mapping whose
 * values are all undefined included), '' for one with items, undefined
 * for what is not plain data.
 */
function emptyText(v: object): string | undefined {
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return undefined;
    return v.length === 0 ? '[]' : '';
  }
  if (!isPlainObject(v) || Symbol.iterator in v) return undefined;
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && (v as any)[k] !== undefined) return '';
  return '{}';
}

/** The text written so far (one document at a time: V8 appends to a string without copying). */
let written = '';

/**
 * Appends a collection as the library writes it in block style, its items
 * at `indent`: the first line unindented, the following ones starting with
 * `\n` and `indent`; `{}`/`[]` when empty. False when it gives up.
 */
function collection(v: object, indent: string, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    if (v.length === 0) {
      written += '[]';
      return true;
    }
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return false;
      written += i === 0 ? '- ' : `\n${indent}- `;
      const item = v[i];
      if (item !== null && typeof item === 'object') {
        if (!collection(item, inner, depth + 1)) return false;
      } else {
        const text = scalar(item);
        if (text === undefined) return false;
        written += text;
      }
    }
    return true;
  }
  if (!isPlainObject(v) || Symbol.iterator in v) return false;
  let first = true;
  for (const k of Object.keys(v)) {
    const item = (v as any)[k];
    if (item === undefined) continue;
    const key = str(k);
    if (key === undefined) return false;
    written += first ? key : `\n${indent}${key}`;
    first = false;
    if (item !== null && typeof item === 'object') {
      const empty = emptyText(item);
      if (empty === undefined) return false;
      if (empty !== '') {
        written += `: ${empty}`;
        continue;
      }
      written += `:\n${inner}`;
      if (!collection(item, inner, depth + 1)) return false;
    } else {
      const text = scalar(item);
      if (text === undefined) return false;
      written += `: ${text}`;
    }
  }
  if (first) written += '{}';
  return true;
}

/**
 * Reads a YAML stream that `plainYaml` wrote (documents joined by `---`
 * lines), much faster than the `yaml` library: every document is read by a
 * small parser of that one layout and accepted only when `plainYaml` writes
 * it back to exactly its text. Since `plainYaml` writes what the library
 * writes, and the library reads back what it wrote, what this returns is
 * what the library reads. Undefined when any document is not such (a
 * comment, another layout, a syntax error, …): the caller then uses the
 * library, which reports problems.
 * @internal
 */
export function parsePlainYamlStream(text: string, intern: (s: string) => string = (s) => s): unknown[] | undefined {
  if (text.length === 0 || !text.endsWith('\n') || text.startsWith('---')) return undefined;
  const docs: unknown[] = [];
  for (const piece of text.slice(0, -1).split('\n---\n')) {
    const doc = `${piece}\n`;
    if (doc.length > MAX_PLAIN_DOCUMENT) return undefined;
    let value: unknown;
    try {
      value = new PlainReader(piece.split('\n'), intern).document();
    } catch {
      return undefined;
    }
    if (value === undefined || plainYaml(value) !== doc) return undefined;
    docs.push(value);
  }
  return docs;
}

/**
 * Largest document read by `parsePlainYamlStream` (characters): far within
 * the budgets of a manifest (1,000,000 values, 8 MiB of text), which a
 * larger one is checked against by the library's path.
 */
const MAX_PLAIN_DOCUMENT = 1024 * 1024;
const INTEGER = /^[-+]?[0-9]+$/;

/** A reader of the block layout `plainYaml` writes; throws (or reads something else) on any other. */
class PlainReader {
  private line = 0;
  constructor(private readonly lines: string[], private readonly intern: (s: string) => string) {}

  public document(): unknown {
    const v = this.collection(0, 0);
    if (this.line !== this.lines.length) throw new Error('trailing lines');
    return v;
  }

  /** The collection whose items start at column `col`, the first one at `start` of the current line. */
  private collection(col: number, start: number): unknown {
    const text = this.lines[this.line];
    const rest = text.slice(start);
    if (rest === '{}' || rest === '[]') {
      this.line++;
      return rest === '{}' ? {} : [];
    }
    return rest.startsWith('- ') ? this.seq(col, start) : this.map(col, start);
  }

  private seq(col: number, start: number): unknown[] {
    const out: unknown[] = [];
    let at = start;
    for (;;) {
      const text = this.lines[this.line];
      if (!text.startsWith('- ', at)) throw new Error('not a list item');
      out.push(this.item(col + 2, at + 2));
      if (!this.continues(col, true)) return out;
      at = col;
    }
  }

  private map(col: number, start: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let at = start;
    for (;;) {
      const text = this.lines[this.line];
      const [token, end] = this.token(text, at);
      const key = this.intern(token);
      if (key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) throw new Error('key');
      if (end === text.length - 1 && text[end] === ':') {
        this.line++;
        if (this.line >= this.lines.length) throw new Error('no value');
        out[key] = this.collection(col + 2, col + 2);
      } else if (text.startsWith(': ', end)) {
        const value = text.slice(end + 2);
        out[key] = value === '{}' ? {} : value === '[]' ? [] : this.scalar(value);
        this.line++;
      } else {
        throw new Error('not a key');
      }
      if (!this.continues(col, false)) return out;
      at = col;
    }
  }

  /** An item of a list (after `- `, at column `col`): a scalar, or a collection starting on this line. */
  private item(col: number, start: number): unknown {
    const text = this.lines[this.line];
    if (text.startsWith('- ', start)) return this.seq(col, start);
    const [, end] = this.token(text, start);
    if (end < text.length) return this.collection(col, start); // a key: a mapping
    this.line++;
    return this.scalar(text.slice(start));
  }

  /** Whether the next line is another item of the collection at `col`. */
  private continues(col: number, seq: boolean): boolean {
    if (this.line >= this.lines.length) return false;
    const text = this.lines[this.line];
    let spaces = 0;
    while (text.charCodeAt(spaces) === 32) spaces++;
    if (spaces < col) return false;
    if (spaces > col) throw new Error('indentation');
    return seq ? text.startsWith('- ', col) : !text.startsWith('- ', col);
  }

  /** A scalar token at `start` (quoted, or plain up to `: ` or a final `:`) and where it ends. */
  private token(text: string, start: number): [string, number] {
    const q = text[start];
    if (q === '"') {
      let i = start + 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw new Error('unterminated');
      return [JSON.parse(text.slice(start, i + 1)), i + 1];
    }
    if (q === "'") {
      const i = text.indexOf("'", start + 1);
      if (i < 0) throw new Error('unterminated');
      return [text.slice(start + 1, i), i + 1];
    }
    let end = text.indexOf(': ', start);
    if (end < 0) end = text.endsWith(':') ? text.length - 1 : text.length;
    return [text.slice(start, end), end];
  }

  private scalar(text: string): unknown {
    const [s, end] = this.token(text, 0);
    if (end !== text.length) throw new Error('not a scalar');
    if (text[0] === '"' || text[0] === "'") return this.intern(s);
    if (s === 'null') return null;
    if (s === 'true' || s === 'false') return s === 'true';
    return INTEGER.test(s) ? Number(s) : this.intern(s);
  }
}
