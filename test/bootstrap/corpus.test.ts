// Issue 21 item 3 (a): a corpus of broken outputs, one per finding of the
// issue (and one per rule of the model). Each is a synthesized output,
// altered the way the bug would write it, so that the corpus keeps its bugs
// when the renderers are fixed. The bootstrap model must reject each one,
// naming the delivery path, the step, the object and what is missing.
import { dropRelease, editObjects, editValues, findingsOf, outputOf, report, WITH_CERT_MANAGER } from './helpers';
import { checkBootstrap } from '../../src/bootstrap';
import { Finding } from '../../src/bootstrap/model';

const PATHS = ['kubectl', 'flux', 'terraform'] as const;
const LABEL = { kubectl: /^kubectl: step (\S+) \(apply\/kubectl\.sh:\d+\): /, flux: /^flux: HelmRelease (\S+) \(flux\/releases\.yaml\): /, terraform: /^terraform: helm_release (\S+) \(terraform\/cdk\.tf\.json\): / };

/** The one finding of `path` at `step` with `code`. */
function one(findings: Finding[], path: string, step: string, code: string, object = ''): Finding {
  const found = findings.filter((f) => f.path === path && f.step === step && f.code === code && f.object.startsWith(object));
  if (found.length === 0) throw new Error(`no ${code} finding at ${path} ${step}; have:\n${findings.map((f) => `[${f.code}] ${f.message}`).join('\n')}`);
  expect(found[0].message).toMatch(LABEL[path as keyof typeof LABEL] ?? /^/);
  return found[0];
}

const DEFAULT = outputOf();
const copy = () => new Map(DEFAULT);

describe('finding 1: Hubble relay/UI in the Cilium release, waited on before Kube-OVN', () => {
  const files = editValues(copy(), 'cilium', (v) => {
    v.hubble = { enabled: true, relay: { enabled: true }, ui: { enabled: true } };
  });
  const r = report(files, WITH_CERT_MANAGER);

  test.each(PATHS)('%s: the cilium step waits on pods that get no address before kubeovn', (path) => {
    const f = one(r.findings, path, 'cilium', 'pod-network');
    expect(f.object).toBe('Deployment cozy-cilium/hubble-relay, Deployment cozy-cilium/hubble-ui');
    expect(f.message).toContain('Deployment cozy-cilium/hubble-relay, Deployment cozy-cilium/hubble-ui: each is waited on, and it gets no pod address before release kubeovn (pod network: Cilium and Kube-OVN)');
  });

  test('the message names what never comes after it', () => {
    expect(one(r.findings, 'kubectl', 'cilium', 'pod-network').message).toMatch(/the script stops there \(set -eu\): 7 later steps are never applied \(cilium-networkpolicy, kubeovn, cert-manager, kubeovn-webhook, metallb, multus, cozy-proxy\)$/);
    expect(one(r.findings, 'flux', 'cilium', 'pod-network').message).toMatch(/; 7 releases that depend on it are never installed \(cilium-networkpolicy, kubeovn, cert-manager, kubeovn-webhook, metallb, multus, cozy-proxy\)$/);
  });

  test('the same release with relay and UI on the cilium variant converges (Cilium alone is the pod network, and it is this release)', () => {
    const cilium = editValues(outputOf({ variant: 'cilium' }), 'cilium', (v) => {
      v.hubble = { enabled: true, relay: { enabled: true }, ui: { enabled: true } };
    });
    expect(report(cilium, WITH_CERT_MANAGER).findings).toEqual([]);
  });

  test('without a wait on the cilium release (Flux disableWait, Terraform wait = false), it converges', () => {
    const nowait = editObjects(new Map(files), /^flux\//, (o) => {
      if (o?.kind === 'HelmRelease' && o.metadata.name === 'cilium') o.spec.install.disableWait = true;
      return o;
    });
    const tf = JSON.parse(nowait.get('terraform/cdk.tf.json')!);
    for (const rel of Object.values<any>(tf.resource.helm_release)) if (rel.name === 'cilium') rel.wait = false;
    nowait.set('terraform/cdk.tf.json', JSON.stringify(tf));
    const after = report(nowait, WITH_CERT_MANAGER);
    expect(findingsOf(after, 'flux')).toEqual([]);
    expect(findingsOf(after, 'terraform')).toEqual([]);
  });
});

