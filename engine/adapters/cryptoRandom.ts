import { randomFillSync } from 'node:crypto';
import type { Random } from '../random.ts';

/** Unseeded randomness for real-mode brokers; draws 53-bit uniforms from the OS CSPRNG in blocks. */
export class CryptoRandom implements Random {
  private readonly block = new Uint32Array(512);
  private index = this.block.length;

  next(): number {
    if (this.index + 2 > this.block.length) {
      randomFillSync(this.block);
      this.index = 0;
    }
    const hi = this.block[this.index++]! >>> 5;
    const lo = this.block[this.index++]! >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}
