import { describe, expect, it } from 'vitest';
import { EventLoop } from '../sim/kernel/eventLoop.ts';
import { randomStreams } from '../sim/random/streams.ts';
import { drainBodies, recoverOn, simulatedDisk } from './durable/testing.ts';
import { Broker, EngineError, type BrokerObserver, type Delivery, type QueueOptions } from './index.ts';

/** A broker on the simulator's virtual clock, with a seeded Random. */
function setup(observer?: BrokerObserver) {
  const loop = new EventLoop();
  const broker = new Broker({ clock: loop, random: randomStreams(1).stream('broker'), ...(observer ? { observer } : {}) });
  return { loop, broker };
}

const text = (d: Delivery | undefined) => (d === undefined ? undefined : new TextDecoder().decode(d.body));

function collector(broker: Broker, queue: string, options: { prefetch?: number; autoAck?: boolean } = {}) {
  const deliveries: Delivery[] = [];
  const tag = broker.consume(queue, { prefetch: options.prefetch ?? 0, autoAck: options.autoAck ?? false }, (d) => deliveries.push(d));
  return { deliveries, tag, bodies: () => deliveries.map(text) };
}

function drain(broker: Broker, queue: string): string[] {
  const out: string[] = [];
  for (let d = broker.get(queue, { autoAck: true }); d !== undefined; d = broker.get(queue, { autoAck: true })) out.push(text(d)!);
  return out;
}

function expectEngineError(fn: () => unknown, code: string, message: RegExp) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe(code);
    expect((error as EngineError).message).toMatch(message);
    return;
  }
  throw new Error('expected an EngineError');
}

describe('routing', () => {
  it('the default exchange routes to the queue named by the routing key', () => {
    const { broker } = setup();
    broker.declareQueue('work');
    expect(broker.publish('', 'work', 'hello').queues).toEqual(['work']);
    expect(broker.publish('', 'nowhere', 'lost')).toMatchObject({ queues: [], unroutable: true });
    expect(drain(broker, 'work')).toEqual(['hello']);
  });

  it('direct, fanout, topic and headers exchanges route by their own rules', () => {
    const { broker } = setup();
    for (const q of ['q1', 'q2', 'q3']) broker.declareQueue(q);
    broker.declareExchange('d', 'direct');
    broker.declareExchange('f', 'fanout');
    broker.declareExchange('t', 'topic');
    broker.declareExchange('h', 'headers');
    broker.bindQueue('q1', 'd', 'red');
    broker.bindQueue('q2', 'd', 'blue');
    broker.bindQueue('q1', 'f', 'ignored');
    broker.bindQueue('q2', 'f', '');
    broker.bindQueue('q1', 't', 'order.*.paid');
    broker.bindQueue('q3', 't', 'order.#');
    broker.bindQueue('q2', 'h', '', { 'x-match': 'any', region: 'eu', tier: 'gold' });
    expect(broker.publish('d', 'blue', 'x').queues).toEqual(['q2']);
    expect([...broker.publish('f', 'anything', 'x').queues].sort()).toEqual(['q1', 'q2']);
    expect([...broker.publish('t', 'order.eu.paid', 'x').queues].sort()).toEqual(['q1', 'q3']);
    expect(broker.publish('t', 'order', 'x').queues).toEqual(['q3']);
    expect(broker.publish('h', '', 'x', { headers: { tier: 'gold' } }).queues).toEqual(['q2']);
    expect(broker.publish('h', '', 'x', { headers: { tier: 'silver' } }).unroutable).toBe(true);
  });

  it('a message matched by two bindings to one queue is enqueued once', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.declareExchange('t', 'topic');
    broker.bindQueue('q', 't', 'a.*');
    broker.bindQueue('q', 't', '#');
    expect(broker.publish('t', 'a.b', 'once').queues).toEqual(['q']);
    expect(broker.queueInfo('q').ready).toBe(1);
  });

  it('the alternate exchange receives what no binding matched, and only that', () => {
    const { broker } = setup();
    broker.declareQueue('main');
    broker.declareQueue('unrouted');
    broker.declareExchange('ae', 'fanout');
    broker.declareExchange('orders', 'direct', { alternateExchange: 'ae' });
    broker.bindQueue('unrouted', 'ae', '');
    broker.bindQueue('main', 'orders', 'paid');
    expect(broker.publish('orders', 'paid', 'a').queues).toEqual(['main']);
    expect(broker.publish('orders', 'refunded', 'b').queues).toEqual(['unrouted']);
  });

  it('alternate exchanges that loop back end the search instead of spinning', () => {
    const { broker } = setup();
    broker.declareExchange('a', 'direct', { alternateExchange: 'b' });
    broker.declareExchange('b', 'direct', { alternateExchange: 'a' });
    expect(broker.publish('a', 'x', 'm').unroutable).toBe(true);
  });
});

describe('priority', () => {
  it('delivers higher priorities first, FIFO within a level; no priority is 0, above the maximum is the maximum', () => {
    const { broker } = setup();
    broker.declareQueue('p', { maxPriority: 5 });
    broker.publish('', 'p', 'low-1');
    broker.publish('', 'p', 'mid-1', { priority: 3 });
    broker.publish('', 'p', 'top-1', { priority: 200 });
    broker.publish('', 'p', 'mid-2', { priority: 3 });
    broker.publish('', 'p', 'top-2', { priority: 5 });
    broker.publish('', 'p', 'low-2', { priority: 0 });
    expect(drain(broker, 'p')).toEqual(['top-1', 'top-2', 'mid-1', 'mid-2', 'low-1', 'low-2']);
  });

  it('a queue without maxPriority ignores priorities', () => {
    const { broker } = setup();
    broker.declareQueue('plain');
    broker.publish('', 'plain', 'a', { priority: 1 });
    broker.publish('', 'plain', 'b', { priority: 9 });
    expect(drain(broker, 'plain')).toEqual(['a', 'b']);
  });
});

