import type { Queue } from '../queue/queue.ts';
import { DELAYED, GONE, READY, type QueuedMessage } from '../queue/queuedMessage.ts';
import type { BrokerCore } from './core.ts';
import type { DeadLettering } from './deadLettering.ts';
import type { Dispatcher } from './dispatch.ts';

/**
 * Message TTL: one timer per queue, at its earliest deadline, so every message expires at its exact
 * time wherever it is in the queue (RabbitMQ expires only from the head; see the README's
 * differences table). Also owns the queues' other timers (retry backoff) for purge and shutdown.
 */
export class Expiry {
  constructor(
    private readonly core: BrokerCore,
    private readonly deadLettering: DeadLettering,
    private readonly dispatcher: Dispatcher,
  ) {}

  track(queue: Queue, message: QueuedMessage): void {
    if (message.inExpiryHeap) return;
    message.inExpiryHeap = true;
    queue.expiry.push(message);
    if (message.expiresAtMs < queue.expiryTimerAtMs) this.schedule(queue);
  }

  /** Drops every ready and delayed message of `queue` and stops its timers. `retire` logs each one's settlement (a purge); `forget` does not (the queue's deletion is logged instead). */
  discardWaiting(queue: Queue, mode: 'retire' | 'forget'): void {
    const { core } = this;
    const leave = (message: QueuedMessage) => (mode === 'retire' ? core.retire(message) : (message.state = GONE));
    for (const message of [...queue.ready.messages()]) leave(message);
    queue.ready.clear();
    for (const [message, timer] of queue.delayed) {
      core.clock.cancelTimer(timer);
      leave(message);
    }
    queue.delayed.clear();
    this.cancelQueueTimer(queue);
    if (mode === 'retire') {
      this.schedule(queue);
      core.depthChanged(queue);
    }
  }

  /** Cancels every timer the broker owns, leaving its state as it is. */
  stopTimers(): void {
    for (const queue of this.core.queues.values()) {
      this.cancelQueueTimer(queue);
      for (const timer of queue.delayed.values()) this.core.clock.cancelTimer(timer);
    }
  }

  private cancelQueueTimer(queue: Queue): void {
    if (queue.expiryTimer !== -1) this.core.clock.cancelTimer(queue.expiryTimer);
    queue.expiryTimer = -1;
    queue.expiryTimerAtMs = Infinity;
  }

  private schedule(queue: Queue): void {
    this.cancelQueueTimer(queue);
    const next = queue.expiry.peek();
    if (next === undefined) return;
    queue.expiryTimerAtMs = next.expiresAtMs;
    queue.expiryTimer = this.core.clock.setTimer(next.expiresAtMs, () => this.expireDue(queue));
  }

  private expireDue(queue: Queue): void {
    const { core } = this;
    queue.expiryTimer = -1;
    queue.expiryTimerAtMs = Infinity;
    if (queue.deleted || core.closed) return;
    const now = core.clock.now();
    for (let next = queue.expiry.peek(); next !== undefined && next.expiresAtMs <= now; next = queue.expiry.peek()) {
      queue.expiry.pop();
      next.inExpiryHeap = false;
      if (next.state === READY) {
        next.state = GONE;
        queue.ready.noteRemoved();
        this.deadLettering.deadLetter(queue, next, 'expired');
      } else if (next.state === DELAYED) {
        core.clock.cancelTimer(queue.delayed.get(next)!);
        queue.delayed.delete(next);
        this.deadLettering.deadLetter(queue, next, 'expired');
      }
      // Unacked messages do not expire while a consumer holds them; they are checked when returned.
    }
    core.depthChanged(queue);
    this.schedule(queue);
    this.dispatcher.run();
  }
}
