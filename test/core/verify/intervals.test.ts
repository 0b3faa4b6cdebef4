import fc from 'fast-check';
import * as iv from '../../../src/verify/intervals';

const set = fc.array(fc.nat(300), { maxLength: 120 });
const toSet = (a: iv.Intervals) => new Set(iv.toList(a));

describe('interval sets agree with plain sets', () => {
  test('union, intersect (balanced and skewed), subtract, xor, size, has', () => {
    fc.assert(fc.property(set, set, (xs, ys) => {
      const a = iv.fromList(xs);
      const b = iv.fromList(ys);
      const A = new Set(xs);
      const B = new Set(ys);
      const sorted = (s: Set<number>) => [...s].sort((x, y) => x - y);
      expect(iv.toList(a)).toEqual(sorted(A));
      expect(sorted(toSet(iv.union(a, b)))).toEqual(sorted(new Set([...A, ...B])));
      expect(iv.toList(iv.intersect(a, b))).toEqual(sorted(new Set([...A].filter((x) => B.has(x)))));
      expect(iv.toList(iv.subtract(a, b))).toEqual(sorted(new Set([...A].filter((x) => !B.has(x)))));
      expect(iv.toList(iv.xor(a, b))).toEqual(sorted(new Set([...A, ...B].filter((x) => A.has(x) !== B.has(x)))));
      expect(iv.size(a)).toBe(A.size);
      expect(iv.intersectSize(a, b)).toBe([...A].filter((x) => B.has(x)).length);
      for (let i = 0; i < 300; i += 7) expect(iv.has(a, i)).toBe(A.has(i));
      // canonical: disjoint, non-adjacent, increasing
      const u = iv.unionMany([a, b, iv.range(10, 20)]);
      for (let k = 2; k < u.length; k += 2) expect(u[k]).toBeGreaterThan(u[k - 1]);
    }), { numRuns: 300 });
  });
});
