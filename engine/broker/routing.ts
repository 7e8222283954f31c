import type { Exchange } from '../routing/exchange.ts';
import type { HeaderValue } from '../types.ts';
import type { BrokerCore } from './core.ts';

/**
 * Where a message published to `source` goes: the queues its bindings select or, if none, those
 * of its alternate exchange chain (a chain that loops back ends the search). RabbitMQ's
 * rabbit_exchange:route, alternate exchanges included.
 */
export class Router {
  private readonly scratch = new Set<string>();

  constructor(private readonly core: BrokerCore) {}

  route(source: Exchange, routingKey: string, headers: Record<string, HeaderValue> | undefined): string[] {
    const queues = this.core.queues;
    // The default exchange (no bindings, no alternate) is most of the traffic: no set, no copying.
    if (source.name === '') return queues.has(routingKey) ? [routingKey] : [];
    const out = this.scratch;
    out.clear();
    source.route(routingKey, headers, out);
    if (out.size === 0 && source.alternateExchange !== undefined) this.routeAlternates(source, routingKey, headers, out);
    const targets = out.size === 1 ? [out.values().next().value as string] : [...out];
    out.clear();
    return targets;
  }

  private routeAlternates(source: Exchange, routingKey: string, headers: Record<string, HeaderValue> | undefined, out: Set<string>): void {
    const exchanges = this.core.exchanges;
    const visited = [source];
    const nextOf = (e: Exchange) => (e.alternateExchange === undefined ? undefined : exchanges.get(e.alternateExchange));
    for (let next = nextOf(source); next !== undefined && !visited.includes(next); next = nextOf(next)) {
      visited.push(next);
      if (next.name === '') {
        if (this.core.queues.has(routingKey)) out.add(routingKey);
      } else {
        next.route(routingKey, headers, out);
      }
      if (out.size > 0) break;
    }
  }
}
