// Issue 14 item 4 and issue 13 items 4-6: --version, positional platform
// files, "did you mean" on --variant, the empty platform file, summary
// counts equal validate's, diagram --out onto a folder, exit codes in
// --help, limits.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cli, childCommand, tmp, ROOT } from './helpers';

const CONTRACT = path.join(ROOT, 'examples', 'platforms', 'contract.yaml');

test('--version prints the version of package.json', () => {
  const r = cli(['--version']);
  expect(r.code).toBe(0);
  expect(r.out).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
});

test('--help documents the exit codes and the limits', () => {
  const r = cli(['--help']);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}the input was wrong/);
  expect(r.out).toMatch(/2 {2}a bug in cozynet/);
  expect(r.out).toMatch(/Limits: platform file 4 MiB, 20000 tenants/);
});

describe('a positional platform file is used, never ignored', () => {
  test('synth platform.yaml', () => {
    const out = path.join(tmp(), 'o');
    const r = cli(['synth', CONTRACT, '--out', out]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'manifests', 'tenants.yaml'), 'utf8')).toContain('tenant-acme-dev');
  });

  test('verify platform.yaml verifies its tenants', () => {
    const r = cli(['verify', CONTRACT]);
    expect(r.out).toMatch(/^Tenant isolation: OK \(4 tenants/);
    expect(r.code).toBe(0);
  });

  test('validate platform.yaml checks the file; validate DIR the folder', () => {
    const r = cli(['validate', CONTRACT]);
    expect(r.out).toMatch(/contract\.yaml is valid \(variant kubeovn-cilium/);
    expect(r.code).toBe(0);
  });

  test('diagram platform.yaml draws it', () => {
    const r = cli(['diagram', CONTRACT]);
    expect(r.out).toContain('Tenants (4)');
  });

  test('a positional file and a different --config are refused', () => {
    const r = cli(['synth', CONTRACT, '--config', 'other.yaml', '--out', path.join(tmp(), 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: PLATFORM: and --config other\.yaml name two platform files/);
  });

  test.each([['schema', 'x'], ['synth', 'a.yaml', 'b.yaml']])('extra arguments are refused (%s)', (...args) => {
    const r = cli(args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/too many arguments/);
  });
});

test('a typo in --variant gets a "did you mean"', () => {
  const r = cli(['synth', '--variant', 'ciliumkilo', '--out', path.join(tmp(), 'o')]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^error: --variant: is not a variant; did you mean cilium-kilo\?/);
});

test('an empty platform file says it means the default platform', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'empty.yaml'), '# nothing yet\n');
  const r = cli(['synth', path.join(dir, 'empty.yaml'), '--out', path.join(dir, 'o')]);
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/^cozynet: .*empty\.yaml sets nothing: it means the default platform/);
});

test('the synth summary counts what validate DIR counts (Flux objects included)', () => {
  const out = path.join(tmp(), 'o');
  const s = cli(['synth', CONTRACT, '--out', out]);
  const v = cli(['validate', out]);
  const synthCount = Number(/\((\d+) objects: /.exec(s.err)![1]);
  const validateCount = Number(/\((\d+) objects in /.exec(v.out)![1]);
  expect(synthCount).toBe(validateCount);
  expect(s.err).toMatch(/\d+ HelmRelease/);
  const c = cli(['validate', CONTRACT]);
  expect(Number(/(\d+) objects checked/.exec(c.out)![1])).toBe(synthCount);
});

test('diagram --out onto a folder is exit 1 with a plain message', () => {
  const dir = tmp();
  const r = cli(['diagram', '--out', dir]);
  expect(r.code).toBe(1);
  expect(r.err).toBe(`error: --out: is a folder: name a file such as topology.mmd (got ${JSON.stringify(dir)})\n`);
  expect(fs.readdirSync(dir)).toEqual([]);
});

describe('limits', () => {
  test('--config /dev/zero is refused (a device, not a regular file), quickly', () => {
    const start = Date.now();
    const r = cli(['validate', '--config', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: --config: is a character device, not a regular file/);
    expect(Date.now() - start).toBeLessThan(10000);
  });

  test('a 1 MB bad value is echoed as a bounded excerpt', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), `cluster:\n  clusterDomain: "${'x'.repeat(1_000_000)}"\n`);
    const r = cli(['validate', path.join(dir, 'p.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err.length).toBeLessThan(1000);
    expect(r.err).toMatch(/^error: cluster\.clusterDomain: must be a lowercase DNS name/);
  });

  test('a 1 MB unknown key is bounded too', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), `${'k'.repeat(1_000_000)}: 1\n`);
    const r = cli(['validate', path.join(dir, 'p.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err.length).toBeLessThan(1500);
  });

  test('deep nesting is an input error, not a stack overflow', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), `variant: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const r = cli(['validate', path.join(dir, 'p.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nested too deeply/);
  });

  test('--config from a pipe and from process substitution still works', () => {
    const out = path.join(tmp(), 'o');
    const r = spawnSync('bash', ['-c', `${childCommand()} synth --config <(cat '${CONTRACT}') --out '${out}'`], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, CI: '1' } });
    expect(r.stderr).toMatch(/cozynet: wrote/);
    expect(r.status).toBe(0);
    const piped = spawnSync('bash', ['-c', `cat '${CONTRACT}' | ${childCommand()} validate --config /dev/stdin`], { encoding: 'utf8', cwd: ROOT });
    expect(piped.stdout).toMatch(/is valid/);
    expect(piped.status).toBe(0);
  }, 60000);
});
