import { describe, expect, it } from 'vitest';
import { recoverOn, simulatedDisk } from '../durable/testing.ts';
import type { Broker, Delivery } from '../index.ts';
import { errorOf, memoryBroker } from './testing.ts';

// basic.publish as RabbitMQ's "Publishers", "Publisher Confirms" and "Queue Length Limit" guides
// describe it: publishing to an exchange that does not exist is 404 NOT_FOUND; priority is an
// octet (0–255) and the per-message TTL a non-negative number; with `x-overflow: reject-publish`
// a full queue refuses the message and the publisher gets a nack (basic.nack) if any routed queue
// refused it, an ack otherwise; `reject-publish-dlx` also dead-letters the refused message
// (reason `maxlen`); with the default `drop-head` the oldest messages are dead-lettered (`maxlen`)
// to make room; a message routed nowhere is still confirmed (ack).

function setup() {
  const { loop, broker } = memoryBroker(13);
  broker.declareExchange('dlx', 'fanout');
  broker.declareQueue('dead');
  broker.bindQueue('dead', 'dlx', '');
  return { loop, broker };
}

const text = (d: Delivery) => new TextDecoder().decode(d.body);

function dead(broker: Broker): string[] {
  const out: string[] = [];
  for (let d = broker.get('dead', { autoAck: true }); d !== undefined; d = broker.get('dead', { autoAck: true })) {
    out.push(`${text(d)}:${d.deaths[0]!.reason}:${d.deaths[0]!.queue}`);
  }
  return out;
}

function ready(broker: Broker, queue: string): string[] {
  const out: string[] = [];
  for (let d = broker.get(queue, { autoAck: true }); d !== undefined; d = broker.get(queue, { autoAck: true })) out.push(text(d));
  return out;
}

describe('publish arguments', () => {
  it('an unknown exchange is NOT_FOUND naming it; the routing key must be a string; the body bytes or text', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    const missing = errorOf(() => broker.publish('nope', 'q', 'm'));
    expect(missing?.code).toBe('NOT_FOUND');
    expect(missing?.message).toContain("'nope'");
    expect(errorOf(() => broker.publish('', 3 as unknown as string, 'm'))?.code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => broker.publish('', 'q', 42 as unknown as string))?.code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => broker.publish('', 'q', 'm', null as never))?.code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => broker.publish('', 'q', 'm', 'persistent' as never))?.code).toBe('INVALID_ARGUMENT');
    broker.publish('', 'q', new Uint8Array([104, 105]));
    expect(ready(broker, 'q')).toEqual(['hi']);
  });

  it('priority must be a whole number 0–255 and expirationMs a finite number ≥ 0; the bounds themselves are accepted', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const priority of [-1, 256, 1.5, Number.NaN]) {
      const error = errorOf(() => broker.publish('', 'q', 'm', { priority }));
      expect(error?.code).toBe('INVALID_ARGUMENT');
      expect(error?.message).toContain('priority');
    }
    for (const expirationMs of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
      const error = errorOf(() => broker.publish('', 'q', 'm', { expirationMs }));
      expect(error?.code).toBe('INVALID_ARGUMENT');
      expect(error?.message).toContain('expirationMs');
    }
    expect(broker.queueInfo('q').ready).toBe(0);
    broker.publish('', 'q', 'p0', { priority: 0 });
    broker.publish('', 'q', 'p255', { priority: 255 });
    broker.publish('', 'q', 'e0', { expirationMs: 0 });
    broker.publish('', 'q', 'e5', { expirationMs: 5 });
    expect(broker.queueInfo('q').ready).toBe(4);
  });
});