describe('consumers and acknowledgements', () => {
  it('prefetch caps unacked deliveries per consumer; acking lets the next one through', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (let i = 0; i < 5; i++) broker.publish('', 'q', `m${i}`);
    const c = collector(broker, 'q', { prefetch: 2 });
    expect(c.bodies()).toEqual(['m0', 'm1']);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 3, unacked: 2, consumers: 1 });
    broker.ack(c.deliveries[0]!.deliveryTag);
    expect(c.bodies()).toEqual(['m0', 'm1', 'm2']);
  });

  it('round-robins among consumers with room', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    const a = collector(broker, 'q', { prefetch: 10 });
    const b = collector(broker, 'q', { prefetch: 10 });
    const c = collector(broker, 'q', { prefetch: 1 });
    for (let i = 0; i < 7; i++) broker.publish('', 'q', `m${i}`);
    expect(a.bodies()).toEqual(['m0', 'm3', 'm5']);
    expect(b.bodies()).toEqual(['m1', 'm4', 'm6']);
    expect(c.bodies()).toEqual(['m2']);
  });

  it('autoAck settles on delivery', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    const c = collector(broker, 'q', { prefetch: 1, autoAck: true });
    for (let i = 0; i < 3; i++) broker.publish('', 'q', `m${i}`);
    expect(c.bodies()).toEqual(['m0', 'm1', 'm2']);
    expect(broker.queueInfo('q').unacked).toBe(0);
  });

  it('a consumer that acks from inside its callback drains a deep queue without recursing', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (let i = 0; i < 100_000; i++) broker.publish('', 'q', 'x');
    let seen = 0;
    broker.consume('q', { prefetch: 1 }, (d) => {
      seen++;
      broker.ack(d.deliveryTag);
    });
    expect(seen).toBe(100_000);
  });

  it('ack multiple settles that consumer’s deliveries up to the tag, not another consumer’s', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    const a = collector(broker, 'q', { prefetch: 3 });
    const b = collector(broker, 'q', { prefetch: 3 });
    for (let i = 0; i < 6; i++) broker.publish('', 'q', `m${i}`);
    broker.ack(a.deliveries[1]!.deliveryTag, { multiple: true });
    expect(broker.queueInfo('q').unacked).toBe(4);
    expect(() => broker.ack(b.deliveries[0]!.deliveryTag)).not.toThrow();
    expectEngineError(() => broker.ack(a.deliveries[0]!.deliveryTag), 'PRECONDITION_FAILED', /unknown delivery tag/);
  });

  it('nack with requeue puts the message back at the head of its level, marked redelivered', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    const first = broker.get('q')!;
    expect([text(first), first.redelivered, first.deliveryCount]).toEqual(['a', false, 1]);
    broker.nack(first.deliveryTag, { requeue: true });
    const again = broker.get('q')!;
    expect([text(again), again.redelivered, again.deliveryCount]).toEqual(['a', true, 2]);
  });

  it('requeuing several at once restores their original order', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const m of ['a', 'b', 'c', 'd']) broker.publish('', 'q', m);
    const c = collector(broker, 'q', { prefetch: 3 });
    broker.nack(c.deliveries[2]!.deliveryTag, { multiple: true, requeue: true });
    expect(c.bodies().slice(3)).toEqual(['a', 'b', 'c']);
    expect(drain(broker, 'q')).toEqual(['d']);
  });

  // Observed on RabbitMQ 3.10.8 (classic queue): get m1, get m2, nack m1, nack m2 → m1*, m2*, m3;
  // rejecting m2 before m1 gives the same; a requeued message returns to its arrival position.
  it('separate nacks or rejects put each message back at its original position, in whatever order they come', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const m of ['m1', 'm2', 'm3']) broker.publish('', 'q', m);
    let m1 = broker.get('q')!;
    let m2 = broker.get('q')!;
    broker.nack(m1.deliveryTag, { requeue: true });
    broker.nack(m2.deliveryTag, { requeue: true });
    expect(drain(broker, 'q')).toEqual(['m1', 'm2', 'm3']);
    for (const m of ['m1', 'm2', 'm3', 'm4']) broker.publish('', 'q', m);
    m1 = broker.get('q')!;
    m2 = broker.get('q')!;
    const m3 = broker.get('q')!;
    broker.reject(m2.deliveryTag, { requeue: true });
    broker.reject(m3.deliveryTag, { requeue: true });
    broker.reject(m1.deliveryTag, { requeue: true });
    expect(drain(broker, 'q')).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('a requeued message goes back among later arrivals by arrival order, behind older ready ones', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const m of ['m1', 'm2', 'm3', 'm4', 'm5']) broker.publish('', 'q', m);
    const held = ['m1', 'm2', 'm3', 'm4'].map(() => broker.get('q')!);
    for (const d of held.slice(0, 3)) broker.nack(d.deliveryTag, { requeue: true });
    broker.nack(held[3]!.deliveryTag, { requeue: true }); // lands between m3 and m5
    expect(drain(broker, 'q')).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  // Observed on RabbitMQ 3.10.8 with x-max-priority 5: lo1(1) hi1(5) hi2(5) lo2(1); get hi1, hi2, lo1;
  // nack lo1, hi1, hi2 → hi1, hi2, lo1, lo2.
  it('requeue restores arrival order within each priority level', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxPriority: 5 });
    broker.publish('', 'q', 'lo1', { priority: 1 });
    broker.publish('', 'q', 'hi1', { priority: 5 });
    broker.publish('', 'q', 'hi2', { priority: 5 });
    broker.publish('', 'q', 'lo2', { priority: 1 });
    const [hi1, hi2, lo1] = [broker.get('q')!, broker.get('q')!, broker.get('q')!];
    expect([hi1, hi2, lo1].map(text)).toEqual(['hi1', 'hi2', 'lo1']);
    broker.nack(lo1.deliveryTag, { requeue: true });
    broker.nack(hi1.deliveryTag, { requeue: true });
    broker.nack(hi2.deliveryTag, { requeue: true });
    expect(drain(broker, 'q')).toEqual(['hi1', 'hi2', 'lo1', 'lo2']);
  });

  it('consumers cancelled one after another return their deliveries to their original positions', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    const a = collector(broker, 'q', { prefetch: 2 });
    const b = collector(broker, 'q', { prefetch: 2 });
    for (const m of ['m1', 'm2', 'm3', 'm4', 'm5']) broker.publish('', 'q', m);
    expect([a.bodies(), b.bodies()]).toEqual([['m1', 'm3'], ['m2', 'm4']]);
    broker.cancel(b.tag);
    broker.cancel(a.tag);
    expect(drain(broker, 'q')).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('after a restart, requeued messages are in the same order as before it', () => {
    const { loop, disk } = simulatedDisk();
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('q', { durable: true });
    for (const m of ['m1', 'm2', 'm3']) broker.publish('', 'q', m, { persistent: true });
    const m1 = broker.get('q')!;
    const m2 = broker.get('q')!;
    broker.nack(m1.deliveryTag, { requeue: true });
    broker.nack(m2.deliveryTag, { requeue: true });
    const before = broker.get('q')!;
    broker.nack(before.deliveryTag, { requeue: true });
    expect(text(before)).toBe('m1');
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(drainBodies(after, 'q').map((x) => x.body)).toEqual(['m1', 'm2', 'm3']);
  });

  it('cancelling a consumer returns its unacked deliveries to the head, redelivered, to the next consumer', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    const first = collector(broker, 'q', { prefetch: 2 });
    broker.cancel(first.tag);
    const second = collector(broker, 'q', { prefetch: 10 });
    expect(second.bodies()).toEqual(['a', 'b', 'c']);
    expect(second.deliveries.map((d) => d.redelivered)).toEqual([true, true, false]);
    expect(broker.queueInfo('q').consumers).toBe(1);
  });

  it('reject without requeue drops a message on a queue with no dead-letter exchange', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.publish('', 'q', 'a');
    broker.reject(broker.get('q')!.deliveryTag, { requeue: false });
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, unacked: 0 });
  });
});

