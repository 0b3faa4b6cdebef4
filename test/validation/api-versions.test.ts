// Issue 20, finding 3: a kind cozynet knows, at an API version no cluster
// serves, is named (with the versions that are served), never read as if a
// cluster held it.
import * as path from 'path';
import { CozynetValidationError } from '../../src/model/errors';
import { assertServedVersions, scanCrdDocument, servedKinds, servedVersionProblem } from '../../src/validation/api-versions';
import { CrdCatalog } from '../../src/validation/crd-catalog';
import { ObjectValidator } from '../../src/validation/object-validator';

describe('served API versions', () => {
  test('the line scan of crds/ agrees with the parsed CRDs (every served version of every kind)', () => {
    const parsed = new CrdCatalog(path.join(__dirname, '..', '..', 'crds')).all().map((v) => `${v.group}/${v.version} ${v.kind}`).sort();
    const scanned = servedKinds().filter((k) => k.source.startsWith('the CustomResourceDefinition'))
      .flatMap((k) => k.versions.map((v) => `${k.group}/${v} ${k.kind}`)).sort();
    expect(scanned).toEqual(parsed);
    expect(scanned).toContain('cilium.io/v2 CiliumNetworkPolicy');
    expect(scanned).toContain('metallb.io/v1beta2 BGPPeer');
  });

  test('a version marked served: false, comments and deeper name keys are read right', () => {
    const doc = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'spec:',
      '  group: example.com',
      '  names:',
      '    plural: widgets',
      '    kind: Widget',
      '  versions:',
      '  - name: v1',
      '    # a comment',
      '    served: true',
      '    schema:',
      '      openAPIV3Schema:',
      '        properties:',
      '          name: { type: string }',
      '  - served: false',
      '    name: v1beta1',
      '  - name: "v2"',
      '  scope: Namespaced',
    ].join('\n');
    expect(scanCrdDocument(doc)).toEqual({ group: 'example.com', kind: 'Widget', versions: ['v1', 'v2'] });
    expect(scanCrdDocument('kind: ConfigMap\n')).toBeUndefined();
  });

  test.each<[string, any, RegExp | undefined]>([
    ['a Cilium policy at v3', { apiVersion: 'cilium.io/v3', kind: 'CiliumNetworkPolicy' },
      /^apiVersion cilium\.io\/v3 is not served: CiliumNetworkPolicy is served at cilium\.io\/v2 \(the CustomResourceDefinition in crds\/cilium\.io\.yaml\); no cluster holds this object, so it enforces nothing$/],
    ['a clusterwide policy at v2alpha1', { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumClusterwideNetworkPolicy' }, /served at cilium\.io\/v2 /],
    ['a NetworkPolicy at v9', { apiVersion: 'networking.k8s.io/v9', kind: 'NetworkPolicy' },
      /^apiVersion networking\.k8s\.io\/v9 is not served: NetworkPolicy is served at networking\.k8s\.io\/v1 \(the Kubernetes API the layer targets/],
    ['a NetworkPolicy of the old extensions group', { apiVersion: 'extensions/v1beta1', kind: 'NetworkPolicy' }, /served at networking\.k8s\.io\/v1/],
    ['a Namespace at v2', { apiVersion: 'v2', kind: 'Namespace' }, /^apiVersion v2 is not served: Namespace is served at v1 /],
    ['a Namespace without apiVersion', { kind: 'Namespace' }, /^has no apiVersion: Namespace is served at v1;/],
    ['a MetalLB pool at v1alpha1', { apiVersion: 'metallb.io/v1alpha1', kind: 'IPAddressPool' }, /served at metallb\.io\/v1beta1 /],
    ['served', { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' }, undefined],
    ['served, core', { apiVersion: 'v1', kind: 'Namespace' }, undefined],
    ['a second served version', { apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer' }, undefined],
    ['a kind cozynet does not know', { apiVersion: 'cilium.io/v2', kind: 'CiliumEndpoint' }, undefined],
    ['a known kind name in a group cozynet does not know', { apiVersion: 'serving.knative.dev/v1', kind: 'Service' }, undefined],
    ['not an object', 'Namespace', undefined],
  ])('%s', (_name, obj, want) => {
    const got = servedVersionProblem(obj);
    if (want) expect(got?.message).toMatch(want);
    else expect(got).toBeUndefined();
  });

  test('assertServedVersions names each object by index, kind, namespace and name', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a' } },
      { apiVersion: 'cilium.io/v3', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'tenant-a' } },
      { apiVersion: 'networking.k8s.io/v9', kind: 'NetworkPolicy', metadata: {} },
    ];
    expect(() => assertServedVersions(objects.slice(0, 1))).not.toThrow();
    let error: CozynetValidationError | undefined;
    try {
      assertServedVersions(objects);
    } catch (e) {
      error = e as CozynetValidationError;
    }
    expect(error).toBeInstanceOf(CozynetValidationError);
    expect(error!.issues.map((i) => [i.path, i.value])).toEqual([
      ['objects[1]: CiliumNetworkPolicy tenant-a/p', '"cilium.io/v3"'],
      ['objects[2]: NetworkPolicy (unnamed)', '"networking.k8s.io/v9"'],
    ]);
  });

  test('the object validator says which versions are served instead of "no schema is known"', () => {
    expect(ObjectValidator.shared().validate({ apiVersion: 'cilium.io/v3', kind: 'CiliumNetworkPolicy', metadata: { name: 'x' } })).toEqual([
      { path: '/apiVersion', message: expect.stringMatching(/^apiVersion cilium\.io\/v3 is not served: CiliumNetworkPolicy is served at cilium\.io\/v2 /) },
    ]);
  });
});
