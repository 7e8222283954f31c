import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deterministic } from '../../sim/dist/deterministic.ts';
import { exponential } from '../../sim/dist/exponential.ts';
import { lognormal } from '../../sim/dist/lognormal.ts';
import { EngineError } from '../errors.ts';
import type { Storage } from '../storage.ts';
import { Broker } from '../broker.ts';
import { parseRecord, RecordType, SEGMENT_HEADER_BYTES, segmentFileName } from './records.ts';
import { LogCorruptionError } from './recovery.ts';
import { drainBodies, recoverOn, recoveryError, recoveryErrorObject, simulatedDisk } from './testing.ts';

/** Mutation testing (npm run mutate) reruns this once per mutant: a smaller run there keeps it affordable; npm test runs it whole. */
const UNDER_MUTATION = process.env.QLAB_MUTATION === '1';


const bodies = (xs: { body: string }[]) => xs.map((x) => x.body);

describe('restart', () => {
  it('restores durable topology and every unsettled persistent message in order and priority', () => {
    const { loop, disk } = simulatedDisk();
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareExchange('orders', 'topic', { durable: true, alternateExchange: 'amq.fanout' });
    broker.declareExchange('scratch', 'fanout'); // not durable
    broker.declareQueue('billing', { durable: true, maxPriority: 2, deadLetterExchange: 'dlx', messageTtlMs: 60_000 });
    broker.declareQueue('temp'); // not durable
    broker.bindQueue('billing', 'orders', 'order.#');
    broker.bindQueue('temp', 'orders', 'order.#');
    const sent = ['a0', 'b2', 'c1', 'd0', 'e2'];
    for (const m of sent) broker.publish('orders', 'order.paid', m, { persistent: true, priority: Number(m[1]) });
    broker.publish('orders', 'order.paid', 'transient', { persistent: false });
    const acked = broker.get('billing')!; // b2
    const held = broker.get('billing')!; // e2, delivered and never acked
    broker.ack(acked.deliveryTag);
    loop.run({ untilMs: 100 }); // long enough to sync everything, well short of the 60 s TTL
    broker.kill();
    disk.crash();

    const after = recoverOn(loop, disk, { fsync: 'always' });
    expect(after.exchangeNames()).toContain('orders');
    expect(after.exchangeNames()).not.toContain('scratch');
    expect(after.queueNames()).toEqual(['billing']);
    expect(after.bindingsOf('orders').map((b) => [b.queue, b.bindingKey])).toEqual([['billing', 'order.#']]);
    expect(after.recoveryReport).toMatchObject({ queues: 1, exchanges: 1, bindings: 1, messages: 4 });
    const back = drainBodies(after, 'billing');
    expect(bodies(back)).toEqual(['e2', 'c1', 'a0', 'd0']);
    expect(back.find((x) => x.body === 'e2')!.redelivered).toBe(true);
    expect(back.filter((x) => x.redelivered)).toHaveLength(1);
    expect(new TextDecoder().decode(held.body)).toBe('e2');
    // The queue's options came back too: redeclaring with them is accepted, with others refused.
    after.declareQueue('billing', { durable: true, maxPriority: 2, deadLetterExchange: 'dlx', messageTtlMs: 60_000 });
    expect(() => after.declareQueue('billing', { durable: true })).toThrow(EngineError);
  });

  it('forgets what was deleted or unbound before the crash', () => {
    const { loop, disk } = simulatedDisk();
    const broker = recoverOn(loop, disk);
    broker.declareExchange('x', 'direct', { durable: true });
    broker.declareQueue('keep', { durable: true });
    broker.declareQueue('gone', { durable: true });
    broker.bindQueue('keep', 'x', 'k');
    broker.bindQueue('keep', 'x', 'old');
    broker.unbindQueue('keep', 'x', 'old');
    broker.publish('', 'gone', 'm', { persistent: true });
    broker.deleteQueue('gone');
    broker.publish('', 'keep', 'purged', { persistent: true });
    broker.purgeQueue('keep');
    broker.close();
    loop.run();
    const after = recoverOn(loop, disk);
    expect(after.queueNames()).toEqual(['keep']);
    expect(after.bindingsOf('x').map((b) => b.bindingKey)).toEqual(['k']);
    expect(after.queueInfo('keep').ready).toBe(0);
  });

  it('expires a recovered message whose TTL passed while the broker was down', () => {
    const { loop, disk } = simulatedDisk();
    const broker = recoverOn(loop, disk);
    broker.declareQueue('dead', { durable: true });
    broker.declareQueue('q', { durable: true, messageTtlMs: 100, deadLetterExchange: '', deadLetterRoutingKey: 'dead' });
    broker.publish('', 'q', 'short-lived', { persistent: true });
    broker.close();
    loop.run({ untilMs: 500 });
    const after = recoverOn(loop, disk);
    loop.run({ untilMs: loop.now() });
    expect(after.queueInfo('q').ready).toBe(0);
    expect(drainBodies(after, 'dead').map((x) => x.delivery.deaths[0]!.reason)).toEqual(['expired']);
  });
});

