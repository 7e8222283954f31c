import { readCalibrationFile } from './calibrationFile.ts';
import { z } from 'zod';
import type { DistributionSpec } from '../dist/spec.ts';

const CommitLine = z.object({ fixedMs: z.number().finite(), perMessageMs: z.number().finite() });
const PostgresCalibrationFile = z.object({
  kind: z.literal('qlab-postgres-calibration'),
  version: z.literal(1),
  commitModel: z.object({ sync: CommitLine, async: CommitLine }),
  commitSamplesMs: z.object({ async: z.record(z.string(), z.array(z.number().nonnegative().finite())) }).partial().optional(),
});

/** The part of a scenario's `broker.durability.postgres.latency` a calibration measures. */
export interface CalibratedDatabaseLatency {
  roundTripMs: DistributionSpec;
  walFlushMs: DistributionSpec;
  perOpMs: number;
}

/**
 * Reads a `qlab calibrate postgres` file (sim/calibrate/postgresCalibration.ts) as the simulated
 * database's latency model, as loadDiskCalibration reads a disk calibration for the simulated
 * disk. The model is round trip + perOpMs × rows + (synchronous commit only) WAL flush, so:
 *   roundTripMs: the measured one-publish commits with synchronous_commit off (their empirical
 *     distribution), else the async line's fixed cost;
 *   walFlushMs: what synchronous commit adds, sync fixed − async fixed (a constant, ≥ 0);
 *   perOpMs: the sync line's cost per message (≥ 0).
 * A sync commit of n rows then averages the sync line, an async one the async line.
 * A missing, unreadable or foreign file is an Error naming it and the field.
 */
export function loadPostgresCalibration(file: string): CalibratedDatabaseLatency {
  const { commitModel, commitSamplesMs } = readCalibrationFile(file, PostgresCalibrationFile, 'PostgreSQL', 'postgres');
  const oneAsync = commitSamplesMs?.async?.['1'];
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  return {
    roundTripMs: oneAsync !== undefined && oneAsync.length > 0 ? { dist: 'empirical', samples: oneAsync } : { dist: 'deterministic', mean: r3(Math.max(0, commitModel.async.fixedMs)) },
    walFlushMs: { dist: 'deterministic', mean: r3(Math.max(0, commitModel.sync.fixedMs - commitModel.async.fixedMs)) },
    perOpMs: r3(Math.max(0, commitModel.sync.perMessageMs)),
  };
}

/** The raw scenario with its PostgreSQL store's commit latency replaced by a calibrated one (its other settings kept). */
export function withCalibratedDatabase(raw: unknown, latency: CalibratedDatabaseLatency): unknown {
  const scenario = raw as { broker?: { durability?: { postgres?: { latency?: object } } & Record<string, unknown> } & Record<string, unknown> };
  const durability = scenario.broker?.durability ?? {};
  const postgres = durability.postgres ?? {};
  return { ...scenario, broker: { ...scenario.broker, durability: { ...durability, postgres: { ...postgres, latency: { ...postgres.latency, ...latency } } } } };
}
