// Issue 20 item 4: budgets that bound work by what the input expands to
// (YAML aliases as copies, list lengths, sparse arrays), linear handling of
// long lists, and only regular files read (never a FIFO or a device).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { childCommand, cli, refusal, ROOT, tmp } from './helpers';
import { Platform, ValidationErrors } from '../../src';
import { _linearErrors, _platformValidatorSource, parsePlatformObject } from '../../src/platform/file';

function file(text: string, name = 'p.yaml'): string {
  const f = path.join(tmp(), name);
  fs.writeFileSync(f, text);
  return f;
}

/** The CLI in a child process, killed after `seconds` (a hang fails the test instead of the suite). */
function child(args: string[], seconds = 30): { code: number | null; err: string; ms: number } {
  const start = Date.now();
  const q = args.map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${childCommand()} ${q}`], { encoding: 'utf8', cwd: ROOT, timeout: seconds * 1000, env: { ...process.env, CI: '1' } });
  return { code: r.status, err: r.stderr, ms: Date.now() - start };
}

describe('YAML aliases count as copies', () => {
  test('99 aliases of one list of 20,000 strings (a 280 kB file) are refused before they are expanded', () => {
    const items = Array.from({ length: 20000 }, () => '"abcdefghij"').join(', ');
    const aliases = Array.from({ length: 99 }, (_, i) => `      b${i}: *a\n`).join('');
    const f = file(`variant: cilium\ncomponents:\n  cilium:\n    values:\n      a: &a [${items}]\n${aliases}`);
    const start = Date.now();
    const r = cli(['validate', '--config', f]);
    expect(r.err).toBe('error: p.yaml: expands to more than 1000000 values (YAML aliases count as copies of what they name; the limit is 1000000 values and 8 MiB of text): write the values out, or use fewer aliases\n');
    expect(r.code).toBe(1);
    expect(Date.now() - start).toBeLessThan(10000);
  });

  test('aliases of one long string count its text each time', () => {
    const f = file(`variant: cilium\ncomponents:\n  cilium:\n    values:\n      a: &a "${'x'.repeat(1_000_000)}"\n${Array.from({ length: 9 }, (_, i) => `      b${i}: *a\n`).join('')}`);
    const r = cli(['validate', '--config', f]);
    expect(r.err).toMatch(/^error: p\.yaml: expands to more than 8 MiB of text/);
    expect(r.code).toBe(1);
  });

  test('a few aliases of small values are fine', () => {
    const f = file('variant: cilium\ntenants:\n  - name: root\n    children:\n      - {name: a, sharedServices: &s [dns, ntp]}\n      - {name: b, sharedServices: *s}\n');
    const r = cli(['validate', '--config', f]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('manifests read by validate DIR and verify --manifests: aliases count as copies too', () => {
  const bomb = () => {
    const items = Array.from({ length: 20000 }, () => '"abcdefghij"').join(', ');
    const aliases = Array.from({ length: 99 }, (_, i) => `  b${i}: *a\n`).join('');
    return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: y\nlist: &a [${items}]\ndata:\n${aliases}`;
  };

  test('validate DIR', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'x.yaml'), bomb());
    const start = Date.now();
    const r = cli(['validate', dir]);
    expect(r.err).toMatch(/^invalid: x\.yaml: expands to more than 1000000 values/m);
    expect(r.code).toBe(1);
    expect(Date.now() - start).toBeLessThan(10000);
  });

  test('verify --manifests', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'x.yaml'), bomb());
    const r = cli(['verify', '--manifests', path.join(dir, 'x.yaml')]);
    expect(r.err).toMatch(/^error: .*x\.yaml: expands to more than 1000000 values/);
    expect(r.code).toBe(1);
  });
});

