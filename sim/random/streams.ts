import type { Random } from '../../engine/random.ts';
import { Xoshiro128 } from './xoshiro128.ts';

/**
 * Named random streams split from one master seed.
 *
 * Every component draws from its own stream, found by a path such as `producer/0/arrivals`. A
 * stream's state is a hash of (master seed, path) alone, so it does not matter which other streams
 * exist or how much they were used: adding a producer never changes another producer's samples.
 */
export class RandomStream implements Random {
  private readonly generator: Xoshiro128;

  constructor(
    readonly seed: number,
    readonly path: string,
  ) {
    this.generator = new Xoshiro128(deriveState(seed, path));
  }

  next(): number {
    return this.generator.next();
  }

  nextUint32(): number {
    return this.generator.nextUint32();
  }

  /** The child stream `name` below this one; the same (seed, path) always gives the same stream. */
  stream(name: string): RandomStream {
    return new RandomStream(this.seed, this.path === '' ? name : `${this.path}/${name}`);
  }
}

/** The root of a seed's stream tree. Draw from named children, not from the root itself. */
export function randomStreams(seed: number): RandomStream {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  }
  return new RandomStream(seed, '');
}

/**
 * 128 bits of generator state from (seed, path): two independent 32-bit string hashes keyed by the
 * seed's halves give a 64-bit stream key, which SplitMix32 then expands into four well-mixed words.
 */
export function deriveState(seed: number, path: string): [number, number, number, number] {
  const seedLo = seed >>> 0;
  const seedHi = Math.floor(seed / 4294967296) >>> 0;
  const a = hashString(path, seedLo ^ 0x243f6a88);
  const b = hashString(path, seedHi ^ 0x85a308d3 ^ Math.imul(seedLo, 0x9e3779b1));
  const splitA = splitMix32(a);
  const splitB = splitMix32(b ^ 0x13198a2e);
  const state: [number, number, number, number] = [splitA(), splitA(), splitB(), splitB()];
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

/** A 32-bit hash of a string's UTF-16 code units: multiply-xorshift per unit, MurmurHash3's fmix32 to finish. */
function hashString(text: string, key: number): number {
  let h = key >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h ^= text.length;
  return fmix32(h);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}
