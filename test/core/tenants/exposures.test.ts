import { CozynetValidationError, ValidationIssue } from '../../../src/model/errors';
import { ExposurePeer, ExposurePort, TenantIsolationProps } from '../../../src/tenants';
import { renderTenantIsolation } from '../../../src/tenants/policies';
import { resolveExposureList, resolveTenants } from '../../../src/tenants/tree';

const TREE = { tenants: [{ name: 'root', children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }] };
const manifests = (props: TenantIsolationProps) => renderTenantIsolation(resolveTenants(props));
const exposureObjects = (props: TenantIsolationProps) => manifests(props).filter((o) => o.metadata.name.startsWith('cozynet-expose-'));

function issues(props: unknown): ValidationIssue[] {
  try {
    resolveTenants(props as TenantIsolationProps);
  } catch (e) {
    if (e instanceof CozynetValidationError) return e.issues;
    throw e;
  }
  throw new Error('expected a CozynetValidationError');
}

describe('exposures: policies', () => {
  test('a tenant service offered to a sibling: both halves, on the given ports, with ICMP echo, in one clusterwide policy', () => {
    const objs = exposureObjects({
      ...TREE,
      exposures: [{
        name: 'api',
        namespace: 'tenant-acme',
        selector: { app: 'api' },
        allowIcmp: true,
        ports: [ExposurePort.tcp(443).props, ExposurePort.udpRange(9000, 9010).props],
        from: [ExposurePeer.tenant('tenant-beta', { selector: { role: 'client' } }).props, ExposurePeer.world().props],
      }],
    });
    const toPorts = [{ ports: [{ port: '443', protocol: 'TCP' }, { endPort: 9010, port: '9000', protocol: 'UDP' }] }];
    const icmps = [{ fields: [{ family: 'IPv4', type: 8 }, { family: 'IPv6', type: 128 }] }];
    const server = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme', 'k8s:app': 'api' } };
    const client = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta', 'k8s:role': 'client' } };
    expect(objs).toEqual([{
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'cozynet-expose-tenant-acme-api' },
      specs: [
        {
          description: 'Exposure api: pods of tenant-acme labelled app=api accept connections on TCP/443, UDP/9000-9010 and ICMP echo from ' +
            'pods labelled role=client of tenant-beta, the world (ingress half)',
          endpointSelector: server,
          ingress: [
            { fromEndpoints: [client], toPorts },
            { fromEndpoints: [client], icmps },
            { fromEntities: ['world'], toPorts },
            { fromEntities: ['world'], icmps },
          ],
        },
        {
          description: 'Exposure api: pods labelled role=client of tenant-beta may connect to pods of tenant-acme labelled app=api on TCP/443, UDP/9000-9010 and ICMP echo (egress half)',
          endpointSelector: client,
          egress: [{ toEndpoints: [server], toPorts }, { toEndpoints: [server], icmps }],
        },
      ],
    }]);
    expect(JSON.stringify(objs[0].specs[0].ingress[0])).toBe(JSON.stringify({ fromEndpoints: [client], toPorts }));
  });

  test('every port, a whole subtree as peer, no selector; exposures come after the tenant policies, in order', () => {
    const all = manifests({
      ...TREE,
      exposures: [
        { name: 'all', namespace: 'tenant-beta', from: [{ namespace: 'tenant-acme', subtree: true }] },
        { name: 'web', namespace: 'tenant-acme-dev', ports: [{ port: 80 }], allowIcmp: false, from: [{ world: true }] },
      ],
    });
    expect(all.slice(-2).map((o) => o.metadata.name)).toEqual(['cozynet-expose-tenant-beta-all', 'cozynet-expose-tenant-acme-dev-web']);
    expect(all[all.length - 3].kind).toBe('CiliumNetworkPolicy');
    const subtree = { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/tenant-acme': '' } };
    const server = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta' } };
    expect(all[all.length - 2].specs).toEqual([
      {
        description: 'Exposure all: every pod of tenant-beta accept connections on every port from pods of tenant-acme and its sub-tenants (ingress half)',
        endpointSelector: server,
        ingress: [{ fromEndpoints: [subtree] }],
      },
      {
        description: 'Exposure all: pods of tenant-acme and its sub-tenants may connect to every pod of tenant-beta on every port (egress half)',
        endpointSelector: subtree,
        egress: [{ toEndpoints: [server] }],
      },
    ]);
    expect(all[all.length - 1].specs).toEqual([{
      description: 'Exposure web: every pod of tenant-acme-dev accept connections on TCP/80 from the world (ingress half)',
      endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme-dev' } },
      ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
    }]);
    // ICMP without ports: every port includes ICMP already.
    const icmpAll = exposureObjects({ ...TREE, exposures: [{ name: 'x', namespace: 'tenant-beta', allowIcmp: true, from: [{ world: true }] }] });
    expect(icmpAll[0].specs[0].ingress).toEqual([{ fromEntities: ['world'] }]);
  });

  test('port helpers', () => {
    const ports = [ExposurePort.tcp(1), ExposurePort.udp(2), ExposurePort.sctp(3), ExposurePort.tcpRange(4, 5), ExposurePort.udpRange(6, 7)];
    expect(ports.map((p) => p.props)).toEqual([
      { port: 1, protocol: 'TCP' }, { port: 2, protocol: 'UDP' }, { port: 3, protocol: 'SCTP' },
      { port: 4, endPort: 5, protocol: 'TCP' }, { port: 6, endPort: 7, protocol: 'UDP' },
    ]);
    expect(ExposurePeer.tenant('tenant-a').props).toEqual({ namespace: 'tenant-a' });
    expect(ExposurePeer.tenant('tenant-a', { subtree: true, selector: { a: 'b' } }).props).toEqual({ namespace: 'tenant-a', subtree: true, selector: { a: 'b' } });
    expect(ExposurePeer.world().props).toEqual({ world: true });
  });
});