describe('retry with backoff', () => {
  it('a nacked message waits its exponential backoff, capped, before it is ready again', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { retry: { backoff: 'exponential', delayMs: 100, maxDelayMs: 250 } });
    broker.publish('', 'q', 'job');
    const readyAt: number[] = [];
    broker.consume('q', { prefetch: 1 }, (d) => {
      readyAt.push(loop.now());
      if (d.deliveryCount < 5) broker.nack(d.deliveryTag, { requeue: true });
      else broker.ack(d.deliveryTag);
    });
    expect(broker.queueInfo('q').delayed).toBe(1);
    loop.run();
    // Delays 100, 200, then capped at 250 twice.
    expect(readyAt).toEqual([0, 100, 300, 550, 800]);
  });

  it('a fixed backoff with jitter stays within (base × (1 − jitter), base]', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 1000, jitter: 0.5 } });
    broker.publish('', 'q', 'job');
    const times: number[] = [];
    broker.consume('q', { prefetch: 1 }, (d) => {
      times.push(loop.now());
      if (d.deliveryCount < 20) broker.nack(d.deliveryTag);
    });
    loop.run();
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toHaveLength(19);
    for (const gap of gaps) expect(gap > 500 && gap <= 1000).toBe(true);
    expect(new Set(gaps).size).toBeGreaterThan(10);
  });

  it('a message back from its backoff returns to its arrival position, like any requeue', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 100 } });
    for (const m of ['m1', 'm2', 'm3']) broker.publish('', 'q', m);
    const m1 = broker.get('q')!;
    const m2 = broker.get('q')!;
    broker.nack(m1.deliveryTag); // ready again at 100
    loop.run({ untilMs: 5 });
    broker.nack(m2.deliveryTag); // ready again at 105
    loop.run({ untilMs: 104 });
    expect(broker.queueInfo('q')).toMatchObject({ ready: 2, delayed: 1 });
    loop.run({ untilMs: 105 });
    expect(drain(broker, 'q')).toEqual(['m1', 'm2', 'm3']);
  });

  it('a cancelled consumer’s messages come back at once: retry is for failures only', () => {
    const { broker } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 1000 } });
    broker.publish('', 'q', 'job');
    const c = collector(broker, 'q', { prefetch: 1 });
    broker.cancel(c.tag);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 1, delayed: 0 });
  });
});

