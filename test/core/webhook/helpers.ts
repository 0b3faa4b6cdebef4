import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { KubeOvnWebhook, KubeOvnWebhookProps } from '../../../src/constructs/kubeovn-webhook';
import { CozynetValidationError } from '../../../src/model/errors';

/** A test CA certificate (PEM, test/fixtures/webhook-ca). */
export function caPem(n: 1 | 2): string {
  return fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'webhook-ca', `ca${n}.pem`), 'utf8');
}

/** A base64 CA bundle for `certManager: false`: one test CA certificate. */
export const CA_BUNDLE = Buffer.from(caPem(1)).toString('base64');

/** The synthesized objects of a webhook built with `props` in a fresh app. */
export function docsOf(props?: KubeOvnWebhookProps): any[] {
  const app = Testing.app();
  return Testing.synth(new KubeOvnWebhook(app, 'kubeovn-webhook', props));
}

/** The one object of `kind` (and `name`, if given) among `docs`. */
export function one(docs: any[], kind: string, name?: string): any {
  const found = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata?.name === name));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The issues of the validation error `fn` throws. */
export function issuesOf(fn: () => unknown): Array<{ path: string; value: string; message: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CozynetValidationError);
    return (e as CozynetValidationError).issues;
  }
  throw new Error('expected a validation error');
}
