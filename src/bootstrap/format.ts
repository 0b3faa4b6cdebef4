import * as fs from 'fs';
import * as path from 'path';
import { BootstrapReport, PathPlan, PlanStep } from './model';
import { DeliveryPath } from './read';

const TITLE: Record<DeliveryPath, string> = {
  kubectl: 'kubectl: apply/kubectl.sh, line by line (each step starts when the one before it is done)',
  flux: 'flux: flux/*.yaml, HelmReleases (each starts when its dependsOn are Ready)',
  terraform: 'terraform: terraform/cdk.tf.json, helm_release resources (each starts when its depends_on are done)',
};

function shortWaits(s: PlanStep): string {
  const crds = s.waitsFor.filter((w) => w.startsWith('CRD '));
  const rest = s.waitsFor.filter((w) => !w.startsWith('CRD '));
  const parts = [...rest];
  if (crds.length > 0) parts.push(`${crds.length} CRD${crds.length > 1 ? 's' : ''} Established`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

function stepLine(p: PathPlan, s: PlanStep, n: number): string {
  const after = p.path === 'kubectl' || s.after.length === 0 ? '' : `, after ${s.after.join(', ')}`;
  const how = `${s.chart}, ${s.wait}${after}`;
  const verdict = !s.ok ? 'STOPS: ' : s.wait === 'no wait' ? '' : 'Ready then: ';
  return `  ${String(n).padStart(2)}. ${s.name} (${how}): waits for ${shortWaits(s)} | ${verdict}${s.ready}`;
}

/** The plan as text: one line per step, then assumptions and findings. @internal */
export function formatPlan(r: BootstrapReport, only?: DeliveryPath): string {
  const lines = [`cozynet plan: variant ${r.variant}, from an empty cluster`];
  for (const p of r.paths) {
    if (only && p.path !== only) continue;
    lines.push('', TITLE[p.path]);
    p.steps.forEach((s, i) => lines.push(stepLine(p, s, i + 1)));
    lines.push(p.findings.length === 0 ? `  => ${p.path}: converges, every release Ready` : `  => ${p.path}: does not converge (${p.findings.length} finding${p.findings.length > 1 ? 's' : ''})`);
  }
  const steady = r.steadyState.filter((f) => !only || f.path === 'steady-state' || f.path === only);
  lines.push('', 'steady state: no webhook with failurePolicy Fail gates the pods it needs to come back');
  lines.push(steady.length === 0 ? '  => holds' : `  => does not hold (${steady.length} finding${steady.length > 1 ? 's' : ''})`);
  lines.push('', 'assumptions:', ...r.assumptions.map((a) => `  - ${a}`));
  for (const n of r.notes) lines.push(`note: ${n}`);
  const findings = r.findings.filter((f) => !only || f.path === only || f.path === 'steady-state');
  if (findings.length > 0) {
    lines.push('', `findings (${findings.length}):`);
    for (const f of findings) lines.push(`  error: ${f.message}`);
  }
  return lines.join('\n') + '\n';
}

/** The plan as JSON (stable key order). @internal */
export function planJson(r: BootstrapReport, only?: DeliveryPath): string {
  const paths = r.paths.filter((p) => !only || p.path === only);
  return JSON.stringify({
    variant: r.variant,
    converges: paths.every((p) => p.findings.length === 0) && r.steadyState.length === 0,
    paths: paths.map((p) => ({ path: p.path, file: p.file, converges: p.findings.length === 0, steps: p.steps, findings: p.findings })),
    steadyState: r.steadyState,
    assumptions: r.assumptions,
    notes: r.notes,
  }, undefined, 2) + '\n';
}

/**
 * Where a folder is inside the Git repository that holds it (what Flux sees
 * as its path): relative to the nearest parent with `.git`, else to the
 * working folder; undefined when outside both.
 * @internal
 */
export function repositoryLocation(dir: string, cwd: string = process.cwd()): string | undefined {
  const abs = path.resolve(cwd, dir);
  for (let d = path.dirname(abs); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return relInside(abs, d);
    if (path.dirname(d) === d) break;
  }
  return relInside(abs, path.resolve(cwd));
}

function relInside(abs: string, root: string): string | undefined {
  const rel = path.relative(root, abs).split(path.sep).join('/');
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel;
}

/** Reads an output folder into relative path → content (text files; bounded). @internal */
export function readOutputFolder(dir: string, maxBytes = 256 * 1024 * 1024): Map<string, string> {
  const files = new Map<string, string>();
  let total = 0;
  const walk = (d: string, depth: number) => {
    if (depth > 16) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p, depth + 1);
      } else if (e.isFile() && /\.(ya?ml|json|sh)$/.test(e.name)) {
        total += fs.statSync(p).size;
        if (total > maxBytes) throw new Error(`the output folder is larger than ${maxBytes / 1024 / 1024} MiB`);
        files.set(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
      }
    }
  };
  walk(dir, 0);
  return files;
}
