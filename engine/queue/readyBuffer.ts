import { Deque } from '../deque.ts';
import { READY, type QueuedMessage } from './queuedMessage.ts';

/**
 * Ready messages by priority level, FIFO within a level, highest level first. A message that leaves
 * the ready state while inside (expired, purged) stays as a tombstone and is skipped when it reaches
 * the front, so removal from the middle is O(1); the count tracks live messages only.
 */
export class ReadyBuffer {
  private readonly levels: Deque<QueuedMessage>[];
  private live = 0;
  private tombstones = 0;

  constructor(levelCount: number) {
    this.levels = Array.from({ length: levelCount }, () => new Deque<QueuedMessage>());
  }

  get count(): number {
    return this.live;
  }

  pushBack(message: QueuedMessage): void {
    this.levels[message.level]!.pushBack(message);
    this.live++;
  }

  /**
   * Requeue: back at its original position, by arrival order within its level, as RabbitMQ does
   * (so separate nacks of m1 then m2 give m1, m2, m3, not m2, m1, m3). Each level's deque stays
   * sorted by seq: publishes append ever larger seqs and requeues insert by seq. The usual case
   * (older than everything waiting) is a push at the front.
   */
  requeue(message: QueuedMessage): void {
    const deque = this.levels[message.level]!;
    deque.insertAt(insertionIndex(deque, message.seq), message);
    this.live++;
  }

  /** Removes and returns the next message to deliver: the oldest of the highest non-empty level. */
  shift(): QueuedMessage | undefined {
    if (this.live === 0) return undefined;
    for (let level = this.levels.length - 1; level >= 0; level--) {
      const deque = this.levels[level]!;
      while (deque.length > 0) {
        const message = deque.popFront()!;
        if (message.state === READY) {
          this.live--;
          return message;
        }
        this.tombstones--;
      }
    }
    return undefined;
  }

  /** Call after changing a ready message's state in place: it becomes a tombstone. */
  noteRemoved(): void {
    this.live--;
    this.tombstones++;
    if (this.tombstones > 1024 && this.tombstones > this.live) {
      for (const deque of this.levels) deque.retain((m) => m.state === READY);
      this.tombstones = 0;
    }
  }

  /** Every live message, highest level first, in delivery order. */
  *messages(): Generator<QueuedMessage> {
    for (let level = this.levels.length - 1; level >= 0; level--) {
      const deque = this.levels[level]!;
      for (let i = 0; i < deque.length; i++) {
        const message = deque.at(i)!;
        if (message.state === READY) yield message;
      }
    }
  }

  clear(): void {
    for (const deque of this.levels) deque.clear();
    this.live = 0;
    this.tombstones = 0;
  }
}

/** The index of the first message in `deque` (sorted by seq) whose seq is above `seq`. */
function insertionIndex(deque: Deque<QueuedMessage>, seq: number): number {
  let low = 0;
  let high = deque.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (deque.at(mid)!.seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
