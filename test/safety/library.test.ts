// Issue 13 item 9: the library refuses bad props like the file does, with
// the field path, never a TypeError; the same object twice in one app.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { refusal } from './helpers';
import { ClusterNetwork, Platform, TenantIsolation, ValidationErrors } from '../../src';

describe('new Platform refuses what the platform file refuses', () => {
  const cases: Array<[string, any, RegExp]> = [
    ['hubble: 42', { hubble: 42 }, /^hubble: must be a mapping \(got 42\)$/],
    ['tenantz: []', { tenantz: [] }, /^tenantz: unknown key; did you mean tenants\?/],
    ['releaseName: 7', { components: { metallb: { releaseName: 7 } } }, /^components\.metallb\.releaseName: must be a string \(got 7\)$/],
    ['delivery.flux: null', { delivery: { flux: null } }, /^delivery\.flux: must be a mapping \(got null\)$/],
    ['dependsOn: 0', { components: { metallb: { dependsOn: 0 } } }, /^components\.metallb\.dependsOn: must be a list \(got 0\)$/],
    ['namespace "Bad NS"', { components: { cilium: { namespace: 'Bad NS' } } }, /^components\.cilium\.namespace: must be a DNS-1123 label/],
    ['variant typo', { variant: 'kubeovn-cilum' }, /^variant: must be one of .*; did you mean kubeovn-cilium\?/],
    ['props not an object', 7, /^\(props\): must be an object of PlatformProps/],
    ['a tenant with a function for a name', { tenants: [{ name: () => 'root' }] }, /^tenants\[0\]\.name: must be a string/],
    ['release name with a path', { components: { metallb: { releaseName: '../../escaped' } } }, /^components\.metallb\.releaseName: must be a DNS-1123 label/],
    ['pod CIDR with a leading zero', { cluster: { podCidr: '10.244.0.0/016' } }, /^cluster\.podCidr: the prefix length must be written without leading zeros/],
    // (two lists: one list of 20,001 is refused by the list limit first, see budgets.test.ts)
    ['more tenants than the limit', { tenants: [{ name: 'root', children: [0, 1].map((h) => ({ name: `h${h}`, children: Array.from({ length: 10001 }, (_, i) => ({ name: `t${h}-${i}` })) })) }] }, /^tenants: a platform holds at most 20000 tenants/],
  ];
  test.each(cases)('%s', (_name, props, expected) => {
    expect(refusal(props)).toMatch(expected);
  });

  test('props that refer to themselves are refused, not a stack overflow', () => {
    const tenant: any = { name: 'root' };
    tenant.children = [tenant];
    expect(refusal({ tenants: [tenant] })).toMatch(/nested too deeply, or refers to itself/);
  });

  test('class instances in props (a ClusterNetwork for a pool) are TypeScript conveniences, not unknown keys', () => {
    const p = new Platform(new Construct(undefined as any, ''), 'p', {
      loadBalancer: { pools: [{ name: 'public', addresses: ['192.0.2.32/28'], cluster: new ClusterNetwork({}) }] },
    } as any);
    expect(p.pools.length).toBe(1);
  });

  test('a huge bad value is shown as a bounded excerpt', () => {
    const message = refusal({ cluster: { podCidr: 'x'.repeat(1_000_000) } });
    expect(message.length).toBeLessThan(600);
    expect(message).toMatch(/… \(1000000 characters\)/);
  });
});

describe('the same object twice in one app', () => {
  const tenants = [{ name: 'root', children: [{ name: 'acme' }] }];

  test('two Platforms over one tenant tree: synth fails naming the object', () => {
    const app = new App({ outdir: '/nonexistent-cozynet-never-written' });
    new Platform(app, 'a', { tenants });
    // b also leaves out the Gateway API CRDs and the anti-spoofing webhook, whose objects
    // would be named first (problems are listed up to 20).
    new Platform(app, 'b', { tenants, components: { cilium: { namespace: 'cilium-b' }, gatewayApiCrds: { enabled: false }, kubeovnWebhook: { enabled: false } } });
    expect(() => app.synth()).toThrow(/the object v1 Namespace tenant-root is emitted twice \(by a\/tenants\/.* and by b\/tenants\/.*\)/);
  });

  test('a Platform beside a TenantIsolation of the same tree', () => {
    const app = new App({ outdir: '/nonexistent-cozynet-never-written' });
    const p = new Platform(app, 'platform', { tenants });
    new TenantIsolation(new Chart(app, 'extra'), 'isolation', { tenants });
    expect(() => p.objects()).toThrow(/Namespace tenant-root is emitted twice/);
  });
});
