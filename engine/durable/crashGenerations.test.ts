import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponential } from '../../sim/dist/exponential.ts';
import { lognormal } from '../../sim/dist/lognormal.ts';
import type { EventLoop } from '../../sim/kernel/eventLoop.ts';
import type { SimDisk } from '../../sim/disk/simDisk.ts';
import { randomStreams } from '../../sim/random/streams.ts';
import { Broker } from '../broker.ts';
import type { Storage } from '../storage.ts';
import { simulatedDisk } from './testing.ts';

/** Mutation testing (npm run mutate) reruns this once per mutant: a smaller run there keeps it affordable; npm test runs it whole. */
const UNDER_MUTATION = process.env.QLAB_MUTATION === '1';


/**
 * Power cuts at any storage step — inside segment creation (between the create, the header write
 * and its sync), a roll, a compaction's delete, and recovery itself — over several crash/reopen
 * generations: every message confirmed under fsync `always` (or `batch`) is back after every
 * reopen until its ack was synced, and every reopen succeeds.
 */

/** Storage that pulls the plug on the k-th completion (before the engine hears of it), and counts rolls and compactions. */
class PowerCut implements Storage {
  private completions = 0;
  cut = false;
  readonly created = new Set<string>();
  deletes = 0;

  constructor(
    private readonly disk: SimDisk,
    private cutAt: number,
  ) {}

  /** Counts completions afresh, cutting at the `cutAt`-th (0: never). */
  arm(cutAt: number): void {
    this.cutAt = cutAt;
    this.completions = 0;
  }

  private gate<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      if (this.cut) return;
      if (++this.completions === this.cutAt) {
        this.cut = true;
        this.disk.crash();
        return;
      }
      callback(...args);
    };
  }

  append(file: string, data: Uint8Array, done: (e: Error | null) => void): void {
    if (this.cut) return;
    this.created.add(file);
    this.disk.append(file, data, this.gate(done));
  }
  sync(file: string, done: (e: Error | null) => void): void {
    if (!this.cut) this.disk.sync(file, this.gate(done));
  }
  read(file: string, done: (e: Error | null, d: Uint8Array | null) => void): void {
    if (!this.cut) this.disk.read(file, this.gate(done));
  }
  truncate(file: string, size: number, done: (e: Error | null) => void): void {
    if (!this.cut) this.disk.truncate(file, size, this.gate(done));
  }
  list(done: (e: Error | null, f: string[]) => void): void {
    if (!this.cut) this.disk.list(this.gate(done));
  }
  delete(file: string, done: (e: Error | null) => void): void {
    if (this.cut) return;
    this.deletes++;
    this.disk.delete(file, this.gate(done));
  }
}

type Op = { kind: 'publish' } | { kind: 'consume' } | { kind: 'wait'; ms: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'publish' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'consume' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 6 }) }) },
);

const generationArb = fc.record({
  // Explicit bounds (fast-check's default size would keep arrays near 10 long): long enough that
  // 1 KiB segments roll several times per generation and compaction has old segments to delete.
  ops: fc.array(opArb, { minLength: 80, maxLength: 220 }),
  /** The power cut comes at this storage completion of the generation (0: at a random time after the workload). */
  cutAt: fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constant(0)),
  /** Recovery itself is cut at this storage completion (0: it is not). */
  recoveryCutAt: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }) }),
});

interface Tally {
  cases: number;
  casesWithRoll: number;
  casesWithCompaction: number;
  recoveryCuts: number;
}

const POLICY = { segmentBytes: 1024, maxSegments: 2, batchMs: 2 } as const;

/** Recovers on `storage`; null if the power was cut first. Throws recovery's error. */
function recoverThrough(loop: EventLoop, storage: PowerCut, fsync: 'always' | 'batch'): Broker | null {
  let result: Broker | null = null;
  let failure: Error | null = null;
  Broker.recover({ random: randomStreams(1).stream('broker'), clock: loop, storage, fsync, ...POLICY }, (error, broker) => {
    failure = error;
    result = broker;
  });
  loop.run({ stopWhen: () => result !== null || failure !== null || storage.cut });
  if (failure) throw failure;
  if (result === null && !storage.cut) throw new Error('recovery did not finish');
  return result;
}

