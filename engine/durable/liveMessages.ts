import type { EnqueueRecord } from './records.ts';

/** A message met while replaying the log, with the segment that holds its latest Enqueue record. */
export interface RecoveredMessage extends EnqueueRecord {
  segment?: number;
}

/**
 * The unsettled messages met while replaying a log, by log id. Ids are handed out in increasing
 * order, so replay meets them sorted: they go in an append-only array (found again by binary
 * search), far lighter than a map of a million entries. Only compaction's copies reuse an older
 * id; those few live in a map.
 */
export class LiveMessages {
  private ids = new Float64Array(1024);
  private items: (RecoveredMessage | undefined)[] = [];
  private length = 0;
  private readonly copies = new Map<number, RecoveredMessage>();
  size = 0;

  add(message: RecoveredMessage): void {
    const id = message.logId;
    if (this.length === 0 || id > this.ids[this.length - 1]!) {
      if (this.length === this.ids.length) {
        const bigger = new Float64Array(this.ids.length * 2);
        bigger.set(this.ids);
        this.ids = bigger;
      }
      this.ids[this.length] = id;
      this.items[this.length++] = message;
    } else {
      this.copies.set(id, message);
    }
    this.size++;
  }

  get(id: number): RecoveredMessage | undefined {
    return this.copies.get(id) ?? this.items[this.indexOf(id)];
  }

  delete(id: number): void {
    if (this.copies.delete(id)) {
      this.size--;
      return;
    }
    const index = this.indexOf(id);
    if (index >= 0 && this.items[index] !== undefined) {
      this.items[index] = undefined;
      this.size--;
    }
  }

  *values(): Generator<RecoveredMessage> {
    for (let i = 0; i < this.length; i++) {
      const item = this.items[i];
      if (item !== undefined) yield item;
    }
    yield* this.copies.values();
  }

  private indexOf(id: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
