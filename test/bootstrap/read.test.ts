// The reader of the bootstrap model: chart templates are read for what the
// model uses, and what it reads equals a full YAML parse of the same fields.
import { parseAllDocuments } from 'yaml';
import { outputOf } from './helpers';
import { chartDocs, parseYamlDocs } from '../../src/bootstrap/read';

/** What the YAML library reads (the reference of both readers). */
function library(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter((v) => v !== null && v !== undefined);
}

const WHOLE = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'Pod', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'Service', 'Certificate']);

function projected(o: any): any {
  if (WHOLE.has(o.kind)) return o;
  const base: any = { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata };
  if (o.kind === 'CustomResourceDefinition') base.spec = { group: o.spec.group, names: { kind: o.spec.names.kind } };
  return base;
}

test.each([
  ['the default platform', {}],
  ['tenants, pools, subnets, attachments, passthrough', {
    tenants: [{ name: 'root', children: [{ name: 'acme' }] }],
    loadBalancer: { pools: [{ name: 'public', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth1'] } }] },
    subnets: [{ name: 'vms', cidr: '10.245.0.0/24', namespaces: ['tenant-acme'] }],
    attachments: [{ name: 'vlan100', namespace: 'tenant-acme', type: 'bridge', bridge: 'br-vlan100', vlanId: 100 }],
    passthrough: [{ name: 'vm1', namespace: 'tenant-acme', selector: { 'vm.kubevirt.io/name': 'vm1' }, pool: 'public', address: '192.0.2.35', wholeIp: true }],
  }],
  ['cilium-kilo', { variant: 'cilium-kilo' }],
])('every chart of %s reads as a full parse would', (_name, props) => {
  const files = outputOf(props as any);
  let n = 0;
  for (const [f, text] of files) {
    if (!/^charts\/[^/]+\/templates\//.test(f)) continue;
    const full = library(text.split('{{ "{{" }}').join('{{'));
    expect(parseYamlDocs(text.split('{{ "{{" }}').join('{{'))).toEqual(full);
    expect(chartDocs(text.split('{{ "{{" }}').join('{{'))).toEqual(full.map(projected));
    n += full.length;
  }
  expect(n).toBeGreaterThan(20);
});

test('a document not in cozynet\'s block style is parsed whole', () => {
  const text = [
    'apiVersion: v1\nkind: "ConfigMap"\nmetadata:\n  name: a\ndata:\n  x: "1"\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: n}\ndata: {y: "2"}\n',
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n  labels:\n    k: v\nspec: {}\n',
  ].join('---\n');
  expect(chartDocs(text)).toEqual([
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'n' }, data: { y: '2' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c', labels: { k: 'v' } } },
  ]);
});

test('YAML that cozynet does not write is read by the library: comments, flow style, anchors, leading blank lines; errors still throw', () => {
  for (const text of [
    '# a comment\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    '\n\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    'a: &x\n  k: v\nb: *x\n---\nc: 1\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: "1"',
  ]) {
    expect(parseYamlDocs(text)).toEqual(library(text));
  }
  expect(() => parseYamlDocs('a: [1, 2\n')).toThrow();
});
