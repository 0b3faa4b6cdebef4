import * as fs from 'fs';
import * as path from 'path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { PlatformProps } from './platform';
import { CozynetValidationError, ValidationIssue } from '../model/errors';
import { closeMatches } from '../model/suggest';

/**
 * Keys the platform file accepts, section by section. `'*'` accepts any
 * key (free-form maps such as Helm values or label selectors); `[…]` is a
 * list whose items have the given shape.
 * @internal
 */
type Shape = { [key: string]: Shape | Shape[] | true | '*' } | '*';

const COMMON = { namespace: true, releaseName: true, dependsOn: true, createNamespace: true } as const;
const HELM_COMPONENT: Shape = { ...COMMON, chart: { repository: true, name: true, version: true }, values: '*' };
const FIREWALL_PORT: Shape = { port: true, protocol: true, description: true };

/** @internal */
export const PLATFORM_SHAPE: Shape = {
  variant: true,
  cluster: {
    podCidr: true,
    podGateway: true,
    serviceCidr: true,
    joinCidr: true,
    clusterDomain: true,
    apiServer: { host: true, port: true },
    encryption: true,
  },
  hubble: { enabled: true, relay: true, ui: true, metrics: true },
  firewall: { extraPorts: [FIREWALL_PORT], ports: [FIREWALL_PORT] },
  components: {
    cilium: { ...HELM_COMPONENT as object, hubble: { enabled: true, relay: true, ui: true, metrics: true }, gatewayApi: true },
    kubeovn: { ...HELM_COMPONENT as object, masterNodes: true },
    metallb: HELM_COMPONENT,
    multus: { ...COMMON, image: true, masterCni: true, installReferencePlugins: true, referencePluginsImage: true, memoryLimitMiB: true },
    cozyProxy: { ...COMMON, image: true },
    kilo: { ...COMMON, image: true, meshGranularity: true, wireguardPort: true, meshSubnet: true },
  },
  delivery: { flux: { namespace: true, interval: true, retries: true }, terraform: true },
  // Items of these lists are checked key by key by their constructs.
  loadBalancer: { pools: ['*'] },
  subnets: ['*'],
  attachments: ['*'],
  passthrough: ['*'],
  tenants: ['*'],
  isolation: {
    serviceLabel: true,
    defaultSharedServices: true,
    worldIngressServices: true,
    apiServerAccessLabel: true,
    allowApiServer: true,
    allowWorldEgress: true,
    allowWorldIngress: true,
    systemNamespaceLabel: true,
    dnsNamespace: true,
    dnsPodLabels: '*',
  },
};

function describe(v: unknown): string {
  return CozynetValidationError.show(v);
}

/**
 * Checks an object against a shape and reports unknown keys with their
 * paths (and a suggestion when a known key is close).
 * @internal
 */
export function checkShape(value: any, shape: Shape, at: string, issues: ValidationIssue[]): void {
  if (shape === '*' || value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ path: at || '(root)', value: describe(value), message: 'must be a mapping of keys to values' });
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const sub = (shape as any)[k];
    const p = at ? `${at}.${k}` : k;
    if (sub === undefined) {
      const known = Object.keys(shape);
      const near = closeMatches(k, known);
      issues.push({
        path: p,
        value: describe(v),
        message: `unknown key${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (allowed here: ${known.join(', ')})`,
      });
      continue;
    }
    if (sub === true) continue;
    if (Array.isArray(sub)) {
      if (!Array.isArray(v)) {
        if (v !== undefined && v !== null) issues.push({ path: p, value: describe(v), message: 'must be a list' });
        continue;
      }
      v.forEach((item, i) => checkShape(item, sub[0], `${p}[${i}]`, issues));
      continue;
    }
    checkShape(v, sub, p, issues);
  }
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
        message: `YAML syntax error: ${e.message.split('\n')[0]}`,
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
 * Reads and checks a platform file: syntax, unknown keys. Values are
 * checked by the constructs when the platform is built.
 * @internal
 */
export function readPlatformFile(file: string): PlatformProps {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new CozynetValidationError([{ path: '--config', value: describe(file), message: `cannot read the platform file (${e.code ?? e.message})` }]);
  }
  return parsePlatformObject(parsePlatformText(text, path.basename(file)));
}

/**
 * Checks a parsed platform object for unknown keys and returns it typed.
 * @internal
 */
export function parsePlatformObject(obj: any): PlatformProps {
  const issues: ValidationIssue[] = [];
  checkShape(obj, PLATFORM_SHAPE, '', issues);
  if (issues.length > 0) throw new CozynetValidationError(issues);
  return obj as PlatformProps;
}
