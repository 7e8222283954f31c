import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';
import { DedupWindow } from './dedupWindow.ts';
import { ExpiryHeap } from './expiryHeap.ts';
import { Queue } from './queue.ts';
import { GONE, QueuedMessage, READY, UNACKED } from './queuedMessage.ts';
import { ReadyBuffer } from './readyBuffer.ts';

// Unit tests of the queue's parts, written to the documented contract in each file's comment (and
// to kill the mutants StrykerJS found surviving the broker-level tests).

const message = (seq: number, level = 0, expiresAtMs = Infinity) =>
  new QueuedMessage(seq, new Uint8Array(0), {}, '', 'k', level, expiresAtMs, []);
const draws = (...values: number[]) => ({ next: () => values.shift() ?? 0 });

describe('retryDelayMs', () => {
  it('fixed backoff is delayMs on every attempt, whatever the cap', () => {
    const policy = { backoff: 'fixed' as const, delayMs: 40, maxDelayMs: 10 };
    expect([1, 2, 5].map((a) => retryDelayMs(policy, a, draws()))).toEqual([40, 40, 40]);
  });

  it('exponential backoff doubles from delayMs and stops at maxDelayMs', () => {
    const policy = { backoff: 'exponential' as const, delayMs: 10, maxDelayMs: 70 };
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(policy, a, draws()))).toEqual([10, 20, 40, 70, 70]);
    expect(retryDelayMs({ backoff: 'exponential', delayMs: 10 }, 11, draws())).toBe(10 * 1024);
  });

  it('jitter takes off jitter × U of the delay, drawing once; no jitter draws nothing', () => {
    let calls = 0;
    const counting = { next: () => (calls++, 0.5) };
    expect(retryDelayMs({ backoff: 'fixed', delayMs: 100 }, 1, counting)).toBe(100);
    expect(retryDelayMs({ backoff: 'fixed', delayMs: 100, jitter: 0 }, 1, counting)).toBe(100);
    expect(calls).toBe(0);
    expect(retryDelayMs({ backoff: 'fixed', delayMs: 100, jitter: 0.4 }, 1, counting)).toBeCloseTo(80, 12);
    expect(calls).toBe(1);
    expect(retryDelayMs({ backoff: 'exponential', delayMs: 100, jitter: 1 }, 2, draws(0.75))).toBeCloseTo(50, 12);
    expect(retryDelayMs({ backoff: 'fixed', delayMs: 100, jitter: 1 }, 1, draws(0))).toBe(100);
  });
});

describe('DedupWindow', () => {
  it('a repeat inside the window is a duplicate; at windowMs after the first it is new again', () => {
    const w = new DedupWindow(100);
    expect(w.seen('a', 0)).toBe(false);
    expect(w.seen('a', 99)).toBe(true);
    expect(w.seen('b', 50)).toBe(false);
    expect(w.size).toBe(2);
    expect(w.seen('a', 100)).toBe(false); // the window runs [0, 100): duplicates did not extend it
    expect(w.size).toBe(2); // a (again) and b
    expect(w.seen('b', 149)).toBe(true);
    expect(w.seen('c', 150)).toBe(false);
    expect(w.size).toBe(2); // b left at 150
    expect(w.seen('a', 199)).toBe(true);
  });

  it('agrees with a plain list of (id, acceptedAt) for any sequence of publishes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 200, size: 'max' }), fc.integer({ min: 1, max: 60 }), (steps, windowMs) => {
        const w = new DedupWindow(windowMs);
        const accepted: { id: string; atMs: number }[] = [];
        let nowMs = 0;
        for (const [id, dtMs] of steps) {
          nowMs += dtMs;
          const live = accepted.filter((e) => e.atMs + windowMs > nowMs);
          const duplicate = live.some((e) => e.id === id);
          // Plain comparisons, not expect(): this inner loop runs ~20 000 times.
          if (w.seen(id, nowMs) !== duplicate) return false;
          if (!duplicate) accepted.push({ id, atMs: nowMs });
          if (w.size !== live.length + (duplicate ? 0 : 1)) return false;
        }
        return true;
      }),
      { seed: 21, numRuns: 200 },
    );
  });
});

describe('ExpiryHeap', () => {
  it('pops in (expiry, arrival) order for any pushes and pops, like a sorted list', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { minLength: 1, maxLength: 300, size: 'max' }), (ops) => {
        const heap = new ExpiryHeap();
        const model: QueuedMessage[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op >= 0) {
            const m = message(seq++, 0, op === 20 ? Infinity : op);
            heap.push(m);
            model.push(m);
            model.sort((x, y) => x.expiresAtMs - y.expiresAtMs || x.seq - y.seq);
          } else if (heap.pop() !== model.shift()) {
            return false;
          }
          if (heap.size !== model.length || heap.peek() !== model[0]) return false;
        }
        heap.clear();
        return heap.size === 0 && heap.pop() === undefined;
      }),
      { seed: 22, numRuns: 200 },
    );
  });
});

