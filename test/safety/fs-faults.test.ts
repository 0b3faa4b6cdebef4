// Issue 20 item 5: file-system faults are exit 1 saying what the user can do,
// and never leave a half-deleted earlier output, a lock or scratch folders;
// a signal while the folder is written restores the earlier output.
//
// The faults are real: tmpfs mounts (a mount point, no space, no inodes),
// read-only bind mounts and immutable / append-only attributes (chattr). They
// need root and mount(2), which CI has (it runs as root); elsewhere these
// tests are reported as skipped, by name.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cli, cliChildAsync, tmp, tree, waitFor } from './helpers';

jest.setTimeout(120000);

function sh(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Whether this machine lets the tests mount file systems and set attributes. */
const CAN_MOUNT = (() => {
  if (process.getuid?.() !== 0) return false;
  const dir = tmp('cozynet-mountcheck-');
  if (!sh('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir])) return false;
  sh('umount', [dir]);
  const f = path.join(dir, 'f');
  fs.writeFileSync(f, '');
  const attributes = sh('chattr', ['+i', f]);
  sh('chattr', ['-i', f]);
  return attributes;
})();
const rootTest = CAN_MOUNT ? test : test.skip;

const mounts: string[] = [];
const attrs: string[] = [];
afterEach(() => {
  for (const [flag, p] of attrs.splice(0).map((a) => a.split(' ', 2))) sh('chattr', [flag, p]);
  for (const m of mounts.splice(0).reverse()) sh('umount', ['-l', m]);
});

function mountTmpfs(dir: string, options: string): void {
  fs.mkdirSync(dir, { recursive: true });
  expect(sh('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir])).toBe(true);
  mounts.push(dir);
}

function mountReadOnly(dir: string): void {
  expect(sh('mount', ['--bind', dir, dir])).toBe(true);
  mounts.push(dir);
  expect(sh('mount', ['-o', 'remount,ro,bind', dir])).toBe(true);
}

function chattr(flag: '+i' | '+a', p: string): void {
  expect(sh('chattr', [flag, p])).toBe(true);
  attrs.push(`${flag.replace('+', '-')} ${p}`);
}

/** A platform file whose output is a few MB (tenants.yaml). */
function bigPlatform(dir: string, tenants = 3000): string {
  const file = path.join(dir, 'big.yaml');
  const children = Array.from({ length: tenants }, (_, i) => `      - name: t${i}`).join('\n');
  fs.writeFileSync(file, `tenants:\n  - name: root\n    children:\n${children}\n`);
  return file;
}

/** Size in bytes and number of entries below a folder. */
function usage(dir: string): { bytes: number; entries: number } {
  let bytes = 0;
  let entries = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      entries++;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else bytes += fs.statSync(p).size;
    }
  };
  walk(dir);
  return { bytes, entries };
}

/** Runs synth expecting exit 1 with `message`, and the folder `dir` exactly as before. */
function expectFault(dir: string, args: string[], message: RegExp): string {
  const before = tree(dir);
  const r = cli(['synth', ...args]);
  expect(r.err).toMatch(message);
  expect(r.code).toBe(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(tree(dir)).toEqual(before);
  return r.err;
}

describe('file-system faults: exit 1, what to do, nothing lost or left', () => {
  rootTest('--out a mount point: refused before anything is written', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    mountTmpfs(out, 'size=64m');
    expectFault(dir, ['--out', out], /^error: --out: is a mount point: synth replaces --out as a whole by renaming, which a mount point does not allow; name a folder inside it, such as .*out\/dist/);
    expect(cli(['synth', '--out', path.join(out, 'dist')]).code).toBe(0);
  });

  rootTest('no space left while writing: the earlier output is kept, no scratch folder or lock', () => {
    const parent = path.join(tmp(), 'disk');
    const out = path.join(parent, 'out');
    mountTmpfs(parent, 'size=64m');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const st = fs.statfsSync(parent);
    const used = (st.blocks - st.bfree) * st.bsize;
    sh('umount', [parent]);
    mounts.pop();
    // room for the earlier output and 512 KiB more: a thousand tenants need several MiB
    mountTmpfs(parent, `size=${used + 512 * 1024}`);
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const config = bigPlatform(tmp(), 1000);
    const err = expectFault(parent, ['--config', config, '--out', out], /^error: --out: cannot be written \(.*\): no space left on the device, or no free inodes \(see df -h and df -i\).*\(ENOSPC\); the earlier output is unchanged/);
    expect(err.split('\n').filter((l) => l).length).toBe(1);
    expect(fs.readdirSync(parent)).toEqual(['out']);
  });

  rootTest('no free inodes: the same', () => {
    const parent = path.join(tmp(), 'disk');
    const out = path.join(parent, 'out');
    mountTmpfs(parent, 'size=64m,nr_inodes=1000');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const used = usage(out).entries;
    sh('umount', [parent]);
    mounts.pop();
    mountTmpfs(parent, `size=64m,nr_inodes=${used + 12}`);
    expect(cli(['synth', '--out', out]).code).toBe(0);
    expectFault(parent, ['--out', out], /^error: --out: .*\(ENOSPC\)/);
    expect(fs.readdirSync(parent)).toEqual(['out']);
  });

  rootTest('a read-only parent folder: exit 1 saying so', () => {
    const dir = tmp();
    const parent = path.join(dir, 'ro');
    fs.mkdirSync(parent);
    expect(cli(['synth', '--out', path.join(parent, 'out')]).code).toBe(0);
    mountReadOnly(parent);
    expectFault(dir, ['--out', path.join(parent, 'out')], /^error: --out: cannot create the lock file \.out\.cozynet-lock beside it: the file system is read-only: name a folder on a writable one \(EROFS\)/);
  });

  rootTest('--out below missing folders on a read-only file system: EROFS, not ENOENT', () => {
    const dir = tmp();
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro);
    mountReadOnly(ro);
    expectFault(dir, ['--out', path.join(ro, 'a', 'b', 'out')], /^error: --out: its parent folder cannot be created: the file system is read-only: name a folder on a writable one \(EROFS\)/);
  });

  rootTest('a read-only folder inside the earlier output: it is put back whole, nothing is written', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const index = fs.readFileSync(path.join(out, 'index.json'), 'utf8');
    mountReadOnly(path.join(out, 'manifests'));
    expectFault(dir, ['--config', bigPlatform(tmp(), 5), '--out', out],
      /^error: --out: its earlier output cannot be removed \(manifests\/[^)]+\): it is on another file system than its parent \(a mount point\).*\(EXDEV\); the earlier output is back as it was and nothing was written/);
    expect(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).toBe(index);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  rootTest('an immutable file in the earlier output: put back whole, exit 1 naming it and the attribute', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    chattr('+i', path.join(out, 'helm', 'cilium.values.yaml'));
    expectFault(dir, ['--config', bigPlatform(tmp(), 5), '--out', out],
      /^error: --out: its earlier output cannot be removed \(helm\/cilium\.values\.yaml\): operation not permitted: an immutable or append-only attribute \(see lsattr; chattr -i\/-a clears it\).*\(EPERM\); the earlier output is back as it was and nothing was written/);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  rootTest('an append-only folder in the earlier output: the same, the files moved so far are back', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    chattr('+a', path.join(out, 'manifests'));
    expectFault(dir, ['--config', bigPlatform(tmp(), 5), '--out', out], /^error: --out: its earlier output cannot be removed \(manifests\/[^)]+\): operation not permitted.*\(EPERM\)/);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  rootTest('an immutable --out folder: refused, nothing written', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    chattr('+i', out);
    expectFault(dir, ['--out', out], /^error: --out: .*\(EPERM\)/);
  });
});

describe('a signal while the folder is written', () => {
  const pause = process.env.COZYNET_TEST_WRITE_PAUSE_MS;
  beforeAll(() => { process.env.COZYNET_TEST_WRITE_PAUSE_MS = '60'; });
  afterAll(() => {
    if (pause === undefined) delete process.env.COZYNET_TEST_WRITE_PAUSE_MS;
    else process.env.COZYNET_TEST_WRITE_PAUSE_MS = pause;
  });

  async function interrupt(signal: NodeJS.Signals, when: RegExp) {
    const dir = tmp();
    const out = path.join(dir, 'out');
    const config = bigPlatform(dir, 50);
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const before = tree(out);
    const child = cliChildAsync(['synth', '--config', config, '--out', out], dir);
    let err = '';
    child.stderr!.on('data', (d) => { err += d; });
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(await waitFor(() => fs.readdirSync(dir).some((e) => when.test(e)), 60000)).toBe(true);
    child.kill(signal);
    const code = await done;
    return { dir, out, before, code, err };
  }

  test('SIGTERM while the files are written: exit 143, the earlier output unchanged, no lock or scratch folder', async () => {
    const r = await interrupt('SIGTERM', /^\.out\.tmp-/);
    expect(r.err).toContain('cozynet: interrupted by SIGTERM: nothing was written (an earlier output is as it was); no lock or temporary folder is left');
    expect(r.code).toBe(143);
    expect(tree(r.out)).toEqual(r.before);
    expect(fs.readdirSync(r.dir).sort()).toEqual(['big.yaml', 'out']);
  });

  test('SIGINT right after the swap: exit 130, the earlier output is put back', async () => {
    const r = await interrupt('SIGINT', /^\.out\.old-/);
    expect(r.err).toContain('cozynet: interrupted by SIGINT: the earlier output is back as it was; no lock or temporary folder is left');
    expect(r.code).toBe(130);
    expect(tree(r.out)).toEqual(r.before);
    expect(fs.readdirSync(r.dir).sort()).toEqual(['big.yaml', 'out']);
  });
});

test('fault tests ran (or this machine cannot mount: say so)', () => {
  if (!CAN_MOUNT) console.warn('fs-faults: no root or mount(2) here: the file-system fault tests were skipped');
  expect(typeof CAN_MOUNT).toBe('boolean');
});
