import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type Message, type Options } from 'amqplib';
import { isTopologyStep, STEP_QUIET_MS as QUIET_MS, type Case, type Observation, type QueueArgs, type Step } from './case.ts';
import { orderStep, seenMessage } from './observe.ts';


/** Replays a case against a real broker at `url` over AMQP 0-9-1 (amqplib). */
export async function runOnRabbit(url: string, testCase: Case): Promise<Observation[]> {
  const connection = await amqp.connect(url);
  connection.on('error', () => {});
  const session = new RabbitSession(connection);
  try {
    await session.open();
    const observations: Observation[] = [];
    for (const [index, step] of testCase.steps.entries()) {
      try {
        observations.push(...orderStep(await session.run(index, step)));
      } catch (error) {
        const seenSoFar = observations.map((o) => `  ${JSON.stringify(o)}`).join('\n');
        throw new Error(`case ${testCase.name}, step ${index} (${step.op}): ${(error as Error).message}\nobserved so far:\n${seenSoFar}`);
      }
    }
    return observations;
  } finally {
    await session.cleanUp(testCase);
    await connection.close().catch(() => {});
  }
}

function queueArguments(args: QueueArgs = {}): Options.AssertQueue {
  const x: Record<string, unknown> = {};
  if (args.maxPriority !== undefined) x['x-max-priority'] = args.maxPriority;
  if (args.messageTtlMs !== undefined) x['x-message-ttl'] = args.messageTtlMs;
  if (args.maxLength !== undefined) x['x-max-length'] = args.maxLength;
  if (args.overflow !== undefined) x['x-overflow'] = args.overflow;
  if (args.deadLetterExchange !== undefined) x['x-dead-letter-exchange'] = args.deadLetterExchange;
  if (args.deadLetterRoutingKey !== undefined) x['x-dead-letter-routing-key'] = args.deadLetterRoutingKey;
  if (args.deliveryLimit !== undefined) x['x-delivery-limit'] = args.deliveryLimit;
  if (args.quorum === true) x['x-queue-type'] = 'quorum';
  return { durable: args.quorum === true, autoDelete: false, arguments: x };
}

function seen(message: Message) {
  const { fields, properties } = message;
  const headers = (properties.headers ?? {}) as Record<string, unknown>;
  return seenMessage({
    id: message.content.toString('utf8'),
    redelivered: fields.redelivered,
    exchange: fields.exchange,
    routingKey: fields.routingKey,
    priority: properties.priority ?? undefined,
    expiration: properties.expiration ?? undefined,
    headers,
    xDeath: headers['x-death'] as Record<string, unknown>[] | undefined,
  });
}

class RabbitSession {
  private publisher!: ConfirmChannel;
  private control!: Channel;
  private readonly consumers = new Map<string, Channel>();
  /** The latest delivery of each message id, and the channel to settle it on. */
  private readonly held = new Map<string, { channel: Channel; message: Message }>();
  private readonly returns = new Map<string, { replyCode: number; replyText: string }>();
  private buffer: Observation[] = [];
  private lastEventAt = 0;
  private step = 0;

  constructor(private readonly connection: ChannelModel) {}

  async open(): Promise<void> {
    this.publisher = await this.connection.createConfirmChannel();
    this.publisher.on('error', () => {});
    this.publisher.on('return', (message: Message) => {
      const { replyCode, replyText } = message.fields as unknown as { replyCode: number; replyText: string };
      this.returns.set(message.content.toString('utf8'), { replyCode, replyText });
    });
    await this.openControl();
  }

  private async openControl(): Promise<void> {
    this.control = await this.connection.createChannel();
    this.control.on('error', () => {});
  }

  async run(index: number, step: Step): Promise<Observation[]> {
    this.step = index;
    this.buffer = [];
    try {
      await this.perform(step);
    } catch (error) {
      const replyCode = (error as { code?: unknown }).code;
      if (typeof replyCode !== 'number') throw error;
      this.buffer.push({ step: index, op: 'error', replyCode });
      // A channel error closes the channel; the control channel is needed again.
      if (!['consume', 'cancel'].includes(step.op)) await this.openControl();
    }
    if (!isTopologyStep(step)) await this.quiet();
    return this.buffer;
  }

  private async quiet(): Promise<void> {
    this.lastEventAt = performance.now();
    while (performance.now() - this.lastEventAt < QUIET_MS) await sleep(QUIET_MS / 3);
  }

