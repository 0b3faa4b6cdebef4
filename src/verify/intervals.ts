/* eslint-disable no-bitwise */
/**
 * Sets of small non-negative integers as sorted, disjoint, non-adjacent
 * half-open intervals `[s0, e0), [s1, e1), ...` stored flat in an
 * `Int32Array` (`[s0, e0, s1, e1, ...]`). Internal to the verifier.
 *
 * The verifier lays endpoints out so that what policies select is made of
 * few intervals (a tenant's subtree is contiguous in depth-first pre-order),
 * so a row of the reachability matrix costs the number of its intervals,
 * not the number of endpoints.
 */
export type Intervals = Int32Array;

export const EMPTY: Intervals = new Int32Array(0);

/*
 * Results are built in shared scratch buffers and copied out once at their
 * exact length: one allocation per result (the verifier makes millions of
 * small ones, and every typed array costs the garbage collector).
 */
let scratchA = new Int32Array(1024);
let scratchB = new Int32Array(1024);

/** Scratch buffer A, at least `n` long (its content is not kept). */
function bufA(n: number): Int32Array {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a buffer grown more often holds the same result
  if (scratchA.length < n) scratchA = new Int32Array(Math.max(n, 2 * scratchA.length));
  return scratchA;
}

/** Scratch buffer B, at least `n` long (its content is not kept). */
function bufB(n: number): Int32Array {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a buffer grown more often holds the same result
  if (scratchB.length < n) scratchB = new Int32Array(Math.max(n, 2 * scratchB.length));
  return scratchB;
}

/** `[from, to)`, or empty. */
export function range(from: number, to: number): Intervals {
  return to > from ? Int32Array.of(from, to) : EMPTY;
}

/** From a sorted list of integers (duplicates allowed). */
export function fromSorted(ids: ArrayLike<number>): Intervals {
  if (ids.length === 0) return EMPTY;
  const out = bufA(2 * ids.length);
  let m = 0;
  let s = ids[0];
  let e = s + 1;
  for (let k = 1; k < ids.length; k++) {
    const v = ids[k];
    if (v < e) continue;
    if (v === e) {
      e++;
    } else {
      out[m++] = s;
      out[m++] = e;
      s = v;
      e = v + 1;
    }
  }
  out[m++] = s;
  out[m++] = e;
  return out.slice(0, m);
}

/** From any list of integers (unsorted, duplicates allowed). */
export function fromList(ids: number[]): Intervals {
  // Stryker disable next-line ConditionalExpression: fromSorted of an empty list returns EMPTY itself too
  if (ids.length === 0) return EMPTY;
  return fromSorted(Int32Array.from(ids).sort());
}

/** Number of members. */
export function size(a: Intervals): number {
  let n = 0;
  for (let k = 0; k < a.length; k += 2) n += a[k + 1] - a[k];
  return n;
}

