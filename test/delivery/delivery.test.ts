/**
 * Every delivery path delivers the whole layer: for every variant, the
 * objects that the Flux objects alone deliver, and those that the Terraform
 * configuration alone delivers, are exactly the objects of manifests/, in
 * dependency order. Local charts are rendered with the real helm (v3.18).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { helmBinary, helmTemplate, writeTree } from './helm';
import { Platform, Variant } from '../../src';
import { readPlatformFile } from '../../src/platform/file';
import { planDelivery } from '../../src/render/charts';

const CONTRACT = path.join(__dirname, '..', '..', 'examples', 'platforms', 'contract.yaml');

/** API group → the component whose chart (or manifests) defines its CRDs. */
const CRD_PROVIDER: Record<string, string> = {
  'cilium.io': 'cilium',
  'metallb.io': 'metallb',
  'kubeovn.io': 'kubeovn',
  'k8s.cni.cncf.io': 'multus',
  'kilo.squat.ai': 'kilo',
};

interface Delivered {
  /** release name → objects it applies (local charts only; remote charts are the upstream charts). */
  objects: Map<string, any[]>;
  /** release name → release names it waits for. */
  dependsOn: Map<string, string[]>;
  /** release name → component it belongs to (remote releases). */
  remote: Set<string>;
}

const docsOf = (text: string): any[] => parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
const key = (o: any) => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const canonical = (objects: any[]) => objects.map((o) => JSON.stringify(sortDeep(o))).sort();
function sortDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])]));
  return v;
}

function ancestors(deps: Map<string, string[]>, name: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(deps.get(name) ?? [])];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...(deps.get(d) ?? []));
  }
  return seen;
}