describe('ReadyBuffer', () => {
  it('delivers the highest level first, FIFO within a level, requeues at their arrival position in their level', () => {
    const b = new ReadyBuffer(3);
    const [a0, b0, a2, a1] = [message(0, 0), message(1, 0), message(2, 2), message(3, 1)];
    [a0, b0, a2, a1].forEach((m) => b.pushBack(m));
    expect(b.count).toBe(4);
    expect([...b.messages()]).toEqual([a2, a1, a0, b0]);
    expect(b.shift()).toBe(a2);
    expect(b.shift()).toBe(a1);
    expect(b.shift()).toBe(a0);
    const late = message(4, 0);
    b.requeue(late); // arrived after b0: goes behind it
    b.requeue(a0); // arrived before b0: back in front of it, as RabbitMQ requeues
    expect([b.shift(), b.shift(), b.shift()]).toEqual([a0, b0, late]);
    expect(b.count).toBe(0);
    expect(b.shift()).toBeUndefined();
  });

  it('skips messages removed in place and counts only live ones', () => {
    const b = new ReadyBuffer(2);
    const ms = [message(0, 1), message(1, 1), message(2, 0), message(3, 0)];
    ms.forEach((m) => b.pushBack(m));
    ms[0]!.state = GONE;
    b.noteRemoved();
    ms[2]!.state = UNACKED;
    b.noteRemoved();
    expect(b.count).toBe(2);
    expect([...b.messages()]).toEqual([ms[1], ms[3]]);
    expect(b.shift()).toBe(ms[1]);
    expect(b.shift()).toBe(ms[3]);
    expect(b.shift()).toBeUndefined();
    b.pushBack(message(9, 1));
    b.clear();
    expect(b.count).toBe(0);
    expect([...b.messages()]).toEqual([]);
  });

  it('keeps order and count through the mass tombstone sweep (over 1024 removed, more than live)', () => {
    const b = new ReadyBuffer(1);
    const ms = Array.from({ length: 3000 }, (_, i) => message(i));
    ms.forEach((m) => b.pushBack(m));
    for (let i = 0; i < 3000; i++) {
      if (i % 3 === 2) continue;
      ms[i]!.state = GONE;
      b.noteRemoved();
    }
    const live = ms.filter((m) => m.state === READY);
    expect(b.count).toBe(1000);
    expect([...b.messages()]).toEqual(live);
    const out: QueuedMessage[] = [];
    for (let m = b.shift(); m !== undefined; m = b.shift()) out.push(m);
    expect(out).toEqual(live);
  });
});

describe('Queue', () => {
  it('puts a message on its priority level, clamped to maxPriority, 0 without one or on a plain queue', () => {
    const q = new Queue('q', { maxPriority: 5 });
    expect([q.levelOf(undefined), q.levelOf(0), q.levelOf(3), q.levelOf(5), q.levelOf(9)]).toEqual([0, 0, 3, 5, 5]);
    expect(new Queue('p', {}).levelOf(7)).toBe(0);
    q.ready.pushBack(message(0, 5));
    expect(q.ready.shift()!.level).toBe(5); // maxPriority + 1 levels exist
  });

  it('expires at the lower of the queue TTL and the message TTL, never without one', () => {
    expect(new Queue('q', { messageTtlMs: 100 }).expiryFor(1000, undefined)).toBe(1100);
    expect(new Queue('q', { messageTtlMs: 100 }).expiryFor(1000, 30)).toBe(1030);
    expect(new Queue('q', { messageTtlMs: 100 }).expiryFor(1000, 300)).toBe(1100);
    expect(new Queue('q', {}).expiryFor(1000, 30)).toBe(1030);
    expect(new Queue('q', {}).expiryFor(1000, undefined)).toBe(Infinity);
  });

  it('is full at maxLength ready messages, never without a limit; knows durable and dedup', () => {
    const q = new Queue('q', { maxLength: 2, durable: true, dedupWindowMs: 10 });
    expect(q.isFull).toBe(false);
    q.ready.pushBack(message(0));
    expect(q.isFull).toBe(false);
    q.ready.pushBack(message(1));
    expect(q.isFull).toBe(true);
    expect(q.durable).toBe(true);
    expect(q.dedup).toBeInstanceOf(DedupWindow);
    const plain = new Queue('p', {});
    for (let i = 0; i < 50; i++) plain.ready.pushBack(message(i));
    expect(plain.isFull).toBe(false);
    expect(plain.durable).toBe(false);
    expect(plain.dedup).toBeUndefined();
    expect(new Queue('z', { maxLength: 0 }).isFull).toBe(true);
  });
});
