// Issue 20 item 1: what synth may replace comes from the record of the files
// it wrote (index.json `files`), never from strings that look like paths.
// Anything else in an earlier output (a folder, a file, a symbolic link, a
// named pipe of the user's) makes synth refuse with exit 1 naming it, and
// nothing is deleted.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cli, tmp, tree } from './helpers';

/** A folder with an earlier default-platform output in `out`. */
function earlier(): { dir: string; out: string } {
  const dir = tmp();
  const out = path.join(dir, 'out');
  const r = cli(['synth', '--out', out]);
  expect(r.code).toBe(0);
  return { dir, out };
}

function expectRefused(dir: string, out: string, entry: string): void {
  const before = tree(dir);
  const r = cli(['synth', '--out', out]);
  expect(r.err).toContain(`error: --out: is not empty and not an earlier cozynet output (${entry} is in the way)`);
  expect(r.code).toBe(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(tree(dir)).toEqual(before);
}

describe('an earlier output is replaced only when it holds nothing but the files it records', () => {
  test('the record lists exactly the files written, sorted, index.json included', () => {
    const { out } = earlier();
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8'));
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(out, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p); else files.push(p);
      }
    };
    walk('');
    expect(index.files).toEqual(files.sort());
    expect(index.files).toContain('index.json');
  });

  test('a user folder named like a cluster CIDR, with a file in it, is kept: exit 1 naming it', () => {
    // the cluster CIDRs (10.244.0.0/16) are x/y-shaped strings of index.json
    const { dir, out } = earlier();
    fs.mkdirSync(path.join(out, '10.244.0.0'));
    fs.writeFileSync(path.join(out, '10.244.0.0', 'notes.txt'), 'mine\n');
    expectRefused(dir, out, '10.244.0.0/ (a folder cozynet did not write)');
    expect(fs.readFileSync(path.join(out, '10.244.0.0', 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  test('a user file inside one of cozynet\'s folders is kept', () => {
    const { dir, out } = earlier();
    fs.writeFileSync(path.join(out, 'manifests', 'mine.yaml'), 'kind: Mine\n');
    expectRefused(dir, out, 'manifests/mine.yaml');
  });

  test('a symbolic link the user placed inside is kept, and so is its target', () => {
    const { dir, out } = earlier();
    fs.writeFileSync(path.join(dir, 'target.txt'), 'mine\n');
    fs.symlinkSync(path.join(dir, 'target.txt'), path.join(out, 'helm', 'link'));
    expectRefused(dir, out, 'helm/link (a symbolic link)');
    expect(fs.readlinkSync(path.join(out, 'helm', 'link'))).toBe(path.join(dir, 'target.txt'));
  });

  test('a recorded file replaced by a symbolic link is not cozynet\'s any more', () => {
    const { dir, out } = earlier();
    fs.rmSync(path.join(out, 'topology.mmd'));
    fs.symlinkSync('/etc/hostname', path.join(out, 'topology.mmd'));
    expectRefused(dir, out, 'topology.mmd (a symbolic link)');
  });

  test('a recorded folder replaced by a symbolic link to a folder of the user is kept', () => {
    const { dir, out } = earlier();
    fs.mkdirSync(path.join(dir, 'mine'));
    fs.writeFileSync(path.join(dir, 'mine', 'a.txt'), 'mine\n');
    fs.rmSync(path.join(out, 'flux'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'mine'), path.join(out, 'flux'));
    expectRefused(dir, out, 'flux (a symbolic link)');
    expect(fs.readFileSync(path.join(dir, 'mine', 'a.txt'), 'utf8')).toBe('mine\n');
  });

  test('index.json as a symbolic link to /dev/zero is refused at once (never read)', () => {
    const { dir, out } = earlier();
    fs.rmSync(path.join(out, 'index.json'));
    fs.symlinkSync('/dev/zero', path.join(out, 'index.json'));
    expectRefused(dir, out, 'index.json (a symbolic link, not written by cozynet)');
  });

  test('index.json as a named pipe is refused at once (never opened)', () => {
    const { dir, out } = earlier();
    fs.rmSync(path.join(out, 'index.json'));
    expect(spawnSync('mkfifo', [path.join(out, 'index.json')]).status).toBe(0);
    expectRefused(dir, out, 'index.json (a named pipe (FIFO), not written by cozynet)');
  });

  test('a named pipe elsewhere in the output is refused, not read', () => {
    const { dir, out } = earlier();
    expect(spawnSync('mkfifo', [path.join(out, 'manifests', 'pipe')]).status).toBe(0);
    expectRefused(dir, out, 'manifests/pipe (a named pipe (FIFO))');
  });

  test('a record naming paths outside the folder owns nothing there', () => {
    const { dir, out } = earlier();
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8'));
    index.files.push('../elsewhere/x', '/etc/passwd', 'notes/../../x', 'mine/./a');
    fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(index));
    fs.mkdirSync(path.join(out, 'mine'));
    fs.writeFileSync(path.join(out, 'mine', 'a'), 'mine\n');
    expectRefused(dir, out, 'mine/ (a folder cozynet did not write)');
  });

  test('the files the record lists are replaced; a recorded file the user deleted does not matter', () => {
    const { out } = earlier();
    fs.rmSync(path.join(out, 'topology.mmd'));
    fs.writeFileSync(path.join(out, 'manifests', 'cilium.yaml'), 'edited\n');
    const r = cli(['synth', '--out', out]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'topology.mmd'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'manifests', 'cilium.yaml'), 'utf8')).not.toBe('edited\n');
  });

  test('a smaller output replaces a larger one: files the old record lists and the new does not are removed', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, 'tenants:\n  - name: root\n    children:\n      - name: acme\n');
    expect(cli(['synth', '--config', big, '--out', out]).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'manifests', 'tenants.yaml'))).toBe(true);
    expect(cli(['synth', '--out', out]).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'manifests', 'tenants.yaml'))).toBe(false);
  });
});

describe('an output of a cozynet without the record', () => {
  function legacy(): { dir: string; out: string } {
    const e = earlier();
    const index = JSON.parse(fs.readFileSync(path.join(e.out, 'index.json'), 'utf8'));
    delete index.files;
    fs.writeFileSync(path.join(e.out, 'index.json'), JSON.stringify(index, undefined, 2));
    return e;
  }

  test('is replaced when it holds only the files its lists name and the new output writes', () => {
    const { out } = legacy();
    const r = cli(['synth', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).files).toContain('index.json');
  });

  test('the CIDR-shaped strings of its index.json own nothing', () => {
    const { dir, out } = legacy();
    fs.mkdirSync(path.join(out, '10.244.0.0'));
    fs.writeFileSync(path.join(out, '10.244.0.0', 'notes.txt'), 'mine\n');
    expectRefused(dir, out, '10.244.0.0/ (a folder cozynet did not write)');
  });

  test('a user file inside manifests/ that no list names is kept', () => {
    const { dir, out } = legacy();
    fs.writeFileSync(path.join(out, 'manifests', 'mine.yaml'), 'kind: Mine\n');
    expectRefused(dir, out, 'manifests/mine.yaml');
  });
});