describe.each(Variant.names())('variant %s', (variant) => {
  // (tenants on noop are Cilium policies: the cluster's own CNI must be Cilium; Kube-OVN
  // subnets only on the variants that run Kube-OVN, issue 21)
  const contract = readPlatformFile(CONTRACT);
  const props = {
    ...contract,
    variant,
    ...(variant === 'noop' ? { cni: 'cilium' } : {}),
    ...(variant.startsWith('kubeovn-') ? {} : { subnets: undefined }),
  } as any;
  const platform = new Platform(new Construct(undefined as any, ''), 'p', props);
  const files = platform._renderFiles();
  const index = JSON.parse(files.get('index.json')!);
  const manifests: any[] = (index.manifests as string[]).flatMap((p) => docsOf(files.get(p)!));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-delivery-'));
  writeTree(files, 'charts/', out);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  const rendered = new Map<string, any[]>();
  const render = (chartDir: string, release: string, namespace: string) => {
    const k = `${chartDir}|${release}|${namespace}`;
    if (!rendered.has(k)) rendered.set(k, docsOf(helmTemplate(path.join(out, chartDir), release, namespace)));
    return rendered.get(k)!;
  };

  function viaFlux(): Delivered {
    const flux = docsOf(files.get('flux/releases.yaml')!);
    const d: Delivered = { objects: new Map(), dependsOn: new Map(), remote: new Set() };
    for (const r of flux.filter((o) => o.kind === 'HelmRelease')) {
      const name = r.spec.releaseName ?? r.metadata.name;
      d.dependsOn.set(r.metadata.name, (r.spec.dependsOn ?? []).map((x: any) => x.name));
      expect(r.spec.install.createNamespace).toBe(false);
      const spec = r.spec.chart?.spec;
      if (spec?.sourceRef.kind === 'GitRepository') {
        expect(spec.sourceRef.name).toBe('cozynet');
        expect(spec.chart).toMatch(/^\.\/dist\/charts\//);
        d.objects.set(r.metadata.name, render(spec.chart.slice('./dist/'.length), name, r.spec.targetNamespace ?? r.metadata.namespace));
      } else {
        d.remote.add(r.metadata.name);
      }
    }
    return d;
  }

  function viaTerraform(): Delivered {
    const tf = JSON.parse(files.get('terraform/cdk.tf.json')!);
    const d: Delivered = { objects: new Map(), dependsOn: new Map(), remote: new Set() };
    const byId = new Map<string, string>();
    for (const [id, r] of Object.entries<any>(tf.resource.helm_release)) byId.set(`helm_release.${id}`, r.name);
    for (const r of Object.values<any>(tf.resource.helm_release)) {
      expect(r.create_namespace).toBe(false);
      d.dependsOn.set(r.name, (r.depends_on ?? []).map((x: string) => byId.get(x)!));
      if (r.repository) {
        d.remote.add(r.name);
      } else {
        expect(r.chart).toMatch(/^\$\{path\.module\}\/\.\.\/charts\//);
        d.objects.set(r.name, render(r.chart.slice('${path.module}/../'.length), r.name, r.namespace));
      }
    }
    return d;
  }

  const components: any[] = index.components;
  test.each([['Flux', viaFlux], ['Terraform', viaTerraform]])('%s alone delivers every object of manifests/, in dependency order', (_label, via) => {
    const d = (via as () => Delivered)();
    const delivered = [...d.objects.values()].flat();
    // exactly the objects of manifests/ (same content, no more, no fewer)
    expect(canonical(delivered)).toEqual(canonical(manifests));
    expect(delivered.length).toBeGreaterThan(0);

    const releaseOf = new Map<string, string>();
    for (const [r, objs] of d.objects) for (const o of objs) releaseOf.set(key(o), r);
    // every release waits for the release of the namespaces of its objects
    const nsRelease = new Map(manifests.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, releaseOf.get(key(o))!]));
    for (const [r, objs] of d.objects) {
      const before = ancestors(d.dependsOn, r);
      for (const o of objs) {
        if (o.kind === 'Namespace') continue;
        const ns = o.metadata.namespace;
        if (ns && nsRelease.has(ns)) expect([r, before.has(nsRelease.get(ns)!)]).toEqual([r, true]);
        // CRDs before their objects: the component that defines the group comes first
        const group = String(o.apiVersion).split('/')[0];
        const provider = CRD_PROVIDER[group];
        if (provider && components.some((c) => c.name === provider) && r !== provider) {
          const c = components.find((x) => x.name === provider);
          const providerRelease = c.chart ? provider : releaseOf.get(key(manifests.find((m) => m.kind !== 'Namespace' && (docsOf(files.get(c.manifests[0])!).some((x) => key(x) === key(m))))));
          expect([r, o.kind, before.has(providerRelease!)]).toEqual([r, o.kind, true]);
        }
      }
    }
    // remote releases wait for the namespaces too
    for (const r of d.remote) {
      const c = components.find((x) => x.name === r);
      expect(ancestors(d.dependsOn, r).has(nsRelease.get(c.namespace)!)).toBe(true);
    }
    // each component after what it depends on
    const releasesOf = (component: string) => [...d.objects.keys(), ...d.remote].filter((r) => r === component || r === `${component}-manifests`);
    for (const c of components) {
      for (const mine of releasesOf(c.name)) {
        const before = ancestors(d.dependsOn, mine);
        for (const dep of c.dependsOn) for (const theirs of releasesOf(dep)) expect([mine, theirs, before.has(theirs)]).toEqual([mine, theirs, true]);
      }
    }
    // no cycles, and every dependency exists
    for (const [r, deps] of d.dependsOn) {
      expect(ancestors(d.dependsOn, r).has(r)).toBe(false);
      for (const x of deps) expect(d.dependsOn.has(x)).toBe(true);
    }
  });

  test('every local chart passes helm lint --strict', () => {
    const charts = (index.charts as string[]).map((c) => path.join(out, c));
    const r = spawnSync(helmBinary(), ['lint', '--strict', ...charts], { encoding: 'utf8' });
    expect(r.stdout).toContain(`${charts.length} chart(s) linted, 0 chart(s) failed`);
    expect(r.status).toBe(0);
  });

  test('index.json lists the chart folders and the cluster settings', () => {
    const folders = [...new Set([...files.keys()].filter((p) => p.startsWith('charts/')).map((p) => p.split('/').slice(0, 2).join('/')))];
    expect([...index.charts].sort()).toEqual(folders.sort());
    expect(index.clusterSettings.length).toBeGreaterThan(0);
    for (const f of index.clusterSettings) expect(files.has(f)).toBe(true);
  });
});