export function has(a: Intervals, i: number): boolean {
  // binary search over interval starts
  let lo = 0;
  let hi = (a.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[2 * mid] > i) hi = mid - 1;
    else if (a[2 * mid + 1] <= i) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Calls `fn` for every member, in increasing order. */
export function forEach(a: Intervals, fn: (i: number) => void): void {
  // Stryker disable next-line EqualityOperator: k === length reads undefined bounds, the inner loop does not run
  for (let k = 0; k < a.length; k += 2) for (let i = a[k]; i < a[k + 1]; i++) fn(i);
}

/** The `n` smallest members, in increasing order. */
export function first(a: Intervals, n: number): number[] {
  const out: number[] = [];
  // Stryker disable next-line EqualityOperator,ConditionalExpression: the inner loop re-checks out.length < n; k === length reads undefined bounds
  for (let k = 0; k < a.length && out.length < n; k += 2) {
    for (let i = a[k]; i < a[k + 1] && out.length < n; i++) out.push(i);
  }
  return out;
}

/** Members as a list. */
export function toList(a: Intervals): number[] {
  const out: number[] = [];
  forEach(a, (i) => out.push(i));
  return out;
}

export function equals(a: Intervals, b: Intervals): boolean {
  if (a.length !== b.length) return false;
  // Stryker disable next-line EqualityOperator: at k === length (equal lengths) both read undefined, which compare equal
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Union of two sets. */
export function union(a: Intervals, b: Intervals): Intervals {
  // Stryker disable next-line ConditionalExpression: unionMany also returns the only non-empty set itself
  if (a.length === 0) return b;
  // Stryker disable next-line ConditionalExpression: unionMany also returns the only non-empty set itself
  if (b.length === 0) return a;
  return unionMany([a, b]);
}

/** Union of two non-empty sets (`a` is its first `aLength` entries) into `out`, one pass over both; returns the length written. */
function unionInto(a: Intervals, aLength: number, b: Intervals, out: Int32Array): number {
  let o = 0;
  let i = 0;
  let j = 0;
  // the interval being built: [cs, ce)
  let cs: number;
  let ce: number;
  if (a[0] <= b[0]) {
    cs = a[0];
    ce = a[1];
    i = 2;
  } else {
    cs = b[0];
    ce = b[1];
    j = 2;
  }
  for (;;) {
    let s: number;
    let e: number;
    if (i < aLength && (j >= b.length || a[i] <= b[j])) {
      s = a[i];
      e = a[i + 1];
      i += 2;
    } else if (j < b.length) {
      s = b[j];
      e = b[j + 1];
      j += 2;
    } else {
      break;
    }
    if (s <= ce) {
      if (e > ce) ce = e;
    } else {
      out[o++] = cs;
      out[o++] = ce;
      cs = s;
      ce = e;
    }
  }
  out[o++] = cs;
  out[o++] = ce;
  return o;
}

/** Union of many sets. */
export function unionMany(sets: Intervals[]): Intervals {
  let nonEmpty = 0;
  let last: Intervals = EMPTY;
  let total = 0;
  for (const s of sets) {
    if (s.length > 0) {
      nonEmpty++;
      last = s;
      total += s.length;
    }
  }
  if (nonEmpty === 0) return EMPTY;
  if (nonEmpty === 1) return last;
  if (nonEmpty <= 8) {
    // Few sets: merged one after the other, through the two scratch buffers.
    let acc: Intervals = EMPTY;
    let accLength = 0;
    for (const s of sets) {
      if (s.length === 0) continue;
      if (accLength === 0) {
        acc = s;
        accLength = s.length;
        continue;
      }
      const into = acc === scratchA ? bufB(accLength + s.length) : bufA(accLength + s.length);
      accLength = unionInto(acc, accLength, s, into);
      acc = into;
    }
    return acc.slice(0, accLength);
  }
  // Many sets: gather the intervals, sort by start, merge.
  const starts = new Int32Array(total >> 1);
  const ends = new Int32Array(total >> 1);
  let m = 0;
  for (const s of sets) {
    for (let k = 0; k < s.length; k += 2) {
      starts[m] = s[k];
      ends[m] = s[k + 1];
      m++;
    }
  }
  const order = new Int32Array(m);
  // Stryker disable next-line EqualityOperator: a write at index m of an m-long typed array is ignored
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((x, y) => starts[x] - starts[y]);
  const out = bufA(2 * m);
  let o = 0;
  let cs = starts[order[0]];
  let ce = ends[order[0]];
  for (let k = 1; k < m; k++) {
    const i = order[k];
    if (starts[i] <= ce) {
      // Stryker disable next-line EqualityOperator: on equal ends the assignment changes nothing
      if (ends[i] > ce) ce = ends[i];
    } else {
      out[o++] = cs;
      out[o++] = ce;
      cs = starts[i];
      ce = ends[i];
    }
  }
  out[o++] = cs;
  out[o++] = ce;
  return out.slice(0, o);
}

/** Index (even) of the first interval of `b` that ends after `x`. */
function firstEndingAfter(b: Intervals, x: number): number {
  let lo = 0;
  let hi = b.length >> 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a smaller start index is harmless, the caller skips intervals ending at or before x
  while (lo < hi) {
    // Stryker disable next-line ArithmeticOperator: a negative mid reads undefined and only lowers the index, harmless (see above)
    const mid = (lo + hi) >> 1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: returning an earlier interval (or index 0) is harmless, the caller's s < e skips it
    if (b[2 * mid + 1] <= x) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** Intersection of a small set with a large one: binary search per interval of the small one. */
function intersectSkewed(small: Intervals, big: Intervals): Intervals {
  const out = bufA(small.length + big.length);
  let o = 0;
  // Stryker disable next-line EqualityOperator: i <= length reads undefined bounds, which select nothing
  for (let i = 0; i < small.length; i += 2) {
    const s0 = small[i];
    const e0 = small[i + 1];
    // Stryker disable next-line LogicalOperator,ConditionalExpression,EqualityOperator: intervals past the end or starting at/after e0 give s >= e and are skipped
    for (let j = firstEndingAfter(big, s0); j < big.length && big[j] < e0; j += 2) {
      const s = Math.max(s0, big[j]);
      const e = Math.min(e0, big[j + 1]);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: always true here (big[j] < e0 and big[j + 1] > s0), kept as a guard
      if (s < e) {
        out[o++] = s;
        out[o++] = e;
      }
    }
  }
  return out.slice(0, o);
}

/** Whether `buf` starts with the members of `a`. */
function equalPrefix(buf: Int32Array, a: Intervals): boolean {
  for (let k = 0; k < a.length; k++) if (buf[k] !== a[k]) return false;
  return true;
}

/** Intersection. */
export function intersect(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0 || b.length === 0) return EMPTY;
  if (a.length * 8 < b.length) return intersectSkewed(a, b);
  // Stryker disable next-line ConditionalExpression: the balanced path gives the same value and never returns `a` here (b is too small to cover it)
  if (b.length * 8 < a.length) return intersectSkewed(b, a);
  const out = bufA(a.length + b.length);
  let o = 0;
  let i = 0;
  let j = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: one more step past either end reads undefined (NaN bounds) and adds nothing
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (s < e) {
      out[o++] = s;
      out[o++] = e;
    }
    // Stryker disable next-line EqualityOperator: on equal ends, advancing b first only adds a step that finds nothing (next b starts after the end)
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  // Stryker disable next-line ConditionalExpression: `equals` compares the lengths itself
  return o === a.length && equalPrefix(out, a) ? a : out.slice(0, o);
}

/**
 * `a` without the members of `b`. No recursion: small minus big first cuts
 * `b` down to the part that overlaps `a` (binary search per interval of `a`),
 * then both take the same linear merge.
 */
export function subtract(a: Intervals, b: Intervals): Intervals {
  // small minus big: only the part of b that overlaps a matters
  const cut = a.length * 8 < b.length ? intersectSkewed(a, b) : b;
  return cut.length === 0 ? a : subtractMerge(a, cut);
}

/** `a` without the members of `b`, one pass over both. */
function subtractMerge(a: Intervals, b: Intervals): Intervals {
  const out = bufA(a.length + b.length);
  let o = 0;
  let j = 0;
  // Stryker disable next-line EqualityOperator: an extra step with undefined bounds outputs nothing
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i];
    const e = a[i + 1];
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: skipping fewer b intervals is harmless, the inner loop passes over those ending at or before s
    while (j < b.length && b[j + 1] <= s) j += 2;
    let k = j;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end b[k] is undefined (stops); b[k] === e cuts [s, e) then drops it via s >= e
    while (k < b.length && b[k] < e) {
      if (b[k] > s) {
        out[o++] = s;
        out[o++] = b[k];
      }
      s = Math.max(s, b[k + 1]);
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: without the break the loop stops anyway, the next b starts after e
      if (b[k + 1] >= e) break;
      k += 2;
    }
    if (s < e) {
      out[o++] = s;
      out[o++] = e;
    }
  }
  return out.slice(0, o);
}

/** Members of exactly one of the two. */
export function xor(a: Intervals, b: Intervals): Intervals {
  return union(subtract(a, b), subtract(b, a));
}

/** Size of the intersection, without building it. */
export function intersectSize(a: Intervals, b: Intervals): number {
  let n = 0;
  let i = 0;
  let j = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: one more step past either end reads undefined (NaN bounds) and adds nothing
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    // Stryker disable next-line EqualityOperator: s === e adds 0
    if (s < e) n += e - s;
    // Stryker disable next-line EqualityOperator: on equal ends, advancing b first only adds a step that finds nothing
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return n;
}
