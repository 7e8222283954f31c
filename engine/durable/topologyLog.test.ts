import { describe, expect, it } from 'vitest';
import { deterministic } from '../../sim/dist/deterministic.ts';
import { segmentFileName } from './records.ts';
import { drainBodies, recoverOn, simulatedDisk } from './testing.ts';

/**
 * What the log keeps of topology changes and queue deletion, seen from outside: through a crash
 * (kill + power cut) and recovery, as RabbitMQ keeps durable exchanges with their alternate
 * exchange, forgets deleted ones, and drops a deleted queue's messages for good.
 */
function crashAndRecover(loop: ReturnType<typeof simulatedDisk>['loop'], disk: ReturnType<typeof simulatedDisk>['disk'], broker: ReturnType<typeof recoverOn>) {
  broker.afterDurable(() => {});
  loop.run();
  broker.kill();
  disk.crash();
  return recoverOn(loop, disk);
}

describe('durable topology changes through a crash', () => {
  it("a durable exchange keeps its alternate exchange: an unroutable message still goes there after recovery", () => {
    const { loop, disk } = simulatedDisk(4);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareExchange('ae', 'fanout', { durable: true });
    broker.declareQueue('unrouted', { durable: true });
    broker.bindQueue('unrouted', 'ae', '');
    broker.declareExchange('x', 'direct', { durable: true, alternateExchange: 'ae' });
    broker.declareExchange('plain', 'direct', { durable: true });
    const after = crashAndRecover(loop, disk, broker);
    after.publish('x', 'nobody-binds-this', 'lost?');
    after.publish('plain', 'nobody-binds-this', 'dropped');
    expect(drainBodies(after, 'unrouted').map((m) => m.body)).toEqual(['lost?']);
    // Redeclaring with the same arguments is accepted; the recovered exchange kept exactly them.
    expect(() => after.declareExchange('x', 'direct', { durable: true, alternateExchange: 'ae' })).not.toThrow();
    expect(() => after.declareExchange('plain', 'direct', { durable: true })).not.toThrow();
  });

  it('a deleted durable exchange stays deleted after recovery, with its bindings', () => {
    const { loop, disk } = simulatedDisk(5);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareExchange('gone', 'direct', { durable: true });
    broker.declareExchange('kept', 'direct', { durable: true });
    broker.declareQueue('q', { durable: true });
    broker.bindQueue('q', 'gone', 'k');
    broker.bindQueue('q', 'kept', 'k');
    broker.deleteExchange('gone');
    const after = crashAndRecover(loop, disk, broker);
    expect(after.exchangeNames()).toContain('kept');
    expect(after.exchangeNames()).not.toContain('gone');
    expect(after.bindingsOf('kept').map((b) => b.queue)).toEqual(['q']);
  });

  it("deleting a durable queue releases its messages' segments: the oldest segment is compacted away", () => {
    const { loop, disk } = simulatedDisk(6, { writeLatencyMs: deterministic(0.01), syncLatencyMs: deterministic(0.1) });
    const broker = recoverOn(loop, disk, { fsync: 'always', segmentBytes: 2048, maxSegments: 64 });
    broker.declareQueue('gone', { durable: true });
    broker.declareQueue('traffic', { durable: true });
    for (let i = 0; i < 5; i++) broker.publish('', 'gone', `doomed ${i}`, { persistent: true });
    loop.run();
    broker.deleteQueue('gone');
    // Enough acknowledged traffic to fill and roll several 2 KiB segments.
    for (let i = 0; i < 200; i++) {
      broker.publish('', 'traffic', `message ${i}`, { persistent: true });
      drainBodies(broker, 'traffic');
      loop.run();
    }
    let files: string[] = [];
    disk.list((_e, names) => (files = names));
    loop.run();
    expect(files.length).toBeGreaterThan(0);
    expect(files).not.toContain(segmentFileName(1));
    const after = crashAndRecover(loop, disk, broker);
    expect(after.queueNames()).toEqual(['traffic']);
  });
});
