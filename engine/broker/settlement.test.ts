import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { Broker, EngineError, type BrokerObserver, type Delivery, type QueueOptions } from '../index.ts';

// basic.ack / basic.nack / basic.reject as the AMQP 0-9-1 reference and RabbitMQ's
// "Consumer Acknowledgements and Publisher Confirms" guide describe them: delivery tags are
// positive integers scoped to the channel; `multiple` settles every outstanding delivery up to
// and including the tag; an unknown tag is a PRECONDITION_FAILED channel error; requeued
// messages go back to their original position; a returned message past its TTL or its delivery
// limit is dead-lettered (`expired`, `delivery_limit`); after a requeue the length limit holds
// again (rabbit_amqqueue_process: requeue_and_run → maybe_drop_head).

function setup(observer?: BrokerObserver) {
  const loop = new EventLoop();
  const broker = new Broker({ clock: loop, random: randomStreams(7).stream('broker'), ...(observer ? { observer } : {}) });
  return { loop, broker };
}

const text = (d: Delivery | undefined) => (d === undefined ? undefined : new TextDecoder().decode(d.body));

function withDlx(options: QueueOptions = {}) {
  const ctx = setup();
  ctx.broker.declareExchange('dlx', 'fanout');
  ctx.broker.declareQueue('dead');
  ctx.broker.bindQueue('dead', 'dlx', '');
  ctx.broker.declareQueue('work', { deadLetterExchange: 'dlx', ...options });
  return ctx;
}

function deadReasons(broker: Broker): string[] {
  const out: string[] = [];
  for (let d = broker.get('dead', { autoAck: true }); d !== undefined; d = broker.get('dead', { autoAck: true })) out.push(`${text(d)}:${d.deaths[0]!.reason}`);
  return out;
}

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return (error as EngineError).code;
  }
  return undefined;
}

describe('delivery tags', () => {
  it('tag 1 is valid; 0, negative, fractional and non-finite tags are INVALID_ARGUMENT and change nothing', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.publish('', 'q', 'x');
    const d = broker.get('q')!;
    expect(d.deliveryTag).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(errorCode(() => broker.ack(bad))).toBe('INVALID_ARGUMENT');
      expect(errorCode(() => broker.nack(bad, { multiple: true }))).toBe('INVALID_ARGUMENT');
      expect(errorCode(() => broker.reject(bad))).toBe('INVALID_ARGUMENT');
    }
    expect(broker.queueInfo('q').unacked).toBe(1);
    broker.ack(1);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, unacked: 0 });
  });

  it('the error message names the operation and the tag', () => {
    const { broker } = setup();
    expect(() => broker.reject(0)).toThrow(/reject: delivery tag must be a whole number ≥ 1, got 0/);
    expect(() => broker.nack(5)).toThrow(/nack: unknown delivery tag 5/);
    expect(() => broker.ack(5)).toThrow(/ack: unknown delivery tag 5/);
  });
});

describe('multiple', () => {
  it('ack multiple settles every outstanding delivery up to and including the tag, skipping ones already settled', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const m of ['a', 'b', 'c', 'd']) broker.publish('', 'q', m);
    const ds = [broker.get('q')!, broker.get('q')!, broker.get('q')!, broker.get('q')!];
    broker.ack(ds[1]!.deliveryTag);
    broker.ack(ds[2]!.deliveryTag, { multiple: true });
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, unacked: 1 });
    expect(errorCode(() => broker.ack(ds[0]!.deliveryTag))).toBe('PRECONDITION_FAILED');
    expect(errorCode(() => broker.ack(ds[2]!.deliveryTag))).toBe('PRECONDITION_FAILED');
    broker.ack(ds[3]!.deliveryTag);
    expect(broker.queueInfo('q').unacked).toBe(0);
  });

  it('nack multiple without requeue dead-letters exactly the deliveries up to the tag, as rejected', () => {
    const { broker } = withDlx();
    for (const m of ['a', 'b', 'c']) broker.publish('', 'work', m);
    const ds = [broker.get('work')!, broker.get('work')!, broker.get('work')!];
    broker.nack(ds[1]!.deliveryTag, { multiple: true, requeue: false });
    expect(deadReasons(broker)).toEqual(['a:rejected', 'b:rejected']);
    expect(broker.queueInfo('work')).toMatchObject({ ready: 0, unacked: 1 });
  });

  it('reject ignores `multiple`: only the one delivery is settled', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    for (const m of ['a', 'b']) broker.publish('', 'q', m);
    broker.get('q');
    const second = broker.get('q')!;
    broker.reject(second.deliveryTag, { requeue: true, multiple: true } as { requeue: boolean });
    expect(broker.queueInfo('q')).toMatchObject({ ready: 1, unacked: 1 });
  });
});

