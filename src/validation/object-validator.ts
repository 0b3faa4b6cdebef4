/**
 * Strict validation of synthesized Kubernetes objects: unknown fields are
 * rejected, required fields must be present and types must match, either the
 * CustomResourceDefinitions in `crds/` or the Kubernetes schemas generated
 * into `schemas/kubernetes/` (see scripts/gen-k8s-schemas.js).
 *
 * Internal module: not exported from the package index.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { servedVersionProblem } from './api-versions';
import { CrdCatalog, strictCrdSchema } from './crd-catalog';
import { addKubernetesFormats } from './formats';
import { compileGoPattern } from './go-pattern';
import { hoistRepeatedSubschemas } from './hoist';

/** One way in which an object does not match its schema. */
export interface ObjectProblem {
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/0/foo`. */
  readonly path: string;
  readonly message: string;
}

/** Where the validator finds its schemas. */
export interface ObjectValidatorOptions {
  /** Directory of CustomResourceDefinition YAML files (default: the package's `crds/`). */
  readonly crdDir?: string;
  /** Directory of the generated Kubernetes schemas (default: the package's `schemas/kubernetes/`). */
  readonly kubernetesSchemaDir?: string;
}

const PACKAGE_ROOT = path.join(__dirname, '..', '..');
const DEFAULT_CRD_DIR = path.join(PACKAGE_ROOT, 'crds');
const DEFAULT_K8S_SCHEMA_DIR = path.join(PACKAGE_ROOT, 'schemas', 'kubernetes');

/** Schema id under which ObjectMeta is registered for CRD-defined kinds. */
const OBJECT_META_ID = 'https://cozynet.local/schemas/kubernetes/ObjectMeta.json';
/** Generated schema whose definitions hold ObjectMeta and what it references. */
const OBJECT_META_SOURCE = 'v1-ConfigMap.json';

/** ajv regular expression engine that understands Go (RE2) patterns. */
const goRegExpEngine = Object.assign((pattern: string) => compileGoPattern(pattern), { code: 'compileGoPattern' });

/** Validates Kubernetes objects strictly against their CRD or Kubernetes schema. */
export class ObjectValidator {
  /** The process-wide validator over the package's own schemas (built on first use). */
  static shared(): ObjectValidator {
    if (!ObjectValidator.instance) ObjectValidator.instance = new ObjectValidator();
    return ObjectValidator.instance;
  }

  private static instance?: ObjectValidator;

  private readonly ajv: Ajv;
  private readonly crds: CrdCatalog;
  private readonly k8sSchemaDir: string;
  private readonly k8sSchemaFiles: ReadonlySet<string>;
  private readonly validators = new Map<string, ValidateFunction | undefined>();
  private objectMetaAdded = false;

  constructor(options: ObjectValidatorOptions = {}) {
    this.crds = new CrdCatalog(options.crdDir ?? DEFAULT_CRD_DIR);
    this.k8sSchemaDir = options.kubernetesSchemaDir ?? DEFAULT_K8S_SCHEMA_DIR;
    this.k8sSchemaFiles = new Set(fs.existsSync(this.k8sSchemaDir) ? fs.readdirSync(this.k8sSchemaDir) : []);
    this.ajv = new Ajv({
      allErrors: true,
      strict: false,
      unicodeRegExp: true,
      validateSchema: false,
      // Compiling is what costs time here (validating is fast either way):
      // compile each referenced definition once and skip ajv's code optimizer.
      inlineRefs: false,
      code: { regExp: goRegExpEngine, optimize: false },
    });
    addKubernetesFormats(this.ajv);
  }

  /** Whether a schema is known for objects of this apiVersion and kind. */
  hasSchema(apiVersion: string, kind: string): boolean {
    return this.k8sSchemaFiles.has(kubernetesSchemaFile(apiVersion, kind))
      || this.crds.find(apiVersion, kind) !== undefined;
  }

  /** The problems of one object; empty when it is valid. */
  validate(obj: any): ObjectProblem[] {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      return [{ path: '/', message: 'is not a Kubernetes object (expected a mapping)' }];
    }
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return [{ path: '/', message: 'has no string apiVersion and kind, so no schema is known for it' }];
    }
    const validate = this.validatorFor(apiVersion, kind);
    if (!validate) {
      const unserved = servedVersionProblem(obj);
      return [unserved ? { path: '/apiVersion', message: unserved.message } : { path: '/kind', message: `no schema is known for ${apiVersion} ${kind}` }];
    }
    if (validate(obj)) return [];
    return problemsFrom(validate.errors ?? []);
  }

  /** The compiled validator of a kind, compiled on first use. */
  private validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion}\n${kind}`;
    if (!this.validators.has(key)) this.validators.set(key, this.compile(apiVersion, kind));
    return this.validators.get(key);
  }

  private compile(apiVersion: string, kind: string): ValidateFunction | undefined {
    const file = kubernetesSchemaFile(apiVersion, kind);
    if (this.k8sSchemaFiles.has(file)) return this.ajv.compile(this.readKubernetesSchema(file));
    const crd = this.crds.find(apiVersion, kind);
    if (!crd) return undefined;
    this.addObjectMeta();
    return this.ajv.compile(hoistRepeatedSubschemas(strictCrdSchema(crd, OBJECT_META_ID)));
  }

  /** Registers the strict ObjectMeta schema that CRD-defined kinds refer to. */
  private addObjectMeta(): void {
    if (this.objectMetaAdded) return;
    const source = this.readKubernetesSchema(OBJECT_META_SOURCE);
    this.ajv.addSchema({ $id: OBJECT_META_ID, definitions: source.definitions, $ref: '#/definitions/V1ObjectMeta' });
    this.objectMetaAdded = true;
  }

  private readKubernetesSchema(file: string): any {
    return JSON.parse(fs.readFileSync(path.join(this.k8sSchemaDir, file), 'utf8'));
  }
}

