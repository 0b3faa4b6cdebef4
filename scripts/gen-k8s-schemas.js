#!/usr/bin/env node
/**
 * Generates strict JSON Schemas (draft-07) for core Kubernetes kinds into
 * schemas/kubernetes/, one self-contained file per kind.
 *
 * Source of truth: the models of the dev dependency @kubernetes/client-node
 * (generated from the Kubernetes OpenAPI spec). Each model class carries a
 * static `attributeTypeMap`; its `.d.ts` marks optional properties with `?`,
 * which is how `required` is derived.
 *
 * Usage: node scripts/gen-k8s-schemas.js   (projen task: npm run schemas:k8s)
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..');
const CLIENT_DIR = path.join(ROOT, 'node_modules', '@kubernetes', 'client-node');
const MODELS_DIR = path.join(CLIENT_DIR, 'dist', 'gen', 'models');
const OUT_DIR = path.join(ROOT, 'schemas', 'kubernetes');
const DRAFT = 'http://json-schema.org/draft-07/schema#';

/** Kinds to generate: apiVersion, kind and the client-node model class. */
const KINDS = [
  ['v1', 'ConfigMap', 'V1ConfigMap'],
  ['v1', 'Endpoints', 'V1Endpoints'],
  ['v1', 'Namespace', 'V1Namespace'],
  ['v1', 'Pod', 'V1Pod'],
  ['v1', 'Secret', 'V1Secret'],
  ['v1', 'Service', 'V1Service'],
  ['v1', 'ServiceAccount', 'V1ServiceAccount'],
  ['apps/v1', 'DaemonSet', 'V1DaemonSet'],
  ['apps/v1', 'Deployment', 'V1Deployment'],
  ['apps/v1', 'StatefulSet', 'V1StatefulSet'],
  ['batch/v1', 'Job', 'V1Job'],
  ['policy/v1', 'PodDisruptionBudget', 'V1PodDisruptionBudget'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'V1ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'V1ClusterRoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'V1Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'V1RoleBinding'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'V1CustomResourceDefinition'],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'V1MutatingWebhookConfiguration'],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'V1ValidatingWebhookConfiguration'],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'V1ValidatingAdmissionPolicy'],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', 'V1ValidatingAdmissionPolicyBinding'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'V1NetworkPolicy'],
  ['scheduling.k8s.io/v1', 'PriorityClass', 'V1PriorityClass'],
];

/** Types without a model file of their own, mapped to a schema. */
const SPECIAL_TYPES = {
  IntOrString: () => ({ type: ['integer', 'string'] }),
  Date: () => ({ type: 'string', format: 'date-time' }),
  V1MicroTime: () => ({ type: 'string', format: 'date-time' }),
  any: () => ({}),
  object: () => ({}),
  boolean: () => ({ type: 'boolean' }),
};

/**
 * resource.Quantity fields. client-node types them as plain strings, but the
 * API server takes a number or a quantity string (`100m`, `1Gi`, `0.5`).
 * Map-valued entries (`limits`, `requests`, ...) hold quantities as values.
 */
