import { Chart, JsonPatch, Testing } from 'cdk8s';
import { TenantIsolation, TenantIsolationProps, TenantLabels, tenantIsolationManifests, tenantNamespace } from '../../../src/tenants';

const PROPS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'acme' }] }] };

describe('TenantIsolation construct', () => {
  test('synthesizes exactly the plain objects, byte for byte, with stable construct ids', () => {
    const chart = new Chart(Testing.app(), 'tenants');
    const t = new TenantIsolation(chart, 'isolation', PROPS);
    expect(JSON.stringify(Testing.synth(chart))).toBe(JSON.stringify(TenantIsolation.manifests(PROPS)));
    expect(t.namespaces).toEqual(['tenant-root', 'tenant-acme']);
    expect(t.apiObjects.map((o) => o.node.id)).toEqual([
      'Namespace-tenant-root', 'Namespace-tenant-acme',
      'CiliumClusterwideNetworkPolicy-cozynet-tenant-baseline',
      'CiliumClusterwideNetworkPolicy-cozynet-subtree-tenant-root', 'CiliumClusterwideNetworkPolicy-cozynet-subtree-tenant-acme',
      'CiliumNetworkPolicy-tenant-root-cozynet-tenant', 'CiliumNetworkPolicy-tenant-acme-cozynet-tenant',
    ]);
    expect(t.apiObjects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'v1 Namespace', 'v1 Namespace', 'cilium.io/v2 CiliumClusterwideNetworkPolicy', 'cilium.io/v2 CiliumClusterwideNetworkPolicy',
      'cilium.io/v2 CiliumClusterwideNetworkPolicy', 'cilium.io/v2 CiliumNetworkPolicy', 'cilium.io/v2 CiliumNetworkPolicy',
    ]);
  });

  test('a chart namespace lands neither on cluster-scoped objects nor on the tenant policies', () => {
    const chart = new Chart(Testing.app(), 'tenants', { namespace: 'elsewhere' });
    new TenantIsolation(chart, 'isolation', PROPS);
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.metadata.namespace)).toEqual([undefined, undefined, undefined, undefined, undefined, 'tenant-root', 'tenant-acme']);
    expect(objs).toEqual(TenantIsolation.manifests(PROPS));
  });

  test('chart labels are added to every object', () => {
    const chart = new Chart(Testing.app(), 'tenants', { labels: { team: 'net' } });
    new TenantIsolation(chart, 'isolation', PROPS);
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.metadata.labels?.team)).toEqual(Array(7).fill('net'));
    expect(objs[1].metadata.labels).toEqual({ 'team': 'net', 'tenant.cozystack.io/tenant-acme': '', 'tenant.cozystack.io/tenant-root': '' });
  });

  test('labels, annotations and JSON patches added through the ApiObject API still apply', () => {
    const chart = new Chart(Testing.app(), 'tenants');
    const t = new TenantIsolation(chart, 'isolation', PROPS);
    t.apiObjects[1].metadata.addLabel('owner', 'acme');
    t.apiObjects[1].metadata.addAnnotation('note', 'x');
    t.apiObjects[6].addJsonPatch(JsonPatch.add('/metadata/labels', { patched: 'yes' }));
    const objs = Testing.synth(chart);
    expect(objs[1].metadata).toEqual({
      name: 'tenant-acme',
      labels: { 'owner': 'acme', 'tenant.cozystack.io/tenant-acme': '', 'tenant.cozystack.io/tenant-root': '' },
      annotations: { note: 'x' },
    });
    expect(objs[6].metadata).toEqual({ name: 'cozynet-tenant', namespace: 'tenant-acme', labels: { patched: 'yes' } });
    // The untouched objects are still the plain ones.
    expect(objs[0]).toEqual(TenantIsolation.manifests(PROPS)[0]);
  });

  test('untouched objects render their plain metadata without copying; touched ones from cdk8s', () => {
    const plain = new TenantIsolation(new Chart(Testing.app(), 'tenants'), 'isolation', PROPS);
    for (const o of plain.apiObjects) expect(o.toJson().metadata).toBe(o.toJson().metadata);
    const labelled = new TenantIsolation(new Chart(Testing.app(), 'tenants', { labels: { a: 'b' } }), 'isolation', PROPS);
    for (const o of labelled.apiObjects) expect(o.toJson().metadata).not.toBe(o.toJson().metadata);
    const patched = new TenantIsolation(new Chart(Testing.app(), 'tenants'), 'isolation', PROPS);
    patched.apiObjects[0].addJsonPatch(JsonPatch.add('/metadata/annotations', { a: 'b' }));
    expect(patched.apiObjects[0].toJson().metadata).not.toBe(patched.apiObjects[0].toJson().metadata);
    expect(patched.apiObjects[0].toJson().metadata.annotations).toEqual({ a: 'b' });
  });

  test('JSON patches apply once per synthesis, however often the chart is synthesized', () => {
    const chart = new Chart(Testing.app(), 'tenants');
    const t = new TenantIsolation(chart, 'isolation', { tenants: [{ name: 'root' }] });
    t.apiObjects[3].addJsonPatch(JsonPatch.add('/specs/0/egress/-', { toEntities: ['host'] }));
    t.apiObjects[0].addJsonPatch(JsonPatch.remove('/metadata/labels'));
    const egress = () => Testing.synth(chart)[3].specs[0].egress;
    expect(egress()).toEqual([{ toEndpoints: [expect.any(Object)] }, { toEntities: ['world'] }, { toEntities: ['host'] }]);
    expect(egress()).toHaveLength(3);
    expect(Testing.synth(chart)[0].metadata).toEqual({ name: 'tenant-root' });
    expect(Testing.synth(chart)[0].metadata).toEqual({ name: 'tenant-root' });
  });

  test('the pure functions and the label constants', () => {
    expect(tenantIsolationManifests(PROPS)).toEqual(TenantIsolation.manifests(PROPS));
    expect(TenantIsolation.manifests(PROPS)).toHaveLength(7);
    expect(tenantNamespace(['root', 'acme', 'dev'])).toBe('tenant-acme-dev');
    expect(TenantIsolation.namespaceFor(['root'])).toBe('tenant-root');
    expect(TenantIsolation.namespaceFor(['root', 'a', 'b'])).toBe('tenant-a-b');
    expect(TenantLabels.tenantLabel('tenant-acme')).toBe('tenant.cozystack.io/tenant-acme');
    expect([TenantLabels.TENANT_PREFIX, TenantLabels.SERVICE, TenantLabels.ALLOW_API_SERVER, TenantLabels.SYSTEM_NAMESPACE]).toEqual([
      'tenant.cozystack.io/', 'cozystack.io/service', 'policy.cozystack.io/allow-to-apiserver', 'cozystack.io/system',
    ]);
  });

  test('bad props are refused before anything is created', () => {
    const chart = new Chart(Testing.app(), 'tenants');
    expect(() => new TenantIsolation(chart, 'isolation', { tenants: [{ name: 'x' }] })).toThrow('tenants[0].name: the top-level tenant must be named "root" (got "x")');
    expect(() => TenantIsolation.manifests({ tenants: [] })).toThrow(/exactly one top-level tenant/);
  });
});
