import { describe, expect, it } from 'vitest';
import { deterministic } from '../../sim/dist/deterministic.ts';
import type { Storage } from '../storage.ts';
import { MessageLog, type LogPolicy, type SegmentState } from './messageLog.ts';
import { RecordType, segmentFileName, type Topology } from './records.ts';
import { simulatedDisk } from './testing.ts';

/**
 * MessageLog on its own, on a SimDisk with fixed latencies (append 1 ms, sync 10 ms, delete 10 ms),
 * every storage call recorded with its virtual time. Expected times follow from the policies as
 * documented on the class (always: sync at once, one at a time; batch: batchMs after the first
 * unsynced record or at batchRecords; never: on write) and from those latencies.
 */
const EMPTY: Topology = { exchanges: [], queues: [], bindings: [] };
const BASE: LogPolicy = { fsync: 'always', batchMs: 5, batchRecords: 10_000, segmentBytes: 1 << 20, maxSegments: 8 };

function harness(policy: Partial<LogPolicy> = {}, failOn?: (op: string, file: string) => Error | null, extraSyncMs: (file: string) => number = () => 0) {
  const { loop, disk } = simulatedDisk(3, { writeLatencyMs: deterministic(1), syncLatencyMs: deterministic(10), readLatencyMs: deterministic(10) });
  const ops: string[] = [];
  const note = (op: string, file: string) => ops.push(`${loop.now()} ${op} ${file}`);
  const fail = (op: string, file: string, done: (e: Error | null) => void): boolean => {
    const error = failOn?.(op, file) ?? null;
    if (error !== null) loop.after(1, () => done(error));
    return error !== null;
  };
  const storage: Storage = {
    append: (f, d, cb) => (note('append', f), fail('append', f, cb) || disk.append(f, d, cb)),
    sync: (f, cb) =>
      (note('sync', f),
      fail('sync', f, cb) ||
        disk.sync(f, (e) => {
          const extra = extraSyncMs(f);
          const finish = () => (note('synced', f), cb(e));
          if (extra > 0) loop.after(extra, finish);
          else finish();
        })),
    read: (f, cb) => disk.read(f, cb),
    truncate: (f, n, cb) => disk.truncate(f, n, cb),
    list: (cb) => disk.list(cb),
    delete: (f, cb) => (note('delete', f), fail('delete', f, cb) || disk.delete(f, cb)),
  };
  const copied: number[] = [];
  const log = new MessageLog(storage, loop, { ...BASE, ...policy }, [], 1, EMPTY, (s: SegmentState) => copied.push(s.number));
  let started: Error | null | undefined;
  log.whenStarted((e) => (started = e));
  loop.run();
  const syncsSince = (from: number) => ops.slice(from).filter((o) => o.includes(' sync ')).length;
  return { loop, disk, log, ops, copied, started: () => started, syncsSince };
}

function settle(_log: MessageLog) {
  return { type: RecordType.Settle as const, logId: 1 };
}

