/*
 * Shared machinery of the conformance tests: runs a scenario (policy objects
 * and explicit endpoints) through the verifier's model at both bounds and
 * compares every (source, destination, probe) verdict with a suite's
 * expectation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CiliumPolicyModel, ModelEndpoint, ModelOptions, Probe } from '../../../src/verify/model';

export type Verdict = 'allowed' | 'denied' | 'undetermined';

export interface Scenario {
  /** Suite-unique name. */
  readonly name: string;
  readonly objects: any[];
  readonly endpoints: ModelEndpoint[];
  readonly probes: Probe[];
  /** The suite's verdict (`true`: allowed). */
  readonly expected: (src: string, dst: string, probe: Probe) => boolean;
  /** Pairs to check; every ordered pair of distinct endpoints by default. */
  readonly pairs?: Array<[string, string]>;
  /** The probes of one pair, when the suite does not probe every pair on every probe. @default probes */
  readonly probesOf?: (src: string, dst: string) => Probe[];
  readonly options?: ModelOptions;
}

export interface Disagreement {
  readonly suite: string;
  readonly scenario: string;
  /** `source -> destination` */
  readonly pair: string;
  /** The probes on which the verifier differs, e.g. `TCP/81: expected denied, verifier allowed`. */
  readonly diff: string;
  readonly reason?: string;
}

export interface SuiteResult {
  readonly scenarios: number;
  /** (source, destination) pairs checked. */
  readonly pairs: number;
  /** Single (source, destination, probe) verdicts checked. */
  readonly checks: number;
  readonly disagreements: Disagreement[];
}

const probeName = (p: Probe) => `${p.protocol}/${p.port}`;

/** Compresses `TCP/80, TCP/81, UDP/53` into `TCP 80,81; UDP 53`. */
function probeList(probes: Probe[]): string {
  const by = new Map<string, number[]>();
  for (const p of probes) by.set(p.protocol, [...(by.get(p.protocol) ?? []), p.port]);
  return [...by].map(([proto, ports]) => `${proto} ${ports.sort((a, b) => a - b).join(',')}`).join('; ');
}

/** Runs the scenarios of one suite. */
export function runSuite(suite: string, scenarios: Scenario[]): SuiteResult {
  let pairs = 0;
  let checks = 0;
  const disagreements: Disagreement[] = [];
  for (const sc of scenarios) {
    const model = new CiliumPolicyModel(sc.objects, sc.options);
    // `distinct`: one identity per endpoint. Without it, non-pod endpoints of one entity share an identity whatever
    // their address (labels only), so the second `world` endpoint would be judged at the first one's address.
    const upper = model.evaluate(sc.endpoints, [], { bound: 'upper', distinct: true });
    const lower = model.evaluate(sc.endpoints, [], { bound: 'lower', distinct: true });
    const ids = sc.endpoints.map((e) => e.id);
    const list = sc.pairs ?? ids.flatMap((s) => ids.filter((d) => d !== s).map((d) => [s, d] as [string, string]));
    for (const [src, dst] of list) {
      pairs++;
      const wrong = new Map<string, Probe[]>();
      for (const probe of sc.probesOf?.(src, dst) ?? sc.probes) {
        checks++;
        const up = upper.allowed(src, dst, probe.port, probe.protocol);
        const lo = lower.allowed(src, dst, probe.port, probe.protocol);
        const got: Verdict = up === lo ? (up ? 'allowed' : 'denied') : 'undetermined';
        const want: Verdict = sc.expected(src, dst, probe) ? 'allowed' : 'denied';
        if (got !== want) {
          const key = `expected ${want}, verifier ${got}`;
          wrong.set(key, [...(wrong.get(key) ?? []), probe]);
        }
      }
      if (wrong.size > 0) {
        const diff = [...wrong].sort(([a], [b]) => a.localeCompare(b)).map(([k, ps]) => `${probeList(ps)}: ${k}`).join(' | ');
        disagreements.push({ suite, scenario: sc.name, pair: `${src} -> ${dst}`, diff });
      }
    }
  }
  return { scenarios: scenarios.length, pairs, checks, disagreements };
}

const KNOWN_FILE = path.join(__dirname, 'fixtures', 'disagreements.json');

/** The listed disagreements of a suite (fixtures/disagreements.json). */
export function knownDisagreements(suite: string): Disagreement[] {
  const all: Disagreement[] = JSON.parse(fs.readFileSync(KNOWN_FILE, 'utf8')).disagreements;
  return all.filter((d) => d.suite === suite);
}

export const keyOf = (d: Disagreement) => `${d.scenario} | ${d.pair} | ${d.diff}`;

export { probeName };

/**
 * The three checks of a converted suite: every verdict agrees except the
 * listed disagreements (and each listed one still disagrees), every listed
 * one has a reason, and the suite's size is pinned (the README table).
 * CONFORMANCE_DUMP=<file> writes the result, to refresh the list.
 */
export function expectConformance(
  suite: string,
  result: SuiteResult,
  size: { scenarios: number; pairs: number; checks: number; disagreeingPairs: number },
): void {
  test('every verdict agrees with the suite except the listed disagreements, and every listed one still disagrees', () => {
    const known = new Map(knownDisagreements(suite).map((d) => [keyOf(d), d]));
    const found = new Map(result.disagreements.map((d) => [keyOf(d), d]));
    const unlisted = [...found.keys()].filter((k) => !known.has(k));
    const fixed = [...known.keys()].filter((k) => !found.has(k));
    expect({ unlisted, fixed }).toEqual({ unlisted: [], fixed: [] });
  });

  test('every listed disagreement has a reason', () => {
    for (const d of knownDisagreements(suite)) expect(d.reason ?? '').toMatch(/\S{3}/);
  });

  test('size of the suite (see the README conformance table)', () => {
    expect({ scenarios: result.scenarios, pairs: result.pairs, checks: result.checks, disagreeingPairs: result.disagreements.length }).toEqual(size);
  });

  if (process.env.CONFORMANCE_DUMP) fs.writeFileSync(process.env.CONFORMANCE_DUMP, JSON.stringify(result, null, 1));
}
