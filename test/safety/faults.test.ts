// Issue 13 item 7: a synth killed while writing, and concurrent synths on
// one --out. Child processes (SIGKILL), so these take a few seconds.
import * as fs from 'fs';
import * as path from 'path';
import { cli, cliChildAsync, tmp, waitFor } from './helpers';

jest.setTimeout(120000);

/** A platform big enough that writing takes a while (3,000 tenants). */
function bigPlatform(dir: string): string {
  const file = path.join(dir, 'big.yaml');
  const children = Array.from({ length: 3000 }, (_, i) => `      - name: t${i}`).join('\n');
  fs.writeFileSync(file, `tenants:\n  - name: root\n    children:\n${children}\n`);
  return file;
}

/** Entries of a folder (nothing may appear beside --out: no cdktf.out either). */
function entries(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

function exited(child: ReturnType<typeof cliChildAsync>): Promise<{ code: number | null; err: string }> {
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, err })));
}

test('a synth killed while writing leaves the earlier output; the next run cleans up and succeeds', async () => {
  const dir = tmp();
  const out = path.join(dir, 'out');
  const config = bigPlatform(dir);
  expect(cli(['synth', '--out', out]).code).toBe(0);
  const before = fs.readFileSync(path.join(out, 'index.json'), 'utf8');

  const child = cliChildAsync(['synth', '--config', config, '--out', out], dir);
  const done = exited(child);
  const sawTmp = await waitFor(() => fs.readdirSync(dir).some((e) => e.startsWith('.out.tmp-')), 60000);
  child.kill('SIGKILL');
  const r = await done;
  expect(sawTmp).toBe(true);
  expect(r.code).toBeNull();

  // readers see the earlier output, whole
  expect(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).toBe(before);
  expect(fs.readdirSync(dir).some((e) => e.startsWith('.out.tmp-'))).toBe(true);
  expect(fs.existsSync(path.join(dir, '.out.cozynet-lock'))).toBe(true);

  // the next run takes the dead run's lock over and removes its temporary folder
  const again = cli(['synth', '--config', config, '--out', out]);
  expect(again.err).toMatch(/^cozynet: wrote/);
  expect(again.code).toBe(0);
  expect(entries(dir)).toEqual(['big.yaml', 'out']);
  expect(cli(['validate', out]).code).toBe(0);
});

test('a run killed between the two renames: the next run puts the earlier output back first', () => {
  const dir = tmp();
  const out = path.join(dir, 'out');
  expect(cli(['synth', '--out', out]).code).toBe(0);
  const before = fs.readFileSync(path.join(out, 'index.json'), 'utf8');
  // the state right after `rename(out, .out.old-*/previous)`
  fs.mkdirSync(path.join(dir, '.out.old-0123456789ab'));
  fs.writeFileSync(path.join(dir, '.out.old-0123456789ab', '.cozynet-tmp'), 'cozynet old folder of pid 1\n');
  fs.renameSync(out, path.join(dir, '.out.old-0123456789ab', 'previous'));
  fs.writeFileSync(path.join(dir, '.out.cozynet-lock'), '2147483646\n');
  // a run that changes the variant is refused as for any earlier output: it was put back
  const r = cli(['synth', '--variant', 'cilium', '--out', out]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/variant: changes the CNI of a running cluster/);
  expect(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).toBe(before);
  expect(fs.readdirSync(dir)).toEqual(['out']);
});

test('concurrent synths on one --out: each ends 0 or 1 (the lock), never 2; the folder is whole', async () => {
  const dir = tmp();
  const out = path.join(dir, 'out');
  const runs = [0, 1, 2].map(() => exited(cliChildAsync(['synth', '--out', out], dir)));
  const results = await Promise.all(runs);
  for (const r of results) {
    if (r.code !== 0 && r.code !== 1) throw new Error(`exit ${r.code}: ${r.err}`);
    expect([0, 1]).toContain(r.code);
    if (r.code === 1) expect(r.err).toMatch(/^error: --out: another cozynet synth \(pid \d+\) is writing this folder/);
  }
  expect(results.some((r) => r.code === 0)).toBe(true);
  expect(entries(dir)).toEqual(['out']);
  expect(cli(['validate', out]).code).toBe(0);
});

test('a lock file that holds no pid is never taken for a dead run\'s: exit 1, the earlier output kept', () => {
  const dir = tmp();
  const out = path.join(dir, 'out');
  expect(cli(['synth', '--out', out]).code).toBe(0);
  const before = fs.readFileSync(path.join(out, 'index.json'), 'utf8');
  // what another run's lock looked like, before it wrote its pid
  fs.writeFileSync(path.join(dir, '.out.cozynet-lock'), '');
  const r = cli(['synth', '--out', out]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^error: --out: another cozynet synth \(holding a lock file that is not cozynet's\) is writing this folder/);
  expect(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).toBe(before);
  expect(fs.readFileSync(path.join(dir, '.out.cozynet-lock'), 'utf8')).toBe('');
});

test('lock drafts of a run killed while locking are removed by the next run; a live run\'s are kept', () => {
  const dir = tmp();
  const out = path.join(dir, 'out');
  fs.writeFileSync(path.join(dir, '.out.cozynet-lock.new-2147483646'), '2147483646\n');
  fs.writeFileSync(path.join(dir, '.out.cozynet-lock.stale-2147483645'), '2147483640\n');
  fs.writeFileSync(path.join(dir, `.out.cozynet-lock.new-${process.ppid}`), `${process.ppid}\n`);
  expect(cli(['synth', '--out', out]).code).toBe(0);
  expect(entries(dir)).toEqual([`.out.cozynet-lock.new-${process.ppid}`, 'out']);
});
