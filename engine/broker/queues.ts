import { EngineError } from '../errors.ts';
import { firstDifference, parseQueueOptions } from '../options.ts';
import { Queue, type QueueDelivery } from '../queue/queue.ts';
import { GONE, type QueuedMessage } from '../queue/queuedMessage.ts';
import type { QueueOptions } from '../types.ts';
import type { Consumers } from './consumers.ts';
import type { BrokerCore } from './core.ts';
import { requireString } from './exchanges.ts';
import type { Expiry } from './expiry.ts';

/** queue.declare, queue.delete and queue.purge. */
export class Queues {
  constructor(
    private readonly core: BrokerCore,
    private readonly consumers: Consumers,
    private readonly expiry: Expiry,
  ) {}

  declare(name: string, options?: QueueOptions): { queue: string; messageCount: number; consumerCount: number } {
    const { core } = this;
    core.checkOpen();
    requireString('queue name', name);
    const parsed = parseQueueOptions(options, `declareQueue('${name}')`);
    const queueName = name === '' ? this.generateName() : name;
    if (name.startsWith('amq.')) {
      throw new EngineError('ACCESS_REFUSED', `queue name '${name}' is reserved (names starting 'amq.' are the broker's)`);
    }
    const existing = core.queues.get(queueName);
    if (existing !== undefined) {
      checkEquivalent(existing, parsed);
    } else {
      core.queues.set(queueName, new Queue(queueName, parsed));
      if (parsed.durable === true) core.durability?.declaredQueue(queueName, parsed);
    }
    const queue = core.queues.get(queueName)!;
    return { queue: queueName, messageCount: queue.ready.count, consumerCount: queue.consumers.length };
  }

  /** Deletes a queue, its bindings and its messages; its consumers are cancelled. Returns the ready count it had. */
  delete(name: string, options: { ifUnused?: boolean; ifEmpty?: boolean }): number {
    const { core } = this;
    core.checkOpen();
    const queue = core.queue(name, 'deleteQueue');
    if (options.ifUnused === true && queue.consumers.length > 0) {
      throw new EngineError('PRECONDITION_FAILED', `queue '${name}' in use: it has ${queue.consumers.length} consumers`);
    }
    if (options.ifEmpty === true && queue.ready.count > 0) {
      throw new EngineError('PRECONDITION_FAILED', `queue '${name}' not empty: it has ${queue.ready.count} ready messages`);
    }
    const count = queue.ready.count;
    const logged: QueuedMessage[] = [];
    core.forEachMessageOf(queue, (message) => message.logId >= 0 && logged.push(message));
    for (const exchange of core.exchanges.values()) exchange.unbindQueue(name);
    for (const consumer of [...queue.consumers]) this.consumers.detach(consumer, false);
    this.forgetGets(queue);
    this.expiry.discardWaiting(queue, 'forget');
    queue.deleted = true;
    core.queues.delete(name);
    if (queue.durable) core.durability?.deletedQueue(name, logged);
    return count;
  }

  /** Removes every ready and delayed message. Returns how many. */
  purge(name: string): number {
    this.core.checkOpen();
    const queue = this.core.queue(name, 'purgeQueue');
    const count = queue.ready.count + queue.delayed.size;
    this.expiry.discardWaiting(queue, 'retire');
    return count;
  }

  /** `get` deliveries of a deleted queue are settled by its deletion. */
  private forgetGets(queue: Queue): void {
    const gets = this.core.getChannel.unacked;
    // Collect first: forgetUnacked drops settled records from the front of this list, which would
    // shift the records under the index and skip every other one.
    const ofQueue: QueueDelivery[] = [];
    for (let i = 0; i < gets.length; i++) {
      const record = gets.at(i)!;
      if (record.queue === queue && !record.settled) ofQueue.push(record);
    }
    for (const record of ofQueue) {
      this.core.forgetUnacked(record);
      record.message.state = GONE;
    }
    this.core.getChannel.dropSettledFront();
  }

  private generateName(): string {
    let name: string;
    do name = `amq.gen-${this.core.nextQueueId++}`;
    while (this.core.queues.has(name));
    return name;
  }
}

function checkEquivalent(existing: Queue, parsed: QueueOptions): void {
  const differs = firstDifference(normalizeQueueOptions(parsed), normalizeQueueOptions(existing.options));
  if (differs === undefined) return;
  throw new EngineError(
    'PRECONDITION_FAILED',
    `inequivalent arg '${differs}' for queue '${existing.name}': received ${JSON.stringify((parsed as Record<string, unknown>)[differs])} but current is ${JSON.stringify((existing.options as Record<string, unknown>)[differs])}`,
  );
}

/** Options as compared on redeclaration: absent and default are the same thing. */
function normalizeQueueOptions(options: QueueOptions): QueueOptions {
  return { ...options, durable: options.durable === true, overflow: options.overflow ?? 'drop-head' };
}