describe('dead-lettering', () => {
  function withDlx(options: QueueOptions = {}) {
    const ctx = setup();
    ctx.broker.declareExchange('dlx', 'fanout');
    ctx.broker.declareQueue('dead');
    ctx.broker.bindQueue('dead', 'dlx', '');
    ctx.broker.declareQueue('work', { deadLetterExchange: 'dlx', ...options });
    return ctx;
  }

  it('rejected: nack or reject without requeue, with the reason in the history', () => {
    const { broker } = withDlx();
    broker.publish('', 'work', 'bad', { messageId: 'm1' });
    broker.nack(broker.get('work')!.deliveryTag, { requeue: false });
    const dead = broker.get('dead')!;
    expect(text(dead)).toBe('bad');
    expect(dead.exchange).toBe('dlx');
    expect(dead.routingKey).toBe('work');
    expect(dead.deaths).toEqual([{ queue: 'work', reason: 'rejected', count: 1, timeMs: 0, exchange: '', routingKeys: ['work'] }]);
  });

  it('expired: per-queue and per-message TTL, the lower wins, at the exact time', () => {
    const { broker, loop } = withDlx({ messageTtlMs: 1000 });
    const diedAt: [string, number][] = [];
    broker.consume('dead', { autoAck: true }, (d) => diedAt.push([text(d)!, loop.now()]));
    broker.publish('', 'work', 'queue-ttl');
    broker.publish('', 'work', 'message-ttl-lower', { expirationMs: 250 });
    broker.publish('', 'work', 'message-ttl-higher', { expirationMs: 5000 });
    loop.run();
    expect(diedAt).toEqual([
      ['message-ttl-lower', 250],
      ['queue-ttl', 1000],
      ['message-ttl-higher', 1000],
    ]);
  });

  it('expired messages behind the head go at their own time, not when they reach the head', () => {
    const { broker, loop } = withDlx();
    broker.publish('', 'work', 'long', { expirationMs: 10_000 });
    broker.publish('', 'work', 'short', { expirationMs: 10 });
    loop.run({ untilMs: 10 });
    expect(broker.queueInfo('work').ready).toBe(1);
    expect(text(broker.get('dead'))).toBe('short');
  });

  it('a message whose TTL passes while it waits out a retry backoff expires at its own time', () => {
    const { broker, loop } = withDlx({ messageTtlMs: 100, retry: { backoff: 'fixed', delayMs: 500 } });
    broker.publish('', 'work', 'slow');
    broker.nack(broker.get('work')!.deliveryTag);
    expect(broker.queueInfo('work').delayed).toBe(1);
    loop.run({ untilMs: 100 });
    expect(broker.queueInfo('work')).toMatchObject({ ready: 0, delayed: 0 });
    const dead = broker.get('dead')!;
    expect([text(dead), dead.deaths[0]!.reason, dead.deaths[0]!.timeMs]).toEqual(['slow', 'expired', 100]);
  });

  it('a message held by a consumer does not expire until it comes back', () => {
    const { broker, loop } = withDlx({ messageTtlMs: 100 });
    broker.publish('', 'work', 'held');
    const d = broker.get('work')!;
    loop.run({ untilMs: 500 });
    expect(broker.queueInfo('dead').ready).toBe(0);
    broker.nack(d.deliveryTag, { requeue: true });
    expect(broker.get('dead')!.deaths[0]!.reason).toBe('expired');
  });

  it('TTL 0 reaches a waiting consumer and expires otherwise', () => {
    const { broker, loop } = withDlx({ messageTtlMs: 0 });
    broker.publish('', 'work', 'nobody-waiting');
    loop.run();
    expect(text(broker.get('dead'))).toBe('nobody-waiting');
    const c = collector(broker, 'work', { prefetch: 1 });
    broker.publish('', 'work', 'consumer-waiting');
    loop.run();
    expect(c.bodies()).toEqual(['consumer-waiting']);
  });

  it('maxlen: drop-head dead-letters from the front', () => {
    const { broker } = withDlx({ maxLength: 2 });
    for (const m of ['a', 'b', 'c', 'd']) broker.publish('', 'work', m);
    expect(drain(broker, 'work')).toEqual(['c', 'd']);
    const dead = [broker.get('dead')!, broker.get('dead')!];
    expect(dead.map((d) => [text(d), d.deaths[0]!.reason, d.properties.headers?.['x-first-death-reason']])).toEqual([
      ['a', 'maxlen', 'maxlen'],
      ['b', 'maxlen', 'maxlen'],
    ]);
  });

  // Observed on RabbitMQ 3.10.8 (x-max-length 2): publish a, b; get a; publish c; nack a with requeue.
  // drop-head: a (back at the head) is dead-lettered as maxlen, b and c stay. reject-publish and
  // reject-publish-dlx: nothing is dropped or dead-lettered, the queue holds a*, b, c (over its limit).
  it('drop-head enforces maxLength on requeue, dead-lettering from the head as maxlen', () => {
    const reasons: string[] = [];
    const ctx = setup({ deadLettered: (queue, _p, reason) => reasons.push(`${queue}:${reason}`) });
    ctx.broker.declareQueue('dead');
    ctx.broker.declareQueue('work', { maxLength: 2, deadLetterExchange: '', deadLetterRoutingKey: 'dead' });
    const { broker } = ctx;
    broker.publish('', 'work', 'a');
    broker.publish('', 'work', 'b');
    const a = broker.get('work')!;
    broker.publish('', 'work', 'c');
    broker.nack(a.deliveryTag, { requeue: true });
    expect(broker.queueInfo('work').ready).toBe(2);
    expect(reasons).toEqual(['work:maxlen']);
    const dead = broker.get('dead', { autoAck: true })!;
    expect([text(dead), dead.deaths[0]!.reason, dead.deaths[0]!.queue]).toEqual(['a', 'maxlen', 'work']);
    expect(drain(broker, 'work')).toEqual(['b', 'c']);
  });

  for (const overflow of ['reject-publish', 'reject-publish-dlx'] as const) {
    it(`${overflow} lets a requeue take the queue over maxLength, dropping nothing`, () => {
      const { broker } = withDlx({ maxLength: 2, overflow });
      broker.publish('', 'work', 'a');
      broker.publish('', 'work', 'b');
      const a = broker.get('work')!;
      broker.publish('', 'work', 'c');
      broker.nack(a.deliveryTag, { requeue: true });
      expect(broker.queueInfo('work').ready).toBe(3);
      expect(broker.queueInfo('dead').ready).toBe(0);
      const confirms: boolean[] = [];
      broker.publish('', 'work', 'd', {}, (ack) => confirms.push(ack));
      expect(confirms).toEqual([false]);
      expect(drain(broker, 'work')).toEqual(['a', 'b', 'c']);
    });
  }

  it('drop-head also enforces maxLength on cancel and when a message returns from its retry backoff', () => {
    const { broker, loop } = withDlx({ maxLength: 1, retry: { backoff: 'fixed', delayMs: 50 } });
    broker.publish('', 'work', 'a');
    const c = collector(broker, 'work', { prefetch: 1 });
    broker.publish('', 'work', 'b');
    broker.cancel(c.tag); // a comes back ahead of b: a is the head and is dropped
    expect(drain(broker, 'dead')).toEqual(['a']);
    const b = broker.get('work')!;
    broker.publish('', 'work', 'c');
    broker.nack(b.deliveryTag); // waits out its backoff; delayed messages do not count
    expect(broker.queueInfo('work')).toMatchObject({ ready: 1, delayed: 1 });
    loop.run({ untilMs: 50 });
    expect(broker.queueInfo('work')).toMatchObject({ ready: 1, delayed: 0 });
    expect(drain(broker, 'dead')).toEqual(['b']);
    expect(drain(broker, 'work')).toEqual(['c']);
  });

  // Observed on RabbitMQ 3.10.8 (x-max-length 2, x-max-priority 5): lo(1), hi(5), lo2(1) → hi dropped.
  it('drop-head drops the next message to deliver: the oldest of the highest priority', () => {
    const { broker } = withDlx({ maxLength: 2, maxPriority: 5 });
    broker.publish('', 'work', 'lo', { priority: 1 });
    broker.publish('', 'work', 'hi', { priority: 5 });
    broker.publish('', 'work', 'lo2', { priority: 1 });
    expect(drain(broker, 'dead')).toEqual(['hi']);
    expect(drain(broker, 'work')).toEqual(['lo', 'lo2']);
  });

  // Observed on RabbitMQ 3.10.8: x-max-length 0 (drop-head) with a consumer waiting: the publish is
  // delivered, nothing is dead-lettered (attempt_delivery comes before maybe_drop_head).
  it('a publish reaches a waiting consumer even when maxLength is 0, and is dead-lettered when none waits', () => {
    const { broker } = withDlx({ maxLength: 0 });
    const c = collector(broker, 'work', { prefetch: 1 });
    broker.publish('', 'work', 'to-consumer');
    expect(c.bodies()).toEqual(['to-consumer']);
    broker.publish('', 'work', 'consumer-full');
    expect(drain(broker, 'dead')).toEqual(['consumer-full']);
    broker.cancel(c.tag); // the requeued delivery is over the limit: drop-head applies to requeues
    expect(drain(broker, 'dead')).toEqual(['to-consumer']);
    expect(broker.queueInfo('work').ready).toBe(0);
  });

  it('after a restart, drop-head brings a queue that its returned deliveries took over maxLength back within it', () => {
    const { loop, disk } = simulatedDisk();
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('dead', { durable: true });
    broker.declareQueue('work', { durable: true, maxLength: 2, deadLetterExchange: '', deadLetterRoutingKey: 'dead' });
    for (const m of ['a', 'b']) broker.publish('', 'work', m, { persistent: true });
    broker.get('work'); // a, unacked at the crash
    broker.publish('', 'work', 'c', { persistent: true });
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(after.queueInfo('work').ready).toBe(2);
    const dead = after.get('dead', { autoAck: true })!;
    expect([text(dead), dead.deaths[0]!.reason]).toEqual(['a', 'maxlen']);
    expect(drainBodies(after, 'work').map((x) => x.body)).toEqual(['b', 'c']);
  });

  it('unacked messages do not count towards maxLength', () => {
    const { broker } = withDlx({ maxLength: 1 });
    broker.publish('', 'work', 'a');
    broker.get('work');
    broker.publish('', 'work', 'b');
    expect(broker.queueInfo('work')).toMatchObject({ ready: 1, unacked: 1 });
    expect(broker.queueInfo('dead').ready).toBe(0);
  });

  it('reject-publish refuses new messages with a negative confirm; other queues keep theirs', () => {
    const { broker } = withDlx({ maxLength: 1, overflow: 'reject-publish' });
    broker.declareExchange('both', 'fanout');
    broker.declareQueue('other');
    broker.bindQueue('work', 'both', '');
    broker.bindQueue('other', 'both', '');
    const confirms: boolean[] = [];
    broker.publish('both', '', 'first', {}, (ack) => confirms.push(ack));
    const result = broker.publish('both', '', 'second', {}, (ack) => confirms.push(ack));
    expect(confirms).toEqual([true, false]);
    expect(result).toMatchObject({ queues: ['other'], rejected: ['work'] });
    expect(drain(broker, 'work')).toEqual(['first']);
    expect(drain(broker, 'other')).toEqual(['first', 'second']);
    expect(broker.queueInfo('dead').ready).toBe(0);
  });

  it('reject-publish-dlx also dead-letters the refused message as maxlen', () => {
    const { broker } = withDlx({ maxLength: 1, overflow: 'reject-publish-dlx' });
    broker.publish('', 'work', 'first');
    const confirms: boolean[] = [];
    broker.publish('', 'work', 'second', {}, (ack) => confirms.push(ack));
    expect(confirms).toEqual([false]);
    const dead = broker.get('dead')!;
    expect([text(dead), dead.deaths[0]!.reason]).toEqual(['second', 'maxlen']);
  });

  it('delivery_limit: a message returned more than deliveryLimit times is dead-lettered', () => {
    const { broker } = withDlx({ deliveryLimit: 2 });
    broker.publish('', 'work', 'poison');
    let deliveries = 0;
    broker.consume('work', { prefetch: 1 }, (d) => {
      deliveries++;
      broker.nack(d.deliveryTag, { requeue: true });
    });
    expect(deliveries).toBe(3);
    const dead = broker.get('dead')!;
    expect(dead.deaths[0]).toMatchObject({ reason: 'delivery_limit', count: 1 });
  });

  it('the dead-letter routing key replaces the original, and the history counts repeat deaths', () => {
    const { broker } = setup();
    broker.declareExchange('dlx', 'direct');
    broker.declareQueue('work', { deadLetterExchange: 'dlx', deadLetterRoutingKey: 'retry' });
    broker.declareQueue('parking', { deadLetterExchange: '', deadLetterRoutingKey: 'work' });
    broker.bindQueue('parking', 'dlx', 'retry');
    broker.publish('', 'work', 'm', { expirationMs: 5 });
    for (let round = 1; round <= 3; round++) {
      broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
      const parked = broker.get('parking')!;
      expect(parked.routingKey).toBe('retry');
      expect(parked.properties.expirationMs).toBeUndefined();
      broker.reject(parked.deliveryTag, { requeue: false });
    }
    const last = broker.get('work')!;
    expect(last.deaths.map((d) => [d.queue, d.reason, d.count])).toEqual([
      ['parking', 'rejected', 3],
      ['work', 'rejected', 3],
    ]);
  });

  // Observed on RabbitMQ 3.10.8: work (DLX 'dlx', key 'retry') → parking (DLX '', key 'work') → work,
  // each hop a reject, the message published with expiration 60000. The first death sets the
  // x-first-death-* headers; a repeat death counts up and moves its entry to the front but keeps the
  // entry's first time, exchange, routing keys and original-expiration.
  it('x-death: first-death headers, the repeated entry moves to the front keeping its first details', () => {
    const { broker, loop } = setup();
    broker.declareExchange('dlx', 'direct');
    broker.declareQueue('work', { deadLetterExchange: 'dlx', deadLetterRoutingKey: 'retry' });
    broker.declareQueue('parking', { deadLetterExchange: '', deadLetterRoutingKey: 'work' });
    broker.bindQueue('parking', 'dlx', 'retry');
    broker.publish('', 'work', 'm', { expirationMs: 60_000, headers: { app: 'x' } });
    const parked: Delivery[] = [];
    for (let round = 1; round <= 2; round++) {
      broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
      loop.run({ untilMs: loop.now() + 1000 });
      const p = broker.get('parking')!;
      parked.push(p);
      broker.reject(p.deliveryTag, { requeue: false });
      loop.run({ untilMs: loop.now() + 1000 });
    }
    const firstHeaders = { 'x-first-death-reason': 'rejected', 'x-first-death-queue': 'work', 'x-first-death-exchange': '' };
    expect(parked[0]!.properties.headers).toEqual({ app: 'x', ...firstHeaders });
    expect(parked[0]!.properties.expirationMs).toBeUndefined();
    expect(parked[0]!.deaths).toEqual([
      { queue: 'work', reason: 'rejected', count: 1, timeMs: 0, exchange: '', routingKeys: ['work'], originalExpirationMs: 60_000 },
    ]);
    expect(parked[1]!.deaths).toEqual([
      { queue: 'work', reason: 'rejected', count: 2, timeMs: 0, exchange: '', routingKeys: ['work'], originalExpirationMs: 60_000 },
      { queue: 'parking', reason: 'rejected', count: 1, timeMs: 1000, exchange: 'dlx', routingKeys: ['retry'] },
    ]);
    const last = broker.get('work')!;
    expect([last.exchange, last.routingKey]).toEqual(['', 'work']);
    expect(last.properties.headers).toEqual({ app: 'x', ...firstHeaders });
    expect(last.deaths).toEqual([
      { queue: 'parking', reason: 'rejected', count: 2, timeMs: 1000, exchange: 'dlx', routingKeys: ['retry'] },
      { queue: 'work', reason: 'rejected', count: 2, timeMs: 0, exchange: '', routingKeys: ['work'], originalExpirationMs: 60_000 },
    ]);
  });

  // Observed on RabbitMQ 3.10.8: first death in w2 via exchange ex1 / key k1, the second via '' / w2:
  // the w2 entry still names ex1 and [k1], and x-first-death-exchange is ex1.
  it('x-death: a repeated entry keeps the exchange and routing keys of its first death', () => {
    const { broker } = setup();
    broker.declareExchange('ex1', 'direct');
    broker.declareQueue('w2', { deadLetterExchange: '', deadLetterRoutingKey: 'p2' });
    broker.declareQueue('p2', { deadLetterExchange: '', deadLetterRoutingKey: 'w2' });
    broker.bindQueue('w2', 'ex1', 'k1');
    broker.publish('ex1', 'k1', 'm');
    for (let i = 0; i < 2; i++) {
      broker.reject(broker.get('w2')!.deliveryTag, { requeue: false });
      broker.reject(broker.get('p2')!.deliveryTag, { requeue: false });
    }
    const last = broker.get('w2')!;
    expect(last.properties.headers).toMatchObject({ 'x-first-death-exchange': 'ex1', 'x-first-death-queue': 'w2', 'x-first-death-reason': 'rejected' });
    expect(last.deaths.map((d) => [d.queue, d.count, d.exchange, d.routingKeys])).toEqual([
      ['p2', 2, '', ['p2']],
      ['w2', 2, 'ex1', ['k1']],
    ]);
  });

  it('x-first-death headers name the first death only, whatever the reason of later ones', () => {
    const { broker, loop } = setup();
    broker.declareQueue('a', { messageTtlMs: 10, deadLetterExchange: '', deadLetterRoutingKey: 'b' });
    broker.declareQueue('b', { deadLetterExchange: '', deadLetterRoutingKey: 'c' });
    broker.declareQueue('c');
    broker.publish('', 'a', 'm');
    loop.run();
    broker.reject(broker.get('b')!.deliveryTag, { requeue: false });
    const dead = broker.get('c')!;
    expect(dead.properties.headers).toEqual({ 'x-first-death-reason': 'expired', 'x-first-death-queue': 'a', 'x-first-death-exchange': '' });
    expect(dead.deaths.map((d) => `${d.queue}:${d.reason}`)).toEqual(['b:rejected', 'a:expired']);
  });

  // Observed on RabbitMQ 3.10.8: rejected from B into A, A (TTL) dead-letters to itself: dropped on its
  // first expiry, although the older death in B was a rejection (only deaths back to A's entry count).
  it('a cycle is judged on the deaths back to the target queue’s entry, not on older rejections', () => {
    const dropped: string[] = [];
    const { broker, loop } = setup({ dropped: (queue, _p, why) => dropped.push(`${queue}: ${why}`) });
    broker.declareQueue('B', { deadLetterExchange: '', deadLetterRoutingKey: 'A' });
    broker.declareQueue('A', { messageTtlMs: 300, deadLetterExchange: '' });
    broker.publish('', 'B', 'cyc');
    broker.reject(broker.get('B')!.deliveryTag, { requeue: false });
    loop.run({ untilMs: 50 });
    expect(broker.queueInfo('A').ready).toBe(1);
    loop.run({ untilMs: 650 });
    expect(broker.queueInfo('A').ready).toBe(0);
    expect(dropped).toEqual(['A: dead-letter cycle']);
  });

  it('x-death entries and first-death headers survive a restart of a durable broker', () => {
    const { loop, disk } = simulatedDisk();
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('dead', { durable: true });
    broker.declareQueue('work', { durable: true, deadLetterExchange: '', deadLetterRoutingKey: 'dead' });
    broker.publish('', 'work', 'm', { persistent: true, expirationMs: 60_000 });
    broker.reject(broker.get('work')!.deliveryTag, { requeue: false });
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk, { fsync: 'always' });
    const [dead] = drainBodies(after, 'dead');
    expect(dead!.delivery.properties.headers).toEqual({ 'x-first-death-reason': 'rejected', 'x-first-death-queue': 'work', 'x-first-death-exchange': '' });
    expect(dead!.delivery.deaths).toEqual([
      { queue: 'work', reason: 'rejected', count: 1, timeMs: 0, exchange: '', routingKeys: ['work'], originalExpirationMs: 60_000 },
    ]);
  });

  it('a dead-letter cycle without rejections is dropped', () => {
    const dropped: string[] = [];
    const { broker, loop } = setup({ dropped: (queue, _p, why) => dropped.push(`${queue}: ${why}`) });
    broker.declareQueue('loop', { messageTtlMs: 10, deadLetterExchange: '' }); // dead-letters to itself by name
    broker.publish('', 'loop', 'm');
    loop.run();
    expect(broker.queueInfo('loop').ready).toBe(0);
    expect(dropped).toEqual(['loop: dead-letter cycle']);
  });

  it('without a dead-letter exchange the message is dropped', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { messageTtlMs: 5 });
    broker.publish('', 'q', 'm');
    loop.run();
    expect(broker.queueInfo('q').ready).toBe(0);
  });
});

