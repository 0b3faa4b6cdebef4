import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, LineCounter, Node as YamlNode, parseDocument, visit } from 'yaml';
import { valueBudgetIssues, yamlBudgetIssues } from './budgets';
import { PlatformProps } from './platform';
import { readUserFile } from './safe-read';
import { CozynetValidationError, excerpt, fail, ValidationIssue } from '../model/errors';
import { closeMatches } from '../model/suggest';

const SCHEMA_FILE = path.join(__dirname, '..', '..', 'schemas', 'platform.schema.json');
let validator: ValidateFunction | undefined;

/** Largest platform file read (bytes): 20,000 tenants in block YAML are ~1.3 MiB; parsing 4 MiB takes ~1 GiB at most. @internal */
export const MAX_PLATFORM_FILE_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of a platform file (a tenant tree 50 levels deep needs ~100). @internal */
export const MAX_NESTING = 256;
/** Most aliases a platform file may use (YAML alias bombs expand exponentially). */
const MAX_ALIASES = 100;
let schemaObject: any;

/**
 * The JSON Schema of the platform file, generated from `PlatformProps`
 * (scripts/gen-platform-schema.js).
 * @internal
 */
export function platformSchema(): any {
  schemaObject ??= JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  return schemaObject;
}

/**
 * The platform-file validator precompiled at build time
 * (lib/generated/platform.validate.js, scripts/gen-chart-validators.js):
 * compiling the schema takes ~0.3 s of every CLI run. Absent when running
 * from src/; ignored when it was made from another schema than the one in
 * schemas/ (the generated module names the schema's SHA-256).
 */
const PRECOMPILED = path.join(__dirname, '..', 'generated', 'platform.validate.js');

/**
 * ajv's generated code gathers the errors of a `$ref` with
 * `vErrors = vErrors.concat(errors)`, a copy of every error so far per
 * call: quadratic in the number of errors (100,000 bad pools took 30 s).
 * This appends in place instead.
 * @internal
 */
export function _linearErrors(code: string): string {
  return code.replace(/vErrors = vErrors === null \? ([\w$.]+) : vErrors\.concat\(\1\);/g,
    'if (vErrors === null) { vErrors = $1; } else { for (const e$ of $1) vErrors.push(e$); }');
}

function platformAjv(source: boolean): Ajv {
  return new Ajv({ allErrors: true, strict: false, verbose: true, code: { process: _linearErrors, ...(source ? { source: true } : {}) } });
}

function schemaSha256(): string {
  return createHash('sha256').update(fs.readFileSync(SCHEMA_FILE)).digest('hex');
}

/**
 * The validator in `file` when it exists and was made from the schema whose
 * SHA-256 is `sha`; undefined otherwise.
 * @internal
 */
export function _precompiledValidator(file: string, sha: string): ValidateFunction | undefined {
  if (!fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pre = require(file);
  return pre.schemaSha256 === sha ? (pre.default ?? pre) as ValidateFunction : undefined;
}

function compiled(): ValidateFunction {
  validator ??= _precompiledValidator(PRECOMPILED, schemaSha256()) ?? platformAjv(false).compile(platformSchema());
  return validator;
}

/**
 * Source of the precompiled platform-file validator: ajv standalone code
 * that also exports the SHA-256 of the schema it was made from.
 * @internal
 */
export function _platformValidatorSource(): string {
  const ajv = platformAjv(true);
  const validate = ajv.compile(platformSchema());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const standalone = require('ajv/dist/standalone').default as (a: Ajv, fn: ValidateFunction) => string;
  return `${_linearErrors(standalone(ajv, validate))}\nmodule.exports.schemaSha256 = ${JSON.stringify(schemaSha256())};\n`;
}

/** `/loadBalancer/pools/1/addresses/0` → `loadBalancer.pools[1].addresses[0]`. @internal */
export function toFieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out = join(out, seg);
  }
  return out;
}

/** `a.b`, or `a["odd key"]` for keys that are not plain names (dots, spaces, quotes, very long). */
function join(pathSoFar: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]{0,99}$/.test(key)) {
    const shown = key.length > 100 ? `${key.slice(0, 100)}…` : key;
    return `${pathSoFar}[${JSON.stringify(shown)}]`;
  }
  return pathSoFar ? `${pathSoFar}.${key}` : key;
}