function runCase(fsync: 'always' | 'batch', seed: number, generations: { ops: Op[]; cutAt: number; recoveryCutAt: number }[], tally: Tally): void {
  const { loop, disk } = simulatedDisk(seed, { writeLatencyMs: exponential(0.2), syncLatencyMs: lognormal(1, 0.8), tearProbability: 0.7 });
  /** Messages that must come back: confirmed (or recovered) and not acked durably. */
  let owed = new Set<string>();
  /** Owed messages acked since the last reopen: back or not, depending on whether the ack reached the disk. */
  let acked = new Set<string>();
  const missing = (back: string[]) => [...owed].filter((id) => !acked.has(id) && !back.includes(id));
  let next = 0;
  let rolls = 0;
  let compactions = 0;
  const where = (g: number) => `(seed ${seed}, generation ${g})`;
  const reopen = (g: number, recoveryCutAt: number): { broker: Broker; storage: PowerCut } => {
    if (recoveryCutAt > 0) {
      const cut = new PowerCut(disk, recoveryCutAt);
      const broker = recoverThrough(loop, cut, fsync);
      if (broker !== null) {
        // Recovery finished first: the power goes right after it instead.
        broker.kill();
        cut.cut = true;
        disk.crash();
      } else {
        tally.recoveryCuts++;
      }
    }
    const storage = new PowerCut(disk, 0);
    const broker = recoverThrough(loop, storage, fsync);
    if (broker === null) throw new Error(`recovery cut without a cut ${where(g)}`);
    return { broker, storage };
  };

  for (let g = 0; g < generations.length; g++) {
    const { ops, cutAt, recoveryCutAt } = generations[g]!;
    let broker: Broker;
    let storage: PowerCut;
    try {
      ({ broker, storage } = reopen(g, g === 0 ? 0 : recoveryCutAt));
    } catch (error) {
      throw new Error(`reopen failed ${where(g)}: ${(error as Error).message}`);
    }
    // A reopen after a crash shows every owed message, each once.
    const seen: string[] = [];
    if (broker.queueNames().includes('q')) {
      // Peek by getting everything and nacking it back (requeue keeps it owed).
      const tags: number[] = [];
      for (let d = broker.get('q'); d !== undefined; d = broker.get('q')) {
        seen.push(d.properties.messageId!);
        tags.push(d.deliveryTag);
      }
      for (const tag of tags) broker.nack(tag, { requeue: true });
    } else {
      broker.declareQueue('q', { durable: true });
    }
    if (missing(seen).length > 0) throw new Error(`owed messages ${missing(seen).join(',')} missing after reopen ${where(g)}; back: ${seen.join(',')}`);
    expect(new Set(seen).size).toBe(seen.length);
    owed = new Set(seen);
    acked = new Set();

    storage.arm(cutAt);
    const created = storage.created.size;
    const deletesBefore = storage.deletes;
    let t = loop.now();
    let stopped = false;
    for (const op of ops) {
      if (op.kind === 'wait') {
        t += op.ms;
        continue;
      }
      loop.setTimer(t, () => {
        if (stopped) return;
        if (op.kind === 'publish') {
          const id = `m${next++}`;
          broker.publish('', 'q', `body of ${id} ..................`, { persistent: true, messageId: id }, (ack) => ack && owed.add(id));
          return;
        }
        const d = broker.get('q');
        if (d === undefined) return;
        broker.ack(d.deliveryTag);
        const id = d.properties.messageId!;
        acked.add(id);
        broker.afterDurable((ok) => ok && owed.delete(id));
      });
    }
    const stopAt = t + 30;
    loop.run({ untilMs: stopAt, stopWhen: () => storage.cut });
    stopped = true;
    broker.kill();
    if (!storage.cut) disk.crash();
    rolls += Math.max(0, storage.created.size - created - 1);
    compactions += storage.deletes - deletesBefore;
  }
  // A last reopen, with its own recovery cut, checks the final generation's crash.
  const { broker: last } = reopen(generations.length, 3);
  const back: string[] = [];
  if (last.queueNames().includes('q')) for (let d = last.get('q', { autoAck: true }); d !== undefined; d = last.get('q', { autoAck: true })) back.push(d.properties.messageId!);
  if (missing(back).length > 0) throw new Error(`owed messages ${missing(back).join(',')} missing after the last reopen (seed ${seed})`);
  tally.cases++;
  if (rolls > 0) tally.casesWithRoll++;
  if (compactions > 0) tally.casesWithCompaction++;
}

describe('power cuts inside segment creation, roll, compaction and recovery, over several generations (fast-check)', () => {
  for (const [fsync, runs] of [
    ['always', UNDER_MUTATION ? 20 : 120],
    ['batch', UNDER_MUTATION ? 12 : 60],
  ] as const) {
    it(`fsync ${fsync}: every confirmed message not durably acked is back after every reopen, and every reopen succeeds`, () => {
      const tally: Tally = { cases: 0, casesWithRoll: 0, casesWithCompaction: 0, recoveryCuts: 0 };
      fc.assert(
        fc.property(fc.nat(), fc.array(generationArb, { minLength: 2, maxLength: 4 }), (seed, generations) => runCase(fsync, seed, generations, tally)),
        { seed: fsync === "always" ? 1212 : 2121, numRuns: runs },
      );
      // The property only means something if the crashes land among rolls and compactions.
      expect(tally.cases).toBeGreaterThanOrEqual(runs);
      expect(tally.casesWithRoll / tally.cases).toBeGreaterThan(0.9);
      expect(tally.casesWithCompaction / tally.cases).toBeGreaterThan(0.9);
      expect(tally.recoveryCuts).toBeGreaterThan(runs / 10);
    });
  }
});
