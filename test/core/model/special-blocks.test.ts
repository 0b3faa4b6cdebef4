import { endpointProblem, parseAddress, parseBlock, SPECIAL_BLOCKS, specialBlockOf, specialBlockProblem } from '../../../src/model/ip';

const block = (text: string) => {
  const r = parseBlock(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const address = (text: string) => {
  const r = parseAddress(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('special-purpose blocks by their registry name', () => {
  test('the table, most specific first', () => {
    expect(SPECIAL_BLOCKS.map((b) => `${b.cidr} ${b.name} ${b.notEndpoint}`)).toEqual([
      '0.0.0.0/32 this host on this network (RFC 1122) true',
      '0.0.0.0/8 this network (RFC 791) true',
      '127.0.0.0/8 loopback (RFC 1122) false',
      '169.254.0.0/16 link-local (RFC 3927) false',
      '224.0.0.0/4 multicast (RFC 5771) true',
      '255.255.255.255/32 limited broadcast (RFC 919) true',
      '::/128 unspecified address (RFC 4291) true',
      '::1/128 loopback (RFC 4291) false',
      '::ffff:0:0/96 IPv4-mapped addresses (RFC 4291) false',
      'fe80::/10 link-local unicast (RFC 4291) false',
      'ff00::/8 multicast (RFC 4291) true',
    ]);
    for (const b of SPECIAL_BLOCKS) expect(b.interval.text).toBe(b.cidr);
    expect(SPECIAL_BLOCKS[4].interval).toEqual({ family: 4, start: 0xe0000000n, end: 0xefffffffn, text: '224.0.0.0/4', prefix: 4 });
  });

  test.each([
    ['127.0.0.0/24', 'lies in 127.0.0.0/8, loopback (RFC 1122): pool addresses cannot use special-purpose addresses'],
    ['169.254.1.0/24', 'lies in 169.254.0.0/16, link-local (RFC 3927): pool addresses cannot use special-purpose addresses'],
    ['224.0.0.0/4', 'lies in 224.0.0.0/4, multicast (RFC 5771): pool addresses cannot use special-purpose addresses'],
    ['239.255.255.255/32', 'is in 224.0.0.0/4, multicast (RFC 5771): pool addresses cannot use special-purpose addresses'],
    ['255.255.255.255/32', 'is in 255.255.255.255/32, limited broadcast (RFC 919): pool addresses cannot use special-purpose addresses'],
    ['0.0.0.0/32', 'is in 0.0.0.0/32, this host on this network (RFC 1122): pool addresses cannot use special-purpose addresses'],
    ['0.0.0.1-0.0.0.9', 'lies in 0.0.0.0/8, this network (RFC 791): pool addresses cannot use special-purpose addresses'],
    ['126.255.255.0-127.0.0.5', 'overlaps 127.0.0.0/8, loopback (RFC 1122): pool addresses cannot use special-purpose addresses'],
    ['::1/128', 'is in ::1/128, loopback (RFC 4291): pool addresses cannot use special-purpose addresses'],
    ['fe80::/64', 'lies in fe80::/10, link-local unicast (RFC 4291): pool addresses cannot use special-purpose addresses'],
    ['ff02::/16', 'lies in ff00::/8, multicast (RFC 4291): pool addresses cannot use special-purpose addresses'],
    ['::ffff:10.244.0.0/112', 'lies in ::ffff:0:0/96, IPv4-mapped addresses (RFC 4291): that is IPv4 10.244.0.0-10.244.255.255 written as IPv6; write IPv4 addresses in dotted form (pool addresses cannot be IPv4-mapped)'],
    ['::ffff:192.0.2.1-::ffff:192.0.2.1', 'is in ::ffff:0:0/96, IPv4-mapped addresses (RFC 4291): that is IPv4 192.0.2.1 written as IPv6; write IPv4 addresses in dotted form (pool addresses cannot be IPv4-mapped)'],
    ['::fffe:ffff:ffff-::ffff:0:5', 'overlaps ::ffff:0:0/96, IPv4-mapped addresses (RFC 4291): that is IPv4 0.0.0.0-0.0.0.5 written as IPv6; write IPv4 addresses in dotted form (pool addresses cannot be IPv4-mapped)'],
    ['::ffff:255.255.255.0-::1:0:0:0', 'overlaps ::ffff:0:0/96, IPv4-mapped addresses (RFC 4291): that is IPv4 255.255.255.0-255.255.255.255 written as IPv6; write IPv4 addresses in dotted form (pool addresses cannot be IPv4-mapped)'],
  ])('%s', (text, message) => {
    expect(specialBlockProblem(block(text), 'pool addresses')).toBe(message);
  });

  test('a single address "is in" its block', () => {
    expect(specialBlockProblem(address('127.0.0.1'), 'x')).toBe('is in 127.0.0.0/8, loopback (RFC 1122): x cannot use special-purpose addresses');
  });

  test.each(['10.0.0.0/8', '126.0.0.0/8', '128.0.0.0/8', '169.253.255.0/24', '169.255.0.0/16', '223.255.255.0/24', '240.0.0.0/5', '1.0.0.0/8',
    '255.255.255.254/32', '::2/128', 'fe7f::/16', 'fec0::/10', 'fe00::/9', '::fffe:0:0/96', '::1:0:0:0/96', 'fd00::/8', '2001:db8::/32'])('%s is ordinary', (text) => {
    expect(specialBlockOf(block(text))).toBeUndefined();
    expect(specialBlockProblem(block(text), 'pool addresses')).toBeUndefined();
  });

  test('endpoints: never unspecified, this network, multicast or broadcast; loopback and link-local are', () => {
    expect(endpointProblem(address('0.0.0.0'), 'a BGP peer')).toBe('is in 0.0.0.0/32, this host on this network (RFC 1122): a BGP peer must be a unicast address of a host');
    expect(endpointProblem(address('0.1.2.3'), 'a BGP peer')).toBe('is in 0.0.0.0/8, this network (RFC 791): a BGP peer must be a unicast address of a host');
    expect(endpointProblem(address('224.0.0.5'), 'the API server')).toBe('is in 224.0.0.0/4, multicast (RFC 5771): the API server must be a unicast address of a host');
    expect(endpointProblem(address('255.255.255.255'), 'x')).toBe('is in 255.255.255.255/32, limited broadcast (RFC 919): x must be a unicast address of a host');
    expect(endpointProblem(address('::'), 'x')).toBe('is in ::/128, unspecified address (RFC 4291): x must be a unicast address of a host');
    expect(endpointProblem(address('ff02::2'), 'x')).toBe('is in ff00::/8, multicast (RFC 4291): x must be a unicast address of a host');
    for (const ok of ['127.0.0.1', '169.254.1.1', 'fe80::1', '::1', '10.0.0.1', '1.0.0.0', '223.255.255.255', '240.0.0.1', '255.255.255.254', '::ffff:10.0.0.1']) {
      expect(endpointProblem(address(ok), 'x')).toBeUndefined();
    }
  });

  test('a block only touching an endpoint-excluded block from outside is no endpoint problem (containment, not overlap)', () => {
    expect(endpointProblem(block('223.0.0.0-224.0.0.0'), 'x')).toBeUndefined();
  });
});
