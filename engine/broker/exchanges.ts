import { bindingRecord } from '../durable/durability.ts';
import { EngineError } from '../errors.ts';
import { firstDifference, parseExchangeOptions } from '../options.ts';
import type { Queue } from '../queue/queue.ts';
import { Exchange } from '../routing/exchange.ts';
import { isXMatch } from '../routing/headersMatch.ts';
import type { ExchangeOptions, ExchangeType, HeaderValue } from '../types.ts';
import type { BrokerCore } from './core.ts';

const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers'];

const isReserved = (name: string) => name === '' || name.startsWith('amq.');

/** exchange.declare, exchange.delete, queue.bind and queue.unbind (RabbitMQ's rules for reserved names and redeclaration). */
export class Exchanges {
  constructor(private readonly core: BrokerCore) {}

  declare(name: string, type: ExchangeType, options?: ExchangeOptions): void {
    const { core } = this;
    core.checkOpen();
    requireString('exchange name', name);
    if (!EXCHANGE_TYPES.includes(type)) {
      throw new EngineError('INVALID_ARGUMENT', `declareExchange('${name}'): type must be one of ${EXCHANGE_TYPES.join(', ')}, got '${type}'`);
    }
    const parsed = parseExchangeOptions(options, `declareExchange('${name}')`);
    const existing = core.exchanges.get(name);
    if (existing !== undefined) return checkEquivalent(existing, type, parsed);
    if (isReserved(name)) throw new EngineError('ACCESS_REFUSED', `exchange name '${name}' is reserved`);
    core.exchanges.set(name, new Exchange(name, type, parsed.durable === true, parsed.alternateExchange));
    if (parsed.durable === true) core.durability?.declaredExchange(name, type, parsed.alternateExchange);
  }

  delete(name: string, ifUnused: boolean): void {
    const { core } = this;
    core.checkOpen();
    const exchange = core.exchange(name, 'deleteExchange');
    if (isReserved(name)) throw new EngineError('ACCESS_REFUSED', `exchange '${name}' is predeclared and cannot be deleted`);
    if (ifUnused && exchange.bindingCount > 0) {
      throw new EngineError('PRECONDITION_FAILED', `exchange '${name}' in use: it has ${exchange.bindingCount} bindings`);
    }
    core.exchanges.delete(name);
    if (exchange.durable) core.durability?.deletedExchange(name);
  }

  bind(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue>): void {
    this.core.checkOpen();
    const [target, source] = this.bindingEnds(queue, exchange, bindingKey, args, 'bindQueue');
    if (source.bind(target.name, bindingKey, args) && target.durable && source.durable) {
      this.core.durability?.bound(bindingRecord(target.name, exchange, bindingKey, args));
    }
  }

  unbind(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue>): void {
    this.core.checkOpen();
    const [target, source] = this.bindingEnds(queue, exchange, bindingKey, args, 'unbindQueue');
    if (source.unbind(target.name, bindingKey, args) && target.durable && source.durable) {
      this.core.durability?.unbound(bindingRecord(target.name, exchange, bindingKey, args));
    }
  }

  private bindingEnds(queue: string, exchange: string, bindingKey: string, args: Record<string, HeaderValue>, operation: string): [Queue, Exchange] {
    if (exchange === '') throw new EngineError('ACCESS_REFUSED', `${operation}: the default exchange's bindings are implicit and cannot be changed`);
    const source = this.core.exchange(exchange, operation);
    const target = this.core.queue(queue, operation);
    if (typeof bindingKey !== 'string') throw new EngineError('INVALID_ARGUMENT', `${operation}: bindingKey must be a string`);
    if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new EngineError('INVALID_ARGUMENT', `${operation}: args must be an object`);
    for (const [key, value] of Object.entries(args)) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        throw new EngineError('INVALID_ARGUMENT', `${operation}: args.${key} must be a string, number, boolean or null`);
      }
    }
    if (source.type === 'headers' && args['x-match'] !== undefined && !isXMatch(args['x-match'])) {
      throw new EngineError('INVALID_ARGUMENT', `${operation}: args.x-match must be all, any, all-with-x or any-with-x, got '${String(args['x-match'])}'`);
    }
    return [target, source];
  }
}

/** Redeclaring an exchange with the same type and options is a no-op; anything else is refused. */
function checkEquivalent(existing: Exchange, type: ExchangeType, parsed: ExchangeOptions): void {
  const wanted = { type, durable: parsed.durable === true, alternateExchange: parsed.alternateExchange };
  const current = { type: existing.type, durable: existing.durable, alternateExchange: existing.alternateExchange };
  const differs = firstDifference(wanted, current);
  if (differs === undefined) return;
  const name = existing.name;
  if (isReserved(name)) throw new EngineError('ACCESS_REFUSED', `exchange '${name}' is predeclared and cannot be redeclared`);
  throw new EngineError(
    'PRECONDITION_FAILED',
    `inequivalent arg '${differs}' for exchange '${name}': received ${JSON.stringify((wanted as Record<string, unknown>)[differs])} but current is ${JSON.stringify((current as Record<string, unknown>)[differs])}`,
  );
}

export function requireString(what: string, value: unknown): void {
  if (typeof value !== 'string') throw new EngineError('INVALID_ARGUMENT', `${what} must be a string, got ${typeof value}`);
}
