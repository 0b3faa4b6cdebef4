/* eslint-disable no-bitwise */
import { contains, firstHost, formatAddress, IpInterval, overlaps, parseAddress, parseBlock, parseCidr } from '../../../src/model/ip';

/** The value of a successful parse, or the test fails with the error. */
function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(`expected a value, got error: ${r.error}`);
  return r.value;
}

/** The error of a failed parse. */
function err(r: { ok: true; value: unknown } | { ok: false; error: string }): string {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return r.error;
}

const block = (text: string): IpInterval => ok(parseBlock(text));

describe('parseAddress', () => {
  test('IPv4 and IPv6 addresses become one-address intervals, the text kept as written', () => {
    expect(ok(parseAddress('192.0.2.1'))).toEqual({ family: 4, start: 0xc0000201n, end: 0xc0000201n, text: '192.0.2.1' });
    expect(ok(parseAddress('0.0.0.0'))).toEqual({ family: 4, start: 0n, end: 0n, text: '0.0.0.0' });
    expect(ok(parseAddress('255.255.255.255'))).toEqual({ family: 4, start: 0xffffffffn, end: 0xffffffffn, text: '255.255.255.255' });
    expect(ok(parseAddress('fd00::1'))).toEqual({ family: 6, start: (0xfd00n << 112n) + 1n, end: (0xfd00n << 112n) + 1n, text: 'fd00::1' });
  });

  test('everything else is refused with what is allowed', () => {
    for (const bad of [undefined, null, 42, '', 'example.com', '10.0.0.256', 'fd00::g']) {
      expect(err(parseAddress(bad))).toBe('must be an IPv4 or IPv6 address');
    }
    expect(err(parseAddress('10.0.0.1/32'))).toBe('must be a single address without a prefix length');
    expect(err(parseAddress('fd00::1/128'))).toBe('must be a single address without a prefix length');
  });
});

describe('addresses Kubernetes would refuse', () => {
  test('leading zeros in IPv4 octets, also embedded in IPv6; zones; absurd lengths', () => {
    const dotted = 'must be written in the canonical dotted form: four numbers 0-255 without leading zeros (Kubernetes refuses 010.0.0.1)';
    for (const bad of ['010.0.0.1', '10.0.0.01', '10.00.0.1', '00.0.0.0', '192.168.001.1', '010.0.0.255']) expect([bad, err(parseAddress(bad))]).toEqual([bad, dotted]);
    expect(err(parseCidr('010.0.0.0/8'))).toBe(dotted);
    const embedded = 'the embedded IPv4 part must be four numbers 0-255 without leading zeros';
    expect(err(parseAddress('::ffff:010.0.0.1'))).toBe(embedded);
    expect(err(parseAddress('64:ff9b::192.0.2.01'))).toBe(embedded);
    expect(ok(parseAddress('::ffff:10.0.0.1')).family).toBe(6);
    expect(err(parseAddress('fd00:010.0.0.1::1'))).toBe('must be an IPv4 or IPv6 address'); // only a trailing IPv4 part is one
    expect(err(parseAddress('fe80::1%eth0'))).toBe('must not carry a zone (%…)');
    expect(err(parseAddress('1%2'))).toBe('must not carry a zone (%…)');
    expect(err(parseAddress('1'.repeat(65)))).toBe('is too long for an IP address');
    expect(err(parseAddress('1'.repeat(64)))).toBe('must be an IPv4 or IPv6 address');
    // Canonical forms pass: 0, 9, 10, 99, 100, 199, 200, 249, 250, 255 in every position.
    for (const good of ['0.9.10.99', '100.199.200.249', '250.255.0.1', '1.2.3.4']) expect(ok(parseAddress(good)).family).toBe(4);
    // Not a dotted quad of small numbers: not a leading-zero problem, just no address.
    for (const other of ['256.0.0.1', '1.2.3', '0001.2.3.4', '01.2.3.256', '1.2.3.4.5']) expect([other, err(parseAddress(other))]).toEqual([other, 'must be an IPv4 or IPv6 address']);
  });

  test('prefix lengths with leading zeros', () => {
    expect(err(parseCidr('10.0.0.0/08'))).toBe('the prefix length must be written without leading zeros (/8, not /08): Kubernetes refuses it');
    expect(err(parseCidr('10.0.0.0/008'))).toBe('the prefix length must be written without leading zeros (/8, not /008): Kubernetes refuses it');
    expect(err(parseCidr('0.0.0.0/00'))).toBe('the prefix length must be written without leading zeros (/0, not /00): Kubernetes refuses it');
    expect(ok(parseCidr('0.0.0.0/0')).prefix).toBe(0);
    expect(ok(parseCidr('10.0.0.0/10')).prefix).toBe(10);
    expect(err(parseCidr('fe80::%eth0/64'))).toBe('must not carry a zone (%…)');
  });
});