describe('finding 2: cert-manager is a hidden prerequisite, and the webhook can lock it (and Flux) out', () => {
  test.each(PATHS)('%s: the kubeovn-webhook step needs cert-manager, which nothing installs', (path) => {
    const r = report(dropRelease(copy(), 'cert-manager'));
    const f = one(r.findings, path, 'kubeovn-webhook', 'cert-manager', 'Certificate');
    expect(f.message).toMatch(/Certificate cozy-kubeovn\/kube-ovn-webhook-root-ca, Certificate cozy-kubeovn\/kube-ovn-webhook-cert: each needs the CRD of cert-manager\.io\/Certificate, which is not established: cert-manager is not installed by this output/);
    if (path === 'kubectl') expect(f.message).toContain('the apply retries for 10m, then gives up');
  });

  test.each(['flux', 'terraform'])('%s: the webhook Deployment waits on a Secret only cert-manager issues', (path) => {
    const r = report(dropRelease(copy(), 'cert-manager'));
    const f = r.findings.find((x) => x.path === path && x.object === 'Deployment cozy-kubeovn/kube-ovn-webhook')!;
    expect(f.code).toBe('cert-manager');
    expect(f.message).toMatch(/is waited on, and it mounts Secret cozy-kubeovn\/kube-ovn-webhook-tls, issued by Certificate kube-ovn-webhook-cert, and cert-manager does not run/);
  });

  test('steady state: a webhook gating every namespace but its own and the pod network\'s locks out cert-manager and Flux', () => {
    const files = editObjects(copy(), /^charts\/kubeovn-webhook\//, (o) => {
      if (o?.kind === 'MutatingWebhookConfiguration') {
        o.webhooks[0].namespaceSelector = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'cozy-kubeovn', 'cozy-cilium'] }] };
      }
      return o;
    });
    const r = report(dropRelease(files, 'cert-manager'), { assume: { certManager: { namespace: 'cozy-cert-manager' } } });
    expect(r.steadyState.map((f) => [f.path, f.code, f.message])).toEqual([
      ['steady-state', 'webhook-lockout', 'steady state: MutatingWebhookConfiguration kube-ovn-webhook (failurePolicy Fail, release kubeovn-webhook) admits the pods of cert-manager (namespace cozy-cert-manager), which it needs to come back (it issues the webhook\'s certificate): when its pods are gone, those pods cannot be created'],
      ['flux', 'webhook-lockout', 'flux (steady state): MutatingWebhookConfiguration kube-ovn-webhook (failurePolicy Fail, release kubeovn-webhook) admits the pods of Flux (namespace cozy-fluxcd), which it needs to come back (it reconciles the webhook\'s release): when its pods are gone, those pods cannot be created'],
    ]);
    // the install itself converges: the webhook comes up before the pods it gates
    expect(r.paths.flatMap((p) => p.findings)).toEqual([]);
  });

  // The webhook as the renderers wrote it before the fix: system namespaces left out by label only.
  const byLabelOnly = () => editObjects(copy(), /^charts\/kubeovn-webhook\//, (o) => {
    if (o?.kind === 'MutatingWebhookConfiguration') {
      o.webhooks[0].namespaceSelector = { matchExpressions: [{ key: 'cozystack.io/system', operator: 'NotIn', values: ['true'] }] };
    }
    return o;
  });

  test('a webhook excluding system namespaces by label only gates an unlabelled cert-manager and Flux namespace', () => {
    const r = report(dropRelease(byLabelOnly(), 'cert-manager'), { assume: { certManager: { namespace: 'cert-manager' } } });
    expect(r.steadyState.map((f) => [f.path, f.step, f.object, f.code])).toEqual([
      ['steady-state', 'kubeovn-webhook', 'MutatingWebhookConfiguration kube-ovn-webhook', 'webhook-lockout'],
      ['flux', 'kubeovn-webhook', 'MutatingWebhookConfiguration kube-ovn-webhook', 'webhook-lockout'],
    ]);
    expect(r.steadyState.map((f) => f.message)).toEqual([
      expect.stringContaining('admits the pods of cert-manager (namespace cert-manager), which it needs to come back (it issues the webhook\'s certificate)'),
      expect.stringContaining('admits the pods of Flux (namespace cozy-fluxcd), which it needs to come back (it reconciles the webhook\'s release)'),
    ]);
    // synth and validate refuse it
    expect(checkBootstrap(dropRelease(byLabelOnly(), 'cert-manager'), { assume: { certManager: { namespace: 'cert-manager' } } }).errors.map((f) => f.code)).toEqual(['webhook-lockout', 'webhook-lockout']);
  });

  test('the same webhook locks out the layer\'s own cert-manager once its namespace loses the system label', () => {
    const files = editObjects(byLabelOnly(), /^charts\/namespaces\//, (o) => {
      if (o?.metadata?.name === 'cozy-cert-manager') delete o.metadata.labels['cozystack.io/system'];
      return o;
    });
    expect(report(files).steadyState.map((f) => f.message)).toEqual([
      expect.stringContaining('admits the pods of cert-manager (Deployment cozy-cert-manager/cert-manager)'),
      expect.stringContaining('admits the pods of cert-manager (Deployment cozy-cert-manager/cert-manager-webhook)'),
      expect.stringContaining('admits the pods of cert-manager (Deployment cozy-cert-manager/cert-manager-cainjector)'),
      expect.stringContaining('admits the pods of Flux (namespace cozy-fluxcd)'),
    ]);
  });

  test('the webhook as rendered (excluded by label and by name) holds even with every system label removed', () => {
    const files = editObjects(copy(), /^charts\/namespaces\//, (o) => {
      if (o?.kind === 'Namespace') delete o.metadata.labels?.['cozystack.io/system'];
      return o;
    });
    expect(report(files).steadyState).toEqual([]);
  });
});

