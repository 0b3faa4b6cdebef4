// Issue 21 item 3 (c): over random platform files (variant × Hubble relay/UI
// × Flux settings × Terraform × delivery.timeout × tenants × webhook ×
// cert-manager (the layer's, or preinstalled) × subnets), every synthesized
// output converges on all three delivery paths by the bootstrap model, with
// every line of every path read (no note), or synthesis refuses the file
// (exit 1, a CozynetValidationError: subnets on a variant without Kube-OVN).
// Fixed seed and a bounded run count (COZYNET_BOOTSTRAP_RUNS to raise it);
// the generator is checked to reach the combinations the issue names.
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { PlatformProps } from '../../src';
import { checkBootstrap } from '../../src/bootstrap';
import { CozynetValidationError } from '../../src/model/errors';
import { API_SERVER, synth } from '../helpers/synth';

const RUNS = Number(process.env.COZYNET_BOOTSTRAP_RUNS ?? 60);
const SEED = Number(process.env.COZYNET_PROPERTY_SEED ?? 20261207);

const VARIANTS = ['kubeovn-cilium', 'kubeovn-cilium-generic', 'cilium', 'cilium-generic', 'cilium-kilo', 'noop'];

interface Case {
  variant: string;
  relay: boolean;
  ui: boolean;
  fluxNamespace?: string;
  fluxPath?: string;
  tenants: boolean;
  subnets: boolean;
  /** The anti-spoofing webhook: as default (cert-manager), off, or with a CA of your own. */
  webhook: 'default' | 'off' | 'own-ca';
  /** cert-manager: the layer's (where the webhook needs it), or one the cluster runs already. */
  certManager: 'layer' | 'preinstalled';
  /** delivery.timeout (default 10m). */
  timeout?: string;
}

const CA = Buffer.from(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'webhook-ca', 'ca1.pem'), 'utf8')).toString('base64');

const cases: fc.Arbitrary<Case> = fc.record({
  variant: fc.constantFrom(...VARIANTS),
  relay: fc.boolean(),
  ui: fc.boolean(),
  fluxNamespace: fc.constantFrom(undefined, 'cozy-fluxcd', 'flux-system'),
  fluxPath: fc.constantFrom(undefined, 'dist', 'clusters/prod/network'),
  tenants: fc.boolean(),
  subnets: fc.boolean(),
  webhook: fc.constantFrom('default', 'off', 'own-ca'),
  certManager: fc.constantFrom('layer', 'preinstalled'),
  timeout: fc.constantFrom(undefined, '5m', '1h30m'),
}, { requiredKeys: ['variant', 'relay', 'ui', 'tenants', 'subnets', 'webhook', 'certManager'] }) as fc.Arbitrary<Case>;

function propsOf(c: Case): PlatformProps {
  return {
    variant: c.variant,
    ...(c.variant.endsWith('-generic') ? { cluster: { apiServer: API_SERVER } } : {}),
    ...(c.variant === 'noop' && c.tenants ? { cni: 'cilium' } : {}),
    hubble: { enabled: c.relay || c.ui, relay: c.relay, ui: c.ui },
    delivery: {
      flux: { ...(c.fluxNamespace ? { namespace: c.fluxNamespace } : {}), ...(c.fluxPath ? { path: c.fluxPath } : {}) },
      terraform: true,
      ...(c.timeout ? { timeout: c.timeout } : {}),
    },
    ...(c.tenants ? { tenants: [{ name: 'root', children: [{ name: 'acme' }] }] } : {}),
    components: {
      ...(c.webhook === 'off' && c.variant.startsWith('kubeovn') ? { kubeovnWebhook: { enabled: false } } : {}),
      ...(c.webhook === 'own-ca' && c.variant.startsWith('kubeovn') ? { kubeovnWebhook: { certManager: false, caBundle: CA } } : {}),
      ...(c.certManager === 'preinstalled' ? { certManager: { preinstalled: true, namespace: 'cert-manager' } } : {}),
    },
    ...(c.subnets ? { subnets: [{ name: 'vms', cidr: '10.245.0.0/24', namespaces: [c.tenants ? 'tenant-acme' : 'default'] }] } : {}),
  } as PlatformProps;
}

