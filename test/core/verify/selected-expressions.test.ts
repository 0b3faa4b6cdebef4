/*
 * Representative pods for selectors written with `matchExpressions`, for
 * Kubernetes NetworkPolicy peers, and for peers naming their namespace by its
 * name label: a cross-tenant opening that only such pods have must show in
 * the verification. Fixtures are built inside each test (mutation testing).
 */
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { verifyTenantIsolation } from '../../../src/verify';
import { selectedPodLabels } from '../../../src/verify/verify';

const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
const CNP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });
const NP = (namespace: string, name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const NS_NAME = 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name';

/** Label sets selected per namespace, as `k=v,...`, for the endpoint selectors given (CNPs in tenant-a). */
function selected(...selectors: any[]): Record<string, string[]> {
  const objects = selectors.map((endpointSelector, i) => CNP('tenant-a', `p${i}`, { endpointSelector }));
  return asObject(selectedPodLabels(objects, new Set(['tenant-a', 'tenant-b'])));
}
function asObject(m: Map<string, Array<Record<string, string>>>): Record<string, string[]> {
  return Object.fromEntries([...m].map(([ns, sets]) => [ns, sets.map((l) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(','))]));
}
const expr = (key: string, operator: string, values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });

describe('match expressions give a representative pod', () => {
  test('In takes its first value; Exists a value; NotIn and DoesNotExist only constrain', () => {
    expect(selected({ matchExpressions: [expr('app', 'In', ['db', 'cache'])] })).toEqual({ 'tenant-a': ['app=db'] });
    expect(selected({ matchExpressions: [expr('k8s:app', 'In', ['db', 'cache']), expr('any:app', 'NotIn', ['db'])] })).toEqual({ 'tenant-a': ['app=cache'] });
    expect(selected({ matchExpressions: [expr('tier', 'Exists')] })).toEqual({ 'tenant-a': ['tier=x'] });
    expect(selected({ matchExpressions: [expr('tier', 'Exists'), expr('tier', 'NotIn', ['x', 'x1'])] })).toEqual({ 'tenant-a': ['tier=x2'] });
    expect(selected({ matchLabels: { app: 'web' }, matchExpressions: [expr('tier', 'In', ['front']), expr('app', 'In', ['web', 'api']), expr('debug', 'DoesNotExist')] }))
      .toEqual({ 'tenant-a': ['app=web,tier=front'] });
    // constraints alone select every pod of the namespace: the tenant's own pod stands for them
    expect(selected({ matchExpressions: [expr('app', 'NotIn', ['db']), expr('debug', 'DoesNotExist')] })).toEqual({});
  });

  test('selectors no pod can match, and malformed ones, give none', () => {
    expect(selected(
      { matchExpressions: [expr('app', 'In', [])] },
      { matchExpressions: [expr('app', 'Exists'), expr('app', 'DoesNotExist')] },
      { matchExpressions: [expr('app', 'In', ['db']), expr('app', 'NotIn', ['db'])] },
      { matchLabels: { app: 'web' }, matchExpressions: [expr('app', 'In', ['db'])] },
      { matchLabels: { app: 'web' }, matchExpressions: [expr('app', 'NotIn', ['web'])] },
      { matchLabels: { app: 'web' }, matchExpressions: [expr('app', 'DoesNotExist')] },
      { matchLabels: { app: 'web' }, matchExpressions: [expr('tier', 'Equals', ['db'])] },
      { matchLabels: { app: 'web' }, matchExpressions: [null] },
      { matchLabels: { app: 'web' }, matchExpressions: [{ operator: 'Exists' }] },
      { matchLabels: { app: 'web' }, matchExpressions: 'tier' },
      { matchExpressions: [expr('app', 'In')] },
      { matchExpressions: [expr('reserved:host', 'Exists')] },
      { matchExpressions: 'app' },
      { matchLabels: 'app', matchExpressions: [expr('app', 'In', ['db'])] },
      { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-a', [NS_NAME]: 'tenant-b', 'app': 'db' } },
    )).toEqual({});
  });

  test('the namespace: io.kubernetes.pod.namespace or the name label, in labels or as a one-value In', () => {
    expect(selected(
      { matchLabels: { [NS_NAME]: 'tenant-b', app: 'one' } },
      { matchExpressions: [expr('k8s:io.kubernetes.pod.namespace', 'In', ['tenant-b']), expr('app', 'In', ['two'])] },
      { matchExpressions: [expr(NS_NAME, 'In', ['tenant-b']), expr('app', 'In', ['three'])] },
      // two namespaces, or NotIn: not a place; the policy's own namespace
      { matchExpressions: [expr('io.kubernetes.pod.namespace', 'In', ['tenant-b', 'tenant-a']), expr('app', 'In', ['four'])] },
      { matchExpressions: [expr('io.kubernetes.pod.namespace', 'NotIn', ['tenant-b']), expr('app', 'In', ['five'])] },
      { matchLabels: { 'io.kubernetes.pod.namespace': 'tenant-b' }, matchExpressions: [expr(NS_NAME, 'In', ['tenant-a']), expr('app', 'In', ['six'])] },
      // both names agree
      { matchLabels: { 'io.kubernetes.pod.namespace': 'tenant-b', [NS_NAME]: 'tenant-b', 'app': 'seven' } },
    )).toEqual({ 'tenant-b': ['app=one', 'app=two', 'app=three', 'app=seven'], 'tenant-a': ['app=four', 'app=five'] });
  });

  test('internal Cilium keys are not pod labels, in expressions too', () => {
    expect(selected({ matchExpressions: [expr('io.cilium.k8s.policy.serviceaccount', 'In', ['sa']), expr('k8s:io.cilium.k8s.policy.cluster', 'Exists'), expr('app', 'In', ['db'])] }))
      .toEqual({ 'tenant-a': ['app=db'] });
  });

  test('Cilium peers with expressions', () => {
    const objects = [CNP('tenant-a', 'p', {
      endpointSelector: {},
      ingress: [{ fromEndpoints: [{ matchLabels: { [NS_NAME]: 'tenant-b' }, matchExpressions: [expr('role', 'In', ['client'])] }] }],
      egress: [{ toEndpoints: [{ matchExpressions: [expr('role', 'Exists')] }] }],
    })];
    expect(asObject(selectedPodLabels(objects, new Set(['tenant-a', 'tenant-b'])))).toEqual({ 'tenant-b': ['role=client'], 'tenant-a': ['role=x'] });
  });
});

describe('NetworkPolicy peers give a representative pod', () => {
  test('own namespace, or the namespace a namespaceSelector names; other peers none', () => {
    const objects = [
      NP('tenant-a', 'n', {
        podSelector: { matchExpressions: [expr('app', 'In', ['db'])] },
        ingress: [
          { from: [{ podSelector: { matchLabels: { role: 'same-ns' } } }, null, { ipBlock: { cidr: '10.0.0.0/8' } }] },
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-b' } }, podSelector: { matchLabels: { role: 'other-ns' } } }] },
          { from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { role: 'somewhere' } } }] },
          { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'anywhere' } } }] },
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } }, podSelector: { matchLabels: { role: 'outside' } } }] },
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 7 } }, podSelector: { matchLabels: { role: 'number' } } }] },
          { from: [{ namespaceSelector: null, podSelector: { matchLabels: { role: 'null-ns-selector' } } }] },
          'junk',
          null,
        ],
        egress: [{ to: [{ podSelector: { matchExpressions: [expr('role', 'In', ['backend'])] } }] }, { to: 'junk' }],
      }),
      NP('tenant-b', 'm', { podSelector: {}, ingress: 'junk', egress: [{ to: [{ podSelector: { matchLabels: { role: 'egress-peer' } } }] }] }),
    ];
    expect(asObject(selectedPodLabels(objects, new Set(['tenant-a', 'tenant-b'])))).toEqual({
      'tenant-a': ['app=db', 'role=same-ns', 'role=null-ns-selector', 'role=backend'],
      'tenant-b': ['role=other-ns', 'role=egress-peer'],
    });
  });
});