describe('confirms follow the fsync policy', () => {
  const latencies = { writeLatencyMs: deterministic(1), syncLatencyMs: deterministic(10) };

  function confirmTimes(fsync: 'always' | 'batch' | 'never', publishAt: number[]) {
    const { loop, disk } = simulatedDisk(1, latencies);
    const broker = recoverOn(loop, disk, { fsync, batchMs: 5 });
    broker.declareQueue('q', { durable: true });
    loop.run();
    const start = loop.now();
    const syncsBefore = disk.stats.syncs;
    const times: number[] = [];
    for (const at of publishAt) {
      loop.setTimer(start + at, () => broker.publish('', 'q', 'm', { persistent: true }, (ack) => ack && times.push(loop.now() - start)));
    }
    loop.run();
    return { times, syncs: disk.stats.syncs - syncsBefore };
  }

  it('always: after the write and its fsync; publishes during a sync share the next one (group commit)', () => {
    const { times, syncs } = confirmTimes('always', [0, 2, 3, 4]);
    // t=0: write 0–1, sync 1–11. Publishes at 2, 3, 4 are written together after the first write
    // (one append, 2–3) and share one sync (11–21).
    expect(times).toEqual([11, 21, 21, 21]);
    expect(syncs).toBe(2);
  });

  it('batch: a burst shares one sync, started as soon as the log is idle rather than batchMs later', () => {
    const { times, syncs } = confirmTimes('batch', [0, 1, 2]);
    // Writes 0–1, 1–2, 2–3 follow each other; at 3 nothing is left to write: sync 3–13 covers all.
    expect(times).toEqual([13, 13, 13]);
    expect(syncs).toBe(1);
  });

  it('batch: a record written while a sync runs waits at most batchMs for its own', () => {
    const { times, syncs } = confirmTimes('batch', [0, 5]);
    // Write 0–1, idle: sync 1–11. The record of t=5 is written 5–6 while that sync runs; its batch
    // timer (5 + 5 ms) issues a second sync at 10, which the simulated disk starts when the first
    // ends (one fsync at a time): 11–21.
    expect(times).toEqual([11, 21]);
    expect(syncs).toBe(2);
  });

  it('batch: under a steady stream of writes the log is never idle, and a sync starts batchMs after the first unsynced record', () => {
    const publishAt = Array.from({ length: 17 }, (_, i) => i / 2);
    const { times, syncs } = confirmTimes('batch', publishAt);
    // A publish every 0.5 ms keeps the 1 ms writes busy until 9: the timer of the record of t=0
    // starts a sync at 5 (5–15) covering the nine handed over by then; the rest share the next.
    expect(times).toEqual([...Array(9).fill(15), ...Array(8).fill(25)]);
    expect(syncs).toBe(2);
  });

  it('never: on write, with no fsync at all', () => {
    const { times, syncs } = confirmTimes('never', [0, 5]);
    expect(times).toEqual([1, 6]);
    expect(syncs).toBe(0);
  });

  it('a transient message, or one on a non-durable queue, is confirmed at once', () => {
    const { loop, disk } = simulatedDisk(1, latencies);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('durable', { durable: true });
    broker.declareQueue('memory');
    const confirmed: string[] = [];
    broker.publish('', 'durable', 'x', { persistent: false }, () => confirmed.push('transient'));
    broker.publish('', 'memory', 'x', { persistent: true }, () => confirmed.push('non-durable queue'));
    expect(confirmed).toEqual(['transient', 'non-durable queue']);
  });

  it('a refused publish is a negative confirm at once', () => {
    const { loop, disk } = simulatedDisk(1, latencies);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('q', { durable: true, maxLength: 0, overflow: 'reject-publish' });
    const acks: boolean[] = [];
    broker.publish('', 'q', 'x', { persistent: true }, (ack) => acks.push(ack));
    expect(acks).toEqual([false]);
  });

  it('a storage failure makes every pending and later confirm negative, and says why', () => {
    const { loop, disk } = simulatedDisk(1, latencies);
    let failSyncs = false;
    const flaky: Storage = {
      append: (f, d, cb) => disk.append(f, d, cb),
      sync: (f, cb) => (failSyncs ? loop.after(1, () => cb(new Error('EIO: fsync failed'))) : disk.sync(f, cb)),
      read: (f, cb) => disk.read(f, cb),
      truncate: (f, n, cb) => disk.truncate(f, n, cb),
      list: (cb) => disk.list(cb),
      delete: (f, cb) => disk.delete(f, cb),
    };
    let broker: Broker | null = null;
    Broker.recover({ clock: loop, storage: flaky, fsync: 'always' }, (_e, b) => (broker = b));
    loop.run();
    broker!.declareQueue('q', { durable: true });
    loop.run();
    failSyncs = true;
    const acks: boolean[] = [];
    broker!.publish('', 'q', 'a', { persistent: true }, (ack) => acks.push(ack));
    loop.run();
    broker!.publish('', 'q', 'b', { persistent: true }, (ack) => acks.push(ack));
    expect(acks).toEqual([false, false]);
    expect(broker!.storageError?.message).toMatch(/EIO/);
  });
});

