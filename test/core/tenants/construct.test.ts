import { Chart, JsonPatch, Testing } from 'cdk8s';
import { ExposurePeer, ExposurePort, TenantIsolation, TenantIsolationProps, TenantLabels, tenantIsolationManifests, tenantNamespace } from '../../../src/tenants';

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
    expect(objs[1].metadata.labels).toEqual({
      'team': 'net', 'pod-security.kubernetes.io/enforce': 'baseline', 'tenant.cozystack.io/tenant-acme': '', 'tenant.cozystack.io/tenant-root': '',
    });
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
      labels: { 'owner': 'acme', 'pod-security.kubernetes.io/enforce': 'baseline', 'tenant.cozystack.io/tenant-acme': '', 'tenant.cozystack.io/tenant-root': '' },
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

  test('pods(...).allowFrom / allowTo add exposures with generated or given names, and the props verify needs', () => {
    const props: TenantIsolationProps = {
      tenants: [{ name: 'root', children: [{ name: 'acme' }, { name: 'beta' }] }],
      exposures: [{ name: 'allow-1', namespace: 'tenant-acme', from: [{ world: true }] }],
    };
    const chart = new Chart(Testing.app(), 'tenants', { namespace: 'elsewhere' });
    const t = new TenantIsolation(chart, 'isolation', props);
    expect(t._effectiveProps()).toBe(props);
    const api = t.pods('tenant-acme', { app: 'api' });
    expect([api.namespace, api.selector]).toEqual(['tenant-acme', { app: 'api' }]);
    expect(api.allowFrom(ExposurePeer.tenant('tenant-beta'), { ports: [ExposurePort.tcp(443)], allowIcmp: true })).toBe(api);
    api.allowFrom(ExposurePeer.world());
    const client = t.pods('tenant-beta', { role: 'client' });
    expect(client.allowTo(t.pods('tenant-acme'), { name: 'direct' })).toBe(client);
    t.pods('tenant-beta').allowTo(t.pods('tenant-acme', { app: 'db' }), { allowIcmp: false });
    const objs = Testing.synth(chart);
    const exposures = objs.filter((o) => o.metadata.name.startsWith('cozynet-expose-'));
    expect(exposures.map((o) => [o.metadata.name, o.metadata.namespace])).toEqual([
      ['cozynet-expose-tenant-acme-allow-1', undefined],
      ['cozynet-expose-tenant-acme-allow-2', undefined],
      ['cozynet-expose-tenant-acme-allow-3', undefined],
      ['cozynet-expose-tenant-acme-direct', undefined],
      ['cozynet-expose-tenant-acme-allow-4', undefined],
    ]);
    expect(t._effectiveProps().exposures).toEqual([
      { name: 'allow-1', namespace: 'tenant-acme', from: [{ world: true }] },
      { name: 'allow-2', namespace: 'tenant-acme', selector: { app: 'api' }, ports: [{ port: 443, protocol: 'TCP' }], allowIcmp: true, from: [{ namespace: 'tenant-beta' }] },
      { name: 'allow-3', namespace: 'tenant-acme', selector: { app: 'api' }, from: [{ world: true }] },
      { name: 'direct', namespace: 'tenant-acme', from: [{ namespace: 'tenant-beta', selector: { role: 'client' } }] },
      { name: 'allow-4', namespace: 'tenant-acme', selector: { app: 'db' }, allowIcmp: false, from: [{ namespace: 'tenant-beta' }] },
    ]);
    expect(props.exposures).toHaveLength(1);
    expect(t.apiObjects.map((o) => o.node.id).slice(-2)).toEqual(['CiliumClusterwideNetworkPolicy-cozynet-expose-tenant-acme-direct', 'CiliumClusterwideNetworkPolicy-cozynet-expose-tenant-acme-allow-4']);
    expect(exposures[1].specs[0].ingress).toEqual([
      { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta' } }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta' } }], icmps: [{ fields: [{ family: 'IPv4', type: 8 }, { family: 'IPv6', type: 128 }] }] },
    ]);
    // The same name twice in a namespace, or a namespace outside the tree, is refused at the exposure's path; nothing is added.
    expect(() => t.pods('tenant-acme').allowFrom(ExposurePeer.world(), { name: 'direct' })).toThrow(/^exposures\[5\]\.name: duplicate exposure name in tenant-acme/);
    expect(() => t.pods('tenant-nope').allowFrom(ExposurePeer.world())).toThrow(/^exposures\[5\]\.namespace: must be the namespace of a tenant/);
    expect(t._effectiveProps().exposures).toHaveLength(5);
    expect(t.pods('tenant-acme').selector).toEqual({});
  });

  test('generated exposure names count per namespace; options not given are not set', () => {
    const props: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'acme' }, { name: 'beta' }] }] };
    const t = new TenantIsolation(new Chart(Testing.app(), 'tenants'), 'isolation', props);
    t.pods('tenant-acme').allowFrom(ExposurePeer.world());
    t.pods('tenant-acme').allowFrom(ExposurePeer.world(), { name: 'allow-2' });
    t.pods('tenant-beta').allowFrom(ExposurePeer.world());
    t.pods('tenant-acme').allowFrom(ExposurePeer.world());
    // beta's first exposure is beta's allow-1, whatever acme has
    expect(t._effectiveProps().exposures).toStrictEqual([
      { name: 'allow-1', namespace: 'tenant-acme', from: [{ world: true }] },
      { name: 'allow-2', namespace: 'tenant-acme', from: [{ world: true }] },
      { name: 'allow-1', namespace: 'tenant-beta', from: [{ world: true }] },
      { name: 'allow-3', namespace: 'tenant-acme', from: [{ world: true }] },
    ]);
    expect(props.exposures).toBeUndefined();
    expect(t.apiObjects.map((o) => o.node.id).filter((id) => id.includes('expose'))).toEqual([
      'CiliumClusterwideNetworkPolicy-cozynet-expose-tenant-acme-allow-1',
      'CiliumClusterwideNetworkPolicy-cozynet-expose-tenant-acme-allow-2',
      'CiliumClusterwideNetworkPolicy-cozynet-expose-tenant-beta-allow-1',
      'CiliumClusterwideNetworkPolicy-cozynet-expose-tenant-acme-allow-3',
    ]);
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
