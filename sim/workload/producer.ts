import type { MessageProperties } from '../../engine/index.ts';
import type { Random } from '../../engine/random.ts';
import type { World } from '../run/world.ts';
import { ID_PROPERTY } from '../run/tracker.ts';
import type { ProducerSpec } from '../scenario/schema.ts';
import { makeArrivals, type ArrivalProcess } from './arrivals.ts';
import { weightedChoice } from './weightedChoice.ts';

/**
 * An open-loop publisher: arrivals come on their own schedule whatever the broker is doing. Each
 * message crosses the publish link; if the broker is down when it gets there the publish fails
 * (counted as unavailable, not retried). With confirms on, the confirm travels back over the same
 * link and only a positive one that arrives counts as confirmed.
 */
export class SimProducer {
  private readonly arrivals: ArrivalProcess;
  private readonly arrivalStream: Random;
  private readonly pickKey: (random: Random) => string;
  private readonly pickPriority: ((random: Random) => number) | undefined;
  private readonly choiceStream: Random;
  private readonly body: Uint8Array;

  constructor(
    private readonly world: World,
    private readonly spec: ProducerSpec,
    label: string,
    private readonly stopAtMs: number,
  ) {
    const streams = world.streams.stream(label);
    this.arrivals = makeArrivals(spec.arrivals);
    this.arrivalStream = streams.stream('arrivals');
    this.choiceStream = streams.stream('choices');
    this.pickKey = spec.routingKeys !== undefined ? weightedChoice(spec.routingKeys.map((k) => ({ value: k.key, weight: k.weight }))) : () => spec.routingKey!;
    const mix = spec.priorityMix === undefined ? [] : Object.entries(spec.priorityMix).filter(([, w]) => w > 0);
    this.pickPriority = mix.length > 0 ? weightedChoice(mix.map(([p, w]) => ({ value: Number(p), weight: w }))) : undefined;
    this.body = new Uint8Array(spec.bodyBytes);
  }

  start(): void {
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const at = this.world.loop.now() + this.arrivals.nextGapMs(this.arrivalStream);
    if (at < this.stopAtMs) this.world.loop.setTimer(at, this.arrive);
  }

  private readonly arrive = (): void => {
    const { loop, tracker, network } = this.world;
    const id = tracker.created(loop.now());
    const key = this.pickKey(this.choiceStream);
    const properties: MessageProperties = { [ID_PROPERTY]: id };
    if (this.pickPriority !== undefined) properties.priority = this.pickPriority(this.choiceStream);
    if (this.spec.persistent) properties.persistent = true;
    if (this.spec.messageIds) properties.messageId = `m${id}`;
    if (this.spec.messageTtlMs !== undefined) properties.expirationMs = this.spec.messageTtlMs;
    if (this.spec.headers !== undefined) properties.headers = this.spec.headers;
    if (network.publish.instant) {
      this.publish(id, key, properties);
    } else {
      this.world.inFlight++;
      loop.after(network.publish.delayMs(), () => {
        this.world.inFlight--;
        this.publish(id, key, properties);
      });
    }
    this.scheduleNext();
  };

  private publish(id: number, key: string, properties: MessageProperties): void {
    const { broker, tracker, network, loop } = this.world;
    if (broker === undefined) return tracker.publishOutcome(id, 'unavailable');
    tracker.publishOutcome(id, 'published');
    const onConfirm = !this.spec.confirms
      ? undefined
      : network.publish.instant
        ? (ack: boolean) => tracker.confirm(id, ack)
        : (ack: boolean) => {
            this.world.inFlight++;
            loop.after(network.publish.delayMs(), () => {
              this.world.inFlight--;
              tracker.confirm(id, ack);
            });
          };
    const result = broker.publish(this.spec.exchange, key, this.body, properties, onConfirm);
    if (result.rejected.length > 0) tracker.rejected(id);
    if (result.unroutable) tracker.unroutable(this.spec.mandatory);
  }
}
