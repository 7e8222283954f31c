import { describe, expect, it } from 'vitest';
import { WallClockLoop } from './wallClockLoop.ts';

describe('the wall-clock event loop', () => {
  it('never runs an event before the wall clock reaches its time, and counts how late it ran', async () => {
    const loop = new WallClockLoop();
    loop.restartClockAtZero();
    const ranAt: number[] = [];
    const arrive = () => ranAt.push(loop.now());
    loop.setTimer(15, arrive);
    loop.after(5, () => ranAt.push(loop.now()));
    await loop.drive({ untilMs: 40 });
    expect(ranAt).toHaveLength(2);
    expect(ranAt[0]).toBeGreaterThanOrEqual(5);
    expect(ranAt[1]).toBeGreaterThanOrEqual(15);
    // The producer's callback is counted as an arrival, the other as a timer.
    expect(loop.lateness.arrivals.samplesMs).toHaveLength(1);
    expect(loop.lateness.otherTimers.samplesMs).toHaveLength(1);
    // Measured just before the callback ran: never more than what the callback itself saw.
    expect(loop.lateness.arrivals.samplesMs[0]).toBeGreaterThanOrEqual(0);
    expect(loop.lateness.arrivals.samplesMs[0]).toBeLessThanOrEqual(ranAt[1]! - 15);
  });

  it('runs an event set from outside any event (a file-system completion) while it sleeps', async () => {
    const loop = new WallClockLoop();
    loop.restartClockAtZero();
    let ran = false;
    setTimeout(() => loop.after(1, () => (ran = true)), 5);
    const stop = await loop.drive({ untilMs: 10_000, stopWhen: () => ran, pollMs: 10_000 });
    expect(stop).toBe('stopWhen');
    expect(ran).toBe(true);
  });

  it('time before restartClockAtZero is negative (start-up happens before the run), and a restart with events pending is refused', () => {
    const loop = new WallClockLoop();
    expect(loop.now()).toBeLessThan(0);
    loop.after(1000, () => undefined);
    expect(() => loop.restartClockAtZero()).toThrow(/no event pending \(1 are\)/);
  });
});
