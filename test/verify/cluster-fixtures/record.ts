/**
 * Writes the recorded API responses of test/verify/cluster-fixtures/api/
 * (`npx tsx test/verify/cluster-fixtures/record.ts`): what a Kubernetes
 * 1.33 API server with Cilium 1.19 answers to the cluster-wide lists of
 * `verify --cluster`, for the contract example's synthesized objects plus a
 * few workloads of every kind. Built-in lists carry no apiVersion/kind on
 * their items (as the API server sends them); custom resources do; every
 * item has the server's metadata (uid, resourceVersion, creationTimestamp,
 * managedFields). Pods come in two pages joined by a `continue` token.
 * Each file is one response body, named after the request path (`/` as `_`),
 * `@<continue token>` for a later page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { Platform } from '../../../src';
import { CLUSTER_RESOURCES, listPath } from '../../../src/cli/cluster-reader';
import { readPlatformFile } from '../../../src/platform/file';

const ROOT = path.join(__dirname, '..', '..', '..');
const OUT = path.join(__dirname, 'api');
const contract = new Platform(new Construct(undefined as any, ''), 'p', {
  ...readPlatformFile(path.join(ROOT, 'examples', 'platforms', 'contract.yaml')), delivery: { terraform: false },
}).objects();

const template = (labels: Record<string, string>, sa: string, port: number) => ({
  metadata: { labels },
  spec: { serviceAccountName: sa, containers: [{ name: 'main', image: 'registry.example/app:1.0', ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }] }] },
});
const workloads: any[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'tenant-acme', labels: { app: 'api' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: template({ app: 'api' }, 'api', 8443) },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'api-5d8f7c9b6',
      namespace: 'tenant-acme',
      labels: { 'app': 'api', 'pod-template-hash': '5d8f7c9b6' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'b1f0e7a2-0000-4000-8000-000000000001', controller: true }],
    },
    spec: { replicas: 2, selector: { matchLabels: { 'app': 'api', 'pod-template-hash': '5d8f7c9b6' } }, template: template({ 'app': 'api', 'pod-template-hash': '5d8f7c9b6' }, 'api', 8443) },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'tenant-beta' },
    spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }, 'db', 5432) },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-agent', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: 'node-agent' } }, template: template({ app: 'node-agent' }, 'node-agent', 9100) },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'tenant-acme' },
    spec: { template: { ...template({ 'app': 'migrate', 'batch.kubernetes.io/job-name': 'migrate' }, 'default', 8080), spec: { ...template({}, 'default', 8080).spec, restartPolicy: 'Never' } } },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'report', namespace: 'tenant-beta' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { ...template({ app: 'report' }, 'default', 8080), spec: { ...template({}, 'default', 8080).spec, restartPolicy: 'OnFailure' } } } } },
  },
];
const pods: any[] = [];
for (const [ns, name, labels, sa, port] of [
  ['tenant-acme', 'api-5d8f7c9b6-7xk2p', { 'app': 'api', 'pod-template-hash': '5d8f7c9b6' }, 'api', 8443],
  ['tenant-acme', 'api-5d8f7c9b6-q9w4z', { 'app': 'api', 'pod-template-hash': '5d8f7c9b6' }, 'api', 8443],
  ['tenant-acme', 'vm1-launcher-h2x8d', { 'kubevirt.io/domain': 'vm1', 'vm.kubevirt.io/name': 'vm1' }, 'default', 8080],
  ['tenant-beta', 'db-0', { 'app': 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' }, 'db', 5432],
  ['kube-system', 'node-agent-8fj3k', { app: 'node-agent' }, 'node-agent', 9100],
] as const) {
  pods.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { ...labels } },
    spec: { ...template({}, sa, port).spec, nodeName: 'node-1' },
    status: { phase: 'Running', podIP: `10.244.1.${pods.length + 10}` },
  });
}
const endpoints = pods.filter((p) => p.metadata.namespace !== 'kube-system').map((p, i) => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumEndpoint',
  metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
  status: {
    id: 100 + i,
    identity: { id: 20000 + i, labels: Object.entries(p.metadata.labels).map(([k, v]) => `k8s:${k}=${v}`) },
    networking: { addressing: [{ ipv4: p.status.podIP }], node: '192.168.1.11' },
    state: 'ready',
  },
}));
const all = [...contract, ...workloads, ...pods, ...endpoints];

let rv = 41000;
let uid = 0;
fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
for (const r of CLUSTER_RESOURCES) {
  const apiVersion = r.group === '' ? r.version : `${r.group}/${r.version}`;
  const items = all.filter((o) => o.kind === r.kind && o.apiVersion === apiVersion)
    .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`))
    .map((o) => {
      const { apiVersion: av, kind, ...rest } = o;
      const metadata = {
        ...o.metadata,
        uid: `6c1d${String(++uid).padStart(4, '0')}-9a3e-4b2f-8c71-0d5e3f2a${String(uid).padStart(4, '0')}`,
        resourceVersion: String(++rv),
        creationTimestamp: '2026-11-30T08:15:00Z',
        managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: av, time: '2026-11-30T08:15:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
      };
      // built-in kinds: the API server leaves apiVersion/kind out of list items; custom resources keep them
      return r.group === 'cilium.io' || r.group === 'kubevirt.io' ? { apiVersion: av, kind, ...rest, metadata } : { ...rest, metadata };
    });
  if (r.group === 'kubevirt.io') continue; // KubeVirt not installed: the server answers 404
  const listKind = `${r.kind}List`;
  const file = listPath(r).slice(1).replace(/\//g, '_');
  const pages = r.resource === 'pods' ? [items.slice(0, 3), items.slice(3)] : [items];
  // a continue token as the API server writes it: base64 of the list's resourceVersion and the key to start after
  const tokenAfter = (i: number) => Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 41000, start: `${pages[i].at(-1).metadata.namespace}/${pages[i].at(-1).metadata.name}\u0000` })).toString('base64url');
  pages.forEach((page, i) => {
    const token = i + 1 < pages.length ? tokenAfter(i) : undefined;
    const more = token ? { continue: token, remainingItemCount: pages.slice(i + 1).flat().length } : {};
    const body = { kind: listKind, apiVersion, metadata: { resourceVersion: String(rv), ...more }, items: page };
    const prevToken = i === 0 ? '' : `@${tokenAfter(i - 1)}`;
    fs.writeFileSync(path.join(OUT, `${file}${prevToken}.json`), JSON.stringify(body, null, 1) + '\n');
  });
}
