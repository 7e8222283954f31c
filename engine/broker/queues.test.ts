import { describe, expect, it } from 'vitest';
import { drainBodies, recoverOn, simulatedDisk } from '../durable/testing.ts';
import { EngineError } from '../index.ts';
import { errorOf, memoryBroker } from './testing.ts';

// queue.declare / queue.delete / queue.purge as the AMQP 0-9-1 reference and RabbitMQ's "Queues"
// guide describe them: an empty name asks the server for a unique `amq.gen-…` name; names starting
// `amq.` are reserved (403 ACCESS_REFUSED); declare-ok carries the ready message count and the
// consumer count; redeclaring with other arguments is 406 PRECONDITION_FAILED ("inequivalent
// arg"), an absent argument being the same as its default; `if-unused` / `if-empty` refuse to
// delete a queue with consumers / messages; delete-ok and purge-ok carry the number of messages
// removed; purge leaves unacknowledged deliveries alone; a deleted queue's bindings go with it.

function setup() {
  const { loop, broker } = memoryBroker(5);
  return { loop, broker };
}

describe('queue.declare', () => {
  it('an empty name gets a unique server-generated amq.gen- name, skipping names in use', () => {
    const { broker } = setup();
    const names = [broker.declareQueue('').queue, broker.declareQueue('').queue, broker.declareQueue('').queue];
    expect(new Set(names).size).toBe(3);
    for (const name of names) {
      expect(name.startsWith('amq.gen-')).toBe(true);
      expect(broker.queueNames()).toContain(name);
    }
  });

  it('refuses names with the reserved amq. prefix and names that are not strings', () => {
    const { broker } = setup();
    const reserved = errorOf(() => broker.declareQueue('amq.mine'));
    expect(reserved?.code).toBe('ACCESS_REFUSED');
    expect(reserved?.message).toContain("'amq.mine'");
    expect(broker.queueNames()).not.toContain('amq.mine');
    expect(errorOf(() => broker.declareQueue(5 as unknown as string))?.code).toBe('INVALID_ARGUMENT');
  });

  it('declare-ok reports the ready message count and the consumer count of an existing queue', () => {
    const { broker } = setup();
    expect(broker.declareQueue('q')).toEqual({ queue: 'q', messageCount: 0, consumerCount: 0 });
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    broker.consume('q', { prefetch: 1 }, () => {});
    expect(broker.declareQueue('q')).toEqual({ queue: 'q', messageCount: 2, consumerCount: 1 });
  });

  it('redeclaring with other arguments is PRECONDITION_FAILED naming the argument; absent equals default', () => {
    const { broker } = setup();
    broker.declareQueue('q', { maxLength: 5 });
    broker.declareQueue('q', { maxLength: 5, durable: false, overflow: 'drop-head' });
    const error = errorOf(() => broker.declareQueue('q', { maxLength: 6 }));
    expect(error?.code).toBe('PRECONDITION_FAILED');
    expect(error?.message).toContain("inequivalent arg 'maxLength' for queue 'q'");
    expect(error?.message).toContain('received 6 but current is 5');
    expect(errorOf(() => broker.declareQueue('q', { maxLength: 5, overflow: 'reject-publish' }))?.code).toBe('PRECONDITION_FAILED');
    expect(errorOf(() => broker.declareQueue('q', { maxLength: 5, durable: true }))?.code).toBe('PRECONDITION_FAILED');
  });
});

