import { runReplication } from '../run/replication.ts';
import { Scenario } from '../scenario/schema.ts';
import type { BenchResult } from './benchmark.ts';

/**
 * Figures that do not depend on machine speed, only on the code: they are compared exactly, so a
 * change that makes the simulator do more work per message, or the log write more bytes, shows up
 * in CI even on the noisiest machine. A deliberate change updates sim/bench/deterministic.json in
 * the same commit (`qlab bench --deterministic --out sim/bench/deterministic.json`).
 */
function mm1(durable: boolean): Scenario {
  return Scenario.parse({
    name: 'deterministic',
    durationSec: 50,
    warmupSec: 0,
    replications: 1,
    seed: 1,
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 800 }, persistent: durable, confirms: durable, bodyBytes: 100 }],
    broker: { queues: [{ name: 'work', durable }], ...(durable ? { durability: { fsync: 'batch', batchMs: 5 } } : {}) },
    consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: 1 } }],
  });
}

export function deterministicFigures(): BenchResult[] {
  const exact = (name: string, unit: string, value: number): BenchResult => ({ name, unit, value: Number(value.toPrecision(12)), rme: 0, samples: 1 });
  const memory = runReplication(mm1(false), 1, { batches: false });
  const durable = runReplication(mm1(true), 1, { batches: false });
  const messages = durable.accounting.attempted;
  return [
    exact('sim.mm1.eventsPerMessage', 'events/msg', memory.events / memory.accounting.attempted),
    exact('sim.mm1-durable.eventsPerMessage', 'events/msg', durable.events / messages),
    exact('sim.mm1-durable.logBytesPerMessage', 'bytes/msg', durable.disk!.bytesAppended / messages),
    exact('sim.mm1-durable.appendsPerMessage', 'appends/msg', durable.disk!.appends / messages),
    exact('sim.mm1-durable.syncsPerMessage', 'syncs/msg', durable.disk!.syncs / messages),
  ];
}