describe('long lists', () => {
  test('100,000 nulls under loadBalancer.pools are refused by the list limit, quickly', () => {
    const f = file(`loadBalancer:\n  pools:\n${'    - null\n'.repeat(100000)}`);
    const start = Date.now();
    const r = cli(['validate', '--config', f]);
    expect(r.err).toBe('error: loadBalancer.pools: lists at most 20000 items (the limit of a list) (got a list of 100000 items)\n');
    expect(r.code).toBe(1);
    expect(Date.now() - start).toBeLessThan(10000);
  });

  test('the schema check is linear in the number of errors (100,000 bad list items in five lists)', () => {
    const nulls = (n: number) => Array.from({ length: n }, () => null);
    const start = Date.now();
    let message = '';
    try {
      parsePlatformObject({
        loadBalancer: { pools: nulls(20000) },
        subnets: nulls(20000),
        attachments: nulls(20000),
        passthrough: nulls(20000),
        tenants: [{ name: 'root', children: nulls(19999) }],
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^\d+ problems:\n {2}- /);
    expect(message).toMatch(/… and \d+ more$/);
    // quadratic (ajv's vErrors.concat per $ref): ~30 s; linear: well under a second here
    expect(Date.now() - start).toBeLessThan(8000);
  });

  test('the generated validator appends errors in place (no concat per $ref)', () => {
    expect(_platformValidatorSource()).not.toMatch(/vErrors\.concat/);
    expect(_linearErrors('vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);'))
      .toBe('if (vErrors === null) { vErrors = validate12.errors; } else { for (const e$ of validate12.errors) vErrors.push(e$); }');
  });

  test('the library: a sparse children array of length 10^7 is refused at once', () => {
    const start = Date.now();
    const children: any[] = [];
    children.length = 10_000_000;
    expect(refusal({ tenants: [{ name: 'root', children }] })).toBe('tenants[0].children: lists at most 20000 items (the limit of a list) (got a list of 10000000 items)');
    expect(Date.now() - start).toBeLessThan(2000);
  });

  test('the library: one object shared a million times counts as a million copies', () => {
    const shared = { a: 1, b: 2 };
    const list = Array.from({ length: 20000 }, () => shared);
    const values: any = {};
    for (let i = 0; i < 30; i++) values[`k${i}`] = list;
    expect(refusal({ components: { cilium: { values } } })).toMatch(/^\(props\): expands to more than 1000000 values/);
  });
});

describe('only regular files are read', () => {
  test('--config /dev/zero is refused as a device, at once', () => {
    const r = cli(['validate', '--config', '/dev/zero']);
    expect(r.err).toBe('error: --config: is a character device, not a regular file: the platform file must be a regular file (got "/dev/zero")\n');
    expect(r.code).toBe(1);
  });

  test('--config naming a FIFO without a writer does not block', () => {
    const fifo = path.join(tmp(), 'platform.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = child(['validate', '--config', fifo]);
    expect(r.err).toMatch(/^error: --config: is a pipe that sent nothing \(a FIFO without a writer\?\)/);
    expect(r.code).toBe(1);
  }, 40000);

  test('validate DIR with index.json a FIFO is exit 1, not a hang', () => {
    const dir = path.join(tmp(), 'dist');
    expect(cli(['synth', '--out', dir]).code).toBe(0);
    fs.rmSync(path.join(dir, 'index.json'));
    expect(spawnSync('mkfifo', [path.join(dir, 'index.json')]).status).toBe(0);
    const r = child(['validate', dir]);
    expect(r.err).toBe(`error: ${dir}/index.json: is a named pipe (FIFO), not a regular file: the file must be a regular file (got ${JSON.stringify(path.join(dir, 'index.json'))})\n`);
    expect(r.code).toBe(1);
  }, 60000);

  test('verify --manifests naming a FIFO or a device is exit 1', () => {
    const fifo = path.join(tmp(), 'objects.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = child(['verify', '--manifests', fifo]);
    expect(r.err).toMatch(/^error: --manifests: is neither a file nor a folder/);
    expect(r.code).toBe(1);
    const z = cli(['verify', '--manifests', '/dev/zero']);
    expect(z.err).toMatch(/^error: --manifests: is neither a file nor a folder/);
    expect(z.code).toBe(1);
  }, 40000);

  test('a platform file larger than the limit is refused before it is read', () => {
    const f = path.join(tmp(), 'big.yaml');
    fs.writeFileSync(f, '');
    fs.truncateSync(f, 5 * 1024 * 1024);
    const r = cli(['validate', '--config', f]);
    expect(r.err).toMatch(/^error: --config: the platform file is 5242880 bytes, larger than 4 MiB \(the limit\)/);
    expect(r.code).toBe(1);
  });
});
