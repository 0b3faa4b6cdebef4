/* eslint-disable no-bitwise */
/**
 * Dense bit sets over identity indices, plus a set type that stays sparse
 * while small. Internal to the verifier.
 */

export function words(n: number): number {
  return (n + 31) >>> 5;
}

export function newBits(n: number): Uint32Array {
  return new Uint32Array(words(n));
}

export function setBit(bits: Uint32Array, i: number): void {
  bits[i >>> 5] |= 1 << (i & 31);
}

export function hasBit(bits: Uint32Array, i: number): boolean {
  return (bits[i >>> 5] & (1 << (i & 31))) !== 0;
}

export function setRange(bits: Uint32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) bits[i >>> 5] |= 1 << (i & 31);
}

/** All bits `[0, n)`. */
export function fullBits(n: number): Uint32Array {
  const b = newBits(n);
  b.fill(0xffffffff);
  const rest = n & 31;
  if (rest !== 0) b[b.length - 1] = (1 << rest) - 1;
  return b;
}

export function orInto(target: Uint32Array, source: Uint32Array): void {
  for (let w = 0; w < target.length; w++) target[w] |= source[w];
}

export function andInto(target: Uint32Array, source: Uint32Array): void {
  for (let w = 0; w < target.length; w++) target[w] &= source[w];
}

export function andNotInto(target: Uint32Array, source: Uint32Array): void {
  for (let w = 0; w < target.length; w++) target[w] &= ~source[w];
}

export function popcount(bits: Uint32Array): number {
  let c = 0;
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w];
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    c += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return c;
}

/** Calls `fn` for every set bit, in increasing order. */
export function forEachBit(bits: Uint32Array, fn: (i: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w];
    while (v !== 0) {
      const low = v & -v;
      fn((w << 5) + (31 - Math.clz32(low)));
      v ^= low;
    }
  }
}

/**
 * An immutable set of identity indices. Stored as a sorted index list; a
 * dense bit set is added when the set is large, to make OR-ing it into a
 * row cheap.
 */
export class IdSet {
  /** Builds a set from a sorted list of distinct indices. */
  public static fromSorted(ids: number[], universe: number): IdSet {
    return new IdSet(Int32Array.from(ids), universe);
  }

  public static fromBits(bits: Uint32Array, universe: number): IdSet {
    const ids: number[] = [];
    forEachBit(bits, (i) => ids.push(i));
    return new IdSet(Int32Array.from(ids), universe, bits);
  }

  public static empty(universe: number): IdSet {
    return new IdSet(new Int32Array(0), universe);
  }

  public readonly ids: Int32Array;
  public readonly universe: number;
  private dense?: Uint32Array;

  private constructor(ids: Int32Array, universe: number, dense?: Uint32Array) {
    this.ids = ids;
    this.universe = universe;
    if (dense || ids.length * 16 >= universe) {
      this.dense = dense ?? newBits(universe);
      if (!dense) for (const i of ids) setBit(this.dense, i);
    }
  }

  public get size(): number {
    return this.ids.length;
  }

  public has(i: number): boolean {
    if (this.dense) return hasBit(this.dense, i);
    // binary search
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid];
      if (v === i) return true;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** `target |= this` */
  public orInto(target: Uint32Array): void {
    if (this.dense) {
      orInto(target, this.dense);
    } else {
      for (let k = 0; k < this.ids.length; k++) {
        const i = this.ids[k];
        target[i >>> 5] |= 1 << (i & 31);
      }
    }
  }
}
