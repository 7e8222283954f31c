import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import { judgeReplication } from './judge.ts';
import { shrink, sizeOf, type ShrinkResult } from './shrink.ts';

/** A run with plenty in it, where a lying disk before a crash loses confirmed messages. */
const failing = {
  name: 'lying disk, many faults',
  durationSec: 30,
  drainSec: 5,
  seed: 9,
  producers: [
    { name: 'a', count: 3, routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 30 }, persistent: true, confirms: true },
    { name: 'b', routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 10 }, persistent: true, confirms: true },
  ],
  broker: { durability: { fsync: 'always' }, queues: [{ name: 'q', durable: true }] },
  consumers: [{ queue: 'q', count: 4, prefetch: 20, serviceTimeMs: { dist: 'exponential', mean: 200 } }],
  faults: [
    { kind: 'broker-crash', mtbfSec: 6, mttrSec: 0.5 },
    { kind: 'consumer-crash', atSec: [3, 9, 20], consumer: 1 },
    { kind: 'latency-spike', fromSec: 2, toSec: 8, factor: 3 },
    { kind: 'disk-lie', fromSec: 12, toSec: 30 },
    { kind: 'pause', process: 'consumer', consumer: 2, atSec: [4, 14], durationSec: 0.5 },
  ],
};

describe('qlab shrink: reducing a failing run to a minimal scenario', () => {
  it('finds a smaller scenario that still fails the same way, within the run budget', () => {
    const judge = judgeReplication(true);
    const runs: boolean[] = [];
    const result = shrink(failing, 9, judge, { maxRuns: 60, onRun: (_n, _size, failed) => runs.push(failed) }) as ShrinkResult;
    expect(result.failure).toMatch(/confirmed messages lost \(due to injected disk-lie/);
    expect(result.runs).toBeLessThanOrEqual(60);
    expect(runs).toHaveLength(result.runs);
    const { before, after } = result;
    expect(after.faultEvents).toBeLessThan(before.faultEvents);
    expect(after.producers + after.consumers).toBeLessThan(before.producers + before.consumers);
    expect(after.durationSec).toBeLessThanOrEqual(before.durationSec);
    // The scenario written still validates and still fails, exactly as reported.
    const parsed = parseScenario(result.scenario, 'shrunk');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(sizeOf(parsed.scenario)).toEqual(after);
    expect(parsed.scenario.faults.map((f) => f.kind)).toContain('disk-lie');
    expect(judge(parsed.scenario, parsed.scenario.seed)?.failure).toBe(result.failure);
  });

  it('says so when the run does not fail, after a single run', () => {
    let runs = 0;
    const result = shrink({ ...failing, faults: [] }, 9, judgeReplication(true), { maxRuns: 10, onRun: () => runs++ });
    expect(result).toEqual({ notFailing: true });
    expect(runs).toBe(1);
  });

  it('the exact schedule replays the random one: same failure, same numbers', () => {
    const judge = judgeReplication(true);
    const parsed = parseScenario(failing, 'x');
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const original = judge(parsed.scenario, 9)!;
    const r = shrink(failing, 9, judge, { maxRuns: 2 }) as ShrinkResult; // run 1: the original; run 2: one candidate
    expect(r.runs).toBe(2);
    const crash = (r.scenario.faults as { kind: string; atMs?: number[] }[]).find((f) => f.kind === 'broker-crash');
    if (crash !== undefined) expect(crash.atMs).toEqual(original.schedule.filter((e) => e.kind === 'broker-crash').map((e) => e.atMs));
  });
});