describe('dead-letter reasons and their per-reason accounting', () => {
  type Tally = Record<'rejected' | 'expired' | 'maxlen' | 'delivery_limit', number>;
  const zero = (): Tally => ({ rejected: 0, expired: 0, maxlen: 0, delivery_limit: 0 });

  /** Every way a message dies, a known number of times each, on queues with and without a DLX. */
  function exerciseEveryReason(withDeadLetterExchange: boolean) {
    const tally = zero();
    const byQueue: string[] = [];
    const { broker, loop } = setup({
      deadLettered: (queue, _p, reason) => {
        tally[reason]++;
        byQueue.push(`${queue}:${reason}`);
      },
    });
    broker.declareQueue('dead');
    const dlx = withDeadLetterExchange ? { deadLetterExchange: '', deadLetterRoutingKey: 'dead' } : {};
    broker.declareQueue('rejects', dlx);
    broker.declareQueue('ttl', { messageTtlMs: 100, ...dlx });
    broker.declareQueue('head', { maxLength: 1, ...dlx });
    broker.declareQueue('refuse', { maxLength: 1, overflow: 'reject-publish-dlx', ...dlx });
    broker.declareQueue('limit', { deliveryLimit: 1, ...dlx });
    for (const m of ['r1', 'r2']) broker.publish('', 'rejects', m);
    broker.reject(broker.get('rejects')!.deliveryTag, { requeue: false });
    broker.nack(broker.get('rejects')!.deliveryTag, { requeue: false });
    for (const m of ['t1', 't2', 't3']) broker.publish('', 'ttl', m);
    loop.run({ untilMs: 100 });
    for (const m of ['h1', 'h2', 'h3']) broker.publish('', 'head', m); // drop-head: h1, h2 die
    for (const m of ['f1', 'f2']) broker.publish('', 'refuse', m); // f2 refused and dead-lettered
    broker.publish('', 'limit', 'l1');
    for (let i = 0; i < 2; i++) broker.nack(broker.get('limit')!.deliveryTag, { requeue: true });
    return { broker, tally, byQueue };
  }

  const expected: Tally = { rejected: 2, expired: 3, maxlen: 3, delivery_limit: 1 };

  it('counts each reason exactly, and the dead-letter queue holds each message with its reason', () => {
    const { broker, tally, byQueue } = exerciseEveryReason(true);
    expect(tally).toEqual(expected);
    expect(byQueue).toEqual([
      'rejects:rejected', 'rejects:rejected',
      'ttl:expired', 'ttl:expired', 'ttl:expired',
      'head:maxlen', 'head:maxlen',
      'refuse:maxlen',
      'limit:delivery_limit',
    ]);
    const dead: string[] = [];
    for (let d = broker.get('dead', { autoAck: true }); d !== undefined; d = broker.get('dead', { autoAck: true })) {
      expect(d.properties.headers?.['x-first-death-reason']).toBe(d.deaths[0]!.reason);
      expect(d.properties.headers?.['x-first-death-queue']).toBe(d.deaths[0]!.queue);
      dead.push(`${text(d)}:${d.deaths[0]!.queue}:${d.deaths[0]!.reason}:${d.deaths[0]!.count}`);
    }
    expect(dead).toEqual([
      'r1:rejects:rejected:1', 'r2:rejects:rejected:1',
      't1:ttl:expired:1', 't2:ttl:expired:1', 't3:ttl:expired:1',
      'h1:head:maxlen:1', 'h2:head:maxlen:1',
      'f2:refuse:maxlen:1',
      'l1:limit:delivery_limit:1',
    ]);
  });

  it('counts the same reasons when there is no dead-letter exchange and the messages are dropped', () => {
    const { broker, tally } = exerciseEveryReason(false);
    expect(tally).toEqual(expected);
    expect(broker.queueInfo('dead').ready).toBe(0);
    for (const q of ['rejects', 'ttl', 'limit']) expect(broker.queueInfo(q)).toMatchObject({ ready: 0, unacked: 0 });
    expect(broker.queueInfo('head').ready).toBe(1);
    expect(broker.queueInfo('refuse').ready).toBe(1);
  });
});

