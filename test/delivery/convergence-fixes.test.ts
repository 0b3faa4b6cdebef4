/**
 * Issue 21, findings 1, 3, 5 and 6, on the synthesized output of every
 * delivery path (apply/kubectl.sh, flux/releases.yaml, terraform/cdk.tf.json):
 * Hubble Relay/UI are not waited on before the pod network exists; Kube-OVN
 * objects are refused where Kube-OVN does not run; one timeout for every
 * path; the reference platform's patched images by digest, overridable.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { KubeOvnSubnet, NetworkStack, Platform, PlatformProps } from '../../src';
import { run } from '../../src/cli/main';
import { CozynetValidationError } from '../../src/model/errors';
import { parsePlatformObject } from '../../src/platform/file';
import { propsFor } from '../helpers/synth';

const VARIANTS = ['kubeovn-cilium', 'kubeovn-cilium-generic', 'cilium', 'cilium-generic', 'cilium-kilo', 'noop'];
const HUBBLE = { enabled: true, relay: true, ui: true };

interface Paths {
  files: Map<string, string>;
  script: string[];
  flux: any[];
  terraform: Record<string, any>;
  values: (release: string) => any;
}

function render(props: PlatformProps): Paths {
  const files = new Platform(new Construct(undefined as any, ''), 'p', { ...props, delivery: { ...props.delivery, terraform: true } })._renderFiles();
  const docs = (p: string) => parseAllDocuments(files.get(p)!).map((d) => d.toJS());
  return {
    files,
    script: files.get('apply/kubectl.sh')!.split('\n'),
    flux: docs('flux/releases.yaml').filter((o) => o.kind === 'HelmRelease'),
    terraform: JSON.parse(files.get('terraform/cdk.tf.json')!).resource.helm_release,
    values: (release) => docs(`helm/${release}.values.yaml`)[0],
  };
}

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof CozynetValidationError) return e.issues.map((i) => ({ path: i.path, message: i.message }));
    throw e;
  }
  throw new Error('no validation error');
}

const platform = (props: PlatformProps) => new Platform(new Construct(undefined as any, ''), 'p', props);

describe('finding 1: Hubble Relay and UI are waited on only once the pod network exists', () => {
  const line = (p: Paths, prefix: string) => p.script.findIndex((l) => l.startsWith(prefix));

  test.each(['kubeovn-cilium', 'kubeovn-cilium-generic'])('%s (chained: the pod network is Cilium and Kube-OVN)', (variant) => {
    const p = render({ ...propsFor(variant), hubble: HUBBLE });
    // kubectl: Cilium installed without --wait, its host-network workloads waited for before
    // Kube-OVN, the Hubble Deployments only after Kube-OVN's own (waited) install.
    const cilium = p.script.find((l) => l.startsWith("helm upgrade --install 'cilium'"))!;
    expect(cilium).not.toContain('--wait');
    const kubeovn = p.script.find((l) => l.startsWith("helm upgrade --install 'kubeovn'"))!;
    expect(kubeovn).toContain(' --wait ');
    const at = {
      cilium: line(p, "helm upgrade --install 'cilium'"),
      agent: line(p, "kubectl --namespace 'cozy-cilium' rollout status 'daemonset/cilium' "),
      envoy: line(p, "kubectl --namespace 'cozy-cilium' rollout status 'daemonset/cilium-envoy' "),
      operator: line(p, "kubectl --namespace 'cozy-cilium' rollout status 'deployment/cilium-operator' "),
      kubeovn: line(p, "helm upgrade --install 'kubeovn'"),
      relay: line(p, "kubectl --namespace 'cozy-cilium' rollout status 'deployment/hubble-relay' "),
      ui: line(p, "kubectl --namespace 'cozy-cilium' rollout status 'deployment/hubble-ui' "),
      firewall: line(p, "apply 'cilium-networkpolicy'"),
    };
    for (const [k, v] of Object.entries(at)) expect({ k, found: v >= 0 }).toEqual({ k, found: true });
    expect(at.cilium).toBeLessThan(at.agent);
    expect(Math.max(at.agent, at.envoy, at.operator)).toBeLessThan(at.kubeovn);
    expect(at.kubeovn).toBeLessThan(Math.min(at.relay, at.ui));
    // the host firewall's CiliumClusterwideNetworkPolicy needs the CRD Cilium's operator registers
    expect(at.operator).toBeLessThan(at.firewall);

    // Flux: the Cilium HelmRelease does not wait; Kube-OVN's does (its pods reach the API
    // server only through the Service address Cilium's agents translate); the releases that
    // waited for Cilium (the host firewall) wait for Kube-OVN too.
    const hr = (name: string) => p.flux.find((o) => o.metadata.name === name);
    expect(hr('cilium').spec.install.disableWait).toBe(true);
    expect(hr('cilium').spec.upgrade.disableWait).toBe(true);
    for (const name of p.flux.map((o) => o.metadata.name).filter((n) => n !== 'cilium')) {
      const spec = hr(name).spec;
      const waits = { name, install: spec.install.disableWait, upgrade: spec.upgrade.disableWait };
      expect(waits).toEqual({ name, install: undefined, upgrade: undefined });
    }
    expect(hr('cilium-networkpolicy').spec.dependsOn.map((d: any) => d.name)).toEqual(expect.arrayContaining(['cilium', 'kubeovn']));
    // Flux orders nothing by the file, but the releases are listed dependencies first
    const names = p.flux.map((o) => o.metadata.name);
    for (const o of p.flux) for (const d of o.spec.dependsOn ?? []) expect(names.indexOf(d.name)).toBeLessThan(names.indexOf(o.metadata.name));

    // Terraform: wait = false on Cilium only; the firewall depends on Kube-OVN too.
    expect(p.terraform.cilium.wait).toBe(false);
    for (const [name, r] of Object.entries(p.terraform)) if (name !== 'cilium') expect({ name, wait: (r as any).wait }).toEqual({ name, wait: undefined });
    expect(p.terraform.cilium_networkpolicy.depends_on).toEqual(expect.arrayContaining(['helm_release.cilium', 'helm_release.kubeovn']));
  });

  test.each(['cilium', 'cilium-generic', 'cilium-kilo'])('%s (Cilium alone gives the Hubble pods their addresses, in the same release): the release waits', (variant) => {
    const p = render({ ...propsFor(variant), hubble: HUBBLE });
    expect(p.values('cilium').hubble).toMatchObject({ relay: { enabled: true }, ui: { enabled: true } });
    expect(p.script.find((l) => l.startsWith("helm upgrade --install 'cilium'"))).toContain(' --wait ');
    expect(p.script.some((l) => l.includes('rollout status'))).toBe(false);
    const cilium = p.flux.find((o) => o.metadata.name === 'cilium');
    expect(cilium.spec.install.disableWait).toBeUndefined();
    expect(p.terraform.cilium.wait).toBeUndefined();
  });

  test('without Relay and UI (Hubble on or off) the chained Cilium release waits as before', () => {
    for (const hubble of [undefined, { enabled: true, relay: false, ui: false }, { enabled: false }]) {
      const p = render({ hubble });
      expect(p.script.find((l) => l.startsWith("helm upgrade --install 'cilium'"))).toContain(' --wait ');
      expect(p.flux.find((o) => o.metadata.name === 'cilium').spec.install.disableWait).toBeUndefined();
      expect(p.terraform.cilium.wait).toBeUndefined();
      expect(p.flux.find((o) => o.metadata.name === 'cilium-networkpolicy').spec.dependsOn.map((d: any) => d.name)).not.toContain('kubeovn');
    }
  });

  test('only the UI on: the UI alone is waited for after Kube-OVN', () => {
    const p = render({ hubble: { enabled: true, relay: false, ui: true } });
    expect(p.script.filter((l) => l.includes('rollout status') && l.includes('hubble'))).toEqual([
      "kubectl --namespace 'cozy-cilium' rollout status 'deployment/hubble-ui' --timeout=10m",
    ]);
  });

  test('every variant × Hubble setting: the three paths agree, and a waiting Cilium release holds no pod that Kube-OVN must address', () => {
    const settings = [
      undefined,
      { enabled: true, relay: false, ui: false },
      { enabled: true, relay: true, ui: false },
      { enabled: true, relay: false, ui: true },
      HUBBLE,
    ];
    for (const variant of VARIANTS.filter((v) => v !== 'noop')) {
      for (const hubble of settings) {
        const p = render({ ...propsFor(variant), hubble });
        const kubectlWaits = p.script.find((l) => l.startsWith("helm upgrade --install 'cilium'"))!.includes(' --wait ');
        const fluxWaits = p.flux.find((o) => o.metadata.name === 'cilium').spec.install.disableWait !== true;
        const terraformWaits = p.terraform.cilium.wait !== false;
        const relayOrUi = hubble !== undefined && (hubble.relay || hubble.ui);
        const expected = !(variant.startsWith('kubeovn-') && relayOrUi);
        const seen = { variant, hubble, kubectlWaits, fluxWaits, terraformWaits };
        expect(seen).toEqual({ variant, hubble, kubectlWaits: expected, fluxWaits: expected, terraformWaits: expected });
      }
    }
  });

  test('the stock cdk8s path (FluxReleases in the construct tree) does not wait on Cilium either', () => {
    const p = new Platform(new App(), 'p', { hubble: HUBBLE, delivery: { terraform: false } });
    const flux = p.node.findAll().filter((c: any) => c.kind === 'HelmRelease' && c.metadata?.name === 'cilium');
    expect(flux).toHaveLength(1);
    expect((flux[0] as any).toJson().spec.install.disableWait).toBe(true);
  });
});

describe('finding 3: Kube-OVN objects only where Kube-OVN runs', () => {
  const subnet = { name: 'acme-vms', cidr: '10.245.0.0/24' };

  test.each(['cilium', 'cilium-generic', 'cilium-kilo', 'noop'])('%s: subnets and kube-ovn attachments are refused, naming the field', (variant) => {
    const issues = issuesOf(() => platform({
      ...propsFor(variant),
      subnets: [subnet, { name: 'other', cidr: '10.246.0.0/24' }],
      attachments: [
        { name: 'ovn2', namespace: 'default', type: 'kube-ovn' as any },
        { name: 'br', namespace: 'default', type: 'bridge' as any, bridge: 'br1', ipam: { type: 'kube-ovn' as any } },
        { name: 'plain', namespace: 'default', type: 'bridge' as any, bridge: 'br2' },
      ],
    }));
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(['subnets[0]', 'subnets[1]', 'attachments[0].type', 'attachments[1].ipam.type']);
    const first = issues.find((i) => i.path === 'subnets[0]')!;
    expect(first.message).toContain(`variant ${variant} does not run Kube-OVN`);
    expect(first.message).toContain('variants that do: kubeovn-cilium, kubeovn-cilium-generic');
  });

  test('the CLI: synth and validate exit 1 naming subnets[0], and write nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-subnets-'));
    try {
      const cfg = path.join(dir, 'platform.yaml');
      fs.writeFileSync(cfg, 'variant: cilium\nsubnets:\n  - name: acme-vms\n    cidr: 10.245.0.0/24\n');
      for (const args of [['synth', '--config', cfg, '--out', path.join(dir, 'o')], ['validate', '--config', cfg]]) {
        let err = '';
        const code = run(args, { out: () => undefined, err: (t) => { err += t; } });
        expect({ args: args[0], code }).toEqual({ args: args[0], code: 1 });
        expect(err).toContain('subnets[0]: is a Kube-OVN Subnet, and variant cilium does not run Kube-OVN (variants that do: kubeovn-cilium, kubeovn-cilium-generic)');
        expect(err).not.toMatch(/\n\s+at /); // no stack trace
      }
      expect(fs.existsSync(path.join(dir, 'o'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(['kubeovn-cilium', 'kubeovn-cilium-generic'])('%s: subnets are synthesized', (variant) => {
    const p = render({ ...propsFor(variant), subnets: [subnet] });
    expect(p.files.get('manifests/subnets.yaml')).toContain('kind: Subnet');
  });

  test('a KubeOvnSubnet in a tree whose NetworkStack runs no Kube-OVN fails validation', () => {
    const root = new App();
    const stack = new NetworkStack(root, 'net', { variant: 'cilium' });
    expect(stack.runsKubeOvn).toBe(false);
    const s = new KubeOvnSubnet(new Chart(root, 'subnets'), 'subnet', subnet);
    expect(s.node.validate()).toEqual([expect.stringMatching(/variant cilium\) does not run Kube-OVN/)]);
    expect(() => root.synthYaml()).toThrow(/does not run Kube-OVN/);
    const ok = new App();
    expect(new NetworkStack(ok, 'net', {}).runsKubeOvn).toBe(true);
    expect(new KubeOvnSubnet(new Chart(ok, 'subnets'), 'subnet', subnet).node.validate()).toEqual([]);
    // without any stack in the tree, nothing is known: no error
    expect(new KubeOvnSubnet(new Chart(new App(), 'subnets'), 'subnet', subnet).node.validate()).toEqual([]);
  });
});

describe('finding 5: one timeout for every delivery path', () => {
  const timeouts = (p: Paths) => ({
    helm: [...new Set(p.script.filter((l) => l.startsWith('helm upgrade')).map((l) => /--timeout (\S+)/.exec(l)?.[1]))],
    waits: [...new Set(p.script.filter((l) => /kubectl .*(wait|rollout status)/.test(l)).map((l) => /--timeout=(\S+)/.exec(l)?.[1]))],
    retry: /\[ "\$n" -lt (\d+) \]/.exec(p.script.join('\n'))?.[1],
    flux: [...new Set(p.flux.map((o) => o.spec.timeout))],
    terraform: [...new Set(Object.values(p.terraform).map((r: any) => r.timeout))],
  });

  test('default 10m: helm --timeout, kubectl wait/rollout status, the retry window (60 × 10 s), Flux spec.timeout, Terraform timeout (600 s)', () => {
    const p = render({ hubble: HUBBLE });
    expect(timeouts(p)).toEqual({ helm: ['10m'], waits: ['10m'], retry: '60', flux: ['10m'], terraform: [600] });
    expect(p.flux.length).toBeGreaterThan(5);
  });

  test('delivery.timeout: 1h30m reaches every path', () => {
    const p = render({ hubble: HUBBLE, delivery: { timeout: '1h30m' } });
    expect(timeouts(p)).toEqual({ helm: ['1h30m'], waits: ['1h30m'], retry: '540', flux: ['1h30m'], terraform: [5400] });
    expect(p.script.join('\n')).toContain('retried for up to 1h30m');
  });

  test('invalid timeouts are refused naming delivery.timeout, in the file and in the library', () => {
    for (const bad of ['10', '1.5m', '500ms', '30s', '25h', 'ten', '']) {
      const issues = issuesOf(() => platform(parsePlatformObject({ delivery: { timeout: bad } })));
      expect({ bad, paths: issues.map((i) => i.path) }).toEqual({ bad, paths: ['delivery.timeout'] });
    }
    expect(() => platform({ delivery: { timeout: 600 as any } })).toThrow(/delivery\.timeout/);
    expect(() => platform({ delivery: { timeout: '2m' } })).not.toThrow();
  });
});

describe('finding 6: the reference platform\'s patched images by digest, and an images: override', () => {
  const CILIUM = { repository: 'ghcr.io/cozystack/cozystack/cilium', tag: 'v1.6.0', digest: 'sha256:136a7dfff4d6adcd448424c2354144160028a8e96eb6558b917fd3ee6d7b39fe', useDigest: true };
  const KUBE_OVN = { registry: { address: 'ghcr.io/cozystack/cozystack' }, images: { kubeovn: { repository: 'kubeovn', tag: 'v1.15.10@sha256:741299cbd0081a786a6b60c460fa3156b3a42a38141c559dd8ac031f50c5504f' } } };
  const MULTUS = 'ghcr.io/cozystack/cozystack/multus-cni:v1.6.0@sha256:0a92e861ead179dd6b46f475fd8878d44b3cfa40ce4d7a8ff92f790d54250d25';
  const multusImages = (p: Paths) => {
    const ds = parseAllDocuments(p.files.get('manifests/multus.yaml')!).map((d) => d.toJS()).find((o) => o.kind === 'DaemonSet');
    const spec = ds.spec.template.spec;
    return [...spec.initContainers, ...spec.containers].filter((c: any) => c.name !== 'install-reference-plugins').map((c: any) => c.image);
  };

  test.each(VARIANTS)('%s: defaults in helm values, Flux values and Terraform values', (variant) => {
    const p = render(propsFor(variant));
    expect(new Set(multusImages(p))).toEqual(new Set([MULTUS]));
    if (variant === 'noop') return;
    expect(p.values('cilium').image).toEqual(CILIUM);
    expect(p.flux.find((o) => o.metadata.name === 'cilium').spec.values.image).toEqual(CILIUM);
    expect(p.terraform.cilium.values[0]).toContain('digest: sha256:136a7dfff4d6adcd448424c2354144160028a8e96eb6558b917fd3ee6d7b39fe');
    if (!variant.startsWith('kubeovn')) return;
    expect(p.values('kubeovn').global).toEqual(KUBE_OVN);
    expect(p.flux.find((o) => o.metadata.name === 'kubeovn').spec.values.global).toEqual(KUBE_OVN);
  });

  test('images: stock upstream images (tag only, or tag and digest)', () => {
    const p = render({
      images: {
        cilium: 'quay.io/cilium/cilium:v1.19.5',
        kubeovn: 'docker.io/kubeovn/kube-ovn:v1.15.10',
        multus: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick',
      },
    });
    // without a digest, useDigest is off: the chart's own digest is not appended to the tag
    expect(p.values('cilium').image).toEqual({ repository: 'quay.io/cilium/cilium', tag: 'v1.19.5', useDigest: false });
    expect(p.values('kubeovn').global).toEqual({ registry: { address: 'docker.io/kubeovn' }, images: { kubeovn: { repository: 'kube-ovn', tag: 'v1.15.10' } } });
    expect(new Set(multusImages(p))).toEqual(new Set(['ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick']));
    const pinned = render({ images: { cilium: 'quay.io/cilium/cilium:v1.19.5@sha256:20fbbc14ac20b55a292c0dcda5571bf31cde30a7dbc68c29db3e709390ab0732' } });
    expect(pinned.values('cilium').image).toEqual({ repository: 'quay.io/cilium/cilium', tag: 'v1.19.5', digest: 'sha256:20fbbc14ac20b55a292c0dcda5571bf31cde30a7dbc68c29db3e709390ab0732', useDigest: true });
  });

  test('bad image references are refused, naming the field', () => {
    const cases: Array<[any, string]> = [
      [{ images: { cilium: 'Quay.io/Cilium' } }, 'images.cilium'],
      [{ images: { cilium: 'quay.io/cilium/cilium' } }, 'images.cilium'],
      [{ images: { kubeovn: 'docker.io/kubeovn/kube-ovn@sha256:741299cbd0081a786a6b60c460fa3156b3a42a38141c559dd8ac031f50c5504f' } }, 'images.kubeovn'],
      [{ images: { kubeovn: 'kube-ovn:v1.15.10' } }, 'images.kubeovn'],
      [{ images: { multus: 'multus with spaces:v1' } }, 'images.multus'],
      [{ images: { multus: 'a/b:v1' }, components: { multus: { image: 'a/c:v1' } } }, 'images.multus'],
      [{ components: { cilium: { image: 'x' } } }, 'components.cilium.image'],
      [{ components: { kubeovn: { image: 'nohost:v1' } } }, 'components.kubeovn.image'],
    ];
    for (const [props, field] of cases) {
      expect({ props, paths: issuesOf(() => platform(props)).map((i) => i.path) }).toEqual({ props, paths: [field] });
    }
    // the same value in both places is fine
    expect(() => platform({ images: { multus: 'a/b:v1' }, components: { multus: { image: 'a/b:v1' } } })).not.toThrow();
  });

  test('images: is a key of the platform file (schema)', () => {
    expect(() => parsePlatformObject({ images: { cilium: 'quay.io/cilium/cilium:v1.19.5', kubeovn: 'docker.io/kubeovn/kube-ovn:v1.15.10', multus: 'x/y:z' } })).not.toThrow();
    expect(() => parsePlatformObject({ images: { cillium: 'quay.io/cilium/cilium:v1.19.5' } })).toThrow(/images\.cillium: unknown key; did you mean cilium/);
  });
});
