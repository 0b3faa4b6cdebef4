import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { Component, ComponentOptions } from './component';
import { CRD_DIR } from './crd-include';
import { PRERENDERED_YAML } from '../render/prerendered';

/** The Gateway API bundle the reference platform installs (facts §11). */
export const GATEWAY_API_VERSION = 'v1.5.1';
/** Its release channel. */
export const GATEWAY_API_CHANNEL = 'experimental';

/** The project's copy of the bundle (origin in its first lines). */
const DATA_FILE = 'gateway.networking.k8s.io.yaml';
/** Build-time copy as JSON (scripts/gen-chart-validators.js), next to the compiled module. */
const GENERATED_FILE = path.join(__dirname, '..', 'generated', 'gateway-api-crds.json');
/** The same, for code running from src/ (tests) in a compiled checkout. */
const GENERATED_FROM_SRC = path.join(__dirname, '..', '..', 'lib', 'generated', 'gateway-api-crds.json');

const KEEP = 'helm.sh/resource-policy';
const NO_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

/** One document of the bundle: its YAML text as written out, and the object as JSON text. */
interface BundleDocument {
  readonly yaml: string;
  readonly json: string;
}

interface Bundle {
  /** sha256 of the data file, to tell a stale generated copy. */
  readonly source: string;
  readonly documents: BundleDocument[];
}

let cached: BundleDocument[] | undefined;

function dataText(): string {
  return fs.readFileSync(path.join(CRD_DIR, DATA_FILE), 'utf8');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Splits the bundle into documents and marks every CRD to be kept when its
 * delivery goes away: `helm.sh/resource-policy: keep` (already stamped by
 * the reference platform) and, for Flux Kustomizations that prune,
 * `kustomize.toolkit.fluxcd.io/prune: disabled`. Deleting a CRD deletes
 * every Gateway and route of the cluster with it.
 * @internal
 */
export function _buildGatewayApiBundle(text: string = dataText()): Bundle {
  const documents: BundleDocument[] = [];
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const body = chunk.split('\n').filter((l) => !l.startsWith('#')).join('\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
    if (body.trim() === '') continue;
    const object = parse(body);
    let yaml = body;
    if (object.kind === 'CustomResourceDefinition') {
      const annotations = object.metadata.annotations ?? {};
      if (annotations[KEEP] !== 'keep') throw new Error(`${DATA_FILE}: ${object.metadata.name} lacks ${KEEP}: keep`);
      const keepLine = `    ${KEEP}: keep\n`;
      if (!yaml.includes(keepLine)) throw new Error(`${DATA_FILE}: ${object.metadata.name}: unexpected layout of metadata.annotations`);
      yaml = yaml.replace(keepLine, `${keepLine}    ${NO_PRUNE}: disabled\n`);
      object.metadata.annotations = { ...annotations, [NO_PRUNE]: 'disabled' };
    }
    documents.push({ yaml, json: JSON.stringify(object) });
  }
  return { source: sha256(text), documents };
}

/** The bundle's documents: from the build-time copy when it is current, else parsed (slow: about a second). */
function bundle(): BundleDocument[] {
  if (cached) return cached;
  const text = dataText();
  for (const file of [GENERATED_FILE, GENERATED_FROM_SRC]) {
    if (!fs.existsSync(file)) continue;
    const b = JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle;
    if (b.source === sha256(text)) {
      cached = b.documents;
      return cached;
    }
  }
  cached = _buildGatewayApiBundle(text).documents;
  return cached;
}

/** An object written out exactly as the bundle holds it (no re-serialization). */
class BundleObject extends ApiObject {
  private readonly doc: BundleDocument;

  constructor(scope: Construct, id: string, doc: BundleDocument, object: any) {
    super(scope, id, { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name } });
    this.doc = doc;
  }

  public toJson(): any {
    const object = JSON.parse(this.doc.json);
    PRERENDERED_YAML.set(object, this.doc.yaml);
    return object;
  }
}

/**
 * Properties of the Gateway API CRDs component (platform file:
 * `components.gatewayApiCrds`).
 */
export interface GatewayApiCrdsProps extends ComponentOptions {
  /**
   * Whether cozynet installs the CRDs. In a stack they are installed
   * whenever Cilium's Gateway API support is on (`components.cilium.gatewayApi`,
   * or `gatewayAPI.enabled` in its values); set false when the cluster
   * already has them (from another source, in another version), and Cilium
   * then no longer waits for them.
   * @default - installed whenever Cilium's Gateway API support is on
   */
  readonly enabled?: boolean;
}

/**
 * The Gateway API CustomResourceDefinitions (v1.5.1, experimental channel, as
 * the reference platform installs them) that Cilium's Gateway API support
 * needs before Cilium starts: 12 CRDs and the bundle's
 * `safe-upgrades.gateway.networking.k8s.io` ValidatingAdmissionPolicy with
 * its binding. Every CRD is marked to be kept when its delivery goes away
 * (`helm.sh/resource-policy: keep`, `kustomize.toolkit.fluxcd.io/prune: disabled`).
 *
 * The CRDs are large (httproutes alone is about 300 kB): apply them with
 * `kubectl apply --server-side` (client-side apply stores a copy in an
 * annotation limited to 256 kB). Flux and Helm apply server-side anyway.
 */
export class GatewayApiCrds extends Component {
  constructor(scope: Construct, id: string, props: GatewayApiCrdsProps = {}) {
    super(scope, id, { releaseName: 'gateway-api-crds', namespace: 'cozy-gateway-api-crds' }, props);
    for (const doc of bundle()) {
      const object = JSON.parse(doc.json);
      new BundleObject(this, `${object.kind}-${object.metadata.name}`, doc, object);
    }
  }
}