const QUANTITY_FIELDS = {
  V1ContainerStatus: ['allocatedResources'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1PodSpec: ['overhead'],
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
};
const QUANTITY_SCHEMA = {
  type: ['number', 'string'],
  pattern: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$',
};

/** Formats carried over into the schemas (the validator registers them). */
const KEPT_FORMATS = new Set(['byte', 'date-time', 'int32', 'int64']);

/** File name for a kind: `apps/v1` + `DaemonSet` -> `apps-v1-DaemonSet.json`. */
function schemaFileName(apiVersion, kind) {
  return `${apiVersion.replace('/', '-')}-${kind}.json`;
}

/** Loads a model's attributeTypeMap (the model files are ES modules). */
async function loadAttributeTypeMap(model) {
  const file = path.join(MODELS_DIR, `${model}.js`);
  const mod = await import(pathToFileURL(file).href);
  const cls = mod[model];
  if (!cls || !Array.isArray(cls.attributeTypeMap)) {
    throw new Error(`model ${model} has no attributeTypeMap`);
  }
  return cls.attributeTypeMap;
}

/** Names (TypeScript property names) of a model's non-optional instance properties. */
function requiredPropertyNames(model) {
  const file = path.join(MODELS_DIR, `${model}.d.ts`);
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const required = [];
  for (const stmt of source.statements) {
    if (!ts.isClassDeclaration(stmt) || !stmt.name || stmt.name.text !== model) continue;
    for (const member of stmt.members) {
      if (!ts.isPropertyDeclaration(member)) continue;
      const isStatic = (member.modifiers || []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
      if (isStatic || member.questionToken) continue;
      required.push(propertyNameText(member.name));
    }
    return required;
  }
  throw new Error(`class ${model} not found in ${file}`);
}

/** The text of a property name (identifier or string literal). */
function propertyNameText(name) {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  throw new Error(`unsupported property name kind ${ts.SyntaxKind[name.kind]}`);
}

/** Whether a model of that name exists in client-node. */
function modelExists(name) {
  return fs.existsSync(path.join(MODELS_DIR, `${name}.js`));
}

/**
 * Maps a client-node type expression to a JSON Schema, collecting the names
 * of referenced models into `refs`.
 */
function typeToSchema(type, format, refs) {
  const t = type.trim();
  const array = /^Array<(.+)>$/.exec(t);
  if (array) return { type: 'array', items: typeToSchema(array[1], format, refs) };
  const map = /^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/.exec(t);
  if (map) return { type: 'object', additionalProperties: typeToSchema(map[1], format, refs) };
  if (t === 'string') return withFormat({ type: 'string' }, format);
  if (t === 'number') return numberSchema(format);
  if (SPECIAL_TYPES[t]) return SPECIAL_TYPES[t]();
  if (!modelExists(t)) throw new Error(`unknown type ${t}`);
  refs.add(t);
  return { $ref: `#/definitions/${t}` };
}

/** Schema for a `number` attribute: integer formats become `integer`. */
function numberSchema(format) {
  if (format === 'int32' || format === 'int64') return { type: 'integer', format };
  return { type: 'number' };
}

/** Adds a format to a string schema when the validator knows it. */
function withFormat(schema, format) {
  return KEPT_FORMATS.has(format) ? { ...schema, format } : schema;
}

/** Whether an attribute of a model holds resource quantities. */
function isQuantity(model, name) {
  return (QUANTITY_FIELDS[model] || []).includes(name);
}

/** Schema of a quantity attribute: a quantity, or a map of them. */
function quantitySchema(type) {
  if (type === 'string') return { ...QUANTITY_SCHEMA };
  if (/^\{\s*\[key: string\]:\s*string;?\s*\}$/.test(type)) {
    return { type: 'object', additionalProperties: { ...QUANTITY_SCHEMA } };
  }
  throw new Error(`unexpected type ${type} for a quantity`);
}

/** Builds the strict object schema of one model. */
async function modelSchema(model, refs) {
  const attributes = await loadAttributeTypeMap(model);
  const requiredNames = new Set(requiredPropertyNames(model));
  const properties = {};
  const required = [];
  for (const attr of attributes) {
    properties[attr.baseName] = isQuantity(model, attr.name)
      ? quantitySchema(attr.type)
      : typeToSchema(attr.type, attr.format, refs);
    if (requiredNames.has(attr.name)) required.push(attr.baseName);
  }
  const schema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) schema.required = required.sort();
  return schema;
}

/** Collects the definitions of a model and everything it references. */
async function collectDefinitions(rootModel) {
  const definitions = {};
  const pending = [rootModel];
  while (pending.length > 0) {
    const model = pending.pop();
    if (definitions[model]) continue;
    const refs = new Set();
    definitions[model] = await modelSchema(model, refs);
    for (const ref of refs) if (!definitions[ref]) pending.push(ref);
  }
  return definitions;
}

/** The self-contained schema of one kind, with apiVersion and kind pinned. */
async function kindSchema(apiVersion, kind, model) {
  const definitions = await collectDefinitions(model);
  const root = definitions[model];
  if (!isReferenced(definitions, model)) delete definitions[model];
  const properties = {
    ...root.properties,
    apiVersion: { type: 'string', const: apiVersion },
    kind: { type: 'string', const: kind },
  };
  const required = new Set([...(root.required || []), 'apiVersion', 'kind']);
  return {
    $schema: DRAFT,
    $id: `https://cozynet.local/schemas/kubernetes/${schemaFileName(apiVersion, kind)}`,
    title: `${apiVersion} ${kind}`,
    description: `Strict schema of Kubernetes ${apiVersion} ${kind}, generated from the @kubernetes/client-node model ${model}.`,
    type: 'object',
    properties,
    required: [...required].sort(),
    additionalProperties: false,
    definitions,
  };
}

/** Whether any definition refers to the named one. */
function isReferenced(definitions, name) {
  const ref = JSON.stringify(`#/definitions/${name}`);
  return Object.values(definitions).some((def) => JSON.stringify(def).includes(ref));
}

/** JSON with object keys sorted recursively (deterministic output). */
function stableStringify(value) {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

/** The installed @kubernetes/client-node version. */
function clientVersion() {
  return JSON.parse(fs.readFileSync(path.join(CLIENT_DIR, 'package.json'), 'utf8')).version;
}

/** The OpenAPI spec release the models were generated from. */
function specRelease() {
  const text = fs.readFileSync(path.join(MODELS_DIR, 'V1ConfigMap.js'), 'utf8');
  const match = /OpenAPI spec version:\s*(\S+)/.exec(text);
  return match ? match[1] : 'unknown';
}

/** Text of SOURCE.md. */
function sourceNotice(version, release, files) {
  return [
    '# Kubernetes JSON Schemas',
    '',
    `Generated by \`scripts/gen-k8s-schemas.js\` from the \`@kubernetes/client-node\` ${version} models`,
    `(Kubernetes OpenAPI spec ${release}; Apache-2.0, as are the Kubernetes API definitions).`,
    '',
    'Each file is a self-contained, strict draft-07 JSON Schema for one kind: every object schema',
    'has `additionalProperties: false` except free-form maps, `apiVersion` and `kind` are pinned with',
    '`const`, and `required` follows the non-optional properties of the client-node models.',
    'Definitions are named after the client-node model classes and inlined under `definitions`.',
    'Where client-node loses information, the script adds it back: `IntOrString` fields take an',
    'integer or a string, and resource.Quantity fields (container `resources`, `emptyDir.sizeLimit`,',
    'pod `overhead`) take a number or a quantity string (`100m`, `1Gi`).',
    '',
    'Regenerate (needs the dev dependencies installed) with:',
    '',
    '```sh',
    'npm run schemas:k8s',
    '```',
    '',
    'Files:',
    '',
    ...files.map((f) => `- \`${f}\``),
    '',
  ].join('\n');
}

async function main() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const files = [];
  for (const [apiVersion, kind, model] of KINDS) {
    const file = schemaFileName(apiVersion, kind);
    const schema = await kindSchema(apiVersion, kind, model);
    fs.writeFileSync(path.join(OUT_DIR, file), stableStringify(schema));
    files.push(file);
  }
  files.sort();
  fs.writeFileSync(path.join(OUT_DIR, 'SOURCE.md'), sourceNotice(clientVersion(), specRelease(), files));
  console.log(`wrote ${files.length} schemas to ${path.relative(ROOT, OUT_DIR)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
