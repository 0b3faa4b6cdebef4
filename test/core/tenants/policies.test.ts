import { TenantIsolationProps } from '../../../src/tenants';
import { renderTenantIsolation, sortKeysDeep } from '../../../src/tenants/policies';
import { resolveTenants } from '../../../src/tenants/tree';
import { CiliumPolicyModel, ModelEndpoint } from '../../../src/verify/model';

const manifests = (props: TenantIsolationProps) => renderTenantIsolation(resolveTenants(props));
const byName = (objs: any[], kind: string, name: string, namespace?: string) => {
  const hits = objs.filter((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  if (hits.length !== 1) throw new Error(`expected one ${kind} ${namespace ?? ''}/${name}, found ${hits.length}`);
  return hits[0];
};

/** Every object: apiVersion, kind, metadata first, then the other keys sorted; every nested object sorted. */
function expectKeyOrder(obj: any): void {
  const top = Object.keys(obj);
  expect(top.slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
  expect(top.slice(3)).toEqual([...top.slice(3)].sort());
  const walk = (v: any, at: string) => {
    if (Array.isArray(v)) {v.forEach((x, i) => walk(x, `${at}[${i}]`));} else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      expect([at, keys]).toEqual([at, [...keys].sort()]);
      for (const k of keys) walk(v[k], `${at}.${k}`);
    }
  };
  walk(obj.metadata, 'metadata');
  for (const k of top.slice(3)) walk(obj[k], k);
}

describe('sortKeysDeep', () => {
  test('sorts keys at every depth, also inside arrays, and drops undefined values', () => {
    const input = { b: 1, a: { d: [{ z: 1, y: { q: 1, p: 2 } }, 3, null, 'x'], c: undefined }, c: [[{ b: 1, a: 2 }]] };
    const out = sortKeysDeep(input);
    expect(JSON.stringify(out)).toBe('{"a":{"d":[{"y":{"p":2,"q":1},"z":1},3,null,"x"]},"b":1,"c":[[{"a":2,"b":1}]]}');
    expect('c' in out.a).toBe(false);
    // The input is not changed.
    expect(JSON.stringify(input)).toBe('{"b":1,"a":{"d":[{"z":1,"y":{"q":1,"p":2}},3,null,"x"]},"c":[[{"b":1,"a":2}]]}');
  });

  test('keys already in order: deeper disorder is still sorted, the untouched keys before it are kept', () => {
    const out = sortKeysDeep({ a: 1, b: { y: 1, x: 2 }, c: 3 });
    expect(JSON.stringify(out)).toBe('{"a":1,"b":{"x":2,"y":1},"c":3}');
    expect(JSON.stringify(sortKeysDeep({ a: [1, { d: 1, c: 2 }], b: 2 }))).toBe('{"a":[1,{"c":2,"d":1}],"b":2}');
    expect(JSON.stringify(sortKeysDeep([{ a: 1 }, { c: 1, b: 2 }, { d: 1 }]))).toBe('[{"a":1},{"b":2,"c":1},{"d":1}]');
    expect(Object.keys(sortKeysDeep({ a: 1, b: undefined }))).toEqual(['a']);
    expect(Object.keys(sortKeysDeep({ a: undefined, b: 1 }))).toEqual(['b']);
    expect(Object.keys(sortKeysDeep({ b: 1, a: undefined }))).toEqual(['b']);
    // Copying from the first changed key on: no stray keys.
    expect(Object.keys(sortKeysDeep({ a: 1, b: { y: 1, x: 2 }, c: 3 }))).toEqual(['a', 'b', 'c']);
    expect(Object.keys(sortKeysDeep({ a: { y: 1, x: 2 } }))).toEqual(['a']);
  });

  test('values already in that form are returned as they are (no copy)', () => {
    const sorted = { a: [1, { b: 2, c: [{ d: 1 }] }], e: { f: 'x' } };
    expect(sortKeysDeep(sorted)).toBe(sorted);
    const list = [{ a: 1 }, 2, 'x'];
    expect(sortKeysDeep(list)).toBe(list);
    expect(sortKeysDeep('x')).toBe('x');
    expect(sortKeysDeep(null)).toBeNull();
    expect(sortKeysDeep(undefined)).toBeUndefined();
    // A copy only from the first changed element on; elements before it are the same objects.
    const first = { a: 1 };
    const copied = sortKeysDeep([first, { c: 1, b: 2 }]);
    expect(copied[0]).toBe(first);
    const inner = { x: 1 };
    const obj = sortKeysDeep({ a: inner, b: { d: 1, c: 1 } });
    expect(obj.a).toBe(inner);
  });
});

describe('tenant isolation objects', () => {
  const PROPS: TenantIsolationProps = {
    tenants: [{
      name: 'root',
      children: [
        { name: 'acme', sharedServices: ['ingress'], allowWorldIngress: true, allowFromRemoteNode: true, children: [{ name: 'dev', sharedServices: [] }] },
        { name: 'beta', allowApiServer: false, allowWorldEgress: false, allowFromApiServer: false },
      ],
    }],
  };

  test('key order of every emitted object is pinned: apiVersion, kind, metadata, then sorted at every depth', () => {
    const objs = manifests(PROPS);
    expect(objs).toHaveLength(1 + 3 * 4);
    for (const o of objs) expectKeyOrder(o);
    expect(JSON.stringify(byName(objs, 'Namespace', 'tenant-acme-dev'))).toBe(
      '{"apiVersion":"v1","kind":"Namespace","metadata":{"labels":{"pod-security.kubernetes.io/enforce":"baseline","tenant.cozystack.io/tenant-acme":"","tenant.cozystack.io/tenant-acme-dev":"",' +
      '"tenant.cozystack.io/tenant-root":""},"name":"tenant-acme-dev"}}');
    expect(JSON.stringify(byName(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-subtree-tenant-acme-dev'))).toBe(
      '{"apiVersion":"cilium.io/v2","kind":"CiliumClusterwideNetworkPolicy","metadata":{"name":"cozynet-subtree-tenant-acme-dev"},' +
      '"spec":{"description":"tenant-acme-dev and its sub-tenants accept connections from the pods of tenant-acme-dev (ingress half of within-tenant and ancestor-to-descendant traffic)",' +
      '"endpointSelector":{"matchLabels":{"k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/tenant-acme-dev":""}},' +
      '"ingress":[{"fromEndpoints":[{"matchLabels":{"k8s:io.kubernetes.pod.namespace":"tenant-acme-dev"}}]}]}}');
  });

  test('the per-tenant policy: subtree egress, world egress, shared services, kube-apiserver opt-in, world ingress, as set', () => {
    const objs = manifests(PROPS);
    const nsSel = (ns: string) => ({ matchLabels: { [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' } });
    const kinds = (values: string[]) => ({ matchExpressions: [{ key: 'k8s:cozystack.io/service', operator: 'In', values }] });
    const specs = (ns: string) => byName(objs, 'CiliumNetworkPolicy', 'cozynet-tenant', ns).specs.map(({ description: _d, ...rest }: any) => rest);
    expect(specs('tenant-acme')).toEqual([
      { endpointSelector: {}, egress: [{ toEndpoints: [nsSel('tenant-acme')] }, { toEntities: ['world'] }] },
      { endpointSelector: kinds(['ingress']), ingress: [{ fromEndpoints: [nsSel('tenant-acme')] }] },
      { endpointSelector: { matchLabels: { 'k8s:policy.cozystack.io/allow-to-apiserver': 'true' } }, egress: [{ toEntities: ['kube-apiserver'] }] },
      { endpointSelector: {}, ingress: [{ fromEntities: ['world', 'kube-apiserver', 'remote-node'] }] },
    ]);
    expect(specs('tenant-beta')).toEqual([
      { endpointSelector: {}, egress: [{ toEndpoints: [nsSel('tenant-beta')] }] },
      { endpointSelector: kinds(['etcd', 'ingress', 'monitoring']), ingress: [{ fromEndpoints: [nsSel('tenant-beta')] }] },
    ]);
    const custom = manifests({ apiServerAccessLabel: 'example.com/api', tenants: [{ name: 'root', sharedServices: [] }] });
    expect(byName(custom, 'CiliumNetworkPolicy', 'cozynet-tenant', 'tenant-root').specs[1].endpointSelector)
      .toEqual({ matchLabels: { 'k8s:example.com/api': 'true' } });
  });

  test('no world-facing service kinds: the baseline has no world ingress part', () => {
    const objs = manifests({ tenants: [{ name: 'root' }], worldIngressServices: [] });
    expect(byName(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-tenant-baseline').specs).toHaveLength(1);
  });

  test('the order of objects: namespaces, baseline, subtree policies, tenant policies, each in tree pre-order', () => {
    expect(manifests(PROPS).map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace /tenant-root', 'Namespace /tenant-acme', 'Namespace /tenant-acme-dev', 'Namespace /tenant-beta',
      'CiliumClusterwideNetworkPolicy /cozynet-tenant-baseline',
      'CiliumClusterwideNetworkPolicy /cozynet-subtree-tenant-root', 'CiliumClusterwideNetworkPolicy /cozynet-subtree-tenant-acme',
      'CiliumClusterwideNetworkPolicy /cozynet-subtree-tenant-acme-dev', 'CiliumClusterwideNetworkPolicy /cozynet-subtree-tenant-beta',
      'CiliumNetworkPolicy tenant-root/cozynet-tenant', 'CiliumNetworkPolicy tenant-acme/cozynet-tenant',
      'CiliumNetworkPolicy tenant-acme-dev/cozynet-tenant', 'CiliumNetworkPolicy tenant-beta/cozynet-tenant',
    ]);
  });

  test('the descriptions users read in kubectl and Hubble say what each rule does', () => {
    const objs = manifests(PROPS);
    const descriptions = (o: any) => (o.specs ?? [o.spec]).map((s: any) => s.description);
    expect(descriptions(byName(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-tenant-baseline'))).toEqual([
      'Every tenant pod: default deny in both directions; may reach cluster DNS on port 53; accepts connections from kube-system ' +
        'and from namespaces labelled cozystack.io/system="true", from the local node (kubelet probes)',
      'Tenant pods of the world-facing service kinds (cozystack.io/service in ingress) accept connections from the world, and from other nodes ' +
        '(load-balancer traffic they forwarded with source NAT)',
    ]);
    expect(descriptions(byName(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-subtree-tenant-acme'))).toEqual([
      'tenant-acme and its sub-tenants accept connections from the pods of tenant-acme (ingress half of within-tenant and ' +
        'ancestor-to-descendant traffic), and may connect to the shared services of tenant-acme (egress half)',
    ]);
    expect(descriptions(byName(objs, 'CiliumNetworkPolicy', 'cozynet-tenant', 'tenant-acme'))).toEqual([
      'tenant-acme: its pods may connect to every pod of tenant-acme and of its sub-tenants, and to the world (egress half; see also ' +
        'cozynet-tenant-baseline and the cozynet-subtree-* policies of its ancestors)',
      'tenant-acme: its shared services (cozystack.io/service in ingress) accept connections from every pod of tenant-acme and of its sub-tenants (ingress half)',
      'tenant-acme: pods labelled policy.cozystack.io/allow-to-apiserver="true" may connect to the kube-apiserver',
      'tenant-acme: every pod accepts connections from the world, the kube-apiserver (webhooks, aggregated APIs), other nodes (source-NATed load-balancer traffic)',
    ]);
    expect(descriptions(byName(objs, 'CiliumNetworkPolicy', 'cozynet-tenant', 'tenant-beta'))).toEqual([
      'tenant-beta: its pods may connect to every pod of tenant-beta and of its sub-tenants (egress half; see also ' +
        'cozynet-tenant-baseline and the cozynet-subtree-* policies of its ancestors)',
      'tenant-beta: its shared services (cozystack.io/service in etcd, ingress, monitoring) accept connections from every pod of tenant-beta and of its sub-tenants (ingress half)',
    ]);
    expect(descriptions(byName(objs, 'CiliumNetworkPolicy', 'cozynet-tenant', 'tenant-acme-dev'))).toEqual([
      'tenant-acme-dev: its pods may connect to every pod of tenant-acme-dev and of its sub-tenants, and to the world (egress half; see also ' +
        'cozynet-tenant-baseline and the cozynet-subtree-* policies of its ancestors)',
      'tenant-acme-dev: pods labelled policy.cozystack.io/allow-to-apiserver="true" may connect to the kube-apiserver',
      'tenant-acme-dev: every pod accepts connections from the world, the kube-apiserver (webhooks, aggregated APIs), other nodes (source-NATed load-balancer traffic)',
    ]);
  });

  test('options reach the baseline: DNS namespace and labels, system namespace label, world-facing kinds, entities, platform services', () => {
    const objs = manifests({
      tenants: [{ name: 'root' }],
      dnsNamespace: 'dns',
      dnsPodLabels: { 'app.kubernetes.io/name': 'coredns', 'tier': 'dns' },
      systemNamespaceLabel: 'example.com/platform',
      serviceLabel: 'example.com/kind',
      worldIngressServices: ['lb', 'gateway'],
      allowFromHost: false,
      allowFromIngress: true,
      platformServices: [
        { name: 'dashboard', namespace: 'cozy-dashboard', selector: { app: 'dashboard' }, ports: [{ port: 443 }, { port: 8000, endPort: 8010, protocol: 'UDP' as any }] },
        { name: 'idp', namespaceSelector: { 'example.com/idp': 'true' } },
      ],
    });
    expect(byName(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-tenant-baseline')).toEqual({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'cozynet-tenant-baseline' },
      specs: [
        {
          description: 'Every tenant pod: default deny in both directions; may reach cluster DNS on port 53; may reach the platform services dashboard, idp; ' +
            'accepts connections from kube-system and from namespaces labelled example.com/platform="true", from Cilium\'s Envoy (Gateway API and Ingress backends)',
          endpointSelector: { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/tenant-root': '' } },
          ingress: [
            {
              fromEndpoints: [
                { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } },
                { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.example.com/platform': 'true' } },
              ],
            },
            { fromEntities: ['ingress'] },
          ],
          egress: [
            {
              toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dns', 'k8s:app.kubernetes.io/name': 'coredns', 'k8s:tier': 'dns' } }],
              toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
            },
            {
              toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'cozy-dashboard', 'k8s:app': 'dashboard' } }],
              toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '8000', endPort: 8010, protocol: 'UDP' }] }],
            },
            { toEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.example.com/idp': 'true' } }] },
          ],
        },
        {
          description: 'Tenant pods of the world-facing service kinds (example.com/kind in gateway, lb) accept connections from the world, ' +
            'and from other nodes (load-balancer traffic they forwarded with source NAT)',
          endpointSelector: {
            matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/tenant-root': '' },
            matchExpressions: [{ key: 'k8s:example.com/kind', operator: 'In', values: ['gateway', 'lb'] }],
          },
          ingress: [{ fromEntities: ['world', 'remote-node'] }],
        },
      ],
    });
    const both = manifests({ tenants: [{ name: 'root' }], allowFromIngress: true });
    expect(byName(both, 'CiliumClusterwideNetworkPolicy', 'cozynet-tenant-baseline').specs[0].ingress[1]).toEqual({ fromEntities: ['host', 'ingress'] });
    const neither = manifests({ tenants: [{ name: 'root' }], allowFromHost: false });
    expect(byName(neither, 'CiliumClusterwideNetworkPolicy', 'cozynet-tenant-baseline').specs[0].ingress).toHaveLength(1);
    expect(byName(neither, 'CiliumClusterwideNetworkPolicy', 'cozynet-tenant-baseline').specs[0].description).toMatch(/system="true"$/);
  });

  test('tenant pods reach DNS only in the DNS namespace: a pod with the DNS labels elsewhere stays closed', () => {
    const props: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'acme' }, { name: 'beta' }] }] };
    const dnsLabels = { 'k8s-app': 'kube-dns' };
    const endpoints: ModelEndpoint[] = [
      { id: 'acme', namespace: 'tenant-acme', labels: { app: 'web' } },
      { id: 'dns', namespace: 'kube-system', labels: dnsLabels },
      { id: 'fake-dns-in-beta', namespace: 'tenant-beta', labels: dnsLabels },
      { id: 'fake-dns-elsewhere', namespace: 'default', labels: dnsLabels },
      { id: 'kube-system-other', namespace: 'kube-system', labels: { 'k8s-app': 'metrics' } },
    ];
    const net = new CiliumPolicyModel(manifests(props)).evaluate(endpoints);
    expect(net.allowed('acme', 'dns', 53, 'UDP')).toBe(true);
    expect(net.allowed('acme', 'dns', 53, 'TCP')).toBe(true);
    expect(net.allowed('acme', 'dns', 54, 'UDP')).toBe(false);
    expect(net.allowed('acme', 'dns', 8080, 'TCP')).toBe(false);
    expect(net.allowed('acme', 'fake-dns-in-beta', 53, 'UDP')).toBe(false);
    expect(net.allowed('acme', 'fake-dns-elsewhere', 53, 'UDP')).toBe(false);
    expect(net.allowed('acme', 'kube-system-other', 53, 'UDP')).toBe(false);
  });

  test('the subtree policy narrows its ingress and shared-service egress to the tenant\'s own namespace', () => {
    const objs = manifests(PROPS);
    expect(byName(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-subtree-tenant-acme').spec).toEqual({
      description: expect.any(String),
      endpointSelector: { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/tenant-acme': '' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme' } }] }],
      egress: [{
        toEndpoints: [{
          matchExpressions: [{ key: 'k8s:cozystack.io/service', operator: 'In', values: ['ingress'] }],
          matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme' },
        }],
      }],
    });
  });
});