describe('parseCidr', () => {
  test('first and last address of IPv4 and IPv6 CIDRs, prefix and text', () => {
    expect(ok(parseCidr('10.244.0.0/16'))).toEqual({ family: 4, start: 0x0af40000n, end: 0x0af4ffffn, text: '10.244.0.0/16', prefix: 16 });
    expect(ok(parseCidr('192.0.2.7/32'))).toEqual({ family: 4, start: 0xc0000207n, end: 0xc0000207n, text: '192.0.2.7/32', prefix: 32 });
    expect(ok(parseCidr('0.0.0.0/0'))).toEqual({ family: 4, start: 0n, end: 0xffffffffn, text: '0.0.0.0/0', prefix: 0 });
    const v6 = ok(parseCidr('fd00:10:244::/64'));
    expect(v6).toEqual({ family: 6, start: 0xfd000010_02440000n << 64n, end: (0xfd000010_02440000n << 64n) + 0xffffffff_ffffffffn, text: 'fd00:10:244::/64', prefix: 64 });
    expect(ok(parseCidr('::/0')).end).toBe((1n << 128n) - 1n);
    expect(ok(parseCidr('fd00::1/128'))).toMatchObject({ family: 6, prefix: 128, start: (0xfdn << 120n) + 1n, end: (0xfdn << 120n) + 1n });
  });

  test('prefix lengths beyond the family are refused per family', () => {
    expect(err(parseCidr('10.0.0.0/33'))).toBe('IPv4 prefix length must be 0-32');
    expect(ok(parseCidr('fd00::/33')).prefix).toBe(33); // fine for IPv6
    expect(err(parseCidr('fd00::/129'))).toBe('IPv6 prefix length must be 0-128');
  });

  test('host bits set: the message names the network address', () => {
    expect(err(parseCidr('10.244.0.1/16'))).toBe('host bits are set; the network address is 10.244.0.0/16');
    expect(err(parseCidr('192.0.2.255/24'))).toBe('host bits are set; the network address is 192.0.2.0/24');
    expect(err(parseCidr('fd00::1/64'))).toBe('host bits are set; the network address is fd00::/64');
  });

  test('a list holding a CIDR is not a CIDR (a platform-file mistake, not a crash)', () => {
    expect(err(parseCidr(['10.0.0.0/8']))).toBe('must be a CIDR such as 10.244.0.0/16 or fd00:10:244::/64');
    expect(err(parseBlock(['10.0.0.0/8']))).toMatch(/^must be a CIDR such as/);
  });

  test('not a CIDR: the allowed forms', () => {
    const allowed = 'must be a CIDR such as 10.244.0.0/16 or fd00:10:244::/64';
    for (const bad of [undefined, 7, '', '10.0.0.0', '10.0.0.0/', '/16', '10.0.0.0/16/2', '10.0.0.0/1234', 'x10.0.0.0/8', '10.0.0.0/8x',
      '10.0.0.0/-1', 'example.com/16', '10.0.0.0 /16']) {
      expect(err(parseCidr(bad))).toBe(allowed);
    }
  });
});

