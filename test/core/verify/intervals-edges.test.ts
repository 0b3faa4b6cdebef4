/*
 * Edge cases of the interval sets behind the verifier's reachability matrix:
 * exact canonical contents (sorted, disjoint, non-adjacent, no empty
 * interval) on touching and nested ranges, empty sets, large ids, the skewed
 * (one side at least eight times longer) algorithms and their thresholds, and
 * which operations hand back their argument itself instead of a copy (the
 * matrix shares rows between endpoints; a copy would cost memory, a wrong
 * share would alias).
 */
import fc from 'fast-check';
import * as iv from '../../../src/verify/intervals';

/** Stored form as a plain array. */
const raw = (a: iv.Intervals): number[] => Array.from(a);

/** Whether `a` is canonical: even length, every interval non-empty, strictly after the previous one with a gap. */
function canonical(a: iv.Intervals): boolean {
  if (a.length % 2 !== 0) return false;
  for (let k = 0; k < a.length; k += 2) {
    if (!(a[k] < a[k + 1])) return false;
    if (k > 0 && !(a[k] > a[k - 1])) return false;
  }
  return true;
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

/** Builds a set from `[start, end)` pairs (may touch or overlap) through `unionMany`. */
const of = (...pairs: Array<[number, number]>) => iv.unionMany(pairs.map(([s, e]) => iv.range(s, e)));

/** `n` single points `start, start + step, ...`. */
const comb = (n: number, start = 0, step = 4) => iv.fromList(Array.from({ length: n }, (_, i) => start + step * i));

describe('construction', () => {
  test('range: empty unless to > from; large ids', () => {
    expect(iv.range(0, 0)).toBe(iv.EMPTY);
    expect(iv.range(7, 3)).toBe(iv.EMPTY);
    expect(raw(iv.range(0, 1))).toEqual([0, 1]);
    expect(raw(iv.range(1_000_000_000, 1_000_000_003))).toEqual([1_000_000_000, 1_000_000_003]);
    expect(iv.size(iv.range(1_000_000_000, 1_000_000_003))).toBe(3);
  });

  test.each<[string, number[], number[]]>([
    ['single', [4], [4, 5]],
    ['zero', [0], [0, 1]],
    ['run', [0, 1, 2, 3], [0, 4]],
    ['duplicates inside a run', [2, 2, 3, 3, 3, 4], [2, 5]],
    ['duplicate start', [5, 5, 9], [5, 6, 9, 10]],
    ['gap of one', [1, 3], [1, 2, 3, 4]],
    ['run then point then run', [0, 1, 5, 8, 9, 10], [0, 2, 5, 6, 8, 11]],
    ['duplicate at the end', [1, 2, 6, 6], [1, 3, 6, 7]],
    ['large ids', [999_999_998, 999_999_999, 1_000_000_001], [999_999_998, 1_000_000_000, 1_000_000_001, 1_000_000_002]],
  ])('fromSorted / fromList: %s', (_name, ids, want) => {
    expect(raw(iv.fromSorted(ids))).toEqual(want);
    expect(raw(iv.fromSorted(Int32Array.from(ids)))).toEqual(want);
    expect(raw(iv.fromList([...ids].reverse()))).toEqual(want);
    expect(raw(iv.fromList([...ids.slice(1), ids[0]]))).toEqual(want);
  });

  test('fromList sorts numerically, not as text', () => {
    expect(raw(iv.fromList([10, 9, 100, 2]))).toEqual([2, 3, 9, 11, 100, 101]);
  });

  test('empty lists give EMPTY itself', () => {
    expect(iv.fromSorted([])).toBe(iv.EMPTY);
    expect(iv.fromList([])).toBe(iv.EMPTY);
  });
});

describe('queries', () => {
  test('size, toList, forEach, has over every position around the intervals', () => {
    const a = of([0, 1], [3, 6], [10, 11]);
    expect(iv.size(a)).toBe(5);
    expect(iv.size(iv.EMPTY)).toBe(0);
    expect(iv.toList(a)).toEqual([0, 3, 4, 5, 10]);
    expect(iv.toList(iv.EMPTY)).toEqual([]);
    const members = new Set([0, 3, 4, 5, 10]);
    for (let i = -2; i <= 14; i++) expect([i, iv.has(a, i)]).toEqual([i, members.has(i)]);
    for (const i of [-1, 0, 1, 100]) expect(iv.has(iv.EMPTY, i)).toBe(false);
  });

  test('has: one interval, two intervals, values past the last one', () => {
    const one = iv.range(5, 8);
    expect([4, 5, 6, 7, 8, 9, 50].map((i) => iv.has(one, i))).toEqual([false, true, true, true, false, false, false]);
    const two = of([1, 2], [4, 5]);
    expect([0, 1, 2, 3, 4, 5, 6, 1000].map((i) => iv.has(two, i))).toEqual([false, true, false, false, true, false, false, false]);
    const many = comb(9); // 0, 4, ..., 32
    for (let i = -1; i <= 40; i++) expect([i, iv.has(many, i)]).toEqual([i, i >= 0 && i <= 32 && i % 4 === 0]);
  });

  test('first: the n smallest members, across intervals, never more than n', () => {
    const a = of([2, 4], [7, 8], [10, 13]);
    expect(iv.first(a, 0)).toEqual([]);
    expect(iv.first(a, 1)).toEqual([2]);
    expect(iv.first(a, 2)).toEqual([2, 3]);
    expect(iv.first(a, 3)).toEqual([2, 3, 7]);
    expect(iv.first(a, 4)).toEqual([2, 3, 7, 10]);
    expect(iv.first(a, 6)).toEqual([2, 3, 7, 10, 11, 12]);
    expect(iv.first(a, 100)).toEqual([2, 3, 7, 10, 11, 12]);
    expect(iv.first(iv.EMPTY, 3)).toEqual([]);
  });

  test('equals compares the whole stored form, including a prefix of the other', () => {
    const a = of([1, 3]);
    const b = of([1, 3], [5, 6]);
    expect(iv.equals(a, b)).toBe(false);
    expect(iv.equals(b, a)).toBe(false);
    expect(iv.equals(iv.EMPTY, a)).toBe(false);
    expect(iv.equals(a, iv.EMPTY)).toBe(false);
    expect(iv.equals(b, of([1, 3], [5, 7]))).toBe(false);
    expect(iv.equals(b, of([0, 3], [5, 6]))).toBe(false);
    expect(iv.equals(b, iv.fromList([1, 2, 5]))).toBe(true);
    expect(iv.equals(iv.EMPTY, iv.EMPTY)).toBe(true);
  });
});

describe('union', () => {
  test.each<[string, Array<[number, number]>, number[]]>([
    ['touching ranges merge', [[0, 5], [5, 10]], [0, 10]],
    ['touching ranges in reverse order merge', [[5, 10], [0, 5]], [0, 10]],
    ['a gap of one stays', [[0, 5], [6, 10]], [0, 5, 6, 10]],
    ['nested range is absorbed', [[0, 10], [2, 3]], [0, 10]],
    ['nested range first', [[2, 3], [0, 10]], [0, 10]],
    ['overlap extends the end', [[0, 4], [2, 8]], [0, 8]],
    ['same start, shorter second', [[3, 9], [3, 5]], [3, 9]],
    ['same start, longer second', [[3, 5], [3, 9]], [3, 9]],
    ['chain of touching ranges out of order', [[20, 30], [0, 10], [10, 20], [40, 41]], [0, 30, 40, 41]],
    ['duplicates', [[1, 2], [1, 2], [1, 2]], [1, 2]],
    ['zero and large ids', [[0, 1], [1_000_000_000, 1_000_000_001]], [0, 1, 1_000_000_000, 1_000_000_001]],
  ])('unionMany: %s', (_name, pairs, want) => {
    const sets = pairs.map(([s, e]) => iv.range(s, e));
    const got = iv.unionMany(sets);
    expect(raw(got)).toEqual(want);
    expect(canonical(got)).toBe(true);
    if (sets.length === 2) expect(raw(iv.union(sets[0], sets[1]))).toEqual(want);
  });

  test('unionMany of multi-interval sets interleaving', () => {
    const a = of([0, 2], [10, 12], [20, 22]);
    const b = of([2, 4], [8, 10], [30, 31]);
    const c = of([5, 6]);
    expect(raw(iv.unionMany([a, b, c]))).toEqual([0, 4, 5, 6, 8, 12, 20, 22, 30, 31]);
    expect(raw(iv.unionMany([c, iv.EMPTY, b, a]))).toEqual([0, 4, 5, 6, 8, 12, 20, 22, 30, 31]);
    expect(raw(iv.union(a, b))).toEqual([0, 4, 8, 12, 20, 22, 30, 31]);
  });

  test('no copy: the empty union is EMPTY, a union with only empty others is the set itself', () => {
    const a = of([1, 3], [5, 6]);
    const b = of([4, 5]);
    expect(iv.unionMany([])).toBe(iv.EMPTY);
    expect(iv.unionMany([iv.EMPTY, iv.range(3, 3)])).toBe(iv.EMPTY);
    expect(iv.unionMany([a])).toBe(a);
    expect(iv.unionMany([a, iv.EMPTY])).toBe(a);
    expect(iv.unionMany([iv.EMPTY, a, iv.EMPTY])).toBe(a);
    expect(iv.union(a, iv.EMPTY)).toBe(a);
    expect(iv.union(iv.EMPTY, a)).toBe(a);
    expect(iv.union(iv.EMPTY, iv.EMPTY)).toBe(iv.EMPTY);
    // a real union is a new array, the inputs are untouched
    const u = iv.union(a, b);
    expect(raw(u)).toEqual([1, 3, 4, 6]);
    expect(raw(a)).toEqual([1, 3, 5, 6]);
    expect(raw(b)).toEqual([4, 5]);
  });
});

describe('intersect', () => {
  test.each<[string, Array<[number, number]>, Array<[number, number]>, number[]]>([
    ['touching ranges share nothing', [[0, 5]], [[5, 10]], []],
    ['touching ranges, other order', [[5, 10]], [[0, 5]], []],
    ['overlap', [[0, 6]], [[4, 10]], [4, 6]],
    ['nested', [[0, 10]], [[3, 4]], [3, 4]],
    ['equal ends', [[0, 5], [7, 9]], [[2, 5], [8, 9]], [2, 5, 8, 9]],
    ['equal ends, then a later interval of the same side', [[0, 5], [6, 9]], [[2, 5], [6, 7]], [2, 5, 6, 7]],
    ['one spans several', [[0, 20]], [[1, 2], [5, 7], [19, 25]], [1, 2, 5, 7, 19, 20]],
    ['interleaved', [[0, 2], [4, 6], [8, 10]], [[1, 5], [9, 12]], [1, 2, 4, 5, 9, 10]],
    ['same length, different contents', [[0, 2], [4, 6]], [[1, 3], [5, 7]], [1, 2, 5, 6]],
  ])('%s', (_name, pa, pb, want) => {
    const a = of(...pa);
    const b = of(...pb);
    expect(raw(iv.intersect(a, b))).toEqual(want);
    expect(raw(iv.intersect(b, a))).toEqual(want);
    expect(iv.intersectSize(a, b)).toBe(want.length === 0 ? 0 : iv.size(Int32Array.from(want)));
    expect(iv.intersectSize(b, a)).toBe(iv.intersectSize(a, b));
  });

  test('with an empty side: EMPTY itself', () => {
    const a = of([1, 3]);
    const big = comb(20);
    expect(iv.intersect(iv.EMPTY, a)).toBe(iv.EMPTY);
    expect(iv.intersect(a, iv.EMPTY)).toBe(iv.EMPTY);
    expect(iv.intersect(iv.EMPTY, big)).toBe(iv.EMPTY);
    expect(iv.intersect(big, iv.EMPTY)).toBe(iv.EMPTY);
    expect(iv.intersect(iv.EMPTY, iv.EMPTY)).toBe(iv.EMPTY);
    expect(iv.intersectSize(iv.EMPTY, big)).toBe(0);
    expect(iv.intersectSize(big, iv.EMPTY)).toBe(0);
  });

  test('no copy when the result is the first argument (balanced sizes)', () => {
    const a = of([2, 4], [6, 7]);
    const sup = of([0, 10]);
    expect(iv.intersect(a, sup)).toBe(a);
    expect(iv.intersect(a, a)).toBe(a);
    // the superset as first argument: the result equals `a`, but is not `sup`
    const r = iv.intersect(sup, a);
    expect(raw(r)).toEqual([2, 4, 6, 7]);
    expect(r).not.toBe(sup);
    // one interval against eight: still the balanced path (8 * 2 is not < 16)
    const one = iv.range(8, 9);
    const eight = comb(8); // 0, 4, ..., 28
    expect(iv.intersect(one, eight)).toBe(one);
    expect(iv.intersect(eight, comb(8))).toBe(eight);
    // eight intervals inside one: balanced too (2 * 8 is not < 16), and the result is the first argument
    expect(iv.intersect(eight, iv.range(0, 100))).toBe(eight);
  });

  test('one interval against nine or more: the skewed path, which builds a new array', () => {
    const one = iv.range(8, 9);
    const r = iv.intersect(one, comb(9));
    expect(raw(r)).toEqual([8, 9]);
    expect(r).not.toBe(one);
  });

  test('skewed: a few intervals against many, exact and canonical', () => {
    const many = comb(40); // 0, 4, ..., 156
    const cases: Array<[iv.Intervals, number[]]> = [
      [iv.range(0, 1), [0, 1]],
      [iv.range(1, 4), []],
      [iv.range(3, 6), [4, 5]],
      [iv.range(4, 5), [4, 5]],
      [iv.range(5, 8), []],
      [iv.range(155, 300), [156, 157]],
      [iv.range(157, 300), []],
      [of([0, 9], [20, 21], [150, 1000]), [0, 1, 4, 5, 8, 9, 20, 21, 152, 153, 156, 157]],
    ];
    for (const [small, want] of cases) {
      const got = iv.intersect(small, many);
      expect([raw(small), raw(got), canonical(got)]).toEqual([raw(small), want, true]);
      expect(raw(iv.intersect(many, small))).toEqual(want);
      expect(iv.intersectSize(small, many)).toBe(want.length / 2);
    }
  });

  test('skewed with wide intervals on the big side: ends and starts that touch', () => {
    // big: [0,3) [5,8) [10,13) ... 20 intervals
    const big = of(...Array.from({ length: 20 }, (_, i): [number, number] => [5 * i, 5 * i + 3]));
    expect(raw(iv.intersect(iv.range(3, 5), big))).toEqual([]);
    expect(raw(iv.intersect(iv.range(3, 6), big))).toEqual([5, 6]);
    expect(raw(iv.intersect(iv.range(2, 5), big))).toEqual([2, 3]);
    expect(raw(iv.intersect(iv.range(2, 11), big))).toEqual([2, 3, 5, 8, 10, 11]);
    expect(raw(iv.intersect(of([1, 2], [6, 7]), big))).toEqual([1, 2, 6, 7]);
    expect(raw(iv.intersect(iv.range(98, 200), big))).toEqual([]);
    expect(raw(iv.intersect(iv.range(96, 200), big))).toEqual([96, 98]);
  });
});

describe('subtract', () => {
  test.each<[string, Array<[number, number]>, Array<[number, number]>, number[]]>([
    ['disjoint', [[0, 5]], [[7, 9]], [0, 5]],
    ['touching on the left', [[5, 10]], [[0, 5]], [5, 10]],
    ['touching on the right', [[0, 5]], [[5, 10]], [0, 5]],
    ['same start', [[0, 10]], [[0, 5]], [5, 10]],
    ['same end', [[0, 10]], [[5, 10]], [0, 5]],
    ['everything', [[0, 10]], [[0, 10]], []],
    ['more than everything', [[3, 4]], [[0, 10]], []],
    ['hole in the middle', [[0, 10]], [[4, 6]], [0, 4, 6, 10]],
    ['several holes', [[0, 10]], [[2, 3], [5, 7]], [0, 2, 3, 5, 7, 10]],
    ['several holes, last one at the end', [[0, 10]], [[2, 3], [5, 10]], [0, 2, 3, 5]],
    ['one cut spans two intervals', [[0, 4], [6, 10]], [[3, 7]], [0, 3, 7, 10]],
    ['cut ends exactly at the next start', [[0, 4], [6, 10]], [[3, 6]], [0, 3, 6, 10]],
    ['cuts before, between and after', [[5, 10], [20, 30]], [[0, 1], [12, 15], [25, 40]], [5, 10, 20, 25]],
    ['cut spans the whole of one and part of the next', [[1, 2], [4, 8]], [[0, 5]], [5, 8]],
  ])('%s', (_name, pa, pb, want) => {
    const got = iv.subtract(of(...pa), of(...pb));
    expect(raw(got)).toEqual(want);
    expect(canonical(got)).toBe(true);
  });

  test('no copy when nothing can be removed: empty sides', () => {
    const a = of([1, 3], [5, 6]);
    expect(iv.subtract(a, iv.EMPTY)).toBe(a);
    expect(iv.subtract(iv.EMPTY, a)).toBe(iv.EMPTY);
    expect(iv.subtract(iv.EMPTY, comb(30))).toBe(iv.EMPTY);
    expect(iv.subtract(iv.EMPTY, iv.EMPTY)).toBe(iv.EMPTY);
  });

  test('skewed (small minus many): exact, canonical, and the set itself when nothing overlaps', () => {
    const many = comb(40); // 0, 4, ..., 156
    const cases: Array<[iv.Intervals, number[]]> = [
      [iv.range(1, 4), [1, 4]],
      [iv.range(0, 6), [1, 4, 5, 6]],
      [iv.range(4, 5), []],
      [iv.range(150, 300), [150, 152, 153, 156, 157, 300]],
      [of([1, 4], [9, 12]), [1, 4, 9, 12]],
    ];
    for (const [small, want] of cases) {
      const got = iv.subtract(small, many);
      expect([raw(small), raw(got), canonical(got)]).toEqual([raw(small), want, true]);
    }
    const apart = iv.range(1000, 1010);
    expect(iv.subtract(apart, many)).toBe(apart);
    const between = iv.range(1, 4);
    expect(iv.subtract(between, many)).toBe(between);
    // the threshold: one interval against 8 (not skewed) and against 9 (skewed)
    const nine = comb(9);
    expect(iv.subtract(apart, nine)).toBe(apart);
    // against 8 the balanced path runs and copies
    const copy = iv.subtract(apart, comb(8));
    expect(raw(copy)).toEqual([1000, 1010]);
    expect(copy).not.toBe(apart);
  });

  test('many minus few', () => {
    const many = comb(20); // 0, 4, ..., 76
    expect(raw(iv.subtract(many, of([0, 9], [70, 100])))).toEqual(raw(comb(15, 12)));
    expect(iv.size(iv.subtract(many, iv.range(1, 4)))).toBe(20);
  });
});

describe('xor', () => {
  test('members of exactly one side', () => {
    expect(raw(iv.xor(of([0, 5]), of([3, 8])))).toEqual([0, 3, 5, 8]);
    expect(raw(iv.xor(of([0, 5]), of([5, 8])))).toEqual([0, 8]);
    expect(raw(iv.xor(of([0, 5]), of([0, 5])))).toEqual([]);
    expect(raw(iv.xor(iv.EMPTY, of([2, 4])))).toEqual([2, 4]);
  });
});

// Sets generated to hit every path: dense runs, sparse points (many
// intervals, so the skewed paths), touching neighbours, zero and large ids.
const runSet = fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 1, max: 12 })), { maxLength: 12 })
  .map((rs) => rs.map(([s, n]) => [s, s + n] as [number, number]));
