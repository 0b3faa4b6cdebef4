/*
 * Addresses and CIDRs as the verifier's model reads them from policies
 * (toCIDR, toCIDRSet, ipBlock) and endpoints: IPv4 and IPv6, every textual
 * form RFC 4291 / RFC 5952 allow, and nothing else.
 */
import * as net from 'net';
import * as fc from 'fast-check';
import { parseAddress, parseCidr } from '../../../src/verify/model';

const v6 = (s: string) => parseAddress(s);
const big = (hex: string) => BigInt(`0x${hex}`);

describe('IPv6 addresses', () => {
  test('full, compressed and mixed forms', () => {
    expect(v6('2001:db8:0:0:0:0:0:1')).toEqual({ v6: true, n: big('20010db8000000000000000000000001') });
    expect(v6('2001:db8::1')).toEqual({ v6: true, n: big('20010db8000000000000000000000001') });
    expect(v6('::')).toEqual({ v6: true, n: 0n });
    expect(v6('::1')).toEqual({ v6: true, n: 1n });
    expect(v6('1::')).toEqual({ v6: true, n: big('00010000000000000000000000000000') });
    expect(v6('fe80::abcd:EF01')).toEqual({ v6: true, n: big('fe8000000000000000000000abcdef01') });
    expect(v6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual({ v6: true, n: 2n ** 128n - 1n });
    // one group of zeros may be compressed too
    expect(v6('1:2:3:4:5:6::8')).toEqual({ v6: true, n: big('00010002000300040005000600000008') });
    // an embedded IPv4 tail
    expect(v6('::ffff:10.0.0.1')).toEqual({ v6: true, n: big('00000000000000000000ffff0a000001') });
    expect(v6('64:ff9b::192.0.2.33')).toEqual({ v6: true, n: big('0064ff9b0000000000000000c0000221') });
    expect(v6('1:2:3:4:5:6:1.2.3.4')).toEqual({ v6: true, n: big('00010002000300040005000601020304') });
  });

  test('what is not an IPv6 address', () => {
    for (const bad of [
      '', ':', ':::', '1:2', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7::8:9',
      '::ffff:10.0.0.256', '::ffff:10.0.0', '1:2:3:4:5:6:7:1.2.3.4', '2001:db8::1 ', ' ::1', '::1/64', '::-1', '1:2:3:4:5:6:7:8::',
    ]) {
      expect([bad, parseAddress(bad)]).toEqual([bad, undefined]);
    }
    for (const notString of [undefined, null, 1, {}, ['::1']]) expect(parseAddress(notString)).toBeUndefined();
  });

  test('agrees with Node\'s parser on which strings are IPv6 addresses, and on their value', () => {
    const hexGroup = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const full = fc.array(hexGroup, { minLength: 8, maxLength: 8 });
    fc.assert(fc.property(full, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 8 }), (groups, at, len) => {
      // compress groups [at, at + len) (when that is a valid compression)
      const n = groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
      const text = len === 0 ? groups.join(':') : `${groups.slice(0, at).join(':')}::${groups.slice(at + len).join(':')}`;
      const compressed = len === 0 ? groups : [...groups.slice(0, at), ...Array(len).fill('0'), ...groups.slice(at + len)];
      const value = compressed.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
      const ours = parseAddress(text);
      if (at + len > 8) return;
      expect([text, net.isIPv6(text)]).toEqual([text, ours !== undefined]);
      if (ours) expect([text, ours.n]).toEqual([text, len === 0 ? n : value]);
    }), { seed: 22, numRuns: 500 });
  });
});

describe('CIDRs', () => {
  test('IPv4 and IPv6 prefixes: the first and the last address', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ v6: false, first: BigInt(0x0a000000), last: BigInt(0x0affffff) });
    expect(parseCidr('10.1.2.3/8')).toEqual({ v6: false, first: BigInt(0x0a000000), last: BigInt(0x0affffff) });
    expect(parseCidr('0.0.0.0/0')).toEqual({ v6: false, first: 0n, last: BigInt(0xffffffff) });
    expect(parseCidr('203.0.113.10')).toEqual({ v6: false, first: BigInt(0xcb00710a), last: BigInt(0xcb00710a) });
    expect(parseCidr('2001:db8::/32')).toEqual({ v6: true, first: big('20010db8000000000000000000000000'), last: big('20010db8ffffffffffffffffffffffff') });
    expect(parseCidr('::/0')).toEqual({ v6: true, first: 0n, last: 2n ** 128n - 1n });
    expect(parseCidr('2001:db8::1/128')).toEqual({ v6: true, first: big('20010db8000000000000000000000001'), last: big('20010db8000000000000000000000001') });
    expect(parseCidr('2001:db8::1')).toEqual({ v6: true, first: big('20010db8000000000000000000000001'), last: big('20010db8000000000000000000000001') });
  });

  test('what is not a CIDR', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/x', '::/129', '::/1000', '2001:db8::/', 'x/8', '', '/8']) {
      expect([bad, parseCidr(bad)]).toEqual([bad, undefined]);
    }
    expect(parseCidr(undefined)).toBeUndefined();
    expect(parseCidr(8)).toBeUndefined();
  });
});
