/*
 * Conformance with the Kubernetes e2e NetworkPolicy truth tables
 * (github:kubernetes/kubernetes test/e2e/network/netpol/network_policy.go; the
 * commit and the translation are in fixtures/kubernetes-e2e-netpol.ts).
 *
 * Each step lays out the suite's nine pods (x/a … z/c) as explicit endpoints
 * of the verifier's model, with the step's namespace and pod labels, and
 * compares the model's verdict for every ordered pair of distinct pods on
 * every probe the step's tables name.
 */
import { E2eStep, ENTITIES, Op, PeerSpec, SOURCE, STEPS } from './fixtures/kubernetes-e2e-netpol';
import { expectConformance, keyOf, knownDisagreements, runSuite, Scenario } from './harness';
import { ModelEndpoint, Probe } from '../../../src/verify/model';

const SUITE = 'kubernetes-e2e';
const NAMESPACES = ['x', 'y', 'z'];
const PODS = NAMESPACES.flatMap((ns) => ['a', 'b', 'c'].map((p) => `${ns}/${p}`));
/** Every pod serves ports 80 and 81 on TCP, UDP and SCTP, named `serve-<port>-<protocol>` (test/e2e/network/netpol/model.go). */
const SERVED_PORTS = Object.fromEntries([80, 81].flatMap((port) => ['TCP', 'UDP', 'SCTP'].map((protocol) => [`serve-${port}-${protocol.toLowerCase()}`, { port, protocol }])));

const matches = (spec: PeerSpec, pod: string) => {
  const [ns, name] = pod.split('/');
  return (spec.ns === undefined || spec.ns === ns) && (spec.pod === undefined || spec.pod === name);
};

/** The suite's table: starts all-allowed, then the Expect* calls in order. */
function table(ops: Op[]): Map<string, boolean> {
  const t = new Map<string, boolean>();
  for (const s of PODS) for (const d of PODS) t.set(`${s} ${d}`, true);
  for (const op of ops) {
    for (const s of PODS) {
      for (const d of PODS) {
        let hit = false;
        if (op[0] === 'peer') hit = matches(op[1], s) && matches(op[2], d);
        else if (op[0] === 'in') hit = d === op[1];
        else if (op[0] === 'out') hit = s === op[1];
        else hit = s === op[1] && d === op[2];
        if (hit) t.set(`${s} ${d}`, op[op.length - 1] as boolean);
      }
    }
  }
  return t;
}

function scenario(step: E2eStep): Scenario {
  const namespaces = NAMESPACES.map((ns) => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, ...step.nsLabels?.[ns] } },
  }));
  const endpoints: ModelEndpoint[] = PODS.map((id) => {
    const [ns, pod] = id.split('/');
    return { id, namespace: ns, labels: { pod, ...step.podLabels?.[id] }, ports: SERVED_PORTS };
  });
  const entityPairs = Object.entries(step.entityPairs ?? {}).map(([k, v]) => [k.split(' ') as [string, string], v] as const);
  if (entityPairs.length > 0) endpoints.push(...ENTITIES.map((entity) => ({ id: entity, entity })));
  const pairs = PODS.flatMap((s) => PODS.filter((d) => d !== s).map((d) => [s, d] as [string, string]));
  const tables = new Map(Object.entries(step.tables).map(([probe, ops]) => [probe, table(ops)]));
  const probes: Probe[] = [...tables.keys()].map((p) => {
    const [protocol, port] = p.split('/');
    return { protocol: protocol as Probe['protocol'], port: Number(port) };
  });
  return {
    name: step.name,
    objects: [...namespaces, ...step.policies],
    endpoints,
    probes,
    pairs: [...pairs, ...entityPairs.map(([pair]) => pair)],
    expected: (src, dst, probe) => step.entityPairs?.[`${src} ${dst}`] ?? tables.get(`${probe.protocol}/${probe.port}`)!.get(`${src} ${dst}`)!,
  };
}

describe(`conformance: ${SOURCE.repository} ${SOURCE.path} @ ${SOURCE.commit.slice(0, 12)}`, () => {
  const result = runSuite(SUITE, STEPS.map(scenario));

  expectConformance(SUITE, result, { scenarios: 58, pairs: 4194, checks: 4698, disagreeingPairs: 25 });

  test('judged as Cilium 1.20 (--cilium-version 1.20): the disagreements kept for Cilium 1.19 (cilium/cilium#46949) agree, and nothing else changes', () => {
    const as120 = runSuite(SUITE, STEPS.map(scenario).map((sc) => ({ ...sc, options: { ...sc.options, ciliumVersion: '1.20' as const } })));
    const known = knownDisagreements(SUITE);
    const of119 = known.filter((d) => /cilium\/cilium#46949/.test(d.reason ?? ''));
    expect(of119.length).toBe(9);
    expect(as120.disagreements.map(keyOf).sort()).toEqual(known.filter((d) => !of119.includes(d)).map(keyOf).sort());
  });
});
