import { describe, expect, it } from 'vitest';
import { FaultLog } from '../faults/faultLog.ts';
import { EventLoop } from '../kernel/eventLoop.ts';
import { randomStreams } from '../random/streams.ts';
import { runReplication } from '../run/replication.ts';
import { FaultSpec, Scenario } from '../scenario/schema.ts';
import { FaultyDisk, planDiskFaults } from './diskFaults.ts';

function disk(faults: unknown[], tearProbability = 0) {
  const loop = new EventLoop();
  const log = new FaultLog();
  const streams = randomStreams(7);
  const plans = planDiskFaults(faults.map((f) => FaultSpec.parse(f)), (i) => streams.stream(`faults/${i}`), log, Infinity);
  const d = new FaultyDisk(loop, streams.stream('disk'), { tearProbability }, plans, log);
  const read = (file: string) => {
    let out: Uint8Array | null = null;
    d.read(file, (_e, data) => (out = data));
    loop.run();
    return out === null ? null : [...(out as Uint8Array)];
  };
  return { loop, d, log, read };
}

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('a disk that lies about fsync', () => {
  it('loses at the next crash what only a lying fsync covered, and keeps what an honest one did', () => {
    const { loop, d, log, read } = disk([{ kind: 'disk-lie', fromSec: 1, toSec: 2 }]);
    d.append('a', bytes(4, 1), () => {});
    d.sync('a', () => {}); // honest, at t = 0
    loop.run();
    loop.setTimer(1000, () => {
      d.append('a', bytes(3, 2), () => {});
      d.sync('a', (e) => expect(e).toBeNull()); // reports success: a lie
    });
    loop.run();
    d.crash();
    expect(read('a')).toEqual([1, 1, 1, 1]);
    expect(log.byKind()['disk-lie']).toEqual({ scheduled: 1, fired: 1 });
    expect(log.voidedPromises).toEqual(['disk-lie']);
  });

  it('an honest fsync after the lie covers the lied-about bytes too', () => {
    const { loop, d, read } = disk([{ kind: 'disk-lie', atSec: [0] }]);
    d.append('a', bytes(2, 1), () => {});
    d.sync('a', () => {}); // the lie
    d.append('a', bytes(2, 2), () => {});
    d.sync('a', () => {}); // honest: fsync flushes the whole file
    loop.run();
    d.crash();
    expect(read('a')).toEqual([1, 1, 2, 2]);
  });

  it('what survived an earlier crash (a torn write included) stays durable: a later lie only costs what came after it', () => {
    const { loop, d, read } = disk([{ kind: 'disk-lie', atSec: [1] }], 1);
    d.append('a', bytes(4, 1), () => {});
    d.sync('a', () => {}); // honest
    d.append('a', bytes(50, 2), () => {}); // unsynced: the crash tears it
    loop.run();
    d.crash();
    const afterFirst = read('a')!;
    expect(afterFirst.length).toBeGreaterThan(4);
    loop.setTimer(1000, () => {
      d.append('a', bytes(3, 3), () => {});
      d.sync('a', () => {}); // the lie
    });
    loop.run();
    d.crash();
    expect(read('a')).toEqual(afterFirst);
  });

  it('a file whose only fsyncs lied does not survive a crash', () => {
    const { loop, d } = disk([{ kind: 'disk-lie', fromSec: 0 }]);
    d.append('b', bytes(2, 1), () => {});
    d.sync('b', () => {});
    loop.run();
    d.crash();
    let files: string[] = [];
    d.list((_e, f) => (files = f));
    loop.run();
    expect(files).toEqual([]);
  });
});

describe('disk errors and corrupted writes', () => {
  it('EIO on sync and ENOSPC on append reach the caller as errors, at the first operation at or after the time', () => {
    const { loop, d } = disk([
      { kind: 'disk-error', op: 'sync', atSec: [1] },
      { kind: 'disk-error', op: 'append', error: 'ENOSPC', atSec: [2] },
    ]);
    const errors: string[] = [];
    const record = (e: Error | null) => errors.push(e === null ? 'ok' : e.message);
    d.sync('a', record); // no such file yet: SimDisk's own error, not the fault
    d.append('a', bytes(1, 1), record);
    loop.run();
    loop.setTimer(1500, () => {
      d.sync('a', record);
      d.sync('a', record);
      d.append('a', bytes(1, 1), record);
    });
    loop.run();
    loop.setTimer(2500, () => d.append('a', bytes(1, 1), record));
    loop.run();
    expect(errors.slice(1)).toEqual(['ok', 'sync a: EIO: input/output error (injected disk-error)', 'ok', 'ok', 'append a: ENOSPC: no space left on device (injected disk-error)']);
  });

  it('a bit-flipped write reports success and stores different bytes', () => {
    const { loop, d, read } = disk([{ kind: 'disk-corrupt', atSec: [0] }]);
    let result: Error | null | undefined;
    d.append('a', bytes(8, 0), (e) => (result = e));
    loop.run();
    expect(result).toBeNull();
    const stored = read('a')!;
    expect(stored).toHaveLength(8);
    expect(stored.filter((b) => b === 0xff)).toHaveLength(1);
  });

  it('a misdirected write lands in another file and never in the one asked for', () => {
    const { loop, d, read } = disk([{ kind: 'disk-corrupt', mode: 'misdirect', atSec: [1] }]);
    d.append('a', bytes(2, 1), () => {});
    d.append('b', bytes(2, 2), () => {});
    loop.run();
    loop.setTimer(1000, () => d.append('b', bytes(3, 9), () => {}));
    loop.run();
    expect(read('a')).toEqual([1, 1, 9, 9, 9]);
    expect(read('b')).toEqual([2, 2]);
  });
});

