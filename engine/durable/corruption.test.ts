import { describe, expect, it } from 'vitest';
import type { SimDisk } from '../../sim/disk/simDisk.ts';
import type { EventLoop } from '../../sim/kernel/eventLoop.ts';
import { segmentFileName } from './records.ts';
import { LogCorruptionError } from './recovery.ts';
import { drainBodies, recoverOn, recoveryErrorObject, simulatedDisk } from './testing.ts';

const bodies = (xs: { body: string }[]) => xs.map((x) => x.body);

/** A cleanly closed log of `count` messages over several 1 KiB segments (no compaction: nothing acked). */
function closedLog(count: number, seed = 31) {
  const { loop, disk } = simulatedDisk(seed);
  const broker = recoverOn(loop, disk, { fsync: 'always', segmentBytes: 1024, maxSegments: 1000 });
  broker.declareQueue('q', { durable: true });
  for (let i = 0; i < count; i++) broker.publish('', 'q', `message number ${i}`, { persistent: true });
  loop.run();
  broker.close();
  loop.run();
  const files = [...disk.durableBytes().keys()].sort();
  return { loop, disk, files, all: Array.from({ length: count }, (_, i) => `message number ${i}`) };
}

function remove(loop: EventLoop, disk: SimDisk, file: string): void {
  disk.delete(file, () => {});
  loop.run();
}

describe('corruption is reported, never silently skipped', () => {
  it('a cleanly closed log reopens with every message, and says it was closed cleanly', () => {
    const { loop, disk, files, all } = closedLog(60);
    expect(files.length).toBeGreaterThan(3);
    const broker = recoverOn(loop, disk);
    expect(broker.recoveryReport).toMatchObject({ cleanShutdown: true, truncatedBytes: 0, repaired: [] });
    expect(bodies(drainBodies(broker, 'q'))).toEqual(all);
  });

  it('a one-byte flip in the last message of a cleanly closed log is an error naming file and offset', () => {
    const { loop, disk, files } = closedLog(60);
    const last = files[files.length - 1]!;
    const size = disk.durableBytes().get(last)!;
    // The log ends: ... last message · commit · close · commit. Flip a byte well inside the message.
    disk.corrupt(last, size - 9 - 9 - 9 - 30);
    const error = recoveryErrorObject(loop, disk);
    expect(error).toBeInstanceOf(LogCorruptionError);
    expect((error as LogCorruptionError).file).toBe(last);
    expect(error.message).toMatch(new RegExp(`^${last}: corrupt record at offset \\d+ \\(checksum mismatch\\), with valid records after it`));
  });

  it('deleting the first segment is detected: no Compacted record covers it', () => {
    const { loop, disk, files } = closedLog(60);
    remove(loop, disk, files[0]!);
    const error = recoveryErrorObject(loop, disk);
    expect(error).toMatchObject({ name: 'LogCorruptionError', file: segmentFileName(1), offset: -1 });
    expect(error.message).toMatch(/missing: no Compacted record covers segments 1 to 1/);
  });

  it('deleting the last segment is detected: the one before it is sealed', () => {
    const { loop, disk, files } = closedLog(60);
    const last = files[files.length - 1]!;
    remove(loop, disk, last);
    const error = recoveryErrorObject(loop, disk);
    expect(error).toMatchObject({ name: 'LogCorruptionError', file: last, offset: -1 });
    expect(error.message).toMatch(new RegExp(`missing: ${files[files.length - 2]} was sealed after it had been created`));
  });

  it('deleting a middle segment is detected', () => {
    const { loop, disk, files } = closedLog(60);
    remove(loop, disk, files[2]!);
    expect(recoveryErrorObject(loop, disk)).toMatchObject({ name: 'LogCorruptionError', file: files[2], offset: -1 });
  });

  it('segments deleted by compaction are not missing', () => {
    const { loop, disk } = simulatedDisk(32);
    const broker = recoverOn(loop, disk, { fsync: 'always', segmentBytes: 1024, maxSegments: 2 });
    broker.declareQueue('q', { durable: true });
    for (let i = 0; i < 200; i++) broker.publish('', 'q', `message number ${i}`, { persistent: true });
    loop.run();
    for (let i = 0; i < 150; i++) broker.ack(broker.get('q')!.deliveryTag);
    loop.run();
    broker.close();
    loop.run();
    expect([...disk.durableBytes().keys()].sort()[0]).not.toBe(segmentFileName(1));
    const after = recoverOn(loop, disk);
    expect(drainBodies(after, 'q')).toHaveLength(50);
  });

  it("repair: 'truncate' keeps every record before the damage, drops the rest, reports exactly that, and the log then reopens plainly", () => {
    const { loop, disk, files, all } = closedLog(60);
    const victim = files[2]!;
    const victimBytes = disk.durableBytes().get(victim)!;
    disk.corrupt(victim, 100);
    const broker = recoverOn(loop, disk, { repair: 'truncate' });
    const report = broker.recoveryReport!;
    expect(report.repaired).toHaveLength(1);
    const [action] = report.repaired;
    expect(action).toMatchObject({ file: victim, droppedSegments: files.slice(3) });
    expect(action!.offset).toBeLessThanOrEqual(100);
    expect(action!.droppedBytes).toBe(victimBytes - action!.offset);
    const kept = bodies(drainBodies(broker, 'q'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(all.slice(0, kept.length));
    broker.close();
    loop.run();
    const again = recoverOn(loop, disk);
    expect(again.recoveryReport!.repaired).toEqual([]);
    expect(again.recoveryReport, JSON.stringify(again.recoveryReport)).toMatchObject({ cleanShutdown: true });
  });

  it("repair: 'truncate' accepts a missing first or last segment, says so, and the log then reopens plainly", () => {
    for (const which of ['first', 'last'] as const) {
      const { loop, disk, files } = closedLog(60, which === 'first' ? 33 : 34);
      const gone = which === 'first' ? files[0]! : files[files.length - 1]!;
      remove(loop, disk, gone);
      const broker = recoverOn(loop, disk, { repair: 'truncate' });
      expect(broker.recoveryReport!.repaired).toMatchObject([{ file: gone, offset: -1 }]);
      broker.kill();
      disk.crash();
      const again = recoverOn(loop, disk);
      expect(again.recoveryReport!.repaired).toEqual([]);
    }
  });
});