describe('an opening that only such pods have is found', () => {
  const brief = (list: Array<{ source: string; destination: string; probe: string }>) => list.map((d) => `${d.source} -> ${d.destination} ${d.probe}`);

  test('tenant-a clients and tenant-b databases, selected by expressions in Cilium policies', () => {
    const objects = [
      ...TenantIsolation.manifests(SIBLINGS),
      CNP('tenant-a', 'to-b', {
        endpointSelector: { matchExpressions: [expr('role', 'In', ['client'])] },
        egress: [{ toEndpoints: [{ matchLabels: { [NS_NAME]: 'tenant-b' }, matchExpressions: [expr('role', 'In', ['db'])] }] }],
      }),
      CNP('tenant-b', 'from-a', {
        endpointSelector: { matchExpressions: [expr('role', 'In', ['db'])] },
        ingress: [{ fromEndpoints: [{ matchLabels: { [NS_NAME]: 'tenant-a' }, matchExpressions: [expr('role', 'Exists')] }] }],
      }),
    ];
    const report = verifyTenantIsolation(SIBLINGS, objects);
    expect(report.ok).toBe(false);
    expect(brief(report.differences)).toEqual([
      'tenant-a/pods:role=client -> tenant-b/pods:role=db TCP/8080',
      'tenant-a/pods:role=client -> tenant-b/pods:role=db UDP/8080',
      'tenant-a/pods:role=client -> tenant-b/pods:role=db SCTP/8080',
    ]);
    expect(report.differences[0]).toMatchObject({ intended: false, actual: true });
  });

  test('a NetworkPolicy peer: tenant-b admits tenant-a clients, which tenant-a alone can then open', () => {
    const objects = [
      ...TenantIsolation.manifests(SIBLINGS),
      NP('tenant-b', 'from-a-clients', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-a' } }, podSelector: { matchLabels: { role: 'client' } } }] }],
      }),
    ];
    const report = verifyTenantIsolation(SIBLINGS, objects);
    // the baseline still keeps tenant-a's pods in: no difference, but tenant-b's half is open
    expect(report.summary.differences).toBe(0);
    expect(report.ok).toBe(false);
    const opened = brief(report.tenantAuthored.opened);
    expect(opened.slice(0, 3)).toEqual([
      'tenant-a/pods:role=client -> tenant-b/pod TCP/8080',
      'tenant-a/pods:role=client -> tenant-b/pod UDP/8080',
      'tenant-a/pods:role=client -> tenant-b/pod SCTP/8080',
    ]);
    expect(opened.every((o) => o.startsWith('tenant-a/pods:role=client -> tenant-b/'))).toBe(true);
    expect(report.tenantAuthored.opened[0].explanation)
      .toBe('egress allowed by the widest tenant policy (egress); ingress allowed by NetworkPolicy tenant-b/from-a-clients ingress[0] from[0]');
  });
});
