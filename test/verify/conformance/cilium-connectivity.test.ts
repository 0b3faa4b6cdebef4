/*
 * Conformance with cilium-cli's connectivity tests (github:cilium/cilium
 * cilium-cli/connectivity/; files and commits per test in
 * fixtures/cilium-connectivity.ts). The four test pods are explicit endpoints
 * of the verifier's model; a pod's service account is given as the
 * `io.cilium.k8s.policy.serviceaccount` label, the identity label Cilium
 * derives from it.
 */
import * as fs from 'fs';
import { CLIENTS, ECHOS, NAMESPACE, REPOSITORY, TESTS } from './fixtures/cilium-connectivity';
import { keyOf, knownDisagreements, runSuite, Scenario } from './harness';
import { ModelEndpoint, Probe } from '../../../src/verify/model';

const SUITE = 'cilium-connectivity';

const endpoints: ModelEndpoint[] = [
  ...CLIENTS.map((name) => ({
    id: name,
    namespace: NAMESPACE,
    labels: { name, 'kind': 'client', ...(name === 'client2' ? { other: 'client' } : {}), 'io.cilium.k8s.policy.serviceaccount': name },
  })),
  ...ECHOS.map((name) => ({ id: name, namespace: NAMESPACE, labels: { name, 'kind': 'echo', 'io.cilium.k8s.policy.serviceaccount': name } })),
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

  test('every verdict agrees with the suite except the listed disagreements, and every listed one still disagrees', () => {
    const known = new Map(knownDisagreements(SUITE).map((d) => [keyOf(d), d]));
    const found = new Map(result.disagreements.map((d) => [keyOf(d), d]));
    const unlisted = [...found.keys()].filter((k) => !known.has(k));
    const fixed = [...known.keys()].filter((k) => !found.has(k));
    expect({ unlisted, fixed }).toEqual({ unlisted: [], fixed: [] });
  });

  test('every listed disagreement has a reason', () => {
    for (const d of knownDisagreements(SUITE)) expect(d.reason ?? '').toMatch(/\S{3}/);
  });

  test('size of the suite (see the README conformance table)', () => {
    expect({ scenarios: result.scenarios, pairs: result.pairs, checks: result.checks, disagreeingPairs: result.disagreements.length })
      .toEqual({ scenarios: 13, pairs: 54, checks: 54, disagreeingPairs: 2 });
  });

  if (process.env.CONFORMANCE_DUMP) fs.writeFileSync(process.env.CONFORMANCE_DUMP, JSON.stringify(result, null, 1));
});
