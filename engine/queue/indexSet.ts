/**
 * A set of small non-negative integers (a queue's consumer positions that have room under their
 * prefetch) as a bitset, so "the first member at or after position p, wrapping round" costs one
 * 32-bit word per 32 positions instead of one check per consumer: with every consumer busy it is
 * answered from the size alone.
 */
export class IndexSet {
  private words = new Uint32Array(1);
  private members = 0;

  get size(): number {
    return this.members;
  }

  has(index: number): boolean {
    const word = index >>> 5;
    return word < this.words.length && (this.words[word]! & (1 << (index & 31))) !== 0;
  }

  /** Adds or removes `index`. */
  set(index: number, member: boolean): void {
    const word = index >>> 5;
    if (word >= this.words.length) {
      if (!member) return;
      const grown = new Uint32Array(Math.max(word + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    const bit = 1 << (index & 31);
    const had = (this.words[word]! & bit) !== 0;
    if (had === member) return;
    this.words[word]! ^= bit;
    this.members += member ? 1 : -1;
  }

  /** The first member ≥ `from` and < `limit`, else the first member below `from`; −1 when empty. */
  nextFrom(from: number, limit: number): number {
    if (this.members === 0) return -1;
    const found = this.firstIn(from, limit);
    return found >= 0 ? found : this.firstIn(0, from);
  }

  clear(): void {
    this.words.fill(0);
    this.members = 0;
  }

  private firstIn(from: number, limit: number): number {
    const words = this.words;
    const lastWord = Math.min(words.length, (limit + 31) >>> 5);
    for (let w = from >>> 5; w < lastWord; w++) {
      let bits = words[w]!;
      if (w === from >>> 5) bits &= ~0 << (from & 31);
      if (bits === 0) continue;
      const index = (w << 5) + (31 - Math.clz32(bits & -bits));
      return index < limit ? index : -1;
    }
    return -1;
  }
}
