import type { Options } from 'amqplib';
import type { QueueSpec, Scenario } from '../scenario/schema.ts';

/**
 * The scenario's features RabbitMQ has no equivalent of (or that qlab cannot account for on a
 * real broker), each named with why. An empty list means the scenario can run on RabbitMQ.
 */
export function rabbitRefusals(scenario: Scenario, options: { restartCmd?: string } = {}): string[] {
  const refusals: string[] = [];
  scenario.producers.forEach((p, i) => {
    if (p.messageTtlMs !== undefined) refusals.push(`producers[${i}].messageTtlMs: per-message TTL as patience — RabbitMQ expires per-message TTL only at the head of the queue`);
    if (p.confirmWindow !== undefined) refusals.push(`producers[${i}].confirmWindow: the closed-loop confirm window with retries is a qlab publisher, not built for RabbitMQ mode`);
    if (p.exchange !== '' && routingKind(scenario, p.exchange) === undefined) {
      refusals.push(`producers[${i}].exchange '${p.exchange}': topic and headers routing is not mirrored client-side, so arrivals per queue could not be accounted (use the default, direct or fanout exchanges)`);
    }
  });
  scenario.broker.queues.forEach((q, i) => {
    if (q.retry !== undefined) refusals.push(`broker.queues[${i}].retry: delayed retry with backoff has no RabbitMQ queue argument`);
    if (q.dedupWindowMs !== undefined) refusals.push(`broker.queues[${i}].dedupWindowMs: RabbitMQ has no message deduplication without a plugin`);
  });
  scenario.consumers.forEach((c, i) => {
    if (c.failureProbability > 0) refusals.push(`consumers[${i}].failureProbability: failing consumers (nack/requeue) are not built for RabbitMQ mode`);
  });
  if (Object.values(scenario.network).some((l) => l !== undefined)) refusals.push('network: simulated link latencies — on RabbitMQ the network is the real one');
  for (const kind of new Set(scenario.faults.map((f) => f.kind))) {
    if (kind === 'broker-crash') {
      if (options.restartCmd === undefined) refusals.push(`faults 'broker-crash': give --restart-cmd "<shell command>" to restart the broker at the crash times (e.g. --restart-cmd "rabbitmqctl stop_app && rabbitmqctl start_app")`);
      continue;
    }
    refusals.push(`faults '${kind}': fault injection on a RabbitMQ broker is not built (only broker-crash, through --restart-cmd)`);
  }
  return refusals;
}

function routingKind(scenario: Scenario, exchange: string): 'direct' | 'fanout' | undefined {
  const type = scenario.broker.exchanges.find((e) => e.name === exchange)?.type ?? (exchange === 'amq.direct' ? 'direct' : exchange === 'amq.fanout' ? 'fanout' : undefined);
  return type === 'direct' || type === 'fanout' ? type : undefined;
}

/** The queues a publish with this routing key reaches, as RabbitMQ routes it on the default, direct or fanout exchange. */
export function routedQueues(scenario: Scenario, exchange: string, routingKey: string): string[] {
  if (exchange === '') return scenario.broker.queues.some((q) => q.name === routingKey) ? [routingKey] : [];
  const kind = routingKind(scenario, exchange);
  const bound = scenario.broker.bindings.filter((b) => b.exchange === exchange && (kind === 'fanout' || b.bindingKey === routingKey));
  return [...new Set(bound.map((b) => b.queue))];
}

/** RabbitMQ's `x-` arguments for a queue the scenario declares (quorum for a delivery limit). */
export function queueArguments(q: QueueSpec): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (q.maxPriority !== undefined) args['x-max-priority'] = q.maxPriority;
  if (q.messageTtlMs !== undefined) args['x-message-ttl'] = q.messageTtlMs;
  if (q.maxLength !== undefined) args['x-max-length'] = q.maxLength;
  if (q.overflow !== undefined) args['x-overflow'] = q.overflow;
  if (q.deadLetterExchange !== undefined) args['x-dead-letter-exchange'] = q.deadLetterExchange;
  if (q.deadLetterRoutingKey !== undefined) args['x-dead-letter-routing-key'] = q.deadLetterRoutingKey;
  if (q.deliveryLimit !== undefined) {
    // Only quorum queues count deliveries; they are always durable.
    args['x-queue-type'] = 'quorum';
    args['x-delivery-limit'] = q.deliveryLimit;
  }
  return args;
}

export function queueOptions(q: QueueSpec): Options.AssertQueue {
  return { durable: q.durable || q.deliveryLimit !== undefined, autoDelete: false, arguments: queueArguments(q) };
}

export function exchangeOptions(e: Scenario['broker']['exchanges'][number]): Options.AssertExchange {
  return { durable: e.durable, ...(e.alternateExchange !== undefined ? { alternateExchange: e.alternateExchange } : {}) };
}
