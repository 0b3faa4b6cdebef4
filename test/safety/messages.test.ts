// Issue 20 item 7: messages name the field and the real value or problem.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { childCommand, cli, refusal, ROOT, tmp } from './helpers';
import { Platform, ValidationErrors } from '../../src';
import { mkdirError } from '../../src/platform/safe-read';

function file(text: string): string {
  const f = path.join(tmp(), 'p.yaml');
  fs.writeFileSync(f, text);
  return f;
}

const generic = (port: unknown) => ({ variant: 'cilium-generic', cluster: { apiServer: { host: 'api.example.com', port } } });

describe('values are shown as they are', () => {
  test.each([
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
  ])('%s in the library', (port, shown) => {
    expect(refusal(generic(port))).toBe(`cluster.apiServer.port: must be a TCP port 1-65535 (got ${shown})`);
  });

  test.each([['.nan', 'NaN'], ['.inf', 'Infinity'], ['-.inf', '-Infinity']])('%s in the file', (yaml, shown) => {
    const r = cli(['validate', '--config', file(`variant: cilium-generic\ncluster:\n  apiServer: {host: api.example.com, port: ${yaml}}\n`)]);
    expect(r.err).toMatch(new RegExp(`^error: cluster\\.apiServer\\.port: .*\\(got ${shown.replace('-', '\\-')}\\)\\n$`));
    expect(r.code).toBe(1);
  });

  test('NaN inside a bigger value', () => {
    expect(refusal({ hubble: { metrics: [NaN] } })).toMatch(/^hubble\.metrics\[0\]: must be a string \(got NaN\)/);
  });

  test('new Number(6443) is named for what it is', () => {
    // eslint-disable-next-line no-new-wrappers
    expect(refusal(generic(new Number(6443)))).toBe('cluster.apiServer.port: is a Number object (new Number(6443)), not a number: use the plain value 6443');
  });

  test.each(['toString', 'constructor'])('a Helm value key %s is an unknown key, not native code', (key) => {
    const r = cli(['validate', '--config', file(`variant: cilium\ncomponents:\n  cilium:\n    values:\n      ${key}: 1\n`)]);
    expect(r.err).toBe(`error: components.cilium.values: cilium values: unknown key ${key}: the chart declares no such value\n`);
    expect(r.code).toBe(1);
  });

  test.each([
    ['Object.create', { cluster: Object.create({ podCidr: '192.0.2.0/24' }) }, 'cluster: is an object made with Object.create: its keys (podCidr) are inherited, not its own, and would be ignored; use a plain object'],
    ['a Date', { tenants: [{ name: 'root', children: [new Date(0)] }] }, 'tenants[0].children[0]: is a Date: props hold plain data only (objects, arrays, strings, numbers, booleans)'],
    ['a Map', { cluster: new Map([['podCidr', '192.0.2.0/24']]) }, 'cluster: is a Map (1 entries): props hold plain data only (objects, arrays, strings, numbers, booleans); use a plain object'],
    // eslint-disable-next-line no-new-wrappers
    ['a String object', { variant: new String('cilium') }, 'variant: is a String object (new String("cilium")), not a string: use the plain value "cilium"'],
  ])('props from %s name the field and what it is', (_name, props, expected) => {
    expect(refusal(props)).toBe(expected);
  });
});

describe('the platform file as a whole', () => {
  test('a second document names where it starts', () => {
    const r = cli(['validate', '--config', file('variant: cilium\n---\nvariant: noop\n')]);
    expect(r.err).toBe('error: p.yaml:2:1: a second YAML document starts here (after "---"): a platform file is one document; remove the "---" line or split the file\n');
    expect(r.code).toBe(1);
  });

  test.each([['empty', ''], ['only ---', '---\n'], ['null', 'null\n'], ['~', '~\n'], ['only a comment', '# nothing yet\n'], ['--- and null', '---\nnull\n']])('%s means the default platform, said so', (_name, text) => {
    const f = file(text);
    const r = cli(['validate', '--config', f]);
    expect(r.err).toBe(`cozynet: ${f} sets nothing: it means the default platform (variant kubeovn-cilium, cluster defaults, no tenants)\n`);
    expect(r.code).toBe(0);
  });

  test('another scalar is shown', () => {
    const r = cli(['validate', '--config', file('42\n')]);
    expect(r.err).toBe('error: (root): the platform file must be a mapping with keys such as variant and cluster (got the value 42)\n');
    expect(r.code).toBe(1);
  });

  test('a complex key is refused without a Node warning on stderr', () => {
    const f = file('variant: cilium\n? [a, b]\n: 1\n');
    const r = spawnSync('bash', ['-c', `${childCommand()} validate --config '${f}'`], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, CI: '1' } });
    expect(r.stderr).toBe('error: p.yaml:2:3: a key must be a plain string, not a list or mapping (a YAML complex key) (got a list)\n');
    expect(r.status).toBe(1);
  }, 30000);
});

describe('a read-only file system says so', () => {
  test('mkdirError finds the real reason behind ENOENT of a recursive mkdir', () => {
    const dir = tmp();
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro]).status === 0;
    try {
      if (mounted) {
        let e: any;
        try {
          fs.mkdirSync(path.join(ro, 'a', 'b'), { recursive: true });
        } catch (x) {
          e = x;
        }
        expect(e?.code).toBe('ENOENT'); // what Node says
        expect(mkdirError(path.join(ro, 'a', 'b'), e)).toBe('EROFS: the file system is read-only');
        const r = cli(['diagram', '--out', path.join(ro, 'a', 'topology.mmd')]);
        expect(r.err).toBe(`error: --out: cannot be written (EROFS: the file system is read-only) (got ${JSON.stringify(path.join(ro, 'a', 'topology.mmd'))})\n`);
        expect(r.code).toBe(1);
      }
      // without a mount (no privileges): the other codes pass through in words
      expect(mkdirError(path.join(dir, 'x'), { code: 'EACCES' })).toBe('EACCES: permission denied');
      expect(mkdirError(path.join(dir, 'missing', 'x'), { code: 'ENOENT' })).toBe('ENOENT: no such file');
    } finally {
      if (mounted) spawnSync('umount', [ro]);
    }
  });
});
