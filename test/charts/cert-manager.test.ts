/**
 * The cert-manager chart (jetstack v1.20.2, fixtures/cert-manager: the reference platform's
 * vendored chart with its CRD templates put back, see fixtures/SOURCE.md) rendered with the
 * values cozynet writes to helm/cert-manager.values.yaml: it renders cleanly, installs its own
 * CRDs, every value cozynet emits changes the render (no key the chart ignores), and every pod
 * meets the `restricted` Pod Security level cozynet labels its namespace with.
 */
import * as path from 'path';
import { FIXTURES, find, helmTemplate, normalize, tearDownHelm } from './helm';
import { leafPaths } from '../../src/helm/values';
import { synth } from '../helpers/synth';

const CHART = path.join(FIXTURES, 'cert-manager');
const NAMESPACE = 'cozy-cert-manager';
const values = synth().values('cert-manager');

afterAll(() => tearDownHelm());

/** Why a pod spec is not `restricted` (Pod Security Standards), or undefined. */
function restrictedViolation(pod: any): string | undefined {
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) return 'host namespaces';
  for (const v of pod.volumes ?? []) if (v.hostPath) return `hostPath ${v.name}`;
  for (const c of [...pod.initContainers ?? [], ...pod.containers]) {
    const sc = { ...pod.securityContext, ...c.securityContext };
    if (sc.privileged) return `${c.name} privileged`;
    if (sc.allowPrivilegeEscalation !== false) return `${c.name} may escalate privileges`;
    if (sc.runAsNonRoot !== true) return `${c.name} may run as root`;
    if (sc.runAsUser === 0) return `${c.name} runs as root`;
    if (!['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile?.type)) return `${c.name} has no RuntimeDefault seccomp profile`;
    const drop = c.securityContext?.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) return `${c.name} does not drop ALL capabilities`;
    const add = (c.securityContext?.capabilities?.add ?? []).filter((x: string) => x !== 'NET_BIND_SERVICE');
    if (add.length > 0) return `${c.name} adds ${add.join(', ')}`;
  }
  return undefined;
}

test('renders cleanly, with its CRDs (kept on uninstall) and the webhook on 10260', async () => {
  const r = await helmTemplate(CHART, 'cert-manager', NAMESPACE, values);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const crds = r.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name).sort();
  expect(crds).toEqual([
    'certificaterequests.cert-manager.io', 'certificates.cert-manager.io', 'challenges.acme.cert-manager.io',
    'clusterissuers.cert-manager.io', 'issuers.cert-manager.io', 'orders.acme.cert-manager.io',
  ]);
  for (const o of r.objects.filter((x) => x.kind === 'CustomResourceDefinition')) expect(o.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
  const webhook = find(r.objects, 'Deployment', 'cert-manager-webhook');
  expect(webhook.spec.template.spec.containers[0].args).toContain('--secure-port=10260');
  // the chart's default (no CRDs) proves that crds.enabled is what installs them
  const bare = await helmTemplate(CHART, 'cert-manager', NAMESPACE, {});
  expect(bare.objects.some((o) => o.kind === 'CustomResourceDefinition')).toBe(false);
});

test('every pod meets the restricted Pod Security level of its namespace', async () => {
  const r = await helmTemplate(CHART, 'cert-manager', NAMESPACE, values);
  const workloads = r.objects.filter((o) => ['Deployment', 'Job', 'DaemonSet', 'StatefulSet'].includes(o.kind));
  expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
    'Deployment/cert-manager', 'Deployment/cert-manager-cainjector', 'Deployment/cert-manager-webhook', 'Job/cert-manager-startupapicheck',
  ]);
  for (const w of workloads) expect([w.metadata.name, restrictedViolation(w.spec.template.spec)]).toEqual([w.metadata.name, undefined]);
  expect(synth().objects().find((o) => o.kind === 'Namespace' && o.metadata.name === NAMESPACE).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
});

test('every value cozynet emits changes the render', async () => {
  const before = normalize((await helmTemplate(CHART, 'cert-manager', NAMESPACE, values)).objects);
  const unchanged: string[] = [];
  for (const p of leafPaths(values)) {
    const copy = JSON.parse(JSON.stringify(values));
    let o = copy;
    for (const k of p.slice(0, -1)) o = o[k];
    delete o[p[p.length - 1]];
    const after = await helmTemplate(CHART, 'cert-manager', NAMESPACE, copy);
    expect(after.code).toBe(0);
    if (normalize(after.objects) === before) unchanged.push(p.join('.'));
  }
  // crds.keep is the chart's default too: kept explicit so that an uninstall never deletes every Certificate
  expect(unchanged).toEqual(['crds.keep']);
});
