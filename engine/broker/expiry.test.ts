import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { Broker, type Delivery } from '../index.ts';

// Message TTL as RabbitMQ's TTL guide (rabbitmq.com/docs/ttl) states it: a message expires once it
// has been in the queue for its TTL (the lower of the queue's x-message-ttl and its own expiration),
// and is then dead-lettered as `expired` (or dropped without a DLX); purging removes ready messages;
// messages held by a consumer are not expired. (Our engine expires every message at its own time,
// not only at the head: see the README's differences table.)

function setup() {
  const loop = new EventLoop();
  const broker = new Broker({ clock: loop, random: randomStreams(5).stream('broker') });
  broker.declareExchange('dlx', 'fanout');
  broker.declareQueue('dead');
  broker.bindQueue('dead', 'dlx', '');
  const diedAt: [string, number][] = [];
  broker.consume('dead', { autoAck: true }, (d: Delivery) => diedAt.push([new TextDecoder().decode(d.body), loop.now()]));
  return { loop, broker, diedAt };
}

describe('message TTL', () => {
  it('messages with the same deadline all expire at it, in arrival order, and not a millisecond before', () => {
    const { broker, loop, diedAt } = setup();
    broker.declareQueue('q', { messageTtlMs: 50, deadLetterExchange: 'dlx' });
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    loop.run({ untilMs: 49 });
    expect(broker.queueInfo('q').ready).toBe(3);
    loop.run({ untilMs: 50 });
    expect(diedAt).toEqual([['a', 50], ['b', 50], ['c', 50]]);
    expect(broker.queueInfo('q').ready).toBe(0);
  });

  it('a later message with an earlier deadline brings the queue timer forward; the later ones keep theirs', () => {
    const { broker, loop, diedAt } = setup();
    broker.declareQueue('q', { deadLetterExchange: 'dlx' });
    broker.publish('', 'q', 'late', { expirationMs: 300 });
    loop.run({ untilMs: 100 });
    broker.publish('', 'q', 'early', { expirationMs: 50 });
    broker.publish('', 'q', 'mid', { expirationMs: 150 });
    loop.run();
    expect(diedAt).toEqual([['early', 150], ['mid', 250], ['late', 300]]);
  });

  it('after a purge the queue timer is gone, and messages published later still expire at their own time', () => {
    const { broker, loop, diedAt } = setup();
    broker.declareQueue('q', { messageTtlMs: 100, deadLetterExchange: 'dlx' });
    broker.publish('', 'q', 'purged');
    loop.run({ untilMs: 20 });
    expect(broker.purgeQueue('q')).toBe(1);
    broker.publish('', 'q', 'kept', { expirationMs: 30 });
    loop.run({ untilMs: 1000 });
    expect(diedAt).toEqual([['kept', 50]]);
  });

  it('a purge also removes messages waiting out a retry backoff: they never come back', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 100 } });
    broker.publish('', 'q', 'm');
    broker.nack(broker.get('q')!.deliveryTag);
    expect(broker.queueInfo('q').delayed).toBe(1);
    expect(broker.purgeQueue('q')).toBe(1);
    loop.run({ untilMs: 1000 });
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, delayed: 0, unacked: 0 });
  });

  it('a deleted queue expires nothing, and a queue of the same name declared later is not touched by the old timer', () => {
    const { broker, loop, diedAt } = setup();
    broker.declareQueue('q', { messageTtlMs: 100, deadLetterExchange: 'dlx' });
    broker.publish('', 'q', 'old');
    broker.deleteQueue('q');
    broker.declareQueue('q');
    broker.publish('', 'q', 'new');
    loop.run({ untilMs: 1000 });
    expect(diedAt).toEqual([]);
    expect(broker.queueInfo('q').ready).toBe(1);
  });

  it('a message requeued by a nack keeps its original deadline', () => {
    const { broker, loop, diedAt } = setup();
    broker.declareQueue('q', { messageTtlMs: 100, deadLetterExchange: 'dlx' });
    broker.publish('', 'q', 'm');
    loop.run({ untilMs: 40 });
    broker.nack(broker.get('q')!.deliveryTag, { requeue: true });
    loop.run();
    expect(diedAt).toEqual([['m', 100]]);
  });
});