const KUBEOVN = (c: Case) => c.variant.startsWith('kubeovn');

test('every synthesized output converges on kubectl, Flux and Terraform, or synthesis refuses the file', () => {
  let refused = 0;
  let converged = 0;
  let checked = 0;
  /** Converging outputs of the combinations the issue names. */
  const reached = { hubbleOnKubeOvn: 0, preinstalledWithWebhook: 0, layerCertManager: 0, subnetsOnKubeOvn: 0, timeout: 0 };
  fc.assert(fc.property(cases, (c) => {
    let files: Map<string, string>;
    try {
      files = synth(propsOf(c), { terraform: true }).files;
    } catch (e) {
      // a refusal is a user error naming the field, never a crash; and only where the file asks for what cannot work
      if (!(e instanceof CozynetValidationError)) throw e;
      expect([c.subnets && !KUBEOVN(c), e.message]).toEqual([true, expect.stringMatching(/subnets/)]);
      refused++;
      return;
    }
    expect([c.subnets && !KUBEOVN(c), 'subnets refused']).toEqual([false, 'subnets refused']);
    checked++;
    const { report, errors } = checkBootstrap(files, { location: c.fluxPath ?? 'dist' });
    expect(report.paths.map((p) => p.path)).toEqual(['kubectl', 'flux', 'terraform']);
    // nothing synth would refuse, and every line of every path read by the model
    expect(errors.map((f) => f.message)).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([]);
    for (const p of report.paths) expect(p.steps.every((st) => st.ok)).toBe(true);
    // the wait of every path is delivery.timeout
    const waits = new Set(report.paths.flatMap((p) => p.steps.filter((st) => st.wait !== 'no wait').map((st) => st.wait)));
    const want = c.timeout === '5m' ? ['waits 5m', 'waits 300s'] : c.timeout === '1h30m' ? ['waits 1h30m', 'waits 5400s'] : ['waits 10m', 'waits 600s'];
    for (const w of waits) expect(want).toContain(w);
    // cert-manager: installed by the layer exactly when the webhook needs it and the cluster does not run it
    const needsCertManager = KUBEOVN(c) && c.webhook === 'default';
    const kubectl = report.paths.find((p) => p.path === 'kubectl')!.steps.map((st) => st.name);
    expect([kubectl.includes('cert-manager'), 'cert-manager step']).toEqual([needsCertManager && c.certManager === 'layer', 'cert-manager step']);
    if (kubectl.includes('cert-manager')) {
      expect(kubectl.indexOf('kubeovn')).toBeLessThan(kubectl.indexOf('cert-manager'));
      expect(kubectl.indexOf('cert-manager')).toBeLessThan(kubectl.indexOf('kubeovn-webhook'));
    }
    converged++;
    if (KUBEOVN(c) && c.relay && c.ui) reached.hubbleOnKubeOvn++;
    if (needsCertManager && c.certManager === 'preinstalled') reached.preinstalledWithWebhook++;
    if (needsCertManager && c.certManager === 'layer') reached.layerCertManager++;
    if (KUBEOVN(c) && c.subnets) reached.subnetsOnKubeOvn++;
    if (c.timeout) reached.timeout++;
  }), { seed: SEED, numRuns: RUNS });
  // the generator reaches outputs that converge, the combinations the issue names among them, and refusals
  expect(checked).toBeGreaterThan(RUNS / 2);
  expect(converged).toBe(checked);
  expect(refused).toBeGreaterThan(0);
  for (const [k, n] of Object.entries(reached)) expect([k, n > 0]).toEqual([k, true]);
});