describe('max-length overflow', () => {
  it('reject-publish: a full queue refuses, the publisher is nacked, nothing is dead-lettered', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 2, overflow: 'reject-publish', deadLetterExchange: 'dlx' });
    const confirms: boolean[] = [];
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m, {}, (ok) => confirms.push(ok));
    expect(confirms).toEqual([true, true, false]);
    expect(ready(broker, 'q')).toEqual(['a', 'b']);
    expect(dead(broker)).toEqual([]);
  });

  it('reject-publish-dlx: the refused message is dead-lettered with reason maxlen; the queue keeps the old ones', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 1, overflow: 'reject-publish-dlx', deadLetterExchange: 'dlx' });
    const first = broker.publish('', 'q', 'a');
    const second = broker.publish('', 'q', 'b');
    expect(first).toMatchObject({ queues: ['q'], rejected: [], unroutable: false });
    expect(second).toMatchObject({ queues: [], rejected: ['q'], unroutable: false });
    expect(dead(broker)).toEqual(['b:maxlen:q']);
    expect(ready(broker, 'q')).toEqual(['a']);
  });

  it('drop-head: the oldest messages are dead-lettered with reason maxlen, the publish is accepted', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 2, deadLetterExchange: 'dlx' });
    const confirms: boolean[] = [];
    for (const m of ['a', 'b', 'c', 'd']) broker.publish('', 'q', m, {}, (ok) => confirms.push(ok));
    expect(confirms).toEqual([true, true, true, true]);
    expect(dead(broker)).toEqual(['a:maxlen:q', 'b:maxlen:q']);
    expect(ready(broker, 'q')).toEqual(['c', 'd']);
  });

  it('maxLength 0 with drop-head still reaches a consumer that has room; without one the message is dropped', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 0, deadLetterExchange: 'dlx' });
    broker.publish('', 'q', 'nobody');
    expect(dead(broker)).toEqual(['nobody:maxlen:q']);
    const got: string[] = [];
    broker.consume('q', { prefetch: 1 }, (d) => got.push(text(d)));
    broker.publish('', 'q', 'taken');
    broker.publish('', 'q', 'over'); // the consumer is at its prefetch: no room
    expect(got).toEqual(['taken']);
    expect(dead(broker)).toEqual(['over:maxlen:q']);
  });

  it('an unlimited-prefetch consumer takes every publish, even over maxLength', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 1, deadLetterExchange: 'dlx' });
    const got: string[] = [];
    broker.consume('q', { prefetch: 0 }, (d) => got.push(text(d)));
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    expect(got).toEqual(['a', 'b', 'c']);
    expect(dead(broker)).toEqual([]);
  });

  it('maxLength 0 with a consumer without a prefetch limit: every publish reaches it', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 0, deadLetterExchange: 'dlx' });
    const got: string[] = [];
    broker.consume('q', { prefetch: 0 }, (d) => got.push(text(d)));
    for (const m of ['a', 'b']) broker.publish('', 'q', m);
    expect(got).toEqual(['a', 'b']);
    expect(dead(broker)).toEqual([]);
  });

  it('room is summed over consumers: two with prefetch 1 take two publishes beyond maxLength 0', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 0, deadLetterExchange: 'dlx' });
    const got: string[] = [];
    broker.consume('q', { prefetch: 1 }, (d) => got.push(`1${text(d)}`));
    broker.consume('q', { prefetch: 1 }, (d) => got.push(`2${text(d)}`));
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    expect(got).toEqual(['1a', '2b']);
    expect(dead(broker)).toEqual(['c:maxlen:q']);
  });
});

