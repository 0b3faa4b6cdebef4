/**
 * Lazy access to the CustomResourceDefinitions kept in `crds/*.yaml`, and
 * conversion of their `openAPIV3Schema` into strict JSON Schemas.
 *
 * The files are large (Cilium's alone is close to 1 MB), so documents are
 * only parsed when an object of a kind they may define is looked up.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { KNOWN_FORMATS } from './formats';

/** One served version of a CustomResourceDefinition. */
export interface CrdVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The CRD's `openAPIV3Schema`, as written. */
  readonly schema: any;
  /** The file the CRD comes from. */
  readonly file: string;
}

/** A YAML document of a CRD file, parsed on first use. */
interface CrdDocument {
  readonly file: string;
  readonly text: string;
  parsed?: any;
}

/** The CustomResourceDefinitions found in a directory of multi-document YAML files. */
export class CrdCatalog {
  private documents?: CrdDocument[];

  constructor(private readonly dir: string) {}

  /** The served version `apiVersion` of `kind`, or undefined when no CRD defines it. */
  find(apiVersion: string, kind: string): CrdVersion | undefined {
    const [group, version] = splitApiVersion(apiVersion);
    if (!group || !version) return undefined;
    const matches = (v: CrdVersion) => v.group === group && v.version === version && v.kind === kind;
    // First only the documents with `kind: <kind>` and `group: <group>` lines,
    // then, should a CRD be written differently, any that mention both.
    for (const mayDefine of [declaresKindAndGroup(kind, group), mentionsKindAndGroup(kind, group)]) {
      for (const doc of this.loadDocuments()) {
        if (!mayDefine(doc.text)) continue;
        const found = servedVersions(doc).find(matches);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Every served version of every CRD (parses all files). */
  all(): CrdVersion[] {
    return this.loadDocuments().flatMap(servedVersions);
  }

  /** Reads the files and splits them into documents (without parsing them). */
  private loadDocuments(): CrdDocument[] {
    if (!this.documents) {
      const files = fs.existsSync(this.dir) ? fs.readdirSync(this.dir).filter(isYamlFile).sort() : [];
      this.documents = files.flatMap((name) => splitDocuments(path.join(this.dir, name)));
    }
    return this.documents;
  }
}

function isYamlFile(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

/** A cheap test for a document with block-style `kind:` and `group:` lines of these values. */
function declaresKindAndGroup(kind: string, group: string): (text: string) => boolean {
  const kindLine = yamlLine('kind', kind);
  const groupLine = yamlLine('group', group);
  return (text) => kindLine.test(text) && groupLine.test(text);
}

/** A looser test: the document mentions both names somewhere. */
function mentionsKindAndGroup(kind: string, group: string): (text: string) => boolean {
  return (text) => text.includes(kind) && text.includes(group);
}

/** A regex for a `key: value` line (value optionally quoted). */
function yamlLine(key: string, value: string): RegExp {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*${key}:\\s*["']?${escaped}["']?\\s*$`, 'm');
}

/** Splits a multi-document YAML file on its `---` lines. */
function splitDocuments(file: string): CrdDocument[] {
  const text = fs.readFileSync(file, 'utf8');
  return text.split(/^---[ \t]*\r?$/m)
    .filter((chunk) => /^[^#\s]/m.test(chunk))
    .map((chunk) => ({ file, text: chunk }));
}

/** `group/version` -> [group, version]; the core group has no CRDs. */
function splitApiVersion(apiVersion: string): [string, string] | [] {
  const slash = apiVersion.indexOf('/');
  if (slash <= 0) return [];
  return [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** The served versions of the CRD in a document (none if it is not a CRD). */
function servedVersions(doc: CrdDocument): CrdVersion[] {
  if (doc.parsed === undefined) doc.parsed = parse(doc.text) ?? null;
  const crd = doc.parsed;
  if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec?.names?.kind) return [];
  const versions: any[] = Array.isArray(crd.spec.versions) ? crd.spec.versions : [];
  return versions
    .filter((v) => v?.served !== false && v?.schema?.openAPIV3Schema)
    .map((v) => ({
      group: crd.spec.group,
      version: v.name,
      kind: crd.spec.names.kind,
      schema: v.schema.openAPIV3Schema,
      file: doc.file,
    }));
}

/** Keywords that never affect validation, dropped to keep compiled schemas small. */
const ANNOTATION_KEYWORDS = new Set(['description', 'example', 'title', 'externalDocs']);

/**
 * Turns a CRD's `openAPIV3Schema` into a strict schema for ajv: pins
 * `apiVersion` and `kind`, points `metadata` at `metadataRef`, and rejects
 * unknown fields wherever the structural schema lists its properties.
 */
export function strictCrdSchema(crd: CrdVersion, metadataRef: string): any {
  const root = strictify(crd.schema, true);
  root.type = 'object';
  root.properties = {
    ...root.properties,
    apiVersion: { type: 'string', const: `${crd.group}/${crd.version}` },
    kind: { type: 'string', const: crd.kind },
    metadata: { $ref: metadataRef },
  };
  root.required = [...new Set([...(root.required ?? []), 'apiVersion', 'kind'])];
  root.additionalProperties = false;
  return root;
}

/**
 * Converts one node of an OpenAPI v3 structural schema. `structural` is false
 * below `allOf`/`anyOf`/`oneOf`/`not`, where schemas only add constraints and
 * must not reject the properties their parent declares.
 */
function strictify(node: any, structural: boolean): any {
  if (!isPlainObject(node)) return node;
  const out: any = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || ANNOTATION_KEYWORDS.has(key)) continue;
    out[key] = convertKeyword(key, value, structural);
  }
  applyIntOrString(node, out);
  applyNullable(out);
  applyExclusiveBounds(out);
  if (out.format !== undefined && !KNOWN_FORMATS.has(out.format)) delete out.format;
  if (structural && isClosedObject(node, out)) out.additionalProperties = false;
  return out;
}

/** Converts the value of one keyword, recursing into subschemas. */
function convertKeyword(key: string, value: any, structural: boolean): any {
  switch (key) {
    case 'properties':
    case 'patternProperties':
    case 'definitions':
      return mapValues(value, (v) => strictify(v, structural));
    case 'items':
      return Array.isArray(value) ? value.map((v) => strictify(v, structural)) : strictify(value, structural);
    case 'additionalProperties':
      return strictify(value, structural);
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      return Array.isArray(value) ? value.map((v) => strictify(v, false)) : value;
    case 'not':
      return strictify(value, false);
    default:
      return value;
  }
}

/** An object schema that lists properties and does not preserve unknown fields. */
function isClosedObject(original: any, converted: any): boolean {
  return isPlainObject(converted.properties)
    && converted.additionalProperties === undefined
    && original['x-kubernetes-preserve-unknown-fields'] !== true;
}

/** `x-kubernetes-int-or-string: true` means an integer or a string. */
function applyIntOrString(original: any, out: any): void {
  if (original['x-kubernetes-int-or-string'] === true && out.type === undefined) {
    out.type = ['integer', 'string'];
  }
}

/** ajv only accepts `nullable` next to `type`; without a type anything goes anyway. */
function applyNullable(out: any): void {
  if (out.nullable !== undefined && out.type === undefined) delete out.nullable;
}

/** OpenAPI v3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` -> JSON Schema numbers. */
function applyExclusiveBounds(out: any): void {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
  }
}

function mapValues(value: any, fn: (v: any) => any): any {
  if (!isPlainObject(value)) return value;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fn(v);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
