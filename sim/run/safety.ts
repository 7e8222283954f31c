import type { Scenario } from '../scenario/schema.ts';
import { SimulationInvariantError } from './invariantError.ts';
import type { Accounting } from './measure.ts';

/**
 * With fsync always (or the postgres store with synchronous commit on), publisher confirms and
 * manual acks everywhere, the engine promises that nothing confirmed is lost, whatever the crashes.
 */
export function confirmedMustSurvive(scenario: Scenario): boolean {
  const d = scenario.broker.durability;
  const durable = d?.store === 'postgres' ? (d.postgres?.synchronousCommit ?? 'on') === 'on' : d?.fsync === 'always';
  const queuesDurable = scenario.broker.queues.every((q) => q.durable);
  const producers = scenario.producers.every((p) => p.confirms && p.persistent);
  const consumers = scenario.consumers.every((c) => c.ack === 'manual');
  return durable && queuesDurable && producers && consumers;
}

/**
 * The end-of-replication invariants: a confirmed message lost where the engine promises none is,
 * and anything appearing that was never published. Checked in every replication, however it runs
 * (in this thread, on a worker, as a shard), with the seed and the virtual time in the error.
 */
export function checkSafety(scenario: Scenario, accounting: Accounting, seed: number, atMs: number): void {
  if (confirmedMustSurvive(scenario) && accounting.lost > 0) {
    throw new SimulationInvariantError(`${accounting.lost} confirmed messages lost with ${scenario.broker.durability?.store === 'postgres' ? 'synchronous commit' : 'fsync always'}, confirms and manual ack`, seed, atMs);
  }
  if (accounting.unexpected > 0) {
    throw new SimulationInvariantError(`${accounting.unexpected} messages appeared that were never published`, seed, atMs);
  }
}