describe('crash recovery keeps its promises (fast-check)', () => {
  type Op = { kind: 'publish'; priority: number; persistent: boolean } | { kind: 'ack' } | { kind: 'nack' } | { kind: 'wait'; ms: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('publish' as const), priority: fc.integer({ min: 0, max: 2 }), persistent: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('nack' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 8 }) }) },
  );

  for (const fsync of ['always', 'batch'] as const) {
    it(`fsync ${fsync}: confirmed messages survive unless their ack was synced; nothing else appears; order holds`, () => {
      fc.assert(
        // The crash comes at a random time, or right after the k-th confirm (the window in which a
        // confirm given too early would be lost), whichever is first.
        fc.property(fc.array(opArb, { minLength: 20, maxLength: 120, size: 'max' }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.integer({ min: 1, max: 30 })), (ops, seed, crashPoint, crashAfterConfirm) => {
          const { loop, disk } = simulatedDisk(seed, {
            writeLatencyMs: exponential(0.3),
            syncLatencyMs: lognormal(2, 1),
            tearProbability: 0.7,
          });
          const broker = recoverOn(loop, disk, { fsync, batchMs: 3, segmentBytes: 2048, maxSegments: 3 });
          broker.declareQueue('q', { durable: true, maxPriority: 2 });
          const published = new Map<string, number>(); // id → priority
          const confirmed = new Set<string>();
          const ackSynced = new Set<string>();
          /** Acked, synced or not: a crash may keep or lose an ack that was not yet synced. */
          const ackIssued = new Set<string>();
          const held: { tag: number; id: string }[] = [];
          let n = 0;
          // Opening takes a little virtual time (the first segment's header is synced).
          const t0 = loop.now();
          let t = 0;
          let crashNow = false;
          let killed = false;
          for (const op of ops) {
            if (op.kind === 'wait') {
              t += op.ms;
              continue;
            }
            loop.setTimer(t0 + t, () => {
              if (killed) return; // the old broker's workload stops with it
              if (op.kind === 'publish') {
                const id = `m${n++}`;
                published.set(id, op.priority);
                broker.publish('', 'q', id, { persistent: op.persistent, priority: op.priority, messageId: id }, (ack) => {
                  if (ack && op.persistent) confirmed.add(id);
                  if (confirmed.size === crashAfterConfirm) crashNow = true;
                });
              } else {
                const d = op.kind === 'ack' ? broker.get('q') : held.shift();
                if (op.kind === 'ack' && d !== undefined && 'deliveryTag' in d) {
                  const id = d.properties.messageId!;
                  broker.ack(d.deliveryTag);
                  ackIssued.add(id);
                  broker.afterDurable((ok) => ok && ackSynced.add(id));
                } else if (op.kind === 'nack' && d !== undefined && 'tag' in d) {
                  broker.nack(d.tag, { requeue: true });
                }
                const next = broker.get('q');
                if (next !== undefined) held.push({ tag: next.deliveryTag, id: next.properties.messageId! });
              }
            });
          }
          const crashAt = t0 + crashPoint * (t + 20);
          loop.run({ untilMs: crashAt, stopWhen: () => crashNow });
          broker.kill();
          killed = true;
          disk.crash();
          const seen = (() => {
            try {
              const after = recoverOn(loop, disk, { fsync });
              // A crash before the queue's declaration was synced leaves no queue (and nothing confirmed).
              return after.queueNames().includes('q') ? drainBodies(after, 'q') : [];
            } catch (error) {
              throw new Error(`recovery failed (seed ${seed}, crash at ${crashAt} ms): ${(error as Error).message}`);
            }
          })();
          const ids = seen.map((x) => x.body);
          // (3) nothing appears that was never published, and nothing twice.
          for (const id of ids) expect(published.has(id)).toBe(true);
          expect(new Set(ids).size).toBe(ids.length);
          // (1) every confirmed persistent message is back unless it was acked (an ack not yet synced
          // may survive in a torn write's intact prefix).
          for (const id of confirmed) if (!ackIssued.has(id)) expect(ids).toContain(id);
          // (2) no message whose ack was synced comes back.
          for (const id of ackSynced) expect(ids).not.toContain(id);
          // (4) highest priority first, and within a level in publish order.
          const key = (id: string) => [-published.get(id)!, Number(id.slice(1))] as const;
          for (let i = 1; i < ids.length; i++) {
            const [pa, na] = key(ids[i - 1]!);
            const [pb, nb] = key(ids[i]!);
            expect(pa < pb || (pa === pb && na < nb)).toBe(true);
          }
        }),
        { seed: fsync === 'always' ? 505 : 606, numRuns: UNDER_MUTATION ? 25 : 150 },
      );
    });
  }
});