describe('MessageLog: confirms under each fsync policy', () => {
  it('starts by creating segment 1 durably (header synced) and writing its snapshot', () => {
    const h = harness();
    expect(h.started()).toBeNull();
    expect(h.log.activeSegment).toBe(1);
    expect(h.log.lastSeq).toBe(1); // the snapshot
    expect(h.ops[0]).toBe(`0 append ${segmentFileName(1)}`);
    expect(h.ops).toContain(`0 sync ${segmentFileName(1)}`);
    expect(h.log.durableSeq).toBe(1);
  });

  it('batch: batchRecords unsynced records start a sync at once, well before batchMs', () => {
    const h = harness({ fsync: 'batch', batchMs: 1000, batchRecords: 3 });
    const t0 = h.loop.now();
    const acks: number[] = [];
    for (let i = 0; i < 3; i++) h.log.whenDurable(h.log.append(settle(h.log)), (ok) => ok && acks.push(h.loop.now() - t0));
    h.loop.run();
    // The first record is written alone (0–1), the other two together (1–2); at 1 three records are
    // handed over, 3 ≥ batchRecords, so a sync is issued then and runs after the append in flight: 2–12.
    expect(acks).toEqual([12, 12, 12]);
  });

  it('batch: a record nobody waits for waits batchMs from the first unsynced one (fewer than batchRecords)', () => {
    const h = harness({ fsync: 'batch', batchMs: 50, batchRecords: 3 });
    const t0 = h.loop.now();
    const before = h.ops.length;
    h.log.append(settle(h.log));
    h.loop.after(20, () => h.log.append(settle(h.log)));
    h.loop.run();
    // The timer is set when the first append is handed over (t0) and fires at t0 + 50: one sync.
    expect(h.ops.slice(before).filter((o) => o.includes(' sync ')).map((o) => Number(o.split(' ')[0]) - t0)).toEqual([50]);
  });

  it('batch: a waited-for confirm on an idle log is synced at once, not after batchMs', () => {
    const h = harness({ fsync: 'batch', batchMs: 50, batchRecords: 3 });
    const t0 = h.loop.now();
    const acks: number[] = [];
    h.log.whenDurable(h.log.append(settle(h.log)), (ok) => ok && acks.push(h.loop.now() - t0));
    h.loop.after(20, () => h.log.whenDurable(h.log.append(settle(h.log)), (ok) => ok && acks.push(h.loop.now() - t0)));
    h.loop.run();
    // Each write lands 1 ms after it is handed over; the log is then idle with a confirm waiting,
    // so the sync (10 ms) starts at once: 0 + 1 + 10 and 20 + 1 + 10.
    expect(acks).toEqual([11, 31]);
  });

  it('never: a record is confirmed when its write lands, with no sync; syncAll still syncs', () => {
    const h = harness({ fsync: 'never' });
    const t0 = h.loop.now();
    const before = h.ops.length;
    const acks: number[] = [];
    h.log.whenDurable(h.log.append(settle(h.log)), (ok) => ok && acks.push(h.loop.now() - t0));
    h.loop.run();
    expect(acks).toEqual([1]);
    expect(h.syncsSince(before)).toBe(0);
    expect(h.log.durableSeq).toBe(h.log.lastSeq);
    let synced: Error | null | undefined;
    h.log.syncAll((e) => (synced = e));
    h.loop.run();
    expect(synced).toBeNull();
    expect(h.syncsSince(before)).toBe(1);
  });

  it('always: one sync at a time; records appended during it share the next', () => {
    const h = harness({ fsync: 'always' });
    const t0 = h.loop.now();
    const before = h.ops.length;
    const acks: number[] = [];
    const publish = () => h.log.whenDurable(h.log.append(settle(h.log)), (ok) => ok && acks.push(h.loop.now() - t0));
    publish();
    h.loop.after(3, publish);
    h.loop.after(4, publish);
    h.loop.run();
    // write 0–1, sync 1–11; the two later records are written at 3–4 and 4–5 but wait for the sync
    // in flight: the next sync starts at 11 and ends at 21.
    expect(acks).toEqual([11, 21, 21]);
    expect(h.syncsSince(before)).toBe(2);
  });

  it('a record already durable is confirmed at once (synchronously)', () => {
    const h = harness();
    let ack: boolean | undefined;
    h.log.whenDurable(1, (ok) => (ack = ok));
    expect(ack).toBe(true);
  });

  it('syncAll with nothing unsynced calls back at once, without a sync', () => {
    const h = harness({ fsync: 'always' });
    const before = h.ops.length;
    let done: Error | null | undefined;
    h.log.syncAll((e) => (done = e));
    expect(done).toBeNull();
    expect(h.ops.length).toBe(before);
  });

  it('stop() cancels the pending batch timer: no sync happens after it', () => {
    const h = harness({ fsync: 'batch', batchMs: 50 });
    const before = h.ops.length;
    // Nobody waits for this record, so only the batch timer would sync it (at +50).
    h.log.append(settle(h.log));
    h.loop.run({ untilMs: h.loop.now() + 10 });
    h.log.stop();
    h.loop.run();
    expect(h.syncsSince(before)).toBe(0);
  });
});

describe('MessageLog: stop and close', () => {
  it('after stop(), a write already in flight leads to nothing: no sync, no confirm', () => {
    const h = harness({ fsync: 'always' });
    const acks: boolean[] = [];
    h.log.whenDurable(h.log.append(settle(h.log)), (ok) => acks.push(ok));
    const before = h.ops.length; // the append is issued
    h.log.stop();
    h.loop.run();
    // (The sync issued with the append may still complete; nothing new is issued.)
    expect(h.ops.slice(before).filter((o) => !o.includes(' synced '))).toEqual([]);
    expect(acks).toEqual([]);
  });

  it('close on a failed log reports the failure and writes no close marker', () => {
    let failing = false;
    const h = harness({ fsync: 'always' }, (op) => (failing && op === 'sync' ? new Error('EIO: close') : null));
    failing = true;
    h.log.append(settle(h.log));
    const last = h.log.lastSeq;
    let closed: Error | null | undefined;
    h.log.close((e) => (closed = e));
    h.loop.run();
    expect(closed?.message).toBe('EIO: close');
    expect(h.log.lastSeq).toBe(last);
  });
});

