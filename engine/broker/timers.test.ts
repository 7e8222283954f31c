import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { Broker } from '../index.ts';

// The broker owns its timers (TTL, retry backoff): purging, deleting a queue or closing the broker
// leaves none that would act on messages that are gone (purge leaves only the queue's TTL timer,
// which expires nothing). Purge reports the new depth, as
// queue.purge-ok reports the count removed.

function setup(depths: string[] = []) {
  const loop = new EventLoop();
  const broker = new Broker({
    clock: loop,
    random: randomStreams(9).stream('broker'),
    observer: { depthChanged: (queue, ready, unacked, delayed) => depths.push(`${queue}:${ready}:${unacked}:${delayed}`) },
  });
  return { loop, broker };
}

describe('timers', () => {
  it('one TTL timer per queue, at its earliest deadline; none once the queue is empty', () => {
    const { loop, broker } = setup();
    broker.declareQueue('q', { messageTtlMs: 100 });
    broker.publish('', 'q', 'a');
    broker.publish('', 'q', 'b', { expirationMs: 10 });
    expect([loop.pending, loop.peekTime()]).toEqual([1, 10]);
    loop.run({ untilMs: 10 });
    expect([loop.pending, loop.peekTime()]).toEqual([1, 100]);
    loop.run();
    expect(loop.pending).toBe(0);
    expect(loop.now()).toBe(100);
  });

  it('purge cancels the TTL timer and the backoff timers, and reports the emptied depth', () => {
    const depths: string[] = [];
    const { loop, broker } = setup(depths);
    broker.declareQueue('q', { messageTtlMs: 1000, retry: { backoff: 'fixed', delayMs: 500 } });
    broker.publish('', 'q', 'a');
    broker.publish('', 'q', 'b');
    broker.nack(broker.get('q')!.deliveryTag);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 1, delayed: 1 });
    depths.length = 0;
    expect(broker.purgeQueue('q')).toBe(2);
    expect(depths).toEqual(['q:0:0:0']);
    // The backoff timer (500) is cancelled; the TTL timer is re-armed at the oldest deadline still in
    // the expiry heap (1000, a purged message's), fires there and expires nothing.
    expect([loop.pending, loop.peekTime()]).toEqual([1, 1000]);
    loop.run();
    expect([loop.pending, loop.now()]).toEqual([0, 1000]);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, delayed: 0, unacked: 0 });
  });

  it('deleting a queue cancels its timers', () => {
    const { loop, broker } = setup();
    broker.declareQueue('q', { messageTtlMs: 1000, retry: { backoff: 'fixed', delayMs: 500 } });
    broker.publish('', 'q', 'a');
    broker.publish('', 'q', 'b');
    broker.nack(broker.get('q')!.deliveryTag);
    broker.deleteQueue('q');
    expect(loop.pending).toBe(0);
  });

  it('closing the broker cancels every queue\'s timers', () => {
    const { loop, broker } = setup();
    for (const q of ['q1', 'q2']) {
      broker.declareQueue(q, { messageTtlMs: 1000, retry: { backoff: 'fixed', delayMs: 500 } });
      broker.publish('', q, 'a');
      broker.publish('', q, 'b');
      broker.nack(broker.get(q)!.deliveryTag);
    }
    broker.close();
    loop.run();
    expect(loop.pending).toBe(0);
    expect(loop.now()).toBeLessThan(500);
  });

  it('a delivery nacked exactly at its expiry time is dead-lettered, not redelivered to the waiting consumer', () => {
    const { loop, broker } = setup();
    broker.declareQueue('dead');
    broker.declareQueue('q', { messageTtlMs: 100, deadLetterExchange: '', deadLetterRoutingKey: 'dead' });
    broker.publish('', 'q', 'm');
    const seen: number[] = [];
    broker.consume('q', { prefetch: 1 }, (d) => {
      seen.push(loop.now());
      loop.setTimer(100, () => broker.nack(d.deliveryTag, { requeue: true }));
    });
    loop.run({ untilMs: 1000 });
    expect(seen).toEqual([0]);
    expect(broker.queueInfo('dead').ready).toBe(1);
  });
});
