import type { Random } from '../random.ts';

/**
 * Unseeded randomness for real-mode brokers: 53-bit uniforms from the platform CSPRNG (the Web
 * Crypto API, in Node and in browsers alike), drawn in blocks.
 */
export class CryptoRandom implements Random {
  private readonly block = new Uint32Array(512);
  private index = this.block.length;

  next(): number {
    if (this.index + 2 > this.block.length) {
      globalThis.crypto.getRandomValues(this.block);
      this.index = 0;
    }
    const hi = this.block[this.index++]! >>> 5;
    const lo = this.block[this.index++]! >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}
