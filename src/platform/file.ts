import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { PlatformProps } from './platform';
import { CozynetValidationError, ValidationIssue } from '../model/errors';
import { closeMatches } from '../model/suggest';

const SCHEMA_FILE = path.join(__dirname, '..', '..', 'schemas', 'platform.schema.json');
let validator: ValidateFunction | undefined;
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

function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    validator = ajv.compile(platformSchema());
  }
  return validator;
}

/** `/loadBalancer/pools/1/addresses/0` → `loadBalancer.pools[1].addresses[0]`. @internal */
export function toFieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function join(pathSoFar: string, key: string): string {
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
      case 'enum':
        issue = { path: at, value: CozynetValidationError.show(e.data), message: `must be one of ${((e.params as any).allowedValues as any[]).join(', ')}` };
        break;
      case 'type':
        issue = { path: at, value: CozynetValidationError.show(e.data), message: `must be ${describeType((e.params as any).type)}` };
        break;
      default:
        issue = { path: at, value: CozynetValidationError.show(e.data), message: e.message ?? 'is not allowed' };
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
 * Parses platform file text (YAML or JSON). YAML syntax errors carry line
 * and column.
 * @internal
 */
export function parsePlatformText(text: string, fileName: string): any {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CozynetValidationError(doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return {
        path: pos ? `${fileName}:${pos.line}:${pos.col}` : fileName,
        value: '',
        message: `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      };
    }));
  }
  if (doc.contents && !isMap(doc.contents) && !(doc.contents === null)) {
    const what = isSeq(doc.contents) ? 'a list' : 'a scalar';
    throw new CozynetValidationError([{ path: '(root)', value: what, message: 'the platform file must be a mapping with keys such as variant and cluster' }]);
  }
  return doc.toJS() ?? {};
}

/**
 * Reads and checks a platform file: syntax, then the JSON Schema (unknown
 * keys, types, enums), all problems at once. Values (CIDRs, overlaps, …)
 * are checked by the constructs when the platform is built.
 * @internal
 */
export function readPlatformFile(file: string): PlatformProps {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new CozynetValidationError([{ path: '--config', value: CozynetValidationError.show(file), message: `cannot read the platform file (${e.code ?? e.message})` }]);
  }
  return parsePlatformObject(parsePlatformText(text, path.basename(file)));
}

/**
 * Checks a parsed platform object for unknown keys and returns it typed.
 * @internal
 */
export function parsePlatformObject(obj: any): PlatformProps {
  const validate = compiled();
  if (!validate(obj)) throw new CozynetValidationError(schemaIssues(validate.errors ?? []));
  return obj as PlatformProps;
}
