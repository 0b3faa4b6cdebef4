// Issue 13 item 1 and 7: what `synth --out` replaces and refuses, the lock,
// leftovers of killed runs, permissions, and changes a live cluster cannot take.
import * as fs from 'fs';
import * as path from 'path';
import { cli, inDir, tmp, tree } from './helpers';

/** A work folder like a user's: a marker file, a platform file, a git checkout. */
function workFolder(): string {
  const dir = path.join(tmp(), 'work');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'MARKER'), 'mine\n');
  fs.writeFileSync(path.join(dir, 'platform.yaml'), 'variant: cilium\n');
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  return dir;
}

describe('synth refuses an --out that is not its own, and deletes nothing', () => {
  const cases: Array<[string, (dir: string) => string[], RegExp]> = [
    ['--out . (the working folder)', () => ['--out', '.'], /^error: --out: is the working folder/],
    ['--out "" (empty)', () => ['--out', ''], /^error: --out: must name a folder/],
    ['--out .. (a parent of the working folder)', () => ['--out', '..'], /^error: --out: is a parent of the working folder/],
    ['--out / (the root)', () => ['--out', '/'], /^error: --out: is a parent of the working folder/],
    ['--out the working folder by absolute path', (dir) => ['--out', dir], /^error: --out: is the working folder/],
    ['--out the folder of --config', (dir) => ['--config', path.join(dir, 'sub', 'platform.yaml'), '--out', 'sub'], /^error: --out: holds the platform file/],
    ['--out a regular file', () => ['--out', 'MARKER'], /^error: --out: is a file, not a folder/],
    ['--out a folder of the user', () => ['--out', '.git'], /^error: --out: is not empty and not an earlier cozynet output \(HEAD is in the way\)/],
    ['--out a folder with a foreign index.json', () => ['--out', 'other'], /^error: --out: is not empty and not an earlier cozynet output \(index\.json \(not written by cozynet\) is in the way\)/],
  ];
  test.each(cases)('%s', (_name, args, expected) => {
    const dir = workFolder();
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'platform.yaml'), 'variant: cilium\n');
    fs.mkdirSync(path.join(dir, 'other'));
    fs.writeFileSync(path.join(dir, 'other', 'index.json'), '{"name":"my-app"}\n');
    const before = tree(dir);
    const parentBefore = fs.readdirSync(path.dirname(dir)).length;
    const r = inDir(dir, () => cli(['synth', ...args(dir)]));
    expect(r.err).toMatch(expected);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(tree(dir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(dir)).length).toBe(parentBefore);
  });

  test('an earlier output with a file of the user beside it is refused, naming the file', () => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    fs.writeFileSync(path.join(out, 'NOTES.md'), 'mine\n');
    const before = tree(dir);
    const r = cli(['synth', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: --out: is not empty and not an earlier cozynet output \(NOTES\.md is in the way\)/);
    expect(tree(dir)).toEqual(before);
  });

  test('a symbolic link as --out is refused', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
    const r = cli(['synth', '--out', path.join(dir, 'link')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: --out: is a symbolic link/);
  });
});

describe('synth replaces what it may', () => {
  test.each([['absent'], ['empty'], ['an earlier output']])('--out %s: written, ordinary permissions, no leftovers', (state) => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    if (state === 'empty') fs.mkdirSync(out);
    if (state === 'an earlier output') expect(cli(['synth', '--out', out]).code).toBe(0);
    const old = process.umask(0o022);
    try {
      const r = cli(['synth', '--out', out]);
      expect(r.err).toMatch(/^cozynet: wrote 33 files/);
      expect(r.code).toBe(0);
    } finally {
      process.umask(old);
    }
    expect((fs.statSync(out).mode % 0o1000).toString(8)).toBe('755');
    expect(fs.readdirSync(dir)).toEqual(['dist']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).generator).toBe('cozynet');
  });

  test('an output of a cozynet version without the marker is recognized by its index.json', () => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8'));
    delete index.generator;
    delete index.cluster;
    fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(index));
    expect(cli(['synth', '--out', out]).code).toBe(0);
  });
});