const pointSet = fc.array(fc.nat(200), { maxLength: 60 })
  .map((xs) => xs.map((x) => [x, x + 1] as [number, number]));
const combSet = fc.tuple(fc.nat(10), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 40 }))
  .map(([start, step, n]) => Array.from({ length: n }, (_, i) => [start + step * i, start + step * i + 1] as [number, number]));
const anyPairs = fc.oneof(runSet, pointSet, combSet, fc.constant([] as Array<[number, number]>));
const shifted = fc.tuple(anyPairs, fc.constantFrom(0, 1_000_000_000))
  .map(([ps, off]) => ps.map(([s, e]) => [s + off, e + off] as [number, number]));

const members = (pairs: Array<[number, number]>) => {
  const s = new Set<number>();
  for (const [a, b] of pairs) for (let i = a; i < b; i++) s.add(i);
  return s;
};

describe('against plain sets', () => {
  test('every operation: exact canonical stored form, sizes, membership', () => {
    fc.assert(fc.property(shifted, anyPairs, anyPairs, (pa, pb, pc) => {
      const A = members(pa);
      const B = members(pb);
      const C = members(pc);
      const a = of(...pa);
      const b = of(...pb);
      const c = of(...pc);
      const inter = new Set([...A].filter((x) => B.has(x)));
      const checks: Array<[string, iv.Intervals, number[]]> = [
        ['a', a, naive(A)],
        ['fromList', iv.fromList([...A]), naive(A)],
        ['union', iv.union(a, b), naive(new Set([...A, ...B]))],
        ['unionMany', iv.unionMany([c, a, b]), naive(new Set([...A, ...B, ...C]))],
        ['intersect', iv.intersect(a, b), naive(inter)],
        ['intersect reversed', iv.intersect(b, a), naive(inter)],
        ['subtract', iv.subtract(a, b), naive(new Set([...A].filter((x) => !B.has(x))))],
        ['subtract reversed', iv.subtract(b, a), naive(new Set([...B].filter((x) => !A.has(x))))],
        ['xor', iv.xor(a, b), naive(new Set([...A, ...B].filter((x) => A.has(x) !== B.has(x))))],
      ];
      expect(checks.map(([name, got]) => [name, raw(got), canonical(got)])).toEqual(checks.map(([name, , want]) => [name, want, true]));
      expect(iv.size(a)).toBe(A.size);
      expect(iv.intersectSize(a, b)).toBe(inter.size);
      expect(iv.intersectSize(b, a)).toBe(inter.size);
      expect(iv.toList(a)).toEqual([...A].sort((x, y) => x - y));
      const probe = [...B, ...C];
      expect(probe.map((x) => iv.has(a, x))).toEqual(probe.map((x) => A.has(x)));
      expect(iv.first(a, 3)).toEqual([...A].sort((x, y) => x - y).slice(0, 3));
      // inputs are never modified
      expect(raw(a)).toEqual(naive(A));
      expect(raw(b)).toEqual(naive(B));
    }), { numRuns: 150, seed: 1515 });
  });
});