/**
 * Validates objects with the shared validator and returns one human-readable
 * line per problem: `<kind>/<namespace>/<name>: <path> <message>` (the
 * namespace is empty for cluster-scoped objects).
 */
export function validateObjects(objs: any[]): string[] {
  const validator = ObjectValidator.shared();
  return objs.flatMap((obj) => validator.validate(obj).map((p) => `${objectLabel(obj)}: ${p.path} ${p.message}`));
}

/** `<kind>/<namespace>/<name>` of an object, tolerating missing parts. */
function objectLabel(obj: any): string {
  const kind = typeof obj?.kind === 'string' ? obj.kind : '?';
  const namespace = typeof obj?.metadata?.namespace === 'string' ? obj.metadata.namespace : '';
  const name = typeof obj?.metadata?.name === 'string' ? obj.metadata.name : '';
  return `${kind}/${namespace}/${name}`;
}

/** File name of the generated schema of a Kubernetes kind. */
function kubernetesSchemaFile(apiVersion: string, kind: string): string {
  return `${apiVersion.replace('/', '-')}-${kind}.json`;
}

/** Converts ajv errors into problems, one per distinct path and message. */
function problemsFrom(errors: ErrorObject[]): ObjectProblem[] {
  const seen = new Set<string>();
  const problems: ObjectProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const problem = problemFrom(error);
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

/** One ajv error as a problem: unknown and missing fields point at the field itself. */
function problemFrom(error: ErrorObject): ObjectProblem {
  const at = error.instancePath;
  const params: any = error.params;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: childPath(at, params.additionalProperty), message: `unknown field "${params.additionalProperty}"` };
    case 'required':
      return { path: childPath(at, params.missingProperty), message: `missing required field "${params.missingProperty}"` };
    case 'const':
      return { path: at || '/', message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return { path: at || '/', message: `must be one of ${params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path: at || '/', message: error.message ?? `fails ${error.keyword}` };
  }
}

/** A JSON pointer to a child of `parent`. */
function childPath(parent: string, key: string): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
