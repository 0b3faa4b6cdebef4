/**
 * Issue 21, finding 4: the HelmReleases of the local charts name them by their path from the root
 * of the Git repository Flux reads. That path is where `synth --out` writes in its repository; a
 * `delivery.flux.path` that says otherwise is refused, and `validate DIR` finds chart paths that
 * do not exist. Run through the CLI.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { run } from '../../src/cli/main';
import { fluxPathFor, gitRootOf } from '../../src/render/flux-path';

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** A fresh folder holding a Git repository (a `.git` folder is what marks one), returned by its real path. */
function repo(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-flux-')));
  fs.mkdirSync(path.join(dir, 'fleet', '.git'), { recursive: true });
  return path.join(dir, 'fleet');
}

/** The local-chart paths of the HelmReleases of an output folder. */
function gitCharts(out: string): string[] {
  const docs = parseAllDocuments(fs.readFileSync(path.join(out, 'flux', 'releases.yaml'), 'utf8')).map((d) => d.toJS());
  return docs.filter((o) => o.kind === 'HelmRelease' && o.spec.chart?.spec?.sourceRef?.kind === 'GitRepository').map((o) => o.spec.chart.spec.chart);
}

function config(dir: string, text: string): string {
  const f = path.join(dir, 'platform.yaml');
  fs.writeFileSync(f, text);
  return f;
}

