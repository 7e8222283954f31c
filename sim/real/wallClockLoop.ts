import type { TimerId } from '../../engine/clock.ts';
import { EventLoop, type TimerOwner } from '../kernel/eventLoop.ts';

const PRE_START_MS = 1e9;

/** How late timers ran, in wall-clock ms, for one kind of timer. */
export class LatenessTally {
  readonly samplesMs: number[] = [];

  record(lateMs: number): void {
    this.samplesMs.push(Math.max(0, lateMs));
  }
}

/**
 * The simulator's event loop run against the wall clock, so the same producers, consumers, tracker
 * and broker wiring that run in virtual time run in real time: `now()` is milliseconds since the
 * loop was made, and an event runs once the wall clock has reached its time (never before). Real
 * timers are late — Node's `setTimeout` is millisecond-grained and slips under load — so every
 * event's lateness is measured: producers' arrivals (their callback is named `arrive`) apart from
 * every other timer (consumers' service ends, which reach the loop through a connection's
 * Lifetime wrapper and so cannot be told apart by name, and the broker's own timers).
 *
 * Work that does not come from a timer (file-system completions) may schedule an earlier event
 * while the loop sleeps: setTimer then wakes it.
 */
export class WallClockLoop extends EventLoop {
  /** Until restartClockAtZero, time is negative: the broker's start-up (log recovery) happens before the run's time 0. */
  private originMs = performance.now() + PRE_START_MS;

  constructor(initialCapacity = 1024) {
    super(-PRE_START_MS, initialCapacity);
  }

  readonly lateness = { arrivals: new LatenessTally(), otherTimers: new LatenessTally() };
  private wakeAtMs = Infinity;
  private wake: (() => void) | undefined;

  /**
   * Makes now() 0 again: the run's time starts when the producers do, not when the broker began its
   * recovery, as in virtual time. Only with nothing scheduled (pending events would shift).
   */
  restartClockAtZero(): void {
    if (this.pending !== 0) throw new Error(`the wall clock can only restart at 0 with no event pending (${this.pending} are)`);
    this.originMs = performance.now();
  }

  override now(): number {
    return performance.now() - this.originMs;
  }

  override after(delayMs: number, callback: () => void): TimerId {
    return this.setTimer(this.now() + delayMs, callback);
  }

  override setTimer(atMs: number, callback: () => void, owner?: TimerOwner, onCancel: (() => void) | null = null): TimerId {
    const dueMs = Math.max(atMs, this.now());
    const tally = callback.name === 'arrive' ? this.lateness.arrivals : this.lateness.otherTimers;
    const id = super.setTimer(dueMs, () => {
      tally.record(this.now() - dueMs);
      callback();
    }, owner, onCancel);
    if (dueMs < this.wakeAtMs) this.wake?.();
    return id;
  }

  /**
   * Runs events as the wall clock reaches them until `untilMs` (loop time) or until `stopWhen`
   * holds; `stopWhen` is also checked at least every `pollMs` while nothing is due, because the
   * broker's file completions change the state without any event.
   */
  async drive(limits: { untilMs: number; stopWhen?: () => boolean; pollMs?: number; onTick?: () => void }): Promise<'until' | 'stopWhen'> {
    const pollMs = limits.pollMs ?? 50;
    for (;;) {
      const wallMs = this.now();
      this.run({ untilMs: Math.min(wallMs, limits.untilMs), ...(limits.stopWhen ? { stopWhen: limits.stopWhen } : {}) });
      if (limits.stopWhen?.()) return 'stopWhen';
      if (wallMs >= limits.untilMs) return 'until';
      limits.onTick?.();
      const nextMs = Math.min(this.peekTime() ?? Infinity, limits.untilMs, this.now() + pollMs);
      await this.sleepUntil(nextMs);
    }
  }

  /** Sleeps until wall time `atMs` (or until an earlier timer is set): whole milliseconds on a timer, the rest yielding to I/O. */
  private sleepUntil(atMs: number): Promise<void> {
    const delayMs = atMs - this.now();
    if (delayMs <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(handle);
        clearImmediate(immediate);
        this.wake = undefined;
        this.wakeAtMs = Infinity;
        resolve();
      };
      const handle = delayMs >= 1 ? setTimeout(done, Math.floor(delayMs)) : undefined;
      const immediate = delayMs < 1 ? setImmediate(done) : undefined;
      this.wakeAtMs = atMs;
      this.wake = done;
    });
  }
}