  private async perform(step: Step): Promise<void> {
    switch (step.op) {
      case 'exchange':
        await this.control.assertExchange(step.name, step.type, {
          durable: false,
          autoDelete: false,
          ...(step.alternateExchange !== undefined ? { alternateExchange: step.alternateExchange } : {}),
        });
        return;
      case 'queue':
        await this.control.assertQueue(step.name, queueArguments(step.args));
        return;
      case 'bind':
        await this.control.bindQueue(step.queue, step.exchange, step.key, step.args ?? {});
        return;
      case 'publish':
        return this.publish(step);
      case 'consume':
        return this.consume(step);
      case 'cancel': {
        const channel = this.consumers.get(step.tag)!;
        await channel.cancel(step.tag);
        await channel.close();
        this.consumers.delete(step.tag);
        return;
      }
      case 'get': {
        const message = await this.control.get(step.queue, { noAck: step.noAck === true });
        if (message === false) {
          this.buffer.push({ step: this.step, op: 'get-empty' });
          return;
        }
        if (step.noAck !== true) this.held.set(message.content.toString('utf8'), { channel: this.control, message });
        this.buffer.push({ step: this.step, op: 'get', messageCount: message.fields.messageCount, ...seen(message) });
        return;
      }
      case 'ack':
      case 'nack':
      case 'reject':
        return this.settle(step);
      case 'purge': {
        const { messageCount } = await this.control.purgeQueue(step.queue);
        this.buffer.push({ step: this.step, op: 'purge', queue: step.queue, messages: messageCount });
        return;
      }
      case 'count': {
        const { messageCount, consumerCount } = await this.control.checkQueue(step.queue);
        this.buffer.push({ step: this.step, op: 'count', queue: step.queue, messages: messageCount, consumers: consumerCount });
        return;
      }
      case 'wait':
        await sleep(step.ms);
        return;
    }
  }

  private async publish(step: Extract<Step, { op: 'publish' }>): Promise<void> {
    const options: Options.Publish = { messageId: step.id, mandatory: step.mandatory === true };
    if (step.priority !== undefined) options.priority = step.priority;
    if (step.expirationMs !== undefined) options.expiration = String(step.expirationMs);
    if (step.headers !== undefined) options.headers = step.headers;
    const acked = await new Promise<boolean>((resolve) => {
      this.publisher.publish(step.exchange ?? '', step.key, Buffer.from(step.id), options, (error) => resolve(error === null || error === undefined));
    });
    const observation: Observation = { step: this.step, op: 'publish', id: step.id, confirm: acked ? 'ack' : 'nack' };
    const returned = this.returns.get(step.id);
    if (returned !== undefined) observation.returned = returned;
    this.buffer.push(observation);
  }

  private async consume(step: Extract<Step, { op: 'consume' }>): Promise<void> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => {});
    if (step.prefetch !== undefined) await channel.prefetch(step.prefetch);
    this.consumers.set(step.tag, channel);
    try {
      await channel.consume(
        step.queue,
        (message) => {
          if (message === null) return;
          this.lastEventAt = performance.now();
          if (step.noAck !== true) this.held.set(message.content.toString('utf8'), { channel, message });
          this.buffer.push({ step: this.step, op: 'deliver', consumer: step.tag, ...seen(message) });
        },
        { consumerTag: step.tag, exclusive: step.exclusive === true, noAck: step.noAck === true },
      );
    } catch (error) {
      this.consumers.delete(step.tag);
      throw error;
    }
  }

  private settle(step: Extract<Step, { op: 'ack' | 'nack' | 'reject' }>): void {
    const held = this.held.get(step.id);
    if (held === undefined) throw new Error(`case bug: no delivery of '${step.id}' to ${step.op}`);
    if (step.op === 'ack') held.channel.ack(held.message, step.multiple === true);
    else if (step.op === 'nack') held.channel.nack(held.message, step.multiple === true, step.requeue !== false);
    else held.channel.reject(held.message, step.requeue !== false);
  }

  /** Deletes what the case declared, so the next case on the same broker starts clean. */
  async cleanUp(testCase: Case): Promise<void> {
    for (const channel of this.consumers.values()) await channel.close().catch(() => {});
    const channel = await this.connection.createChannel();
    channel.on('error', () => {});
    for (const step of testCase.steps) {
      if (step.op === 'queue') await channel.deleteQueue(step.name).catch(() => {});
    }
    for (const step of testCase.steps) {
      if (step.op === 'exchange') await channel.deleteExchange(step.name).catch(() => {});
    }
    await channel.close().catch(() => {});
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