describe('Flux chart paths follow where the output lives in its Git repository', () => {
  test('synth --out clusters/staging/network: every local chart is under ./clusters/staging/network/charts/, and each exists there', () => {
    const root = repo();
    const out = path.join(root, 'clusters', 'staging', 'network');
    const r = cli(['synth', '--out', out]);
    expect(r.code).toBe(0);
    const charts = gitCharts(out);
    expect(charts.length).toBeGreaterThan(5);
    for (const c of charts) {
      expect(c).toMatch(/^\.\/clusters\/staging\/network\/charts\/[a-z0-9-]+$/);
      expect(fs.existsSync(path.join(root, c, 'Chart.yaml'))).toBe(true);
    }
    // no absolute path, nothing of the machine it ran on
    expect(fs.readFileSync(path.join(out, 'flux', 'releases.yaml'), 'utf8')).not.toContain(root);
    expect(cli(['validate', out])).toMatchObject({ code: 0 });
  });

  test('the same platform written to the same place in two checkouts is byte-identical', () => {
    const a = repo();
    const b = repo();
    expect(cli(['synth', '--out', path.join(a, 'net')]).code).toBe(0);
    expect(cli(['synth', '--out', path.join(b, 'net')]).code).toBe(0);
    expect(fs.readFileSync(path.join(a, 'net', 'flux', 'releases.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(b, 'net', 'flux', 'releases.yaml'), 'utf8'));
    expect(gitCharts(path.join(a, 'net'))).toContain('./net/charts/namespaces');
  });

  test('the path is from the nearest repository root (a .git folder or file)', () => {
    const root = repo();
    const out = path.join(root, 'o');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    expect(gitCharts(out)).toContain('./o/charts/namespaces');
    // a repository whose root is the output folder: a worktree's .git is a file
    const own = repo();
    fs.rmSync(path.join(own, '.git'), { recursive: true });
    fs.mkdirSync(path.join(own, 'net'));
    fs.writeFileSync(path.join(own, 'net', '.git'), 'gitdir: ../../elsewhere\n');
    expect(fluxPathFor(path.join(own, 'net'), undefined).path).toBe('.');
    expect(fluxPathFor(path.join(own, 'net', 'deeper'), undefined).path).toBe('deeper');
  });

  test('a delivery.flux.path that is not where --out lies is refused with exit 1, naming both, and nothing is written', () => {
    const root = repo();
    const cfg = config(path.dirname(root), 'delivery:\n  flux:\n    path: dist\n');
    const out = path.join(root, 'clusters', 'staging', 'network');
    const r = cli(['synth', '--config', cfg, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: delivery.flux.path: does not match --out');
    expect(r.err).toContain('clusters/staging/network/ of its Git repository');
    expect(r.err).toContain('Set delivery.flux.path: clusters/staging/network');
    expect(r.err).toContain('(got "dist")');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('the reverse mismatch (delivery.flux.path set, --out dist) is refused too', () => {
    const root = repo();
    const cfg = config(path.dirname(root), 'delivery:\n  flux:\n    path: clusters/prod/network\n');
    const r = cli(['synth', '--config', cfg, '--out', path.join(root, 'dist')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: delivery\.flux\.path: does not match --out .*dist, which is dist\/ of its Git repository: Flux would look for the local charts at \.\/clusters\/prod\/network\/charts\/, where the output is not\. Set delivery\.flux\.path: dist, or write the output there with --out \(got "clusters\/prod\/network"\)\n$/);
  });

  test('a matching delivery.flux.path is accepted, written as given (./ and trailing / are the same path)', () => {
    const root = repo();
    for (const given of ['clusters/prod/network', './clusters/prod/network/']) {
      const cfg = config(path.dirname(root), `delivery:\n  flux:\n    path: ${given}\n`);
      const out = path.join(root, 'clusters', 'prod', 'network');
      const r = cli(['synth', '--config', cfg, '--out', out]);
      expect([given, r.code, r.err.split('\n').filter((l) => l.startsWith('error'))]).toEqual([given, 0, []]);
      expect(gitCharts(out)).toContain('./clusters/prod/network/charts/namespaces');
    }
    const cfg = config(path.dirname(root), 'delivery:\n  flux:\n    path: .\n');
    expect(cli(['synth', '--config', cfg, '--out', path.join(root, 'x')]).code).toBe(1);
    expect(fluxPathFor(root, '.').path).toBe('.');
    expect(fluxPathFor(root, './').path).toBe('.');
  });

  test('outside any Git repository: the path from the working folder, else the default with a notice', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-flux-')));
    expect(gitRootOf(dir)).toBeUndefined();
    expect(fluxPathFor(path.join(dir, 'a', 'b'), undefined, dir)).toEqual({ path: 'a/b' });
    expect(fluxPathFor(dir, undefined, dir)).toEqual({ path: '.' });
    const elsewhere = fluxPathFor(path.join(dir, 'a'), undefined, path.join(dir, 'b'));
    expect(elsewhere.path).toBe('dist');
    expect(elsewhere.notice).toMatch(/is in no Git repository and outside the working folder: flux\/ assumes the output is dist\/ of the GitRepository; set delivery\.flux\.path/);
    // a configured path cannot be checked there, and is taken as given
    expect(fluxPathFor(path.join(dir, 'a'), 'clusters/x', path.join(dir, 'b'))).toEqual({ path: 'clusters/x' });
    const r = cli(['synth', '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('flux/ assumes the output is dist/ of the GitRepository');
  });

  test('validate DIR: a folder whose Flux chart paths do not exist in its repository is invalid', () => {
    const root = repo();
    const dir = path.dirname(root);
    // written for the default place (dist), then moved where Flux will not find it
    const cfg = config(dir, 'delivery:\n  flux:\n    path: dist\n');
    expect(cli(['synth', '--config', cfg, '--out', path.join(root, 'dist')]).code).toBe(0);
    expect(cli(['validate', path.join(root, 'dist')]).code).toBe(0);
    fs.mkdirSync(path.join(root, 'clusters', 'staging'), { recursive: true });
    fs.renameSync(path.join(root, 'dist'), path.join(root, 'clusters', 'staging', 'network'));
    const r = cli(['validate', path.join(root, 'clusters', 'staging', 'network')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('flux/releases.yaml: HelmRelease/cozy-fluxcd/namespaces: chart ./dist/charts/namespaces (from GitRepository cozynet) does not exist: Flux reads it from the root of the Git repository holding this folder, and there is no Chart.yaml there. This folder is ./clusters/staging/network from there: synthesize with --out at the folder Flux reads, or delivery.flux.path: clusters/staging/network.');
    // the problem lines name no absolute path
    for (const line of r.err.split('\n').filter((l) => l.startsWith('invalid:'))) expect(line).not.toContain(dir);
  });
});
