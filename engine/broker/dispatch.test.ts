import { describe, expect, it } from 'vitest';
import { drainBodies, recoverOn, simulatedDisk } from '../durable/testing.ts';

// RabbitMQ's "Consumer Acknowledgements" and "Reliability" guides: a message that was delivered
// but not acknowledged when the broker went down comes back after the restart with the
// `redelivered` flag set ("the message may have been processed before"); a persistent message
// never delivered comes back with it clear. That needs the delivery itself written to the log.

describe('deliveries of persistent messages across a restart', () => {
  it('unacknowledged deliveries (the very first message included) come back redelivered; undelivered ones do not', () => {
    const { loop, disk } = simulatedDisk(21);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('q', { durable: true });
    for (const m of ['first', 'second', 'third']) broker.publish('', 'q', m, { persistent: true });
    loop.run({ untilMs: 50 });
    const first = broker.get('q')!;
    const second = broker.get('q')!;
    expect([first.redelivered, second.redelivered]).toEqual([false, false]);
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();

    const after = recoverOn(loop, disk, { fsync: 'always' });
    const back = drainBodies(after, 'q');
    expect(back.map((x) => [x.body, x.redelivered])).toEqual([
      ['first', true],
      ['second', true],
      ['third', false],
    ]);
  });

  it('a delivery through a consumer is logged too', () => {
    const { loop, disk } = simulatedDisk(22);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('q', { durable: true });
    broker.publish('', 'q', 'only', { persistent: true });
    broker.publish('', 'q', 'transient', { persistent: false });
    const seen: string[] = [];
    broker.consume('q', { prefetch: 2 }, (d) => seen.push(new TextDecoder().decode(d.body)));
    expect(seen).toEqual(['only', 'transient']);
    loop.run({ untilMs: 100 });
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(drainBodies(after, 'q').map((x) => [x.body, x.redelivered])).toEqual([['only', true]]);
  });
});
