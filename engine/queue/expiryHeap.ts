import type { QueuedMessage } from './queuedMessage.ts';

/** Messages by expiry time (then arrival order): the queue's next TTL deadline is always at the top. */
export class ExpiryHeap {
  private readonly items: QueuedMessage[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): QueuedMessage | undefined {
    return this.items[0];
  }

  push(message: QueuedMessage): void {
    const items = this.items;
    let i = items.length;
    items.push(message);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(message, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = message;
  }

  pop(): QueuedMessage | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && before(items[child + 1]!, items[child]!)) child++;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

function before(a: QueuedMessage, b: QueuedMessage): boolean {
  return a.expiresAtMs < b.expiresAtMs || (a.expiresAtMs === b.expiresAtMs && a.seq < b.seq);
}