describe('finding 3: Kube-OVN Subnets on a variant without Kube-OVN', () => {
  // The output of a Kube-OVN platform with subnets, as a cilium variant would deliver it (no Kube-OVN release).
  const files = outputOf({
    tenants: [{ name: 'root', children: [{ name: 'acme' }] }],
    subnets: [{ name: 'acme-vms', cidr: '10.245.0.0/24', namespaces: ['tenant-acme'] }],
    attachments: [{ name: 'vlan100', namespace: 'tenant-acme', type: 'bridge', bridge: 'br-vlan100', vlanId: 100 }],
  } as any);
  const index = JSON.parse(files.get('index.json')!);
  files.set('index.json', JSON.stringify({ ...index, variant: 'cilium' }));
  dropRelease(dropRelease(files, 'kubeovn-webhook'), 'kubeovn');
  const r = report(files, WITH_CERT_MANAGER);

  test.each(PATHS)('%s: the subnets step needs the kubeovn.io CRD, which no release installs', (path) => {
    const f = one(r.findings, path, 'subnets', 'variant-crd');
    expect(f.object).toBe('Subnet acme-vms');
    expect(f.message).toContain('Subnet acme-vms needs the CRD of kubeovn.io/Subnet, which is not established: no release installs it: Kube-OVN is not part of variant cilium');
  });

  test('kubectl: the script gives up after its retry loop (10m, the delivery timeout), and what comes after is never applied', () => {
    expect(one(r.findings, 'kubectl', 'subnets', 'variant-crd').message).toMatch(/the apply retries for 10m, then gives up; the script stops there \(set -eu\): 1 later step is never applied \(attachments\)$/);
  });
  test('kubectl: how long the apply retries is read from the script\'s loop (12 tries 10 s apart: 2m), not assumed', () => {
    const short = new Map(files);
    short.set('apply/kubectl.sh', files.get('apply/kubectl.sh')!.replace('[ "$n" -lt 60 ]', '[ "$n" -lt 12 ]'));
    expect(one(report(short, WITH_CERT_MANAGER).findings, 'kubectl', 'subnets', 'variant-crd').message).toContain('; the apply retries for 2m, then gives up;');
    const odd = new Map(files);
    odd.set('apply/kubectl.sh', files.get('apply/kubectl.sh')!.replace('[ "$n" -lt 60 ]', '[ "$n" -lt 13 ]'));
    expect(one(report(odd, WITH_CERT_MANAGER).findings, 'kubectl', 'subnets', 'variant-crd').message).toContain('; the apply retries for 130s, then gives up;');
    const unreadable = new Map(files);
    unreadable.set('apply/kubectl.sh', files.get('apply/kubectl.sh')!.replace(/\n\s*sleep 10\n/, '\n'));
    expect(one(report(unreadable, WITH_CERT_MANAGER).findings, 'kubectl', 'subnets', 'variant-crd').message).toContain('; the apply retries, then gives up;');
  });
});

