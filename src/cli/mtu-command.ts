import { CozynetValidationError } from '../model/errors';
import { formatMtuTable, mtuPlanJson } from '../model/mtu';
import { PlatformProps } from '../platform/platform';
import { makeMtuPlan } from '../render/mtu-plan';

/**
 * `cozynet mtu`: the MTU plan of a platform, one row per layer from the
 * wire up to a tenant cluster's pod, each overhead with its source. Exit 1
 * (a CozynetValidationError) when a user-set MTU does not fit.
 * @internal
 */
export function mtuCommand(props: PlatformProps, format: string, io: { out(text: string): void }): void {
  if (format !== 'text' && format !== 'json') {
    throw new CozynetValidationError([{ path: '--format', value: CozynetValidationError.show(format), message: 'must be text or json' }]);
  }
  const plan = makeMtuPlan(props);
  io.out(format === 'json' ? `${JSON.stringify(mtuPlanJson(plan), undefined, 2)}\n` : formatMtuTable(plan));
}
