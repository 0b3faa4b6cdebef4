/**
 * Runs an example's main.ts as `cdk8s synth` would (the app command of its
 * cdk8s.yaml is `npx tsx main.ts`), against this checkout's src/ (a tsconfig
 * `paths` entry maps `cozynet` to src/index.ts), and returns the files it
 * wrote with the kinds of their objects.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.join(__dirname, '..', '..');

export function synthExample(name: string): Map<string, any[]> {
  // a scratch copy inside the repository, so that cdk8s and constructs
  // resolve to the checkout's node_modules, like src/ does
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const work = fs.mkdtempSync(path.join(ROOT, '.tmp', `example-${name}-`));
  try {
    fs.copyFileSync(path.join(ROOT, 'examples', name, 'main.ts'), path.join(work, 'main.ts'));
    fs.writeFileSync(path.join(work, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { baseUrl: '.', paths: { cozynet: [path.relative(work, path.join(ROOT, 'src', 'index.ts'))] } },
    }));
    const out = path.join(work, 'dist');
    const r = spawnSync(process.execPath, ['--import', require.resolve('tsx'), 'main.ts'], {
      cwd: work, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: out, TSX_TSCONFIG_PATH: path.join(work, 'tsconfig.json') },
    });
    if (r.status !== 0) throw new Error(`examples/${name}: main.ts failed: ${r.stderr}`);
    const files = new Map<string, any[]>();
    for (const f of fs.readdirSync(out).sort()) {
      files.set(f, parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf8')).map((d) => d.toJS()).filter((o) => o));
    }
    return files;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `platform-network-cilium-c86de87b.k8s.yaml` → `platform-network-cilium-*.k8s.yaml`. */
export function fileGlob(file: string): string {
  return file.replace(/-[0-9a-f]{8}\.k8s\.yaml$/, '-*.k8s.yaml');
}

/** `2 ClusterRole, 1 Namespace` (kinds sorted), or `none (empty file)`. */
export function kindCounts(objects: any[]): string {
  if (objects.length === 0) return 'none (empty file)';
  const n = new Map<string, number>();
  for (const o of objects) n.set(o.kind, (n.get(o.kind) ?? 0) + 1);
  return [...n.keys()].sort().map((k) => `${n.get(k)} ${k}`).join(', ');
}
