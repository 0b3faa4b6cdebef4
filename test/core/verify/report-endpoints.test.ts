/* One representative endpoint per set of pod labels in a tenant. */
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { verifyTenantIsolation } from '../../../src/verify';

describe('endpoints laid out for a tenant', () => {
  test('an exposure peer with a selector that the policies also select is one endpoint, not two', () => {
    const props: TenantIsolationProps = {
      tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }],
      exposures: [{ name: 'api', namespace: 'tenant-a', selector: { app: 'api' }, ports: [{ port: 443 }], from: [{ namespace: 'tenant-b', selector: { role: 'client' } }] }],
    };
    const report = verifyTenantIsolation(props, TenantIsolation.manifests(props));
    expect(report.ok).toBe(true);
    const clients = report.endpoints.filter((e) => e.tenant === 'tenant-b' && e.labels.role === 'client');
    expect(clients.map((e) => e.id)).toEqual([
      'tenant-b/pods:role=client',
      'tenant-b/pods:cozystack.io/service=etcd,role=client',
      'tenant-b/pods:cozystack.io/service=ingress,role=client',
      'tenant-b/pods:cozystack.io/service=monitoring,role=client',
      'tenant-b/pods:policy.cozystack.io/allow-to-apiserver=true,role=client',
      'tenant-b/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,role=client',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client',
      'tenant-b/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,role=client',
    ]);
    // every endpoint of a tenant has its own labels (the probe label aside)
    for (const t of ['tenant-root', 'tenant-a', 'tenant-b']) {
      const keys = report.endpoints.filter((e) => e.tenant === t)
        .map((e) => JSON.stringify(Object.entries(e.labels).filter(([k]) => k !== 'cozynet.io/probe').sort()));
      expect([t, keys.length]).toEqual([t, new Set(keys).size]);
    }
    // without objects (nothing selects role=client), the peer gets its own endpoint
    const bare = verifyTenantIsolation(props, []);
    expect(bare.endpoints.filter((e) => e.tenant === 'tenant-b' && e.labels.role === 'client').map((e) => e.id)).toEqual([
      'tenant-b/from:tenant-a/api',
      'tenant-b/pods:cozystack.io/service=etcd,role=client',
      'tenant-b/pods:cozystack.io/service=ingress,role=client',
      'tenant-b/pods:cozystack.io/service=monitoring,role=client',
      'tenant-b/pods:policy.cozystack.io/allow-to-apiserver=true,role=client',
      'tenant-b/pods:cozystack.io/service=etcd,policy.cozystack.io/allow-to-apiserver=true,role=client',
      'tenant-b/pods:cozystack.io/service=ingress,policy.cozystack.io/allow-to-apiserver=true,role=client',
      'tenant-b/pods:cozystack.io/service=monitoring,policy.cozystack.io/allow-to-apiserver=true,role=client',
    ]);
  });
});
