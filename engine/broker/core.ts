import { CryptoRandom } from '../adapters/cryptoRandom.ts';
import { RealClock } from '../adapters/realClock.ts';
import type { Clock } from '../clock.ts';
import { Channel } from '../consumer.ts';
import type { MessageStore } from '../durable/store.ts';
import { EngineError } from '../errors.ts';
import { noteRoom, type Queue, type QueueConsumer, type QueueDelivery } from '../queue/queue.ts';
import { GONE, type QueuedMessage } from '../queue/queuedMessage.ts';
import type { Random } from '../random.ts';
import { Exchange } from '../routing/exchange.ts';
import type { BrokerObserver, BrokerOptions, ExchangeType } from '../types.ts';

const PREDECLARED: readonly [string, ExchangeType][] = [
  ['amq.direct', 'direct'],
  ['amq.fanout', 'fanout'],
  ['amq.topic', 'topic'],
  ['amq.headers', 'headers'],
  ['amq.match', 'headers'],
];

/**
 * The state every part of the broker shares: exchanges, queues, consumers, unacked deliveries, the
 * injected clock, randomness and observer, and the durable log once there is one. The parts
 * (routing, publishing, dispatch, settlement, dead-lettering, expiry, durability) are separate
 * files that each hold a reference to this one object, so none of them imports another in a cycle.
 */
export class BrokerCore {
  readonly clock: Clock;
  readonly random: Random;
  readonly observer: BrokerObserver | undefined;
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, Queue>();
  readonly consumersByTag = new Map<string, QueueConsumer>();
  readonly unacked = new Map<number, QueueDelivery>();
  /** The channel `get` deliveries belong to (for `multiple` acks). */
  readonly getChannel = new Channel<Queue>();
  nextDeliveryTag = 1;
  nextConsumerId = 1;
  nextQueueId = 1;
  closed = false;
  durability: MessageStore | undefined;

  constructor(options: BrokerOptions) {
    this.clock = options.clock ?? new RealClock();
    this.random = options.random ?? new CryptoRandom();
    this.observer = options.observer;
    this.exchanges.set('', new Exchange('', 'direct', true, undefined));
    for (const [name, type] of PREDECLARED) this.exchanges.set(name, new Exchange(name, type, true, undefined));
  }

  checkOpen(): void {
    if (this.closed) throw new EngineError('BROKER_CLOSED', 'the broker is closed');
  }

  exchange(name: string, operation: string): Exchange {
    const exchange = this.exchanges.get(name);
    if (exchange === undefined) throw new EngineError('NOT_FOUND', `${operation}: no exchange '${name}'`);
    return exchange;
  }

  queue(name: string, operation: string): Queue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw new EngineError('NOT_FOUND', `${operation}: no queue '${name}'`);
    return queue;
  }

  /** Tells the observer a queue's counts changed. */
  depthChanged(queue: Queue): void {
    this.observer?.depthChanged?.(queue.name, queue.ready.count, queue.unackedCount, queue.delayed.size, this.clock.now());
  }

  /** The message leaves its queue for good; a logged one gets its Settle record. */
  retire(message: QueuedMessage): void {
    message.state = GONE;
    if (message.logId >= 0) this.durability?.retired(message);
  }

  /** Takes a delivery out of the unacked set (and its channel's count); the caller says where the message goes. */
  forgetUnacked(record: QueueDelivery): void {
    this.unacked.delete(record.tag);
    record.settled = true;
    record.channel.count--;
    noteRoom(record.channel.owner);
    record.queue.unackedCount--;
    record.channel.dropSettledFront();
  }

  /** Every message of `queue`: ready, delayed, then unacked. */
  forEachMessageOf(queue: Queue, visit: (message: QueuedMessage) => void): void {
    for (const message of queue.ready.messages()) visit(message);
    for (const message of queue.delayed.keys()) visit(message);
    for (const record of this.unacked.values()) if (record.queue === queue) visit(record.message);
  }
}
