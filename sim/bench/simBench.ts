import { simulate } from '../run/simulate.ts';
import { Scenario } from '../scenario/schema.ts';
import type { BenchCase } from './benchmark.ts';

const MESSAGES = 100_000;

/** M/M/1 at ρ = 0.8 through the real engine in virtual time: one replication of ~`messages` messages. */
export function mm1Scenario(durable: boolean, messages = MESSAGES): Scenario {
  return Scenario.parse({
    name: durable ? 'bench-mm1-durable' : 'bench-mm1',
    durationSec: messages / 800,
    replications: 1,
    producers: [{ routingKey: 'work', arrivals: { process: 'poisson', ratePerSec: 800 }, persistent: durable, confirms: durable }],
    broker: {
      queues: [{ name: 'work', durable }],
      ...(durable ? { durability: { fsync: 'batch', batchMs: 5 } } : {}),
    },
    consumers: [{ queue: 'work', prefetch: 1, serviceTimeMs: { dist: 'exponential', mean: 1 } }],
  });
}

function simCase(name: string, durable: boolean): BenchCase {
  const scenario = mm1Scenario(durable);
  return {
    name,
    unit: 'msg/s',
    unitsPerIteration: MESSAGES,
    setup: () => () => {
      const result = simulate(scenario, { replications: 1 });
      if (Math.abs(result.accounting.attempted - MESSAGES) > MESSAGES * 0.05) throw new Error(`${name}: simulated ${result.accounting.attempted} messages`);
    },
  };
}

/** `sim.mm1`: simulated messages per wall-clock second, engine in the loop, in memory, prefetch 1. */
export const simMm1Bench = simCase('sim.mm1', false);
/** `sim.mm1-durable`: the same with persistent messages, confirms, SimDisk and fsync batch. */
export const simMm1DurableBench = simCase('sim.mm1-durable', true);