describe('MessageLog: failures', () => {
  it('a failed sync fails the log: waiting and later confirms are negative, syncAll and whenStarted report the error', () => {
    let failing = false;
    const h = harness({ fsync: 'always' }, (op) => (failing && op === 'sync' ? new Error('EIO: sync') : null));
    failing = true;
    const acks: boolean[] = [];
    h.log.whenDurable(h.log.append(settle(h.log)), (ok) => acks.push(ok));
    h.loop.run();
    expect(acks).toEqual([false]);
    expect(h.log.failed?.message).toBe('EIO: sync');
    h.log.whenDurable(h.log.append(settle(h.log)), (ok) => acks.push(ok));
    expect(acks).toEqual([false, false]);
    let syncError: Error | null = null;
    h.log.syncAll((e) => (syncError = e));
    expect(syncError!.message).toBe('EIO: sync');
    let startError: Error | null = null;
    h.log.whenStarted((e) => (startError = e));
    expect(startError!.message).toBe('EIO: sync');
  });

  it('a syncAll waiting when the log fails hears the error', () => {
    let failing = false;
    const h = harness({ fsync: 'never' }, (op) => (failing && op === 'sync' ? new Error('EIO: late') : null));
    h.log.append(settle(h.log));
    failing = true;
    let result: Error | null | undefined;
    h.log.syncAll((e) => (result = e));
    h.loop.run();
    expect(result?.message).toBe('EIO: late');
  });

  it('a failed append fails the log with that error', () => {
    let failing = false;
    const h = harness({ fsync: 'always' }, (op) => (failing && op === 'append' ? new Error('ENOSPC') : null));
    failing = true;
    const acks: boolean[] = [];
    h.log.whenDurable(h.log.append(settle(h.log)), (ok) => acks.push(ok));
    h.loop.run();
    expect(acks).toEqual([false]);
    expect(h.log.failed?.message).toBe('ENOSPC');
  });

  it('an unwritable first segment fails at start', () => {
    const h = harness({}, (op) => (op === 'sync' ? new Error('EACCES') : null));
    expect(h.started()?.message).toBe('EACCES');
    expect(h.log.failed?.message).toBe('EACCES');
  });
});

