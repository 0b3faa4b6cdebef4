// The mutation set-up that is committed (test/mutation): every group names
// files that exist, and the incremental files carry no path of the machine
// that wrote them (they are shared by every clone; scripts/mutation.js
// compacts them).
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const groups = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'mutation', 'groups.json'), 'utf8'));

describe('committed mutation set-up', () => {
  test('every group mutates files that exist and has tests under test/core', () => {
    for (const [name, g] of Object.entries<any>(groups)) {
      for (const f of g.mutate) expect([name, f, fs.existsSync(path.join(ROOT, f)) || f.includes('*')]).toEqual([name, f, true]);
      for (const t of g.tests) expect([name, t.startsWith('test/core/')]).toEqual([name, true]);
    }
  });

  test('incremental files: one per group at most, relative project root, no absolute paths of any machine', () => {
    const dir = path.join(ROOT, 'test', 'mutation', 'incremental');
    for (const f of fs.readdirSync(dir)) {
      expect([f, Object.keys(groups).includes(f.replace(/\.json$/, ''))]).toEqual([f, true]);
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect([f, JSON.parse(text).projectRoot]).toEqual([f, '.']);
      expect([f, /(?<![\w.])\/(?:work|home|root|tmp|Users|var|private)\//.exec(text)?.[0]]).toEqual([f, undefined]);
      expect([f, text.includes('.stryker-tmp/sandbox-')]).toEqual([f, false]); // a sandbox path in a reason
    }
  });
});
