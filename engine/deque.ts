/**
 * A double-ended queue on a power-of-two ring buffer: O(1) push and pop at both ends, no shifting.
 * Ready messages live in these (requeued ones go back at the front).
 */
export class Deque<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private mask: number;

  constructor(initialCapacity = 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.items = new Array<T | undefined>(capacity);
    this.mask = capacity - 1;
  }

  get length(): number {
    return this.count;
  }

  pushBack(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  pushFront(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = item;
    this.count++;
  }

  /** Inserts `item` so it becomes the i-th from the front, moving the shorter side (0 ≤ i ≤ length). */
  insertAt(i: number, item: T): void {
    if (i <= 0) return this.pushFront(item);
    if (i >= this.count) return this.pushBack(item);
    if (this.count === this.items.length) this.grow();
    const mask = this.mask;
    if (i < this.count - i) {
      this.head = (this.head - 1) & mask;
      for (let k = 0; k < i; k++) this.items[(this.head + k) & mask] = this.items[(this.head + k + 1) & mask];
    } else {
      for (let k = this.count; k > i; k--) this.items[(this.head + k) & mask] = this.items[(this.head + k - 1) & mask];
    }
    this.items[(this.head + i) & mask] = item;
    this.count++;
  }

  popFront(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }

  peekFront(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** The i-th item from the front. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.items[(this.head + i) & this.mask];
  }

  /** Keeps only the items `keep` accepts, in order. */
  retain(keep: (item: T) => boolean): void {
    const kept: T[] = [];
    for (let i = 0; i < this.count; i++) {
      const item = this.items[(this.head + i) & this.mask]!;
      if (keep(item)) kept.push(item);
    }
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
    for (const item of kept) this.pushBack(item);
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const bigger = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) bigger[i] = this.items[(this.head + i) & this.mask];
    this.items = bigger;
    this.head = 0;
    this.mask = bigger.length - 1;
  }
}