describe('routing to several queues', () => {
  it('a refusal by one routed queue nacks the publish; the others keep their copy', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'fanout');
    for (const q of ['a', 'full', 'b']) {
      broker.declareQueue(q, q === 'full' ? { maxLength: 0, overflow: 'reject-publish' } : {});
      broker.bindQueue(q, 'x', '');
    }
    const confirms: boolean[] = [];
    const result = broker.publish('x', '', 'm', {}, (ok) => confirms.push(ok));
    expect([...result.queues].sort()).toEqual(['a', 'b']);
    expect(result.rejected).toEqual(['full']);
    expect(result.duplicates).toEqual([]);
    expect(confirms).toEqual([false]);
    expect(ready(broker, 'a')).toEqual(['m']);
    expect(ready(broker, 'b')).toEqual(['m']);
  });

  it('a duplicate messageId within the dedup window is a duplicate for that queue only, and still confirmed', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'fanout');
    broker.declareQueue('d', { dedupWindowMs: 60_000 });
    broker.declareQueue('plain');
    broker.declareQueue('later');
    broker.bindQueue('d', 'x', '');
    broker.bindQueue('plain', 'x', '');
    broker.bindQueue('later', 'x', '');
    broker.publish('x', '', 'first', { messageId: 'id-1' });
    const confirms: boolean[] = [];
    const again = broker.publish('x', '', 'second', { messageId: 'id-1' }, (ok) => confirms.push(ok));
    expect([...again.queues].sort()).toEqual(['later', 'plain']);
    expect(again.duplicates).toEqual(['d']);
    expect(again.rejected).toEqual([]);
    expect(confirms).toEqual([true]);
    expect(ready(broker, 'd')).toEqual(['first']);
    expect(ready(broker, 'plain')).toEqual(['first', 'second']);
  });

  it('deduplication applies only to messages that carry a messageId', () => {
    const { broker } = setup();
    broker.declareQueue('d', { dedupWindowMs: 60_000 });
    broker.publish('', 'd', 'one');
    const two = broker.publish('', 'd', 'two');
    expect(two.duplicates).toEqual([]);
    expect(ready(broker, 'd')).toEqual(['one', 'two']);
  });

  it('a message routed nowhere is unroutable and still acked; one routed everywhere lists every queue', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'direct');
    broker.declareQueue('q');
    broker.bindQueue('q', 'x', 'k');
    const confirms: boolean[] = [];
    const lost = broker.publish('x', 'other', 'm', {}, (ok) => confirms.push(ok));
    expect(lost).toEqual({ queues: [], rejected: [], duplicates: [], unroutable: true });
    const routed = broker.publish('x', 'k', 'm', {}, (ok) => confirms.push(ok));
    expect(routed).toEqual({ queues: ['q'], rejected: [], duplicates: [], unroutable: false });
    expect(confirms).toEqual([true, true]);
  });
});

describe('confirms and persistence', () => {
  it('a persistent message on a durable queue is confirmed once on disk; a transient one at once, without waiting for it', () => {
    const { loop, disk } = simulatedDisk(31);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('q', { durable: true });
    loop.run({ untilMs: 50 });
    const confirms: string[] = [];
    broker.publish('', 'q', 'p', { persistent: true }, (ok) => confirms.push(`p:${ok}`));
    expect(confirms).toEqual([]); // not yet on disk
    broker.publish('', 'q', 't', { persistent: false }, (ok) => confirms.push(`t:${ok}`));
    expect(confirms).toEqual(['t:true']);
    loop.run({ untilMs: 200 });
    expect(confirms).toEqual(['t:true', 'p:true']);
  });

  it('a broker without storage accepts persistent messages on durable queues and confirms them at once', () => {
    const { broker } = setup();
    broker.declareQueue('q', { durable: true });
    const confirms: boolean[] = [];
    broker.publish('', 'q', 'p', { persistent: true }, (ok) => confirms.push(ok));
    expect(confirms).toEqual([true]);
    expect(ready(broker, 'q')).toEqual(['p']);
  });

  it('with reject-publish a requeue may leave the queue over its limit: nothing is dropped (only drop-head drops)', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 1, overflow: 'reject-publish', deadLetterExchange: 'dlx' });
    broker.publish('', 'q', 'a');
    const a = broker.get('q')!;
    broker.publish('', 'q', 'b');
    broker.nack(a.deliveryTag, { requeue: true });
    expect(broker.queueInfo('q').ready).toBe(2);
    expect(dead(broker)).toEqual([]);
    expect(ready(broker, 'q')).toEqual(['a', 'b']);
  });
});
