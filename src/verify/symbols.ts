/** Matrix cell symbols. */
export const CELL = {
  allowed: '✓',
  denied: '·',
  partial: '◐',
  difference: '!',
  undetermined: '?',
  notApplicable: ' ',
};

export const LEGEND: Record<string, string> = {
  [CELL.allowed]: 'allowed on every probed port',
  [CELL.denied]: 'denied',
  [CELL.partial]: 'allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)',
  [CELL.difference]: 'differs from the intended reachability',
  [CELL.undetermined]: 'cannot be decided offline (rules the model cannot judge; see Undetermined)',
  [CELL.notApplicable]: 'not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)',
};
