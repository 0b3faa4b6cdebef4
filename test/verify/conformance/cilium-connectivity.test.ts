/*
 * Conformance with cilium-cli's connectivity tests (github:cilium/cilium
 * cilium-cli/connectivity/; files and commits per test in
 * fixtures/cilium-connectivity.ts). The four test pods are explicit endpoints
 * of the verifier's model; a pod's service account is given as the
 * `io.cilium.k8s.policy.serviceaccount` label, the identity label Cilium
 * derives from it.
 */
import { CLIENTS, ECHOS, NAMESPACE, REPOSITORY, TESTS } from './fixtures/cilium-connectivity';
import { runSuite, Scenario, expectConformance } from './harness';
import { ModelEndpoint, Probe } from '../../../src/verify/model';

const SUITE = 'cilium-connectivity';

const endpoints: ModelEndpoint[] = [
  ...CLIENTS.map((name) => ({
    id: name,
    namespace: NAMESPACE,
    labels: { name, 'kind': 'client', ...(name === 'client2' ? { other: 'client' } : {}), 'io.cilium.k8s.policy.serviceaccount': name },
    ports: {}, // the clients serve nothing
  })),
  // deploy.go names the echo pods' container port 8080 `http-8080`
  ...ECHOS.map((name) => ({
    id: name, namespace: NAMESPACE, labels: { name, 'kind': 'echo', 'io.cilium.k8s.policy.serviceaccount': name }, ports: { 'http-8080': { port: 8080, protocol: 'TCP' } },
  })),
];

const probe = (s: string): Probe => {
  const [protocol, port] = s.split('/');
  return { protocol: protocol as Probe['protocol'], port: Number(port) };
};

function scenario(t: typeof TESTS[number]): Scenario {
  const checks = Object.keys(t.expected).map((k) => k.split(' '));
  const pairs = [...new Set(checks.map(([s, d]) => `${s} ${d}`))].map((k) => k.split(' ') as [string, string]);
  return {
    name: t.name,
    objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, ...t.policies],
    endpoints,
    probes: [],
    pairs,
    probesOf: (src, dst) => checks.filter(([s, d]) => s === src && d === dst).map(([, , p]) => probe(p)),
    expected: (src, dst, p) => t.expected[`${src} ${dst} ${p.protocol}/${p.port}`],
  };
}

describe(`conformance: ${REPOSITORY} cilium-cli connectivity tests`, () => {
  const result = runSuite(SUITE, TESTS.map(scenario));

  expectConformance(SUITE, result, { scenarios: 13, pairs: 54, checks: 54, disagreeingPairs: 0 });
});
