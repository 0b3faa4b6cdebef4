import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JsonPatch, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Platform, ValuesLayer } from '../src';
import { run } from '../src/cli/main';

describe('the stock cdk8s synth of a Platform', () => {
  const app = Testing.app();
  const platform = new Platform(app, 'platform', { tenants: [{ name: 'root', children: [{ name: 'acme' }] }] });
  // a values layer added after the platform was built still reaches the release
  platform.stack.component('cilium')!.addValuesLayer(ValuesLayer.of('late', { operator: { replicas: 2 } }));
  const docs = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());

  test('includes the Flux sources and releases of every Helm component', () => {
    const releases = docs.filter((o) => o.kind === 'HelmRelease');
    expect(releases.map((r) => r.metadata.name)).toEqual(['cilium', 'kubeovn', 'cert-manager', 'metallb']);
    expect(docs.filter((o) => o.kind === 'HelmRepository').map((r) => r.spec.url)).toEqual([
      'https://helm.cilium.io', 'https://kubeovn.github.io/kube-ovn/', 'https://charts.jetstack.io', 'https://metallb.github.io/metallb',
    ]);
    const cilium = releases[0];
    expect(cilium.spec.values.kubeProxyReplacement).toBe(true);
    expect(cilium.spec.values.operator.replicas).toBe(2);
  });

  test('holds the Flux objects of the remote charts that cozynet writes to flux/releases.yaml', () => {
    const files = new Platform(Testing.app(), 'p', { tenants: [{ name: 'root', children: [{ name: 'acme' }] }] })._renderFiles();
    const flux = parseAllDocuments(files.get('flux/releases.yaml')!).map((d) => d.toJS());
    const fromStock = docs.filter((o) => o.apiVersion.includes('fluxcd.io')).map((o) => ({ ...o }));
    // cozynet's output adds the releases of its local charts (from the GitRepository holding the folder)
    const remote = flux.filter((o) => o.spec.chart?.spec?.sourceRef?.kind !== 'GitRepository');
    expect(fromStock.map((o) => o.kind + '/' + o.metadata.name)).toEqual(remote.map((o) => o.kind + '/' + o.metadata.name));
    expect(flux.filter((o) => !remote.includes(o)).map((o) => o.metadata.name)).toEqual(['namespaces', 'gateway-api-crds', 'cilium-manifests', 'cilium-networkpolicy', 'kubeovn-webhook', 'multus', 'cozy-proxy', 'tenants']);
  });

  test('includes the namespaces, tenant objects and components', () => {
    const kinds = new Set(docs.map((o) => o.kind));
    for (const k of ['Namespace', 'ConfigMap', 'CiliumClusterwideNetworkPolicy', 'CiliumNetworkPolicy', 'DaemonSet']) expect(kinds).toContain(k);
  });
});

test('tenant objects honour metadata changes and JSON patches made through the ApiObject API', () => {
  const app = Testing.app();
  const platform = new Platform(app, 'platform', { tenants: [{ name: 'root' }] });
  const ns = platform.tenantIsolation!.apiObjects.find((o) => o.kind === 'Namespace')!;
  ns.metadata.addLabel('team', 'platform');
  ns.addJsonPatch(JsonPatch.add('/metadata/annotations', { note: 'x' }));
  const json = ns.toJson();
  expect(json.metadata.labels.team).toBe('platform');
  expect(json.metadata.annotations).toEqual({ note: 'x' });
  expect(Object.keys(json).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
});

test('cozynet synth reports progress through the io hook', () => {
  const seen: string[] = [];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-progress-'));
  const code = run(['synth', '--out', `${out}/o`], { out: () => undefined, err: () => undefined, progress: (t) => seen.push(t) });
  expect(code).toBe(0);
  expect(seen).toEqual(['cozynet: building the platform', 'cozynet: rendering', 'cozynet: writing 33 files', '']);
});