describe('finding 4: Flux chart paths that do not exist in the repository', () => {
  test('synth --out clusters/staging/network with the default delivery.flux.path: every local chart path is wrong', () => {
    const r = report(copy(), { ...WITH_CERT_MANAGER, location: 'clusters/staging/network' });
    const f = one(r.findings, 'flux', 'namespaces', 'flux-chart-path');
    expect(f.message).toBe('flux: HelmRelease namespaces (flux/releases.yaml): chart charts/namespaces names the chart ./dist/charts/namespaces of GitRepository cozynet, but the output is at ./clusters/staging/network of the repository: the chart path comes from delivery.flux.path (dist), the output\'s place from --out (clusters/staging/network); make them the same; 10 releases that depend on it are never installed (gateway-api-crds, cilium-manifests, cilium, cilium-networkpolicy, kubeovn, cert-manager, kubeovn-webhook, metallb, multus, cozy-proxy)');
    expect(findingsOf(r, 'flux').filter((x) => x.code === 'flux-chart-path').map((x) => x.step)).toEqual(['namespaces', 'gateway-api-crds', 'cilium-manifests', 'cilium-networkpolicy', 'kubeovn-webhook', 'multus', 'cozy-proxy']);
    expect(findingsOf(r, 'kubectl')).toEqual([]);
    expect(findingsOf(r, 'terraform')).toEqual([]);
  });

  test('the reverse: delivery.flux.path set, --out dist', () => {
    const r = report(outputOf({ delivery: { flux: { path: 'clusters/prod/network' } } }), { ...WITH_CERT_MANAGER, location: 'dist' });
    expect(one(r.findings, 'flux', 'multus', 'flux-chart-path').message).toContain('the chart path comes from delivery.flux.path (clusters/prod/network), the output\'s place from --out (dist)');
  });

  test('matching paths converge', () => {
    expect(report(outputOf({ delivery: { flux: { path: 'clusters/prod/network' } } }), { ...WITH_CERT_MANAGER, location: 'clusters/prod/network' }).findings).toEqual([]);
  });

  test('a chart folder missing from the output', () => {
    const files = copy();
    for (const f of [...files.keys()]) if (f.startsWith('charts/multus/')) files.delete(f);
    const r = report(files, WITH_CERT_MANAGER);
    expect(one(r.findings, 'flux', 'multus', 'flux-chart-path').message).toContain('whose folder charts/multus is not in the output');
    expect(one(r.findings, 'kubectl', 'multus', 'chart-missing').message).toContain('names the local chart charts/multus, which is not in the output');
    expect(one(r.findings, 'terraform', 'multus', 'chart-missing')).toBeDefined();
  });
});

describe('finding 5: three different timeouts for the same releases', () => {
  test('the tools\' defaults (Flux 5m, Terraform 300s) against the script\'s 10m: a note naming a release and each path\'s wait', () => {
    // the output as the renderers wrote it before delivery.timeout: no Flux spec.timeout, no Terraform timeout
    const files = editObjects(copy(), /^flux\//, (o) => {
      if (o?.kind === 'HelmRelease') delete o.spec.timeout;
      return o;
    });
    const tf = JSON.parse(files.get('terraform/cdk.tf.json')!);
    for (const rel of Object.values<any>(tf.resource.helm_release)) delete rel.timeout;
    files.set('terraform/cdk.tf.json', JSON.stringify(tf));
    const r = report(files, WITH_CERT_MANAGER);
    expect(r.notes).toEqual(['the paths wait different times for the same releases (cilium: kubectl 10m, flux 5m, terraform 300s; 4 releases in all)']);
    expect(r.paths.find((p) => p.path === 'terraform')!.steps.find((s) => s.name === 'cilium')!.wait).toBe('waits 300s');
  });

  test('as rendered: every path waits delivery.timeout (10m), no note', () => {
    expect(report(copy(), WITH_CERT_MANAGER).notes).toEqual([]);
  });
});

