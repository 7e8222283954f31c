import type { MessageProperties } from '../../engine/index.ts';
import type { Random } from '../../engine/random.ts';
import type { World } from '../run/world.ts';
import { ID_PROPERTY } from '../run/tracker.ts';
import type { ProducerSpec } from '../scenario/schema.ts';
import { makeArrivals, type ArrivalProcess } from './arrivals.ts';
import type { PublisherLedger } from './publisherLedger.ts';
import { weightedChoice } from './weightedChoice.ts';
import { patienceOf } from './patience.ts';
import { bodyMaker } from './bodySize.ts';

/** One publish attempt awaiting its confirm (confirm-window publishers only). */
interface Attempt {
  logical: number;
  id: number;
  tries: number;
  key: string;
  properties: MessageProperties;
  sentMs: number;
  /**
   * When the schedule meant it to be sent (its arrival): a publisher that falls behind (window
   * full, retries) measures confirm latency from here, so the time spent waiting in the publisher
   * counts instead of being omitted (no coordinated omission).
   */
  intendedMs: number;
  timer: number;
  pending: boolean;
}

/**
 * A publisher. Without a confirm window it is open-loop: arrivals come on their own schedule
 * whatever the broker is doing; if the broker is down when a publish gets there it fails (counted
 * as unavailable, not retried). With confirms on, the confirm travels back over the same link and
 * only a positive one that arrives counts as confirmed.
 *
 * With a confirm window it is a closed loop, as real publishers with confirms are: at most
 * maxInFlight publishes await their confirm, later arrivals wait in the publisher; a nack, a
 * timeout or a broker that is down fails the attempt, and the message is republished (same message
 * id, a new tracking id per attempt) until maxRetries. A drop-mode partition on the publish link
 * swallows publishes and confirms crossing it.
 */
export class SimProducer {
  private readonly arrivals: ArrivalProcess;
  private readonly arrivalStream: Random;
  private readonly pickKey: (random: Random) => string;
  private readonly pickPriority: ((random: Random) => number) | undefined;
  private readonly choiceStream: Random;
  /** Confirm window: attempts in flight, and messages waiting for room (retries first). */
  private inFlight = 0;
  private readonly backlog: Attempt[] = [];
  private retriesWaiting = 0;
  /** When the last scheduled arrival was meant to happen. */
  private intendedMs: number | undefined;

  constructor(
    private readonly world: World,
    private readonly spec: ProducerSpec,
    label: string,
    private readonly stopAtMs: number,
    private readonly ledger: PublisherLedger,
  ) {
    const streams = world.streams.stream(label);
    this.arrivals = makeArrivals(spec.arrivals);
    this.arrivalStream = streams.stream('arrivals');
    this.choiceStream = streams.stream('choices');
    this.pickKey = spec.routingKeys !== undefined ? weightedChoice(spec.routingKeys.map((k) => ({ value: k.key, weight: k.weight }))) : () => spec.routingKey!;
    const mix = spec.priorityMix === undefined ? [] : Object.entries(spec.priorityMix).filter(([, w]) => w > 0);
    this.pickPriority = mix.length > 0 ? weightedChoice(mix.map(([p, w]) => ({ value: Number(p), weight: w }))) : undefined;
    this.patience = patienceOf(world, spec, streams);
    this.nextBody = bodyMaker(spec, streams);
  }

  /** Impatient messages: draws each one's patience (its per-message TTL). */
  private readonly patience: ((id: number) => number) | undefined;
  /** The body of the next publish (fixed, or a size from bodySizeBytes). */
  private readonly nextBody: () => Uint8Array;

  start(): void {
    this.scheduleNext();
  }

  /** Nothing awaiting a confirm, waiting for room or for a retry: the drain may end. */
  get settled(): boolean {
    return this.inFlight === 0 && this.backlog.length === 0 && this.retriesWaiting === 0;
  }

  /**
   * The next arrival is due a gap after the previous one's intended time, not after the moment it
   * ran: in virtual time the two are equal, in wall time (real mode) a late timer must not stretch
   * the schedule, so the producer's lateness shows instead of a silently lower arrival rate.
   */
  private scheduleNext(): void {
    const at = (this.intendedMs ?? this.world.loop.now()) + this.arrivals.nextGapMs(this.arrivalStream);
    this.intendedMs = at;
    if (at < this.stopAtMs) this.world.loop.setTimer(at, this.arrive);
  }

