import type { MemoryDatabase } from '../../engine/index.ts';
import { simDatabase } from '../disk/simDatabase.ts';
import { makeDistribution } from '../dist/spec.ts';
import type { EventLoop } from '../kernel/eventLoop.ts';
import type { RandomStream } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import { PostgresStoreSpec } from '../scenario/storeSpec.ts';

/** The PostgreSQL store's settings of a scenario (defaults filled in), or undefined when it uses the log or no durability. */
export function postgresSettings(scenario: Scenario): PostgresStoreSpec | undefined {
  const durability = scenario.broker.durability;
  if (durability?.store !== 'postgres') return undefined;
  return durability.postgres ?? PostgresStoreSpec.parse({});
}

/** The simulated database a postgres-store scenario runs on, with its own random stream; undefined otherwise. */
export function scenarioDatabase(scenario: Scenario, loop: EventLoop, streams: RandomStream): MemoryDatabase | undefined {
  const settings = postgresSettings(scenario);
  if (settings === undefined) return undefined;
  const { latency } = settings;
  return simDatabase(loop, streams.stream('database'), {
    synchronousCommit: settings.synchronousCommit,
    walWriterDelayMs: settings.walWriterDelayMs,
    roundTripMs: makeDistribution(latency.roundTripMs),
    walFlushMs: makeDistribution(latency.walFlushMs),
    perOpMs: latency.perOpMs,
    openMs: latency.openMs,
    openPerMessageMs: latency.openPerMessageMs,
  });
}
