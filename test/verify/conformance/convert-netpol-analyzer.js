#!/usr/bin/env node
/*
 * Regenerates fixtures/netpol-analyzer.json from a bare mirror of
 * github:np-guard/netpol-analyzer (not run by the tests):
 *
 *   node test/verify/conformance/convert-netpol-analyzer.js <git-dir> [scenario,...] > test/verify/conformance/fixtures/netpol-analyzer.json
 *
 * For each scenario directory tests/<name>/ it keeps the namespaces (labels),
 * one endpoint per workload (the name netpol-analyzer gives it, its namespace,
 * pod-template labels and named container ports) and the NetworkPolicies; the
 * expected verdicts are the lines of test_outputs/connlist/<name>_connlist_output.txt
 * (allowed connections; an absent pair is denied) between workloads and the
 * External address ranges (one external endpoint at the first address of
 * each range), as [source, destination, connections] where a workload is its
 * endpoint index and an External range is `first-last`.
 */
const { execFileSync } = require('child_process');
const yaml = require('js-yaml');

const gitDir = process.argv[2];
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const commit = git('rev-parse', 'HEAD').trim();

// The scenarios converted (every directory with a connlist output whose objects are only namespaces, workloads and
// NetworkPolicies, except ipblockstest_4 whose ~24,000 External lines only repeat ipblockstest's ranges and the
// "labels gap" examples that test netpol-analyzer's own workload grouping); a comma-separated list overrides them.
const DEFAULT = [
  'acs-security-demos', 'acs_security_frontend_demos', 'core_pods_without_host_ip', 'demo_app_with_routes_and_ingress',
  'ipblockstest', 'ipblockstest_2', 'ipblockstest_3', 'minimal_test_in_ns', 'netpol-analysis-example-minimal',
  'netpol_named_port_test', 'netpol_named_port_test_2', 'new_online_boutique', 'onlineboutique', 'onlineboutique_workloads',
  'semanticDiff-different-topologies-policy-a', 'semanticDiff-different-topologies-policy-b',
  'semanticDiff-different-topologies-policy-a-with-ipblock', 'semanticDiff-different-topologies-policy-b-with-ipblock',
  'semanticDiff-orig-topologies-policy-a', 'semanticDiff-same-topologies-new1', 'semanticDiff-same-topologies-new1a',
  'semanticDiff-same-topologies-new2', 'semanticDiff-same-topologies-new3', 'semanticDiff-same-topologies-old1',
  'semanticDiff-same-topologies-old2', 'semanticDiff-same-topologies-old3', 'test_with_named_ports',
  'test_with_named_ports_changed_netpol', 'test_with_named_ports_changed_netpol_2', 'with_end_port_example',
  'with_end_port_example_new', 'multiple_topology_resources_1', 'multiple_topology_resources_2', 'multiple_topology_resources_3',
  'multiple_topology_resources_4', 'exposure_test_pod_exposed_only_to_representative_peers', 'k8s_ingress_test', 'minikube_resources',
  'multiple_ingress_objects_with_different_ports', 'one_ingress_multiple_ports', 'one_ingress_multiple_services',
  'online_boutique_workloads_no_ns', 'new_online_boutique_synthesis', 'semanticDiff-orig-topologies-no-policy',
  'acs-security-demos-with-netpol-list',
];
const SCENARIOS = process.argv[3] ? process.argv[3].split(',').filter(Boolean) : DEFAULT;
const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController', 'CronJob']);
const IGNORED = new Set(['', 'RoleBinding', 'ClusterRoleBinding', 'Role', 'ClusterRole', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Ingress', 'Route', 'Endpoints']);

function docs(text) {
  const out = [];
  for (const d of yaml.loadAll(text)) {
    if (d === null || typeof d !== 'object') continue;
    if (Array.isArray(d.items)) out.push(...d.items.map((i) => ({ ...i, kind: i.kind ?? String(d.kind).replace(/List$/, '') })));
    else out.push(d);
  }
  return out;
}

function namedPorts(podSpec) {
  const out = {};
  for (const c of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])]) {
    for (const p of c.ports ?? []) if (p.name) out[p.name] = `${p.protocol ?? 'TCP'}/${p.containerPort}`;
  }
  return out;
}

