import { Address4, Address6 } from 'ip-address';

/**
 * Internal IP math on top of `ip-address`: every address, CIDR and range is
 * reduced to an inclusive [start, end] interval of BigInts per family.
 * @internal
 */
export interface IpInterval {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
  /** The text the user wrote. */
  readonly text: string;
}

/** @internal */
export interface ParsedCidr extends IpInterval {
  readonly prefix: number;
}

/** Result of parsing: a value, or an explanation of what is allowed. @internal */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const STRICT_IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** A dotted quad of numbers 0-255 where some number has a leading zero. */
function leadingZeros(text: string): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || STRICT_IPV4.test(text)) return false;
  return text.split('.').every((p) => Number(p) <= 255);
}

/**
 * Why an address text would be refused by Kubernetes' own parser (Go
 * `netip`: no leading zeros in IPv4 octets, also inside IPv6; no zones), or
 * undefined.
 */
function strictProblem(addr: string): string | undefined {
  if (addr.length > 64) return 'is too long for an IP address';
  if (addr.includes('%')) return 'must not carry a zone (%…)';
  if (!addr.includes(':')) {
    if (leadingZeros(addr)) {
      return 'must be written in the canonical dotted form: four numbers 0-255 without leading zeros (Kubernetes refuses 010.0.0.1)';
    }
    return undefined;
  }
  const v4 = addr.match(/:([0-9.]+)$/);
  if (v4 && leadingZeros(v4[1])) {
    return 'the embedded IPv4 part must be four numbers 0-255 without leading zeros';
  }
  return undefined;
}

/** Parses a single IPv4 or IPv6 address (no prefix). @internal */
export function parseAddress(text: unknown): Parsed<IpInterval> {
  if (typeof text !== 'string' || text.length === 0) {
    return { ok: false, error: 'must be an IPv4 or IPv6 address' };
  }
  if (text.includes('/')) return { ok: false, error: 'must be a single address without a prefix length' };
  const strict = strictProblem(text);
  if (strict) return { ok: false, error: strict };
  if (Address4.isValid(text)) {
    const v = new Address4(text).bigInt();
    return { ok: true, value: { family: 4, start: v, end: v, text } };
  }
  if (Address6.isValid(text)) {
    const v = new Address6(text).bigInt();
    return { ok: true, value: { family: 6, start: v, end: v, text } };
  }
  return { ok: false, error: 'must be an IPv4 or IPv6 address' };
}

/**
 * Parses a CIDR (`10.244.0.0/16`, `fd00::/64`). Host bits must be zero.
 * @internal
 */
export function parseCidr(text: unknown): Parsed<ParsedCidr> {
  const allowed = 'must be a CIDR such as 10.244.0.0/16 or fd00:10:244::/64';
  if (typeof text !== 'string' || !/^[^/]+\/\d{1,3}$/.test(text)) return { ok: false, error: allowed };
  const [addr, bitsText] = text.split('/');
  if (!/^(0|[1-9][0-9]*)$/.test(bitsText)) {
    return { ok: false, error: `the prefix length must be written without leading zeros (/${bitsText.replace(/^0+(?=\d)/, '')}, not /${bitsText}): Kubernetes refuses it` };
  }
  const strict = strictProblem(addr);
  if (strict) return { ok: false, error: strict };
  const bits = Number(bitsText);
  let family: 4 | 6;
  let parsed: Address4 | Address6;
  if (Address4.isValid(addr)) {
    if (bits > 32) return { ok: false, error: 'IPv4 prefix length must be 0-32' };
    family = 4;
    parsed = new Address4(text);
  } else if (Address6.isValid(addr)) {
    if (bits > 128) return { ok: false, error: 'IPv6 prefix length must be 0-128' };
    family = 6;
    parsed = new Address6(text);
  } else {
    return { ok: false, error: allowed };
  }
  const start = parsed.startAddress().bigInt();
  const end = parsed.endAddress().bigInt();
  const given = (family === 4 ? new Address4(addr) : new Address6(addr)).bigInt();
  if (given !== start) {
    return {
      ok: false,
      error: `host bits are set; the network address is ${formatAddress(start, family)}/${bits}`,
    };
  }
  return { ok: true, value: { family, start, end, text, prefix: bits } };
}

/**
 * Parses an address block: a CIDR or an inclusive `start-end` range of the
 * same family with start <= end.
 * @internal
 */
export function parseBlock(text: unknown): Parsed<IpInterval> {
  if (typeof text === 'string' && text.includes('-')) {
    const parts = text.split('-').map((p) => p.trim());
    if (parts.length !== 2) return { ok: false, error: 'a range is written start-end, e.g. 192.0.2.100-192.0.2.120' };
    const a = parseAddress(parts[0]);
    const b = parseAddress(parts[1]);
    if (!a.ok) return { ok: false, error: `range start ${a.error}` };
    if (!b.ok) return { ok: false, error: `range end ${b.error}` };
    if (a.value.family !== b.value.family) return { ok: false, error: 'both ends of a range must be of the same IP family' };
    if (a.value.start > b.value.start) return { ok: false, error: 'range is reversed: the start must not be above the end' };
    return { ok: true, value: { family: a.value.family, start: a.value.start, end: b.value.start, text } };
  }
  const c = parseCidr(text);
  if (!c.ok) {
    return { ok: false, error: `${c.error}; or a range start-end such as 192.0.2.100-192.0.2.120` };
  }
  return c;
}

