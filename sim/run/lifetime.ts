import type { Clock, TimerId } from '../../engine/clock.ts';
import type { EventLoop, TimerOwner } from '../kernel/eventLoop.ts';
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
 *
 * The loop itself records which timers are whose (and what cancelling each undoes), so a timer of a
 * Lifetime costs no wrapper closure and no map entry: per-message service and wire timers are the
 * simulator's hottest path.
 */
export class Lifetime implements Clock, TimerOwner {
  private ended = false;

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
    return this.loop.ownedCount(this);
  }

  staleTimerFired(): void {
    throw new SimulationInvariantError(`stale timer: a timer set by ${this.owner} fired after it ended`, this.seed, this.loop.now());
  }

  now(): number {
    return this.loop.now();
  }

  setTimer(atMs: number, callback: () => void, onCancel: (() => void) | null = null): TimerId {
    return this.loop.setTimer(atMs, callback, this, onCancel);
  }

  after(delayMs: number, callback: () => void, onCancel: (() => void) | null = null): TimerId {
    return this.setTimer(this.loop.now() + delayMs, callback, onCancel);
  }

  cancelTimer(id: TimerId): void {
    if (this.loop.isOwnedBy(id, this)) this.loop.cancelTimer(id);
  }

  /** Ends this life, cancelling every timer it still has pending (running their `onCancel`). */
  end(): void {
    this.ended = true;
    this.loop.cancelOwned(this);
  }

  /**
   * Ends this life without cancelling anything: for an owner (the engine broker) that promises to
   * have stopped its own timers. Any it left behind fails loudly when it fires.
   */
  abandon(): void {
    this.ended = true;
  }
}