describe('queue.delete', () => {
  it('if-unused refuses while the queue has consumers; if-empty while it has ready messages', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.publish('', 'q', 'm');
    const tag = broker.consume('q', { prefetch: 1 }, () => {});
    const unused = errorOf(() => broker.deleteQueue('q', { ifUnused: true }));
    expect(unused?.code).toBe('PRECONDITION_FAILED');
    expect(unused?.message).toContain('1 consumers');
    broker.cancel(tag); // the message comes back: ready again
    const empty = errorOf(() => broker.deleteQueue('q', { ifEmpty: true }));
    expect(empty?.code).toBe('PRECONDITION_FAILED');
    expect(empty?.message).toContain('1 ready messages');
    expect(broker.queueNames()).toContain('q');
    broker.deleteQueue('q', { ifUnused: true }); // no consumers now: allowed though not empty
    expect(broker.queueNames()).not.toContain('q');
  });

  it('if-empty and if-unused allow deleting an empty queue without consumers', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    expect(broker.deleteQueue('q', { ifEmpty: true, ifUnused: true })).toBe(0);
    expect(broker.queueNames()).not.toContain('q');
  });

  it('returns the ready count, cancels the consumers and takes the bindings with it', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'fanout');
    broker.declareQueue('q');
    broker.declareQueue('other');
    broker.bindQueue('q', 'x', '');
    broker.bindQueue('other', 'x', '');
    for (const m of ['a', 'b', 'c']) broker.publish('x', '', m);
    const seen: string[] = [];
    broker.consume('q', { prefetch: 1 }, (d) => seen.push(new TextDecoder().decode(d.body)));
    expect(broker.deleteQueue('q')).toBe(2);
    expect(broker.bindingsOf('x').map((b) => b.queue)).toEqual(['other']);
    broker.declareQueue('q'); // a new queue of the same name starts empty, unbound, without consumers
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, unacked: 0, consumers: 0 });
    broker.publish('x', '', 'd');
    expect(broker.queueInfo('q').ready).toBe(0);
    expect(seen).toEqual(['a']);
  });

  it('deleting a queue dead-letters nothing, not even its consumers’ unacknowledged deliveries', () => {
    // Dead-lettering happens on reject/nack without requeue, TTL expiry, the length limit and the
    // delivery limit; a queue's deletion is none of those.
    const { broker } = setup();
    broker.declareExchange('dlx', 'fanout');
    broker.declareQueue('dead');
    broker.bindQueue('dead', 'dlx', '');
    broker.declareQueue('q', { maxLength: 1, deadLetterExchange: 'dlx' });
    broker.consume('q', { prefetch: 2 }, () => {});
    for (const m of ['a', 'b', 'c']) broker.publish('', 'q', m);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 1, unacked: 2 });
    expect(broker.deleteQueue('q')).toBe(1);
    expect(broker.queueInfo('dead').ready).toBe(0);
  });

  it('deleting a queue cancels its consumers: their tags are unknown afterwards and free for reuse', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.declareQueue('other');
    broker.consume('q', { consumerTag: 'worker' }, () => {});
    broker.deleteQueue('q');
    expect(errorOf(() => broker.cancel('worker'))?.code).toBe('NOT_FOUND');
    broker.consume('other', { consumerTag: 'worker' }, () => {});
    expect(broker.queueInfo('other').consumers).toBe(1);
  });

  it('messages of a deleted queue do not expire into its dead-letter exchange later', () => {
    const { loop, broker } = setup();
    broker.declareExchange('dlx', 'fanout');
    broker.declareQueue('dead');
    broker.bindQueue('dead', 'dlx', '');
    broker.declareQueue('q', { messageTtlMs: 100, deadLetterExchange: 'dlx' });
    broker.publish('', 'q', 'a');
    broker.publish('', 'q', 'b', { expirationMs: 50 });
    broker.deleteQueue('q');
    loop.run({ untilMs: 1000 });
    expect(broker.queueInfo('dead').ready).toBe(0);
  });

  it('an unsettled basic.get delivery of a deleted queue is settled by the deletion', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.declareQueue('keep');
    broker.publish('', 'q', 'gone');
    broker.publish('', 'keep', 'kept');
    broker.publish('', 'q', 'gone too');
    const gone = broker.get('q')!;
    const goneToo = broker.get('q')!;
    const kept = broker.get('keep')!;
    broker.deleteQueue('q');
    expect(() => broker.ack(gone.deliveryTag)).toThrow(EngineError);
    expect(() => broker.ack(goneToo.deliveryTag)).toThrow(EngineError); // every one, not every other one
    broker.nack(kept.deliveryTag, { requeue: true }); // the other queue's delivery is untouched
    expect(broker.queueInfo('keep')).toMatchObject({ ready: 1, unacked: 0 });
  });

  it('a deleted durable queue and its persistent messages stay gone after a restart', () => {
    const { loop, disk } = simulatedDisk(9);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('gone', { durable: true });
    broker.declareQueue('kept', { durable: true });
    broker.publish('', 'gone', 'g', { persistent: true });
    broker.publish('', 'kept', 'k', { persistent: true });
    loop.run({ untilMs: 50 });
    broker.deleteQueue('gone');
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(after.queueNames()).toEqual(['kept']);
    after.declareQueue('gone', { durable: true });
    expect(drainBodies(after, 'gone')).toEqual([]);
    expect(drainBodies(after, 'kept').map((x) => x.body)).toEqual(['k']);
  });
});

describe('queue.purge', () => {
  it('removes and counts ready and retry-delayed messages, leaving unacknowledged ones', () => {
    const { loop, broker } = setup();
    broker.declareQueue('q', { retry: { backoff: 'fixed', delayMs: 1000 } });
    for (const m of ['a', 'b', 'c', 'd']) broker.publish('', 'q', m);
    const held = broker.get('q')!;
    const failed = broker.get('q')!;
    broker.nack(failed.deliveryTag, { requeue: true }); // waits in the retry backoff
    expect(broker.queueInfo('q')).toMatchObject({ ready: 2, unacked: 1, delayed: 1 });
    expect(broker.purgeQueue('q')).toBe(3);
    expect(broker.queueInfo('q')).toMatchObject({ ready: 0, unacked: 1, delayed: 0 });
    loop.run({ untilMs: 5000 }); // the purged delayed message does not come back
    expect(broker.queueInfo('q').ready).toBe(0);
    broker.nack(held.deliveryTag, { requeue: true });
    loop.run({ untilMs: 10_000 });
    expect(broker.queueInfo('q').ready).toBe(1);
    expect(broker.purgeQueue('q')).toBe(1);
  });

  it('an unknown queue is NOT_FOUND; error messages name the call', () => {
    const { broker } = setup();
    const purge = errorOf(() => broker.purgeQueue('nope'));
    expect(purge?.code).toBe('NOT_FOUND');
    expect(purge?.message).toContain('purgeQueue');
    const del = errorOf(() => broker.deleteQueue('nope'));
    expect(del?.code).toBe('NOT_FOUND');
    expect(del?.message).toContain('deleteQueue');
    expect(errorOf(() => broker.declareQueue(5 as unknown as string))?.message).toContain('queue name');
    const options = errorOf(() => broker.declareQueue('q', { maxLength: -1 }));
    expect(options?.code).toBe('INVALID_ARGUMENT');
    expect(options?.message).toContain("declareQueue('q')");
  });

  it('a broker without storage declares and deletes durable queues in memory', () => {
    const { broker } = setup();
    broker.declareQueue('dq', { durable: true });
    broker.publish('', 'dq', 'm', { persistent: true });
    expect(broker.deleteQueue('dq')).toBe(1);
    expect(broker.queueNames()).not.toContain('dq');
  });
});
