// Issue 21 item 1: `cozynet plan`, and the bootstrap model in synth and validate.
import * as fs from 'fs';
import * as path from 'path';
import { editObjects, outputOf } from './helpers';
import { cli, inDir, tmp } from '../safety/helpers';

/** A platform whose output cannot come up: cert-manager installed without its CRDs, which the webhook's Issuers need. */
const NO_CERT_MANAGER_CRDS = 'components:\n  certManager:\n    values:\n      crds:\n        enabled: false\n';

function writeOutput(dir: string, files: Map<string, string>): void {
  for (const [f, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}

describe('cozynet plan', () => {
  test('one line per step of each path, what it waits for and why it is Ready then; exit 0 when every path converges', () => {
    const r = cli(['plan']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^cozynet plan: variant kubeovn-cilium, from an empty cluster\n\nkubectl: apply\/kubectl\.sh, line by line/);
    expect(r.out).toContain('   4. cilium (chart cilium 1.19.5, waits 10m): waits for DaemonSet cozy-cilium/cilium, Deployment cozy-cilium/cilium-operator, DaemonSet cozy-cilium/cilium-envoy | Ready then: cilium, cilium-operator, cilium-envoy use the host network (no pod address needed)\n');
    expect(r.out).toContain('   7. cert-manager (chart cert-manager v1.20.2, waits 10m): waits for Deployment cozy-cert-manager/cert-manager, Deployment cozy-cert-manager/cert-manager-webhook, Deployment cozy-cert-manager/cert-manager-cainjector, Job cozy-cert-manager/cert-manager-startupapicheck | Ready then: cert-manager, cert-manager-webhook, cert-manager-cainjector, cert-manager-startupapicheck get pod addresses: the pod network (Cilium and Kube-OVN) is up\n');
    expect(r.out).toMatch(/\nflux: flux\/\*\.yaml, HelmReleases/);
    expect(r.out).toMatch(/\nterraform: terraform\/cdk\.tf\.json, helm_release resources/);
    for (const p of ['kubectl', 'flux', 'terraform']) expect(r.out).toContain(`\n  => ${p}: converges, every release Ready\n`);
    expect(r.out).toContain('\nsteady state: no webhook with failurePolicy Fail gates the pods it needs to come back\n  => holds\n');
    expect(r.out).not.toContain('findings (');
    expect(r.code).toBe(0);
  });

  test('exit 1 while a path does not converge, the findings listed after the plan', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), NO_CERT_MANAGER_CRDS);
    const r = cli(['plan', path.join(dir, 'p.yaml')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  => kubectl: does not converge (2 findings)\n');
    expect(r.out).toMatch(/\nfindings \(6\):\n {2}error: kubectl: step kubeovn-webhook \(apply\/kubectl\.sh:\d+\): Issuer cozy-kubeovn\/kube-ovn-webhook-selfsigned-issuer/);
  });

  test('--path and --format json', () => {
    const r = cli(['plan', '--variant', 'cilium', '--path', 'terraform', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.variant).toBe('cilium');
    expect(json.converges).toBe(true);
    expect(json.paths.map((p: any) => p.path)).toEqual(['terraform']);
    expect(json.paths[0].steps.find((s: any) => s.name === 'cilium')).toMatchObject({ wait: 'waits 600s', ok: true });
  });

  test('a path or format it does not know is an error naming the flag', () => {
    expect(cli(['plan', '--path', 'helm'])).toMatchObject({ code: 1, err: 'error: --path: is not a delivery path (allowed: kubectl, flux, terraform) (got "helm")\n' });
    expect(cli(['plan', '--format', 'yaml'])).toMatchObject({ code: 1, err: 'error: --format: is not a format (allowed: text, json) (got "yaml")\n' });
  });

  test('plan DIR walks an output folder as written, and says the same as the platform\'s plan', () => {
    const out = path.join(tmp(), 'dist');
    expect(cli(['synth', '--variant', 'cilium', '--out', out]).code).toBe(0);
    const fromDir = cli(['plan', out, '--out', 'dist']);
    expect(fromDir.code).toBe(0);
    expect(fromDir.out).toBe(cli(['plan', '--variant', 'cilium']).out);
  });
});

describe('synth and validate run the model', () => {
  test('synth: an output that converges is written, with no bootstrap line', () => {
    const out = path.join(tmp(), 'dist');
    const r = cli(['synth', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^cozynet: wrote \d+ files/);
    expect(r.err).not.toContain('bootstrap');
    expect(fs.existsSync(path.join(out, 'index.json'))).toBe(true);
  });

  test('synth fails with exit 1 and writes nothing when the output cannot come up (cert-manager without its CRDs)', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), NO_CERT_MANAGER_CRDS);
    const out = path.join(dir, 'dist');
    const r = cli(['synth', path.join(dir, 'p.yaml'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: 7 problems:\n {2}- bootstrap: kubectl: step kubeovn-webhook \(apply\/kubectl\.sh:\d+\): Issuer cozy-kubeovn\/kube-ovn-webhook-selfsigned-issuer, Issuer cozy-kubeovn\/kube-ovn-webhook-ca-issuer: each needs the CRD of cert-manager\.io\/Issuer, which is not established: release cert-manager runs cert-manager without its CRDs/);
    expect(r.err).toContain('--out: nothing was written: the output above cannot come up from an empty cluster (cozynet plan shows every step)');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('synth with a preinstalled cert-manager: the model assumes it (index.json assumes), and the webhook leaves its namespace out', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), 'components:\n  certManager:\n    preinstalled: true\n    namespace: cert-manager\n');
    const out = path.join(dir, 'dist');
    const r = cli(['synth', path.join(dir, 'p.yaml'), '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')).assumes).toEqual({ certManager: { namespace: 'cert-manager' } });
    const plan = cli(['plan', out, '--out', 'dist']);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('  - cert-manager runs in namespace cert-manager before the layer (index.json: components.certManager.preinstalled)\n');
    expect(plan.out).toContain('\n  => holds\n');
    expect(fs.readFileSync(path.join(out, 'charts/kubeovn-webhook/templates/kubeovn-webhook.yaml'), 'utf8')).toMatch(/values:\n(?: +- .*\n)* +- cert-manager\n/);
    expect(plan.out).not.toMatch(/\d+\. cert-manager /);
    expect(cli(['validate', out]).code).toBe(0);
  });

  test('synth --out clusters/staging/network in a Git repository: the Flux chart paths follow --out; moved elsewhere, validate names both', () => {
    const repo = tmp();
    fs.mkdirSync(path.join(repo, '.git'));
    const r = inDir(repo, () => cli(['synth', '--variant', 'cilium', '--out', 'clusters/staging/network']));
    expect(r.code).toBe(0);
    expect(r.err).not.toContain('bootstrap');
    expect(fs.readFileSync(path.join(repo, 'clusters/staging/network/flux/releases.yaml'), 'utf8')).toContain('chart: ./clusters/staging/network/charts/namespaces');
    const plan = inDir(repo, () => cli(['plan', 'clusters/staging/network']));
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('  => flux: converges, every release Ready\n');
    expect(inDir(repo, () => cli(['validate', 'clusters/staging/network'])).code).toBe(0);
    // the same output moved in the repository: its chart paths no longer match where it is
    fs.mkdirSync(path.join(repo, 'clusters/prod'), { recursive: true });
    fs.renameSync(path.join(repo, 'clusters/staging/network'), path.join(repo, 'clusters/prod/network'));
    const v = inDir(repo, () => cli(['validate', 'clusters/prod/network']));
    expect(v.code).toBe(1);
    expect(v.err).toContain('invalid: bootstrap: flux: HelmRelease namespaces (flux/releases.yaml): chart charts/namespaces names the chart ./clusters/staging/network/charts/namespaces of GitRepository cozynet, but the output is at ./clusters/prod/network of the repository: the chart path comes from delivery.flux.path (clusters/staging/network), the output\'s place from --out (clusters/prod/network)');
    expect(inDir(repo, () => cli(['plan', 'clusters/prod/network'])).code).toBe(1);
  });

  test('validate DIR: an output whose webhook gates its own pods is invalid, naming path, step and object', () => {
    const files = editObjects(outputOf(), /^charts\/kubeovn-webhook\//, (o) => {
      if (o?.kind === 'MutatingWebhookConfiguration') delete o.webhooks[0].namespaceSelector;
      return o;
    });
    const dir = path.join(tmp(), 'out');
    writeOutput(dir, files);
    const r = cli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('invalid: bootstrap: flux: HelmRelease kubeovn-webhook (flux/releases.yaml): Deployment cozy-kubeovn/kube-ovn-webhook is waited on, and it cannot be created: MutatingWebhookConfiguration kube-ovn-webhook (failurePolicy Fail) admits its pods, and it serves that webhook itself');
  });

  test('validate PLATFORM: Hubble relay and UI on the default variant converge (no bootstrap line); an output that cannot come up is invalid', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), 'hubble: {enabled: true, relay: true, ui: true}\n');
    const r = cli(['validate', path.join(dir, 'p.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/p\.yaml is valid/);
    expect(r.err).toBe('');
    fs.writeFileSync(path.join(dir, 'q.yaml'), NO_CERT_MANAGER_CRDS);
    const q = cli(['validate', path.join(dir, 'q.yaml')]);
    expect(q.code).toBe(1);
    expect(q.err).toContain('invalid: bootstrap: flux: HelmRelease kubeovn-webhook (flux/releases.yaml): Issuer cozy-kubeovn/kube-ovn-webhook-selfsigned-issuer, Issuer cozy-kubeovn/kube-ovn-webhook-ca-issuer: each needs the CRD of cert-manager.io/Issuer');
  });
});
