import { Variant } from '../src';
import { propsFor, synth } from './helpers/synth';
import { validateObjects } from '../src/validation/object-validator';

describe.each(Variant.names())('every object of variant %s validates strictly', (variant) => {
  const out = synth({ ...propsFor(variant), hubble: { enabled: true } });

  test('manifests validate against their CRD or the Kubernetes schema', () => {
    const objects = out.objects();
    expect(objects.length).toBeGreaterThan(0);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('Flux objects validate against the Flux CRDs', () => {
    const flux = out.flux();
    expect(flux.map((o) => o.kind)).toContain('HelmRelease');
    expect(validateObjects(flux)).toEqual([]);
  });
});

test('a broken object is reported', () => {
  const out = synth({});
  const ds = JSON.parse(JSON.stringify(out.objects().find((o) => o.kind === 'DaemonSet')));
  ds.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
  expect(validateObjects([ds]).join('\n')).toMatch(/imagePullPolicyy/);
});
