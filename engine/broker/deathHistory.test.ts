import { describe, expect, it } from 'vitest';
import { QueuedMessage } from '../queue/queuedMessage.ts';
import type { DeathEntry, MessageProperties } from '../types.ts';
import { deadLetterProperties, isDeadLetterCycle, recordDeath } from './deathHistory.ts';

// Expectations from RabbitMQ's dead-lettering guide (rabbitmq.com/docs/dlx, "Dead-Lettered
// Messages") and rabbit_dead_letter.erl (3.10+): x-death entries are keyed by (queue, reason),
// newest first; a repeat increments count and moves the entry to the front, keeping its first
// time, exchange, routing keys and original expiration; x-first-death-* are set once; the
// expiration property is removed from the dead-lettered copy; a cycle is dropped only when no
// death in it was a rejection.

function message(options: { properties?: MessageProperties; deaths?: DeathEntry[]; exchange?: string; routingKey?: string } = {}) {
  return new QueuedMessage(1, new Uint8Array(), options.properties ?? {}, options.exchange ?? 'ex', options.routingKey ?? 'rk', 0, Infinity, options.deaths ?? []);
}

const entry = (queue: string, reason: DeathEntry['reason'], count = 1, timeMs = 0): DeathEntry => ({ queue, reason, count, timeMs, exchange: 'x', routingKeys: ['k'] });

describe('recordDeath (x-death)', () => {
  it('a first death is one entry with count 1, the time, the exchange and routing key it was published with', () => {
    expect(recordDeath(message(), 'q', 'rejected', 42)).toEqual([{ queue: 'q', reason: 'rejected', count: 1, timeMs: 42, exchange: 'ex', routingKeys: ['rk'] }]);
  });

  it('keeps the per-message expiration as original-expiration, and only when the message had one', () => {
    const [withTtl] = recordDeath(message({ properties: { expirationMs: 500 } }), 'q', 'expired', 7);
    expect(withTtl).toEqual({ queue: 'q', reason: 'expired', count: 1, timeMs: 7, exchange: 'ex', routingKeys: ['rk'], originalExpirationMs: 500 });
    const [withoutTtl] = recordDeath(message(), 'q', 'expired', 7);
    expect(withoutTtl).not.toHaveProperty('originalExpirationMs');
  });

  it('a new (queue, reason) goes in front of older entries, which are left as they were', () => {
    const old = [entry('a', 'expired'), entry('b', 'rejected')];
    const deaths = recordDeath(message({ deaths: old }), 'c', 'maxlen', 9);
    expect(deaths.map((d) => [d.queue, d.reason, d.count])).toEqual([['c', 'maxlen', 1], ['a', 'expired', 1], ['b', 'rejected', 1]]);
    expect(old).toHaveLength(2); // the message's own history is not mutated
  });

  it('a repeated (queue, reason) counts up and moves to the front, keeping its first time', () => {
    const old = [entry('a', 'expired', 1, 10), entry('b', 'rejected', 3, 20), entry('b', 'expired', 1, 30)];
    const deaths = recordDeath(message({ deaths: old }), 'b', 'rejected', 99);
    expect(deaths).toEqual([entry('b', 'rejected', 4, 20), entry('a', 'expired', 1, 10), entry('b', 'expired', 1, 30)]);
    expect(old[1]!.count).toBe(3);
  });

  it('the same queue with another reason is a different entry', () => {
    const deaths = recordDeath(message({ deaths: [entry('q', 'expired')] }), 'q', 'rejected', 5);
    expect(deaths.map((d) => [d.reason, d.count])).toEqual([['rejected', 1], ['expired', 1]]);
  });
});

describe('isDeadLetterCycle', () => {
  it('no history, or a target not in it, is no cycle', () => {
    expect(isDeadLetterCycle([], 'q')).toBe(false);
    expect(isDeadLetterCycle([entry('a', 'expired')], 'q')).toBe(false);
  });

  it('reaching a queue already in the history with only automatic deaths in between is a cycle', () => {
    expect(isDeadLetterCycle([entry('q', 'expired')], 'q')).toBe(true);
    expect(isDeadLetterCycle([entry('b', 'maxlen'), entry('q', 'expired')], 'q')).toBe(true);
  });

  it('a rejection anywhere from the newest death back to the target breaks the cycle', () => {
    expect(isDeadLetterCycle([entry('q', 'rejected')], 'q')).toBe(false);
    expect(isDeadLetterCycle([entry('b', 'rejected'), entry('q', 'expired')], 'q')).toBe(false);
  });

  it('a rejection older than the target\'s newest entry does not break it', () => {
    expect(isDeadLetterCycle([entry('q', 'expired'), entry('b', 'rejected')], 'q')).toBe(true);
  });
});

describe('deadLetterProperties', () => {
  it('first death: drops the expiration and adds x-first-death-reason, -queue and -exchange, keeping other headers', () => {
    const props = deadLetterProperties(message({ properties: { expirationMs: 100, messageId: 'm', headers: { h: 1 } }, exchange: 'orig' }), 'q', 'expired');
    expect(props).toEqual({ messageId: 'm', headers: { h: 1, 'x-first-death-reason': 'expired', 'x-first-death-queue': 'q', 'x-first-death-exchange': 'orig' } });
  });

  it('later deaths leave the x-first-death headers as they are and still drop an expiration', () => {
    const headers = { 'x-first-death-reason': 'rejected', 'x-first-death-queue': 'first', 'x-first-death-exchange': '' };
    const deaths = [entry('first', 'rejected')];
    expect(deadLetterProperties(message({ properties: { headers, expirationMs: 5 }, deaths }), 'second', 'expired')).toEqual({ headers });
    const kept = { headers, priority: 3 };
    expect(deadLetterProperties(message({ properties: kept, deaths }), 'second', 'expired')).toEqual(kept);
  });
});
