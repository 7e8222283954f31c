import { describe, expect, it } from 'vitest';
import type { ExchangeType } from '../index.ts';
import { errorOf, memoryBroker } from './testing.ts';
import { drainBodies, recoverOn, simulatedDisk } from '../durable/testing.ts';

// exchange.declare / exchange.delete / queue.bind / queue.unbind as the AMQP 0-9-1 reference and
// RabbitMQ's "Exchanges" guide describe them: the four types; names starting with `amq.` are
// reserved (403 ACCESS_REFUSED), as is the default exchange, whose bindings are implicit;
// redeclaring with the same type and arguments is a no-op, with different ones a 406
// PRECONDITION_FAILED ("inequivalent arg"); `if-unused` refuses to delete an exchange that has
// bindings; a binding is durable only when both its queue and its exchange are.

function setup() {
  const { loop, broker } = memoryBroker(3);
  return { loop, broker };
}

const codeOf = (fn: () => unknown) => errorOf(fn)?.code;

describe('exchange.declare', () => {
  it('accepts the four exchange types and refuses any other, naming the valid ones', () => {
    const { broker } = setup();
    for (const type of ['direct', 'fanout', 'topic', 'headers'] as const) broker.declareExchange(`x-${type}`, type);
    expect(broker.exchangeNames()).toEqual(expect.arrayContaining(['x-direct', 'x-fanout', 'x-topic', 'x-headers']));
    const error = errorOf(() => broker.declareExchange('bad', 'x-delayed' as ExchangeType));
    expect(error?.code).toBe('INVALID_ARGUMENT');
    expect(error?.message).toContain('direct, fanout, topic, headers');
    expect(error?.message).toContain("'x-delayed'");
    expect(broker.exchangeNames()).not.toContain('bad');
  });

  it('refuses a name that is not a string', () => {
    const { broker } = setup();
    const error = errorOf(() => broker.declareExchange(42 as unknown as string, 'direct'));
    expect(error?.code).toBe('INVALID_ARGUMENT');
    expect(error?.message).toContain('number');
  });

  it('refuses new names with the reserved amq. prefix (ACCESS_REFUSED) and creates nothing', () => {
    const { broker } = setup();
    expect(codeOf(() => broker.declareExchange('amq.custom', 'direct'))).toBe('ACCESS_REFUSED');
    expect(broker.exchangeNames()).not.toContain('amq.custom');
    // A name merely containing "amq." further in is an ordinary name.
    broker.declareExchange('my.amq.x', 'fanout');
    expect(broker.exchangeNames()).toContain('my.amq.x');
  });

  it('redeclaring with the same type and options is a no-op that keeps the bindings', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'direct', { durable: false });
    broker.declareQueue('q');
    broker.bindQueue('q', 'x', 'k');
    broker.declareExchange('x', 'direct');
    expect(broker.bindingsOf('x').map((b) => b.queue)).toEqual(['q']);
    broker.publish('x', 'k', 'm');
    expect(broker.queueInfo('q').ready).toBe(1);
  });

  it('redeclaring with another type, durability or alternate exchange is PRECONDITION_FAILED naming the argument', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'direct', { alternateExchange: 'ae' });
    const type = errorOf(() => broker.declareExchange('x', 'fanout', { alternateExchange: 'ae' }));
    expect(type?.code).toBe('PRECONDITION_FAILED');
    expect(type?.message).toMatch(/inequivalent arg 'type' for exchange 'x'/);
    expect(type?.message).toContain('"fanout"');
    expect(type?.message).toContain('"direct"');
    const durable = errorOf(() => broker.declareExchange('x', 'direct', { durable: true, alternateExchange: 'ae' }));
    expect(durable?.code).toBe('PRECONDITION_FAILED');
    expect(durable?.message).toContain("'durable'");
    const ae = errorOf(() => broker.declareExchange('x', 'direct'));
    expect(ae?.code).toBe('PRECONDITION_FAILED');
    expect(ae?.message).toContain("'alternateExchange'");
  });

  it('redeclaring a predeclared amq. exchange with its own type is allowed; with another type ACCESS_REFUSED', () => {
    const { broker } = setup();
    broker.declareExchange('amq.direct', 'direct', { durable: true });
    expect(codeOf(() => broker.declareExchange('amq.direct', 'topic', { durable: true }))).toBe('ACCESS_REFUSED');
    expect(codeOf(() => broker.declareExchange('amq.fanout', 'direct', { durable: true }))).toBe('ACCESS_REFUSED');
  });
});

