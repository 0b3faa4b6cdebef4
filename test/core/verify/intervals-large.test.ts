/*
 * Interval sets at the sizes a large policy set produces: thousands of
 * intervals on one side, one or a few wide ones on the other (issue 20,
 * finding 2: small-minus-many subtraction recursed without end and `verify`
 * died with "Maximum call stack size exceeded" from about ten policies on).
 * Every operation is compared with a plain `Set` implementation over random
 * sets of up to thousands of intervals (fixed seed).
 */
import fc from 'fast-check';
import * as iv from '../../../src/verify/intervals';

/** Plain-set reference: members of a list of half-open runs. */
function plain(runs: Array<[number, number]>): Set<number> {
  const s = new Set<number>();
  for (const [from, to] of runs) for (let i = from; i < to; i++) s.add(i);
  return s;
}

/** Canonical intervals of a plain set, built naively (no code under test). */
function naive(s: Set<number>): number[] {
  const xs = [...s].sort((x, y) => x - y);
  const out: number[] = [];
  for (const x of xs) {
    if (out.length > 0 && out[out.length - 1] === x) out[out.length - 1] = x + 1;
    else out.push(x, x + 1);
  }
  return out;
}

const ofRuns = (runs: Array<[number, number]>): iv.Intervals => iv.unionMany(runs.map(([s, e]) => iv.range(s, e)));

/** Every other id in [from, to): as many intervals as members. */
const comb = (from: number, to: number): iv.Intervals => {
  const ids: number[] = [];
  for (let i = from; i < to; i += 2) ids.push(i);
  return iv.fromSorted(ids);
};

describe('interval sets with thousands of intervals', () => {
  test('one wide interval minus thousands of single ids: the odd ids remain (no recursion)', () => {
    const wide = iv.range(0, 20_000);
    const points = comb(0, 20_000); // 10,000 intervals, far past the skewed threshold
    const got = iv.subtract(wide, points);
    expect(iv.size(got)).toBe(10_000);
    expect(got.length).toBe(20_000);
    expect(Array.from(got.subarray(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(got.subarray(got.length - 2))).toEqual([19_999, 20_000]);
    // and the other way round: every point is inside the wide interval
    expect(iv.subtract(points, wide)).toEqual(iv.EMPTY);
    expect(iv.xor(wide, points)).toEqual(got);
  });

  test('two wide intervals minus 100,000 ids, some of them outside both', () => {
    const a = ofRuns([[10, 50_000], [150_000, 150_010]]);
    const got = iv.subtract(a, comb(0, 200_000));
    expect(iv.size(got)).toBe(24_995 + 5);
    expect(Array.from(got.subarray(0, 4))).toEqual([11, 12, 13, 14]);
    expect(Array.from(got.subarray(got.length - 4))).toEqual([150_007, 150_008, 150_009, 150_010]);
  });
});

// Runs: few wide or many narrow, over a universe of up to 30,000 ids, so that
// both sides range from empty to thousands of intervals and either can be the
// skewed one.
const runs = fc.oneof(
  fc.array(fc.tuple(fc.nat(30_000), fc.integer({ min: 1, max: 3 })), { maxLength: 3_000, size: 'max' }),
  fc.array(fc.tuple(fc.nat(30_000), fc.integer({ min: 1, max: 8_000 })), { maxLength: 6, size: 'max' }),
  fc.array(fc.tuple(fc.nat(2_000), fc.integer({ min: 1, max: 40 })), { maxLength: 400, size: 'max' }),
).map((rs) => rs.map(([s, n]) => [s, s + n] as [number, number]));

describe('interval sets agree with plain sets at thousands of intervals', () => {
  test('union, unionMany, intersect, subtract both ways, xor, sizes, has (seed 20)', () => {
    fc.assert(fc.property(runs, runs, runs, (ra, rb, rc) => {
      const [a, b, c] = [ofRuns(ra), ofRuns(rb), ofRuns(rc)];
      const [A, B, C] = [plain(ra), plain(rb), plain(rc)];
      expect(Array.from(a)).toEqual(naive(A));
      const only = (X: Set<number>, Y: Set<number>) => new Set([...X].filter((x) => !Y.has(x)));
      const both = (X: Set<number>, Y: Set<number>) => new Set([...X].filter((x) => Y.has(x)));
      expect(Array.from(iv.union(a, b))).toEqual(naive(new Set([...A, ...B])));
      expect(Array.from(iv.unionMany([a, b, c]))).toEqual(naive(new Set([...A, ...B, ...C])));
      expect(Array.from(iv.intersect(a, b))).toEqual(naive(both(A, B)));
      expect(Array.from(iv.subtract(a, b))).toEqual(naive(only(A, B)));
      expect(Array.from(iv.subtract(b, a))).toEqual(naive(only(B, A)));
      expect(Array.from(iv.subtract(iv.subtract(a, b), c))).toEqual(naive(only(only(A, B), C)));
      expect(Array.from(iv.xor(a, c))).toEqual(naive(new Set([...only(A, C), ...only(C, A)])));
      expect(iv.size(a)).toBe(A.size);
      expect(iv.intersectSize(a, b)).toBe(both(A, B).size);
      for (let i = 0; i < 40_000; i += 997) expect(iv.has(a, i)).toBe(A.has(i));
    }), { numRuns: 40, seed: 20 });
  });
});
