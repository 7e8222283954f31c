import type { Broker, ExchangeType } from '../../engine/index.ts';
import type { Scenario } from '../scenario/schema.ts';

/** Declares the scenario's exchanges, queues (with their options) and bindings on a broker; idempotent, as clients do on connect. */
export function declareTopology(broker: Broker, spec: Scenario['broker']): void {
  for (const e of spec.exchanges) {
    broker.declareExchange(e.name, e.type as ExchangeType, { durable: e.durable, ...(e.alternateExchange !== undefined ? { alternateExchange: e.alternateExchange } : {}) });
  }
  for (const { name, ...options } of spec.queues) broker.declareQueue(name, stripUndefined(options));
  for (const b of spec.bindings) broker.bindQueue(b.queue, b.exchange, b.bindingKey, b.args);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