describe('exchange.delete', () => {
  it('if-unused refuses while the exchange has bindings (PRECONDITION_FAILED, with the count) and deletes once they are gone', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'fanout');
    broker.declareQueue('a');
    broker.declareQueue('b');
    broker.bindQueue('a', 'x', '');
    broker.bindQueue('b', 'x', '');
    const error = errorOf(() => broker.deleteExchange('x', { ifUnused: true }));
    expect(error?.code).toBe('PRECONDITION_FAILED');
    expect(error?.message).toContain('2 bindings');
    expect(broker.exchangeNames()).toContain('x');
    broker.unbindQueue('a', 'x', '');
    broker.unbindQueue('b', 'x', '');
    broker.deleteExchange('x', { ifUnused: true });
    expect(broker.exchangeNames()).not.toContain('x');
  });

  it('without if-unused deletes an exchange that has bindings; publishing to it is then NOT_FOUND', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'fanout');
    broker.declareQueue('a');
    broker.bindQueue('a', 'x', '');
    broker.deleteExchange('x');
    expect(broker.exchangeNames()).not.toContain('x');
    expect(codeOf(() => broker.publish('x', '', 'm'))).toBe('NOT_FOUND');
  });

  it('the predeclared amq. exchanges cannot be deleted (ACCESS_REFUSED)', () => {
    const { broker } = setup();
    for (const name of ['amq.direct', 'amq.fanout', 'amq.topic', 'amq.headers']) {
      expect(codeOf(() => broker.deleteExchange(name))).toBe('ACCESS_REFUSED');
      expect(broker.exchangeNames()).toContain(name);
    }
  });
});

describe('queue.bind and queue.unbind', () => {
  it('the default exchange cannot be bound to or unbound from (ACCESS_REFUSED)', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    expect(codeOf(() => broker.bindQueue('q', '', 'other'))).toBe('ACCESS_REFUSED');
    expect(codeOf(() => broker.unbindQueue('q', '', 'q'))).toBe('ACCESS_REFUSED');
    // The implicit binding still routes by queue name.
    broker.publish('', 'q', 'm');
    expect(broker.queueInfo('q').ready).toBe(1);
  });

  it('binding twice is one binding; unbinding stops the routing', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'direct');
    broker.declareQueue('q');
    broker.bindQueue('q', 'x', 'k');
    broker.bindQueue('q', 'x', 'k');
    expect(broker.bindingsOf('x')).toHaveLength(1);
    broker.publish('x', 'k', 'one');
    expect(broker.queueInfo('q').ready).toBe(1);
    broker.unbindQueue('q', 'x', 'k');
    broker.publish('x', 'k', 'two');
    expect(broker.queueInfo('q').ready).toBe(1);
    expect(broker.bindingsOf('x')).toHaveLength(0);
  });

  it('refuses a non-string binding key, non-object arguments and argument values that are not scalars', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'headers');
    broker.declareQueue('q');
    expect(codeOf(() => broker.bindQueue('q', 'x', 7 as unknown as string))).toBe('INVALID_ARGUMENT');
    for (const args of [null, [], 'all']) {
      expect(codeOf(() => broker.bindQueue('q', 'x', '', args as never))).toBe('INVALID_ARGUMENT');
    }
    const nested = errorOf(() => broker.bindQueue('q', 'x', '', { region: { nested: 1 } } as never));
    expect(nested?.code).toBe('INVALID_ARGUMENT');
    expect(nested?.message).toContain('args.region');
    for (const ok of ['eu', 3, true, null]) broker.bindQueue('q', 'x', '', { 'x-match': 'any', v: ok });
    expect(broker.bindingsOf('x')).toHaveLength(4);
  });

  it('a headers binding with an x-match other than all, any, all-with-x, any-with-x is refused; other types ignore x-match', () => {
    const { broker } = setup();
    broker.declareExchange('h', 'headers');
    broker.declareExchange('d', 'direct');
    broker.declareQueue('q');
    const error = errorOf(() => broker.bindQueue('q', 'h', '', { 'x-match': 'some' }));
    expect(error?.code).toBe('INVALID_ARGUMENT');
    expect(error?.message).toContain("'some'");
    for (const mode of ['all', 'any', 'all-with-x', 'any-with-x']) broker.bindQueue('q', 'h', mode, { 'x-match': mode });
    broker.bindQueue('q', 'd', 'k', { 'x-match': 'some' });
    expect(broker.bindingsOf('h')).toHaveLength(4);
  });

  it('binding an unknown queue or exchange is NOT_FOUND', () => {
    const { broker } = setup();
    broker.declareExchange('x', 'direct');
    broker.declareQueue('q');
    expect(codeOf(() => broker.bindQueue('nope', 'x', 'k'))).toBe('NOT_FOUND');
    expect(codeOf(() => broker.bindQueue('q', 'nope', 'k'))).toBe('NOT_FOUND');
  });
});