describe('torn and corrupt logs', () => {
  /** A log of `count` messages on a fresh disk, fully synced; returns its bytes and record offsets. */
  function writeLog(count: number) {
    const { loop, disk } = simulatedDisk(3);
    const broker = recoverOn(loop, disk, { fsync: 'always' });
    broker.declareQueue('q', { durable: true });
    for (let i = 0; i < count; i++) broker.publish('', 'q', `m${i}`, { persistent: true });
    loop.run();
    broker.kill();
    let bytes: Uint8Array | null = null;
    const file = segmentFileName(1);
    disk.read(file, (_e, d) => (bytes = d));
    loop.run();
    const data = bytes!;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const offsets: number[] = [];
    const types: RecordType[] = [];
    for (let at = SEGMENT_HEADER_BYTES; at < data.length; ) {
      offsets.push(at);
      const parsed = parseRecord(data, view, at, new Map());
      if (!parsed.ok) throw new Error(parsed.reason);
      types.push(parsed.record.type);
      at = parsed.next;
    }
    return { data, offsets, types, file };
  }

  function diskWith(file: string, content: Uint8Array) {
    const { loop, disk } = simulatedDisk(4);
    disk.append(file, content, () => {});
    disk.sync(file, () => {});
    loop.run();
    return { loop, disk };
  }

  it('a tail torn at every byte offset of the last write recovers to the record before the tear', () => {
    const { data, offsets, types, file } = writeLog(5);
    // The last write ends with the last message and its commit marker.
    expect(types.slice(-2)).toEqual([RecordType.Enqueue, RecordType.Commit]);
    const messageStart = offsets[offsets.length - 2]!;
    const markerStart = offsets[offsets.length - 1]!;
    for (let cut = messageStart; cut < data.length; cut++) {
      const { loop, disk } = diskWith(file, data.subarray(0, cut));
      const broker = recoverOn(loop, disk);
      const keptMessage = cut >= markerStart;
      expect(broker.recoveryReport!.truncatedBytes).toBe(cut - (keptMessage ? markerStart : messageStart));
      expect(bodies(drainBodies(broker, 'q'))).toEqual(keptMessage ? ['m0', 'm1', 'm2', 'm3', 'm4'] : ['m0', 'm1', 'm2', 'm3']);
    }
  });

  it('a flipped byte in the last message of a crashed log is corruption, not a torn write: its commit marker follows', () => {
    const { data, offsets, file } = writeLog(5);
    const lastMessage = offsets[offsets.length - 2]!;
    const { loop, disk } = diskWith(file, data);
    disk.corrupt(file, lastMessage + 20);
    const error = recoveryErrorObject(loop, disk);
    expect(error).toBeInstanceOf(LogCorruptionError);
    expect(error).toMatchObject({ file, offset: lastMessage });
    expect(error.message).toMatch(/checksum mismatch\), with valid records after it/);
  });

  it('corruption before the end of the last segment is an error naming the file and offset', () => {
    const { data, offsets, file } = writeLog(5);
    const { loop, disk } = diskWith(file, data);
    disk.corrupt(file, offsets[2]! + 12);
    expect(recoveryError(loop, disk)).toMatch(new RegExp(`${file}: corrupt record at offset ${offsets[2]} \\(checksum mismatch\\), with valid records after it`));
  });

  it('corruption in an older segment is an error even at its very end', () => {
    const { loop, disk } = simulatedDisk(5);
    const broker = recoverOn(loop, disk, { segmentBytes: 1024 });
    broker.declareQueue('q', { durable: true });
    for (let i = 0; i < 40; i++) broker.publish('', 'q', `message-${i}`, { persistent: true });
    broker.close();
    loop.run();
    const first = segmentFileName(1);
    const size = disk.durableBytes().get(first)!;
    disk.corrupt(first, size - 1);
    expect(recoveryError(loop, disk)).toMatch(/segment-00000001\.qlog: corrupt record at offset \d+/);
  });

  it('refuses a directory that holds other files, and a segment with a foreign header', () => {
    const { loop, disk } = simulatedDisk(6);
    disk.append('notes.txt', Uint8Array.from([1]), () => {});
    disk.sync('notes.txt', () => {});
    loop.run();
    expect(recoveryError(loop, disk)).toMatch(/not a queuelab log directory: unexpected file 'notes\.txt'/);
    const other = simulatedDisk(7);
    other.disk.append(segmentFileName(1), new TextEncoder().encode('PK\u0003\u0004 not ours at all'), () => {});
    other.disk.sync(segmentFileName(1), () => {});
    other.loop.run();
    expect(recoveryError(other.loop, other.disk)).toMatch(/not a queuelab segment \(bad header at offset 0\)/);
  });
});

