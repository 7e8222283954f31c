import type { Clock, TimerId } from '../../engine/clock.ts';

/** A clock that moves only when told: timers fire in (time, order set) order as `advance` passes them. */
export class ManualClock implements Clock {
  private nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<TimerId, { atMs: number; callback: () => void }>();

  now(): number {
    return this.nowMs;
  }

  setTimer(atMs: number, callback: () => void): TimerId {
    const id = this.nextId++;
    this.timers.set(id, { atMs, callback });
    return id;
  }

  cancelTimer(id: TimerId): void {
    this.timers.delete(id);
  }

  /** Moves time forward by `ms`, firing every timer due on the way (including ones they set). */
  advance(ms: number): void {
    const untilMs = this.nowMs + ms;
    for (let next = this.earliest(untilMs); next !== undefined; next = this.earliest(untilMs)) {
      const [id, timer] = next;
      this.timers.delete(id);
      this.nowMs = Math.max(this.nowMs, timer.atMs);
      timer.callback();
    }
    this.nowMs = untilMs;
  }

  private earliest(untilMs: number): [TimerId, { atMs: number; callback: () => void }] | undefined {
    let best: [TimerId, { atMs: number; callback: () => void }] | undefined;
    // Map iteration is insertion order, so among equal times the first set wins.
    for (const entry of this.timers) {
      if (entry[1].atMs <= untilMs && (best === undefined || entry[1].atMs < best[1].atMs)) best = entry;
    }
    return best;
  }
}