describe('finding 2 (and rule 4): a webhook gating its own prerequisites', () => {
  const files = editObjects(copy(), /^charts\/kubeovn-webhook\//, (o) => {
    if (o?.kind === 'MutatingWebhookConfiguration') delete o.webhooks[0].namespaceSelector;
    return o;
  });
  const r = report(files, WITH_CERT_MANAGER);

  test('flux and terraform: the webhook release waits on its own pods, which it rejects', () => {
    for (const path of ['flux', 'terraform']) {
      expect(one(r.findings, path, 'kubeovn-webhook', 'webhook').message).toContain('Deployment cozy-kubeovn/kube-ovn-webhook is waited on, and it cannot be created: MutatingWebhookConfiguration kube-ovn-webhook (failurePolicy Fail) admits its pods, and it serves that webhook itself');
    }
  });

  test('kubectl: metallb waits on pods the dead webhook rejects', () => {
    const f = one(r.findings, 'kubectl', 'metallb', 'webhook');
    expect(f.object).toContain('Deployment cozy-metallb/metallb-controller');
    expect(f.message).toContain('each is waited on, and it cannot be created: MutatingWebhookConfiguration kube-ovn-webhook (failurePolicy Fail) admits its pods, and its server Deployment cozy-kubeovn/kube-ovn-webhook is not Ready (it cannot be created: MutatingWebhookConfiguration kube-ovn-webhook (failurePolicy Fail) admits its pods, and it serves that webhook itself)');
  });

  test('steady state: it gates its own pods and the pod network\'s', () => {
    expect(r.steadyState.map((f) => f.message)).toEqual(expect.arrayContaining([
      expect.stringContaining('admits the pods of its own server Deployment cozy-kubeovn/kube-ovn-webhook'),
      expect.stringContaining('admits the pods of Cilium (DaemonSet cozy-cilium/cilium)'),
      expect.stringContaining('admits the pods of Kube-OVN (DaemonSet cozy-kubeovn/kube-ovn-cni)'),
    ]));
  });

  test('synth and validate fail on it (not a finding the renderers are known to produce)', () => {
    expect(checkBootstrap(files, WITH_CERT_MANAGER).errors.length).toBeGreaterThan(0);
  });
});

