import { describe, expect, it } from 'vitest';
import { deterministic } from '../../sim/dist/deterministic.ts';
import { Broker } from '../broker.ts';
import type { Storage } from '../storage.ts';
import { simulatedDisk } from './testing.ts';

describe('the sync watermark', () => {
  it('moves only over syncs whose earlier syncs have all completed, when syncs complete out of order', () => {
    // fsync batch with a 1 ms timer and 10 ms syncs keeps several syncs in flight; the disk holds the
    // first one back until t = 100 ms, so the later ones complete before it.
    const { loop, disk } = simulatedDisk(21, { writeLatencyMs: deterministic(0.1), syncLatencyMs: deterministic(10) });
    let syncsIssued = 0;
    let heldIssuedAt = -1;
    const reordering: Storage = {
      append: (f, d, cb) => disk.append(f, d, cb),
      sync: (f, cb) => {
        const index = ++syncsIssued;
        disk.sync(f, (error) => {
          if (index !== heldSync) return cb(error);
          heldIssuedAt = loop.now();
          loop.setTimer(100, () => cb(error));
        });
      },
      read: (f, cb) => disk.read(f, cb),
      truncate: (f, n, cb) => disk.truncate(f, n, cb),
      list: (cb) => disk.list(cb),
      delete: (f, cb) => disk.delete(f, cb),
    };
    let broker: Broker | null = null;
    let heldSync = -1;
    Broker.recover({ clock: loop, storage: reordering, fsync: 'batch', batchMs: 1 }, (_e, b) => (broker = b));
    loop.run();
    broker!.declareQueue('q', { durable: true });
    loop.run();
    heldSync = syncsIssued + 1; // the next sync: it covers the first publish
    const start = loop.now();
    const confirmedAt: number[] = [];
    for (let i = 0; i < 8; i++) {
      loop.setTimer(start + i * 3, () => broker!.publish('', 'q', `m${i}`, { persistent: true }, (ack) => ack && confirmedAt.push(loop.now())));
    }
    loop.run();
    expect(heldIssuedAt).toBeGreaterThan(0);
    // Later syncs completed while the first was held (out of order) ...
    expect(syncsIssued - heldSync).toBeGreaterThanOrEqual(3);
    // ... yet nothing was confirmed before the held one completed, and then everything was.
    expect(confirmedAt).toHaveLength(8);
    expect(Math.min(...confirmedAt)).toBeGreaterThanOrEqual(100);
  });
});
