import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { recoverOn, simulatedDisk } from '../durable/testing.ts';
import { Broker, type BrokerObserver, type Delivery } from '../index.ts';

// RabbitMQ's dead-lettering guide (rabbitmq.com/docs/dlx): the dead-lettered copy is published to
// the queue's DLX with the dead-letter routing key if one is set, otherwise with the message's own
// routing key; a DLX that does not exist drops the message (no error for the publisher); a DLX
// that routes it nowhere drops it; a rejection-free cycle is dropped; the original leaves its queue
// in every case.

function setup() {
  const events: string[] = [];
  const observer: BrokerObserver = {
    dropped: (queue, _p, why) => events.push(`dropped ${queue}: ${why}`),
    deadLettered: (queue, _p, reason) => events.push(`dead-lettered ${queue}: ${reason}`),
  };
  const loop = new EventLoop();
  const broker = new Broker({ clock: loop, random: randomStreams(3).stream('broker'), observer });
  return { loop, broker, events };
}

const text = (d: Delivery | undefined) => (d === undefined ? undefined : new TextDecoder().decode(d.body));

describe('dead-letter routing', () => {
  it('a direct DLX routes by the dead-letter routing key when set', () => {
    const { broker } = setup();
    broker.declareExchange('dlx', 'direct');
    broker.declareQueue('by-original');
    broker.declareQueue('by-dlrk');
    broker.bindQueue('by-original', 'dlx', 'orders');
    broker.bindQueue('by-dlrk', 'dlx', 'parked');
    broker.declareExchange('in', 'direct');
    broker.declareQueue('work', { deadLetterExchange: 'dlx', deadLetterRoutingKey: 'parked' });
    broker.bindQueue('work', 'in', 'orders');
    broker.publish('in', 'orders', 'm');
    broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
    const dead = broker.get('by-dlrk')!;
    expect([text(dead), dead.exchange, dead.routingKey]).toEqual(['m', 'dlx', 'parked']);
    expect(dead.deaths[0]).toMatchObject({ exchange: 'in', routingKeys: ['orders'] });
    expect(broker.queueInfo('by-original').ready).toBe(0);
  });

  it('without a dead-letter routing key the message keeps its own routing key', () => {
    const { broker } = setup();
    broker.declareExchange('dlx', 'direct');
    broker.declareQueue('by-original');
    broker.bindQueue('by-original', 'dlx', 'orders');
    broker.declareExchange('in', 'direct');
    broker.declareQueue('work', { deadLetterExchange: 'dlx' });
    broker.bindQueue('work', 'in', 'orders');
    broker.publish('in', 'orders', 'm');
    broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
    expect(broker.get('by-original')?.routingKey).toBe('orders');
  });

  it('a DLX that does not exist drops the message, and the queue is left empty', () => {
    const { broker, events } = setup();
    broker.declareQueue('work', { deadLetterExchange: 'missing' });
    broker.publish('', 'work', 'm');
    broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
    expect(broker.queueInfo('work')).toMatchObject({ ready: 0, unacked: 0 });
    expect(events).toEqual(['dead-lettered work: rejected', "dropped work: dead-letter exchange 'missing' does not exist"]);
  });

  it('a DLX that routes the message nowhere drops it', () => {
    const { broker, events } = setup();
    broker.declareExchange('dlx', 'direct');
    broker.declareQueue('work', { deadLetterExchange: 'dlx' });
    broker.publish('', 'work', 'm');
    broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
    expect(events).toEqual(['dead-lettered work: rejected', "dropped work: dead-letter exchange 'dlx' routed it nowhere"]);
  });

  it('a fanout DLX copies the message to every bound queue, each with the same death history', () => {
    const { broker } = setup();
    broker.declareExchange('dlx', 'fanout');
    for (const q of ['d1', 'd2']) {
      broker.declareQueue(q);
      broker.bindQueue(q, 'dlx', '');
    }
    broker.declareQueue('work', { deadLetterExchange: 'dlx' });
    broker.publish('', 'work', 'm');
    broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
    for (const q of ['d1', 'd2']) expect(broker.get(q)!.deaths).toEqual([{ queue: 'work', reason: 'rejected', count: 1, timeMs: 0, exchange: '', routingKeys: ['work'] }]);
  });
});