function schemaIssues(errors: ErrorObject[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  // anyOf/oneOf report every branch; the branch errors say more than the summary.
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const at = toFieldPath(e.instancePath);
    let issue: ValidationIssue;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = (e.params as any).additionalProperty as string;
        const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
        const near = closeMatches(key, allowed);
        issue = {
          path: join(at, key),
          value: CozynetValidationError.show((e.data as any)?.[key]),
          message: `unknown key${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (allowed here: ${allowed.join(', ') || 'none'})`,
        };
        break;
      }
      case 'required':
        issue = { path: join(at, (e.params as any).missingProperty), value: 'nothing', message: 'is required' };
        break;
      case 'enum': {
        const allowed = (e.params as any).allowedValues as any[];
        const near = typeof e.data === 'string' ? closeMatches(e.data, allowed.map(String)) : [];
        issue = { path: at, value: CozynetValidationError.show(e.data), message: `must be one of ${allowed.join(', ')}${near.length ? `; did you mean ${near.join(' or ')}?` : ''}` };
        break;
      }
      case 'type': {
        const allowed = (e.parentSchema as any)?.['x-allowed'];
        const integer = (e.params as any).type === 'integer' && typeof e.data === 'number' && typeof allowed === 'string';
        issue = { path: at, value: CozynetValidationError.show(e.data), message: integer ? allowed : `must be ${describeType((e.params as any).type)}` };
        break;
      }
      default: {
        // constraints that carry cozynet's own message (x-allowed, see scripts/gen-platform-schema.js)
        const allowed = (e.parentSchema as any)?.['x-allowed'];
        issue = { path: at, value: CozynetValidationError.show(e.data), message: typeof allowed === 'string' ? allowed : e.message ?? 'is not allowed' };
      }
    }
    const key = `${issue.path}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function describeType(t: string | string[]): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false' };
  return (Array.isArray(t) ? t : String(t).split(',')).map((x) => names[x] ?? x).join(' or ');
}

/**
 * Parses platform file text (YAML or JSON). YAML syntax errors, unresolved
 * or cyclic aliases, alias bombs and too deep nesting are user errors with
 * line and column.
 * @internal
 */
export function parsePlatformText(text: string, fileName: string): any {
  const lineCounter = new LineCounter();
  const where = (offset: number | undefined) => {
    if (offset === undefined) return fileName;
    const pos = lineCounter.linePos(offset);
    return `${fileName}:${pos.line}:${pos.col}`;
  };
  let doc;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    if (e instanceof RangeError) fail(fileName, '', `nested too deeply (at most ${MAX_NESTING} levels)`);
    throw e;
  }
  if (doc.errors.length > 0) {
    throw new CozynetValidationError(doc.errors.slice(0, 20).map((e) => {
      const pos = e.linePos?.[0];
      return {
        path: pos ? `${fileName}:${pos.line}:${pos.col}` : fileName,
        value: '',
        message: /Maximum call stack/.test(e.message)
          ? `nested too deeply (at most ${MAX_NESTING} levels)`
          : e.code === 'MULTIPLE_DOCS'
            ? 'a second YAML document starts here (after "---"): a platform file is one document; remove the "---" line or split the file'
            : `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      };
    }));
  }
  // An empty document (nothing, only comments, only "---", or null / ~)
  // means the default platform; any other scalar or a list is an error.
  if (isScalar(doc.contents) && doc.contents.value === null) return {};
  if (doc.contents && !isMap(doc.contents) && !(doc.contents === null)) {
    const what = isSeq(doc.contents) ? 'a list' : isScalar(doc.contents) ? `the value ${CozynetValidationError.show(doc.contents.value)}` : 'a scalar';
    throw new CozynetValidationError([{ path: '(root)', value: what, message: 'the platform file must be a mapping with keys such as variant and cluster' }]);
  }
  // Aliases: each must name an anchor set before it, outside itself.
  const issues: ValidationIssue[] = [];
  let aliases = 0;
  const tooDeep = (node: YamlNode, depth: number): symbol | undefined => {
    if (depth <= MAX_NESTING * 2 + 4) return undefined;
    issues.push({ path: where(node.range?.[0]), value: '', message: `nested too deeply (at most ${MAX_NESTING} levels)` });
    return visit.BREAK;
  };
  visit(doc, {
    Alias: (_key, node, ancestors) => {
      aliases++;
      const target = node.resolve(doc);
      if (!target) {
        issues.push({ path: where(node.range?.[0]), value: `*${node.source}`, message: 'YAML alias of an anchor that is not set before it' });
      } else if (ancestors.includes(target as any)) {
        issues.push({ path: where(node.range?.[0]), value: `*${node.source}`, message: 'YAML alias inside the node it names (a cycle)' });
      }
    },
    Seq: (_key, node, ancestors) => tooDeep(node, ancestors.length),
    Map: (_key, node, ancestors) => {
      if (tooDeep(node, ancestors.length) === visit.BREAK) return visit.BREAK;
      // Keys: plain scalars only (a collection key would be stringified, with
      // a warning on stderr), unique also when one is written as an alias.
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        const at = where((pair.key as YamlNode | null)?.range?.[0] ?? node.range?.[0]);
        if (key !== null && key !== undefined && !isScalar(key)) {
          issues.push({ path: at, value: isSeq(key) ? 'a list' : 'a mapping', message: 'a key must be a plain string, not a list or mapping (a YAML complex key)' });
          continue;
        }
        // (two plain keys alike are a YAML error already)
        const name = String(key?.value ?? null);
        const alias = isAlias(pair.key);
        if (seen.has(name) && (alias || seen.get(name) === 1)) {
          issues.push({ path: at, value: alias ? `*${(pair.key as any).source}` : JSON.stringify(excerpt(name, 100)), message: `duplicate key ${JSON.stringify(excerpt(name, 100))}${alias ? ': the alias names a key this mapping already has' : ': an alias before it names the same key'}` });
        }
        if (!seen.has(name) || alias) seen.set(name, alias ? 1 : 0);
      }
      return undefined;
    },
  });
  // Tags the yaml package does not know are dropped with a warning: refused.
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const pos = w.linePos?.[0];
    issues.push({
      path: pos ? `${fileName}:${pos.line}:${pos.col}` : fileName,
      value: '',
      message: `${w.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}: cozynet reads no custom YAML tags (remove the tag; standard tags such as !!str are fine)`,
    });
  }
  if (aliases > MAX_ALIASES) issues.push({ path: fileName, value: `${aliases} aliases`, message: `uses more than ${MAX_ALIASES} YAML aliases` });
  if (issues.length > 0) throw new CozynetValidationError(issues.slice(0, 20));
  // What the document expands to (aliases as copies), before it is expanded.
  const budget = yamlBudgetIssues(doc, fileName);
  if (budget.length > 0) throw new CozynetValidationError(budget);
  try {
    return doc.toJS({ maxAliasCount: 1000 }) ?? {};
  } catch (e: any) {
    if (e instanceof ReferenceError || e instanceof RangeError) {
      fail(fileName, '', `YAML aliases expand too far (${e.message.split('\n')[0]}): write the values out, or use fewer aliases`);
    }
    throw e;
  }
}

