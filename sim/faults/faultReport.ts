import type { Accounting } from '../run/measure.ts';
import type { World } from '../run/world.ts';
import { PROMISE_BREAKING_KINDS } from '../scenario/faultSpecs.ts';
import type { FaultCount, FaultEvent, FaultLog } from './faultLog.ts';

/** What a replication reports about its faults. */
export interface ReplicationFaults {
  /** Per fault kind: events scheduled (or operations exposed to a probability fault) and fired. */
  byKind: Record<string, FaultCount>;
  /** The exact timed schedule, in planning order (replay and shrink rebuild the run from it). */
  schedule: FaultEvent[];
  /** Injected faults that confirmed messages were lost to (empty when none were lost, or none could explain it). */
  lossDueTo: string[];
  /** Recovery refused to start the broker on a log the injected faults damaged: why. */
  recoveryRefused?: string;
}

export function faultReportOf(log: FaultLog, world: World, accounting: Accounting): ReplicationFaults {
  const voided = log.voidedPromises.filter((k) => PROMISE_BREAKING_KINDS.has(k));
  return {
    byKind: log.byKind(),
    schedule: log.schedule.map((e) => ({ ...e })),
    lossDueTo: accounting.lost > 0 ? voided : [],
    ...(world.recoveryRefused !== undefined ? { recoveryRefused: world.recoveryRefused } : {}),
  };
}

/**
 * Runs `body`; an error escaping it (a broken invariant, above all) leaves carrying the exact fault
 * schedule and the seed, so whoever catches it can write a replay file.
 */
export function withFaultSchedule<T>(log: FaultLog, seed: number, body: () => T, nowMs?: () => number): T {
  try {
    return body();
  } catch (error) {
    const e = error as Error & { faultSchedule?: FaultEvent[]; seed?: number; atMs?: number };
    if (error instanceof Error && e.faultSchedule === undefined) e.faultSchedule = log.schedule.map((event) => ({ ...event }));
    // A crash of the simulator itself (not only a broken invariant) is replayable too.
    if (error instanceof Error && e.seed === undefined) e.seed = seed;
    if (error instanceof Error && e.atMs === undefined && nowMs !== undefined) e.atMs = nowMs();
    throw error;
  }
}