describe('the other rules of the model', () => {
  test('CRDs before their objects: cilium-networkpolicy not ordered after cilium (whose operator registers cilium.io)', () => {
    const files = editObjects(copy(), /^flux\//, (o) => {
      if (o?.kind === 'HelmRelease' && o.metadata.name === 'cilium-networkpolicy') o.spec.dependsOn = [{ name: 'namespaces', namespace: 'cozy-fluxcd' }];
      return o;
    });
    const r = report(files, WITH_CERT_MANAGER);
    expect(one(r.findings, 'flux', 'cilium-networkpolicy', 'crd').message).toMatch(/CiliumClusterwideNetworkPolicy \S+ needs the CRD of cilium\.io\/CiliumClusterwideNetworkPolicy, which is not established: release cilium installs it, and this release does not depend on it$/);
    expect(checkBootstrap(files, WITH_CERT_MANAGER).errors).toHaveLength(1);
  });

  test('CRDs before their objects, kubectl: a line moved before the release that installs the CRD', () => {
    const files = copy();
    const script = files.get('apply/kubectl.sh')!;
    const block = /\necho 'cozynet: cilium-networkpolicy'\n[^\n]+\n/.exec(script)![0];
    files.set('apply/kubectl.sh', script.replace(block, '\n').replace('\necho \'cozynet: cilium-manifests\'', `${block}\necho 'cozynet: cilium-manifests'`));
    const r = report(files, WITH_CERT_MANAGER);
    expect(one(r.findings, 'kubectl', 'cilium-networkpolicy', 'crd').message).toContain('release cilium installs it later in the script; the apply retries for 10m, then gives up');
  });

  test('namespaces before namespaced objects', () => {
    const files = editObjects(copy(), /^charts\/namespaces\//, (o) => (o?.metadata?.name === 'cozy-multus' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'placeholder', namespace: 'default' } } : o));
    const r = report(files, WITH_CERT_MANAGER);
    for (const path of PATHS) expect(one(r.findings, path, 'multus', 'namespace').message).toContain('namespace cozy-multus is where the release is installed, and no earlier release creates it');
  });

  test('Pod Security: a hostNetwork DaemonSet in a baseline namespace never starts', () => {
    const files = editObjects(copy(), /^charts\/namespaces\//, (o) => {
      if (o?.metadata?.name === 'cozy-multus') o.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
      return o;
    });
    const r = report(files, WITH_CERT_MANAGER);
    const msg = 'DaemonSet cozy-multus/multus is waited on, and it is refused by Pod Security: namespace cozy-multus enforces baseline, its pods need privileged (hostNetwork)';
    expect(one(r.findings, 'flux', 'multus', 'pod-security').message).toContain(msg);
    expect(one(r.findings, 'kubectl', 'multus', 'pod-security').message).toContain('DaemonSet cozy-multus/multus never becomes Ready: it is refused by Pod Security');
  });

  test('a webhook whose Service no release creates rejects everything it matches', () => {
    // the webhook's Service replaced by something else, and cozy-metallb no longer left out of the webhook
    // (neither by its system label nor by name): metallb's controller is then admitted by a webhook nothing serves
    const files = editObjects(copy(), /^charts\/kubeovn-webhook\//, (o) => {
      if (o?.kind === 'Service') return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'cozy-kubeovn' } };
      if (o?.kind === 'MutatingWebhookConfiguration') {
        for (const e of o.webhooks[0].namespaceSelector.matchExpressions) if (e.key === 'kubernetes.io/metadata.name') e.values = e.values.filter((v: string) => v !== 'cozy-metallb');
      }
      return o;
    });
    const files2 = editObjects(new Map(files), /^charts\/namespaces\//, (o) => {
      if (o?.metadata?.name === 'cozy-metallb') delete o.metadata.labels['cozystack.io/system'];
      return o;
    });
    const r = report(files2, WITH_CERT_MANAGER);
    for (const path of ['flux', 'terraform']) {
      const f = one(r.findings, path, 'metallb', 'webhook');
      expect(f.object).toBe('Deployment cozy-metallb/metallb-controller, DaemonSet cozy-metallb/metallb-speaker, DaemonSet cozy-metallb/metallb-frr-k8s, Deployment cozy-metallb/metallb-frr-k8s-statuscleaner');
      // the webhook release is not among metallb's dependencies: metallb may install first, and its pods never come
      expect(f.message).toContain('each never becomes Ready: it cannot be created: MutatingWebhookConfiguration kube-ovn-webhook (failurePolicy Fail) admits its pods, and its Service cozy-kubeovn/kube-ovn-webhook has no pods in any release');
    }
    expect(one(r.findings, 'kubectl', 'metallb', 'webhook').message).toContain('its Service cozy-kubeovn/kube-ovn-webhook has no pods in any release');
    // while cozy-metallb is left out by its label or by its name, metallb is not gated (the renderers exclude it both ways)
    expect(report(files, WITH_CERT_MANAGER).findings.filter((f) => f.step === 'metallb')).toEqual([]);
    const byName = editObjects(copy(), /^charts\/(kubeovn-webhook|namespaces)\//, (o) => {
      if (o?.kind === 'Service') return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'cozy-kubeovn' } };
      if (o?.metadata?.name === 'cozy-metallb') delete o.metadata.labels['cozystack.io/system'];
      return o;
    });
    expect(report(byName, WITH_CERT_MANAGER).findings.filter((f) => f.step === 'metallb')).toEqual([]);
  });
});