describe('error messages name the operation and the argument', () => {
  it('declare, delete, bind and unbind say which call failed', () => {
    const { broker } = setup();
    broker.declareQueue('q');
    broker.declareExchange('x', 'direct');
    expect(errorOf(() => broker.declareExchange(1 as unknown as string, 'direct'))?.message).toContain('exchange name');
    expect(errorOf(() => broker.declareExchange('y', 'direct', { durable: 'yes' } as never))?.message).toContain("declareExchange('y')");
    expect(errorOf(() => broker.deleteExchange('nope'))?.message).toContain('deleteExchange');
    expect(errorOf(() => broker.deleteExchange('amq.topic'))?.message).toContain("'amq.topic'");
    expect(errorOf(() => broker.bindQueue('q', 'nope', 'k'))?.message).toContain('bindQueue');
    expect(errorOf(() => broker.unbindQueue('q', 'nope', 'k'))?.message).toContain('unbindQueue');
    expect(errorOf(() => broker.bindQueue('q', 'x', 7 as unknown as string))?.message).toContain('bindingKey');
    expect(errorOf(() => broker.bindQueue('q', 'x', 'k', [] as never))?.message).toContain('args');
  });

  it('a headers binding without x-match is accepted (x-match defaults to all)', () => {
    const { broker } = setup();
    broker.declareExchange('h', 'headers');
    broker.declareQueue('q');
    broker.bindQueue('q', 'h', '', { region: 'eu' });
    broker.publish('h', '', 'm', { headers: { region: 'eu' } });
    expect(broker.queueInfo('q').ready).toBe(1);
  });
});

describe('durability of exchanges and bindings across a restart', () => {
  it('a broker without storage takes durable exchanges and their bindings in memory', () => {
    const { broker } = setup();
    broker.declareExchange('dx', 'fanout', { durable: true });
    broker.declareQueue('dq', { durable: true });
    broker.bindQueue('dq', 'dx', '');
    broker.unbindQueue('dq', 'dx', '');
    broker.deleteExchange('dx');
    expect(broker.exchangeNames()).not.toContain('dx');
  });

  it('keeps durable exchanges and the bindings whose queue and exchange are both durable', () => {
    const { loop, disk } = simulatedDisk(5);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareExchange('dx', 'direct', { durable: true, alternateExchange: 'ae' });
    broker.declareExchange('tx', 'direct');
    broker.declareQueue('dq', { durable: true });
    broker.declareQueue('tq');
    broker.bindQueue('dq', 'dx', 'both-durable');
    broker.bindQueue('tq', 'dx', 'transient-queue');
    broker.bindQueue('dq', 'tx', 'transient-exchange');
    broker.bindQueue('dq', 'dx', 'unbound-later');
    broker.unbindQueue('dq', 'dx', 'unbound-later');
    broker.bindQueue('tq', 'dx', 'x');
    broker.unbindQueue('tq', 'dx', 'x'); // a transient binding's unbind writes nothing either
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();

    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(after.exchangeNames()).toContain('dx');
    expect(after.exchangeNames()).not.toContain('tx');
    expect(after.bindingsOf('dx').map((b) => b.bindingKey)).toEqual(['both-durable']);
    expect(after.recoveryReport).toMatchObject({ exchanges: 1, queues: 1, bindings: 1 });
    // The alternate exchange came back with it: redeclaring without it is refused.
    expect(codeOf(() => after.declareExchange('dx', 'direct', { durable: true }))).toBe('PRECONDITION_FAILED');
    after.publish('dx', 'both-durable', 'm', { persistent: true });
    expect(drainBodies(after, 'dq').map((x) => x.body)).toEqual(['m']);
  });

  it('forgets a durable exchange deleted before the crash; a transient exchange deleted writes nothing', () => {
    const { loop, disk } = simulatedDisk(6);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareExchange('gone', 'fanout', { durable: true });
    broker.declareExchange('kept', 'fanout', { durable: true });
    broker.declareExchange('scratch', 'fanout');
    broker.deleteExchange('gone');
    broker.deleteExchange('scratch');
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(after.exchangeNames()).toContain('kept');
    expect(after.exchangeNames()).not.toContain('gone');
    expect(after.recoveryReport).toMatchObject({ exchanges: 1 });
  });
});