/**
 * Reads and checks a platform file: syntax, then the JSON Schema (unknown
 * keys, types, enums), all problems at once. Values (CIDRs, overlaps, …)
 * are checked by the constructs when the platform is built.
 * @internal
 */
export function readPlatformFile(file: string): PlatformProps {
  const text = readUserFile(file, { field: '--config', limit: MAX_PLATFORM_FILE_BYTES, what: 'the platform file', allowPipe: true });
  if (text.includes('\u0000')) fail('--config', file, 'is not a text file (it holds NUL bytes)');
  return parsePlatformObject(parsePlatformText(text, path.basename(file)));
}

/**
 * Checks a parsed platform object for unknown keys and returns it typed.
 * @internal
 */
export function parsePlatformObject(obj: any): PlatformProps {
  const validate = compiled();
  const budget = valueBudgetIssues(obj, MAX_NESTING);
  if (budget.length > 0) throw new CozynetValidationError(budget);
  if (nestingOf(obj) > MAX_NESTING) fail('(root)', '', `nested too deeply (at most ${MAX_NESTING} levels)`);
  if (!validate(obj)) throw new CozynetValidationError(schemaIssues(validate.errors ?? []));
  return obj as PlatformProps;
}

/** Nesting depth of plain data (iterative: no stack to overflow). */
function nestingOf(value: any): number {
  let max = 0;
  const stack: Array<[any, number]> = [[value, 0]];
  const seen = new Set<any>();
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (d > max) max = d;
    if (max > MAX_NESTING) return max;
    for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}