describe('parseBlock', () => {
  test('a range start-end, spaces allowed around the dash, both ends inclusive', () => {
    expect(block('192.0.2.100-192.0.2.120')).toEqual({ family: 4, start: 0xc0000264n, end: 0xc0000278n, text: '192.0.2.100-192.0.2.120' });
    expect(block('192.0.2.100 - 192.0.2.100')).toEqual({ family: 4, start: 0xc0000264n, end: 0xc0000264n, text: '192.0.2.100 - 192.0.2.100' });
    expect(block('fd00::10-fd00::20')).toMatchObject({ family: 6, start: (0xfd00n << 112n) + 0x10n, end: (0xfd00n << 112n) + 0x20n });
  });

  test('a CIDR is a block too', () => {
    expect(block('192.0.2.0/28')).toEqual({ family: 4, start: 0xc0000200n, end: 0xc000020fn, text: '192.0.2.0/28', prefix: 28 });
  });

  test('bad ranges say which end and what is allowed', () => {
    expect(err(parseBlock('192.0.2.1-192.0.2.2-192.0.2.3'))).toBe('a range is written start-end, e.g. 192.0.2.100-192.0.2.120');
    expect(err(parseBlock('192.0.2.x-192.0.2.2'))).toBe('range start must be an IPv4 or IPv6 address');
    expect(err(parseBlock('192.0.2.1-192.0.2.0/24'))).toBe('range end must be a single address without a prefix length');
    expect(err(parseBlock('192.0.2.1-fd00::1'))).toBe('both ends of a range must be of the same IP family');
    expect(err(parseBlock('fd00::1-192.0.2.1'))).toBe('both ends of a range must be of the same IP family');
    expect(err(parseBlock('192.0.2.20-192.0.2.10'))).toBe('range is reversed: the start must not be above the end');
    expect(err(parseBlock('192.0.2.11-192.0.2.10'))).toBe('range is reversed: the start must not be above the end');
  });

  test('a bad CIDR also suggests the range form', () => {
    expect(err(parseBlock('192.0.2.1/24'))).toBe('host bits are set; the network address is 192.0.2.0/24; or a range start-end such as 192.0.2.100-192.0.2.120');
    expect(err(parseBlock(undefined))).toBe('must be a CIDR such as 10.244.0.0/16 or fd00:10:244::/64; or a range start-end such as 192.0.2.100-192.0.2.120');
  });
});

describe('overlaps and contains at the edges', () => {
  const a = () => block('10.0.0.0/24'); // 10.0.0.0 - 10.0.0.255

  test('sharing only the first or only the last address is an overlap', () => {
    expect(overlaps(a(), block('10.0.0.255-10.0.1.10'))).toBe(true);
    expect(overlaps(block('10.0.0.255-10.0.1.10'), a())).toBe(true);
    expect(overlaps(a(), block('9.255.255.0-10.0.0.0'))).toBe(true);
    expect(overlaps(block('9.255.255.0-10.0.0.0'), a())).toBe(true);
  });

  test('adjacent blocks do not overlap', () => {
    expect(overlaps(a(), block('10.0.1.0/24'))).toBe(false);
    expect(overlaps(block('10.0.1.0/24'), a())).toBe(false);
    expect(overlaps(a(), block('9.255.255.0/24'))).toBe(false);
    expect(overlaps(block('9.255.255.0/24'), a())).toBe(false);
  });

  test('the same numbers in different families never overlap nor contain', () => {
    const v6 = { family: 6 as const, start: a().start, end: a().end, text: 'same numbers, IPv6' };
    expect(overlaps(a(), v6)).toBe(false);
    expect(overlaps(v6, a())).toBe(false);
    expect(contains(a(), v6)).toBe(false);
    expect(contains(v6, a())).toBe(false);
    expect(overlaps(a(), a())).toBe(true);
    expect(contains(a(), a())).toBe(true);
  });

  test('containment includes both edges and nothing beyond', () => {
    expect(contains(a(), block('10.0.0.0/32'))).toBe(true);
    expect(contains(a(), block('10.0.0.255-10.0.0.255'))).toBe(true);
    expect(contains(a(), block('10.0.0.0-10.0.0.255'))).toBe(true);
    expect(contains(a(), block('9.255.255.255-10.0.0.10'))).toBe(false); // one below the start
    expect(contains(a(), block('10.0.0.10-10.0.1.0'))).toBe(false); // one past the end
    expect(contains(block('10.0.0.10-10.0.0.20'), a())).toBe(false);
  });
});

describe('formatting', () => {
  test('canonical text of IPv4 and IPv6 addresses', () => {
    expect(formatAddress(0xc0000201n, 4)).toBe('192.0.2.1');
    expect(formatAddress((0xfd00n << 112n) + 1n, 6)).toBe('fd00::1');
  });

  test('the first host is the network address plus one, as Kube-OVN picks gateways', () => {
    expect(firstHost(ok(parseCidr('10.244.0.0/16')))).toBe('10.244.0.1');
    expect(firstHost(ok(parseCidr('fd00:10:244::/64')))).toBe('fd00:10:244::1');
  });
});
