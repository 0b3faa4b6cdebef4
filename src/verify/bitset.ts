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
