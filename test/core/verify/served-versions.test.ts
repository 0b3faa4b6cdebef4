/*
 * Issue 20, finding 3: objects at API versions no cluster serves (a policy at
 * cilium.io/v3, a NetworkPolicy at networking.k8s.io/v9) are an error naming
 * them, never read as enforced policies.
 */
import { CozynetValidationError } from '../../../src/model/errors';
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { verifyTenantIsolation } from '../../../src/verify';

const CONTRACT: TenantIsolationProps = {
  tenants: [{ name: 'root', children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }],
};

describe('verifyTenantIsolation refuses objects at API versions no cluster serves (issue 20, finding 3)', () => {
  test('a policy at cilium.io/v3 or networking.k8s.io/v9 is an error naming the object, not an enforced policy', () => {
    const objects = TenantIsolation.manifests(CONTRACT);
    const k = objects.findIndex((o: any) => o.kind === 'CiliumNetworkPolicy');
    const renamed = objects.map((o: any, i: number) => (i === k ? { ...o, apiVersion: 'cilium.io/v3' } : o));
    const np = { apiVersion: 'networking.k8s.io/v9', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'tenant-beta' }, spec: { podSelector: {} } };
    expect(() => verifyTenantIsolation(CONTRACT, [...renamed, np])).toThrow(CozynetValidationError);
    let issues: any[] = [];
    try {
      verifyTenantIsolation(CONTRACT, [...renamed, np]);
    } catch (e) {
      issues = (e as CozynetValidationError).issues;
    }
    expect(issues).toEqual([
      {
        path: `objects[${k}]: CiliumNetworkPolicy ${objects[k].metadata.namespace}/${objects[k].metadata.name}`,
        value: '"cilium.io/v3"',
        message: 'apiVersion cilium.io/v3 is not served: CiliumNetworkPolicy is served at cilium.io/v2 (the CustomResourceDefinition in crds/cilium.io.yaml); no cluster holds this object, so it enforces nothing',
      },
      { path: `objects[${objects.length}]: NetworkPolicy tenant-beta/np`, value: '"networking.k8s.io/v9"', message: expect.stringMatching(/^apiVersion networking\.k8s\.io\/v9 is not served: NetworkPolicy is served at networking\.k8s\.io\/v1 /) },
    ]);
    expect(verifyTenantIsolation(CONTRACT, objects).ok).toBe(true);
  });
});
