/*
 * What keeps a large verification small (issue 20 item 8): reps share
 * their label objects, the model shares its label maps, the report's
 * endpoint list is built when read, and large runs collect garbage between
 * phases. None of it may change a verdict or a byte of the report.
 */
import * as vm from 'vm';
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { verifyTenantIsolation } from '../../../src/verify';
import { CiliumPolicyModel } from '../../../src/verify/model';
import { Layout, selectedPodLabels } from '../../../src/verify/verify';

const PROPS: TenantIsolationProps = {
  tenants: [{ name: 'root', children: [{ name: 'a', children: [{ name: 'a1' }] }, { name: 'b' }] }],
  exposures: [{ name: 'api', namespace: 'tenant-a', selector: { app: 'api' }, ports: [{ port: 443 }], from: [{ namespace: 'tenant-b', selector: { role: 'client' } }] }],
};

describe('label sets of the layout', () => {
  const cfg = resolveTenants(PROPS);
  const objects = TenantIsolation.manifests(PROPS);
  const layout = new Layout(cfg, 'cozy-system', selectedPodLabels(objects, new Set(cfg.tenants.map((t) => t.namespace))));

  test('reps of different tenants with the same labels share one frozen object, keys in sorted order', () => {
    const byKind = new Map<string, Set<object>>();
    for (const r of layout.reps) {
      if (!r.tenant) continue;
      const kind = r.id.slice(r.id.indexOf('/') + 1);
      if (!byKind.has(kind)) byKind.set(kind, new Set());
      byKind.get(kind)!.add(r.labels!);
    }
    // the pod, service and apiserver-client reps of the four tenants: one object each
    for (const kind of ['pod', 'svc:etcd', 'svc:ingress', 'api-client']) expect([kind, byKind.get(kind)!.size]).toEqual([kind, 1]);
    for (const r of layout.reps) {
      if (r.labels === undefined) continue;
      expect(Object.isFrozen(r.labels)).toBe(true);
      const keys = Object.keys(r.labels);
      expect(keys).toEqual([...keys].sort());
    }
    expect(() => {
      (layout.reps[0].labels as Record<string, string>).app = 'changed';
    }).toThrow(TypeError);
  });

  test('label sets whose texts read alike are two sets, two endpoints with ids of their own, and a verdict', () => {
    const small = resolveTenants({ tenants: [{ name: 'root' }] });
    // `a=1,b=x` is how both sets read; the first cannot label a real pod (a value holding , and =), the second can
    const selected = new Map([['tenant-root', [{ a: '1,b=x' }, { a: '1', b: 'x' }, { a1: 'bx' }, { a: '1bx' }]]]);
    const l = new Layout(small, 'cozy-system', selected);
    const reps = l.reps.filter((r) => r.role === 'tenant-selected').slice(0, 4).map((r) => `${r.id} ${JSON.stringify(r.labels)}`);
    expect(reps).toEqual([
      'tenant-root/pods:a=1,b=x {"a":"1,b=x","cozynet.io/probe":"pods-a-1-b-x"}',
      'tenant-root/pods:a=1,b=x~2 {"a":"1","b":"x","cozynet.io/probe":"pods-a-1-b-x-2"}',
      'tenant-root/pods:a1=bx {"a1":"bx","cozynet.io/probe":"pods-a1-bx"}',
      'tenant-root/pods:a=1bx {"a":"1bx","cozynet.io/probe":"pods-a-1bx"}',
    ]);
    expect(new Set(l.reps.map((r) => r.id)).size).toBe(l.reps.length);
    // the same through verify: a policy of another tenant opening to `a: 1, b: x` pods is found
    const props: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'b' }, { name: 'c' }] }] };
    const open = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'open', namespace: 'tenant-b' },
      specs: [
        { endpointSelector: { matchLabels: { a: '1,b=x' } }, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-c' } }] }] },
        { endpointSelector: { matchLabels: { a: '1', b: 'x' } }, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-c' } }] }] },
      ],
    };
    const report = verifyTenantIsolation(props, [...TenantIsolation.manifests(props), open]);
    expect(report.ok).toBe(false);
    // tenant-b alone opened both to tenant-c (tenant-c's egress policy still refuses: a tenant-authored breach)
    const opened = (dst: string) => report.tenantAuthored.opened.filter((d) => d.source === 'tenant-c/pod' && d.destination === dst).length;
    expect([opened('tenant-b/pods:a=1,b=x'), opened('tenant-b/pods:a=1,b=x~2')]).toEqual([report.endpoints[0].probes.length, report.endpoints[0].probes.length]);
  });

  test('endpoints given one labels object share one label map in the model, and keep their own identities', () => {
    const model = new CiliumPolicyModel(objects, { namespaces: layout.extraNamespaces() });
    const reach = model.evaluate(layout.endpoints(), layout.probes, { distinct: true });
    const pods = layout.reps.map((r, i) => [r, i] as const).filter(([r]) => r.tenant && r.id.endsWith('/pod'));
    expect(pods.length).toBe(4);
    const maps = new Set(pods.map(([, i]) => reach.identities[i].labels));
    expect(maps.size).toBe(1);
    expect(new Set(pods.map(([, i]) => reach.identities[i].namespace))).toEqual(new Set(['tenant-root', 'tenant-a', 'tenant-a-a1', 'tenant-b']));
    expect(pods.map(([r, i]) => reach.identities[i].endpoints)).toEqual(pods.map(([r]) => [r.id]));
  });
});