  private readonly arrive = (): void => {
    const { loop, tracker } = this.world;
    const id = tracker.created(loop.now());
    const key = this.pickKey(this.choiceStream);
    const properties: MessageProperties = { [ID_PROPERTY]: id };
    if (this.pickPriority !== undefined) properties.priority = this.pickPriority(this.choiceStream);
    if (this.spec.persistent) properties.persistent = true;
    if (this.spec.messageIds) properties.messageId = `m${id}`;
    if (this.spec.messageTtlMs !== undefined) properties.expirationMs = this.spec.messageTtlMs;
    if (this.patience !== undefined) properties.expirationMs = this.patience(id);
    if (this.spec.headers !== undefined) properties.headers = this.spec.headers;
    if (this.spec.confirmWindow !== undefined) {
      this.backlog.push({ logical: this.ledger.message(id), id, tries: 0, key, properties, sentMs: 0, intendedMs: loop.now(), timer: -1, pending: false });
      this.pump();
    } else {
      // No confirm callback at all for a producer without confirms: nothing to allocate per message.
      this.send(id, key, properties, this.spec.confirms ? (ack) => this.world.tracker.confirm(id, ack) : undefined);
    }
    this.scheduleNext();
  };

  /** Sends a publish over the publish link; `onConfirm` hears the broker's answer if it makes it back. */
  private send(id: number, key: string, properties: MessageProperties, onConfirm: ((ack: boolean) => void) | undefined, onUnavailable?: () => void, intendedMs = this.world.loop.now()): void {
    const { loop, network } = this.world;
    const answer =
      onConfirm === undefined
        ? undefined
        : (ack: boolean) => {
            if (ack) this.ledger.confirmed(intendedMs, loop.now() - intendedMs);
            onConfirm(ack);
          };
    if (network.publish.dropping) {
      this.ledger.counts.droppedOnWire++;
      return;
    }
    if (network.publish.instant) return this.publish(id, key, properties, answer, onUnavailable);
    this.world.inFlight++;
    loop.after(network.publish.delayMs(), () => {
      this.world.inFlight--;
      this.publish(id, key, properties, answer, onUnavailable);
    });
  }

  private publish(id: number, key: string, properties: MessageProperties, answer: ((ack: boolean) => void) | undefined, onUnavailable?: () => void): void {
    const { broker, tracker, network, loop } = this.world;
    if (broker === undefined) {
      tracker.publishOutcome(id, 'unavailable');
      return onUnavailable?.();
    }
    tracker.publishOutcome(id, 'published');
    const link = network.publish;
    const onConfirm =
      answer === undefined || !this.spec.confirms
        ? undefined
        : (ack: boolean) => {
            if (link.droppingBack) {
              this.ledger.counts.confirmsDropped++;
              return;
            }
            if (link.instant) return answer(ack);
            this.world.inFlight++;
            loop.after(link.delayMs(), () => {
              this.world.inFlight--;
              answer(ack);
            });
          };
    const result = broker.publish(this.spec.exchange, key, this.nextBody(), properties, onConfirm);
    if (result.rejected.length > 0) tracker.rejected(id);
    if (result.duplicates.length > 0) this.ledger.counts.deduplicated++;
    if (result.unroutable) tracker.unroutable(this.spec.mandatory);
  }

  // ─── the confirm window ────────────────────────────────────────────────────

  /** Sends waiting messages while the window has room. */
  private pump(): void {
    const window = this.spec.confirmWindow!;
    while (this.inFlight < window.maxInFlight && this.backlog.length > 0) {
      const attempt = this.backlog.shift()!;
      this.inFlight++;
      attempt.pending = true;
      attempt.sentMs = this.world.loop.now();
      attempt.timer = this.world.loop.after(window.confirmTimeoutMs, () => this.failed(attempt, 'timeouts'));
      this.send(
        attempt.id,
        attempt.key,
        attempt.properties,
        (ack) => this.answered(attempt, ack),
        () => this.failed(attempt, 'unavailable'),
        attempt.intendedMs,
      );
    }
  }

  private answered(attempt: Attempt, ack: boolean): void {
    this.world.tracker.confirm(attempt.id, ack); // even late: the broker did confirm that attempt
    if (!attempt.pending) return;
    if (ack) {
      this.settle(attempt);
      this.pump();
    } else {
      this.failed(attempt, 'nacks');
    }
  }

  private failed(attempt: Attempt, why: 'timeouts' | 'nacks' | 'unavailable'): void {
    if (!attempt.pending) return;
    this.ledger.counts[why]++;
    this.settle(attempt);
    const window = this.spec.confirmWindow!;
    if (attempt.tries >= window.maxRetries) {
      this.ledger.counts.abandoned++;
      return this.pump();
    }
    // Republish: same message id, a new tracking id (the broker may well hold the first one too).
    this.retriesWaiting++;
    this.world.loop.after(window.retryBackoffMs, () => {
      this.retriesWaiting--;
      const id = this.world.tracker.created(this.world.loop.now());
      this.ledger.retry(attempt.logical, id);
      this.backlog.unshift({ ...attempt, id, tries: attempt.tries + 1, properties: { ...attempt.properties, [ID_PROPERTY]: id }, pending: false, timer: -1 });
      this.pump();
    });
    this.pump();
  }

  private settle(attempt: Attempt): void {
    attempt.pending = false;
    this.inFlight--;
    if (attempt.timer !== -1) this.world.loop.cancelTimer(attempt.timer);
    attempt.timer = -1;
  }
}
