import { Testing } from 'cdk8s';
import { KubeOvnWebhook, KubeOvnWebhookProps } from '../../../src/constructs/kubeovn-webhook';
import { CozynetValidationError } from '../../../src/model/errors';

/** A base64 CA bundle for `certManager: false` (content is not checked). */
export const CA_BUNDLE = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==';

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
