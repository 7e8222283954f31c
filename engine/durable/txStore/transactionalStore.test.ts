import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../../sim/kernel/eventLoop.ts';
import { drainBodies } from '../testing.ts';
import { commitPolicy } from './commitPolicy.ts';
import { MemoryDatabase } from './memoryBackend.ts';
import { recoverOnDatabase } from './testing.ts';

function setUp(durability: 'sync' | 'async' = 'sync', latencyMs = 2) {
  const loop = new EventLoop();
  const db = new MemoryDatabase(loop, { durability, commitLatencyMs: () => latencyMs });
  return { loop, db };
}

function declare(broker: ReturnType<typeof recoverOnDatabase>): void {
  broker.declareQueue('q', { durable: true });
}

describe('TransactionalStore', () => {
  it('per publish: one transaction per confirmed publish, the confirm only once it committed', () => {
    const { loop, db } = setUp();
    const broker = recoverOnDatabase(loop, db);
    declare(broker);
    loop.run();
    const commitsBefore = db.commits;
    const confirmedAt: number[] = [];
    for (let i = 0; i < 3; i++) broker.publish('', 'q', `m${i}`, { persistent: true }, (ack) => ack && confirmedAt.push(loop.now()));
    expect(confirmedAt).toEqual([]);
    const start = loop.now();
    loop.run();
    expect(db.commits - commitsBefore).toBe(3);
    // One connection serves commits in turn: the third waits for the first two.
    expect(confirmedAt).toEqual([start + 2, start + 4, start + 6]);
  });

  it('group commit: publishes made while a commit is in flight share the next transaction', () => {
    const { loop, db } = setUp();
    const broker = recoverOnDatabase(loop, db, { commit: 'group', groupMs: 0, groupMaxOps: 1000 });
    declare(broker);
    loop.run();
    const commitsBefore = db.commits;
    let confirmed = 0;
    for (let i = 0; i < 50; i++) broker.publish('', 'q', `m${i}`, { persistent: true }, (ack) => ack && confirmed++);
    loop.run({ untilMs: loop.now() + 1 });
    for (let i = 50; i < 100; i++) broker.publish('', 'q', `m${i}`, { persistent: true }, (ack) => ack && confirmed++);
    loop.run();
    expect(confirmed).toBe(100);
    expect(db.commits - commitsBefore).toBe(2);
  });

  it('group commit: groupMaxOps cuts a transaction early', () => {
    const { loop, db } = setUp();
    const broker = recoverOnDatabase(loop, db, { commit: 'group', groupMs: 50, groupMaxOps: 10 });
    declare(broker);
    loop.run();
    const commitsBefore = db.commits;
    let confirmedAt = -1;
    const start = loop.now();
    for (let i = 0; i < 10; i++) broker.publish('', 'q', `m${i}`, { persistent: true }, () => (confirmedAt = loop.now()));
    loop.run();
    expect(db.commits - commitsBefore).toBe(1);
    expect(confirmedAt).toBe(start + 2); // not start + 50 + 2
  });

  it('recovers unsettled messages in order after a broker crash, delivered ones as redelivered; acked ones stay gone', () => {
    const { loop, db } = setUp();
    const broker = recoverOnDatabase(loop, db);
    declare(broker);
    for (let i = 0; i < 4; i++) broker.publish('', 'q', `m${i}`, { persistent: true });
    const first = broker.get('q')!;
    broker.ack(first.deliveryTag);
    broker.get('q'); // m1 delivered, not acked
    broker.publish('', 'q', 'transient');
    loop.run();
    broker.kill();
    const again = recoverOnDatabase(loop, db);
    expect(drainBodies(again, 'q').map((d) => [d.body, d.redelivered])).toEqual([
      ['m1', true],
      ['m2', false],
      ['m3', false],
    ]);
  });

  it('a failed commit nacks its confirm and every later one, and the broker reopens from what was committed', () => {
    const { loop, db } = setUp();
    const broker = recoverOnDatabase(loop, db);
    declare(broker);
    const acks: boolean[] = [];
    broker.publish('', 'q', 'a', { persistent: true }, (ack) => acks.push(ack));
    loop.run();
    broker.publish('', 'q', 'b', { persistent: true }, (ack) => acks.push(ack));
    db.crash(10);
    loop.run();
    broker.publish('', 'q', 'c', { persistent: true }, (ack) => acks.push(ack));
    expect(acks).toEqual([true, false, false]);
    expect(broker.storageError?.message).toMatch(/connection was lost/);
    broker.kill();
    expect(() => recoverOnDatabase(loop, db)).toThrow(/database: it is down/);
    loop.run({ untilMs: loop.now() + 10 });
    expect(drainBodies(recoverOnDatabase(loop, db), 'q').map((d) => d.body)).toEqual(['a']);
  });

  it("'async': a broker crash loses nothing acknowledged; a database crash loses the unflushed window only", () => {
    const { loop, db } = setUp('async');
    const broker = recoverOnDatabase(loop, db);
    declare(broker);
    broker.publish('', 'q', 'early', { persistent: true });
    loop.run({ untilMs: 250 }); // the WAL writer woke at 200 ms
    broker.publish('', 'q', 'late', { persistent: true }, () => {});
    loop.run({ untilMs: 260 });
    broker.kill();
    expect(drainBodies(recoverOnDatabase(loop, db), 'q').map((d) => d.body)).toEqual(['early', 'late']);
    db.crash(0);
    expect(drainBodies(recoverOnDatabase(loop, db), 'q').map((d) => d.body)).toEqual(['early']);
  });

  it('close commits what is pending; the policy refuses bad values by name', () => {
    const { loop, db } = setUp();
    const broker = recoverOnDatabase(loop, db, { commit: 'group', groupMs: 1000 });
    declare(broker);
    broker.publish('', 'q', 'x', { persistent: true });
    let closed: Error | null | undefined;
    broker.close((error) => (closed = error));
    loop.run();
    expect(closed).toBeNull();
    expect(db.durableState().messages.map((m) => new TextDecoder().decode(m.body))).toEqual(['x']);
    expect(() => commitPolicy({ commit: 'sometimes' as 'group' })).toThrow(/commit must be perPublish or group/);
    expect(() => commitPolicy({ groupMaxOps: 0 })).toThrow(/groupMaxOps/);
  });
});
