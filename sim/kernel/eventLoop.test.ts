import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventLoop } from './eventLoop.ts';

type Op = { kind: 'schedule'; delayMs: number } | { kind: 'cancel'; pick: number } | { kind: 'step' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('schedule' as const), delayMs: fc.integer({ min: 0, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('step' as const) }) },
);

describe('EventLoop', () => {
  it('runs events in (time, insertion sequence) order and never runs a cancelled one', () => {
    // size 'max' so the declared 400 operations really occur: without it fast-check keeps arrays
    // near 10 long and the 16-entry heap never grows. The counters below prove the large cases run.
    let runs = 0;
    let runsThatGrewTheHeap = 0;
    let longest = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 400, size: 'max' }), (ops) => {
        runs++;
        longest = Math.max(longest, ops.length);
        let largestHeap = 0;
        const loop = new EventLoop(0, 16); // tiny capacity so growth and compaction are exercised
        const model: { id: number; atMs: number; seq: number; state: 'pending' | 'cancelled' | 'ran' }[] = [];
        const ran: number[] = [];
        let seq = 0;
        const runOne = () => {
          const expected = model
            .filter((e) => e.state === 'pending')
            .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
          const before = ran.length;
          const stepped = loop.step();
          expect(stepped).toBe(expected !== undefined);
          if (expected === undefined) return;
          expect(ran.length).toBe(before + 1);
          expect(ran[ran.length - 1]).toBe(expected.seq);
          expect(loop.now()).toBe(expected.atMs);
          expected.state = 'ran';
        };
        for (const op of ops) {
          if (op.kind === 'schedule') {
            const mySeq = seq++;
            const atMs = loop.now() + op.delayMs;
            const id = loop.setTimer(atMs, () => ran.push(mySeq));
            model.push({ id, atMs, seq: mySeq, state: 'pending' });
          } else if (op.kind === 'cancel' && model.length > 0) {
            const target = model[op.pick % model.length]!;
            loop.cancelTimer(target.id); // cancelling a fired or cancelled timer must do nothing
            if (target.state === 'pending') target.state = 'cancelled';
          } else if (op.kind === 'step') {
            runOne();
          }
          expect(loop.pending).toBe(model.filter((e) => e.state === 'pending').length);
          largestHeap = Math.max(largestHeap, loop.heapEntries);
        }
        if (largestHeap > 16) runsThatGrewTheHeap++;
        while (model.some((e) => e.state === 'pending')) runOne();
        expect(loop.step()).toBe(false);
        expect(ran.length).toBe(model.filter((e) => e.state === 'ran').length);
      }),
      { seed: 20261121, numRuns: 200 },
    );
    expect(runs).toBe(200);
    expect(longest).toBeGreaterThanOrEqual(350);
    // A random walk of 400 ops with 5:3 schedule:step odds holds > 16 timers in most runs
    // (137 of these 200 with this seed).
    expect(runsThatGrewTheHeap).toBeGreaterThanOrEqual(100);
  });

  it('runs simultaneous events in the order they were scheduled', () => {
    const loop = new EventLoop();
    const order: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) loop.setTimer(5, () => order.push(name));
    loop.setTimer(5, () => loop.setTimer(5, () => order.push('nested')));
    loop.run();
    expect(order).toEqual(['a', 'b', 'c', 'd', 'nested']);
  });

  it('fires a timer set in the past at the current time, after what is already due', () => {
    const loop = new EventLoop(100);
    const order: string[] = [];
    loop.setTimer(100, () => order.push('due'));
    loop.setTimer(40, () => order.push(`late at ${loop.now()}`));
    loop.run();
    expect(order).toEqual(['due', 'late at 100']);
  });

  it('rejects NaN and infinite times', () => {
    const loop = new EventLoop();
    expect(() => loop.setTimer(NaN, () => {})).toThrow(RangeError);
    expect(() => loop.setTimer(Infinity, () => {})).toThrow(RangeError);
  });

  it('does not let a stale timer id cancel the event that reused its slot', () => {
    const loop = new EventLoop(0, 16);
    const first = loop.setTimer(1, () => {});
    loop.cancelTimer(first);
    let ran = false;
    loop.setTimer(2, () => (ran = true)); // reuses the freed slot
    loop.cancelTimer(first);
    loop.run();
    expect(ran).toBe(true);
  });

  it('stops at untilMs with the clock advanced to it, leaving later events pending', () => {
    const loop = new EventLoop();
    const seen: number[] = [];
    for (const t of [1, 5, 10, 10.5]) loop.setTimer(t, () => seen.push(t));
    expect(loop.run({ untilMs: 10 })).toBe('until');
    expect(seen).toEqual([1, 5, 10]);
    expect(loop.now()).toBe(10);
    expect(loop.pending).toBe(1);
    expect(loop.peekTime()).toBe(10.5);
  });

  it('stops after maxEvents or when stopWhen says so', () => {
    const loop = new EventLoop();
    let count = 0;
    const tick = () => {
      count++;
      loop.after(1, tick);
    };
    loop.after(1, tick);
    expect(loop.run({ maxEvents: 7 })).toBe('maxEvents');
    expect(count).toBe(7);
    expect(loop.run({ stopWhen: () => count >= 20 })).toBe('stopWhen');
    expect(count).toBe(20);
    expect(loop.eventsExecuted).toBe(20);
  });

  it('keeps the heap bounded when almost every timer is cancelled', () => {
    const loop = new EventLoop(0, 16);
    let live = loop.setTimer(1e9, () => {});
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      loop.cancelTimer(live);
      live = loop.setTimer(1e9 + i, () => {});
      largest = Math.max(largest, loop.heapEntries);
    }
    expect(loop.pending).toBe(1);
    expect(largest).toBeLessThanOrEqual(2 * 1 + 66);
    expect(loop.run({ maxEvents: 1 })).toBe('maxEvents');
    expect(loop.now()).toBe(1e9 + 99_999);
  });

  it('refuses to run to a time in the past', () => {
    const loop = new EventLoop(50);
    expect(() => loop.run({ untilMs: 10 })).toThrow(/clock is at 50/);
  });
});
