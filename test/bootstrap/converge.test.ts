// Issue 21 item 3 (b): the outputs the renderers already get right come up
// from an empty cluster on all three delivery paths.
import { outputOf, report, WITH_CERT_MANAGER } from './helpers';
import { checkBootstrap } from '../../src/bootstrap';
import { propsFor } from '../helpers/synth';

const VARIANTS = ['kubeovn-cilium', 'kubeovn-cilium-generic', 'cilium', 'cilium-generic', 'cilium-kilo', 'noop'];

describe.each(VARIANTS)('variant %s, without Hubble relay/UI', (variant) => {
  const files = outputOf(propsFor(variant));

  test('every path converges, every release Ready, when the cluster runs cert-manager in a system namespace', () => {
    const r = report(files, WITH_CERT_MANAGER);
    expect(r.paths.map((p) => p.path)).toEqual(['kubectl', 'flux', 'terraform']);
    expect(r.findings.map((f) => f.message)).toEqual([]);
    for (const p of r.paths) {
      expect(p.steps.length).toBeGreaterThan(0);
      expect(p.steps.every((s) => s.ok)).toBe(true);
    }
  });

  test('from a bare empty cluster, every path converges with no finding at all (cert-manager is part of the layer)', () => {
    const { report: r, errors } = checkBootstrap(files);
    expect(errors.map((f) => f.message)).toEqual([]);
    expect(r.findings).toEqual([]);
  });
});

test('noop with cni: cilium and tenants: the cluster\'s own Cilium brings the cilium.io CRDs the tenant policies need', () => {
  const files = outputOf({ variant: 'noop', cni: 'cilium', tenants: [{ name: 'root', children: [{ name: 'acme' }] }] } as any);
  const r = report(files);
  expect(r.findings.map((f) => f.message)).toEqual([]);
  expect(r.assumptions[0]).toBe('variant noop: the cluster brings its own CNI, running before the layer (every pod gets an address; with cni: cilium, its cilium.io CRDs exist)');
});

test('the plan of the default platform names each step of each path with its wait', () => {
  const r = report(outputOf(), WITH_CERT_MANAGER);
  const kubectl = r.paths.find((p) => p.path === 'kubectl')!;
  expect(kubectl.steps.map((s) => s.name)).toEqual(['namespaces', 'gateway-api-crds', 'cilium-manifests', 'cilium', 'cilium-networkpolicy', 'kubeovn', 'cert-manager', 'kubeovn-webhook', 'metallb', 'multus', 'cozy-proxy']);
  const cilium = kubectl.steps.find((s) => s.name === 'cilium')!;
  expect(cilium.wait).toBe('waits 10m');
  expect(cilium.waitsFor).toEqual(['DaemonSet cozy-cilium/cilium', 'Deployment cozy-cilium/cilium-operator', 'DaemonSet cozy-cilium/cilium-envoy']);
  expect(cilium.ready).toMatch(/use the host network/);
  const flux = r.paths.find((p) => p.path === 'flux')!;
  expect(flux.steps.find((s) => s.name === 'metallb')!.after).toEqual(['namespaces', 'cilium', 'kubeovn']);
  expect(flux.steps.find((s) => s.name === 'metallb')!.ready).toMatch(/metallb-controller, metallb-frr-k8s-statuscleaner get pod addresses: the pod network \(Cilium and Kube-OVN\) is up/);
  const tf = r.paths.find((p) => p.path === 'terraform')!;
  expect(tf.steps.find((s) => s.name === 'kubeovn')!.wait).toBe('waits 600s');
  expect(flux.steps.find((s) => s.name === 'kubeovn')!.wait).toBe('waits 10m');
  // cert-manager after the pod network (its pods need addresses), before the webhook whose certificate it issues
  const names = kubectl.steps.map((s) => s.name);
  expect(names.indexOf('kubeovn')).toBeLessThan(names.indexOf('cert-manager'));
  expect(names.indexOf('cert-manager')).toBeLessThan(names.indexOf('kubeovn-webhook'));
  expect(flux.steps.find((s) => s.name === 'kubeovn-webhook')!.after).toEqual(['namespaces', 'kubeovn', 'cert-manager']);
  // issue 21 item 5: one delivery.timeout on all three paths, so no note about different waits
  expect(r.notes).toEqual([]);
});
