import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { CozynetValidationError } from '../../src/model/errors';
import { TenantIsolation, TenantIsolationProps, TenantLabels, tenantIsolationManifests, tenantNamespace } from '../../src/tenants';

const CONTRACT: TenantIsolationProps = {
  tenants: [{ name: 'root', children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }],
};

function synth(props: TenantIsolationProps): any[] {
  const app = Testing.app();
  const chart = new Chart(app, 'tenants');
  new TenantIsolation(chart, 'isolation', props);
  return Testing.synth(chart);
}

function errorOf(fn: () => unknown): CozynetValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CozynetValidationError) return e;
    throw e;
  }
  throw new Error('expected a CozynetValidationError');
}

const find = (objs: any[], kind: string, name: string, namespace?: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);

describe('TenantIsolation', () => {
  test('namespaces of the contract example carry the hierarchical labels', () => {
    const objs = synth(CONTRACT);
    const namespaces = objs.filter((o) => o.kind === 'Namespace');
    expect(namespaces.map((o) => o.metadata.name)).toEqual(['tenant-root', 'tenant-acme', 'tenant-acme-dev', 'tenant-beta']);
    expect(find(objs, 'Namespace', 'tenant-acme-dev')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'tenant-acme-dev',
        labels: {
          'tenant.cozystack.io/tenant-root': '',
          'tenant.cozystack.io/tenant-acme': '',
          'tenant.cozystack.io/tenant-acme-dev': '',
          'pod-security.kubernetes.io/enforce': 'baseline',
        },
      },
    });
    expect(find(objs, 'Namespace', 'tenant-root').metadata.labels).toEqual({ 'tenant.cozystack.io/tenant-root': '', 'pod-security.kubernetes.io/enforce': 'baseline' });
  });

  test('a constant number of objects per tenant, with explicit names, namespaced where needed', () => {
    const objs = synth(CONTRACT);
    expect(objs).toHaveLength(1 + 3 * 4);
    for (const o of objs) {
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (o.kind === 'CiliumNetworkPolicy') expect(o.metadata.namespace).toMatch(/^tenant-/);
      else expect(o.metadata.namespace).toBeUndefined();
      if (o.kind !== 'Namespace') expect(o.apiVersion).toBe('cilium.io/v2');
    }
    expect(objs.filter((o) => o.kind === 'CiliumNetworkPolicy').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'tenant-root/cozynet-tenant', 'tenant-acme/cozynet-tenant', 'tenant-acme-dev/cozynet-tenant', 'tenant-beta/cozynet-tenant',
    ]);
    expect(objs.filter((o) => o.kind === 'CiliumClusterwideNetworkPolicy').map((o) => o.metadata.name)).toEqual([
      'cozynet-tenant-baseline', 'cozynet-subtree-tenant-root', 'cozynet-subtree-tenant-acme', 'cozynet-subtree-tenant-acme-dev', 'cozynet-subtree-tenant-beta',
    ]);
  });

  test('the pure function returns exactly what the construct synthesizes', () => {
    const props: TenantIsolationProps = {
      ...CONTRACT,
      allowWorldIngress: true,
      tenants: [{ name: 'root', sharedServices: ['ingress'], children: [{ name: 'acme', allowApiServer: false, allowWorldEgress: false }] }],
    };
    expect(TenantIsolation.manifests(props)).toEqual(synth(props));
    expect(tenantIsolationManifests(props)).toEqual(synth(props));
    expect(JSON.stringify(TenantIsolation.manifests(props))).toEqual(JSON.stringify(synth(props))); // same key order too
  });

  test('the per-tenant policies: subtree egress, shared services, kube-apiserver opt-in', () => {
    const objs = synth(CONTRACT);
    const cnp = find(objs, 'CiliumNetworkPolicy', 'cozynet-tenant', 'tenant-acme');
    const nsLabel = 'k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/tenant-acme';
    expect(cnp.specs[0].endpointSelector).toEqual({});
    expect(cnp.specs[0].egress).toEqual([{ toEndpoints: [{ matchLabels: { [nsLabel]: '' } }] }, { toEntities: ['world'] }]);
    expect(cnp.specs[1].endpointSelector).toEqual({
      matchExpressions: [{ key: 'k8s:cozystack.io/service', operator: 'In', values: ['etcd', 'ingress', 'monitoring'] }],
    });
    expect(cnp.specs[1].ingress).toEqual([{ fromEndpoints: [{ matchLabels: { [nsLabel]: '' } }] }]);
    expect(cnp.specs[2]).toMatchObject({
      endpointSelector: { matchLabels: { 'k8s:policy.cozystack.io/allow-to-apiserver': 'true' } },
      egress: [{ toEntities: ['kube-apiserver'] }],
    });
    const ccnp = find(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-subtree-tenant-acme');
    expect(ccnp.spec.endpointSelector).toEqual({ matchLabels: { [nsLabel]: '' } });
    expect(ccnp.spec.ingress).toEqual([{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-acme' } }] }]);
    // no policy mentions another tenant's namespace than its own (root's label is used by the baseline only)
    for (const o of objs.filter((x) => x.kind !== 'Namespace' && x.metadata.name !== 'cozynet-tenant-baseline')) {
      const own = o.metadata.namespace ?? o.metadata.name.replace('cozynet-subtree-', '');
      const mentioned = JSON.stringify(o).match(/tenant-[a-z0-9-]+/g)!.filter((m) => m !== 'cozynet-tenant' && !m.startsWith('tenant-baseline'));
      expect(new Set(mentioned)).toEqual(new Set([own]));
    }
  });

  test('options change the policies: no sharing, no kube-apiserver, no world egress, world ingress', () => {
    const objs = TenantIsolation.manifests({
      tenants: [{ name: 'root', sharedServices: [], allowApiServer: false, allowWorldEgress: false, allowWorldIngress: true }],
      worldIngressServices: [],
    });
    const cnp = find(objs, 'CiliumNetworkPolicy', 'cozynet-tenant', 'tenant-root');
    expect(cnp.specs).toHaveLength(2);
    expect(cnp.specs[0].egress).toHaveLength(1);
    // the world (allowWorldIngress) and, by default, the kube-apiserver (webhooks)
    expect(cnp.specs[1].ingress).toEqual([{ fromEntities: ['world', 'kube-apiserver'] }]);
    expect(cnp.specs[1].description).toBe('tenant-root: every pod accepts connections from the world, the kube-apiserver (webhooks, aggregated APIs)');
    expect(find(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-subtree-tenant-root').spec.egress).toBeUndefined();
    expect(find(objs, 'CiliumClusterwideNetworkPolicy', 'cozynet-tenant-baseline').specs).toHaveLength(1);
  });

  test('children inherit the world and kube-apiserver settings', () => {
    const objs = TenantIsolation.manifests({
      tenants: [{ name: 'root', children: [{ name: 'a', allowWorldEgress: false, children: [{ name: 'b' }, { name: 'c', allowWorldEgress: true }] }] }],
    });
    const worldEgress = (ns: string) => JSON.stringify(find(objs, 'CiliumNetworkPolicy', 'cozynet-tenant', ns).specs[0].egress).includes('world');
    expect(['tenant-root', 'tenant-a', 'tenant-a-b', 'tenant-a-c'].map(worldEgress)).toEqual([true, false, false, true]);
  });

  test('policies are valid against the Cilium CRD schemas', () => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', '..', 'crds', 'cilium.io.yaml'), 'utf8')).map((d) => d.toJS());
    // The schemas use Go's `\\PC` (no control/unassigned characters); JavaScript spells it `\\P{C}`.
    const regExp = Object.assign((pattern: string, flags: string) => new RegExp(pattern.replace(/\\PC/g, '\\P{C}'), flags), { code: 'RegExp' });
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp } });
    const validators = new Map<string, any>();
    for (const crd of docs) {
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const v2 = crd.spec.versions.find((v: any) => v.name === 'v2');
      if (v2) validators.set(crd.spec.names.kind, ajv.compile(v2.schema.openAPIV3Schema));
    }
    const objs = TenantIsolation.manifests({ ...CONTRACT, allowWorldIngress: true });
    let checked = 0;
    for (const o of objs.filter((x) => x.apiVersion === 'cilium.io/v2')) {
      const validate = validators.get(o.kind);
      expect(validate).toBeDefined();
      const ok = validate(o);
      expect([o.metadata.name, ok ? [] : validate.errors]).toEqual([o.metadata.name, []]);
      checked++;
    }
    expect(checked).toBe(9);
  });

  test('a chart namespace does not leak onto cluster-scoped objects or override tenant namespaces', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'elsewhere' });
    new TenantIsolation(chart, 'i', CONTRACT);
    const objs = Testing.synth(chart);
    expect(objs).toEqual(TenantIsolation.manifests(CONTRACT));
  });

  test('deterministic output', () => {
    expect(JSON.stringify(synth(CONTRACT))).toEqual(JSON.stringify(synth(CONTRACT)));
  });

  test('namespace helpers and label constants', () => {
    expect(tenantNamespace(['root'])).toBe('tenant-root');
    expect(TenantIsolation.namespaceFor(['root', 'acme'])).toBe('tenant-acme');
    expect(TenantIsolation.namespaceFor(['root', 'acme', 'dev'])).toBe('tenant-acme-dev');
    expect(() => tenantNamespace(['acme'])).toThrow(/root/);
    expect(TenantLabels.tenantLabel('tenant-acme')).toBe('tenant.cozystack.io/tenant-acme');
    const app = Testing.app();
    const t = new TenantIsolation(new Chart(app, 'c'), 'i', CONTRACT);
    expect(t.namespaces).toEqual(['tenant-root', 'tenant-acme', 'tenant-acme-dev', 'tenant-beta']);
    expect(t.apiObjects).toHaveLength(13);
  });

  test('large trees synthesize a constant number of objects per tenant', () => {
    const children = Array.from({ length: 2000 }, (_, i) => ({ name: `t${i}`, children: [{ name: 'dev' }, { name: 'prod' }] }));
    const objs = TenantIsolation.manifests({ tenants: [{ name: 'root', children }] });
    expect(objs).toHaveLength(1 + 3 * (1 + 2000 * 3));
  });
});