/** Whether two intervals share any address. @internal */
export function overlaps(a: IpInterval, b: IpInterval): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** Whether `inner` lies entirely inside `outer`. @internal */
export function contains(outer: IpInterval, inner: IpInterval): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

/** Formats a BigInt address. @internal */
export function formatAddress(value: bigint, family: 4 | 6): string {
  return family === 4 ? Address4.fromBigInt(value).correctForm() : Address6.fromBigInt(value).correctForm();
}

/** The first usable address of a CIDR (network + 1), as Kube-OVN picks gateways. @internal */
export function firstHost(cidr: ParsedCidr): string {
  return formatAddress(cidr.start + 1n, cidr.family);
}

/**
 * A special-purpose address block of the IANA registries (RFC 6890), by its
 * registry name.
 * @internal
 */
export interface SpecialBlock {
  readonly cidr: string;
  /** The registry name and its RFC, e.g. `loopback (RFC 1122)`. */
  readonly name: string;
  /** Never the address of a unicast endpoint (a peer, an API server). */
  readonly notEndpoint: boolean;
  readonly interval: IpInterval;
}

/**
 * Blocks no pool, cluster CIDR or subnet may use: traffic to them never
 * leaves a host (loopback), is never routed (link-local), is not unicast
 * (multicast, broadcast), or is IPv4 written as IPv6 (IPv4-mapped), which
 * hides an overlap with the IPv4 ranges. Most specific first.
 * @internal
 */
export const SPECIAL_BLOCKS: readonly SpecialBlock[] = ([
  ['0.0.0.0/32', 'this host on this network (RFC 1122)', true],
  ['0.0.0.0/8', 'this network (RFC 791)', true],
  ['127.0.0.0/8', 'loopback (RFC 1122)', false],
  ['169.254.0.0/16', 'link-local (RFC 3927)', false],
  ['224.0.0.0/4', 'multicast (RFC 5771)', true],
  ['255.255.255.255/32', 'limited broadcast (RFC 919)', true],
  ['::/128', 'unspecified address (RFC 4291)', true],
  ['::1/128', 'loopback (RFC 4291)', false],
  ['::ffff:0:0/96', 'IPv4-mapped addresses (RFC 4291)', false],
  ['fe80::/10', 'link-local unicast (RFC 4291)', false],
  ['ff00::/8', 'multicast (RFC 4291)', true],
] as Array<[string, string, boolean]>).map(([cidr, name, notEndpoint]) => {
  // (constant CIDRs: they parse; the table test checks every one)
  const interval = (parseCidr(cidr) as { ok: true; value: ParsedCidr }).value;
  return { cidr, name, notEndpoint, interval };
});

/** The first special-purpose block `iv` overlaps, or undefined. @internal */
export function specialBlockOf(iv: IpInterval): SpecialBlock | undefined {
  return SPECIAL_BLOCKS.find((b) => overlaps(b.interval, iv));
}

/**
 * Why an address block cannot hold `what` (pool addresses, a pod CIDR):
 * the special-purpose block it overlaps by its registry name; for
 * IPv4-mapped IPv6, the IPv4 block it stands for. Undefined when fine.
 * @internal
 */
export function specialBlockProblem(iv: IpInterval, what: string): string | undefined {
  const b = specialBlockOf(iv);
  if (!b) return undefined;
  const where = iv.start === iv.end ? 'is in' : (contains(b.interval, iv) ? 'lies in' : 'overlaps');
  if (b.cidr === '::ffff:0:0/96') {
    const lo = iv.start > b.interval.start ? iv.start - b.interval.start : 0n;
    const hi = iv.end < b.interval.end ? iv.end - b.interval.start : 0xffffffffn;
    const v4 = lo === hi ? formatAddress(lo, 4) : `${formatAddress(lo, 4)}-${formatAddress(hi, 4)}`;
    return `${where} ${b.cidr}, ${b.name}: that is IPv4 ${v4} written as IPv6; write IPv4 addresses in dotted form (${what} cannot be IPv4-mapped)`;
  }
  return `${where} ${b.cidr}, ${b.name}: ${what} cannot use special-purpose addresses`;
}

/**
 * Why an address cannot be a unicast endpoint (a BGP peer, the API server):
 * unspecified, this network, multicast or broadcast. Undefined when fine.
 * @internal
 */
export function endpointProblem(iv: IpInterval, what: string): string | undefined {
  const b = SPECIAL_BLOCKS.find((s) => s.notEndpoint && contains(s.interval, iv));
  return b ? `is in ${b.cidr}, ${b.name}: ${what} must be a unicast address of a host` : undefined;
}