describe('returned deliveries', () => {
  it('a nacked message whose TTL has passed while it was held is dead-lettered as expired, not requeued', () => {
    const { broker, loop } = withDlx({ messageTtlMs: 100 });
    broker.publish('', 'work', 'old');
    const d = broker.get('work')!;
    loop.run({ untilMs: 100 });
    broker.nack(d.deliveryTag, { requeue: true });
    expect(broker.queueInfo('work').ready).toBe(0);
    expect(deadReasons(broker)).toEqual(['old:expired']);
  });

  it('a nacked message still within its TTL goes back and then expires at its own time', () => {
    const { broker, loop } = withDlx({ messageTtlMs: 100 });
    broker.publish('', 'work', 'young');
    const d = broker.get('work')!;
    loop.run({ untilMs: 99 });
    broker.nack(d.deliveryTag, { requeue: true });
    expect(broker.queueInfo('work').ready).toBe(1);
    loop.run({ untilMs: 100 });
    expect(broker.queueInfo('work').ready).toBe(0);
    expect(deadReasons(broker)).toEqual(['young:expired']);
  });

  it('delivery limit: returned deliveries up to the limit are requeued, the one past it is dead-lettered', () => {
    const { broker } = withDlx({ deliveryLimit: 1 });
    broker.publish('', 'work', 'm');
    broker.nack(broker.get('work')!.deliveryTag);
    expect(broker.queueInfo('work').ready).toBe(1);
    broker.nack(broker.get('work')!.deliveryTag);
    expect(broker.queueInfo('work').ready).toBe(0);
    expect(deadReasons(broker)).toEqual(['m:delivery_limit']);
  });

  it('after a requeue the drop-head length limit holds again: the oldest ready message is dead-lettered as maxlen', () => {
    const { broker } = withDlx({ maxLength: 2, overflow: 'drop-head' });
    broker.publish('', 'work', 'a');
    const a = broker.get('work')!;
    broker.publish('', 'work', 'b');
    broker.publish('', 'work', 'c');
    expect(broker.queueInfo('work')).toMatchObject({ ready: 2, unacked: 1 });
    broker.nack(a.deliveryTag, { requeue: true });
    expect(broker.queueInfo('work')).toMatchObject({ ready: 2, unacked: 0 });
    expect(deadReasons(broker)).toEqual(['a:maxlen']);
  });

  it('requeues to several queues at once each land at their own arrival position and each limit holds', () => {
    const { broker } = setup();
    broker.declareExchange('fan', 'fanout');
    for (const q of ['q1', 'q2']) {
      broker.declareQueue(q, { maxLength: 3, overflow: 'drop-head' });
      broker.bindQueue(q, 'fan', '');
    }
    for (const m of ['a', 'b']) broker.publish('fan', '', m);
    const got = [broker.get('q2')!, broker.get('q1')!, broker.get('q2')!, broker.get('q1')!];
    for (const m of ['c', 'd']) broker.publish('fan', '', m);
    broker.nack(got[3]!.deliveryTag, { multiple: true, requeue: true });
    for (const q of ['q1', 'q2']) {
      const out: string[] = [];
      for (let d = broker.get(q, { autoAck: true }); d !== undefined; d = broker.get(q, { autoAck: true })) out.push(text(d)!);
      expect(out).toEqual(['b', 'c', 'd']);
    }
  });

  it('a retried message whose queue is deleted during the backoff does not come back', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 100 } });
    broker.publish('', 'q', 'm');
    broker.nack(broker.get('q')!.deliveryTag);
    broker.deleteQueue('q');
    broker.declareQueue('q');
    loop.run({ untilMs: 1000 });
    expect(broker.queueInfo('q').ready).toBe(0);
  });

  it('a retried message comes back after its backoff and is delivered to a waiting consumer', () => {
    const { broker, loop } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 100 } });
    broker.publish('', 'q', 'm');
    const seen: [string, number, number][] = [];
    broker.consume('q', { prefetch: 1 }, (d) => {
      seen.push([text(d)!, d.deliveryCount, loop.now()]);
      if (d.deliveryCount === 1) broker.nack(d.deliveryTag);
      else broker.ack(d.deliveryTag);
    });
    loop.run({ untilMs: 1000 });
    expect(seen).toEqual([['m', 1, 0], ['m', 2, 100]]);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, unacked: 0, delayed: 0 });
  });
});

describe('observer', () => {
  it('ack reports acked and the depth after it', () => {
    const events: string[] = [];
    const { broker } = setup({
      acked: (queue) => events.push(`acked:${queue}`),
      depthChanged: (queue, ready, unacked) => events.push(`depth:${queue}:${ready}:${unacked}`),
    });
    broker.declareQueue('q');
    broker.publish('', 'q', 'x');
    const d = broker.get('q')!;
    events.length = 0;
    broker.ack(d.deliveryTag);
    expect(events).toEqual(['acked:q', 'depth:q:0:0']);
  });
});
