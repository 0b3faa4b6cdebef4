/*
 * Issue 22, item 2: workloads of the input become endpoints named as a user
 * names them, with their labels, namespace and service account.
 */
import { TenantIsolation, TenantIsolationProps } from '../../../src/tenants';
import { resolveTenants } from '../../../src/tenants/tree';
import { verifyTenantIsolation } from '../../../src/verify';
import { compileVerification } from '../../../src/verify/verify';
import { workloadsOf } from '../../../src/verify/workloads';

const SIBLINGS: TenantIsolationProps = { tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b' }] }] };
const template = (labels: Record<string, string>, spec: any = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'c' }], ...spec } });

describe('workloadsOf', () => {
  test('Pods, the controllers with a pod template, CronJobs and KubeVirt VirtualMachines', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'tenant-a', labels: { app: 'p' } }, spec: { serviceAccountName: 'sa', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'udp' }] }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'tenant-a' }, spec: { template: template({ app: 'api' }) } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'tenant-b' }, spec: { template: template({ app: 'db' }, { serviceAccount: 'old' }) } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: template({ app: 'd' }) } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'x' }, spec: { template: template({}) } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'x' }, spec: { template: template({ job: 'j' }) } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'x' }, spec: { jobTemplate: { spec: { template: template({ cron: 'yes' }) } } } },
      { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm1', namespace: 'tenant-a' }, spec: { template: { metadata: { labels: { os: 'linux' } }, spec: { domain: {} } } } },
      // not workloads, or malformed
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-template' }, spec: {} },
      { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'other-group' }, spec: { template: template({}) } },
      { apiVersion: 'v1', kind: 'Pod', metadata: {} },
      null,
    ];
    expect(workloadsOf(objects).map((w) => `${w.id} ${JSON.stringify(w.labels)} sa=${w.serviceAccount} ${JSON.stringify(w.ports)}`)).toEqual([
      'tenant-a/pod/p {"app":"p"} sa=sa {"http":{"port":8080,"protocol":"TCP"},"dns":{"port":53,"protocol":"UDP"}}',
      'tenant-a/deployment/api {"app":"api"} sa=default {}',
      'tenant-b/statefulset/db {"app":"db"} sa=old {}',
      'default/daemonset/d {"app":"d"} sa=default {}',
      'x/replicaset/r {} sa=default {}',
      'x/job/j {"job":"j"} sa=default {}',
      'x/cronjob/cj {"cron":"yes"} sa=default {}',
      'tenant-a/virtualmachine/vm1 {"os":"linux","kubevirt.io":"virt-launcher","vm.kubevirt.io/name":"vm1"} sa=default {}',
    ]);
  });

  test('an object named again (both sides of --against, a file given twice) is one workload: the first', () => {
    const pod = (app: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'tenant-a', labels: { app } }, spec: { containers: [] } });
    const other = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'p', namespace: 'tenant-a' }, spec: { template: template({ app: 'd' }) } };
    expect(workloadsOf([pod('first'), other, pod('second')]).map((w) => `${w.id} ${w.labels.app}`)).toEqual([
      'tenant-a/pod/p first',
      'tenant-a/deployment/p d',
    ]);
  });
});

describe('workloads are endpoints of the matrix', () => {
  test('a Deployment in tenant-a opened to tenant-b through its service account: the report names the workload', () => {
    const objects = [
      ...TenantIsolation.manifests(SIBLINGS),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'builder', namespace: 'tenant-a' }, spec: { template: template({ app: 'build' }, { serviceAccountName: 'ci' }) } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'to-b', namespace: 'tenant-a' }, spec: { endpointSelector: { matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'ci' } }, egress: [{ toEntities: ['cluster'] }] } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'from-a', namespace: 'tenant-b' }, spec: { endpointSelector: {}, ingress: [{ fromEntities: ['cluster'] }] } },
    ];
    const v = compileVerification(resolveTenants(SIBLINGS), objects);
    const rep = v.layout.reps.find((r) => r.id === 'tenant-a/deployment/builder')!;
    expect(rep).toMatchObject({ role: 'tenant-workload', namespace: 'tenant-a', tenant: { namespace: 'tenant-a' } });
    expect(rep.labels).toMatchObject({ 'app': 'build', 'io.cilium.k8s.policy.serviceaccount': 'ci' });
    const report = verifyTenantIsolation(SIBLINGS, objects);
    expect(report.ok).toBe(false);
    expect(report.differences.some((d) => d.source === 'tenant-a/deployment/builder' && d.destination === 'tenant-b/pod' && d.actual)).toBe(true);
  });
});

describe('named ports resolve when the pods are given', () => {
  test('a rule on the named port "http": the Deployment\'s cell is determined on its number, other ports denied; pods whose ports are not known stay undetermined', () => {
    const objects = [
      ...TenantIsolation.manifests(SIBLINGS),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'tenant-a' }, spec: { template: template({ app: 'web' }, { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] }) } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'from-b', namespace: 'tenant-a' }, spec: { endpointSelector: {}, ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }] } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'to-a', namespace: 'tenant-b' }, spec: { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] } },
    ];
    const report = verifyTenantIsolation(SIBLINGS, objects);
    const cells = (list: typeof report.differences, dst: string) => list.filter((d) => d.source === 'tenant-b/pod' && d.destination === dst).map((d) => d.probe);
    // the workload: opened on TCP/8080 exactly, a determined difference
    expect(cells(report.differences, 'tenant-a/deployment/web')).toEqual(['TCP/8080']);
    expect(cells(report.undetermined, 'tenant-a/deployment/web')).toEqual([]);
    // the representative pod of tenant-a (no container ports known): every TCP class is undetermined, never a verdict
    expect(cells(report.undetermined, 'tenant-a/pod')).toContain('TCP/8080');
    expect(cells(report.differences, 'tenant-a/pod')).toEqual([]);
    expect(report.ok).toBe(false);
  });
});
