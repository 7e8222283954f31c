import type { Clock, TimerId } from '../clock.ts';

/**
 * Wall-clock time for real-mode brokers. `now()` is `performance.timeOrigin + performance.now()`:
 * epoch-based like `Date.now()` but monotonic, so a TTL cannot fire early when NTP steps the clock.
 */
export class RealClock implements Clock {
  private readonly timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  private nextId = 1;

  now(): number {
    return performance.timeOrigin + performance.now();
  }

  setTimer(atMs: number, callback: () => void): TimerId {
    const id = this.nextId++;
    const handle = setTimeout(() => {
      this.timers.delete(id);
      callback();
    }, Math.max(0, atMs - this.now()));
    this.timers.set(id, handle);
    return id;
  }

  cancelTimer(id: TimerId): void {
    const handle = this.timers.get(id);
    if (handle === undefined) return;
    clearTimeout(handle);
    this.timers.delete(id);
  }
}