describe('the report', () => {
  test('lists its endpoints when read: the same list each time, in the JSON at its place, with sorted labels', () => {
    const report = verifyTenantIsolation(PROPS, TenantIsolation.manifests(PROPS));
    const keys = Object.keys(report);
    expect(keys.indexOf('endpoints')).toBe(keys.indexOf('legend') + 1);
    const json = JSON.parse(JSON.stringify(report));
    expect(json.endpoints.length).toBe(report.summary.endpoints);
    expect(report.endpoints).toBe(report.endpoints);
    expect(json.endpoints).toEqual(report.endpoints);
    expect(report.endpoints.find((e) => e.id === 'tenant-a/svc:etcd')).toEqual({
      id: 'tenant-a/svc:etcd',
      labels: { 'cozynet.io/probe': 'svc-etcd', 'cozystack.io/service': 'etcd' },
      namespace: 'tenant-a',
      probes: report.endpoints[0].probes,
      role: 'tenant-service',
      tenant: 'tenant-a',
    });
    // a spread copy carries the list too
    expect({ ...report }.endpoints).toBe(report.endpoints);
  });

  test('a list set before it is read replaces it', () => {
    const report = verifyTenantIsolation(PROPS, TenantIsolation.manifests(PROPS));
    (report as { endpoints: unknown }).endpoints = [];
    expect(report.endpoints).toEqual([]);
  });
});

describe('collections between the phases of large runs', () => {
  const load = () => {
    let mod!: typeof import('../../../src/model/memory');
    jest.isolateModules(() => {
      // a fresh module: the collector it finds is kept per module
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require('../../../src/model/memory');
    });
    return mod;
  };

  afterEach(() => {
    delete (globalThis as { gc?: unknown }).gc;
  });

  test('only from LARGE_RUN_ENDPOINTS endpoints, with the gc the process exposes', () => {
    const gc = jest.fn();
    (globalThis as { gc?: unknown }).gc = gc;
    const m = load();
    m.collectGarbageIfLarge(m.LARGE_RUN_ENDPOINTS - 1);
    expect(gc).not.toHaveBeenCalled();
    m.collectGarbageIfLarge(m.LARGE_RUN_ENDPOINTS);
    m.collectGarbageIfLarge(10 * m.LARGE_RUN_ENDPOINTS);
    expect(gc).toHaveBeenCalledTimes(2);
  });

  test('without an exposed gc it collects, and leaves gc hidden from code that runs later', () => {
    const m = load();
    expect(() => m.collectGarbageIfLarge(m.LARGE_RUN_ENDPOINTS)).not.toThrow();
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  });
});
