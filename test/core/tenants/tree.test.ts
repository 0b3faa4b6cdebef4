import { CozynetValidationError, ValidationIssue } from '../../../src/model/errors';
import { TenantIsolationProps } from '../../../src/tenants';
import { isLabelKey, isNonEmptyLabelValue, namespaceOf, resolveTenants, tenantLabel } from '../../../src/tenants/tree';

/** The issues `resolveTenants` throws for `props`. */
function issues(props: unknown): ValidationIssue[] {
  try {
    resolveTenants(props as TenantIsolationProps);
  } catch (e) {
    if (e instanceof CozynetValidationError) return e.issues;
    throw e;
  }
  throw new Error('expected a CozynetValidationError');
}

const ROOT_ONLY = { tenants: [{ name: 'root' }] };

describe('tenant tree: defaults and inheritance', () => {
  test('defaults of the isolation options (facts §9)', () => {
    const cfg = resolveTenants(ROOT_ONLY);
    expect({ ...cfg, tenants: undefined, root: undefined }).toEqual({
      tenants: undefined,
      root: undefined,
      serviceLabel: 'cozystack.io/service',
      defaultSharedServices: ['etcd', 'ingress', 'monitoring'],
      worldIngressServices: ['ingress'],
      apiServerAccessLabel: 'policy.cozystack.io/allow-to-apiserver',
      systemNamespaceLabel: 'cozystack.io/system',
      dnsNamespace: 'kube-system',
      dnsPodLabels: { 'k8s-app': 'kube-dns' },
      serviceKinds: ['etcd', 'ingress', 'monitoring'],
      allowFromHost: true,
      allowFromIngress: false,
      exposures: [],
      platformServices: [],
    });
    const root = cfg.root;
    expect(cfg.tenants).toEqual([root]);
    expect({ ...root, children: undefined }).toEqual({
      index: 0,
      name: 'root',
      path: ['root'],
      fieldPath: 'tenants[0]',
      namespace: 'tenant-root',
      parent: undefined,
      children: undefined,
      depth: 0,
      sharedServices: ['etcd', 'ingress', 'monitoring'],
      allowFromApiServer: true,
      allowFromRemoteNode: false,
      allowWorldEgress: true,
      allowWorldIngress: false,
      allowApiServer: true,
      subtreeEnd: 1,
    });
  });

  test('the defaults are not shared between calls', () => {
    const a = resolveTenants(ROOT_ONLY);
    a.dnsPodLabels.x = 'y';
    a.defaultSharedServices.push('x');
    a.worldIngressServices.push('x');
    const b = resolveTenants(ROOT_ONLY);
    expect(b.dnsPodLabels).toEqual({ 'k8s-app': 'kube-dns' });
    expect(b.defaultSharedServices).toEqual(['etcd', 'ingress', 'monitoring']);
    expect(b.worldIngressServices).toEqual(['ingress']);
  });

  test('pre-order, depth, paths, field paths, subtree ranges and namespaces', () => {
    const cfg = resolveTenants({
      tenants: [{ name: 'root', children: [{ name: 'a', children: [{ name: 'x' }, { name: 'y', children: [{ name: 'z' }] }] }, { name: 'b' }] }],
    });
    const rows = cfg.tenants.map((t) => [
      t.index, t.namespace, t.depth, t.subtreeEnd, t.fieldPath, t.parent?.namespace, t.children.map((c) => c.name),
    ]);
    expect(rows).toEqual([
      [0, 'tenant-root', 0, 6, 'tenants[0]', undefined, ['a', 'b']],
      [1, 'tenant-a', 1, 5, 'tenants[0].children[0]', 'tenant-root', ['x', 'y']],
      [2, 'tenant-a-x', 2, 3, 'tenants[0].children[0].children[0]', 'tenant-a', []],
      [3, 'tenant-a-y', 2, 5, 'tenants[0].children[0].children[1]', 'tenant-a', ['z']],
      [4, 'tenant-a-y-z', 3, 5, 'tenants[0].children[0].children[1].children[0]', 'tenant-a-y', []],
      [5, 'tenant-b', 1, 6, 'tenants[0].children[1]', 'tenant-root', []],
    ]);
    expect(cfg.tenants[4].path).toEqual(['root', 'a', 'y', 'z']);
  });

  test('children inherit world and kube-apiserver settings from the nearest ancestor that sets them; the root from the options', () => {
    const cfg = resolveTenants({
      allowWorldEgress: false,
      allowWorldIngress: true,
      allowApiServer: false,
      tenants: [{
        name: 'root',
        children: [
          { name: 'a', allowWorldEgress: true, allowWorldIngress: false, allowApiServer: true, children: [{ name: 'b' }] },
          { name: 'c' },
        ],
      }],
    });
    const flags = (ns: string) => {
      const t = cfg.tenants.find((x) => x.namespace === ns)!;
      return [t.allowWorldEgress, t.allowWorldIngress, t.allowApiServer];
    };
    expect(flags('tenant-root')).toEqual([false, true, false]);
    expect(flags('tenant-a')).toEqual([true, false, true]);
    expect(flags('tenant-a-b')).toEqual([true, false, true]);
    expect(flags('tenant-c')).toEqual([false, true, false]);
  });

  test('shared services: own list (sorted, without duplicates) or the default list, not inherited; every kind collected', () => {
    const cfg = resolveTenants({
      defaultSharedServices: ['monitoring', 'etcd', 'etcd'],
      worldIngressServices: ['gateway', 'gateway'],
      tenants: [{ name: 'root', sharedServices: ['nats', 'ingress', 'nats'], children: [{ name: 'a', children: [{ name: 'b', sharedServices: [] }] }] }],
    });
    expect(cfg.tenants.map((t) => t.sharedServices)).toEqual([['ingress', 'nats'], ['etcd', 'monitoring'], []]);
    expect(cfg.defaultSharedServices).toEqual(['etcd', 'monitoring']);
    expect(cfg.worldIngressServices).toEqual(['gateway']);
    expect(cfg.serviceKinds).toEqual(['etcd', 'gateway', 'ingress', 'monitoring', 'nats']);
  });

  test('custom labels, DNS namespace and DNS pod labels (keys sorted, empty values allowed)', () => {
    const cfg = resolveTenants({
      ...ROOT_ONLY,
      serviceLabel: 'example.com/kind',
      apiServerAccessLabel: 'api',
      systemNamespaceLabel: 'example.com/system',
      dnsNamespace: 'dns-system',
      dnsPodLabels: { 'z': '', 'app.kubernetes.io/name': 'coredns' },
    });
    expect([cfg.serviceLabel, cfg.apiServerAccessLabel, cfg.systemNamespaceLabel, cfg.dnsNamespace]).toEqual(['example.com/kind', 'api', 'example.com/system', 'dns-system']);
    expect(JSON.stringify(cfg.dnsPodLabels)).toBe('{"app.kubernetes.io/name":"coredns","z":""}');
  });
});