describe('MessageLog: segments', () => {
  it('rolls only once the active segment reaches segmentBytes; the old one is sealed and synced before the new one is written', () => {
    const h = harness({ segmentBytes: 200 });
    h.log.noteEnqueued(); // a live message keeps segment 1 from compaction
    h.log.maybeRoll(() => EMPTY);
    expect(h.log.activeSegment).toBe(1); // a snapshot is far below 200 bytes
    const before = h.ops.length;
    while (h.log.segments[0]!.bytes < 200) h.log.append(settle(h.log));
    h.log.maybeRoll(() => EMPTY);
    expect(h.log.activeSegment).toBe(2);
    h.loop.run();
    const since = h.ops.slice(before).map((o) => o.replace(/^\S+ /, ''));
    const s1 = segmentFileName(1);
    const s2 = segmentFileName(2);
    // The new file's header is synced before any record goes to it; segment 1's seal is synced.
    expect(since.indexOf(`sync ${s2}`)).toBeGreaterThan(since.indexOf(`append ${s2}`));
    expect(since.lastIndexOf(`append ${s2}`)).toBeGreaterThan(since.indexOf(`sync ${s2}`));
    expect(since.lastIndexOf(`sync ${s1}`)).toBeGreaterThan(since.lastIndexOf(`append ${s1}`));
    expect(h.log.segments.map((s) => s.number)).toEqual([1, 2]);
    expect(h.log.segments[0]!.lastSeq).toBeLessThan(Infinity);
  });

  it("a new segment gets no record before its header's sync has completed, even when that sync is slow", () => {
    const s2 = segmentFileName(2);
    let slowOnce = true;
    const h = harness({ segmentBytes: 200 }, undefined, (f) => (f === s2 && slowOnce ? ((slowOnce = false), 50) : 0));
    h.log.noteEnqueued();
    while (h.log.segments[0]!.bytes < 200) h.log.append(settle(h.log));
    h.log.maybeRoll(() => EMPTY);
    h.log.append(settle(h.log));
    h.loop.run();
    const ops = h.ops.map((o) => o.replace(/^\S+ /, ''));
    const appendsToS2 = ops.map((o, i) => (o === `append ${s2}` ? i : -1)).filter((i) => i >= 0);
    expect(appendsToS2.length).toBeGreaterThanOrEqual(2); // the header, then records
    expect(appendsToS2[1]).toBeGreaterThan(ops.indexOf(`synced ${s2}`));
  });

  it('copies the oldest segment forward only past maxSegments and only while it holds live messages', () => {
    const h = harness({ segmentBytes: 100, maxSegments: 2 });
    const fill = () => {
      while (h.log.segments[h.log.segments.length - 1]!.bytes < 100) h.log.append(settle(h.log));
      h.log.maybeRoll(() => EMPTY);
      h.loop.run();
    };
    h.log.noteEnqueued(); // a live message in segment 1
    fill(); // 2 segments: not past maxSegments
    expect(h.copied).toEqual([]);
    fill(); // 3 segments
    expect(h.copied).toEqual([1]);
    expect(h.log.segments.map((s) => s.number)).toEqual([1, 2, 3]);
  });

  it('deletes the oldest segment only after its Compacted record is synced, and only once nothing in it is live', () => {
    const h = harness({ segmentBytes: 100, maxSegments: 8 });
    const segment = h.log.noteEnqueued();
    expect(segment).toBe(1);
    while (h.log.segments[0]!.bytes < 100) h.log.append(settle(h.log));
    h.log.maybeRoll(() => EMPTY);
    h.loop.run();
    expect(h.ops.some((o) => o.includes('delete'))).toBe(false); // a live message keeps segment 1
    const before = h.ops.length;
    const seq = h.log.append(settle(h.log));
    h.log.noteSettled(1, seq);
    h.loop.run();
    const since = h.ops.slice(before);
    const deleteAt = since.findIndex((o) => o.endsWith(`delete ${segmentFileName(1)}`));
    expect(deleteAt).toBeGreaterThan(0);
    // The Compacted record went to segment 2 and was synced before the delete.
    expect(since.slice(0, deleteAt).some((o) => o.endsWith(`sync ${segmentFileName(2)}`))).toBe(true);
    expect(h.log.segments.map((s) => s.number)).toEqual([2]);
  });

  it('rolls when the active segment has exactly segmentBytes, not one byte earlier; the seal and the new snapshot take the next two sequence numbers', () => {
    const probe = harness();
    probe.log.noteEnqueued();
    for (let i = 0; i < 3; i++) probe.log.append(settle(probe.log));
    const exactBytes = probe.log.segments[0]!.bytes;
    const h = harness({ segmentBytes: exactBytes });
    h.log.noteEnqueued();
    for (let i = 0; i < 3; i++) h.log.append(settle(h.log));
    expect(h.log.segments[0]!.bytes).toBe(exactBytes);
    const before = h.log.lastSeq;
    h.log.maybeRoll(() => EMPTY);
    expect(h.log.activeSegment).toBe(2);
    expect(h.log.segments[0]!.lastSeq).toBe(before + 1); // the Seal
    expect(h.log.lastSeq).toBe(before + 2); // the new segment's Snapshot
    const short = harness({ segmentBytes: exactBytes + 1 });
    short.log.noteEnqueued();
    for (let i = 0; i < 3; i++) short.log.append(settle(short.log));
    short.log.maybeRoll(() => EMPTY);
    expect(short.log.activeSegment).toBe(1);
  });

  it('past maxSegments, a segment with nothing live is not copied forward', () => {
    const h = harness({ segmentBytes: 100, maxSegments: 2 });
    for (let roll = 0; roll < 3; roll++) {
      // No I/O between the rolls, so no segment can have been compacted yet.
      while (h.log.segments[h.log.segments.length - 1]!.bytes < 100) h.log.append(settle(h.log));
      h.log.maybeRoll(() => EMPTY);
    }
    expect(h.log.segments.length).toBe(4);
    expect(h.copied).toEqual([]);
  });

    it('a settle of a segment the log no longer has is ignored', () => {
    const h = harness();
    h.log.noteSettled(42, 5);
    expect(h.log.segments.map((s) => [s.number, s.live])).toEqual([[1, 0]]);
  });

  it('close syncs, appends the close marker, syncs again, and compacts nothing afterwards', () => {
    const h = harness({ fsync: 'never', segmentBytes: 100 });
    h.log.noteEnqueued();
    while (h.log.segments[0]!.bytes < 100) h.log.append(settle(h.log));
    h.log.maybeRoll(() => EMPTY);
    h.loop.run();
    const lastBefore = h.log.lastSeq;
    let closed: Error | null | undefined;
    h.log.close((e) => (closed = e));
    h.loop.run();
    expect(closed).toBeNull();
    expect(h.log.lastSeq).toBe(lastBefore + 1); // the close marker
    expect(h.log.durableSeq).toBe(h.log.lastSeq);
    const before = h.ops.length;
    h.log.noteSettled(1, h.log.lastSeq);
    h.loop.run();
    expect(h.ops.slice(before)).toEqual([]);
  });
});
