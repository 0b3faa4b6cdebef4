import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../src/cli/main';

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-cli-'));
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('cozynet synth', () => {
  test('writes the output folder of the contract', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    const r = cli(['synth', '--out', out]);
    expect(r.err).toMatch(/^cozynet: wrote 33 files to .*out\/ \(\d+ objects: /);
    expect(r.code).toBe(0);
    expect(listFiles(out)).toEqual([
      'apply/kubectl.sh',
      'charts/cilium-manifests/Chart.yaml',
      'charts/cilium-manifests/templates/cilium-manifests.yaml',
      'charts/cilium-networkpolicy/Chart.yaml',
      'charts/cilium-networkpolicy/templates/cilium-networkpolicy.yaml',
      'charts/cozy-proxy/Chart.yaml',
      'charts/cozy-proxy/templates/cozy-proxy.yaml',
      'charts/gateway-api-crds/Chart.yaml',
      'charts/gateway-api-crds/templates/gateway-api-crds.yaml',
      'charts/kubeovn-webhook/Chart.yaml',
      'charts/kubeovn-webhook/templates/kubeovn-webhook.yaml',
      'charts/multus/Chart.yaml',
      'charts/multus/templates/multus.yaml',
      'charts/namespaces/Chart.yaml',
      'charts/namespaces/templates/namespaces.yaml',
      'cluster/talos-patch.yaml',
      'flux/releases.yaml',
      'helm/cert-manager.values.yaml',
      'helm/cilium.values.yaml',
      'helm/kubeovn.values.yaml',
      'helm/metallb.values.yaml',
      'index.json',
      'manifests/cert-manager.yaml',
      'manifests/cilium-networkpolicy.yaml',
      'manifests/cilium.yaml',
      'manifests/cozy-proxy.yaml',
      'manifests/gateway-api-crds.yaml',
      'manifests/kubeovn-webhook.yaml',
      'manifests/kubeovn.yaml',
      'manifests/metallb.yaml',
      'manifests/multus.yaml',
      'terraform/cdk.tf.json',
      'topology.mmd',
    ].sort());
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8'));
    expect(Object.keys(index)).toEqual(['variant', 'components', 'manifests', 'flux', 'terraform', 'charts', 'clusterSettings', 'apply', 'cluster', 'mtu', 'files', 'generator']);
    expect(index.generator).toBe('cozynet');
    // the ownership record: exactly the files of the folder
    expect(index.files).toEqual(listFiles(out).sort());
    expect(index.cluster).toEqual({ podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16', joinCidr: '100.64.0.0/16', clusterDomain: 'cozy.local' });
    expect(Object.keys(index.components[0])).toEqual(['name', 'namespace', 'dependsOn', 'chart', 'values', 'manifests']);
    expect(index.terraform).toEqual(['terraform/cdk.tf.json']);
    for (const f of listFiles(out)) expect(fs.readFileSync(path.join(out, f), 'utf8')).not.toContain(dir);
  });

  test('--variant overrides the file and the Terraform JSON names every release', () => {
    const dir = tmp();
    const cfg = path.join(dir, 'platform.yaml');
    fs.writeFileSync(cfg, 'variant: kubeovn-cilium\ncluster:\n  podCidr: 10.200.0.0/16\n');
    const r = cli(['synth', '--config', cfg, '--variant', 'cilium', '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(0);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'o', 'index.json'), 'utf8'));
    expect(index.variant).toBe('cilium');
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'o', 'terraform', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.resource.helm_release)).toEqual(['namespaces', 'gateway-api-crds', 'cilium', 'cilium-networkpolicy', 'metallb', 'multus', 'cozy-proxy'].map((n) => n.replace(/-/g, '_')));
    expect(tf.resource.helm_release.metallb.depends_on).toEqual(['helm_release.namespaces', 'helm_release.cilium']);
    expect(tf.terraform.backend.local.path).toBe('terraform.tfstate');
  });

  test.each([[[]], [['--config', path.join(__dirname, '..', 'examples', 'platforms', 'contract.yaml')]]])('same input, byte-identical output, nothing of the machine (%j)', (extra: string[]) => {
    const dir = tmp();
    expect(cli(['synth', ...extra, '--out', path.join(dir, 'a')]).code).toBe(0);
    expect(cli(['synth', ...extra, '--out', path.join(dir, 'nested', 'b')]).code).toBe(0);
    for (const f of listFiles(path.join(dir, 'a'))) {
      const text = fs.readFileSync(path.join(dir, 'a', f), 'utf8');
      expect(text).not.toContain(dir);
      // (a short host name such as "vm" would match ordinary words)
      if (os.hostname().length >= 6) expect(text).not.toContain(os.hostname());
      expect(text).not.toContain(process.cwd());
      expect(text).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:/);
    }
    fs.renameSync(path.join(dir, 'nested', 'b'), path.join(dir, 'b'));
    const a = listFiles(path.join(dir, 'a'));
    expect(listFiles(path.join(dir, 'b'))).toEqual(a);
    for (const f of a) {
      expect(fs.readFileSync(path.join(dir, 'b', f)).equals(fs.readFileSync(path.join(dir, 'a', f)))).toBe(true);
    }
  });

  test('a user error names the field, writes nothing and keeps an earlier output folder', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    expect(cli(['synth', '--out', out]).code).toBe(0);
    const before = listFiles(out).map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]);
    const cfg = path.join(dir, 'bad.yaml');
    fs.writeFileSync(cfg, 'cluster:\n  podCidr: 10.244.0.0/99\n');
    const r = cli(['synth', '--config', cfg, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: cluster.podCidr: IPv4 prefix length must be 0-32 (got "10.244.0.0/99")\n');
    expect(listFiles(out).map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')])).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['bad.yaml', 'out']);
  });

  test('unknown keys and YAML syntax errors are user errors', () => {
    const dir = tmp();
    const cfg = path.join(dir, 'p.yaml');
    fs.writeFileSync(cfg, 'variant: cilium\nclustr:\n  podCidr: 10.244.0.0/16\n');
    let r = cli(['synth', '--config', cfg, '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: clustr: unknown key; did you mean cluster\? \(allowed here: attachments, cluster, cni, components, /);
    fs.writeFileSync(cfg, 'variant: cilium\ncluster:\n  podCidr: [10.244.0.0/16\n');
    r = cli(['synth', '--config', cfg, '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: p\.yaml:\d+:\d+: YAML syntax error/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'o'))).toBe(false);
  });

  test('a generic variant without API server fails with the field path', () => {
    const r = cli(['synth', '--variant', 'kubeovn-cilium-generic', '--out', path.join(tmp(), 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: cluster\.apiServer: is required by the \*-generic variants/);
  });

  test('an unknown variant lists the allowed ones', () => {
    const r = cli(['synth', '--variant', 'flannel', '--out', path.join(tmp(), 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: --variant: is not a variant (allowed: kubeovn-cilium, kubeovn-cilium-generic, cilium, cilium-generic, cilium-kilo, noop) (got "flannel")\n');
  });

  test('a missing config file is a user error', () => {
    const r = cli(['synth', '--config', '/nonexistent/platform.yaml', '--out', path.join(tmp(), 'o')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: --config: cannot read the platform file \(ENOENT: no such file\)/);
  });
});

describe('cozynet validate', () => {
  test('accepts the default platform', () => {
    const r = cli(['validate']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/is valid \(variant kubeovn-cilium, \d+ objects checked\)/);
  });
});

describe('cozynet validate DIR', () => {
  test('accepts a fresh output folder and rejects a tampered one', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    expect(cli(['synth', '--config', path.join(__dirname, '..', 'examples', 'platforms', 'contract.yaml'), '--out', out]).code).toBe(0);
    let r = cli(['validate', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/is valid \(\d+ objects in 15 files\)/);
    const lb = path.join(out, 'manifests', 'load-balancer.yaml');
    fs.writeFileSync(lb, fs.readFileSync(lb, 'utf8').replace('autoAssign: true', 'autoAssign: true\n  autoAsign: false'));
    r = cli(['validate', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/invalid: manifests\/load-balancer\.yaml: IPAddressPool\/cozy-metallb\/public: .*autoAsign/);
  });

  test('a folder that does not exist is a user error', () => {
    const r = cli(['validate', '/nonexistent-cozynet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: PATH: does not exist: give an output folder or a platform file/);
  });

  test('--config checks every synthesized object strictly', () => {
    const r = cli(['validate', '--config', path.join(__dirname, '..', 'examples', 'platforms', 'contract.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/is valid \(variant kubeovn-cilium, \d+ objects checked\)/);
  });
});