describe('dedup', () => {
  it('a messageId seen within the window is accepted but not enqueued again', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { dedupWindowMs: 1000 });
    expect(broker.publish('', 'q', 'a', { messageId: 'id-1' }).queues).toEqual(['q']);
    loop.run({ untilMs: 999 });
    const confirms: boolean[] = [];
    expect(broker.publish('', 'q', 'a-again', { messageId: 'id-1' }, (ack) => confirms.push(ack))).toMatchObject({ queues: [], duplicates: ['q'] });
    expect(confirms).toEqual([true]);
    loop.run({ untilMs: 1000 });
    expect(broker.publish('', 'q', 'a-later', { messageId: 'id-1' }).queues).toEqual(['q']);
    expect(drain(broker, 'q')).toEqual(['a', 'a-later']);
  });
});

describe('bad calls throw a typed error and change nothing', () => {
  it('unknown exchange or queue', () => {
    const { broker } = setup();
    expectEngineError(() => broker.publish('nope', 'k', 'x'), 'NOT_FOUND', /no exchange 'nope'/);
    expectEngineError(() => broker.consume('nope', {}, () => {}), 'NOT_FOUND', /no queue 'nope'/);
    expectEngineError(() => broker.bindQueue('nope', 'amq.direct', 'k'), 'NOT_FOUND', /no queue 'nope'/);
    expectEngineError(() => broker.queueInfo('nope'), 'NOT_FOUND', /nope/);
  });

  it('unknown or already settled delivery tags', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.publish('', 'q', 'x');
    const d = broker.get('q')!;
    broker.ack(d.deliveryTag);
    expectEngineError(() => broker.ack(d.deliveryTag), 'PRECONDITION_FAILED', /unknown delivery tag/);
    expectEngineError(() => broker.nack(999), 'PRECONDITION_FAILED', /unknown delivery tag 999/);
    expectEngineError(() => broker.reject(-1), 'INVALID_ARGUMENT', /delivery tag/);
  });

  it('invalid options name the option', () => {
    const { broker } = setup();
    expectEngineError(() => broker.declareQueue('q', { maxPriority: 300 }), 'INVALID_ARGUMENT', /maxPriority/);
    expectEngineError(() => broker.declareQueue('q', { retry: { backoff: 'exponential', delayMs: -1 } }), 'INVALID_ARGUMENT', /retry\.delayMs/);
    expectEngineError(() => broker.declareQueue('q', { maxLenght: 3 } as QueueOptions), 'INVALID_ARGUMENT', /maxLenght/);
    expectEngineError(() => broker.declareExchange('x', 'bogus' as 'direct'), 'INVALID_ARGUMENT', /type must be one of/);
    broker.declareQueue('q');
    expectEngineError(() => broker.publish('', 'q', 'x', { priority: 1.5 }), 'INVALID_ARGUMENT', /priority/);
    expectEngineError(() => broker.consume('q', { prefetch: -1 }, () => {}), 'INVALID_ARGUMENT', /prefetch/);
    expect(broker.queueNames()).toEqual(['q']);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, consumers: 0 });
  });

  it('redeclaring with different options is refused; the same options are fine', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 5 });
    broker.declareQueue('q', { maxLength: 5, overflow: 'drop-head' });
    expectEngineError(() => broker.declareQueue('q', { maxLength: 6 }), 'PRECONDITION_FAILED', /inequivalent arg 'maxLength' for queue 'q'/);
    broker.declareExchange('x', 'topic');
    expectEngineError(() => broker.declareExchange('x', 'direct'), 'PRECONDITION_FAILED', /inequivalent arg 'type'/);
  });

  it('the default exchange cannot be bound to or redeclared', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    expectEngineError(() => broker.bindQueue('q', '', 'q'), 'ACCESS_REFUSED', /default exchange/);
    expectEngineError(() => broker.declareExchange('', 'fanout'), 'ACCESS_REFUSED', /predeclared/);
    expectEngineError(() => broker.declareExchange('amq.mine', 'fanout'), 'ACCESS_REFUSED', /reserved/);
  });

  it('exclusive consumers keep others out', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.consume('q', { exclusive: true }, () => {});
    expectEngineError(() => broker.consume('q', {}, () => {}), 'ACCESS_REFUSED', /exclusive/);
    expect(broker.queueInfo('q').consumers).toBe(1);
  });
});