describe('compaction', () => {
  it('keeps disk use bounded under steady traffic, even with a message held unacked forever', () => {
    const { loop, disk } = simulatedDisk(8, { writeLatencyMs: deterministic(0.01), syncLatencyMs: deterministic(0.5) });
    const broker = recoverOn(loop, disk, { fsync: 'batch', batchMs: 1, segmentBytes: 8 * 1024, maxSegments: 4 });
    broker.declareQueue('q', { durable: true });
    broker.publish('', 'q', 'stuck', { persistent: true });
    const stuck = broker.get('q')!;
    let peak = 0;
    broker.consume('q', { prefetch: 10 }, (d) => loop.after(0.2, () => broker.ack(d.deliveryTag)));
    const t0 = loop.now();
    for (let i = 0; i < 20_000; i++) {
      loop.setTimer(t0 + i * 0.05, () => broker.publish('', 'q', `message number ${i}`, { persistent: true }));
    }
    for (let t = 0; t < 1100; t += 10) {
      loop.run({ untilMs: t0 + t });
      peak = Math.max(peak, disk.usedBytes);
    }
    loop.run();
    // 20,000 messages of ~70 bytes, logged and settled, is well over a megabyte; the log stays at a
    // handful of 8 KiB segments.
    expect(disk.stats.bytesAppended).toBeGreaterThan(1_000_000);
    expect(peak).toBeLessThan(8 * 8 * 1024);
    broker.kill();
    disk.crash();
    const after = recoverOn(loop, disk);
    expect(bodies(drainBodies(after, 'q'))).toEqual(['stuck']);
    expect(stuck.deliveryCount).toBe(1);
  });
});