function convert(name) {
  const files = git('ls-tree', '-r', '--name-only', 'HEAD', `tests/${name}/`).split('\n').filter((f) => /\.(ya?ml|json)$/.test(f));
  const namespaces = {};
  const endpoints = new Map();
  const policies = [];
  const skipped = new Set();
  for (const f of files) {
    let list;
    try { list = docs(git('show', `HEAD:${f}`)); } catch (e) { throw new Error(`${f}: ${e.message}`); }
    for (const o of list) {
      const ns = o.metadata?.namespace ?? 'default';
      if (o.kind === 'Namespace') namespaces[o.metadata.name] = o.metadata.labels ?? {};
      else if (o.kind === 'NetworkPolicy') {
        policies.push({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: ns }, spec: o.spec });
      } else if (o.kind === 'Pod') {
        // a static pod (owned by its Node) is named as a Pod
        const owner = (o.metadata.ownerReferences ?? []).find((r) => r.kind !== 'Node');
        const id = owner ? `${ns}/${owner.name}[${owner.kind}]` : `${ns}/${o.metadata.name}[Pod]`;
        if (!endpoints.has(id)) endpoints.set(id, { id, namespace: ns, labels: o.metadata.labels ?? {}, namedPorts: namedPorts(o.spec) });
      } else if (WORKLOAD_KINDS.has(o.kind)) {
        const tpl = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
        const id = `${ns}/${o.metadata.name}[${o.kind}]`;
        endpoints.set(id, { id, namespace: ns, labels: tpl?.metadata?.labels ?? {}, namedPorts: namedPorts(tpl?.spec) });
      } else if (!IGNORED.has(o.kind ?? '')) skipped.add(o.kind);
    }
  }
  if (skipped.size > 0) throw new Error(`${name}: kinds not converted: ${[...skipped].join(', ')}`);
  const out = git('show', `HEAD:test_outputs/connlist/${name}_connlist_output.txt`);
  const lines = out.split('\n').filter((l) => l.includes(' => ')).map((l) => {
    const [pair, conns] = l.split(' : ');
    const [s, d] = pair.split(' => ');
    return [s, d, conns.trim()];
  });
  // One external endpoint at the first address of each External range named in the output.
  const externals = new Map();
  for (const [s, d] of lines) {
    for (const e of [s, d]) {
      const m = /^([0-9.]+)-([0-9.]+)\[External\]$/.exec(e);
      if (m) externals.set(m[1], { id: `external ${m[1]}`, ip: m[1] });
    }
  }
  const eps = [...endpoints.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const e of eps) if (Object.keys(e.namedPorts).length === 0) delete e.namedPorts;
  const all = [...eps, ...[...externals.values()].sort((a, b) => ipNum(a.ip) - ipNum(b.ip))];
  const index = new Map(all.map((e, i) => [e.id, i]));
  // a workload by its index, an External range as `first-last`
  const ref = (e) => (index.has(e) ? index.get(e) : e.replace(/\[External\]$/, ''));
  const expected = lines.filter(([s, d]) => [s, d].every((e) => index.has(e) || /\[External\]$/.test(e))).map(([s, d, c]) => [ref(s), ref(d), c]);
  return {
    name,
    paths: [`tests/${name}/`, `test_outputs/connlist/${name}_connlist_output.txt`],
    namespaces,
    endpoints: all,
    policies,
    expected,
  };
}

function ipNum(ip) {
  return ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}

const scenarios = SCENARIOS.map(convert);
process.stdout.write(`{\n "repository": "github:np-guard/netpol-analyzer",\n "commit": "${commit}",\n "scenarios": [\n${scenarios.map((s) => `  ${JSON.stringify(s)}`).join(',\n')}\n ]\n}\n`);