describe('queue management', () => {
  it('purge removes ready and delayed messages, not unacked ones', () => {
    const { broker } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 100 } });
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    const held = broker.get('q')!;
    broker.nack(broker.get('q')!.deliveryTag);
    expect(broker.purgeQueue('q')).toBe(2);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, delayed: 0, unacked: 1 });
    broker.ack(held.deliveryTag);
  });

  it('delete removes bindings and messages; a generated name is unique', () => {
    const { broker } = setup();
    const { queue } = broker.declareQueue('');
    expect(queue).toMatch(/^amq\.gen-/);
    broker.bindQueue(queue, 'amq.fanout', '');
    broker.publish('amq.fanout', '', 'x');
    expect(broker.deleteQueue(queue)).toBe(1);
    expect(broker.publish('amq.fanout', '', 'y').unroutable).toBe(true);
    expect(broker.declareQueue('').queue).not.toBe(queue);
  });

  it('deleting with ifUnused or ifEmpty refuses a queue in use', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.publish('', 'q', 'x');
    expectEngineError(() => broker.deleteQueue('q', { ifEmpty: true }), 'PRECONDITION_FAILED', /not empty/);
    broker.consume('q', { prefetch: 0 }, () => {});
    expectEngineError(() => broker.deleteQueue('q', { ifUnused: true }), 'PRECONDITION_FAILED', /in use/);
  });
});

describe('observer', () => {
  it('sees arrival, delivery, ack and dead-letter with virtual times', () => {
    const events: string[] = [];
    const { broker, loop } = setup({
      enqueued: (q, _p, t) => events.push(`enqueued ${q} @${t}`),
      delivered: (d, t) => events.push(`delivered ${d.queue} #${d.deliveryCount} @${t}`),
      acked: (q, _p, t) => events.push(`acked ${q} @${t}`),
      deadLettered: (q, _p, reason, t) => events.push(`dead ${q} ${reason} @${t}`),
    });
    broker.declareQueue('q', { messageTtlMs: 50 });
    loop.run({ untilMs: 10 });
    broker.publish('', 'q', 'a');
    broker.publish('', 'q', 'b');
    loop.run({ untilMs: 20 });
    broker.ack(broker.get('q')!.deliveryTag);
    loop.run();
    expect(events).toEqual(['enqueued q @10', 'enqueued q @10', 'delivered q #1 @20', 'acked q @20', 'dead q expired @60']);
  });
});
