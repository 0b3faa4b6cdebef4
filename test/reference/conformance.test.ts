// Reference conformance (issue 10, item 13): cozynet's Multus, Kilo,
// cozy-proxy and host firewall objects against the reference platform's
// (cozystack/cozystack packages/system/*, fixtures in this folder, each with
// its origin line). Every field that differs must be listed below with its
// reason, and every listed difference must still be one (no stale entries).
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { synth } from '../helpers/synth';

type Flat = Map<string, string>;

function load(file: string, transform: (text: string) => string = (t) => t): any[] {
  const text = transform(fs.readFileSync(path.join(__dirname, file), 'utf8'));
  return parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o);
}

/**
 * The multus template has one Helm construct: the stageCniPlugins block. The
 * reference platform's system bundle turns staging on (bundles/system.yaml),
 * so render with stageCniPlugins=true: drop the directive lines, keep the block.
 */
function renderMultusStagingOn(text: string): string {
  return text.split('\n').filter((l) => !/^\{\{-.*\}\}$/.test(l.trim())).join('\n');
}

const KEYED_ARRAYS: Record<string, string> = { volumeMounts: 'mountPath', volumes: 'name', containers: 'name', initContainers: 'name', env: 'name', ports: 'name' };

/** Flattens an object into path → JSON value; arrays of named things keyed by their name, flags by flag. */
function flatten(value: any, prefix: string, out: Flat, key?: string): Flat {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'string' && v.startsWith('--'))) {
      for (const v of value) {
        const i = v.indexOf('=');
        out.set(`${prefix}[${i < 0 ? v : v.slice(0, i)}]`, JSON.stringify(i < 0 ? true : v.slice(i + 1)));
      }
      return out;
    }
    const by = key ? KEYED_ARRAYS[key] : undefined;
    if (by && value.every((v) => v && typeof v === 'object' && by in v)) {
      for (const v of value) flatten(v, `${prefix}[${v[by]}]`, out);
      return out;
    }
    if (value.every((v) => v === null || typeof v !== 'object')) {
      out.set(prefix, JSON.stringify(value));
      return out;
    }
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) out.set(prefix, '{}');
    for (const k of keys) flatten(value[k], prefix ? `${prefix}.${k}` : k, out, k);
    return out;
  }
  out.set(prefix, JSON.stringify(value));
  return out;
}

/** Normalizes what Helm or the API server would make equal anyway. */
function normalize(o: any, namespace: string): any {
  const copy = JSON.parse(JSON.stringify(o));
  const clusterScoped = ['ClusterRole', 'ClusterRoleBinding', 'CiliumClusterwideNetworkPolicy', 'Namespace', 'CustomResourceDefinition'];
  // Helm installs namespaced objects without a namespace into the release namespace.
  if (!clusterScoped.includes(copy.kind) && copy.metadata.namespace === undefined) copy.metadata.namespace = namespace;
  // JSON config strings compare as data.
  if (copy.kind === 'ConfigMap' && copy.data?.['daemon-config.json']) copy.data['daemon-config.json'] = JSON.parse(copy.data['daemon-config.json']);
  return copy;
}

interface Difference {
  /** Matches the flattened paths (`<Kind>: <path>`) this difference covers. */
  readonly path: RegExp;
  readonly reason: string;
}

/** Flattened differences between paired objects (`<Kind>: <path>`: reference value → cozynet value). */
function diff(reference: any[], ours: any[], namespace: string): Map<string, string> {
  const kinds = [...new Set([...reference.map((o) => o.kind), ...ours.map((o) => o.kind)])];
  const out = new Map<string, string>();
  for (const kind of kinds) {
    const a = reference.filter((o) => o.kind === kind);
    const b = ours.filter((o) => o.kind === kind);
    expect(`${kind}: ${a.length}`).toBe(`${kind}: ${b.length}`);
    const fa = flatten(normalize(a[0], namespace), '', new Map());
    const fb = flatten(normalize(b[0], namespace), '', new Map());
    for (const p of new Set([...fa.keys(), ...fb.keys()])) {
      if (fa.get(p) !== fb.get(p)) out.set(`${kind}: ${p}`, `${fa.get(p) ?? '(absent)'} -> ${fb.get(p) ?? '(absent)'}`);
    }
  }
  return out;
}

