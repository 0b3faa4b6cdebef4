import { App, Chart, Testing } from 'cdk8s';
import { AddressPlan } from '../../src/model/address-plan';
import { ClusterNetwork } from '../../src/model/cluster';
import { CozynetValidationError, ValidationIssue } from '../../src/model/errors';

/** A fresh app and chart. */
export function setup(): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  return { app, chart };
}

/** A fresh app and chart whose address plan has the default cluster reserved. */
export function setupWithCluster(): { app: App; chart: Chart; cluster: ClusterNetwork } {
  const { app, chart } = setup();
  const cluster = new ClusterNetwork();
  // Reserving through the plan is what the platform builder does.
  AddressPlan.of(chart).reserveCluster(cluster);
  return { app, chart, cluster };
}

/** Runs `fn`, which must throw a CozynetValidationError; returns it. */
export function refusal(fn: () => unknown): CozynetValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CozynetValidationError) return e;
    throw e;
  }
  throw new Error('expected a CozynetValidationError, but nothing was thrown');
}

/**
 * Asserts that `fn` is refused with an issue at `path` whose rendered value
 * contains `value`, and whose message matches `message` (if given). The
 * error's text must name both the path and the value.
 */
export function expectRefused(fn: () => unknown, path: string, value: string, message?: RegExp): ValidationIssue {
  const err = refusal(fn);
  const issue = err.issues.find((i) => i.path === path);
  if (!issue) {
    throw new Error(`no issue at ${path}; got:\n${err.message}`);
  }
  expect(issue.value).toContain(value);
  if (message) expect(issue.message).toMatch(message);
  expect(err.message).toContain(`${path}: `);
  expect(err.message).toContain(value);
  return issue;
}

/** Synthesized objects of a chart, by kind/name. */
export function objects(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** The one object of `kind` named `name`. */
export function find(chart: Chart, kind: string, name: string): any {
  const hits = objects(chart).filter((o) => o.kind === kind && o.metadata.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${hits.length}`);
  return hits[0];
}

/** Count of objects of `kind`. */
export function count(chart: Chart, kind: string): number {
  return objects(chart).filter((o) => o.kind === kind).length;
}