describe('the lock and what killed runs leave', () => {
  test('a live lock refuses with exit 1; a dead one is taken over', () => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    const lock = path.join(dir, '.dist.cozynet-lock');
    fs.writeFileSync(lock, `${process.ppid}\n`); // alive: jest's parent
    let r = cli(['synth', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: --out: another cozynet synth \\(pid ${process.ppid}\\) is writing this folder`));
    expect(fs.existsSync(out)).toBe(false);
    fs.writeFileSync(lock, '2147483646\n'); // no such process
    r = cli(['synth', '--out', out]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['dist']);
  });

  test('leftovers of killed runs are removed; nothing cozynet did not make', () => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    // a killed run's temporary folder (marked), a half swap, and the user's look-alikes
    fs.mkdirSync(path.join(dir, '.dist.tmp-0123456789ab', 'manifests'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.dist.tmp-0123456789ab', '.cozynet-tmp'), 'cozynet tmp folder of pid 1\n');
    fs.mkdirSync(path.join(dir, '.dist.old-0123456789ab', 'previous'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.dist.old-0123456789ab', '.cozynet-tmp'), 'cozynet old folder of pid 1\n');
    fs.mkdirSync(path.join(dir, '.dist.tmp-mine'));
    fs.writeFileSync(path.join(dir, '.dist.tmp-mine', 'notes.txt'), 'mine\n');
    fs.writeFileSync(path.join(dir, '.dist.tmp-file'), 'mine\n');
    // killed right after mkdir, before the marker: empty, exactly the name cozynet makes
    fs.mkdirSync(path.join(dir, '.dist.tmp-00112233aabb'));
    fs.mkdirSync(path.join(dir, '.dist.old-00112233aabb'));
    // empty, but not a name cozynet makes: the user's
    fs.mkdirSync(path.join(dir, '.dist.tmp-empty'));
    fs.mkdirSync(path.join(dir, '.dist.tmp-00112233AABB'));
    expect(cli(['synth', '--out', out]).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.dist.tmp-00112233AABB', '.dist.tmp-empty', '.dist.tmp-file', '.dist.tmp-mine', 'dist']);
    expect(fs.readFileSync(path.join(dir, '.dist.tmp-mine', 'notes.txt'), 'utf8')).toBe('mine\n');
  });
});

describe('changes a running cluster cannot take by an apply', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['variant', 'variant: cilium\n', /^error: 2 problems:\n {2}- variant: changes the CNI of a running cluster.*\(got "kubeovn-cilium" → "cilium"\)\n {2}- --out: holds an earlier output/],
    ['pod CIDR', 'cluster:\n  podCidr: 10.200.0.0/16\n', /- cluster\.podCidr: changes on a running cluster: every pod keeps its address/],
    ['service CIDR', 'cluster:\n  serviceCidr: 10.97.0.0/16\n', /- cluster\.serviceCidr: changes on a running cluster/],
    ['join CIDR', 'cluster:\n  joinCidr: 100.65.0.0/16\n', /- cluster\.joinCidr: changes on a running cluster/],
    ['cluster domain', 'cluster:\n  clusterDomain: example.local\n', /- cluster\.clusterDomain: changes on a running cluster/],
    ['a namespace', 'components:\n  metallb:\n    namespace: metallb-system\n', /- components \(release metallb\)\.namespace: moves a running release/],
    ['a release name', 'components:\n  metallb:\n    releaseName: lb\n', /- components \(release metallb\): is gone from the output/],
  ];
  test.each(cases)('%s: refused by field before anything is written; --allow-disruptive replaces with a warning', (_name, yaml, expected) => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const before = tree(dir);
    fs.writeFileSync(path.join(dir, 'p.yaml'), yaml);
    const r = cli(['synth', path.join(dir, 'p.yaml'), '--out', out]);
    expect(r.err).toMatch(expected);
    expect(r.err).toMatch(/run again with --allow-disruptive/);
    expect(r.code).toBe(1);
    fs.rmSync(path.join(dir, 'p.yaml'));
    expect(tree(dir)).toEqual(before);
    fs.writeFileSync(path.join(dir, 'p.yaml'), yaml);
    const forced = cli(['synth', path.join(dir, 'p.yaml'), '--out', out, '--allow-disruptive']);
    expect(forced.code).toBe(0);
    expect(forced.err).toMatch(/^warning: /);
    expect(forced.err).toMatch(/cozynet: wrote \d+ files/);
  });

  test('the same platform again, or a change an apply takes (Hubble on), is not reported', () => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    expect(cli(['synth', '--out', out]).err).not.toMatch(/warning/);
    fs.writeFileSync(path.join(dir, 'p.yaml'), 'hubble:\n  enabled: true\n');
    const r = cli(['synth', path.join(dir, 'p.yaml'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/warning/);
  });
});
