import { describe, expect, it } from 'vitest';
import type { Broker, Delivery } from '../index.ts';
import { errorOf, memoryBroker } from './testing.ts';

// basic.consume / basic.cancel / basic.get as RabbitMQ's "Consumers" guide describes them: a
// consumer tag is unique (a client-chosen tag already in use is refused; server-generated tags
// never collide); an exclusive consumer is refused while the queue has other consumers, and while
// it is attached nobody else may consume (403 ACCESS_REFUSED); deliveries go round-robin among
// the consumers with room under their prefetch; a cancelled consumer's unacknowledged deliveries
// go back to the queue (in their original order, flagged redelivered) while the ones it already
// acknowledged stay gone; the remaining consumers keep their round-robin turn.

function setup() {
  const { loop, broker } = memoryBroker(11);
  broker.declareQueue('q');
  return { loop, broker };
}

const text = (d: Delivery) => new TextDecoder().decode(d.body);

function collector(broker: Broker, name: string, options: { prefetch?: number; consumerTag?: string; exclusive?: boolean; autoAck?: boolean } = {}) {
  const got: Delivery[] = [];
  const tag = broker.consume('q', { prefetch: options.prefetch ?? 0, ...options }, (d) => got.push(d));
  return { name, tag, got, bodies: () => got.map(text) };
}

describe('basic.consume', () => {
  it('refuses an onDelivery that is not a function (INVALID_ARGUMENT) and attaches nothing', () => {
    const { broker } = setup();
    const error = errorOf(() => broker.consume('q', {}, 'nope' as never));
    expect(error?.code).toBe('INVALID_ARGUMENT');
    expect(error?.message).toContain("consume('q')");
    expect(broker.queueInfo('q').consumers).toBe(0);
  });

  it('refuses a consumer tag already in use; the first consumer keeps it', () => {
    const { broker } = setup();
    const first = collector(broker, 'first', { consumerTag: 'worker' });
    const error = errorOf(() => broker.consume('q', { consumerTag: 'worker' }, () => {}));
    expect(error?.code).toBe('PRECONDITION_FAILED');
    expect(error?.message).toContain("'worker'");
    expect(broker.queueInfo('q').consumers).toBe(1);
    broker.publish('', 'q', 'm');
    expect(first.bodies()).toEqual(['m']);
  });

  it('server-generated tags are unique and skip tags a client already chose', () => {
    const { broker } = setup();
    const chosen = Array.from({ length: 6 }, (_, i) => `amq.ctag-${i}`);
    for (const tag of chosen) broker.consume('q', { consumerTag: tag }, () => {});
    const generated = [broker.consume('q', {}, () => {}), broker.consume('q', {}, () => {})];
    expect(new Set([...chosen, ...generated]).size).toBe(8);
    expect(broker.queueInfo('q').consumers).toBe(8);
  });

  it('an exclusive consumer is refused while others consume, and refuses others while attached (ACCESS_REFUSED)', () => {
    const { broker } = setup();
    const shared = collector(broker, 'shared');
    const refused = errorOf(() => broker.consume('q', { exclusive: true }, () => {}));
    expect(refused?.code).toBe('ACCESS_REFUSED');
    expect(refused?.message).toContain('1 consumers');
    expect(broker.queueInfo('q').consumers).toBe(1);
    broker.cancel(shared.tag);
    const only = collector(broker, 'only', { exclusive: true });
    expect(errorOf(() => broker.consume('q', {}, () => {}))?.code).toBe('ACCESS_REFUSED');
    broker.cancel(only.tag);
    collector(broker, 'after'); // free again once the exclusive consumer is gone
    expect(broker.queueInfo('q').consumers).toBe(1);
  });

  it('a non-exclusive consumer may join other non-exclusive ones', () => {
    const { broker } = setup();
    collector(broker, 'a', { exclusive: false });
    collector(broker, 'b', { exclusive: false });
    expect(broker.queueInfo('q').consumers).toBe(2);
  });
});

describe('error messages name the call', () => {
  it('consume on an unknown queue, and with bad options, say which call failed', () => {
    const { broker } = setup();
    expect(errorOf(() => broker.consume('nope', {}, () => {}))?.message).toContain('consume');
    const bad = errorOf(() => broker.consume('q', { prefetch: -1 }, () => {}));
    expect(bad?.code).toBe('INVALID_ARGUMENT');
    expect(bad?.message).toContain("consume('q')");
  });
});