describe('tenant tree: validation', () => {
  test('not an object', () => {
    for (const bad of [null, 'root', 7]) {
      expect(issues(bad)).toEqual([{ path: 'tenants', value: expect.any(String), message: 'tenant isolation props must be an object with a "tenants" list' }]);
    }
  });

  test('the tenants list: a list with exactly one top-level tenant named root', () => {
    expect(issues({})).toEqual([{ path: 'tenants', value: 'undefined', message: 'must be a list with exactly one top-level tenant, "root"' }]);
    expect(issues({ tenants: { name: 'root' } })).toEqual([{ path: 'tenants', value: '{"name":"root"}', message: 'must be a list with exactly one top-level tenant, "root"' }]);
    expect(issues({ tenants: [] })).toEqual([{ path: 'tenants', value: '[]', message: 'must contain exactly one top-level tenant, "root"' }]);
    expect(issues({ tenants: [{ name: 'root' }, null] })).toEqual([
      { path: 'tenants[1]', value: 'null', message: 'only one top-level tenant ("root") is allowed; place other tenants in tenants[0].children' },
    ]);
    expect(issues({ tenants: [{ name: 'root' }, { name: 'two' }, 'three'] })).toEqual([
      { path: 'tenants[1]', value: '"two"', message: 'only one top-level tenant ("root") is allowed; place other tenants in tenants[0].children' },
      { path: 'tenants[2]', value: '"three"', message: 'only one top-level tenant ("root") is allowed; place other tenants in tenants[0].children' },
    ]);
    expect(issues({ tenants: [{ name: 'main' }] })).toEqual([{ path: 'tenants[0].name', value: '"main"', message: 'the top-level tenant must be named "root"' }]);
  });

  test('a custom path prefixes every issue; options sit next to it', () => {
    expect(issues({ path: 'platform.isolation.tenants', serviceLabel: '', tenants: [{ name: 'x' }] })).toEqual([
      { path: 'platform.isolation.serviceLabel', value: '""', message: 'must be a Kubernetes label key such as "example.com/name"' },
      { path: 'platform.isolation.tenants[0].name', value: '"x"', message: 'the top-level tenant must be named "root"' },
    ]);
    expect(issues({ path: 'tenants', apiServerAccessLabel: 5, tenants: [{ name: 'root' }] })).toEqual([
      { path: 'apiServerAccessLabel', value: '5', message: 'must be a Kubernetes label key such as "example.com/name"' },
    ]);
  });

  test('tenants: objects with a valid, unique name; known keys; descendants of a bad tenant are skipped', () => {
    expect(issues({
      tenants: [{
        name: 'root',
        children: [
          'acme', null, ['x'],
          { name: 'Acme' },
          { name: 'a-b', children: [{ name: 'BAD' }] },
          { name: 'root', children: [{ name: 'BAD' }] },
          { name: 'ok', colour: 'red', children: 'x' },
          { name: 'ok' },
          { name: 7 },
        ],
      }],
    })).toEqual([
      { path: 'tenants[0].children[7].name', value: '"ok"', message: 'duplicate tenant name among siblings (already used by tenants[0].children[6]); sibling names must be unique' },
      { path: 'tenants[0].children[0]', value: '"acme"', message: 'must be a tenant: an object with at least a "name"' },
      { path: 'tenants[0].children[1]', value: 'null', message: 'must be a tenant: an object with at least a "name"' },
      { path: 'tenants[0].children[2]', value: '["x"]', message: 'must be a tenant: an object with at least a "name"' },
      { path: 'tenants[0].children[3].name', value: '"Acme"', message: 'must be lowercase letters and digits only (the dash is the hierarchy separator)' },
      { path: 'tenants[0].children[4].name', value: '"a-b"', message: 'must be lowercase letters and digits only (the dash is the hierarchy separator)' },
      { path: 'tenants[0].children[5].name', value: '"root"', message: '"root" is reserved for the top-level tenant' },
      { path: 'tenants[0].children[6].colour', value: '"red"', message: 'unknown key; allowed keys: name, children, sharedServices, allowWorldEgress, allowWorldIngress, allowApiServer, allowFromApiServer, allowFromRemoteNode' },
      { path: 'tenants[0].children[6].children', value: '"x"', message: 'must be a list of tenants' },
      { path: 'tenants[0].children[8].name', value: '7', message: 'must be lowercase letters and digits only (the dash is the hierarchy separator)' },
    ]);
  });

  test('per-tenant options: service kinds are label values, flags are booleans', () => {
    expect(issues({
      tenants: [{ name: 'root', sharedServices: 'ingress', children: [{ name: 'a', sharedServices: ['ok', '', '-x', 'a'.repeat(64), 3], allowWorldEgress: 'yes', allowWorldIngress: 1, allowApiServer: null }] }],
    })).toEqual([
      { path: 'tenants[0].sharedServices', value: '"ingress"', message: 'must be a list of service kinds (label values such as "ingress")' },
      ...[1, 2, 3, 4].map((i) => ({
        path: `tenants[0].children[0].sharedServices[${i}]`,
        value: expect.any(String),
        message: 'must be a non-empty label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
      })),
      { path: 'tenants[0].children[0].allowWorldEgress', value: '"yes"', message: 'must be true or false' },
      { path: 'tenants[0].children[0].allowWorldIngress', value: '1', message: 'must be true or false' },
      { path: 'tenants[0].children[0].allowApiServer', value: 'null', message: 'must be true or false' },
    ]);
  });

  test('global options are checked, each at its own path', () => {
    expect(issues({
      ...ROOT_ONLY,
      serviceLabel: 'a/b/c',
      apiServerAccessLabel: '-x',
      systemNamespaceLabel: 'Example.com/x',
      defaultSharedServices: 'etcd',
      worldIngressServices: ['ok', 'not ok'],
      allowApiServer: 'no',
      allowWorldEgress: 0,
      allowWorldIngress: 'true',
    })).toEqual([
      { path: 'serviceLabel', value: '"a/b/c"', message: 'must be a Kubernetes label key such as "example.com/name"' },
      { path: 'apiServerAccessLabel', value: '"-x"', message: 'must be a Kubernetes label key such as "example.com/name"' },
      { path: 'systemNamespaceLabel', value: '"Example.com/x"', message: 'must be a Kubernetes label key such as "example.com/name"' },
      { path: 'defaultSharedServices', value: '"etcd"', message: 'must be a list of service kinds (label values such as "ingress")' },
      { path: 'worldIngressServices[1]', value: '"not ok"', message: expect.stringMatching(/^must be a non-empty label value/) },
      { path: 'allowApiServer', value: '"no"', message: 'must be true or false' },
      { path: 'allowWorldEgress', value: '0', message: 'must be true or false' },
      { path: 'allowWorldIngress', value: '"true"', message: 'must be true or false' },
    ]);
  });

  test('DNS namespace: a DNS label of at most 63 characters', () => {
    const msg = 'must be a namespace name (lowercase letters, digits and "-", at most 63 characters)';
    for (const bad of ['Kube-System', '-dns', 'dns-', 'a.b', 'a'.repeat(64), 5, '']) {
      expect(issues({ ...ROOT_ONLY, dnsNamespace: bad })).toEqual([{ path: 'dnsNamespace', value: expect.any(String), message: msg }]);
    }
    expect(resolveTenants({ ...ROOT_ONLY, dnsNamespace: 'a'.repeat(63) }).dnsNamespace).toBe('a'.repeat(63));
    expect(resolveTenants({ ...ROOT_ONLY, dnsNamespace: '1' }).dnsNamespace).toBe('1');
  });

  test('DNS pod labels: a non-empty map of valid keys and values', () => {
    const msg = 'must be a non-empty map of pod labels, e.g. { k8s-app: kube-dns }';
    for (const bad of [null, [], ['k8s-app'], {}, 'kube-dns']) {
      expect(issues({ ...ROOT_ONLY, dnsPodLabels: bad })).toEqual([{ path: 'dnsPodLabels', value: expect.any(String), message: msg }]);
    }
    expect(issues({ ...ROOT_ONLY, dnsPodLabels: { 'ok': 'x', 'bad key': 'x', 'k': '-bad', 'n': 5 } })).toEqual([
      { path: 'dnsPodLabels.bad key', value: '"bad key"', message: 'must be a Kubernetes label key' },
      { path: 'dnsPodLabels.k', value: '"-bad"', message: 'must be a Kubernetes label value' },
      { path: 'dnsPodLabels.n', value: '5', message: 'must be a Kubernetes label value' },
    ]);
  });

  test('namespaces longer than 63 characters name the tenant that makes them too long; 63 is fine', () => {
    const fifty = 'a'.repeat(50);
    expect(issues({ tenants: [{ name: 'root', children: [{ name: fifty, children: [{ name: 'abcdef', children: [{ name: 'x' }] }] }] }] })).toEqual([{
      path: 'tenants[0].children[0].children[0].name',
      value: '"abcdef"',
      message: `the resulting namespace "tenant-${fifty}-abcdef" is 64 characters long; at most 63 are allowed (shorten this name or an ancestor's)`,
    }]);
    expect(resolveTenants({ tenants: [{ name: 'root', children: [{ name: fifty, children: [{ name: 'abcde' }] }] }] }).tenants[2].namespace)
      .toBe(`tenant-${fifty}-abcde`);
  });

  test('every problem at once, in the order of the walk', () => {
    expect(issues({ serviceLabel: '', tenants: [{ name: 'root', children: [{ name: 'A' }, { name: 'b', children: [{ name: 'C' }] }] }] }).map((i) => i.path))
      .toEqual(['serviceLabel', 'tenants[0].children[0].name', 'tenants[0].children[1].children[0].name']);
  });

  test('a deep chain does not overflow the stack', () => {
    let node: any = { name: 'leaf' };
    for (let i = 0; i < 3000; i++) node = { name: 'n', children: [node] };
    // Namespaces get too long long before; only the first too-long one is reported.
    expect(issues({ tenants: [{ name: 'root', children: [node] }] })).toHaveLength(1);
  });
});