/** A durable broker that promises no confirmed loss (fsync always, confirms, durable queue, persistent). */
const promised = (faults: unknown[]) =>
  Scenario.parse({
    name: 'disk faults',
    durationSec: 4,
    drainSec: 2,
    replications: 1,
    producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 200 }, persistent: true, confirms: true }],
    broker: { durability: { fsync: 'always' }, queues: [{ name: 'q', durable: true }] },
    faults,
  });
const crashAt2s = { kind: 'broker-crash', atMs: [2000], downMs: [100] };

describe('what fsync always + confirms protect against, and what not', () => {
  it('a crash alone loses no confirmed message', () => {
    const r = runReplication(promised([crashAt2s]), 3);
    expect(r.accounting.confirmed).toBeGreaterThan(500);
    expect(r.accounting.lost).toBe(0);
    expect(r.faults?.byKind['broker-crash']).toEqual({ scheduled: 1, fired: 1 });
  });

  it('a lying fsync + crash loses confirmed messages, and the report blames the injected lie instead of raising a broker bug', () => {
    const r = runReplication(promised([{ kind: 'disk-lie', fromSec: 1, toSec: 2 }, crashAt2s]), 3);
    expect(r.accounting.lost).toBeGreaterThan(100); // about a second of 200/s, confirmed on lies
    expect(r.faults?.lossDueTo).toEqual(['disk-lie']);
    expect(r.faults?.byKind['disk-lie']!.fired).toBeGreaterThan(100);
  });

  it('EIO on fsync: from then on publishes are nacked, not confirmed', () => {
    const clean = runReplication(promised([]), 3);
    const r = runReplication(promised([{ kind: 'disk-error', atSec: [1] }]), 3);
    expect(r.accounting.published).toBe(clean.accounting.published);
    expect(r.accounting.refused).toBeGreaterThan(500); // the last ~3 s of 200/s
    expect(r.accounting.confirmed + r.accounting.refused).toBe(r.accounting.published);
    expect(r.accounting.confirmed).toBeLessThan(clean.accounting.confirmed / 3);
    expect(r.accounting.lost).toBe(0);
  });

  it('ENOSPC on append + crash: the nacked messages vanish, but none that was confirmed', () => {
    const r = runReplication(promised([{ kind: 'disk-error', op: 'append', error: 'ENOSPC', fromSec: 1, toSec: 1.5 }, crashAt2s]), 3);
    expect(r.accounting.refused).toBeGreaterThan(0);
    expect(r.accounting.lostUnconfirmed).toBeGreaterThan(0);
    expect(r.accounting.lost).toBe(0);
    expect(r.faults?.lossDueTo).toEqual([]);
  });

  it('a corrupted write in the middle of the log: recovery refuses it, the broker stays down, and the report says why', () => {
    const r = runReplication(promised([{ kind: 'disk-corrupt', atSec: [1] }, crashAt2s]), 3);
    expect(r.faults?.recoveryRefused).toMatch(/corrupt record .* \(after injected disk-corrupt\)/);
    expect(r.accounting.lost).toBe(r.accounting.confirmed);
    expect(r.faults?.lossDueTo).toEqual(['disk-corrupt']);
  });

  it('a misdirected write just before a crash loses a confirmed message silently: the log has no way to see the gap', () => {
    const r = runReplication(promised([{ kind: 'disk-corrupt', mode: 'misdirect', atSec: [1.9] }, crashAt2s]), 3);
    expect(r.accounting.lost).toBeGreaterThan(0);
    expect(r.faults?.lossDueTo).toEqual(['disk-corrupt']);
  });

  it('under fsync never a lying fsync changes nothing: confirms never waited for an fsync, and a crash loses them anyway', () => {
    const never = (faults: unknown[]) => {
      const s = promised(faults);
      return { ...s, broker: { ...s.broker, durability: { ...s.broker.durability!, fsync: 'never' as const } } };
    };
    const honest = runReplication(never([crashAt2s]), 3);
    const lying = runReplication(never([{ kind: 'disk-lie', fromSec: 1, toSec: 2 }, crashAt2s]), 3);
    expect(honest.accounting.lost).toBeGreaterThan(0);
    expect(lying.accounting).toEqual(honest.accounting);
    expect(lying.faults?.byKind['disk-lie']!.fired).toBe(0);
  });

  it('a disk fault on an in-memory broker is declared but never fires, and the count shows it', () => {
    const s = promised([{ kind: 'disk-lie', atSec: [1] }]);
    const r = runReplication({ ...s, broker: { ...s.broker, durability: undefined } }, 3);
    expect(r.faults?.byKind['disk-lie']).toEqual({ scheduled: 1, fired: 0 });
  });
});
