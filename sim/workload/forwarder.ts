import type { MessageProperties } from '../../engine/index.ts';
import type { Random } from '../../engine/random.ts';
import { ID_PROPERTY } from '../run/tracker.ts';
import type { World } from '../run/world.ts';
import type { ForwardSpec } from '../scenario/pipelineSpec.ts';

/** The header a forwarded message carries: the id of the flow's first message (its correlation id). */
export const CORRELATION_HEADER = 'qlabFlow';

/**
 * A consumer's next step in a pipeline: after serving a message it picks at most one route (each
 * with its probability) and publishes `messages` new messages there, in the same event as the
 * service ends and before its ack — as an application that publishes then acks does. Publishes
 * cross the publish link like a producer's; a broker that is down loses them (counted).
 */
export class Forwarder {
  private readonly body = new Uint8Array(0);

  constructor(
    private readonly world: World,
    private readonly spec: ForwardSpec,
    private readonly random: Random,
  ) {}

  /** Copy `copy` was served: forwards what follows it and records the flow. */
  served(copy: number): void {
    const { tracker, loop } = this.world;
    this.world.flows!.servedCopy(copy, loop.now(), () => this.forward(tracker.copyMessage[copy]!));
  }

  private forward(parent: number): void {
    const key = this.pickRoute();
    if (key === undefined) return;
    for (let k = 0; k < this.spec.messages; k++) {
      const { tracker, loop, network } = this.world;
      const flows = this.world.flows!;
      const id = tracker.created(loop.now());
      flows.adopt(id, parent);
      const properties: MessageProperties = { [ID_PROPERTY]: id, headers: { [CORRELATION_HEADER]: flows.root(parent) } };
      if (this.spec.persistent) properties.persistent = true;
      if (network.publish.instant) {
        this.publish(id, key, properties);
        continue;
      }
      this.world.inFlight++;
      // Counted as pending at once, so the flow cannot complete while its next message is on the wire.
      flows.published(id, 1);
      loop.after(network.publish.delayMs(), () => {
        this.world.inFlight--;
        flows.published(id, -1);
        this.publish(id, key, properties);
      });
    }
  }

  private publish(id: number, key: string, properties: MessageProperties): void {
    const { broker, tracker } = this.world;
    const flows = this.world.flows!;
    if (broker === undefined) {
      tracker.publishOutcome(id, 'unavailable');
      flows.published(id, 0);
      return;
    }
    tracker.publishOutcome(id, 'published');
    const result = broker.publish(this.spec.exchange, key, this.body, properties);
    if (result.rejected.length > 0) tracker.rejected(id);
    if (result.unroutable) tracker.unroutable(false);
    flows.published(id, result.queues.length);
  }

  private pickRoute(): string | undefined {
    let u = this.random.next();
    for (const route of this.spec.routes) {
      if (u < route.probability) return route.routingKey;
      u -= route.probability;
    }
    return undefined;
  }
}
