// Issue 21 item 1: `cozynet plan`, and the bootstrap model in synth and validate.
import * as fs from 'fs';
import * as path from 'path';
import { editObjects, outputOf } from './helpers';
import { TOLERATED_FINDINGS } from '../../src/bootstrap';
import { FindingCode } from '../../src/bootstrap/model';
import { cli, inDir, tmp } from '../safety/helpers';

function writeOutput(dir: string, files: Map<string, string>): void {
  for (const [f, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}

describe('cozynet plan', () => {
  test('one line per step of each path, what it waits for and why it is Ready then; exit 1 while a path does not converge', () => {
    const r = cli(['plan']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^cozynet plan: variant kubeovn-cilium, from an empty cluster\n\nkubectl: apply\/kubectl\.sh, line by line/);
    expect(r.out).toContain('   4. cilium (chart cilium 1.19.5, waits 10m): waits for DaemonSet cozy-cilium/cilium, Deployment cozy-cilium/cilium-operator, DaemonSet cozy-cilium/cilium-envoy | Ready then: cilium, cilium-operator, cilium-envoy use the host network (no pod address needed)\n');
    expect(r.out).toMatch(/\nflux: flux\/\*\.yaml, HelmReleases/);
    expect(r.out).toMatch(/\nterraform: terraform\/cdk\.tf\.json, helm_release resources/);
    expect(r.out).toMatch(/\nfindings \(\d+\):\n {2}error: kubectl: step kubeovn-webhook/);
    expect(r.code).toBe(1);
  });

  test('--path and --format json', () => {
    const r = cli(['plan', '--variant', 'cilium', '--path', 'terraform', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.variant).toBe('cilium');
    expect(json.converges).toBe(true);
    expect(json.paths.map((p: any) => p.path)).toEqual(['terraform']);
    expect(json.paths[0].steps.find((s: any) => s.name === 'cilium')).toMatchObject({ wait: 'waits 300s', ok: true });
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
  test('synth: the findings the renderers still produce are one line after the summary (cozynet plan lists them)', () => {
    const out = path.join(tmp(), 'dist');
    const r = cli(['synth', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^cozynet: wrote \d+ files[^\n]*\ncozynet: 11 bootstrap findings known to the renderers, not enforced yet \(cozynet plan shows them\)\n$/);
  });

  test('synth fails with exit 1 and writes nothing once a finding is enforced (the switch TOLERATED_FINDINGS)', () => {
    const set = TOLERATED_FINDINGS as Set<FindingCode>;
    set.delete('cert-manager');
    try {
      const out = path.join(tmp(), 'dist');
      const r = cli(['synth', '--out', out]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error: \d+ problems:\n {2}- bootstrap: kubectl: step kubeovn-webhook \(apply\/kubectl\.sh:\d+\): Issuer cozy-kubeovn\/kube-ovn-webhook-selfsigned-issuer, Issuer cozy-kubeovn\/kube-ovn-webhook-ca-issuer: each needs the CRD of cert-manager\.io\/Issuer/);
      expect(r.err).toContain('--out: nothing was written: the output above cannot come up from an empty cluster (cozynet plan shows every step)');
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      set.add('cert-manager');
    }
  });

  test('synth --out clusters/staging/network in a Git repository: the Flux chart paths do not match (delivery.flux.path, --out)', () => {
    const repo = tmp();
    fs.mkdirSync(path.join(repo, '.git'));
    const r = inDir(repo, () => cli(['synth', '--variant', 'cilium', '--out', 'clusters/staging/network']));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\ncozynet: \d+ bootstrap findings known to the renderers/);
    const plan = inDir(repo, () => cli(['plan', 'clusters/staging/network']));
    expect(plan.out).toContain('error: flux: HelmRelease namespaces (flux/releases.yaml): chart charts/namespaces names the chart ./dist/charts/namespaces of GitRepository cozynet, but the output is at ./clusters/staging/network of the repository: the chart path comes from delivery.flux.path (dist), the output\'s place from --out (clusters/staging/network)');
    const v = inDir(repo, () => cli(['validate', 'clusters/staging/network']));
    expect(v.code).toBe(0);
    expect(v.err).toContain('warning: bootstrap: flux: HelmRelease namespaces (flux/releases.yaml): chart charts/namespaces names the chart ./dist/charts/namespaces');
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

  test('validate PLATFORM reports the known findings as warnings and stays valid', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'p.yaml'), 'hubble: {enabled: true, relay: true, ui: true}\n');
    const r = cli(['validate', path.join(dir, 'p.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/p\.yaml is valid/);
    expect(r.err).toContain('warning: bootstrap: kubectl: step cilium (apply/kubectl.sh:');
    expect(r.err).toContain('Deployment cozy-cilium/hubble-relay, Deployment cozy-cilium/hubble-ui: each is waited on, and it gets no pod address before release kubeovn (pod network: Cilium and Kube-OVN)');
  });
});