describe('basic.cancel', () => {
  it('an unknown consumer tag is NOT_FOUND, naming the tag', () => {
    const { broker } = setup();
    const error = errorOf(() => broker.cancel('ghost'));
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.message).toContain("'ghost'");
  });

  it('requeues only the unacknowledged deliveries, in their original order and flagged redelivered', () => {
    const { broker } = setup();
    for (const m of ['a', 'b', 'c', 'd']) broker.publish('', 'q', m);
    const c = collector(broker, 'c', { prefetch: 3 });
    expect(c.bodies()).toEqual(['a', 'b', 'c']);
    broker.ack(c.got[1]!.deliveryTag); // b is done, which makes room for d
    expect(c.bodies()).toEqual(['a', 'b', 'c', 'd']);
    broker.cancel(c.tag);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 3, unacked: 0, consumers: 0 });
    const back = [broker.get('q', { autoAck: true })!, broker.get('q', { autoAck: true })!, broker.get('q', { autoAck: true })!];
    expect(back.map(text)).toEqual(['a', 'c', 'd']);
    expect(back.map((d) => d.redelivered)).toEqual([true, true, true]);
    expect(broker.get('q')).toBeUndefined();
  });

  it('the remaining (autoAck) consumers keep their turn: cancelling one before the turn does not skip anyone', () => {
    const { broker } = setup();
    const a = collector(broker, 'a', { autoAck: true });
    const b = collector(broker, 'b', { autoAck: true });
    const c = collector(broker, 'c', { autoAck: true });
    broker.publish('', 'q', 'm1'); // a
    broker.publish('', 'q', 'm2'); // b; the turn is now c's
    broker.cancel(a.tag);
    broker.publish('', 'q', 'm3'); // still c's turn
    broker.publish('', 'q', 'm4'); // then b
    broker.publish('', 'q', 'm5'); // then c again
    expect(b.bodies()).toEqual(['m2', 'm4']);
    expect(c.bodies()).toEqual(['m3', 'm5']);
  });

  it('cancelling the consumer whose turn it is passes the turn to the next one, wrapping round', () => {
    const { broker } = setup();
    const a = collector(broker, 'a', { autoAck: true });
    const b = collector(broker, 'b', { autoAck: true });
    const c = collector(broker, 'c', { autoAck: true });
    broker.publish('', 'q', 'm1'); // a
    broker.publish('', 'q', 'm2'); // b; c's turn
    broker.cancel(c.tag);
    broker.publish('', 'q', 'm3'); // wraps to a
    broker.publish('', 'q', 'm4'); // b
    expect(a.bodies()).toEqual(['m1', 'm3']);
    expect(b.bodies()).toEqual(['m2', 'm4']);
  });

  it('after a cancel the remaining consumers still get deliveries up to their prefetch', () => {
    const { broker } = setup();
    const a = collector(broker, 'a', { prefetch: 1 });
    const b = collector(broker, 'b', { prefetch: 2 });
    broker.cancel(a.tag);
    for (const m of ['x', 'y', 'z']) broker.publish('', 'q', m);
    expect(b.bodies()).toEqual(['x', 'y']);
    broker.ack(b.got[0]!.deliveryTag);
    expect(b.bodies()).toEqual(['x', 'y', 'z']);
  });

  it('cancelling a middle consumer with work in flight requeues to the others in turn', () => {
    const { broker } = setup();
    const a = collector(broker, 'a', { prefetch: 1 });
    const b = collector(broker, 'b', { prefetch: 1 });
    const c = collector(broker, 'c', { prefetch: 1 });
    for (const m of ['m1', 'm2', 'm3', 'm4']) broker.publish('', 'q', m);
    expect([a.bodies(), b.bodies(), c.bodies()]).toEqual([['m1'], ['m2'], ['m3']]);
    broker.cancel(b.tag); // m2 returns ahead of m4
    broker.ack(a.got[0]!.deliveryTag);
    broker.ack(c.got[0]!.deliveryTag);
    expect(a.bodies().concat(c.bodies()).sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect([...a.bodies(), ...c.bodies()].filter((m) => m === 'm2')).toHaveLength(1);
  });
});

describe('basic.get', () => {
  it('an unknown queue is NOT_FOUND naming the operation; an empty queue answers undefined', () => {
    const { broker } = setup();
    const error = errorOf(() => broker.get('nope'));
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.message).toContain('get');
    expect(broker.get('q')).toBeUndefined();
  });
});
