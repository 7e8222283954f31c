import { Broker, EngineError, type Delivery, type QueueOptions } from '../../engine/index.ts';
import { isTopologyStep, STEP_QUIET_MS, type Case, type Observation, type QueueArgs, type Step } from './case.ts';
import { ManualClock } from './manualClock.ts';
import { orderStep, seenMessage } from './observe.ts';

/** Replays a case against queuelab's engine in virtual time (a `wait` advances a manual clock exactly). */
export function runOnEngine(testCase: Case): Observation[] {
  const clock = new ManualClock();
  const broker = new Broker({ clock, random: { next: () => 0.5 } });
  const session = new EngineSession(broker, clock);
  const observations: Observation[] = [];
  for (const [index, step] of testCase.steps.entries()) observations.push(...orderStep(session.run(index, step)));
  broker.close();
  return observations;
}

function queueOptions(args: QueueArgs = {}): QueueOptions {
  const options: QueueOptions = {};
  if (args.maxPriority !== undefined) options.maxPriority = args.maxPriority;
  if (args.messageTtlMs !== undefined) options.messageTtlMs = args.messageTtlMs;
  if (args.maxLength !== undefined) options.maxLength = args.maxLength;
  if (args.overflow !== undefined) options.overflow = args.overflow;
  if (args.deadLetterExchange !== undefined) options.deadLetterExchange = args.deadLetterExchange;
  if (args.deadLetterRoutingKey !== undefined) options.deadLetterRoutingKey = args.deadLetterRoutingKey;
  if (args.deliveryLimit !== undefined) options.deliveryLimit = args.deliveryLimit;
  if (args.quorum === true) options.durable = true;
  return options;
}

function seen(delivery: Delivery) {
  const { properties } = delivery;
  return seenMessage({
    id: new TextDecoder().decode(delivery.body),
    redelivered: delivery.redelivered,
    exchange: delivery.exchange,
    routingKey: delivery.routingKey,
    priority: properties.priority,
    expiration: properties.expirationMs === undefined ? undefined : String(properties.expirationMs),
    headers: properties.headers,
    xDeath: delivery.deaths.map(deathEntry),
  });
}

/** A DeathEntry in x-death's words; `original-expiration` if the engine records it (as RabbitMQ does). */
function deathEntry(death: Delivery['deaths'][number]): Record<string, unknown> {
  const entry: Record<string, unknown> = { count: death.count, exchange: death.exchange, queue: death.queue, reason: death.reason, 'routing-keys': [...death.routingKeys] };
  const loose = death as unknown as { originalExpiration?: unknown; originalExpirationMs?: unknown };
  const original = loose.originalExpiration ?? loose.originalExpirationMs;
  if (original !== undefined) entry['original-expiration'] = String(original);
  return entry;
}

class EngineSession {
  private readonly held = new Map<string, number>();
  private buffer: Observation[] = [];
  private step = 0;

  constructor(
    private readonly broker: Broker,
    private readonly clock: ManualClock,
  ) {}

  run(index: number, step: Step): Observation[] {
    this.step = index;
    this.buffer = [];
    try {
      this.perform(step);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      this.buffer.push({ step: index, op: 'error', replyCode: error.replyCode });
    }
    // Timers the step set for "now" (the engine's "on the next turn") fire before the step ends,
    // and the step lasts as long as the RabbitMQ runner's quiet period.
    this.clock.advance(isTopologyStep(step) ? 0 : STEP_QUIET_MS);
    return this.buffer;
  }

  private perform(step: Step): void {
    const broker = this.broker;
    switch (step.op) {
      case 'exchange':
        broker.declareExchange(step.name, step.type, step.alternateExchange !== undefined ? { alternateExchange: step.alternateExchange } : {});
        return;
      case 'queue':
        broker.declareQueue(step.name, queueOptions(step.args));
        return;
      case 'bind':
        broker.bindQueue(step.queue, step.exchange, step.key, step.args ?? {});
        return;
      case 'publish':
        return this.publish(step);
      case 'consume':
        broker.consume(step.queue, { consumerTag: step.tag, prefetch: step.prefetch ?? 0, exclusive: step.exclusive === true, autoAck: step.noAck === true }, (delivery) => {
          const id = new TextDecoder().decode(delivery.body);
          if (step.noAck !== true) this.held.set(id, delivery.deliveryTag);
          this.buffer.push({ step: this.step, op: 'deliver', consumer: step.tag, ...seen(delivery) });
        });
        return;
      case 'cancel':
        broker.cancel(step.tag);
        return;
      case 'get': {
        const delivery = broker.get(step.queue, { autoAck: step.noAck === true });
        if (delivery === undefined) {
          this.buffer.push({ step: this.step, op: 'get-empty' });
          return;
        }
        if (step.noAck !== true) this.held.set(new TextDecoder().decode(delivery.body), delivery.deliveryTag);
        this.buffer.push({ step: this.step, op: 'get', messageCount: broker.queueInfo(step.queue).ready, ...seen(delivery) });
        return;
      }
      case 'ack':
      case 'nack':
      case 'reject':
        return this.settle(step);
      case 'purge':
        this.buffer.push({ step: this.step, op: 'purge', queue: step.queue, messages: broker.purgeQueue(step.queue) });
        return;
      case 'count': {
        const info = broker.queueInfo(step.queue);
        this.buffer.push({ step: this.step, op: 'count', queue: step.queue, messages: info.ready, consumers: info.consumers });
        return;
      }
      case 'wait':
        this.clock.advance(step.ms);
        return;
    }
  }

  private publish(step: Extract<Step, { op: 'publish' }>): void {
    let confirm: 'ack' | 'nack' | undefined;
    const result = this.broker.publish(
      step.exchange ?? '',
      step.key,
      step.id,
      {
        messageId: step.id,
        ...(step.priority !== undefined ? { priority: step.priority } : {}),
        ...(step.expirationMs !== undefined ? { expirationMs: step.expirationMs } : {}),
        ...(step.headers !== undefined ? { headers: step.headers } : {}),
      },
      (ack) => (confirm = ack ? 'ack' : 'nack'),
    );
    if (confirm === undefined) throw new Error(`engine did not confirm '${step.id}' synchronously`);
    const observation: Observation = { step: this.step, op: 'publish', id: step.id, confirm };
    // The engine has no mandatory flag; an unroutable result is what basic.return reports.
    if (step.mandatory === true && result.unroutable) observation.returned = { replyCode: 312, replyText: 'NO_ROUTE' };
    // Deliveries the publish caused were buffered before the confirm; RabbitMQ lists the confirm first too.
    this.buffer = [observation, ...this.buffer.filter((o) => o !== observation)];
  }

  private settle(step: Extract<Step, { op: 'ack' | 'nack' | 'reject' }>): void {
    const tag = this.held.get(step.id);
    if (tag === undefined) throw new Error(`case bug: no delivery of '${step.id}' to ${step.op}`);
    if (step.op === 'ack') this.broker.ack(tag, { multiple: step.multiple === true });
    else if (step.op === 'nack') this.broker.nack(tag, { multiple: step.multiple === true, requeue: step.requeue !== false });
    else this.broker.reject(tag, { requeue: step.requeue !== false });
  }
}