describe('exposures and platform services: validation', () => {
  test('exposures: list, keys, name, namespace of a tenant, unique per namespace, peers', () => {
    expect(issues({ ...TREE, exposures: 'x' })).toEqual([{ path: 'exposures', value: '"x"', message: 'must be a list of exposures { name, namespace, selector, ports, from }' }]);
    expect(issues({
      ...TREE,
      exposures: [
        7,
        { name: 'Bad', namespace: 'tenant-nope', from: [], colour: 1 },
        { name: 'a', namespace: 'tenant-acme', from: [{ world: true }] },
        { name: 'a', namespace: 'tenant-acme', from: [{ world: true, subtree: true }, 'x', { namespace: 'tenant-beta', world: true }, {}, { namespace: 'tenant-x', extra: 1 }] },
        { name: 'b', namespace: 'tenant-acme', selector: ['x'], allowIcmp: 'yes', ports: [], from: [{ namespace: 'tenant-beta', selector: { 'bad key': 'x', 'k': '-v' } }] },
      ],
    })).toEqual([
      { path: 'exposures[0]', value: '7', message: 'must be an exposure { name, namespace, selector, ports, from }' },
      { path: 'exposures[1].colour', value: '1', message: 'unknown key; allowed keys: name, namespace, selector, ports, allowIcmp, from' },
      { path: 'exposures[1].name', value: '"Bad"', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'exposures[1].namespace', value: '"tenant-nope"', message: 'must be the namespace of a tenant (tenant-root, tenant-acme, tenant-acme-dev, tenant-beta)' },
      { path: 'exposures[1].from', value: '[]', message: 'must list at least one peer: { namespace: tenant-x } (with subtree, selector) or { world: true }' },
      { path: 'exposures[3].name', value: '"a"', message: 'duplicate exposure name in tenant-acme (already used by exposures[2])' },
      { path: 'exposures[3].from[0]', value: '{"world":true,"subtree":true}', message: 'subtree and selector apply to a tenant peer only' },
      { path: 'exposures[3].from[1]', value: '"x"', message: 'must be a peer { namespace, subtree, selector } or { world: true }' },
      { path: 'exposures[3].from[2]', value: '{"namespace":"tenant-beta","world":true}', message: 'must set exactly one of namespace (a tenant) and world: true' },
      { path: 'exposures[3].from[3]', value: '{}', message: 'must set exactly one of namespace (a tenant) and world: true' },
      { path: 'exposures[3].from[4].extra', value: '1', message: 'unknown key; allowed keys: namespace, subtree, selector, world' },
      { path: 'exposures[3].from[4].namespace', value: '"tenant-x"', message: 'must be the namespace of a tenant (tenant-root, tenant-acme, tenant-acme-dev, tenant-beta)' },
      { path: 'exposures[4].selector', value: '["x"]', message: 'must be a map of labels, e.g. { app: api }' },
      { path: 'exposures[4].ports', value: '[]', message: 'must be a non-empty list of { port, endPort, protocol }; leave it out for every port' },
      { path: 'exposures[4].allowIcmp', value: '"yes"', message: 'must be true or false' },
      { path: 'exposures[4].from[0].selector.bad key', value: '"bad key"', message: 'must be a Kubernetes label key' },
      { path: 'exposures[4].from[0].selector.k', value: '"-v"', message: 'must be a Kubernetes label value' },
    ]);
  });

  test('every bad field is named by its own path, once; bad names repeated are not also duplicates', () => {
    expect(issues({
      ...TREE,
      exposures: [
        { name: 'Bad', namespace: 'tenant-acme', from: [{ world: 'yes' }] },
        { name: 'Bad', namespace: 'tenant-acme', from: [{ namespace: 'tenant-beta', subtree: 'no', selector: { 'z z': 'a', 'b b': 'a' } }] },
        { name: 'a'.repeat(64), namespace: 'tenant-acme', from: [{ world: true }] },
      ],
      platformServices: [
        { name: 'Bad_svc', namespace: 'a' },
        { name: 'Bad_svc', namespaceSelector: { 'x y': 'v' } },
      ],
    })).toEqual([
      { path: 'exposures[0].name', value: '"Bad"', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'exposures[0].from[0].world', value: '"yes"', message: 'must be true or false' },
      { path: 'exposures[0].from[0]', value: '{"world":"yes"}', message: 'must set exactly one of namespace (a tenant) and world: true' },
      { path: 'exposures[1].name', value: '"Bad"', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'exposures[1].from[0].subtree', value: '"no"', message: 'must be true or false' },
      { path: 'exposures[1].from[0].selector.b b', value: '"b b"', message: 'must be a Kubernetes label key' },
      { path: 'exposures[1].from[0].selector.z z', value: '"z z"', message: 'must be a Kubernetes label key' },
      { path: 'exposures[2].name', value: `"${'a'.repeat(64)}"`, message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'platformServices[0].name', value: '"Bad_svc"', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'platformServices[1].name', value: '"Bad_svc"', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'platformServices[1].namespaceSelector.x y', value: '"x y"', message: 'must be a Kubernetes label key' },
      { path: 'platformServices[1].namespaceSelector', value: '{"x y":"v"}', message: 'must name at least one label (an empty selector would be every namespace, tenants included)' },
    ]);
    // the longest name is fine
    expect(resolveTenants({ ...TREE, exposures: [{ name: 'a'.repeat(63), namespace: 'tenant-acme', from: [{ world: true }] }] }).exposures[0].name).toHaveLength(63);
  });

  test('eight tenant namespaces are listed whole', () => {
    const children = Array.from({ length: 7 }, (_, i) => ({ name: `t${i}` }));
    const [issue] = issues({ tenants: [{ name: 'root', children }], exposures: [{ name: 'a', namespace: 'nope', from: [{ world: true }] }] });
    expect(issue.message).toBe('must be the namespace of a tenant (tenant-root, tenant-t0, tenant-t1, tenant-t2, tenant-t3, tenant-t4, tenant-t5, tenant-t6)');
  });

  test('the list of tenant namespaces in the message is cut after eight', () => {
    const children = Array.from({ length: 10 }, (_, i) => ({ name: `t${i}` }));
    const [issue] = issues({ tenants: [{ name: 'root', children }], exposures: [{ name: 'a', namespace: 'nope', from: [{ world: true }] }] });
    expect(issue.message).toBe('must be the namespace of a tenant (tenant-root, tenant-t0, tenant-t1, tenant-t2, tenant-t3, tenant-t4, tenant-t5, tenant-t6, …)');
  });

  test('ports: objects with a port 1-65535, an end port from the port on, a protocol', () => {
    const at = (ports: unknown) => issues({ ...TREE, exposures: [{ name: 'a', namespace: 'tenant-acme', ports, from: [{ world: true }] }] });
    expect(at('80')).toEqual([{ path: 'exposures[0].ports', value: '"80"', message: 'must be a non-empty list of { port, endPort, protocol }; leave it out for every port' }]);
    expect(at([null, { port: 0 }, { port: 65536 }, { port: 1.5 }, { port: 80, endPort: 79 }, { port: 80, endPort: 65536 }, { port: 80, protocol: 'ICMP' }, { port: 80, x: 1 }])).toEqual([
      { path: 'exposures[0].ports[0]', value: 'null', message: 'must be an object { port, endPort, protocol }' },
      { path: 'exposures[0].ports[1].port', value: '0', message: 'must be a port number 1-65535' },
      { path: 'exposures[0].ports[2].port', value: '65536', message: 'must be a port number 1-65535' },
      { path: 'exposures[0].ports[3].port', value: '1.5', message: 'must be a port number 1-65535' },
      { path: 'exposures[0].ports[4].endPort', value: '79', message: 'must be a port number from port (80) to 65535' },
      { path: 'exposures[0].ports[5].endPort', value: '65536', message: 'must be a port number from port (80) to 65535' },
      { path: 'exposures[0].ports[6].protocol', value: '"ICMP"', message: 'must be one of TCP, UDP, SCTP' },
      { path: 'exposures[0].ports[7].x', value: '1', message: 'unknown key; allowed keys: port, endPort, protocol' },
    ]);
    const ok = resolveTenants({ ...TREE, exposures: [{ name: 'a', namespace: 'tenant-acme', ports: [{ port: 1 }, { port: 65535, endPort: 65535, protocol: 'SCTP' as any }, { port: 5, endPort: 6 }], from: [{ world: true }] }] });
    expect(ok.exposures[0].ports).toEqual([{ port: 1, endPort: 1, protocol: 'TCP' }, { port: 65535, endPort: 65535, protocol: 'SCTP' }, { port: 5, endPort: 6, protocol: 'TCP' }]);
    expect(ok.exposures[0]).toMatchObject({ name: 'a', selector: {}, allowIcmp: false, index: 0, from: [{ subtree: false, selector: {} }] });
    expect(ok.exposures[0].from[0].tenant).toBeUndefined();
  });

  test('exposures resolved after the tree (exposures added later) are checked the same way', () => {
    const cfg = resolveTenants(TREE);
    expect(resolveExposureList(cfg, [{ name: 'x', namespace: 'tenant-beta', from: [{ namespace: 'tenant-acme' }] }])[0].from[0].tenant?.namespace).toBe('tenant-acme');
    expect(resolveExposureList(cfg, [{ name: 'y', namespace: 'tenant-beta', from: [{ namespace: 'tenant-acme-dev' }] }])[0].from[0].tenant?.namespace).toBe('tenant-acme-dev');
    expect(() => resolveExposureList(cfg, [{ name: 'x', namespace: 'tenant-zzz', from: [{ world: true }] }], 'platform.isolation'))
      .toThrow('platform.isolation.exposures[0].namespace: must be the namespace of a tenant');
    expect(() => resolveExposureList(cfg, [{ name: 'x', namespace: 'tenant-zzz', from: [{ world: true }] }])).toThrow(/^exposures\[0\]\.namespace/);
  });

  test('platform services: list, keys, unique names, exactly one of namespace and namespaceSelector, selectors, ports', () => {
    expect(issues({ ...TREE, platformServices: {} })).toEqual([
      { path: 'platformServices', value: '{}', message: 'must be a list of { name, namespace or namespaceSelector, selector, ports }' },
    ]);
    expect(issues({
      ...TREE,
      platformServices: [
        'x',
        { name: 'dash', namespace: 'cozy-dashboard' },
        { name: 'dash', namespace: 'Bad_ns', extra: 1 },
        { name: 'idp', namespace: 'a', namespaceSelector: { a: 'b' } },
        { name: 'none' },
        { name: 'empty', namespaceSelector: {} },
        { name: 'sel', namespace: 'a', selector: 'x', ports: [{ port: 0 }] },
      ],
    })).toEqual([
      { path: 'platformServices[0]', value: '"x"', message: 'must be an object { name, namespace or namespaceSelector, selector, ports }' },
      { path: 'platformServices[2].extra', value: '1', message: 'unknown key; allowed keys: name, namespace, namespaceSelector, selector, ports' },
      { path: 'platformServices[2].name', value: '"dash"', message: 'duplicate platform service name' },
      { path: 'platformServices[2].namespace', value: '"Bad_ns"', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'platformServices[3]', value: '"idp"', message: 'must set exactly one of namespace and namespaceSelector' },
      { path: 'platformServices[4]', value: '"none"', message: 'must set exactly one of namespace and namespaceSelector' },
      { path: 'platformServices[5].namespaceSelector', value: '{}', message: 'must name at least one label (an empty selector would be every namespace, tenants included)' },
      { path: 'platformServices[6].selector', value: '"x"', message: 'must be a map of labels, e.g. { app: api }' },
      { path: 'platformServices[6].ports[0].port', value: '0', message: 'must be a port number 1-65535' },
    ]);
    const cfg = resolveTenants({ ...TREE, platformServices: [{ name: 'a', namespace: 'x', selector: { b: 'c' } }, { name: 'b', namespaceSelector: { k: 'v' }, ports: [{ port: 53, protocol: 'UDP' as any }] }] });
    expect(cfg.platformServices).toEqual([
      { name: 'a', namespace: 'x', namespaceSelector: undefined, selector: { b: 'c' }, ports: undefined },
      { name: 'b', namespace: undefined, namespaceSelector: { k: 'v' }, selector: {}, ports: [{ port: 53, endPort: 53, protocol: 'UDP' }] },
    ]);
    expect(issues({ ...TREE, platformServices: [{ name: 'x', namespace: 'a'.repeat(64) }] })[0].path).toBe('platformServices[0].namespace');
  });

  test('a world peer takes no selector either; names and namespaces must be strings', () => {
    expect(issues({
      ...TREE,
      exposures: [{ name: 'w', namespace: 'tenant-acme', from: [{ world: true, selector: { app: 'x' } }] }, { name: 7, namespace: 'tenant-acme', from: [{ world: true }] }],
      platformServices: [{ name: 8, namespace: 9 }],
    })).toEqual([
      { path: 'exposures[0].from[0]', value: '{"world":true,"selector":{"app":"x"}}', message: 'subtree and selector apply to a tenant peer only' },
      { path: 'exposures[1].name', value: '7', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'platformServices[0].name', value: '8', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
      { path: 'platformServices[0].namespace', value: '9', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
    ]);
  });

  test('a platform service in a tenant namespace is refused (that tenant\'s baseline would keep every other tenant out)', () => {
    expect(issues({
      ...TREE,
      platformServices: [
        { name: 'etcd', namespace: 'tenant-acme-dev', selector: { app: 'etcd' } },
        { name: 'db', namespace: 'tenant-root' },
        { name: 'ok', namespace: 'tenant-acme-prod' },
        { name: 'bad', namespace: 'Tenant-acme' },
      ],
    })).toEqual([
      {
        path: 'platformServices[0].namespace',
        value: '"tenant-acme-dev"',
        message: 'is the namespace of tenant root/acme/dev (tenants[0].children[0].children[0]); a platform service must live outside the tenant namespaces (give its own namespace, or make it an exposure of that tenant)',
      },
      {
        path: 'platformServices[1].namespace',
        value: '"tenant-root"',
        message: 'is the namespace of tenant root (tenants[0]); a platform service must live outside the tenant namespaces (give its own namespace, or make it an exposure of that tenant)',
      },
      { path: 'platformServices[3].namespace', value: '"Tenant-acme"', message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' },
    ]);
    // The tree's own path prefix is in the field path of the tenant.
    expect(issues({ path: 'isolation.tenants', ...TREE, platformServices: [{ name: 'x', namespace: 'tenant-beta' }] }).map((i) => [i.path, i.message.split(';')[0]]))
      .toEqual([['isolation.platformServices[0].namespace', 'is the namespace of tenant root/beta (isolation.tenants[0].children[1])']]);
    // A platform file: tenants at the top, the options under isolation.
    expect(issues({ path: 'tenants', optionsPath: 'isolation', ...TREE, platformServices: [{ name: 'x', namespace: 'tenant-beta' }] }).map((i) => [i.path, i.message.split(';')[0]]))
      .toEqual([['isolation.platformServices[0].namespace', 'is the namespace of tenant root/beta (tenants[0].children[1])']]);
  });

  test('tenant entity options: booleans, inherited like the world settings', () => {
    expect(issues({ ...TREE, allowFromHost: 'yes', allowFromIngress: 1, allowFromApiServer: null, allowFromRemoteNode: 'no' }).map((i) => i.path))
      .toEqual(['allowFromApiServer', 'allowFromRemoteNode', 'allowFromHost', 'allowFromIngress']);
    const cfg = resolveTenants({
      allowFromApiServer: false,
      allowFromRemoteNode: true,
      tenants: [{ name: 'root', children: [{ name: 'a', allowFromApiServer: true, allowFromRemoteNode: false, children: [{ name: 'b' }] }, { name: 'c' }] }],
    });
    expect(cfg.tenants.map((t) => [t.namespace, t.allowFromApiServer, t.allowFromRemoteNode])).toEqual([
      ['tenant-root', false, true], ['tenant-a', true, false], ['tenant-a-b', true, false], ['tenant-c', false, true],
    ]);
    expect(issues({ tenants: [{ name: 'root', allowFromApiServer: 'x', allowFromRemoteNode: 'y' }] }).map((i) => i.path))
      .toEqual(['tenants[0].allowFromApiServer', 'tenants[0].allowFromRemoteNode']);
  });
});
