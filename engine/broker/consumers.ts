import { Consumer } from '../consumer.ts';
import { EngineError } from '../errors.ts';
import { parseConsumeOptions } from '../options.ts';
import { noteRoom, type Queue, type QueueConsumer, type QueueDelivery } from '../queue/queue.ts';
import { GONE } from '../queue/queuedMessage.ts';
import type { ConsumeOptions, Delivery } from '../types.ts';
import type { BrokerCore } from './core.ts';
import type { Dispatcher } from './dispatch.ts';
import type { Settlement } from './settlement.ts';

/** basic.consume, basic.cancel and basic.get: consumers joining and leaving queues. */
export class Consumers {
  constructor(
    private readonly core: BrokerCore,
    private readonly dispatcher: Dispatcher,
    private readonly settlement: Settlement,
  ) {}

  consume(queue: string, options: ConsumeOptions, onDelivery: (delivery: Delivery) => void): string {
    const { core } = this;
    core.checkOpen();
    const source = core.queue(queue, 'consume');
    const parsed = parseConsumeOptions(options, `consume('${queue}')`);
    if (typeof onDelivery !== 'function') throw new EngineError('INVALID_ARGUMENT', `consume('${queue}'): onDelivery must be a function`);
    const tag = parsed.consumerTag ?? this.generateTag();
    if (core.consumersByTag.has(tag)) throw new EngineError('PRECONDITION_FAILED', `consumer tag '${tag}' is already in use`);
    if (source.consumers.some((c) => c.exclusive)) {
      throw new EngineError('ACCESS_REFUSED', `queue '${queue}' has an exclusive consumer`);
    }
    if (parsed.exclusive === true && source.consumers.length > 0) {
      throw new EngineError('ACCESS_REFUSED', `cannot consume exclusively from queue '${queue}': it has ${source.consumers.length} consumers`);
    }
    const consumer: QueueConsumer = new Consumer(tag, source, parsed.prefetch ?? 0, parsed.autoAck === true, parsed.exclusive === true, onDelivery);
    core.consumersByTag.set(tag, consumer);
    consumer.position = source.consumers.push(consumer) - 1;
    noteRoom(consumer);
    this.dispatcher.request(source);
    this.dispatcher.run();
    return tag;
  }

  cancel(consumerTag: string): void {
    this.core.checkOpen();
    const consumer = this.core.consumersByTag.get(consumerTag);
    if (consumer === undefined) throw new EngineError('NOT_FOUND', `no consumer with tag '${consumerTag}'`);
    this.detach(consumer, true);
    this.dispatcher.run();
  }

  get(queue: string, autoAck: boolean): Delivery | undefined {
    this.core.checkOpen();
    const source = this.core.queue(queue, 'get');
    const message = source.ready.shift();
    if (message === undefined) return undefined;
    return this.dispatcher.deliver(source, message, this.core.getChannel, undefined, autoAck);
  }

  /** Takes a consumer off its queue; its unsettled deliveries are requeued, or forgotten when the queue goes. */
  detach(consumer: QueueConsumer, requeue: boolean): void {
    const queue = consumer.queue;
    removeFromRing(queue, consumer);
    this.core.consumersByTag.delete(consumer.tag);
    const records: QueueDelivery[] = [];
    for (let i = 0; i < consumer.channel.unacked.length; i++) {
      const record = consumer.channel.unacked.at(i)!;
      if (!record.settled) records.push(record);
    }
    for (const record of records) this.core.forgetUnacked(record);
    if (requeue) {
      this.settlement.returnToQueues(records, 'consumer-gone');
      this.core.depthChanged(queue);
      this.dispatcher.request(queue);
    } else {
      for (const record of records) record.message.state = GONE;
    }
  }

  private generateTag(): string {
    let tag: string;
    do tag = `amq.ctag-${this.core.nextConsumerId++}`;
    while (this.core.consumersByTag.has(tag));
    return tag;
  }
}

/** Removes `consumer` from the queue's round-robin, keeping the turn with the consumer that had it. */
function removeFromRing(queue: Queue, consumer: QueueConsumer): void {
  const index = queue.consumers.indexOf(consumer);
  if (index < 0) return;
  queue.consumers.splice(index, 1);
  consumer.position = -1;
  // Positions after it shift down by one: renumber them and rebuild the set of those with room.
  queue.withRoom.clear();
  queue.consumers.forEach((c, position) => {
    c.position = position;
    noteRoom(c);
  });
  if (queue.nextConsumer > index) queue.nextConsumer--;
  if (queue.nextConsumer >= queue.consumers.length) queue.nextConsumer = 0;
}
