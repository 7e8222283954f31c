import { describe, expect, it } from 'vitest';
import { deterministic } from '../../sim/dist/deterministic.ts';
import { Broker } from '../broker.ts';
import { StorageError, type Storage } from '../storage.ts';
import { drainBodies, recoverOn, simulatedDisk } from './testing.ts';

/** Storage over a SimDisk whose appends fail with `code` while `failing()` says so. */
function failingAppends(disk: Storage, failing: (bytes: number) => boolean, code: string, after: (ms: number, f: () => void) => void): Storage {
  let used = 0;
  return {
    append: (f, d, cb) => {
      if (failing(used + d.byteLength)) return after(0, () => cb(new StorageError(`append ${f}: ${code} simulated`)));
      used += d.byteLength;
      disk.append(f, d, cb);
    },
    sync: (f, cb) => disk.sync(f, cb),
    read: (f, cb) => disk.read(f, cb),
    truncate: (f, n, cb) => disk.truncate(f, n, cb),
    list: (cb) => disk.list(cb),
    delete: (f, cb) => disk.delete(f, cb),
  };
}

describe('a log directory that cannot be written', () => {
  it('fails at open with the storage error, not later with negative confirms', () => {
    const { loop, disk } = simulatedDisk(41);
    const storage = failingAppends(disk, () => true, 'EACCES', (ms, f) => loop.after(ms, f));
    let outcome: { error: Error | null; broker: Broker | null } | undefined;
    Broker.recover({ clock: loop, storage }, (error, broker) => (outcome = { error, broker }));
    loop.run();
    expect(outcome?.broker).toBeNull();
    expect(outcome?.error).toBeInstanceOf(StorageError);
    expect(outcome?.error?.message).toMatch(/^cannot write to the log: append segment-00000001\.qlog: EACCES/);
  });
});

describe('a full disk (ENOSPC)', () => {
  it('turns every confirm negative and keeps the broker failed after space is freed; a reopen resumes with every confirmed message', () => {
    const { loop, disk } = simulatedDisk(42, { writeLatencyMs: deterministic(0.1), syncLatencyMs: deterministic(1) });
    let capacity = 4096;
    const storage = failingAppends(disk, (bytes) => bytes > capacity, 'ENOSPC', (ms, f) => loop.after(ms, f));
    let broker: Broker | null = null;
    Broker.recover({ clock: loop, storage, fsync: 'always' }, (_e, b) => (broker = b));
    loop.run();
    broker!.declareQueue('q', { durable: true });
    const acks = new Map<string, boolean>();
    for (let i = 0; i < 80; i++) loop.setTimer(loop.now() + i, () => broker!.publish('', 'q', `message ${i} ....................`, { persistent: true }, (ack) => acks.set(`message ${i} ....................`, ack)));
    loop.run();
    const confirmed = [...acks].filter(([, ack]) => ack).map(([body]) => body);
    expect(confirmed.length).toBeGreaterThan(10);
    expect([...acks.values()].filter((ack) => !ack).length).toBeGreaterThan(10);
    expect(broker!.storageError?.message).toMatch(/ENOSPC/);

    // Space is freed: the failed log stays failed (documented), every confirm stays negative.
    capacity = Infinity;
    let late: boolean | undefined;
    broker!.publish('', 'q', 'after space was freed', { persistent: true }, (ack) => (late = ack));
    loop.run();
    expect(late).toBe(false);

    // How to resume: close (or kill) and reopen. Every confirmed message is there.
    broker!.kill();
    const reopened = recoverOn(loop, disk, { fsync: 'always' });
    let resumed: boolean | undefined;
    reopened.publish('', 'q', 'after reopening', { persistent: true }, (ack) => (resumed = ack));
    loop.run();
    expect(resumed).toBe(true);
    const back = drainBodies(reopened, 'q').map((x) => x.body);
    for (const body of confirmed) expect(back).toContain(body);
    expect(back[back.length - 1]).toBe('after reopening');
  });
});