function conform(reference: any[], ours: any[], namespace: string, differences: Difference[]): void {
  const found = diff(reference, ours, namespace);
  if (process.env.SHOW_DIFF) console.log([...found].map(([p, v]) => `${p}: ${v}`).join('\n'));
  const unexplained = [...found].filter(([p]) => !differences.some((d) => d.path.test(p))).map(([p, v]) => `${p}: ${v}`);
  expect(unexplained).toEqual([]);
  const stale = differences.filter((d) => ![...found.keys()].some((p) => d.path.test(p))).map((d) => d.path.source);
  expect(stale).toEqual([]);
}

const out = synth({});
const kiloOut = synth({ variant: 'cilium-kilo' });
const withoutNamespaceAndCrd = (docs: any[]) => docs.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition');

// Shared reasons.
const LABELS = 'cozynet labels its objects app.kubernetes.io/name=<component>, app.kubernetes.io/part-of=cozynet (selector and pod labels alike)';
const HOST_AGENT = 'cozynet runs every host agent the same way: system-node-critical (a node\'s network must not be preempted), '
  + 'RollingUpdate one node at a time, FallbackToLogsOnError';
const PULL = 'images pulled IfNotPresent, explicitly (a node rebooting during a registry outage still starts its network)';

describe('reference conformance', () => {
  test('Multus (packages/system/multus, stageCniPlugins on as the system bundle sets it)', () => {
    const reference = load('multus-daemonset-thick.yml', renderMultusStagingOn).filter((o) => o.kind !== 'CustomResourceDefinition');
    conform(reference, withoutNamespaceAndCrd(out.docs('manifests/multus.yaml')), 'cozy-multus', [
      { path: /^DaemonSet: metadata\.name$/, reason: 'cozynet names the DaemonSet after its release and ServiceAccount (multus), the reference cozy-multus' },
      { path: /^(DaemonSet|ConfigMap|ServiceAccount|ClusterRole|ClusterRoleBinding): (metadata\.labels|spec\.selector\.matchLabels|spec\.template\.metadata\.labels)/, reason: LABELS },
      { path: /^DaemonSet: spec\.template\.spec\.(priorityClassName|(initContainers|containers)\[[^\]]+\]\.terminationMessagePolicy)$|^DaemonSet: spec\.updateStrategy\.rollingUpdate/, reason: HOST_AGENT },
      { path: /imagePullPolicy$/, reason: PULL },
      // (the Multus image is the reference's own build, by digest, since issue 21: no difference to explain)
      {
        path: /^DaemonSet: spec\.template\.spec\.initContainers\[(install-cni-plugins|install-reference-plugins)\]/,
        reason: 'reference plugins staged by cozynet\'s own init container install-reference-plugins (own script: temporary name + rename, '
          + 'unprivileged, every capability dropped, spc_t) from the reference platform\'s image, which holds /cni-plugins; the upstream image has none',
      },
    ]);
  });

  test('Kilo (packages/system/kilo with values.yaml and values-cilium.yaml)', () => {
    conform(load('kilo.rendered.yaml'), withoutNamespaceAndCrd(kiloOut.docs('manifests/kilo.yaml')), 'cozy-kilo', [
      { path: /^(DaemonSet|ConfigMap|ServiceAccount|ClusterRole|ClusterRoleBinding): (metadata\.labels|spec\.selector\.matchLabels|spec\.template\.metadata\.labels)/, reason: LABELS },
      { path: /^DaemonSet: spec\.template\.spec\.(priorityClassName|containers\[kilo\]\.terminationMessagePolicy)$|^DaemonSet: spec\.updateStrategy/, reason: HOST_AGENT },
      { path: /^DaemonSet: spec\.template\.spec\.containers\[kilo\]\.image$/, reason: 'facts §13: upstream Kilo 0.7.0 (docker.io/squat/kilo:0.7.0, fully qualified for CRI-O); the reference builds main of 2026-06 with a patch adding the cross granularity' },
      { path: /^DaemonSet: spec\.template\.spec\.containers\[kilo\]\.args\[--port\]$/, reason: 'the WireGuard port is explicit (a setting, default 51820 as kg\'s own default)' },
      { path: /^DaemonSet: spec\.template\.spec\.containers\[kilo\]\.args\[--mtu\]$/, reason: 'issue 23: the MTU plan\'s (the underlay minus WireGuard\'s 60/80 bytes), not auto: Cilium\'s MTU is computed from it' },
      { path: /^DaemonSet: spec\.template\.spec\.containers\[kilo\]\.resources/, reason: 'requests and a memory limit (the pod cgroup gets memory.max; the reference sets none)' },
      { path: /^DaemonSet: spec\.template\.spec\.volumes\[kilo-dir\]\.hostPath\.type$/, reason: 'DirectoryOrCreate: the folder exists before kg writes its key there' },
      { path: /^ConfigMap: data\.kubeconfig$/, reason: 'the same kubeconfig (KubePrism 127.0.0.1:7445, service account CA and token), written by cozynet in its own key order' },
      { path: /^DaemonSet: spec\.template\.spec\.containers\[kilo\]\.volumeMounts\[\/run\/xtables\.lock\]\.readOnly$/, reason: 'readOnly: false is the default; cozynet leaves it out' },
    ]);
  });

  test('cozy-proxy (packages/system/cozy-proxy chart 0.3.0)', () => {
    conform(load('cozy-proxy.rendered.yaml'), withoutNamespaceAndCrd(out.docs('manifests/cozy-proxy.yaml')), 'cozy-system', [
      { path: /^(DaemonSet|ServiceAccount|ClusterRole|ClusterRoleBinding): (metadata\.labels|spec\.selector\.matchLabels|spec\.template\.metadata\.labels)/, reason: `${LABELS}; no Helm bookkeeping labels (plain manifests)` },
      { path: /^DaemonSet: spec\.template\.metadata\.annotations$/, reason: 'no empty annotations map' },
      { path: /^DaemonSet: spec\.template\.spec\.(priorityClassName|containers\[cozy-proxy\]\.terminationMessagePolicy)$|^DaemonSet: spec\.updateStrategy/, reason: HOST_AGENT },
      { path: /^DaemonSet: spec\.template\.spec\.containers\[cozy-proxy\]\.resources/, reason: 'requests and a memory limit (the pod cgroup gets memory.max; the reference sets none)' },
    ]);
  });

  test('host firewall (packages/system/cilium-networkpolicy)', () => {
    const ours = out.docs('manifests/cilium-networkpolicy.yaml').filter((o) => o.kind !== 'Namespace');
    const reference = load('cilium-networkpolicy.yaml');
    const found = diff(reference, ours, 'cozy-cilium');
    const refPorts = reference[0].spec.ingressDeny[0].toPorts[0].ports.map((p: any) => p.port);
    const ourPorts = ours[0].spec.ingressDeny[0].toPorts[0].ports.map((p: any) => p.port);
    // Every reference port, in the reference order, first; then the components' own host ports.
    expect(ourPorts.slice(0, refPorts.length)).toEqual(refPorts);
    expect(ourPorts.slice(refPorts.length)).toEqual(['9963', '9964', '6641', '6642', '6643', '6644', '10660', '10661', '10665']);
    const explained: Difference[] = [
      { path: /^CiliumClusterwideNetworkPolicy: spec\.description$/, reason: 'cozynet describes the policy' },
      { path: /^CiliumClusterwideNetworkPolicy: spec\.nodeSelector/, reason: 'nodeSelector {} and {matchLabels: {}} both select every node' },
      {
        path: /^CiliumClusterwideNetworkPolicy: spec\.ingressDeny\[0\]\.toPorts\[0\]\.ports\[\d+\]\.(protocol|port)$/,
        reason: 'protocol ANY written on every port (the reference omits it, which Cilium reads as ANY); '
          + 'and the host-network ports of the synthesized components are closed after the reference list (facts §8)',
      },
    ];
    const unexplained = [...found].filter(([p]) => !explained.some((d) => d.path.test(p)));
    expect(unexplained).toEqual([]);
    expect(explained.filter((d) => ![...found.keys()].some((p) => d.path.test(p)))).toEqual([]);
  });
});
