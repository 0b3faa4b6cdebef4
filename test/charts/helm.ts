import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

/**
 * `helm template` of the real charts (test/charts/fixtures, origin in
 * SOURCE.md) with the helm binary of scripts/get-helm.js.
 */

const ROOT = path.join(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');
/** The Kubernetes version the charts are rendered for (Talos 1.11 ships 1.34). */
export const KUBE_VERSION = '1.34.0';

export type ChartName = 'cilium' | 'kube-ovn' | 'metallb';

let helmBinary: string | undefined;
let scratch: string | undefined;

/** The helm binary (fetched once into .tmp/helm by scripts/get-helm.js) and a scratch folder for values files. */
export function setUpHelm(): void {
  helmBinary ??= execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'get-helm.js')], { encoding: 'utf8' }).trim();
  scratch ??= fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-charts-'));
}

export function tearDownHelm(): void {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** A copy of a fixture chart with some templates replaced (for the per-key test), made once. */
export function chartVariant(chart: ChartName, replace: Record<string, string>): string {
  setUpHelm();
  const dir = path.join(scratch!, `${chart}-variant`);
  if (!fs.existsSync(dir)) {
    fs.cpSync(path.join(FIXTURES, chart), dir, { recursive: true });
    for (const [file, text] of Object.entries(replace)) fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

export interface Rendered {
  readonly code: number;
  readonly stderr: string;
  readonly objects: any[];
}

// At most two helm processes at a time (the machine has two cores).
const MAX_RUNNING = 2;
let running = 0;
const waiting: Array<() => void> = [];
let counter = 0;

async function slot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** `helm template <release> <chart> -n <namespace> -f <values>`. */
export function helmTemplate(chartDir: string, release: string, namespace: string, values: any): Promise<Rendered> {
  setUpHelm();
  const file = path.join(scratch!, `values-${process.pid}-${counter++}.yaml`);
  fs.writeFileSync(file, stringify(values ?? {}));
  const home = path.join(scratch!, 'helm-home');
  return slot(() => new Promise<Rendered>((resolve, reject) => {
    const p = spawn(helmBinary!, ['template', release, chartDir, '-n', namespace, '-f', file, '--kube-version', KUBE_VERSION], {
      env: { PATH: process.env.PATH ?? '', HOME: home, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b) => out.push(b));
    p.stderr.on('data', (b) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => {
      fs.rmSync(file, { force: true });
      const text = Buffer.concat(out).toString('utf8');
      const objects = code === 0 ? parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object') : [];
      resolve({ code: code ?? -1, stderr: Buffer.concat(err).toString('utf8'), objects });
    });
  }));
}

/** Renders a fixture chart. */
export function render(chart: ChartName, release: string, namespace: string, values: any): Promise<Rendered> {
  return helmTemplate(path.join(FIXTURES, chart), release, namespace, values);
}

/**
 * The render as comparable text, with what the charts generate at random
 * (certificates and keys in Secrets, e.g. Kube-OVN's OVN TLS and Hubble's
 * CA) masked.
 */
export function normalize(objects: any[]): string {
  return objects.map((o) => {
    if (o.kind !== 'Secret') return JSON.stringify(o);
    const masked = { ...o, data: Object.fromEntries(Object.keys(o.data ?? {}).map((k) => [k, '(masked)'])) };
    return JSON.stringify(masked);
  }).sort().join('\n');
}

/** The object of a kind and name. */
export function find(objects: any[], kind: string, name: string): any {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in the render (have ${objects.map((x) => `${x.kind}/${x.metadata?.name}`).join(', ')})`);
  return o;
}

/** A container or init container of a pod template by name. */
export function container(workload: any, name: string): any {
  const spec = workload.spec.template.spec;
  const c = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container ${name} in ${workload.kind} ${workload.metadata.name}`);
  return c;
}