test('a local chart renders template-looking text verbatim', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tpl', namespace: 'x' }, data: { a: '{{ .Values.x }}', b: '{{- "y" -}} }} {{{{', c: '{{/* c */}}' } };
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
  const plan = planDelivery({ components: [], manifests: [{ path: 'manifests/tenants.yaml', objects: [ns, cm] }] });
  expect(plan.releases.map((r) => [r.name, r.dependsOn])).toEqual([['namespaces', []], ['tenants', ['namespaces']]]);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-escape-'));
  try {
    writeTree(plan.files, 'charts/', out);
    expect(docsOf(helmTemplate(path.join(out, 'charts', 'tenants'), 'tenants', 'default'))).toEqual([cm]);
    expect(docsOf(helmTemplate(path.join(out, 'charts', 'namespaces'), 'namespaces', 'default'))).toEqual([ns]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('a chart version changes with its content, so every change is an upgrade', () => {
  const version = (name: string) => {
    const files = new Platform(new Construct(undefined as any, ''), 'p', { tenants: [{ name: 'root', children: [{ name }] }], delivery: { terraform: false } })._renderFiles();
    return parseAllDocuments(files.get('charts/tenants/Chart.yaml')!)[0].toJS().version;
  };
  expect(version('acme')).toMatch(/^0\.0\.0-h[0-9a-f]{12}$/);
  expect(version('acme')).toBe(version('acme'));
  expect(version('acme')).not.toBe(version('beta'));
});

test('a release name that collides with a chart of the delivery is refused when the platform is made, naming the field', () => {
  expect(() => new Platform(new Construct(undefined as any, ''), 'p', {
    components: { cozyProxy: { releaseName: 'namespaces' } },
    delivery: { terraform: false },
  })._renderFiles()).toThrow(/components\.cozyProxy\.releaseName: is the name of the Namespaces of the networking layer \(its manifest file, local chart and Helm release\): the two would be merged/);
  expect(() => new Platform(new Construct(undefined as any, ''), 'p', {
    components: { multus: { releaseName: 'cilium-manifests' } },
    delivery: { terraform: false },
  })._renderFiles()).toThrow(/components\.multus\.releaseName: is the name of the local chart of a component's own objects/);
});

test('delivery.flux.gitRepository and path choose the source of the local charts', () => {
  const files = new Platform(new Construct(undefined as any, ''), 'p', { delivery: { terraform: false, flux: { gitRepository: 'fleet', path: 'clusters/prod/network' } } })._renderFiles();
  const ns = docsOf(files.get('flux/releases.yaml')!).find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'namespaces');
  expect(ns.spec.chart.spec.chart).toBe('./clusters/prod/network/charts/namespaces');
  expect(ns.spec.chart.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'cozy-fluxcd' });
  for (const bad of ['../up', '/abs', 'a/../b']) {
    expect(() => new Platform(new Construct(undefined as any, ''), 'p', { delivery: { flux: { path: bad } } })).toThrow(/delivery\.flux\.path: must be a relative path/);
  }
  expect(() => new Platform(new Construct(undefined as any, ''), 'p', { delivery: { flux: { gitRepository: 'Bad Name' } } })).toThrow(/delivery\.flux\.gitRepository/);
});

describe('the kubectl path (apply/kubectl.sh)', () => {
  const files = new Platform(new Construct(undefined as any, ''), 'p', { ...readPlatformFile(CONTRACT), delivery: { terraform: false } })._renderFiles();
  const index = JSON.parse(files.get('index.json')!);
  const manifests: any[] = (index.manifests as string[]).flatMap((p) => docsOf(files.get(p)!));

  test('applies every object of manifests/ with kubectl (local charts through the real helm) and installs the remote charts, in the order of the Flux releases', () => {
    expect(index.apply).toEqual(['apply/kubectl.sh']);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-apply-'));
    try {
      for (const [p, content] of files) {
        fs.mkdirSync(path.dirname(path.join(out, 'dist', p)), { recursive: true });
        fs.writeFileSync(path.join(out, 'dist', p), content);
      }
      // kubectl records what it is given; helm is the real one except for `upgrade`
      const bin = path.join(out, 'bin');
      fs.mkdirSync(bin);
      const log = path.join(out, 'log');
      fs.writeFileSync(path.join(bin, 'kubectl'), `#!/bin/sh\necho "kubectl $*" >> ${log}\n[ "$1" = apply ] && cat >> ${log}.objects && echo --- >> ${log}.objects\nexit 0\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\nif [ "$1" = template ]; then exec ${helmBinary()} "$@"; fi\necho "helm $*" >> ${log}\n`, { mode: 0o755 });
      const r = spawnSync('sh', [path.join(out, 'dist', 'apply', 'kubectl.sh')], { cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const applied = docsOf(fs.readFileSync(`${log}.objects`, 'utf8'));
      expect(canonical(applied)).toEqual(canonical(manifests));
      // the order of the Flux releases: each local chart applied, each remote chart installed
      const order = r.stdout.split('\n').filter((l) => l.startsWith('cozynet: ')).map((l) => l.slice('cozynet: '.length));
      const flux = docsOf(files.get('flux/releases.yaml')!).filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata.name);
      expect(order).toEqual(flux);
      const calls = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l);
      expect(calls.filter((l) => l.startsWith('helm upgrade')).map((l) => l.split(' ')[3])).toEqual(['cilium', 'kubeovn', 'cert-manager', 'metallb']);
      // Hubble Relay and UI are on and Kube-OVN comes after Cilium (issue 21, finding 1): the Cilium
      // release does not wait; its host-network workloads are waited for before Kube-OVN, the
      // Hubble pods (which get addresses from Kube-OVN) after it. Every wait takes delivery.timeout.
      const at = (l: string) => {
        expect(calls).toContain(l);
        return calls.indexOf(l);
      };
      const cilium = at('helm upgrade --install cilium cilium --repo https://helm.cilium.io --version 1.19.5 --namespace cozy-cilium -f helm/cilium.values.yaml --timeout 10m');
      const agent = at('kubectl --namespace cozy-cilium rollout status daemonset/cilium --timeout=10m');
      const operator = at('kubectl --namespace cozy-cilium rollout status deployment/cilium-operator --timeout=10m');
      const kubeovn = at('helm upgrade --install kubeovn kube-ovn --repo https://kubeovn.github.io/kube-ovn/ --version v1.15.10 --namespace cozy-kubeovn -f helm/kubeovn.values.yaml --wait --timeout 10m');
      const relay = at('kubectl --namespace cozy-cilium rollout status deployment/hubble-relay --timeout=10m');
      const ui = at('kubectl --namespace cozy-cilium rollout status deployment/hubble-ui --timeout=10m');
      expect(cilium < agent && agent < operator && operator < kubeovn && kubeovn < relay && relay < ui).toBe(true);
      expect(calls).toContain('kubectl wait --for=condition=Established --timeout=10m crd/network-attachment-definitions.k8s.cni.cncf.io');
      // the CRD is established before the attachments (NetworkAttachmentDefinitions) are applied
      const local = order.filter((n) => !['cilium', 'kubeovn', 'cert-manager', 'metallb'].includes(n));
      const applies = calls.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('kubectl apply')).map(([, i]) => i);
      const wait = calls.indexOf('kubectl wait --for=condition=Established --timeout=10m crd/network-attachment-definitions.k8s.cni.cncf.io');
      expect(wait).toBeGreaterThan(applies[local.indexOf('multus')]);
      expect(wait).toBeLessThan(applies[local.indexOf('attachments')]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
