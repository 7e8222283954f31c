import type { Clock, TimerId } from '../../engine/clock.ts';
import type { EventLoop } from '../kernel/eventLoop.ts';
import { SimulationInvariantError } from './invariantError.ts';

/**
 * The life of one incarnation of a simulated component: a client connection, a broker process.
 * Every timer it sets is owned by it. When the life ends its timers are cancelled (`end()`), and a
 * timer that still fires afterwards is a stale timer — the bug class where a callback of a dead
 * incarnation acts on the state of the next one — so it fails loudly with the seed and the virtual
 * time instead of corrupting the run.
 *
 * It is also a Clock, so an engine broker can be given one: `kill()` must stop all its timers, and
 * any that fires after the broker died is caught the same way.
 */
export class Lifetime implements Clock {
  private ended = false;
  /** Pending timers and what cancelling each undoes (e.g. a message no longer on the wire). */
  private readonly pending = new Map<TimerId, (() => void) | null>();

  constructor(
    private readonly loop: EventLoop,
    /** Who owns the timers, for the error: "consumer 3, connection 7". */
    private readonly owner: string,
    private readonly seed: number,
  ) {}

  get alive(): boolean {
    return !this.ended;
  }

  get pendingTimers(): number {
    return this.pending.size;
  }

  now(): number {
    return this.loop.now();
  }

  setTimer(atMs: number, callback: () => void, onCancel: (() => void) | null = null): TimerId {
    const id = this.loop.setTimer(atMs, () => {
      this.pending.delete(id);
      if (this.ended) throw new SimulationInvariantError(`stale timer: a timer set by ${this.owner} fired after it ended`, this.seed, this.loop.now());
      callback();
    });
    this.pending.set(id, onCancel);
    return id;
  }

  after(delayMs: number, callback: () => void, onCancel: (() => void) | null = null): TimerId {
    return this.setTimer(this.loop.now() + delayMs, callback, onCancel);
  }

  cancelTimer(id: TimerId): void {
    if (!this.pending.delete(id)) return;
    this.loop.cancelTimer(id);
  }

  /** Ends this life, cancelling every timer it still has pending (running their `onCancel`). */
  end(): void {
    this.ended = true;
    for (const [id, onCancel] of this.pending) {
      this.loop.cancelTimer(id);
      onCancel?.();
    }
    this.pending.clear();
  }

  /**
   * Ends this life without cancelling anything: for an owner (the engine broker) that promises to
   * have stopped its own timers. Any it left behind fails loudly when it fires.
   */
  abandon(): void {
    this.ended = true;
  }
}