describe('tenant names and labels', () => {
  test('namespaceOf: root is tenant-root, descendants join their names below root with dashes', () => {
    expect(namespaceOf(['root'])).toBe('tenant-root');
    expect(namespaceOf(['root', 'acme'])).toBe('tenant-acme');
    expect(namespaceOf(['root', 'acme', 'dev'])).toBe('tenant-acme-dev');
    expect(() => namespaceOf([])).toThrow('a tenant path starts with "root" (got [])');
    expect(() => namespaceOf(['acme'])).toThrow('a tenant path starts with "root" (got ["acme"])');
    expect(tenantLabel('tenant-acme')).toBe('tenant.cozystack.io/tenant-acme');
  });

  test('label keys: optional DNS-subdomain prefix of at most 253 characters, a name of at most 63', () => {
    const sub = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`; // 253
    for (const k of ['a', 'A', 'app', 'a.b', 'a_b', 'x/y', 'example.com/Name-1', `${sub}/x`, 'a'.repeat(63), `x/${'a'.repeat(63)}`, 'a-b.c/d']) {
      expect([k, isLabelKey(k)]).toEqual([k, true]);
    }
    for (const k of [undefined, 5, '', '/x', 'x/', `${sub}d/x`, 'a'.repeat(64), `x/${'a'.repeat(64)}`, 'Example.com/x', 'a/b/c', '-a', 'a-', '_a',
      'a..b/c', '.a/b', 'a./b', '-a/b', 'a-/b']) {
      expect([k, isLabelKey(k)]).toEqual([k, false]);
    }
  });

  test('label values: non-empty, at most 63, alphanumeric at both ends', () => {
    for (const v of ['a', 'A9', 'a-b_c.d', 'a'.repeat(63)]) expect([v, isNonEmptyLabelValue(v)]).toEqual([v, true]);
    for (const v of ['', 'a'.repeat(64), '-a', 'a-', '.a', 'a b', 5, undefined]) expect([v, isNonEmptyLabelValue(v)]).toEqual([v, false]);
  });
});