describe('TenantIsolation validation', () => {
  test('bad names are refused with the field path, the value and what is allowed', () => {
    const e = errorOf(() => synth({ tenants: [{ name: 'root', children: [{ name: 'acme' }, { name: 'Beta-1' }] }] }));
    expect(e.issues).toEqual([{ path: 'tenants[0].children[1].name', value: '"Beta-1"', message: expect.stringMatching(/lowercase letters and digits/) }]);
    expect(e.message).toBe('tenants[0].children[1].name: must be lowercase letters and digits only (the dash is the hierarchy separator) (got "Beta-1")');
  });

  test('every problem is reported at once', () => {
    const e = errorOf(() => TenantIsolation.manifests({
      tenants: [
        { name: 'root', children: [{ name: 'a' }, { name: 'a' }, { name: 'root' }, { name: '' }, { name: 'b', children: [{ name: 'x_y' }] }] },
        { name: 'other' },
      ],
    }));
    expect(e.issues.map((i) => i.path)).toEqual([
      'tenants[1]',
      'tenants[0].children[1].name',
      'tenants[0].children[2].name',
      'tenants[0].children[3].name',
      'tenants[0].children[4].children[0].name',
    ]);
    expect(e.issues[1].message).toMatch(/duplicate tenant name among siblings \(already used by tenants\[0\]\.children\[0\]\)/);
    expect(e.issues[2].message).toMatch(/reserved for the top-level tenant/);
  });

  test('the top level is exactly one tenant named root', () => {
    expect(errorOf(() => TenantIsolation.manifests({ tenants: [] })).issues[0]).toMatchObject({ path: 'tenants', message: expect.stringMatching(/exactly one/) });
    expect(errorOf(() => TenantIsolation.manifests({ tenants: [{ name: 'main' }] })).issues[0]).toMatchObject({
      path: 'tenants[0].name', value: '"main"', message: 'the top-level tenant must be named "root"',
    });
    expect(errorOf(() => TenantIsolation.manifests({} as any)).issues[0].path).toBe('tenants');
  });

  test('namespace names are at most 63 characters', () => {
    const long = 'a'.repeat(50);
    const e = errorOf(() => TenantIsolation.manifests({ tenants: [{ name: 'root', children: [{ name: long, children: [{ name: 'abcdef', children: [{ name: 'x' }] }] }] }] }));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0].path).toBe('tenants[0].children[0].children[0].name');
    expect(e.issues[0].message).toMatch(/namespace "tenant-a{50}-abcdef" is 64 characters long; at most 63/);
    // exactly 63 is fine
    expect(() => TenantIsolation.manifests({ tenants: [{ name: 'root', children: [{ name: long, children: [{ name: 'abcde' }] }] }] })).not.toThrow();
  });

  test('the path prefix is configurable', () => {
    const e = errorOf(() => TenantIsolation.manifests({ path: 'platform.tenants', tenants: [{ name: 'root', children: [{ name: 'a.b' }] }], serviceLabel: 'not a key' }));
    expect(e.issues.map((i) => i.path).sort()).toEqual(['platform.serviceLabel', 'platform.tenants[0].children[0].name']);
  });

  test('unknown keys, bad service kinds and bad booleans are refused', () => {
    const e = errorOf(() => TenantIsolation.manifests({
      tenants: [{ name: 'root', children: [{ name: 'a', sharedService: ['ingress'], sharedServices: ['ok', 'no way'], allowWorldEgress: 'yes' } as any] }],
    }));
    expect(e.issues.map((i) => i.path)).toEqual([
      'tenants[0].children[0].sharedService',
      'tenants[0].children[0].sharedServices[1]',
      'tenants[0].children[0].allowWorldEgress',
    ]);
    expect(e.issues[0].message).toMatch(/unknown key; allowed keys: name, children, sharedServices/);
  });

  test('options are validated', () => {
    const e = errorOf(() => TenantIsolation.manifests({
      ...CONTRACT,
      apiServerAccessLabel: '-bad',
      dnsNamespace: 'Kube_System',
      dnsPodLabels: {},
      worldIngressServices: [''],
    }));
    expect(e.issues.map((i) => i.path)).toEqual(['apiServerAccessLabel', 'worldIngressServices[0]', 'dnsNamespace', 'dnsPodLabels']);
  });
});
