/**
 * The string and number formats used by the Kubernetes schemas and the CRD
 * schemas, registered by hand (no ajv-formats). Formats not listed here are
 * dropped from schemas before compiling, as the API server ignores formats it
 * does not know.
 */
import { isIP, isIPv4, isIPv6 } from 'net';
import type Ajv from 'ajv';

const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/i;
const IDN_LABEL = /^[^\s.]{1,63}$/u;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/;

/** Whether `value` is an IP network in CIDR notation (`10.0.0.0/8`, `fd00::/64`). */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  if (family === 0) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Whether `value` is an RFC 1123 hostname. */
function isHostname(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => DNS1123_LABEL.test(label));
}

/** Whether `value` looks like an internationalized hostname (labels of 1-63 non-space characters). */
function isIdnHostname(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => IDN_LABEL.test(label));
}

/** Whether `value` parses as an absolute URI. */
function isUri(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Whether an integer lies in [min, max]. */
function integerIn(min: number, max: number): (value: number) => boolean {
  return (value) => Number.isInteger(value) && value >= min && value <= max;
}

/** Format validators by name: strings are checked with a function, numbers by range. */
const STRING_FORMATS: Record<string, (value: string) => boolean> = {
  'byte': (v) => BASE64.test(v),
  'cidr': isCidr,
  'date-time': (v) => RFC3339.test(v),
  'datetime': (v) => RFC3339.test(v),
  'duration': (v) => DURATION.test(v),
  'hostname': isHostname,
  'idn-hostname': isIdnHostname,
  'ipv4': isIPv4,
  'ipv6': isIPv6,
  'mac': (v) => MAC.test(v),
  'password': () => true,
  'uri': isUri,
  'uuid': (v) => UUID.test(v),
};

const NUMBER_FORMATS: Record<string, (value: number) => boolean> = {
  double: Number.isFinite,
  float: Number.isFinite,
  int32: integerIn(-INT32_MAX - 1, INT32_MAX),
  int64: Number.isInteger,
  uint32: integerIn(0, UINT32_MAX),
};

/** Names of every format the validator knows. */
export const KNOWN_FORMATS: ReadonlySet<string> = new Set([
  ...Object.keys(STRING_FORMATS),
  ...Object.keys(NUMBER_FORMATS),
]);

/** Registers every known format on an ajv instance. */
export function addKubernetesFormats(ajv: Ajv): void {
  for (const [name, validate] of Object.entries(STRING_FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate });
  }
  for (const [name, validate] of Object.entries(NUMBER_FORMATS)) {
    ajv.addFormat(name, { type: 'number', validate });
  }
}
