import { CozynetValidationError, ValidationIssue } from '../model/errors';

/**
 * How long one release may take on every delivery path (platform file key
 * `delivery.timeout`): Helm's `--timeout` and the kubectl retry window in
 * `apply/kubectl.sh`, the HelmReleases' `spec.timeout`, the `helm_release`
 * resources' `timeout`. Ten minutes by default, the kubectl script's old
 * value and the reference platform's HelmRelease timeout: a first install
 * pulls the Cilium and Kube-OVN images on every node and waits for
 * OVN central's databases to elect a leader, which takes longer than Flux's
 * and Terraform's default of five minutes on slow registries or links.
 * @internal
 */
export const DEFAULT_DELIVERY_TIMEOUT = '10m';

/** Shortest and longest timeouts accepted (seconds). @internal */
export const MIN_DELIVERY_TIMEOUT = 60;
/** @internal */
export const MAX_DELIVERY_TIMEOUT = 24 * 3600;

const DURATION = /^(?:(\d{1,5})h)?(?:(\d{1,6})m)?(?:(\d{1,7})s)?$/;

/** Seconds of a duration such as `10m`, `1h30m`, `90s`; undefined when it is not one. @internal */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const m = DURATION.exec(value);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Problems with `delivery.timeout`. @internal */
export function checkDeliveryTimeout(value: unknown, path = 'delivery.timeout'): ValidationIssue[] {
  if (value === undefined) return [];
  const seconds = durationSeconds(value);
  if (seconds === undefined) {
    return [{ path, value: CozynetValidationError.show(value), message: 'must be a duration in whole hours, minutes and seconds, such as 10m, 90s or 1h30m (units h, m, s; Terraform takes whole seconds)' }];
  }
  if (seconds < MIN_DELIVERY_TIMEOUT || seconds > MAX_DELIVERY_TIMEOUT) {
    return [{ path, value: CozynetValidationError.show(value), message: `must be from 1m to 24h (a release's images must be pulled and its pods started within it; got ${seconds}s)` }];
  }
  return [];
}

/**
 * The timeout as every path writes it: the duration text (Helm, kubectl,
 * Flux) and its seconds (Terraform, the retry window).
 * @internal
 */
export interface DeliveryTimeout {
  readonly text: string;
  readonly seconds: number;
}

/** The checked timeout, or the default. @internal */
export function deliveryTimeout(value: string | undefined): DeliveryTimeout {
  const text = value ?? DEFAULT_DELIVERY_TIMEOUT;
  const issues = checkDeliveryTimeout(text);
  if (issues.length > 0) throw new CozynetValidationError(issues);
  return { text, seconds: durationSeconds(text)! };
}