describe('cycles', () => {
  it('a queue rejecting into itself is no cycle: the message comes back, its rejected count going up', () => {
    const { broker } = setup();
    broker.declareQueue('self', { deadLetterExchange: '' }); // default exchange, own name as key
    broker.publish('', 'self', 'm');
    broker.reject(broker.get('self')!.deliveryTag, { requeue: false });
    broker.reject(broker.get('self')!.deliveryTag, { requeue: false });
    const back = broker.get('self')!;
    expect(back.deaths).toEqual([{ queue: 'self', reason: 'rejected', count: 2, timeMs: 0, exchange: '', routingKeys: ['self'] }]);
  });

  it('an expiry cycle through two queues is dropped when it reaches the first queue again', () => {
    const { broker, loop, events } = setup();
    broker.declareQueue('a', { messageTtlMs: 10, deadLetterExchange: '', deadLetterRoutingKey: 'b' });
    broker.declareQueue('b', { messageTtlMs: 10, deadLetterExchange: '', deadLetterRoutingKey: 'a' });
    broker.publish('', 'a', 'm');
    loop.run({ untilMs: 10 });
    expect(broker.queueInfo('b').ready).toBe(1);
    loop.run({ untilMs: 1000 });
    expect(broker.queueInfo('a').ready + broker.queueInfo('b').ready).toBe(0);
    expect(events.filter((e) => e.startsWith('dropped'))).toEqual(['dropped a: dead-letter cycle']);
  });
});

describe('limits and reporting', () => {
  // README differences table, `dead-letter-depth`: a chain nested more than 32 deep is cut, the
  // message dropped and reported.
  it('a chain of overflowing queues more than 32 deep is cut at depth 32 and reported', () => {
    const { broker, events } = setup();
    const n = 40;
    for (let i = 0; i < n; i++) {
      broker.declareQueue(`q${i}`, { maxLength: 1, overflow: 'drop-head', deadLetterExchange: '', deadLetterRoutingKey: `q${i + 1}` });
      broker.publish('', `q${i}`, `old${i}`);
    }
    broker.publish('', 'q0', 'new');
    expect(events.filter((e) => e.startsWith('dropped'))).toEqual(['dropped q32: dead-letter chain too deep']);
    // q1..q32 each received their predecessor's head; q33 and beyond were never reached.
    expect(broker.queueInfo('q32').ready).toBe(1);
    expect(broker.queueInfo('q33').ready).toBe(1);
    expect(new TextDecoder().decode(broker.get('q33')!.body)).toBe('old33');
    // The depth counter unwinds: the next chain is cut at the same place, not earlier.
    events.length = 0;
    broker.publish('', 'q0', 'again');
    expect(events.filter((e) => e.startsWith('dropped'))).toEqual(['dropped q32: dead-letter chain too deep']);
  });

  it('a queue without a DLX reports the death but no drop, and a broker without an observer drops silently', () => {
    const { broker, events } = setup();
    broker.declareQueue('plain');
    broker.publish('', 'plain', 'm');
    broker.reject(broker.get('plain')!.deliveryTag, { requeue: false });
    expect(events).toEqual(['dead-lettered plain: rejected']);

    const quiet = new Broker({ clock: new EventLoop(), random: randomStreams(3).stream('broker') });
    quiet.declareExchange('dlx', 'direct');
    quiet.declareQueue('a', { deadLetterExchange: 'missing' });
    quiet.declareQueue('b', { deadLetterExchange: 'dlx' });
    quiet.declareQueue('self', { deadLetterExchange: '', messageTtlMs: 0 });
    for (const q of ['a', 'b']) {
      quiet.publish('', q, 'm');
      expect(() => quiet.reject(quiet.get(q)!.deliveryTag, { requeue: false })).not.toThrow();
    }
    expect(() => quiet.publish('', 'self', 'm')).not.toThrow();
  });
});

describe('observers without a dropped hook, and durability', () => {
  it('an observer that only watches dead-lettering sees every drop case go by without error', () => {
    const loop = new EventLoop();
    const seen: string[] = [];
    const broker = new Broker({ clock: loop, random: randomStreams(3).stream('broker'), observer: { deadLettered: (q, _p, r) => seen.push(`${q}:${r}`) } });
    broker.declareExchange('dlx', 'direct');
    broker.declareQueue('missing', { deadLetterExchange: 'nope' });
    broker.declareQueue('nowhere', { deadLetterExchange: 'dlx' });
    broker.declareQueue('loop', { messageTtlMs: 0, deadLetterExchange: '' });
    for (let i = 0; i < 34; i++) broker.declareQueue(`c${i}`, { maxLength: 1, overflow: 'drop-head', deadLetterExchange: '', deadLetterRoutingKey: `c${i + 1}` });
    for (const q of ['missing', 'nowhere']) {
      broker.publish('', q, 'm');
      broker.reject(broker.get(q)!.deliveryTag, { requeue: false });
    }
    broker.publish('', 'loop', 'm');
    loop.run();
    for (let i = 0; i < 34; i++) broker.publish('', `c${i}`, 'old');
    broker.publish('', 'c0', 'new');
    expect(seen.slice(0, 3)).toEqual(['missing:rejected', 'nowhere:rejected', 'loop:expired']);
    expect(seen.filter((s) => s.endsWith(':maxlen'))).toHaveLength(33);
  });

  it('a dead-lettered persistent message of a durable queue does not come back after a crash', () => {
    const { loop, disk } = simulatedDisk();
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('work', { durable: true });
    broker.publish('', 'work', 'm', { persistent: true });
    broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(after.queueInfo('work')).toMatchObject({ ready: 0, unacked: 0 });
  });
});
