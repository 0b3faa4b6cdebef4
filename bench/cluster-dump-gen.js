'use strict';
// A generated cluster dump (what `kubectl get namespaces,pods,networkpolicies,
// ciliumnetworkpolicies,ciliumclusterwidenetworkpolicies -A -o json` gives, split
// into files below the 64 MiB per-file limit of --manifests): `namespaces`
// tenant namespaces in a tree of fan-out 10 with the policies cozynet's
// tenant isolation writes for them (two per tenant; Gateway API on, the default
// that `verify --manifests` assumes), and `podsPerNamespace`
// pods in each, as a Deployment's, a StatefulSet's and a KubeVirt VM's pods run
// there (labels, service accounts, named container ports).
const fs = require('fs');
const path = require('path');
const { platform } = require('./platform-gen');

function list(items) {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

function pod(ns, name, labels, serviceAccountName, ports) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, uid: `${ns}-${name}` },
    spec: {
      serviceAccountName,
      containers: [{ name: 'main', image: 'registry.example/app:1.0', ports }],
    },
    status: { phase: 'Running' },
  };
}

/** The pods of one namespace: web (Deployment), db (StatefulSet), workers, one VM. */
function podsOf(ns, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 10;
    if (kind < 4) {
      out.push(pod(ns, `web-7d4b9c8f6d-${i}`, { 'app': 'web', 'pod-template-hash': '7d4b9c8f6d' }, 'web', [{ name: 'http', containerPort: 8080 }]));
    } else if (kind < 7) {
      out.push(pod(ns, `db-${i}`, { 'app': 'db', 'cozystack.io/service': 'postgres', 'statefulset.kubernetes.io/pod-name': `db-${i}` }, 'db',
        [{ name: 'pg', containerPort: 5432 }]));
    } else if (kind < 9) {
      out.push(pod(ns, `worker-${i}`, { app: 'worker' }, 'default', []));
    } else {
      out.push(pod(ns, `virt-launcher-vm-${i}`, { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': `vm-${i}` }, 'default', []));
    }
  }
  return out;
}

/** Writes the dump into `dir` (created); returns its counts. */
function writeDump(dir, namespaces, podsPerNamespace) {
  const lib = require('../lib');
  const { tenants } = platform(namespaces);
  const objects = lib.TenantIsolation.manifests({ tenants, allowFromIngress: true });
  const nsObjects = objects.filter((o) => o.kind === 'Namespace');
  const policies = objects.filter((o) => o.kind !== 'Namespace');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'namespaces.json'), JSON.stringify(list(nsObjects), null, 2));
  fs.writeFileSync(path.join(dir, 'policies.json'), JSON.stringify(list(policies), null, 2));
  let pods = 0;
  let chunk = [];
  let file = 0;
  const flush = () => {
    fs.writeFileSync(path.join(dir, `pods-${String(file++).padStart(3, '0')}.json`), JSON.stringify(list(chunk), null, 2));
    chunk = [];
  };
  for (const ns of nsObjects) {
    for (const p of podsOf(ns.metadata.name, podsPerNamespace)) {
      chunk.push(p);
      pods++;
    }
    if (chunk.length >= 20000) flush();
  }
  if (chunk.length > 0) flush();
  return { namespaces: nsObjects.length, policies: policies.length, pods, files: file + 2 };
}

module.exports = { writeDump };

if (require.main === module) {
  const [dir, n, per] = process.argv.slice(2);
  console.log(JSON.stringify(writeDump(dir, Number(n ?? 10000), Number(per ?? 10))));
}
