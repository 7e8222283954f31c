import type { ExchangeType, HeaderValue } from '../types.ts';
import { headersMatch } from './headersMatch.ts';
import { TopicTrie } from './topicTrie.ts';

export interface Binding {
  queue: string;
  bindingKey: string;
  args: Record<string, HeaderValue>;
}

/**
 * An exchange and its bindings. `route` adds to `out` every queue a message with this routing key
 * and these headers reaches through this exchange's own bindings (the broker follows the alternate
 * exchange). Each type keeps the index that makes its routing cheap: a map by key for direct, a
 * set for fanout, a trie for topic, a list for headers (whose bindings are few and each needs testing).
 */
export class Exchange {
  private readonly bindingsById = new Map<string, Binding>();
  private readonly direct = new Map<string, Set<string>>();
  private readonly fanoutQueues = new Map<string, number>(); // queue → bindings to it
  private readonly trie = new TopicTrie();

  constructor(
    readonly name: string,
    readonly type: ExchangeType,
    readonly durable: boolean,
    readonly alternateExchange: string | undefined,
  ) {}

  get bindingCount(): number {
    return this.bindingsById.size;
  }

  bindings(): Binding[] {
    return [...this.bindingsById.values()];
  }

  /** Returns false if the same binding existed already (binding is idempotent in AMQP). */
  bind(queue: string, bindingKey: string, args: Record<string, HeaderValue>): boolean {
    const id = bindingId(queue, bindingKey, args);
    if (this.bindingsById.has(id)) return false;
    this.bindingsById.set(id, { queue, bindingKey, args });
    switch (this.type) {
      case 'direct': {
        let queues = this.direct.get(bindingKey);
        if (queues === undefined) this.direct.set(bindingKey, (queues = new Set()));
        queues.add(queue);
        break;
      }
      case 'fanout':
        this.fanoutQueues.set(queue, (this.fanoutQueues.get(queue) ?? 0) + 1);
        break;
      case 'topic':
        this.trie.bind(bindingKey, queue);
        break;
      case 'headers':
        break;
    }
    return true;
  }

  unbind(queue: string, bindingKey: string, args: Record<string, HeaderValue>): boolean {
    const id = bindingId(queue, bindingKey, args);
    if (!this.bindingsById.delete(id)) return false;
    switch (this.type) {
      case 'direct': {
        const queues = this.direct.get(bindingKey)!;
        queues.delete(queue);
        if (queues.size === 0) this.direct.delete(bindingKey);
        break;
      }
      case 'fanout': {
        const left = this.fanoutQueues.get(queue)! - 1;
        if (left === 0) this.fanoutQueues.delete(queue);
        else this.fanoutQueues.set(queue, left);
        break;
      }
      case 'topic':
        this.trie.unbind(bindingKey, queue);
        break;
      case 'headers':
        break;
    }
    return true;
  }

  /** Removes every binding to `queue` (the queue was deleted). */
  unbindQueue(queue: string): void {
    for (const binding of this.bindings()) {
      if (binding.queue === queue) this.unbind(binding.queue, binding.bindingKey, binding.args);
    }
  }

  route(routingKey: string, headers: Record<string, HeaderValue> | undefined, out: Set<string>): void {
    switch (this.type) {
      case 'direct': {
        const queues = this.direct.get(routingKey);
        if (queues !== undefined) for (const q of queues) out.add(q);
        return;
      }
      case 'fanout':
        for (const q of this.fanoutQueues.keys()) out.add(q);
        return;
      case 'topic':
        this.trie.match(routingKey, out);
        return;
      case 'headers':
        for (const binding of this.bindingsById.values()) {
          if (headersMatch(binding.args, headers)) out.add(binding.queue);
        }
        return;
    }
  }
}

function bindingId(queue: string, bindingKey: string, args: Record<string, HeaderValue>): string {
  const argKeys = Object.keys(args).sort();
  return argKeys.length === 0
    ? `${queue}\u0000${bindingKey}`
    : `${queue}\u0000${bindingKey}\u0000${JSON.stringify(argKeys.map((k) => [k, args[k]]))}`;
}
