/**
 * What each example's README says about its output is what `cdk8s synth`
 * writes, and each example is a package of its own that runs as documented.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileGlob, kindCounts, ROOT, synthExample } from './example-synth';

const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((d) => fs.existsSync(path.join(ROOT, 'examples', d, 'cdk8s.yaml'))).sort();

test('there are examples', () => {
  expect(EXAMPLES).toEqual(['bgp-vlans', 'cilium', 'cilium-kilo', 'generic', 'kubeovn-cilium', 'tenants-vm']);
});

describe.each(EXAMPLES)('examples/%s', (name) => {
  const dir = path.join(ROOT, 'examples', name);
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');

  test('is a package of its own: the library from the repository, the stock cdk8s CLI, tsx (no tsconfig needed)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies.cozynet).toBe('file:../..');
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const peer of ['cdk8s', 'cdk8s-plus-28', 'constructs']) expect(pkg.dependencies[peer]).toBe(root.peerDependencies[peer]);
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['cdk8s-cli', 'tsx']);
    expect(fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf8')).toMatch(/^app: npx tsx main\.ts$/m);
    // installed as a packed copy: one cdk8s shared by the app, the library and cdk8s-cli
    expect(fs.readFileSync(path.join(dir, '.npmrc'), 'utf8')).toMatch(/^install-links=true$/m);
    expect(readme).toContain('npm install');
    expect(readme).toContain('npx cdk8s synth');
    expect(readme).not.toContain('synth-examples.sh');
  });

  test('the README lists exactly the files and objects cdk8s synth writes', () => {
    const table = readme.slice(readme.indexOf('<!-- output -->'));
    expect(readme).toContain('<!-- output -->');
    const rows = [...table.matchAll(/^\| `([^`]+)` \| ([^|]+) \|$/gm)].map((m) => [m[1], m[2].trim()]);
    const actual = [...synthExample(name)].map(([f, objects]) => [fileGlob(f), kindCounts(objects)]);
    expect(rows).toEqual(actual);
    // every dist/ file the prose names exists
    for (const m of readme.matchAll(/`dist\/([^`]+\.k8s\.yaml)`/g)) {
      expect(actual.map(([f]) => f)).toContain(m[1]);
    }
  });
});
