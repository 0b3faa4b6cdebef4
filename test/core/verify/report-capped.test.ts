/*
 * A capped list (maxDifferences) is the beginning of the full list: the
 * cells a user sees first are the same whether or not the list was cut.
 */
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { verifyTenantIsolation } from '../../../src/verify';

const TREE: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }] };
const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const CCNP = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const nsLabel = (ns: string) => ({ [`k8s:io.cilium.k8s.namespace.labels.tenant.cozystack.io/${ns}`]: '' });
const CAPS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 25, 50, 100, 200, 400, 800];

describe('capped lists are prefixes of the full lists', () => {
  test('differences: with no policies at all', () => {
    const full = verifyTenantIsolation(TREE, [], { maxDifferences: 1_000_000 });
    expect(full.differences.length).toBe(full.summary.differences);
    for (const n of CAPS) {
      const capped = verifyTenantIsolation(TREE, [], { maxDifferences: n });
      expect([n, capped.differences]).toEqual([n, full.differences.slice(0, n)]);
      expect(capped.summary.differences).toBe(full.summary.differences);
    }
    // the first cells of one source and destination come with all their probes
    expect(verifyTenantIsolation(TREE, [], { maxDifferences: 3 }).differences.map((d) => `${d.source} -> ${d.destination} ${d.probe}`))
      .toEqual(full.differences.slice(0, 3).map((d) => `${d.source} -> ${d.destination} ${d.probe}`));
  });

  test('cells opened by a tenant-authored policy', () => {
    const objects = [...TenantIsolation.manifests(TREE),
      CNP('tenant-beta', 'from-acme', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: nsLabel('tenant-acme') }] }] })];
    const full = verifyTenantIsolation(TREE, objects, { maxDifferences: 1_000_000 });
    expect(full.tenantAuthored.opened.length).toBe(full.summary.openedByTenantPolicies);
    expect(full.tenantAuthored.opened.length).toBeGreaterThan(30);
    for (const n of CAPS) {
      const capped = verifyTenantIsolation(TREE, objects, { maxDifferences: n });
      expect([n, capped.tenantAuthored.opened]).toEqual([n, full.tenantAuthored.opened.slice(0, n)]);
    }
  });

  test('undetermined cells', () => {
    const tree: TenantIsolationProps = { tenants: [{ name: 'root', allowWorldEgress: false, children: [{ name: 'acme', children: [{ name: 'dev' }] }, { name: 'beta' }] }] };
    const objects = [...TenantIsolation.manifests(tree),
      CCNP('fqdn', { endpointSelector: { matchLabels: nsLabel('tenant-root') }, egress: [{ toFQDNs: [{ matchName: 'api.example.com' }] }] })];
    const full = verifyTenantIsolation(tree, objects, { maxDifferences: 1_000_000 });
    expect(full.undetermined.length).toBe(full.summary.undetermined);
    expect(full.undetermined.length).toBeGreaterThan(10);
    for (const n of CAPS) {
      expect([n, verifyTenantIsolation(tree, objects, { maxDifferences: n }).undetermined]).toEqual([n, full.undetermined.slice(0, n)]);
    }
  });
});
