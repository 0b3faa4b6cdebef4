/*
 * Interval sets stay canonical (sorted, disjoint, non-adjacent, no empty
 * interval) through every operation: `equals` compares the stored form, and
 * the verifier groups identical matrix rows by it, so two spellings of one
 * set would split a group or hide a difference.
 */
import fc from 'fast-check';
import * as iv from '../../../src/verify/intervals';

/** Whether `a` is in canonical form. */
function canonical(a: iv.Intervals): boolean {
  if (a.length % 2 !== 0) return false;
  for (let k = 0; k < a.length; k += 2) {
    if (!(a[k] < a[k + 1])) return false; // no empty interval
    if (k > 0 && !(a[k] > a[k - 1])) return false; // disjoint and not adjacent
  }
  return true;
}

// Sets made of runs (what policies select: contiguous subtrees), dense and sparse.
const runs = fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 1, max: 30 })), { maxLength: 25 })
  .map((rs) => iv.unionMany(rs.map(([s, n]) => iv.range(s, s + n))));
const points = fc.array(fc.nat(400), { maxLength: 60 }).map((xs) => iv.fromList(xs));
const anySet = fc.oneof(runs, points, fc.constant(iv.EMPTY));

describe('interval sets stay canonical', () => {
  test('every operation returns a canonical set, equal by value to the plain-set result', () => {
    fc.assert(fc.property(anySet, anySet, anySet, (a, b, c) => {
      const results = [iv.union(a, b), iv.unionMany([a, b, c]), iv.intersect(a, b), iv.subtract(a, b), iv.xor(a, b), iv.intersect(a, iv.union(b, c))];
      for (const r of results) expect([Array.from(r), canonical(r)]).toEqual([Array.from(r), true]);
      const A = new Set(iv.toList(a));
      const B = new Set(iv.toList(b));
      expect(iv.equals(iv.intersect(a, b), iv.fromList([...A].filter((x) => B.has(x))))).toBe(true);
      expect(iv.equals(iv.subtract(a, b), iv.fromList([...A].filter((x) => !B.has(x))))).toBe(true);
      expect(iv.equals(iv.union(a, b), iv.fromList([...A, ...B]))).toBe(true);
      expect(iv.intersectSize(a, b)).toBe(iv.size(iv.intersect(a, b)));
    }), { numRuns: 400, seed: 15 });
  });

  test('skewed intersections and subtractions (one side eight times longer) agree with the balanced result', () => {
    // many small intervals against one or two: the skewed algorithms
    const many = iv.fromList(Array.from({ length: 100 }, (_, i) => 4 * i)); // 0, 4, 8, ... 396
    const few = iv.unionMany([iv.range(10, 30), iv.range(200, 201)]);
    expect(Array.from(iv.intersect(few, many))).toEqual([12, 13, 16, 17, 20, 21, 24, 25, 28, 29, 200, 201]);
    expect(Array.from(iv.intersect(many, few))).toEqual([12, 13, 16, 17, 20, 21, 24, 25, 28, 29, 200, 201]);
    expect(Array.from(iv.subtract(few, many))).toEqual([10, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29, 30]);
    expect(iv.size(iv.subtract(many, few))).toBe(100 - 6);
    expect(iv.intersectSize(many, few)).toBe(6);
    // an interval that ends exactly where another starts
    expect(Array.from(iv.intersect(iv.range(0, 4), iv.fromList([4, 8, 12, 16, 20, 24, 28, 32, 36, 40])))).toEqual([]);
    expect(Array.from(iv.subtract(iv.range(0, 5), iv.fromList([4, 8, 12, 16, 20, 24, 28, 32, 36, 40])))).toEqual([0, 4]);
  });

  test('edges: empty ranges, duplicates, adjacent points, equality', () => {
    expect(Array.from(iv.range(5, 5))).toEqual([]);
    expect(Array.from(iv.range(5, 4))).toEqual([]);
    expect(Array.from(iv.range(5, 6))).toEqual([5, 6]);
    expect(Array.from(iv.fromSorted([1, 1, 2, 3, 3, 5, 7, 8]))).toEqual([1, 4, 5, 6, 7, 9]);
    expect(Array.from(iv.fromList([9, 0, 1, 0]))).toEqual([0, 2, 9, 10]);
    expect(Array.from(iv.fromSorted([]))).toEqual([]);
    expect(iv.equals(iv.fromList([1, 2]), iv.range(1, 3))).toBe(true);
    expect(iv.equals(iv.fromList([1, 2]), iv.range(1, 4))).toBe(false);
    expect(iv.equals(iv.fromList([1, 3]), iv.fromList([1, 4]))).toBe(false);
    expect(iv.equals(iv.EMPTY, iv.range(3, 3))).toBe(true);
    const seen: number[] = [];
    iv.forEach(iv.fromList([7, 2, 3]), (i) => seen.push(i));
    expect(seen).toEqual([2, 3, 7]);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => iv.has(iv.fromList([1, 2, 5]), i))).toEqual([false, true, true, false, false, true, false]);
  });
});
