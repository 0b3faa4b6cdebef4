// Issue 13 item 8 (validate DIR): only files inside DIR, a damaged or
// hostile index.json is exit 1, names and namespaces checked, the same
// object twice named, skipped YAML files named.
import * as fs from 'fs';
import * as path from 'path';
import { cli, tmp } from './helpers';

function output(): string {
  const dir = path.join(tmp(), 'dist');
  expect(cli(['synth', '--out', dir]).code).toBe(0);
  return dir;
}

function setIndex(dir: string, change: (index: any) => any): void {
  const file = path.join(dir, 'index.json');
  fs.writeFileSync(file, JSON.stringify(change(JSON.parse(fs.readFileSync(file, 'utf8')))));
}

describe('validate DIR refuses a hostile or damaged index.json with exit 1', () => {
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['a path out of the folder', (d) => setIndex(d, (i) => ({ ...i, manifests: ['../../../../../../etc/passwd'] })), /index\.json: manifests\[0\]: names a file outside the output folder/],
    ['an absolute path', (d) => setIndex(d, (i) => ({ ...i, flux: ['/etc/passwd'] })), /index\.json: flux\[0\]: names a file outside the output folder/],
    ['a symbolic link out of the folder', (d) => {
      fs.symlinkSync('/etc/passwd', path.join(d, 'manifests', 'evil.yaml'));
      setIndex(d, (i) => ({ ...i, manifests: ['manifests/evil.yaml'] }));
    }, /index\.json: lists "manifests\/evil\.yaml", which leads outside the output folder/],
    ['not JSON', (d) => fs.writeFileSync(path.join(d, 'index.json'), '{"manifests": [}'), /index\.json: is not the index\.json of a cozynet output/],
    ['manifests not a list', (d) => setIndex(d, (i) => ({ ...i, manifests: 'manifests/cilium.yaml' })), /index\.json: manifests: must be a list of files/],
    ['a number for a file', (d) => setIndex(d, (i) => ({ ...i, manifests: [7] })), /index\.json: manifests\[0\]: must be a relative file name/],
    ['a listed file that is missing', (d) => setIndex(d, (i) => ({ ...i, manifests: ['manifests/nope.yaml'] })), /index\.json: lists "manifests\/nope\.yaml", which does not exist/],
    ['an array', (d) => fs.writeFileSync(path.join(d, 'index.json'), '[]'), /index\.json: is not the index\.json of a cozynet output \(not an object\)/],
  ];
  test.each(cases)('%s', (_name, damage, expected) => {
    const dir = output();
    damage(dir);
    const r = cli(['validate', dir]);
    expect(r.err).toMatch(expected);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/root:x:0/);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('validate DIR checks every object it reads', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a bad name', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  namespace: default\n', /ConfigMap\/default\/Bad_Name: metadata\.name "Bad_Name" is not a DNS-1123 subdomain/],
    ['a namespaced kind without namespace', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n', /ConfigMap\/\/cm: ConfigMap is namespaced but has no metadata\.namespace/],
    ['a cluster-scoped kind with a namespace', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  namespace: default\n', /Namespace is cluster-scoped but has metadata\.namespace "default"/],
    ['a CRD kind: cluster-scoped by its CRD', 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: p\n  namespace: default\n', /CiliumClusterwideNetworkPolicy is cluster-scoped but has metadata\.namespace/],
    ['a namespace of 64 characters', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ${'a'.repeat(64)}\n`, /metadata\.namespace "a{64}" is not a DNS-1123 label/],
    ['a policy at an API version no cluster serves (issue 20, finding 3)', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\n---\napiVersion: cilium.io/v3\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n  namespace: default\nspec: {}\n',
      /manifests\/extra\.yaml: document 2: CiliumNetworkPolicy default\/p: apiVersion cilium\.io\/v3 is not served: CiliumNetworkPolicy is served at cilium\.io\/v2 \(the CustomResourceDefinition in crds\/cilium\.io\.yaml\)/],
    ['the same object twice', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cozy-cilium\n', /manifests\/extra\.yaml: v1 Namespace\/\/cozy-cilium is also in manifests\/cilium\.yaml: the same object twice/],
  ];
  test.each(cases)('%s', (_name, yaml, expected) => {
    const dir = output();
    fs.writeFileSync(path.join(dir, 'manifests', 'extra.yaml'), yaml);
    setIndex(dir, (i) => ({ ...i, manifests: [...i.manifests, 'manifests/extra.yaml'] }));
    const r = cli(['validate', dir]);
    expect(r.err).toMatch(expected);
    expect(r.code).toBe(1);
  });

  test('a folder without index.json: symbolic links are not followed, files without objects are named', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n');
    fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicas: 2\n');
    fs.symlinkSync('/etc/hostname', path.join(dir, 'link.yaml'));
    const r = cli(['validate', dir]);
    expect(r.err).toMatch(/cozynet: skipped 2 YAML files: link\.yaml \(symbolic link, not followed\), values\.yaml \(no Kubernetes objects\)/);
    expect(r.out).toMatch(/is valid \(1 objects in 2 files\)/);
    expect(r.code).toBe(0);
  });

  test('an alias bomb in a manifest is a problem of that file', () => {
    const dir = tmp();
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const p = String.fromCharCode(96 + i);
      const c = String.fromCharCode(97 + i);
      rows.push(`${c}: &${c} [${Array(9).fill(`*${p}`).join(', ')}]`);
    }
    fs.writeFileSync(path.join(dir, 'bomb.yaml'), `apiVersion: v1\nkind: ConfigMap\n${rows.join('\n')}\n`);
    const r = cli(['validate', dir]);
    expect(r.err).toMatch(/bomb\.yaml: expands to more than 1000000 values \(YAML aliases count as copies of what they name/);
    expect(r.code).toBe(1);
  });
});

test('a folder without any Kubernetes object is exit 1, not "valid"', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicas: 2\n');
  const r = cli(['validate', dir]);
  expect(r.err).toMatch(/error: DIR: holds no Kubernetes objects/);
  expect(r.code).toBe(1);
});
