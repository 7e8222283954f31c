import { describe, expect, it } from 'vitest';
import { EventLoop } from '../kernel/eventLoop.ts';
import { SimulationInvariantError } from './invariantError.ts';
import { Lifetime } from './lifetime.ts';

describe('Lifetime: timers owned by one incarnation', () => {
  it('end() cancels every pending timer and runs its onCancel, so nothing of the dead incarnation fires', () => {
    const loop = new EventLoop();
    const life = new Lifetime(loop, 'consumer 0', 5);
    const fired: string[] = [];
    let undone = 0;
    life.after(10, () => fired.push('service'));
    life.after(20, () => fired.push('wire'), () => undone++);
    loop.run({ untilMs: 5 });
    life.end();
    loop.run();
    expect(fired).toEqual([]);
    expect(undone).toBe(1);
    expect(life.pendingTimers).toBe(0);
  });

  it('a timer that fires after its owner was abandoned is a stale timer: it throws with seed and virtual time', () => {
    const loop = new EventLoop();
    const life = new Lifetime(loop, 'broker process 2', 42);
    life.setTimer(30, () => {});
    life.abandon();
    expect(() => loop.run()).toThrow(SimulationInvariantError);
    const loop2 = new EventLoop();
    const life2 = new Lifetime(loop2, 'broker process 2', 42);
    life2.setTimer(30, () => {});
    life2.abandon();
    expect(() => loop2.run()).toThrow(/virtual time 30\.000 ms \(seed 42\): stale timer: a timer set by broker process 2 fired after it ended/);
  });

  it('timers of a live incarnation fire in order, and a cancelled one does not', () => {
    const loop = new EventLoop();
    const life = new Lifetime(loop, 'x', 1);
    const fired: number[] = [];
    life.after(2, () => fired.push(2));
    const id = life.after(1, () => fired.push(1));
    life.after(3, () => fired.push(3));
    life.cancelTimer(id);
    loop.run();
    expect(fired).toEqual([2, 3]);
    expect(life.pendingTimers).toBe(0);
  });

  it('end() undoes its timers in the order they were set and leaves other lifetimes and plain timers alone', () => {
    const loop = new EventLoop();
    const a = new Lifetime(loop, 'a', 1);
    const b = new Lifetime(loop, 'b', 1);
    const undone: string[] = [];
    const fired: string[] = [];
    a.after(30, () => fired.push('a30'), () => undone.push('a30'));
    b.after(5, () => fired.push('b5'), () => undone.push('b5'));
    a.after(10, () => fired.push('a10'), () => undone.push('a10'));
    loop.after(20, () => fired.push('plain20'));
    const cancelled = a.after(40, () => fired.push('a40'), () => undone.push('a40'));
    a.cancelTimer(cancelled);
    b.cancelTimer(a.after(50, () => fired.push('a50'), () => undone.push('a50'))); // not b's: still a's at end()
    a.end();
    loop.run();
    expect(undone).toEqual(['a30', 'a10', 'a50']);
    expect(fired).toEqual(['b5', 'plain20']);
    expect(a.pendingTimers).toBe(0);
  });
});
